-- Orders as accounting systems expect them: the buyer a person or a company, delivery,
-- payment method, discounts on lines and on the order, and the shop's own fields.
ALTER TABLE orders ADD COLUMN customer_kind TEXT NOT NULL DEFAULT 'person';
ALTER TABLE orders ADD COLUMN company_inn TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN company_kpp TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN legal_address TEXT NOT NULL DEFAULT '';
-- NULL: no delivery line.
ALTER TABLE orders ADD COLUMN delivery_price TEXT;
ALTER TABLE orders ADD COLUMN delivery_method TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN delivery_address TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN payment_method TEXT NOT NULL DEFAULT '';
-- The order's own discount: the percent asked for (if one was) and the amount it came to,
-- spread over the lines (order_lines.order_discount).
ALTER TABLE orders ADD COLUMN discount_percent TEXT;
ALTER TABLE orders ADD COLUMN discount_amount TEXT NOT NULL DEFAULT '0';
-- The shop's own fields: a JSON object of names to values.
ALTER TABLE orders ADD COLUMN extra TEXT NOT NULL DEFAULT '{}';
-- When the revision waiting to go out was made (updated_at also moves on changes that come
-- back from the accounting system).
ALTER TABLE orders ADD COLUMN changed_at BIGINT NOT NULL DEFAULT 0;
UPDATE orders SET changed_at = updated_at;

ALTER TABLE order_lines ADD COLUMN discount_percent TEXT;
ALTER TABLE order_lines ADD COLUMN line_discount TEXT NOT NULL DEFAULT '0';
ALTER TABLE order_lines ADD COLUMN order_discount TEXT NOT NULL DEFAULT '0';

-- Every status value and flag the accounting system sent, and the site status the shop maps
-- it to (`unmapped` until decided, `keep` for none).
CREATE TABLE order_status_values (
    tenant_id   BIGINT NOT NULL REFERENCES tenants (id),
    requisite   TEXT   NOT NULL,
    value       TEXT   NOT NULL,
    site_status TEXT   NOT NULL,
    seen        BIGINT NOT NULL,
    first_seen  BIGINT NOT NULL,
    last_seen   BIGINT NOT NULL,
    PRIMARY KEY (tenant_id, requisite, value)
);

-- An order's journey: placed, sent (in which exchange), confirmed, each change that came back
-- (file, line, the values it carried) and each change made on the site.
CREATE TABLE order_journey (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id    BIGINT NOT NULL,
    order_id     BIGINT NOT NULL,
    at           BIGINT NOT NULL,
    step         TEXT   NOT NULL,
    revision     BIGINT NOT NULL,
    exchange_key TEXT,
    file         TEXT,
    line         BIGINT,
    actor        TEXT   NOT NULL,
    detail       TEXT   NOT NULL,
    FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
CREATE INDEX order_journey_order ON order_journey (tenant_id, order_id, id);

-- One setting for orders not picked up: the list's flag and the alert.
UPDATE tenant_settings SET key = 'orders.pickup_alert_hours' WHERE key = 'alerts.orders_waiting_hours';
