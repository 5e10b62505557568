-- Remediation (DESIGN.md §8): durable action jobs, playbooks, e-mail templates, outbound webhook subscriptions,
-- the write-ahead record of payment retries, and recoveries. One dialect for H2 (PostgreSQL mode) and PostgreSQL.

-- db-scheduler's table (its documented PostgreSQL schema; VARCHAR instead of TEXT so that H2 runs it too).
CREATE TABLE scheduled_tasks (
    task_name            VARCHAR(100)             NOT NULL,
    task_instance        VARCHAR(255)             NOT NULL,
    task_data            BYTEA,
    execution_time       TIMESTAMP WITH TIME ZONE NOT NULL,
    picked               BOOLEAN                  NOT NULL,
    picked_by            VARCHAR(50),
    last_success         TIMESTAMP WITH TIME ZONE,
    last_failure         TIMESTAMP WITH TIME ZONE,
    consecutive_failures INT,
    last_heartbeat       TIMESTAMP WITH TIME ZONE,
    version              BIGINT                   NOT NULL,
    priority             SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority, execution_time);

-- One action on one finding. idempotency_key = finding id + action + attempt: fixed when the action is created, so
-- every re-run of the job (retry, revived dead execution) presents the same key to the outside world.
CREATE TABLE remediation_actions (
    id              VARCHAR(64)              NOT NULL PRIMARY KEY,
    finding_id      VARCHAR(255)             NOT NULL REFERENCES findings (id),
    action          VARCHAR(32)              NOT NULL,  -- retry_payment, notify_customer, create_ticket, ...
    target          VARCHAR(255),                       -- ticket system, template name, ... (action-specific)
    playbook_step   INT,                                -- position in the category's playbook; null when started by hand
    status          VARCHAR(20)              NOT NULL,  -- pending_approval, scheduled, running, succeeded, failed, cancelled, skipped
    attempt         INT                      NOT NULL,
    idempotency_key VARCHAR(255)             NOT NULL,
    due_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by      VARCHAR(200)             NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    approved_by     VARCHAR(200),
    executions      INT                      NOT NULL,
    outcome         VARCHAR(4096),
    external_ref    VARCHAR(1024),
    last_error      VARCHAR(4096),
    finished_at     TIMESTAMP WITH TIME ZONE,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT uq_remediation_actions_key UNIQUE (idempotency_key)
);
CREATE INDEX ix_remediation_actions_finding ON remediation_actions (finding_id, created_at);
CREATE INDEX ix_remediation_actions_status ON remediation_actions (status, due_at);

-- Write-ahead record of a payment retry: committed BEFORE the provider is called, so a process killed between the
-- request and the answer leaves the key behind and the re-run sends the same Idempotency-Key again.
CREATE TABLE payment_intents (
    idempotency_key VARCHAR(255)             NOT NULL PRIMARY KEY,
    action_id       VARCHAR(64)              NOT NULL REFERENCES remediation_actions (id),
    finding_id      VARCHAR(255)             NOT NULL,
    invoice_id      VARCHAR(255)             NOT NULL,
    state           VARCHAR(16)              NOT NULL,  -- sending, paid, declined, rejected
    sends           INT                      NOT NULL,
    first_sent_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_sent_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    answered_at     TIMESTAMP WITH TIME ZONE,
    amount_paid_minor BIGINT,
    detail          VARCHAR(4096)
);
CREATE INDEX ix_payment_intents_finding ON payment_intents (finding_id);

-- Playbooks: per category, whether new findings start it on their own, and how long without progress escalates.
CREATE TABLE playbooks (
    category            VARCHAR(32)              NOT NULL PRIMARY KEY,
    auto_start          BOOLEAN                  NOT NULL,
    escalate_after_days INT,
    updated_by          VARCHAR(200)             NOT NULL,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Ordered steps; wait_days counts from the end of the previous step (or the start). decline_class limits a step of a
-- FAILED_PAYMENT playbook to findings whose last decline has that class (soft, hard, authentication, fraud, unknown).
CREATE TABLE playbook_steps (
    category       VARCHAR(32)  NOT NULL REFERENCES playbooks (category),
    position       INT          NOT NULL,
    action         VARCHAR(32)  NOT NULL,
    target         VARCHAR(255),
    wait_days      INT          NOT NULL,
    needs_approval BOOLEAN      NOT NULL,
    decline_class  VARCHAR(16),
    PRIMARY KEY (category, position)
);

-- Customer e-mail templates, editable by admins. {{placeholders}} are filled from the finding and customer.
CREATE TABLE email_templates (
    name       VARCHAR(100)             NOT NULL PRIMARY KEY,
    subject    VARCHAR(1000)            NOT NULL,
    body       VARCHAR(100000)          NOT NULL,
    updated_by VARCHAR(200)             NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Subscribers of outbound webhooks. The secret signs deliveries (HMAC-SHA256); it is never listed back or logged.
CREATE TABLE webhook_subscriptions (
    id         VARCHAR(64)              NOT NULL PRIMARY KEY,
    url        VARCHAR(2048)            NOT NULL,
    secret     VARCHAR(255)             NOT NULL,
    events     VARCHAR(1000)            NOT NULL,  -- comma-separated: finding.created, finding.updated, action.completed
    enabled    BOOLEAN                  NOT NULL,
    created_by VARCHAR(200)             NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- One event to one subscriber; each is a durable job. The id doubles as the delivery's idempotency key.
CREATE TABLE webhook_deliveries (
    id              VARCHAR(64)              NOT NULL PRIMARY KEY,
    subscription_id VARCHAR(64)              NOT NULL REFERENCES webhook_subscriptions (id),
    event           VARCHAR(64)              NOT NULL,
    payload         VARCHAR(1000000)         NOT NULL,
    status          VARCHAR(16)              NOT NULL,  -- pending, delivered, failed
    attempts        INT                      NOT NULL,
    last_error      VARCHAR(4096),
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    delivered_at    TIMESTAMP WITH TIME ZONE
);
CREATE INDEX ix_webhook_deliveries_status ON webhook_deliveries (status, created_at);

-- Money that came back: one row per recovered finding, with the amount, when and what showed it.
CREATE TABLE recoveries (
    finding_id   VARCHAR(255)             NOT NULL PRIMARY KEY REFERENCES findings (id),
    recovered_at TIMESTAMP WITH TIME ZONE NOT NULL,
    amount_minor BIGINT                   NOT NULL,
    currency     CHAR(3)                  NOT NULL,
    source       VARCHAR(64)              NOT NULL,  -- payment, credit_note, corrected_invoice, stripe_retry, analyst
    reference    VARCHAR(1024)
);
CREATE INDEX ix_recoveries_at ON recoveries (recovered_at);
