-- workflow-thread schema, version 1, for MySQL 8.0.16 and later and MariaDB 10.5 and later.
-- ${table_prefix} is a Flyway placeholder: set it to your table prefix, or to the empty string.
-- Safe to run again: every statement creates only what is missing.
-- utf8mb4 throughout (emoji are four bytes); MEDIUMTEXT for text, since TEXT holds only 65,535 bytes;
-- DATETIME(3) holds UTC times, which the store binds itself, whatever the session's time zone.

CREATE TABLE IF NOT EXISTS ${table_prefix}workflow_thread_state (
    workflow_id        BIGINT       NOT NULL PRIMARY KEY,
    status             VARCHAR(16)  NOT NULL
        CHECK (status IN ('running', 'paused', 'cancelled', 'redirected', 'completed', 'failed')),
    is_paused          BOOLEAN      NOT NULL,
    pause_requested_at DATETIME(3)  NULL,
    pause_reason       MEDIUMTEXT   NULL,
    paused_at          DATETIME(3)  NULL,
    redirected_to      BIGINT       NULL,
    status_reason      MEDIUMTEXT   NULL,
    last_seq           BIGINT       NOT NULL,
    version            BIGINT       NOT NULL,
    created_at         DATETIME(3)  NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ${table_prefix}workflow_messages (
    id                 BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    workflow_id        BIGINT       NOT NULL,
    seq                BIGINT       NOT NULL,
    agent_execution_id BIGINT       NULL,
    message_type       VARCHAR(10)  NOT NULL CHECK (message_type IN ('user', 'agent', 'system')),
    agent_type         VARCHAR(50)  NULL,
    content            MEDIUMTEXT   NOT NULL,
    metadata           JSON         NULL,
    action_type        VARCHAR(16)  NOT NULL
        CHECK (action_type IN ('comment', 'instruction', 'pause', 'resume', 'cancel', 'redirect')),
    action_status      VARCHAR(16)  NOT NULL
        CHECK (action_status IN ('pending', 'acknowledged', 'processed', 'ignored')),
    created_at         DATETIME(3)  NOT NULL,
    author             VARCHAR(255) NULL,
    -- equal to seq while the message is an open (pending or acknowledged) user message, else null:
    -- the index below then finds the open messages of a workflow without reading the closed ones
    open_seq           BIGINT       NULL CHECK (open_seq IS NULL OR open_seq = seq),
    lease_owner        VARCHAR(255) NULL,
    lease_expires_at   DATETIME(3)  NULL,
    UNIQUE KEY workflow_seq (workflow_id, seq),
    KEY workflow_messages_open (workflow_id, open_seq),
    FOREIGN KEY (workflow_id) REFERENCES ${table_prefix}workflow_thread_state (workflow_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
