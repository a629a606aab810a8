//! Catalog history: each publish keeps the rows it changes as they were (`*_history`, by the
//! publish's import id), and a rollback brings the catalog back to how it was before a publish
//! from the earliest rows kept since, itself kept like a publish so that it can be undone.
//!
//! Rows kept: products and offers a publish writes (on PostgreSQL as they are written, see
//! `write_live_keeping`; on SQLite from staging), rows it deactivates, categories it changes
//! or creates, and picture lists it replaces. A row created since has no earlier self and is
//! removed (`created_at`). Rows a card recreated by its SKU moved (`match_by_sku` renames) are
//! not kept: a rollback across one leaves the card under its new id.

use crate::{Db, StoreError, TenantId, now_millis};

use super::reference::NewCategory;
use super::rows::{StagedOffer, StagedProduct};
use super::staging::{FINISH_IMPORT, ImportId, ImportSession, SessionConnection};

/// Picture lists of products the publish restates, kept whole (`$1` tenant, `$2` publish).
pub(crate) const KEEP_PICTURES: [&str; 2] = [
    "INSERT INTO product_pictures_history (tenant_id, publish_id, product_external_id, position, \
     source, content_hash, content_type) SELECT tenant_id, CAST($2 AS BIGINT), product_external_id, \
     position, source, content_hash, content_type FROM product_pictures WHERE tenant_id = $1 \
     AND product_external_id IN (SELECT product_external_id FROM staged_pictures) ON CONFLICT DO NOTHING",
    // The list's marker: kept even when it was empty.
    "INSERT INTO product_pictures_history (tenant_id, publish_id, product_external_id, position, \
     source, content_hash, content_type) SELECT CAST($1 AS BIGINT), CAST($2 AS BIGINT), \
     product_external_id, -1, '', '', '' FROM (SELECT DISTINCT product_external_id FROM staged_pictures) s \
     WHERE TRUE ON CONFLICT DO NOTHING",
];

/// Restated picture lists that are the live exchange list already (and, with `$2` — every
/// source replaced — the product's only pictures) are left out: a pass that restates every
/// list rewrites and keeps only those that changed.
pub(crate) const DROP_UNCHANGED_PICTURES: &str = "DELETE FROM staged_pictures WHERE product_external_id IN \
    (SELECT s.product_external_id FROM staged_pictures s LEFT JOIN product_pictures p \
    ON p.tenant_id = $1 AND p.product_external_id = s.product_external_id AND p.source = 'exchange' \
    AND p.position = s.position AND p.content_hash = s.content_hash \
    GROUP BY s.product_external_id HAVING COUNT(p.position) = COUNT(*) \
    AND COUNT(*) = (SELECT COUNT(*) FROM product_pictures a WHERE a.tenant_id = $1 \
    AND a.product_external_id = s.product_external_id AND (a.source = 'exchange' OR CAST($2 AS BOOLEAN))))";

/// The categories as they are, to keep those a publish changes.
pub(crate) const CATEGORIES_NOW: &str = "SELECT external_id, name, parent_external_id, position, updated_at \
    FROM categories WHERE tenant_id = $1";

/// What a rollback did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RolledBack {
    /// The publish the catalog went back to before.
    pub before: ImportId,
    pub products_restored: u64,
    pub products_removed: u64,
    pub offers_restored: u64,
    pub offers_removed: u64,
    pub categories: u64,
    pub picture_lists: u64,
}

/// One publish of the history.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Publish {
    pub id: ImportId,
    pub file_name: String,
    /// What asked for it (`exchange:…`, `rollback:…`).
    pub source: Option<String>,
    /// Unix ms.
    pub finished_at: i64,
    /// Its report (JSON).
    pub report: Option<String>,
}

/// A table of reference rows keyed by `external_id` within the tenant, kept in
/// `{table}_history` as its rows were (`existed = FALSE` for one a publish created).
pub(crate) struct Reference {
    pub table: &'static str,
    pub columns: &'static [&'static str],
}

/// The catalog's reference tables.
pub(crate) const CATEGORIES: Reference = Reference {
    table: "categories",
    columns: &["name", "parent_external_id", "position", "updated_at"],
};
pub(crate) const REFERENCES: [Reference; 4] = [
    CATEGORIES,
    Reference {
        table: "price_types",
        columns: &["name", "currency", "listed_at", "position"],
    },
    Reference {
        table: "warehouses",
        columns: &["name", "position"],
    },
    Reference {
        table: "properties",
        columns: &["name", "value_type", "ref_values"],
    },
];

