package dev.workflowthread.jdbc;

import dev.workflowthread.spi.ThreadStore;
import dev.workflowthread.tck.ThreadStoreContract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

/** The whole contract suite, unchanged, against the JDBC store on H2. */
@DisplayName("Contract suite on H2")
class H2ContractTest extends ThreadStoreContract {
    private static final String PREFIX = "wt_contract_";

    @BeforeAll
    static void emptyTables() {
        TestDatabase.H2.assumeAvailable();
        TestDatabase.H2.dropTables(PREFIX);
    }

    @Override
    protected ThreadStore createStore() {
        return TestDatabase.H2.store(PREFIX);
    }
}
