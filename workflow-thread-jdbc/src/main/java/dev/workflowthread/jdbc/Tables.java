package dev.workflowthread.jdbc;

import java.util.regex.Pattern;

/** The store's table names, made from a validated prefix. */
record Tables(String prefix, String state, String messages) {
    /** The longest prefix that keeps every name within PostgreSQL's and MySQL's 63 characters. */
    static final int MAX_PREFIX_LENGTH = 40;
    private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]*");

    /** The names with {@code prefix}, which must be empty or a lower-case SQL identifier. */
    static Tables withPrefix(String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException("tablePrefix must not be null; use \"\" for none");
        }
        if (!prefix.isEmpty() && (prefix.length() > MAX_PREFIX_LENGTH || !PREFIX.matcher(prefix).matches())) {
            throw new IllegalArgumentException("tablePrefix must be empty or up to " + MAX_PREFIX_LENGTH
                    + " characters of a-z, 0-9 and _, starting with a letter, but was '" + prefix + "'");
        }
        return new Tables(prefix, prefix + "workflow_thread_state", prefix + "workflow_messages");
    }
}
