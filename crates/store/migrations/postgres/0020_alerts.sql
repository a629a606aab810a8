-- Alerts. An incident is open from the moment its condition is seen until it clears (at most
-- one open incident of a kind per shop); its opening and its clearing are each one message
-- per channel the shop set up, delivered with retries and logged.
CREATE TABLE alert_incidents (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   BIGINT NOT NULL REFERENCES tenants (id),
    kind        TEXT   NOT NULL,
    detail      TEXT   NOT NULL,
    opened_at   BIGINT NOT NULL,
    cleared_at  BIGINT
);
CREATE UNIQUE INDEX alert_incidents_open ON alert_incidents (tenant_id, kind) WHERE cleared_at IS NULL;

CREATE TABLE alert_deliveries (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id    BIGINT NOT NULL REFERENCES tenants (id),
    incident_id  BIGINT,
    channel      TEXT   NOT NULL,
    event        TEXT   NOT NULL,
    -- What is sent: the webhook's JSON body, or the e-mail's subject and text.
    payload      TEXT   NOT NULL,
    attempts     BIGINT NOT NULL,
    next_at      BIGINT NOT NULL,
    lease_until  BIGINT NOT NULL,
    delivered_at BIGINT,
    -- Given up after the last attempt.
    failed_at    BIGINT,
    last_error   TEXT,
    created_at   BIGINT NOT NULL
);
CREATE INDEX alert_deliveries_due ON alert_deliveries (next_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX alert_deliveries_tenant ON alert_deliveries (tenant_id, id);
