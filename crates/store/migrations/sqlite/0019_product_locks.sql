-- Fields of a product the shop owner locked: the exchange leaves them as they are (the
-- import never states them) until they are unlocked, when the product is read in full again.
CREATE TABLE product_locks (
    tenant_id           BIGINT NOT NULL REFERENCES tenants (id),
    product_external_id TEXT   NOT NULL,
    field               TEXT   NOT NULL,
    locked_at           BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, product_external_id, field)
);
