//! Imports: what a document says reaches the live tables all at once, when it has been read
//! to its end.
//!
//! On SQLite, which has one writer, rows are staged into temporary tables of the import's own
//! session and published in one short transaction: staging never takes the database's write
//! lock from the shop's other writers. On PostgreSQL the import's session holds one
//! transaction from its first row to its publish and writes rows straight into the live
//! tables: nobody else sees them before it commits, and a row is written once instead of
//! staged and copied (which cost a first import of 100k products more than half its time).
//! Either way a crashed import leaves nothing to clean up but its `imports` row, which the
//! next import of the tenant marks failed: temporary tables vanish with their session, and an
//! unfinished transaction is rolled back.

use sqlx::pool::PoolConnection;
use sqlx::{Connection, Postgres, QueryBuilder, Sqlite, Transaction};

use super::brake::{FIRST, Impact, Measure, PICTURED, UNPICTURED, UNPRICED, price_patterns};
use super::history::{
    CATEGORIES, CATEGORIES_NOW, DROP_UNCHANGED_PICTURES, KEEP_PICTURES, REFERENCES,
    changed_categories, keep_reference,
};
use super::reference::{NewCategory, NewPriceType, NewProperty, NewWarehouse};
use super::rows::{StagedOffer, StagedProduct};
use crate::{Db, JobState, StoreError, TenantId, now_millis};

/// An import of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(transparent)]
pub struct ImportId(pub i64);

/// One picture of a product's new exchange list (`content_hash` is `None` for a product whose
/// list becomes empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagedPicture {
    /// The product.
    pub product_external_id: String,
    /// 0-based order.
    pub position: i64,
    /// SHA-256 of the bytes, hex; the file store key.
    pub content_hash: Option<String>,
    /// e.g. `image/png`.
    pub content_type: Option<String>,
}

/// What publishing does besides copying staged rows.
#[derive(Debug, Clone, Default)]
pub struct PublishOptions {
    /// Categories to create or update (renames and moves follow the document).
    pub categories: Vec<NewCategory>,
    /// Price types the document lists, in its order.
    pub price_types: Vec<NewPriceType>,
    /// Warehouses the document lists.
    pub warehouses: Vec<NewWarehouse>,
    /// Properties the document defines.
    pub properties: Vec<NewProperty>,
    /// Products to deactivate (absent from a full catalog).
    pub deactivate_products: Vec<String>,
    /// Offers to deactivate (absent from a full offer package).
    pub deactivate_offers: Vec<String>,
    /// Exchange pictures of these products are replaced by the staged ones.
    pub replace_pictures_of_all_sources: bool,
    /// Products that take a new external id (old, new), with their offers, pictures and
    /// order lines, before the staged rows are published (a card recreated in the
    /// accounting system, recognised by its SKU).
    pub renames: Vec<(String, String)>,
}

/// What a renamed product carries along: its offers (`old` and `old#…`), pictures and the
/// lines of orders placed for it. `$2` is the old id, `$3` the new one.
const RENAME_PRODUCT: [&str; 4] = [
    "UPDATE products SET external_id = $3, content_hash = NULL, source_hash = NULL \
     WHERE tenant_id = $1 AND external_id = $2",
    "UPDATE offers SET external_id = $3 || substr(external_id, length($2) + 1), \
     product_external_id = $3, content_hash = NULL, source_hash = NULL \
     WHERE tenant_id = $1 AND product_external_id = $2",
    "UPDATE product_pictures SET product_external_id = $3 WHERE tenant_id = $1 AND product_external_id = $2",
    "UPDATE order_lines SET external_id = $3 || substr(external_id, length($2) + 1) \
     WHERE tenant_id = $1 AND (external_id = $2 OR substr(external_id, 1, length($2) + 1) = $2 || '#')",
];

