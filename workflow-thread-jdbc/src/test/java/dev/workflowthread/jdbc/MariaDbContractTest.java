package dev.workflowthread.jdbc;

import dev.workflowthread.spi.ThreadStore;
import dev.workflowthread.tck.ThreadStoreContract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

/** The whole contract suite, unchanged, against the JDBC store on MARIADB. */
@DisplayName("Contract suite on MARIADB")
class MariaDbContractTest extends ThreadStoreContract {
    private static final String PREFIX = "wt_contract_";

    @BeforeAll
    static void emptyTables() {
        TestDatabase.MARIADB.assumeAvailable();
        TestDatabase.MARIADB.dropTables(PREFIX);
    }

    @Override
    protected ThreadStore createStore() {
        return TestDatabase.MARIADB.store(PREFIX);
    }
}
