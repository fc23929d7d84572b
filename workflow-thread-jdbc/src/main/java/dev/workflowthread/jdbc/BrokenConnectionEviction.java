package dev.workflowthread.jdbc;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;

/**
 * Tells HikariCP to drop a connection that failed with a
 * {@link SQLNonTransientConnectionException}, whatever its SQLState. HikariCP drops connections on
 * SQLState class {@code 08} by itself, but H2 reports a closed server session as {@code 90121},
 * and such a connection would otherwise be handed out again and again after the server came back.
 *
 * <p>The pool the store makes from a URL uses it; a host's own HikariCP pool can too:
 * {@code config.setExceptionOverrideClassName(BrokenConnectionEviction.class.getName())}.
 */
public final class BrokenConnectionEviction implements SQLExceptionOverride {

    /** What HikariCP calls, given this class's name as its exception override class name. */
    public BrokenConnectionEviction() {
    }

    @java.lang.Override
    public SQLExceptionOverride.Override adjudicate(SQLException e) {
        return e instanceof SQLNonTransientConnectionException
                ? SQLExceptionOverride.Override.MUST_EVICT : SQLExceptionOverride.Override.CONTINUE_EVICT;
    }
}