/// The session's staging tables. NULL in a staged column means "the document did not say":
/// publishing keeps the live value (COALESCE). Same DDL on both backends, but for a suffix:
/// SQLite's are `WITHOUT ROWID` (see [`STAGING_WITHOUT_JOURNAL`]); PostgreSQL's are made
/// inside the import's transaction and end with it (`ON COMMIT DROP`).
fn staging_tables() -> [&'static str; 3] {
    [
        StagedProduct::statements().staging_table.as_str(),
        StagedOffer::statements().staging_table.as_str(),
        "CREATE TEMP TABLE IF NOT EXISTS staged_pictures (product_external_id TEXT NOT NULL, \
         position BIGINT NOT NULL, content_hash TEXT, content_type TEXT, \
         PRIMARY KEY (product_external_id, position))",
    ]
}
/// SQLite's staging tables have no rollback journal: nothing in them outlives a failure (the
/// import is failed and they are dropped), and journaling each page they change took a third
/// of staging's time. They are also kept `WITHOUT ROWID`, in id order: publishing then writes
/// the live tables' indexes in order instead of all over them, which halved its time.
const STAGING_WITHOUT_JOURNAL: &str = "PRAGMA temp.journal_mode = OFF";

/// Dropping is cheaper than deleting rows one by one; the next import creates them again.
const CLEAR_STAGING: [&str; 3] = [
    "DROP TABLE IF EXISTS staged_products",
    "DROP TABLE IF EXISTS staged_offers",
    "DROP TABLE IF EXISTS staged_pictures",
];

/// Pictures of products whose list the import restates: the exchange's own, or every source.
const DROP_EXCHANGE_PICTURES: &str = "DELETE FROM product_pictures WHERE tenant_id = $1 \
    AND source = 'exchange' AND product_external_id IN (SELECT product_external_id FROM staged_pictures)";
const DROP_ALL_PICTURES: &str = "DELETE FROM product_pictures WHERE tenant_id = $1 \
    AND product_external_id IN (SELECT product_external_id FROM staged_pictures)";
const PUBLISH_PICTURES: &str = "INSERT INTO product_pictures (tenant_id, product_external_id, \
    position, source, content_hash, content_type) \
    SELECT CAST($1 AS BIGINT), product_external_id, position, 'exchange', content_hash, content_type \
    FROM staged_pictures WHERE content_hash IS NOT NULL";

/// Ends an import: `$5` its state (done, held, failed), `$3` when, `$4` its report.
pub(super) const FINISH_IMPORT: &str = "UPDATE imports SET state = $5, finished_at = $3, report = $4 \
    WHERE tenant_id = $1 AND id = $2";

/// How many rows one staging statement carries (bounded by bind-parameter limits).
const BATCH_ROWS: usize = 500;

/// One database session of its own, for one import.
pub(super) enum SessionConnection {
    /// Staging only; publishing takes the write lock for one short transaction.
    Sqlite(PoolConnection<Sqlite>),
    /// The import's transaction, open until it publishes (commit) or fails (rollback).
    Postgres(Transaction<'static, Postgres>),
}

/// Runs `$body` with `$conn` bound to the session's typed connection.
macro_rules! with_conn {
    ($session:expr, $conn:ident => $body:expr) => {
        match &mut $session.connection {
            SessionConnection::Sqlite($conn) => $body,
            SessionConnection::Postgres($conn) => $body,
        }
    };
}

/// Runs `$body` with `$tx` in the transaction that publishes (on SQLite a new one, on
/// PostgreSQL the import's own) and commits it when `$body` comes to `None`; `Some` (the
/// brake's figures of a held pass) rolls it back.
macro_rules! session_tx {
    ($session:expr, $tx:ident => $body:expr) => {
        match $session.connection {
            SessionConnection::Sqlite(mut conn) => {
                let mut $tx = conn.begin_with("BEGIN IMMEDIATE").await?;
                let out: Option<Impact> = $body;
                match out {
                    None => $tx.commit().await?,
                    Some(_) => $tx.rollback().await?,
                }
                clear(&mut conn).await?;
                out
            }
            SessionConnection::Postgres(mut $tx) => {
                let out: Option<Impact> = $body;
                match out {
                    None => $tx.commit().await?,
                    Some(_) => $tx.rollback().await?,
                }
                out
            }
        }
    };
}

/// Writes `$rows` on `$conn` in statements of [`BATCH_ROWS`] rows: `$head`, their values
/// bound by `$bind`, `$tail`.
macro_rules! insert_rows {
    ($conn:expr, $rows:expr, $head:expr, $tail:expr, |$one:ident, $item:ident| $bind:expr) => {{
        let mut rows = $rows.into_iter().peekable();
        while rows.peek().is_some() {
            let chunk = rows.by_ref().take(BATCH_ROWS);
            let mut query = QueryBuilder::new($head);
            query.push_values(chunk, |mut $one, $item| $bind);
            query.push($tail);
            query.build().execute(&mut $conn).await?;
        }
    }};
}

/// An import in progress: what it writes is seen by no one until [`ImportSession::publish`].
pub struct ImportSession {
    pub(super) connection: SessionConnection,
    pub(super) tenant: TenantId,
    pub(super) id: ImportId,
    /// When it began (Unix ms): every row it changes is `updated_at` this or later.
    started: i64,
    pub(super) db: Db,
}

impl std::fmt::Debug for ImportSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportSession")
            .field("tenant", &self.tenant)
            .field("id", &self.id)
            .finish()
    }
}

