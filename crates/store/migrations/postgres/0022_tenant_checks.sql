-- The catalog's two largest tables check that their rows' tenant exists once per statement
-- instead of once per row: a foreign key fires a trigger and locks the tenant's row for each of
-- the hundreds of thousands of rows a first import writes (about a fifth of its time), where
-- one anti-join over the statement's new rows says the same. The guarantee is the foreign
-- key's: a row's tenant exists when it is written, its tenant_id never changes, and a tenant
-- is never deleted or renumbered (tenants_kept, on both databases). The schema test reads
-- `<table>_tenant_known` as the foreign key SQLite keeps.
ALTER TABLE products DROP CONSTRAINT products_tenant_id_fkey;
ALTER TABLE offers DROP CONSTRAINT offers_tenant_id_fkey;

CREATE FUNCTION rows_of_known_tenants() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM (SELECT DISTINCT tenant_id FROM new_rows) AS written
               WHERE NOT EXISTS (SELECT 1 FROM tenants WHERE tenants.id = written.tenant_id)) THEN
        RAISE foreign_key_violation USING
            MESSAGE = format('%s: a row of a tenant that does not exist', TG_TABLE_NAME);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION tenant_id_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.tenant_id IS DISTINCT FROM OLD.tenant_id THEN
        RAISE foreign_key_violation USING
            MESSAGE = format('%s: a row never moves to another tenant', TG_TABLE_NAME);
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER products_tenant_known AFTER INSERT ON products
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rows_of_known_tenants();
CREATE TRIGGER offers_tenant_known AFTER INSERT ON offers
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rows_of_known_tenants();
-- Fires only for an UPDATE that sets tenant_id; the import's upserts never do.
CREATE TRIGGER products_tenant_fixed BEFORE UPDATE OF tenant_id ON products
    FOR EACH ROW EXECUTE FUNCTION tenant_id_fixed();
CREATE TRIGGER offers_tenant_fixed BEFORE UPDATE OF tenant_id ON offers
    FOR EACH ROW EXECUTE FUNCTION tenant_id_fixed();

CREATE FUNCTION tenants_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE foreign_key_violation USING MESSAGE = 'tenants are never deleted or renumbered';
END $$;
CREATE TRIGGER tenants_kept BEFORE DELETE OR UPDATE OF id ON tenants
    FOR EACH ROW EXECUTE FUNCTION tenants_kept();
