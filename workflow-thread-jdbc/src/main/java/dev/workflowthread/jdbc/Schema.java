package dev.workflowthread.jdbc;

import dev.workflowthread.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the schema scripts shipped in the jar, and checks the tables the store uses. */
final class Schema {
    /** The scripts in the order they apply; the same names in every database's folder. */
    static final List<String> SCRIPTS = List.of("V1__workflow_thread_tables.sql", "V2__idempotency_keys.sql");
    /** The script that adds {@link #KEY_COLUMN}; run by {@link SchemaMode#CREATE} only while it is missing. */
    static final String KEY_SCRIPT = "V2__idempotency_keys.sql";
    /** The messages' idempotency key column, added by version 2. */
    static final String KEY_COLUMN = "idempotency_key";
    /** Passes over the scripts when another process creates the same tables at the same time. */
    private static final int CREATE_ATTEMPTS = 3;
    /** The Flyway placeholder the scripts hold where the table prefix goes. */
    static final String PREFIX_PLACEHOLDER = "${table_prefix}";

    static final String STATE_COLUMNS = "workflow_id, status, is_paused, pause_requested_at, pause_reason, paused_at,"
            + " redirected_to, status_reason, last_seq, version";
    static final String MESSAGE_COLUMNS = "id, workflow_id, seq, agent_execution_id, message_type, agent_type, content,"
            + " metadata, action_type, action_status, created_at, author";
    static final String LEASE_COLUMNS = "open_seq, lease_owner, lease_expires_at";

    private static final Logger LOG = LoggerFactory.getLogger(Schema.class);

    private final Jdbi jdbi;
    private final JdbcDialect dialect;
    private final Tables tables;

    Schema(Jdbi jdbi, JdbcDialect dialect, Tables tables) {
        this.jdbi = jdbi;
        this.dialect = dialect;
        this.tables = tables;
    }

    void apply(SchemaMode mode) {
        switch (mode) {
            case CREATE -> {
                for (int attempt = 1; ; attempt++) {
                    try {
                        create();
                        break;
                    } catch (JdbiException e) {
                        // Another process may have been creating the same tables at the same
                        // moment (a table it created but not yet altered, on H2, is found and then
                        // not found): the scripts create only what is missing, so a second pass
                        // finishes; if the tables are complete now, that is all that was wanted.
                        LOG.debug("creating the schema failed; checking whether another process created it", e);
                        if (attempt == CREATE_ATTEMPTS) {
                            validate(e);
                            return;
                        }
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(
                                ThreadLocalRandom.current().nextInt(5, 20 * attempt)));
                    }
                }
                validate(null);
            }
            case VALIDATE -> validate(null);
            case NONE -> {
            }
        }
    }

    /**
     * One store of this JVM at a time runs the scripts: H2 deadlocks inside itself when one session
     * alters a table that another one is creating. Processes sharing a database still may race,
     * which {@link #apply} survives.
     */
    private void create() {
        synchronized (Schema.class) {
            runScripts();
        }
    }

    private void runScripts() {
        for (String script : SCRIPTS) {
            if (script.equals(KEY_SCRIPT) && hasColumns(tables.messages(), KEY_COLUMN)) {
                // MySQL cannot add a column only if it is missing: ask first.
                continue;
            }
            List<String> statements = statements(script);
            JdbcThreadStore.inTransaction(jdbi, handle -> {
                for (String statement : statements) {
                    handle.execute(statement);
                }
                return null;
            });
        }
    }

    private void validate(JdbiException creationFailure) {
        check(tables.state(), STATE_COLUMNS + ", created_at", creationFailure);
        check(tables.messages(), MESSAGE_COLUMNS + ", " + LEASE_COLUMNS + ", " + KEY_COLUMN, creationFailure);
    }

    private boolean hasColumns(String table, String columns) {
        try {
            jdbi.useHandle(handle -> handle.createQuery("SELECT " + columns + " FROM " + table + " WHERE 1 = 0")
                    .mapToMap().list());
            return true;
        } catch (JdbiException e) {
            return false;
        }
    }

    private void check(String table, String columns, JdbiException creationFailure) {
        try {
            jdbi.useHandle(handle -> handle.createQuery("SELECT " + columns + " FROM " + table + " WHERE 1 = 0")
                    .mapToMap().list());
        } catch (JdbiException e) {
            StorageException failure = JdbcThreadStore.failure("validate schema: table " + table
                    + " must exist with the columns " + columns + " (schema scripts: classpath:"
                    + dialect.schemaLocation() + ")", e);
            if (creationFailure != null) {
                failure.addSuppressed(creationFailure);
            }
            throw failure;
        }
    }

    /** The statements of one script, with the table prefix in place. */
    List<String> statements(String script) {
        String text = read(dialect.schemaLocation() + "/" + script).replace(PREFIX_PLACEHOLDER, tables.prefix());
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String statement = current.toString().strip();
                statements.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return statements;
    }

    private static String read(String resource) {
        try (InputStream in = Schema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("schema script " + resource + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema script " + resource, e);
        }
    }
}
