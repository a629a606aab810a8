-- The catalog the exchange fills. An import stages a file in temporary tables of its own
-- session (see the store's import session) and publishes it in one short transaction.
-- Amounts and quantities are canonical decimal strings; lists are JSON text read only by the API.

CREATE TABLE categories (
    tenant_id          BIGINT NOT NULL REFERENCES tenants (id),
    external_id        TEXT   NOT NULL,
    name               TEXT   NOT NULL,
    parent_external_id TEXT,
    position           BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, external_id)
);

CREATE TABLE products (
    tenant_id            BIGINT  NOT NULL REFERENCES tenants (id),
    external_id          TEXT    NOT NULL,
    name                 TEXT,
    sku                  TEXT,
    description          TEXT,
    unit                 TEXT,
    -- '' = in no category; NULL = never said.
    category_external_id TEXT,
    barcodes             TEXT,
    properties           TEXT,
    requisites           TEXT,
    search_text          TEXT,
    active               BOOLEAN NOT NULL,
    -- Hash of the row as the last full document wrote it; NULL after any partial change.
    content_hash         TEXT,
    created_at           BIGINT  NOT NULL,
    updated_at           BIGINT  NOT NULL,
    PRIMARY KEY (tenant_id, external_id)
);
CREATE INDEX products_category ON products (tenant_id, category_external_id);

-- Offers: a product's own (variant_external_id NULL) and its variants (`product#variant`).
CREATE TABLE offers (
    tenant_id            BIGINT  NOT NULL REFERENCES tenants (id),
    external_id          TEXT    NOT NULL,
    product_external_id  TEXT    NOT NULL,
    variant_external_id  TEXT,
    name                 TEXT,
    characteristics      TEXT,
    prices               TEXT,
    stock                TEXT,
    quantity             TEXT,
    active               BOOLEAN NOT NULL,
    content_hash         TEXT,
    updated_at           BIGINT  NOT NULL,
    PRIMARY KEY (tenant_id, external_id)
);
CREATE INDEX offers_product ON offers (tenant_id, product_external_id);

CREATE TABLE price_types (
    tenant_id   BIGINT NOT NULL REFERENCES tenants (id),
    external_id TEXT   NOT NULL,
    name        TEXT   NOT NULL,
    currency    TEXT,
    -- Which document listed it last, and where in that list.
    listed_at   BIGINT NOT NULL,
    position    BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, external_id)
);

CREATE TABLE warehouses (
    tenant_id   BIGINT NOT NULL REFERENCES tenants (id),
    external_id TEXT   NOT NULL,
    name        TEXT   NOT NULL,
    position    BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, external_id)
);

-- Product properties (`Свойство`), with their reference-book values as JSON {id: text}.
CREATE TABLE properties (
    tenant_id   BIGINT NOT NULL REFERENCES tenants (id),
    external_id TEXT   NOT NULL,
    name        TEXT   NOT NULL,
    value_type  TEXT,
    ref_values  TEXT   NOT NULL,
    PRIMARY KEY (tenant_id, external_id)
);

CREATE TABLE product_pictures (
    tenant_id           BIGINT NOT NULL REFERENCES tenants (id),
    product_external_id TEXT   NOT NULL,
    position            BIGINT NOT NULL,
    source              TEXT   NOT NULL,
    content_hash        TEXT   NOT NULL,
    content_type        TEXT   NOT NULL,
    PRIMARY KEY (tenant_id, product_external_id, source, position)
);

-- Imports: one row per file applied (or being applied). A running import keeps heartbeat_at
-- fresh and names its process in owner (host:pid); one whose heartbeat stopped, or whose
-- process is gone, was interrupted (a crash) and is failed by the next.
CREATE TABLE imports (
    id          INTEGER PRIMARY KEY,
    tenant_id   BIGINT NOT NULL REFERENCES tenants (id),
    file_name   TEXT   NOT NULL,
    state       TEXT   NOT NULL,
    owner       TEXT   NOT NULL,
    started_at  BIGINT NOT NULL,
    heartbeat_at BIGINT NOT NULL,
    finished_at BIGINT,
    report      TEXT,
    UNIQUE (tenant_id, id)
);
