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
