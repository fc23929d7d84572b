package dev.workflowthread.redis;

import dev.workflowthread.jdbc.JdbcThreadStore;
import dev.workflowthread.jdbc.TestDatabase;
import dev.workflowthread.spi.ThreadStore;
import dev.workflowthread.tck.ThreadStoreContract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

/** The whole contract suite, unchanged, against the JDBC store on H2 with Redis change signals. */
@DisplayName("Contract suite on H2 with Redis change signals")
class H2RedisContractTest extends ThreadStoreContract {
    private static final String PREFIX = "wt_redis_contract_";
    private static final String CHANNEL = TestRedis.newChannel();

    @BeforeAll
    static void emptyTables() {
        TestDatabase.H2.assumeAvailable();
        TestRedis.assumeAvailable();
        TestDatabase.H2.dropTables(PREFIX);
    }

    @Override
    protected ThreadStore createStore() {
        return JdbcThreadStore.builder().dataSource(TestDatabase.H2.dataSource()).tablePrefix(PREFIX)
                .changeSignals(TestRedis.signals(CHANNEL)).build();
    }
}