impl Db {
    /// Starts an import of `file_name` by `owner`, unless another import of the tenant is
    /// running ([`StoreError::Conflict`]). An import whose heartbeat is older than `stale_ms`,
    /// or whose owner `is_alive` says is gone, was interrupted: it is marked failed.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn begin_import(
        &self,
        tenant: TenantId,
        file_name: &str,
        source: Option<&str>,
        owner: &str,
        stale_ms: i64,
        is_alive: impl Fn(&str) -> bool,
    ) -> Result<ImportSession, StoreError> {
        let now = now_millis();
        let running =
            "SELECT id, heartbeat_at, owner FROM imports WHERE tenant_id = $1 AND state = $2";
        let fail = "UPDATE imports SET state = $4, finished_at = $3, \
                    report = '{\"error\":\"interrupted\"}' WHERE tenant_id = $1 AND id = $2";
        let insert = "INSERT INTO imports (tenant_id, file_name, state, owner, started_at, \
                      heartbeat_at, source) VALUES ($1, $2, $6, $4, $3, $3, $5) RETURNING id";
        let id = write_tx!(self, tx => {
            let rows = sqlx::query_as::<_, (ImportId, i64, String)>(running)
                .bind(tenant)
                .bind(JobState::Running)
                .fetch_all(&mut *tx)
                .await?;
            if rows.iter().any(|(_, heartbeat, owner)| now - heartbeat < stale_ms && is_alive(owner)) {
                return Err(StoreError::Conflict);
            }
            for (abandoned, _, _) in &rows {
                sqlx::query(fail).bind(tenant).bind(*abandoned).bind(now).bind(JobState::Failed).execute(&mut *tx).await?;
            }
            sqlx::query_scalar::<_, ImportId>(insert)
                .bind(tenant)
                .bind(file_name)
                .bind(now)
                .bind(owner)
                .bind(source)
                .bind(JobState::Running)
                .fetch_one(&mut *tx)
                .await?
        });
        let connection = match self {
            Db::Sqlite(pool) => SessionConnection::Sqlite(pool.acquire().await?),
            Db::Postgres(pool) => SessionConnection::Postgres(pool.begin().await?),
        };
        let mut session = ImportSession {
            connection,
            tenant,
            id,
            started: now,
            db: self.clone(),
        };
        // A pooled SQLite session may hold the tables of an earlier import: drop and create
        // them.
        match &mut session.connection {
            SessionConnection::Sqlite(conn) => {
                for sql in CLEAR_STAGING.into_iter().chain([STAGING_WITHOUT_JOURNAL]) {
                    sqlx::query(sql).execute(&mut **conn).await?;
                }
                for sql in staging_tables() {
                    let sql = format!("{sql} WITHOUT ROWID");
                    sqlx::query(sqlx::AssertSqlSafe(sql))
                        .execute(&mut **conn)
                        .await?;
                }
            }
            SessionConnection::Postgres(tx) => {
                for sql in staging_tables() {
                    let sql = format!("{sql} ON COMMIT DROP");
                    sqlx::query(sqlx::AssertSqlSafe(sql))
                        .execute(&mut **tx)
                        .await?;
                }
            }
        }
        Ok(session)
    }

    /// Every property of a tenant.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn list_properties(&self, tenant: TenantId) -> Result<Vec<NewProperty>, StoreError> {
        let sql =
            "SELECT external_id, name, value_type, ref_values FROM properties WHERE tenant_id = $1";
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, NewProperty>(sql).bind(tenant).fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// The external id and SKU of every active product of a tenant that has a SKU.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn product_skus(
        &self,
        tenant: TenantId,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let sql = "SELECT external_id, sku FROM products \
                   WHERE tenant_id = $1 AND active AND sku IS NOT NULL AND sku <> ''";
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, (String, String)>(sql).bind(tenant).fetch_all(pool).await
        })?;
        Ok(rows)
    }
}

