-- Upload batches: `init` opens one per exchange session; `file` calls add parts of named
-- files to it. The bytes live in the file store; these rows count them against the limits.
CREATE TABLE exchange_batches (
    -- AUTOINCREMENT: ids of forgotten batches are never handed out again (file keys use them).
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id    BIGINT NOT NULL REFERENCES tenants (id),
    session_hash TEXT   NOT NULL,
    bytes        BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    UNIQUE (tenant_id, id)
);
CREATE INDEX exchange_batches_session ON exchange_batches (tenant_id, session_hash);

CREATE TABLE exchange_files (
    tenant_id  BIGINT NOT NULL,
    batch_id   BIGINT NOT NULL,
    name       TEXT   NOT NULL,
    parts      BIGINT NOT NULL,
    bytes      BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, batch_id, name),
    FOREIGN KEY (tenant_id, batch_id) REFERENCES exchange_batches (tenant_id, id)
);

-- `import` calls: one background job per file of a batch; the client polls it.
CREATE TABLE exchange_jobs (
    tenant_id   BIGINT NOT NULL,
    batch_id    BIGINT NOT NULL,
    name        TEXT   NOT NULL,
    state       TEXT   NOT NULL,
    owner       TEXT   NOT NULL,
    message     TEXT,
    started_at  BIGINT NOT NULL,
    finished_at BIGINT,
    PRIMARY KEY (tenant_id, batch_id, name),
    FOREIGN KEY (tenant_id, batch_id) REFERENCES exchange_batches (tenant_id, id)
);