impl Reference {
    /// Keeps the rows of `ids` ids bound from `$3` (`$1` tenant, `$2` publish): those that exist
    /// as they are, then the others as not existing.
    pub(crate) fn keep(&self, ids: usize) -> [String; 2] {
        let (table, columns) = (self.table, self.columns.join(", "));
        let places: Vec<String> = (3..3 + ids).map(|n| format!("${n}")).collect();
        let markers: Vec<String> = places
            .iter()
            .map(|p| format!("($1, $2, {p}, FALSE)"))
            .collect();
        [
            format!(
                "INSERT INTO {table}_history (tenant_id, publish_id, external_id, existed, {columns}) \
                 SELECT tenant_id, CAST($2 AS BIGINT), external_id, TRUE, {columns} FROM {table} \
                 WHERE tenant_id = $1 AND external_id IN ({}) ON CONFLICT DO NOTHING",
                places.join(", ")
            ),
            format!(
                "INSERT INTO {table}_history (tenant_id, publish_id, external_id, existed) VALUES {} \
                 ON CONFLICT DO NOTHING",
                markers.join(", ")
            ),
        ]
    }

    /// A rollback keeps the rows kept since publish `$3` as they are now (`$1` tenant, `$2`
    /// the rollback).
    fn keep_for_rollback(&self) -> String {
        let table = self.table;
        let columns: Vec<String> = self.columns.iter().map(|c| format!("c.{c}")).collect();
        format!(
            "INSERT INTO {table}_history (tenant_id, publish_id, external_id, existed, {}) \
             SELECT k.tenant_id, CAST($2 AS BIGINT), k.external_id, c.external_id IS NOT NULL, {} \
             FROM (SELECT DISTINCT tenant_id, external_id FROM {table}_history \
             WHERE tenant_id = $1 AND publish_id >= $3) k LEFT JOIN {table} c \
             ON c.tenant_id = k.tenant_id AND c.external_id = k.external_id WHERE TRUE ON CONFLICT DO NOTHING",
            self.columns.join(", "),
            columns.join(", ")
        )
    }

    /// Rows back as the earliest kept since publish `$2` (`$1` tenant): removed if it did not
    /// exist, else as it was.
    fn restore(&self) -> [String; 2] {
        let (table, columns) = (self.table, self.columns.join(", "));
        let earliest = format!(
            "h.tenant_id = $1 AND h.publish_id >= $2 AND NOT EXISTS (SELECT 1 FROM {table}_history e \
             WHERE e.tenant_id = $1 AND e.external_id = h.external_id AND e.publish_id >= $2 \
             AND e.publish_id < h.publish_id)"
        );
        let overwrite: Vec<String> = self
            .columns
            .iter()
            .map(|c| format!("{c} = excluded.{c}"))
            .collect();
        [
            format!(
                "DELETE FROM {table} WHERE tenant_id = $1 AND external_id IN \
                 (SELECT h.external_id FROM {table}_history h WHERE {earliest} AND NOT h.existed)"
            ),
            format!(
                "INSERT INTO {table} (tenant_id, external_id, {columns}) SELECT tenant_id, external_id, \
                 {columns} FROM {table}_history h WHERE {earliest} AND h.existed \
                 ON CONFLICT (tenant_id, external_id) DO UPDATE SET {}",
                overwrite.join(", ")
            ),
        ]
    }
}

/// The ids of the categories of `wanted` that differ from `now` (or are new): only those are
/// written and kept.
pub(crate) fn changed_categories(
    now: Vec<(String, String, Option<String>, i64, i64)>,
    wanted: &[NewCategory],
) -> Vec<&NewCategory> {
    let now: std::collections::HashMap<String, (String, Option<String>, i64)> = now
        .into_iter()
        .map(|(id, name, parent, position, _)| (id, (name, parent, position)))
        .collect();
    wanted
        .iter()
        .filter(|c| {
            now.get(&c.external_id)
                != Some(&(c.name.clone(), c.parent_external_id.clone(), c.position))
        })
        .collect()
}

/// Keeps the rows of `$ids` of the reference table `$reference` as publish `$publish` found
/// them. Expanded per backend inside a transaction `$tx`.
macro_rules! keep_reference {
    ($tx:expr, $tenant:expr, $publish:expr, $reference:expr, $ids:expr) => {
        let ids: Vec<&str> = $ids;
        for chunk in ids.chunks(500) {
            for sql in $reference.keep(chunk.len()) {
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind($tenant)
                    .bind($publish);
                for id in chunk {
                    query = query.bind(*id);
                }
                query.execute(&mut *$tx).await?;
            }
        }
    };
}
pub(crate) use keep_reference;

