package dev.workflowthread.jdbc;

import dev.workflowthread.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the schema scripts shipped in the jar, and checks the tables the store uses. */
final class Schema {
    /** The scripts in the order they apply; the same names in every database's folder. */
    static final List<String> SCRIPTS = List.of("V1__workflow_thread_tables.sql", "V2__idempotency_keys.sql",
            "V3__finished_at.sql");
    /** The messages' idempotency key column, added by version 2. */
    static final String KEY_COLUMN = "idempotency_key";
    /** The Flyway placeholder the scripts hold where the table prefix goes. */
    static final String PREFIX_PLACEHOLDER = "${table_prefix}";
    /** How many times a script is run before its failure counts. */
    private static final int CREATE_ATTEMPTS = 3;
    private static final Object CREATING = new Object();

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
                try {
                    create();
                } catch (JdbiException e) {
                    // Another process may have been creating the same tables at the same moment;
                    // if the tables are complete now, that is all that was wanted.
                    LOG.debug("creating the schema failed; checking whether another process created it", e);
                    validate(e);
                    return;
                }
                validate(null);
            }
            case VALIDATE -> validate(null);
            case NONE -> {
            }
        }
    }

    private void create() {
        // One store at a time per JVM: H2 deadlocks (until its lock timeout) when sessions run
        // ALTER TABLE on one table at once. Other processes still race, and the retries below and
        // the scripts' IF NOT EXISTS take care of that.
        synchronized (CREATING) {
            createScripts();
        }
    }

    private void createScripts() {
        for (String script : SCRIPTS) {
            List<String> statements = statements(script);
            for (int attempt = 1; ; attempt++) {
                try {
                    run(script, statements);
                    break;
                } catch (JdbiException e) {
                    // Another process creating the same schema at the same moment can make a
                    // statement fail (PostgreSQL's catalogue races); run again, it finds it there.
                    if (attempt == CREATE_ATTEMPTS) {
                        throw e;
                    }
                    LOG.debug("{}: attempt {} failed; trying again", script, attempt, e);
                }
            }
        }
    }

    private void run(String script, List<String> statements) {
        Transactions.inTransaction(jdbi, handle -> {
            for (String statement : statements) {
                try {
                    handle.execute(statement);
                } catch (JdbiException e) {
                    // Only where a failed statement leaves the transaction usable (MySQL, MariaDB).
                    if (!dialect.isAlreadyApplied(Transactions.sqlCause(e))) {
                        throw e;
                    }
                    LOG.debug("{}: already applied, passed over: {}", script, e.getMessage());
                }
            }
            return null;
        });
    }

    private void validate(JdbiException creationFailure) {
        check(tables.state(), STATE_COLUMNS + ", created_at, finished_at", creationFailure);
        check(tables.messages(), MESSAGE_COLUMNS + ", " + LEASE_COLUMNS + ", " + KEY_COLUMN, creationFailure);
    }

    private void check(String table, String columns, JdbiException creationFailure) {
        try {
            jdbi.useHandle(handle -> handle.createQuery("SELECT " + columns + " FROM " + table + " WHERE 1 = 0")
                    .mapToMap().list());
        } catch (JdbiException e) {
            StorageException failure = Transactions.failure("validate schema: table " + table
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
