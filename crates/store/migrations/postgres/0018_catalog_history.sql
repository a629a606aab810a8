-- Catalog history: what each publish changed, enough to undo it. Each `*_history` row is a row
-- as it was before the publish `publish_id` (an `imports` id) changed it, taken once per
-- publish. A row a publish created has no earlier self: products and offers are known created
-- by their `created_at` (offers record it from now on; 0 for offers from before), reference
-- rows by a row `existed = FALSE`. A picture list is kept whole, with a marker at position -1,
-- so that an empty list comes back empty. Kept `catalog.history_days`.
ALTER TABLE offers ADD COLUMN created_at BIGINT NOT NULL DEFAULT 0;

CREATE TABLE products_history (
    tenant_id            BIGINT  NOT NULL,
    publish_id           BIGINT  NOT NULL,
    external_id          TEXT    NOT NULL,
    name                 TEXT,
    sku                  TEXT,
    description          TEXT,
    unit                 TEXT,
    category_external_id TEXT,
    barcodes             TEXT,
    properties           TEXT,
    requisites           TEXT,
    search_text          TEXT,
    active               BOOLEAN NOT NULL,
    content_hash         TEXT,
    source_hash          TEXT,
    created_at           BIGINT  NOT NULL,
    updated_at           BIGINT  NOT NULL,
    PRIMARY KEY (tenant_id, publish_id, external_id)
);
CREATE INDEX products_history_row ON products_history (tenant_id, external_id, publish_id);

CREATE TABLE offers_history (
    tenant_id           BIGINT  NOT NULL,
    publish_id          BIGINT  NOT NULL,
    external_id         TEXT    NOT NULL,
    product_external_id TEXT    NOT NULL,
    variant_external_id TEXT,
    name                TEXT,
    characteristics     TEXT,
    prices              TEXT,
    stock               TEXT,
    quantity            TEXT,
    active              BOOLEAN NOT NULL,
    content_hash        TEXT,
    source_hash         TEXT,
    created_at          BIGINT  NOT NULL,
    updated_at          BIGINT  NOT NULL,
    PRIMARY KEY (tenant_id, publish_id, external_id)
);
CREATE INDEX offers_history_row ON offers_history (tenant_id, external_id, publish_id);

-- Reference rows (categories, price types, warehouses, properties) as they were; a row
-- `existed = FALSE` (its other columns NULL) was created by the publish.
CREATE TABLE categories_history (
    tenant_id          BIGINT  NOT NULL,
    publish_id         BIGINT  NOT NULL,
    external_id        TEXT    NOT NULL,
    existed            BOOLEAN NOT NULL,
    name               TEXT,
    parent_external_id TEXT,
    position           BIGINT,
    updated_at         BIGINT,
    PRIMARY KEY (tenant_id, publish_id, external_id)
);

CREATE TABLE price_types_history (
    tenant_id   BIGINT  NOT NULL,
    publish_id  BIGINT  NOT NULL,
    external_id TEXT    NOT NULL,
    existed     BOOLEAN NOT NULL,
    name        TEXT,
    currency    TEXT,
    listed_at   BIGINT,
    position    BIGINT,
    PRIMARY KEY (tenant_id, publish_id, external_id)
);

CREATE TABLE warehouses_history (
    tenant_id   BIGINT  NOT NULL,
    publish_id  BIGINT  NOT NULL,
    external_id TEXT    NOT NULL,
    existed     BOOLEAN NOT NULL,
    name        TEXT,
    position    BIGINT,
    PRIMARY KEY (tenant_id, publish_id, external_id)
);

CREATE TABLE properties_history (
    tenant_id   BIGINT  NOT NULL,
    publish_id  BIGINT  NOT NULL,
    external_id TEXT    NOT NULL,
    existed     BOOLEAN NOT NULL,
    name        TEXT,
    value_type  TEXT,
    ref_values  TEXT,
    PRIMARY KEY (tenant_id, publish_id, external_id)
);

CREATE TABLE product_pictures_history (
    tenant_id           BIGINT NOT NULL,
    publish_id          BIGINT NOT NULL,
    product_external_id TEXT   NOT NULL,
    position            BIGINT NOT NULL,
    source              TEXT   NOT NULL,
    content_hash        TEXT   NOT NULL,
    content_type        TEXT   NOT NULL,
    PRIMARY KEY (tenant_id, publish_id, product_external_id, source, position)
);
CREATE INDEX product_pictures_history_row ON product_pictures_history (tenant_id, product_external_id, publish_id);
