-- What an import reads first: every item's id, hash and active flag. Covering indexes let it
-- read them without walking each row's long columns (on SQLite those sit before content_hash
-- and spill onto overflow pages), which cost more than half of an unchanged pass.
CREATE INDEX products_states ON products (tenant_id, external_id, content_hash, active);
CREATE INDEX offers_states ON offers (tenant_id, external_id, content_hash, active);
