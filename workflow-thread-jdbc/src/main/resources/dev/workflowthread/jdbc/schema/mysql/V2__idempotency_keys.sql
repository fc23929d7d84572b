-- workflow-thread schema, version 2, for MySQL 8.0 and MariaDB 10.6 and later: idempotency keys.
-- ${table_prefix} is a Flyway placeholder: set it to your table prefix, or to the empty string.
-- A message sent, narrated or acknowledged under a key is stored once per workflow and key,
-- however often a caller retries it after an "outcome unknown". Keys are compared byte for byte.
-- MySQL has no ADD COLUMN IF NOT EXISTS: run again, the ALTER fails with error 1060 (duplicate
-- column) and changes nothing; the store's own schema creation passes over that error.

ALTER TABLE ${table_prefix}workflow_messages
    ADD COLUMN idempotency_key VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    ADD UNIQUE KEY workflow_messages_key (workflow_id, idempotency_key);
