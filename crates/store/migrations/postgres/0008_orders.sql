-- Storefront orders, their lines and their status history. `revision` grows with every change
-- made on the site; `type=sale&mode=query` sends orders whose revision is past the exported
-- one and remembers what it sent (`sent_revision`); `mode=success` makes that exported.
CREATE TABLE orders (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id          BIGINT  NOT NULL REFERENCES tenants (id),
    number             TEXT    NOT NULL,
    status             TEXT    NOT NULL,
    customer_name      TEXT    NOT NULL,
    customer_phone     TEXT    NOT NULL,
    customer_email     TEXT    NOT NULL,
    address            TEXT    NOT NULL,
    comment            TEXT    NOT NULL,
    currency           TEXT,
    total              TEXT    NOT NULL,
    -- The capability the customer's status URL carries.
    status_token       TEXT    NOT NULL,
    idempotency_key    TEXT,
    request_hash       TEXT,
    accounting_number  TEXT,
    paid               BOOLEAN NOT NULL,
    shipped            BOOLEAN NOT NULL,
    revision           BIGINT  NOT NULL,
    sent_revision      BIGINT  NOT NULL,
    exported_revision  BIGINT  NOT NULL,
    created_at         BIGINT  NOT NULL,
    updated_at         BIGINT  NOT NULL,
    UNIQUE (tenant_id, id),
    UNIQUE (tenant_id, number),
    UNIQUE (tenant_id, idempotency_key),
    UNIQUE (status_token)
);

CREATE TABLE order_lines (
    tenant_id   BIGINT NOT NULL,
    order_id    BIGINT NOT NULL,
    position    BIGINT NOT NULL,
    external_id TEXT   NOT NULL,
    name        TEXT   NOT NULL,
    sku         TEXT   NOT NULL,
    unit        TEXT,
    quantity    TEXT   NOT NULL,
    price       TEXT   NOT NULL,
    sum         TEXT   NOT NULL,
    PRIMARY KEY (tenant_id, order_id, position),
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);

CREATE TABLE order_history (
    tenant_id BIGINT NOT NULL,
    order_id  BIGINT NOT NULL,
    at        BIGINT NOT NULL,
    status    TEXT   NOT NULL,
    actor     TEXT   NOT NULL,
    note      TEXT,
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX order_history_order ON order_history (tenant_id, order_id, at);
