-- The digest of the bytes a full document stated a row with, mixed with what else the row is
-- made from (see the server's catalog/import/digest.rs): the next pass steps over an item whose
-- bytes bring the same digest without reading it. content_hash stays the hash of what the row
-- says, so a change of circumstances (a reference value renamed) that leaves a row as it was
-- is not counted as a change.
ALTER TABLE products ADD COLUMN source_hash TEXT;
ALTER TABLE offers ADD COLUMN source_hash TEXT;
-- The states an import reads first now carry it: the covering indexes of 0014, widened.
DROP INDEX products_states;
DROP INDEX offers_states;
CREATE INDEX products_states ON products (tenant_id, external_id, content_hash, source_hash, active);
CREATE INDEX offers_states ON offers (tenant_id, external_id, content_hash, source_hash, active);
