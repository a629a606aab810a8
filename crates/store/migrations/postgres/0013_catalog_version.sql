-- A tenant's catalog version: every publish and every settings change bumps it in the same
-- write, so a reader (an instance's in-memory read model, an HTTP ETag) learns in the read it
-- makes anyway (the tenant's row) whether what it holds is current, on every instance.
ALTER TABLE tenants ADD COLUMN catalog_version BIGINT NOT NULL DEFAULT 0;
-- Pictures are served by content hash.
CREATE INDEX product_pictures_hash ON product_pictures (tenant_id, content_hash);
