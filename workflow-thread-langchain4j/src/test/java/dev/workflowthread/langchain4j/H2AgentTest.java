package dev.workflowthread.langchain4j;

import dev.workflowthread.jdbc.JdbcThreadStore;
import dev.workflowthread.spi.ThreadStore;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;

/** The LangChain4j agent on the JDBC store, in an in-memory H2 database of its own per test. */
@DisplayName("LangChain4j agent on H2")
class H2AgentTest extends AgentContract {

    @Override
    ThreadStore newStore() {
        return JdbcThreadStore.builder().url("jdbc:h2:mem:lc4j-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1").build();
    }
}
