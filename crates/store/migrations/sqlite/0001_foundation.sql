-- Foundation: tenants and their host names, employees, user groups, permissions, settings.
-- Times are Unix milliseconds (UTC) on both backends so that one SQL text serves both.

CREATE TABLE instance_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE tenants (
    id         INTEGER PRIMARY KEY,
    slug       TEXT    NOT NULL UNIQUE,
    name       TEXT    NOT NULL,
    created_at BIGINT  NOT NULL
);

-- A shop's own domains. Global routing data: a host name belongs to one tenant at most.
CREATE TABLE tenant_hosts (
    host       TEXT    PRIMARY KEY,
    tenant_id  BIGINT  NOT NULL REFERENCES tenants (id),
    created_at BIGINT  NOT NULL
);
CREATE INDEX tenant_hosts_tenant ON tenant_hosts (tenant_id);

CREATE TABLE employees (
    id            INTEGER PRIMARY KEY,
    tenant_id     BIGINT  NOT NULL REFERENCES tenants (id),
    email         TEXT    NOT NULL,
    email_key     TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    admin_access  BOOLEAN NOT NULL,
    is_owner      BOOLEAN NOT NULL,
    blocked       BOOLEAN NOT NULL,
    created_at    BIGINT  NOT NULL,
    updated_at    BIGINT  NOT NULL,
    UNIQUE (tenant_id, email_key),
    UNIQUE (tenant_id, id)
);

CREATE TABLE user_groups (
    id         INTEGER PRIMARY KEY,
    tenant_id  BIGINT  NOT NULL REFERENCES tenants (id),
    name       TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    UNIQUE (tenant_id, name),
    UNIQUE (tenant_id, id)
);

-- Composite foreign keys make a cross-tenant grant or membership impossible, not just unlikely.
CREATE TABLE group_permissions (
    tenant_id  BIGINT NOT NULL,
    group_id   BIGINT NOT NULL,
    permission TEXT   NOT NULL,
    PRIMARY KEY (tenant_id, group_id, permission),
    FOREIGN KEY (tenant_id, group_id) REFERENCES user_groups (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE group_members (
    tenant_id   BIGINT NOT NULL,
    group_id    BIGINT NOT NULL,
    employee_id BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, group_id, employee_id),
    FOREIGN KEY (tenant_id, group_id) REFERENCES user_groups (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX group_members_employee ON group_members (tenant_id, employee_id);

CREATE TABLE tenant_settings (
    tenant_id  BIGINT NOT NULL REFERENCES tenants (id),
    key        TEXT   NOT NULL,
    value      TEXT   NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, key)
);
