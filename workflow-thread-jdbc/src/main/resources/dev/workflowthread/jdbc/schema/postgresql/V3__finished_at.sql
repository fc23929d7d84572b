-- workflow-thread schema, version 3, for PostgreSQL 12 and later: when a workflow finished, for purging old threads.
-- ${table_prefix} is a Flyway placeholder: set it to your table prefix, or to the empty string.
-- Safe to run again: every statement changes only what is missing.
-- finished_at is null while the workflow runs or is paused; the index finds the threads finished
-- before a given time, oldest first, without reading the others.

ALTER TABLE ${table_prefix}workflow_thread_state ADD COLUMN IF NOT EXISTS finished_at TIMESTAMP(3) NULL;

CREATE INDEX IF NOT EXISTS ${table_prefix}workflow_thread_state_finished
    ON ${table_prefix}workflow_thread_state (finished_at, workflow_id);

-- Workflows that finished before this script ran: their newest message is when they finished.
UPDATE ${table_prefix}workflow_thread_state
    SET finished_at = COALESCE((SELECT MAX(m.created_at) FROM ${table_prefix}workflow_messages m
                                WHERE m.workflow_id = ${table_prefix}workflow_thread_state.workflow_id), created_at)
    WHERE finished_at IS NULL AND status IN ('cancelled', 'redirected', 'completed', 'failed');
