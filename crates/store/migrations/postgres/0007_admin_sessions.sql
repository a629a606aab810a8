-- Sign-ins to the admin panel. Only the SHA-256 of the cookie's token is kept; the employee
-- is re-read on every request, so blocking them or taking their access ends the session.
CREATE TABLE admin_sessions (
    tenant_id    BIGINT NOT NULL REFERENCES tenants (id),
    token_hash   TEXT   NOT NULL,
    employee_id  BIGINT NOT NULL,
    client_ip    TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, token_hash),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id)
);
