/**
 * The JDBC store: {@link dev.workflowthread.jdbc.JdbcThreadStore} keeps threads in H2,
 * PostgreSQL or MySQL/MariaDB, shared safely by several processes. Its schema scripts ship in the
 * jar under {@code dev/workflowthread/jdbc/schema/<database>/}. Public API: the store, its
 * builder, {@link dev.workflowthread.jdbc.SchemaMode}, {@link dev.workflowthread.jdbc.JdbcDialect}
 * and {@link dev.workflowthread.jdbc.BrokenConnectionEviction}; everything else is internal.
 */
package dev.workflowthread.jdbc;
