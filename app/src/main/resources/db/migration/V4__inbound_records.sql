-- Provider webhook events already processed: the idempotency and replay guard. signature_hash is the SHA-256 of
-- the signature header that delivered the event, so an exact replay can be told from a fresh redelivery.
CREATE TABLE processed_event (
    provider       VARCHAR(20)              NOT NULL,
    event_id       VARCHAR(255)             NOT NULL,
    event_type     VARCHAR(100)             NOT NULL,
    signature_hash VARCHAR(64)              NOT NULL,
    received_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    records        INT                      NOT NULL,
    outcome        VARCHAR(1000),
    PRIMARY KEY (provider, event_id)
);

-- Every record that arrived over HTTP (JSON ingest, webhooks, real-time events), written before the request is
-- acknowledged: the durable journal of accepted input. One row per entity kind and key (latest content wins).
CREATE TABLE inbound_record (
    entity_kind  VARCHAR(40)              NOT NULL,
    record_key   VARCHAR(300)             NOT NULL,
    customer_id  VARCHAR(255),
    channel      VARCHAR(20)              NOT NULL,
    source       VARCHAR(300)             NOT NULL,
    content_hash BIGINT                   NOT NULL,
    fields       VARCHAR(100000)          NOT NULL,
    received_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (entity_kind, record_key)
);
CREATE INDEX inbound_record_customer_ix ON inbound_record (customer_id);
