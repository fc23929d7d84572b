-- workflow-thread schema, version 3, for MySQL 8.0.16 and later and MariaDB 10.5 and later: when a
-- workflow finished, for purging old threads.
-- ${table_prefix} is a Flyway placeholder: set it to your table prefix, or to the empty string.
-- MySQL has no ADD COLUMN IF NOT EXISTS: run again, the ALTER fails with error 1060 (duplicate
-- column), which the store's own schema creation passes over; it adds the column and its index in
-- one statement, so they come together or not at all. The UPDATE is safe to run again.
-- finished_at is null while the workflow runs or is paused; the index finds the threads finished
-- before a given time, oldest first, without reading the others.

ALTER TABLE ${table_prefix}workflow_thread_state
    ADD COLUMN finished_at DATETIME(3) NULL,
    ADD KEY workflow_thread_state_finished (finished_at, workflow_id);

-- Workflows that finished before this script ran: their newest message is when they finished.
UPDATE ${table_prefix}workflow_thread_state
    SET finished_at = COALESCE((SELECT MAX(m.created_at) FROM ${table_prefix}workflow_messages m
                                WHERE m.workflow_id = ${table_prefix}workflow_thread_state.workflow_id), created_at)
    WHERE finished_at IS NULL AND status IN ('cancelled', 'redirected', 'completed', 'failed');
