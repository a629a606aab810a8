-- Tenants are never deleted or renumbered: every shop's rows keep their tenant (PostgreSQL's
-- catalog tables rely on it, checking their tenant once per statement; see its 0022).
CREATE TRIGGER tenants_kept_delete BEFORE DELETE ON tenants
BEGIN
    SELECT RAISE(ABORT, 'tenants are never deleted or renumbered');
END;
CREATE TRIGGER tenants_kept_renumber BEFORE UPDATE OF id ON tenants
BEGIN
    SELECT RAISE(ABORT, 'tenants are never deleted or renumbered');
END;
