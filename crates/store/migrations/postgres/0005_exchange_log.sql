-- Every call of the exchange endpoint, for the history the shop owner reads: which exchange
-- (session) it belongs to, who and from where, what was asked and what was answered.
CREATE TABLE exchange_log (
    tenant_id    BIGINT NOT NULL REFERENCES tenants (id),
    exchange_key TEXT   NOT NULL,
    at           BIGINT NOT NULL,
    client_ip    TEXT   NOT NULL,
    employee     TEXT,
    kind         TEXT   NOT NULL,
    mode         TEXT   NOT NULL,
    filename     TEXT,
    bytes        BIGINT,
    outcome      TEXT   NOT NULL,
    message      TEXT
);
CREATE INDEX exchange_log_key ON exchange_log (tenant_id, exchange_key, at);
CREATE INDEX exchange_log_at ON exchange_log (tenant_id, at);
