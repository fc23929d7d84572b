package dev.workflowthread.jdbc;

/** What the JDBC store does about its tables when it is built. */
public enum SchemaMode {
    /**
     * Creates the tables and indexes that are missing (the scripts only create what does not
     * exist), then validates. Safe with several processes starting at once. The default.
     */
    CREATE,
    /**
     * Checks that the tables have every column the store uses, and fails with a
     * {@link dev.workflowthread.StorageException} naming what is wrong. For hosts whose migration
     * tool (Flyway, Liquibase) runs the scripts.
     */
    VALIDATE,
    /** Touches nothing and checks nothing. */
    NONE
}
