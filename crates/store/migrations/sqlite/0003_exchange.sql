-- Exchange sessions: what `checkauth` hands out (as a cookie and `sessid`) and later calls
-- present. Only a SHA-256 of the token is stored.
CREATE TABLE exchange_sessions (
    tenant_id    BIGINT NOT NULL REFERENCES tenants (id),
    token_hash   TEXT   NOT NULL,
    employee_id  BIGINT NOT NULL,
    client_ip    TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, token_hash),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id)
);