/// The rollback's statements on pictures (`$1` tenant, `$2` the rollback,
/// `$3` the publish rolled back to before, `$4` its start), in order.
const ROLLBACK_KEEP: [&str; 3] = [
    // Picture lists it will replace: those kept since and those of products created since.
    "INSERT INTO product_pictures_history (tenant_id, publish_id, product_external_id, position, \
     source, content_hash, content_type) SELECT tenant_id, CAST($2 AS BIGINT), product_external_id, \
     position, source, content_hash, content_type FROM product_pictures WHERE tenant_id = $1 \
     AND product_external_id IN (SELECT product_external_id FROM product_pictures_history \
     WHERE tenant_id = $1 AND publish_id >= $3 UNION SELECT external_id FROM products \
     WHERE tenant_id = $1 AND created_at >= $4) ON CONFLICT DO NOTHING",
    "INSERT INTO product_pictures_history (tenant_id, publish_id, product_external_id, position, \
     source, content_hash, content_type) SELECT CAST($1 AS BIGINT), CAST($2 AS BIGINT), t.id, -1, '', '', '' \
     FROM (SELECT product_external_id AS id FROM product_pictures_history WHERE tenant_id = $1 \
     AND publish_id >= $3 UNION SELECT external_id FROM products WHERE tenant_id = $1 \
     AND created_at >= $4) t WHERE TRUE ON CONFLICT DO NOTHING",
    "DELETE FROM product_pictures WHERE tenant_id = $1 AND product_external_id IN \
     (SELECT product_external_id FROM product_pictures_history WHERE tenant_id = $1 AND publish_id = $2)",
];

/// Picture lists back as the earliest kept since publish `$2` (`$1` tenant).
const ROLLBACK_RESTORE: [&str; 1] = [
    "INSERT INTO product_pictures (tenant_id, product_external_id, position, source, content_hash, \
     content_type) SELECT tenant_id, product_external_id, position, source, content_hash, content_type \
     FROM product_pictures_history h WHERE h.tenant_id = $1 AND h.position >= 0 \
     AND h.publish_id = (SELECT MIN(e.publish_id) FROM product_pictures_history e \
     WHERE e.tenant_id = $1 AND e.product_external_id = h.product_external_id AND e.publish_id >= $2) \
     AND EXISTS (SELECT 1 FROM products p WHERE p.tenant_id = $1 AND p.external_id = h.product_external_id)",
];

/// The history's tables, for pruning.
const TABLES: [&str; 7] = [
    "products_history",
    "offers_history",
    "categories_history",
    "price_types_history",
    "warehouses_history",
    "properties_history",
    "product_pictures_history",
];

impl Db {
    /// The tenant's publishes (imports that committed, rollbacks among them) since `since`
    /// (Unix ms), newest first.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn publishes(
        &self,
        tenant: TenantId,
        since: i64,
    ) -> Result<Vec<Publish>, StoreError> {
        let sql = "SELECT id, file_name, source, COALESCE(finished_at, started_at) AS finished_at, report \
                   FROM imports WHERE tenant_id = $1 AND state = $2 AND started_at >= $3 ORDER BY id DESC";
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, Publish>(sql).bind(tenant).bind(crate::JobState::Done).bind(since).fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// Forgets what publishes started before `before` (Unix ms) kept: they can no longer be
    /// rolled back to.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn prune_history(&self, tenant: TenantId, before: i64) -> Result<(), StoreError> {
        // One transaction: on SQLite every statement outside one is a write of its own, and
        // this runs after every publish.
        write_tx!(self, tx => {
            for table in TABLES {
                let sql = format!(
                    "DELETE FROM {table} WHERE tenant_id = $1 AND publish_id IN \
                     (SELECT id FROM imports WHERE tenant_id = $1 AND started_at < $2)"
                );
                sqlx::query(sqlx::AssertSqlSafe(sql)).bind(tenant).bind(before).execute(&mut *tx).await?;
            }
        });
        Ok(())
    }
}

