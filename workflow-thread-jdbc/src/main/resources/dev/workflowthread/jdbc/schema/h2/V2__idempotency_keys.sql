-- workflow-thread schema, version 2, for H2 2.x: idempotency keys.
-- ${table_prefix} is a Flyway placeholder: set it to your table prefix, or to the empty string.
-- A message sent, narrated or acknowledged under a key is stored once per workflow and key,
-- however often a caller retries it after an "outcome unknown".

ALTER TABLE ${table_prefix}workflow_messages ADD COLUMN IF NOT EXISTS idempotency_key VARCHAR(255) NULL;

CREATE UNIQUE INDEX IF NOT EXISTS ${table_prefix}workflow_messages_key
    ON ${table_prefix}workflow_messages (workflow_id, idempotency_key);