impl ImportSession {
    /// The import's id.
    pub fn id(&self) -> ImportId {
        self.id
    }

    /// Stages products, to be published after the publish's renames; a later row with the
    /// same id folds into an earlier one. Rows are taken by value: their strings move into the
    /// statement's arguments instead of being copied (a 100k-product import binds some 100 MB
    /// of text).
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %self.tenant, import = self.id.0))]
    pub async fn stage_products(&mut self, rows: Vec<StagedProduct>) -> Result<(), StoreError> {
        let sql = StagedProduct::statements();
        with_conn!(self, conn => insert_rows!(**conn, rows, sql.stage_head.as_str(),
            sql.stage_tail.as_str(), |row, p| p.bind(&mut row)));
        Ok(())
    }

    /// Stages offers, like [`ImportSession::stage_products`].
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %self.tenant, import = self.id.0))]
    pub async fn stage_offers(&mut self, rows: Vec<StagedOffer>) -> Result<(), StoreError> {
        let sql = StagedOffer::statements();
        with_conn!(self, conn => insert_rows!(**conn, rows, sql.stage_head.as_str(),
            sql.stage_tail.as_str(), |row, o| o.bind(&mut row)));
        Ok(())
    }

    /// Writes products that no rename of the publish touches: on PostgreSQL straight into the
    /// live table, inside the import's transaction; on SQLite into staging. Each id at most
    /// once per call; a later call's row merges into an earlier one as publishing would, so
    /// a row stated again must come without hashes.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %self.tenant, import = self.id.0))]
    pub async fn write_products(&mut self, rows: Vec<StagedProduct>) -> Result<(), StoreError> {
        match &mut self.connection {
            SessionConnection::Sqlite(_) => self.stage_products(rows).await,
            SessionConnection::Postgres(_) if rows.is_empty() => Ok(()),
            SessionConnection::Postgres(tx) => {
                // The rows as they were are kept first, in the same statement.
                let sql = &StagedProduct::statements().history.write_live_keeping;
                let query = sqlx::query(sql.as_str())
                    .bind(self.tenant)
                    .bind(now_millis());
                StagedProduct::bind_arrays(rows, query)
                    .bind(self.id)
                    .execute(&mut **tx)
                    .await?;
                Ok(())
            }
        }
    }

    /// Writes offers, like [`ImportSession::write_products`].
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %self.tenant, import = self.id.0))]
    pub async fn write_offers(&mut self, rows: Vec<StagedOffer>) -> Result<(), StoreError> {
        match &mut self.connection {
            SessionConnection::Sqlite(_) => self.stage_offers(rows).await,
            SessionConnection::Postgres(_) if rows.is_empty() => Ok(()),
            SessionConnection::Postgres(tx) => {
                // The rows as they were are kept first, in the same statement.
                let sql = &StagedOffer::statements().history.write_live_keeping;
                let query = sqlx::query(sql.as_str())
                    .bind(self.tenant)
                    .bind(now_millis());
                StagedOffer::bind_arrays(rows, query)
                    .bind(self.id)
                    .execute(&mut **tx)
                    .await?;
                Ok(())
            }
        }
    }

    /// Stages the new exchange picture lists of some products.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %self.tenant, import = self.id.0))]
    pub async fn stage_pictures(&mut self, rows: &[StagedPicture]) -> Result<(), StoreError> {
        with_conn!(self, conn => {
            for chunk in rows.chunks(BATCH_ROWS) {
                let mut query = QueryBuilder::new(
                    "INSERT INTO staged_pictures (product_external_id, position, content_hash, \
                     content_type) ",
                );
                query.push_values(chunk, |mut row, p| {
                    row.push_bind(&p.product_external_id)
                        .push_bind(p.position)
                        .push_bind(&p.content_hash)
                        .push_bind(&p.content_type);
                });
                query.push(
                    " ON CONFLICT (product_external_id, position) DO UPDATE SET \
                     content_hash = excluded.content_hash, content_type = excluded.content_type",
                );
                query.build().execute(&mut **conn).await?;
            }
        });
        Ok(())
    }

    /// Tells other processes this import is still alive.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %self.tenant, import = self.id.0))]
    pub async fn heartbeat(&self) -> Result<(), StoreError> {
        let sql = "UPDATE imports SET heartbeat_at = $3 WHERE tenant_id = $1 AND id = $2";
        with_pool!(&self.db, pool => {
            sqlx::query(sql).bind(self.tenant).bind(self.id).bind(now_millis()).execute(pool).await.map(drop)
        })?;
        Ok(())
    }

    /// Makes everything staged and written live in one transaction, applies `options` and
    /// marks the import done with `report`.
    pub async fn publish(self, options: &PublishOptions, report: &str) -> Result<(), StoreError> {
        let held = self
            .publish_unless(options, report, &Measure::default(), |_| false)
            .await?;
        debug_assert!(held.is_none());
        Ok(())
    }

    /// Publishes like [`ImportSession::publish`] unless `hold` says otherwise of the figures
    /// `measure` asks for, taken inside the publish's transaction once its changes are made:
    /// then nothing is published, the import is marked held, and the figures come back.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %self.tenant, import = self.id.0))]
    pub async fn publish_unless(
        self,
        options: &PublishOptions,
        report: &str,
        measure: &Measure,
        hold: impl FnOnce(&Impact) -> bool,
    ) -> Result<Option<Impact>, StoreError> {
        let (tenant, import, now, started) = (self.tenant, self.id, now_millis(), self.started);
        let db = self.db.clone();
        let prices = measure.shop_price.as_deref().map(price_patterns);
        let drop_pictures = if options.replace_pictures_of_all_sources {
            DROP_ALL_PICTURES
        } else {
            DROP_EXCHANGE_PICTURES
        };
        let products = &StagedProduct::statements().history;
        let offers = &StagedOffer::statements().history;
        let held = session_tx!(self, tx => {
            sqlx::query(DROP_UNCHANGED_PICTURES)
                .bind(tenant)
                .bind(options.replace_pictures_of_all_sources)
                .execute(&mut *tx)
                .await?;
            // Pictures are published last: the lists they restate are measured before.
            let pictured = if measure.pictures {
                let sql = format!("SELECT COUNT(*) {PICTURED}");
                sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql)).bind(tenant).fetch_one(&mut *tx).await?
            } else {
                0
            };
            let now_categories = sqlx::query_as::<_, (String, String, Option<String>, i64, i64)>(CATEGORIES_NOW)
                .bind(tenant)
                .fetch_all(&mut *tx)
                .await?;
            let categories = changed_categories(now_categories, &options.categories);
            keep_reference!(tx, tenant, import, CATEGORIES, categories.iter().map(|c| c.external_id.as_str()).collect());
            let [_, price_types, warehouses, properties] = &REFERENCES;
            keep_reference!(tx, tenant, import, price_types, options.price_types.iter().map(|p| p.external_id.as_str()).collect());
            keep_reference!(tx, tenant, import, warehouses, options.warehouses.iter().map(|w| w.external_id.as_str()).collect());
            keep_reference!(tx, tenant, import, properties, options.properties.iter().map(|p| p.external_id.as_str()).collect());
            for chunk in categories.chunks(BATCH_ROWS) {
                let mut query = QueryBuilder::new(
                    "INSERT INTO categories (tenant_id, external_id, name, parent_external_id, \
                     position, updated_at) ",
                );
                query.push_values(chunk, |mut row, c| {
                    row.push_bind(tenant)
                        .push_bind(&c.external_id)
                        .push_bind(&c.name)
                        .push_bind(&c.parent_external_id)
                        .push_bind(c.position)
                        .push_bind(now);
                });
                query.push(
                    " ON CONFLICT (tenant_id, external_id) DO UPDATE SET name = excluded.name, \
                     parent_external_id = excluded.parent_external_id, position = excluded.position, \
                     updated_at = excluded.updated_at",
                );
                query.build().execute(&mut *tx).await?;
            }
            for chunk in options.price_types.chunks(BATCH_ROWS) {
                let mut query = QueryBuilder::new(
                    "INSERT INTO price_types (tenant_id, external_id, name, currency, listed_at, position) ",
                );
                query.push_values(chunk, |mut row, p| {
                    row.push_bind(tenant)
                        .push_bind(&p.external_id)
                        .push_bind(&p.name)
                        .push_bind(&p.currency)
                        .push_bind(now)
                        .push_bind(p.position);
                });
                query.push(
                    " ON CONFLICT (tenant_id, external_id) DO UPDATE SET name = excluded.name, \
                     currency = excluded.currency, listed_at = excluded.listed_at, \
                     position = excluded.position",
                );
                query.build().execute(&mut *tx).await?;
            }
            for chunk in options.warehouses.chunks(BATCH_ROWS) {
                let mut query =
                    QueryBuilder::new("INSERT INTO warehouses (tenant_id, external_id, name, position) ");
                query.push_values(chunk, |mut row, w| {
                    row.push_bind(tenant).push_bind(&w.external_id).push_bind(&w.name).push_bind(w.position);
                });
                query.push(
                    " ON CONFLICT (tenant_id, external_id) DO UPDATE SET name = excluded.name, \
                     position = excluded.position",
                );
                query.build().execute(&mut *tx).await?;
            }
            for chunk in options.properties.chunks(BATCH_ROWS) {
                let mut query = QueryBuilder::new(
                    "INSERT INTO properties (tenant_id, external_id, name, value_type, ref_values) ",
                );
                query.push_values(chunk, |mut row, p| {
                    row.push_bind(tenant)
                        .push_bind(&p.external_id)
                        .push_bind(&p.name)
                        .push_bind(&p.value_type)
                        .push_bind(&p.ref_values);
                });
                query.push(
                    " ON CONFLICT (tenant_id, external_id) DO UPDATE SET name = excluded.name, \
                     value_type = excluded.value_type, ref_values = excluded.ref_values",
                );
                query.build().execute(&mut *tx).await?;
            }
            for (old, new) in &options.renames {
                for sql in RENAME_PRODUCT {
                    sqlx::query(sql).bind(tenant).bind(old).bind(new).execute(&mut *tx).await?;
                }
            }
            for sql in [&products.keep_staged, &offers.keep_staged] {
                sqlx::query(sql.as_str()).bind(tenant).bind(import).execute(&mut *tx).await?;
            }
            sqlx::query(StagedProduct::statements().publish.as_str()).bind(tenant).bind(now).execute(&mut *tx).await?;
            sqlx::query(StagedOffer::statements().publish.as_str()).bind(tenant).bind(now).execute(&mut *tx).await?;
            for sql in KEEP_PICTURES {
                sqlx::query(sql).bind(tenant).bind(import).execute(&mut *tx).await?;
            }
            sqlx::query(drop_pictures).bind(tenant).execute(&mut *tx).await?;
            sqlx::query(PUBLISH_PICTURES).bind(tenant).execute(&mut *tx).await?;
            for (table, ids, history) in [("products", &options.deactivate_products, products), ("offers", &options.deactivate_offers, offers)] {
                for chunk in ids.chunks(BATCH_ROWS) {
                    let places: Vec<String> = (3..3 + chunk.len()).map(|n| format!("${n}")).collect();
                    let keep = format!("{}{}) ON CONFLICT DO NOTHING", history.keep_listed, places.join(", "));
                    let mut keep = sqlx::query(sqlx::AssertSqlSafe(keep)).bind(tenant).bind(import);
                    for id in chunk {
                        keep = keep.bind(id);
                    }
                    keep.execute(&mut *tx).await?;
                    let mut query = QueryBuilder::new("UPDATE ");
                    query.push(table);
                    query.push(" SET active = FALSE, content_hash = NULL, source_hash = NULL, updated_at = ");
                    query.push_bind(now);
                    query.push(" WHERE tenant_id = ");
                    query.push_bind(tenant);
                    query.push(" AND external_id IN (");
                    let mut list = query.separated(", ");
                    for id in chunk {
                        list.push_bind(id);
                    }
                    query.push(")");
                    query.build().execute(&mut *tx).await?;
                }
            }
            let mut impact = Impact::default();
            if let Some((priced, zero)) = &prices {
                let count = format!("SELECT COUNT(*) {UNPRICED}");
                impact.unpriced = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(count))
                    .bind(tenant).bind(started).bind(priced).bind(zero).fetch_one(&mut *tx).await?;
                if impact.unpriced > 0 {
                    let first = format!("SELECT COALESCE(p.name, p.external_id) {UNPRICED} ORDER BY p.external_id LIMIT {FIRST}");
                    impact.unpriced_first = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(first))
                        .bind(tenant).bind(started).bind(priced).bind(zero).fetch_all(&mut *tx).await?;
                }
            }
            if pictured > 0 {
                let still = format!("SELECT COUNT(*) {PICTURED}");
                let still = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(still)).bind(tenant).fetch_one(&mut *tx).await?;
                impact.pictures_lost = pictured - still;
                if impact.pictures_lost > 0 {
                    let first = format!("SELECT COALESCE(p.name, p.external_id) {UNPICTURED} ORDER BY p.external_id LIMIT {FIRST}");
                    impact.pictures_first = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(first))
                        .bind(tenant).fetch_all(&mut *tx).await?;
                }
            }
            if hold(&impact) {
                Some(impact)
            } else {
                sqlx::query(FINISH_IMPORT)
                    .bind(tenant)
                    .bind(import)
                    .bind(now)
                    .bind(report)
                    .bind(JobState::Done)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(crate::tenants::BUMP_CATALOG_VERSION)
                    .bind(tenant)
                    .execute(&mut *tx)
                    .await?;
                None
            }
        });
        if held.is_some() {
            with_pool!(&db, pool => {
                sqlx::query(FINISH_IMPORT).bind(tenant).bind(import).bind(now_millis()).bind(report).bind(JobState::Held).execute(pool).await.map(drop)
            })?;
        }
        Ok(held)
    }

    /// Marks the import failed with `report`; nothing it staged ever reached the catalog.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %self.tenant, import = self.id.0))]
    pub async fn fail(self, report: &str) -> Result<(), StoreError> {
        match self.connection {
            SessionConnection::Sqlite(mut conn) => clear(&mut conn).await?,
            SessionConnection::Postgres(tx) => tx.rollback().await?,
        }
        with_pool!(&self.db, pool => {
            sqlx::query(FINISH_IMPORT).bind(self.tenant).bind(self.id).bind(now_millis()).bind(report).bind(JobState::Failed).execute(pool).await.map(drop)
        })?;
        Ok(())
    }
}

/// Drops a SQLite session's staging tables (PostgreSQL's end with the import's transaction).
pub(super) async fn clear(conn: &mut PoolConnection<Sqlite>) -> Result<(), StoreError> {
    for sql in CLEAR_STAGING {
        sqlx::query(sql).execute(&mut **conn).await?;
    }
    Ok(())
}