impl ImportSession {
    /// Brings the catalog back to how it was before publish `before` (which must have started
    /// at or after `since`, the history kept), recorded as this session's publish with the
    /// report `report` makes of what it did. `StoreError::NotFound` when there is no such
    /// publish to go back to.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %self.tenant, import = self.id.0))]
    pub async fn roll_back(
        self,
        before: ImportId,
        since: i64,
        report: impl FnOnce(&RolledBack) -> String,
    ) -> Result<RolledBack, StoreError> {
        let (tenant, rollback) = (self.tenant, self.id);
        let find = "SELECT started_at FROM imports WHERE tenant_id = $1 AND id = $2 AND state = $3 \
                    AND started_at >= $4 AND id < $5";
        let started = with_pool!(&self.db, pool => {
            sqlx::query_scalar::<_, i64>(find).bind(tenant).bind(before).bind(crate::JobState::Done)
                .bind(since).bind(rollback).fetch_optional(pool).await
        })?;
        let Some(started) = started else {
            let _ = self.fail(r#"{"error":"no such publish"}"#).await;
            return Err(StoreError::NotFound);
        };
        let mut done = RolledBack {
            before,
            products_restored: 0,
            products_removed: 0,
            offers_restored: 0,
            offers_removed: 0,
            categories: 0,
            picture_lists: 0,
        };
        let products = &StagedProduct::statements().history;
        let offers = &StagedOffer::statements().history;
        macro_rules! roll_back_in {
            ($tx:ident) => {{
                for sql in [&products.keep_for_rollback, &offers.keep_for_rollback] {
                    sqlx::query(sql.as_str())
                        .bind(tenant)
                        .bind(rollback)
                        .bind(before)
                        .bind(started)
                        .execute(&mut *$tx)
                        .await?;
                }
                for reference in &REFERENCES {
                    sqlx::query(sqlx::AssertSqlSafe(reference.keep_for_rollback()))
                        .bind(tenant)
                        .bind(rollback)
                        .bind(before)
                        .execute(&mut *$tx)
                        .await?;
                }
                for (step, sql) in ROLLBACK_KEEP.into_iter().enumerate() {
                    let changed = sqlx::query(sql)
                        .bind(tenant)
                        .bind(rollback)
                        .bind(before)
                        .bind(started)
                        .execute(&mut *$tx)
                        .await?;
                    // The markers: one per picture list put back.
                    if step == 1 {
                        done.picture_lists = changed.rows_affected();
                    }
                }
                let removed = |sql: &str| {
                    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
                        .bind(tenant)
                        .bind(started)
                };
                done.offers_removed = removed(&offers.remove_created)
                    .execute(&mut *$tx)
                    .await?
                    .rows_affected();
                done.products_removed = removed(&products.remove_created)
                    .execute(&mut *$tx)
                    .await?
                    .rows_affected();
                for (sql, count) in [
                    (&products.restore, &mut done.products_restored),
                    (&offers.restore, &mut done.offers_restored),
                ] {
                    *count = sqlx::query(sql.as_str())
                        .bind(tenant)
                        .bind(before)
                        .bind(started)
                        .execute(&mut *$tx)
                        .await?
                        .rows_affected();
                }
                for reference in &REFERENCES {
                    for sql in reference.restore() {
                        let changed = sqlx::query(sqlx::AssertSqlSafe(sql))
                            .bind(tenant)
                            .bind(before)
                            .execute(&mut *$tx)
                            .await?;
                        if reference.table == CATEGORIES.table {
                            done.categories += changed.rows_affected();
                        }
                    }
                }
                for sql in ROLLBACK_RESTORE {
                    sqlx::query(sql)
                        .bind(tenant)
                        .bind(before)
                        .execute(&mut *$tx)
                        .await?;
                }
                sqlx::query(FINISH_IMPORT)
                    .bind(tenant)
                    .bind(rollback)
                    .bind(now_millis())
                    .bind(report(&done))
                    .bind(crate::JobState::Done)
                    .execute(&mut *$tx)
                    .await?;
                sqlx::query(crate::tenants::BUMP_CATALOG_VERSION)
                    .bind(tenant)
                    .execute(&mut *$tx)
                    .await?;
            }};
        }
        match self.connection {
            SessionConnection::Sqlite(mut conn) => {
                let mut tx = sqlx::Connection::begin_with(&mut *conn, "BEGIN IMMEDIATE").await?;
                roll_back_in!(tx);
                tx.commit().await?;
                super::staging::clear(&mut conn).await?;
            }
            SessionConnection::Postgres(mut tx) => {
                roll_back_in!(tx);
                tx.commit().await?;
            }
        }
        Ok(done)
    }
}
