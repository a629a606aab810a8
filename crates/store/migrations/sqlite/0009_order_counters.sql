-- The last order number of each shop. Taking the next one updates this row, which on
-- PostgreSQL locks it until the order is stored: simultaneous orders queue instead of
-- colliding on the unique number.
CREATE TABLE order_counters (
    tenant_id BIGINT NOT NULL PRIMARY KEY REFERENCES tenants (id),
    last      BIGINT NOT NULL
);
