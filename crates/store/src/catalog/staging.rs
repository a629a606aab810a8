//! Imports: rows are staged in short transactions, then published in one.

use sqlx::QueryBuilder;

use super::reference::{NewCategory, NewPriceType, NewProperty, NewWarehouse};
use crate::{Db, StoreError, TenantId, now_millis};

/// An import of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(transparent)]
pub struct ImportId(pub i64);

/// A product as one document states it; `None` = not stated (the live value stays).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StagedProduct {
    /// `Ид` (the product part).
    pub external_id: String,
    /// Name.
    pub name: Option<String>,
    /// `Артикул`.
    pub sku: Option<String>,
    /// `Описание`.
    pub description: Option<String>,
    /// Unit label.
    pub unit: Option<String>,
    /// The category's `Ид`; `Some("")` for none.
    pub category_external_id: Option<String>,
    /// JSON array of barcodes.
    pub barcodes: Option<String>,
    /// JSON array of `{name, value}`.
    pub properties: Option<String>,
    /// JSON array of `{name, value}`.
    pub requisites: Option<String>,
    /// Lower-cased name, sku and barcodes for search.
    pub search_text: Option<String>,
    /// Not deleted.
    pub active: bool,
    /// The row's hash when a full document states every field; `None` otherwise.
    pub content_hash: Option<String>,
}

/// An offer as one document states it; `None` = not stated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StagedOffer {
    /// `Ид` as written (`product` or `product#variant`).
    pub external_id: String,
    /// The product part.
    pub product_external_id: String,
    /// The variant part, if any.
    pub variant_external_id: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// JSON array of `{name, value}`.
    pub characteristics: Option<String>,
    /// JSON array of `{price_type, amount, currency}`.
    pub prices: Option<String>,
    /// JSON array of `{warehouse, quantity}`.
    pub stock: Option<String>,
    /// The file's own total (`Количество`).
    pub quantity: Option<String>,
    /// Not deleted.
    pub active: bool,
    /// The row's hash when a full document states it whole.
    pub content_hash: Option<String>,
}

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

/// What the live catalog holds for an item, so unchanged items need not be staged.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ItemState {
    /// External id.
    pub external_id: String,
    /// Hash of the last full statement, if still current.
    pub content_hash: Option<String>,
    /// Active or not.
    pub active: bool,
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
}

const PUBLISH_PRODUCTS: &str = "INSERT INTO products (tenant_id, external_id, name, sku, description, \
    unit, category_external_id, barcodes, properties, requisites, search_text, active, \
    content_hash, created_at, updated_at) \
    SELECT tenant_id, external_id, name, sku, description, unit, category_external_id, barcodes, \
    properties, requisites, search_text, active, content_hash, $3, $3 \
    FROM staged_products WHERE tenant_id = $1 AND import_id = $2 \
    ON CONFLICT (tenant_id, external_id) DO UPDATE SET \
    name = COALESCE(excluded.name, products.name), \
    sku = COALESCE(excluded.sku, products.sku), \
    description = COALESCE(excluded.description, products.description), \
    unit = COALESCE(excluded.unit, products.unit), \
    category_external_id = COALESCE(excluded.category_external_id, products.category_external_id), \
    barcodes = COALESCE(excluded.barcodes, products.barcodes), \
    properties = COALESCE(excluded.properties, products.properties), \
    requisites = COALESCE(excluded.requisites, products.requisites), \
    search_text = COALESCE(excluded.search_text, products.search_text), \
    active = excluded.active, content_hash = excluded.content_hash, updated_at = excluded.updated_at";

const PUBLISH_OFFERS: &str = "INSERT INTO offers (tenant_id, external_id, product_external_id, \
    variant_external_id, name, characteristics, prices, stock, quantity, active, content_hash, \
    updated_at) \
    SELECT tenant_id, external_id, product_external_id, variant_external_id, name, \
    characteristics, prices, stock, quantity, active, content_hash, $3 \
    FROM staged_offers WHERE tenant_id = $1 AND import_id = $2 \
    ON CONFLICT (tenant_id, external_id) DO UPDATE SET \
    name = COALESCE(excluded.name, offers.name), \
    characteristics = COALESCE(excluded.characteristics, offers.characteristics), \
    prices = COALESCE(excluded.prices, offers.prices), \
    stock = COALESCE(excluded.stock, offers.stock), \
    quantity = COALESCE(excluded.quantity, offers.quantity), \
    active = excluded.active, content_hash = excluded.content_hash, updated_at = excluded.updated_at";

/// Pictures of products whose list the import restates: the exchange's own, or every source.
const DROP_EXCHANGE_PICTURES: &str = "DELETE FROM product_pictures WHERE tenant_id = $1 \
    AND source = 'exchange' AND product_external_id IN \
    (SELECT product_external_id FROM staged_pictures WHERE tenant_id = $1 AND import_id = $2)";
const DROP_ALL_PICTURES: &str = "DELETE FROM product_pictures WHERE tenant_id = $1 \
    AND product_external_id IN \
    (SELECT product_external_id FROM staged_pictures WHERE tenant_id = $1 AND import_id = $2)";
const PUBLISH_PICTURES: &str = "INSERT INTO product_pictures (tenant_id, product_external_id, \
    position, source, content_hash, content_type) \
    SELECT tenant_id, product_external_id, position, 'exchange', content_hash, content_type \
    FROM staged_pictures WHERE tenant_id = $1 AND import_id = $2 AND content_hash IS NOT NULL";

/// How many rows one staging statement carries (bounded by bind-parameter limits).
const BATCH_ROWS: usize = 500;

impl Db {
    /// Records the start of an import of `file_name` by `owner`, unless another import of the
    /// tenant is running ([`StoreError::Conflict`]). An import whose heartbeat is older than
    /// `stale_ms`, or whose owner `is_alive` says is gone, was interrupted: it is failed and
    /// its staging rows dropped first.
    pub async fn begin_import(
        &self,
        tenant: TenantId,
        file_name: &str,
        owner: &str,
        stale_ms: i64,
        is_alive: impl Fn(&str) -> bool,
    ) -> Result<ImportId, StoreError> {
        let now = now_millis();
        let running = "SELECT id, heartbeat_at, owner FROM imports WHERE tenant_id = $1 AND state = 'running'";
        let fail = "UPDATE imports SET state = 'failed', finished_at = $3, \
                    report = '{\"error\":\"interrupted\"}' WHERE tenant_id = $1 AND id = $2";
        let insert = "INSERT INTO imports (tenant_id, file_name, state, owner, started_at, \
                      heartbeat_at) VALUES ($1, $2, 'running', $4, $3, $3) RETURNING id";
        let (id, abandoned) = write_tx!(self, tx => {
            let rows = sqlx::query_as::<_, (ImportId, i64, String)>(running)
                .bind(tenant)
                .fetch_all(&mut *tx)
                .await?;
            if rows.iter().any(|(_, heartbeat, owner)| now - heartbeat < stale_ms && is_alive(owner)) {
                return Err(StoreError::Conflict);
            }
            for (abandoned, _, _) in &rows {
                sqlx::query(fail).bind(tenant).bind(*abandoned).bind(now).execute(&mut *tx).await?;
            }
            let id = sqlx::query_scalar::<_, ImportId>(insert)
                .bind(tenant)
                .bind(file_name)
                .bind(now)
                .bind(owner)
                .fetch_one(&mut *tx)
                .await?;
            (id, rows)
        });
        for (abandoned, _, _) in abandoned {
            self.clear_staging(tenant, abandoned).await?;
        }
        Ok(id)
    }

    /// Tells other processes this import is still alive.
    pub async fn touch_import(&self, tenant: TenantId, import: ImportId) -> Result<(), StoreError> {
        let sql = "UPDATE imports SET heartbeat_at = $3 WHERE tenant_id = $1 AND id = $2";
        with_pool!(self, pool => {
            sqlx::query(sql).bind(tenant).bind(import).bind(now_millis()).execute(pool).await.map(drop)
        })?;
        Ok(())
    }

    /// Every property of a tenant.
    pub async fn list_properties(&self, tenant: TenantId) -> Result<Vec<NewProperty>, StoreError> {
        let sql =
            "SELECT external_id, name, value_type, ref_values FROM properties WHERE tenant_id = $1";
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, NewProperty>(sql).bind(tenant).fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// The live state of every product of a tenant.
    pub async fn product_states(&self, tenant: TenantId) -> Result<Vec<ItemState>, StoreError> {
        let sql = "SELECT external_id, content_hash, active FROM products WHERE tenant_id = $1";
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, ItemState>(sql).bind(tenant).fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// The live state of every offer of a tenant.
    pub async fn offer_states(&self, tenant: TenantId) -> Result<Vec<ItemState>, StoreError> {
        let sql = "SELECT external_id, content_hash, active FROM offers WHERE tenant_id = $1";
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, ItemState>(sql).bind(tenant).fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// Stages products in short transactions; a later row with the same id replaces an earlier.
    pub async fn stage_products(
        &self,
        tenant: TenantId,
        import: ImportId,
        rows: &[StagedProduct],
    ) -> Result<(), StoreError> {
        for chunk in rows.chunks(BATCH_ROWS) {
            with_pool!(self, pool => {
                let mut query = QueryBuilder::new(
                    "INSERT INTO staged_products (import_id, tenant_id, external_id, name, sku, \
                     description, unit, category_external_id, barcodes, properties, requisites, \
                     search_text, active, content_hash) ",
                );
                query.push_values(chunk, |mut row, p| {
                    row.push_bind(import)
                        .push_bind(tenant)
                        .push_bind(&p.external_id)
                        .push_bind(&p.name)
                        .push_bind(&p.sku)
                        .push_bind(&p.description)
                        .push_bind(&p.unit)
                        .push_bind(&p.category_external_id)
                        .push_bind(&p.barcodes)
                        .push_bind(&p.properties)
                        .push_bind(&p.requisites)
                        .push_bind(&p.search_text)
                        .push_bind(p.active)
                        .push_bind(&p.content_hash);
                });
                query.push(
                    " ON CONFLICT (import_id, external_id) DO UPDATE SET \
                     name = COALESCE(excluded.name, staged_products.name), \
                     sku = COALESCE(excluded.sku, staged_products.sku), \
                     description = COALESCE(excluded.description, staged_products.description), \
                     unit = COALESCE(excluded.unit, staged_products.unit), \
                     category_external_id = COALESCE(excluded.category_external_id, \
                         staged_products.category_external_id), \
                     barcodes = COALESCE(excluded.barcodes, staged_products.barcodes), \
                     properties = COALESCE(excluded.properties, staged_products.properties), \
                     requisites = COALESCE(excluded.requisites, staged_products.requisites), \
                     search_text = COALESCE(excluded.search_text, staged_products.search_text), \
                     active = excluded.active, content_hash = NULL",
                );
                query.build().execute(pool).await.map(drop)
            })?;
        }
        Ok(())
    }

    /// Stages offers in short transactions; a later row with the same id replaces an earlier.
    pub async fn stage_offers(
        &self,
        tenant: TenantId,
        import: ImportId,
        rows: &[StagedOffer],
    ) -> Result<(), StoreError> {
        for chunk in rows.chunks(BATCH_ROWS) {
            with_pool!(self, pool => {
                let mut query = QueryBuilder::new(
                    "INSERT INTO staged_offers (import_id, tenant_id, external_id, \
                     product_external_id, variant_external_id, name, characteristics, prices, \
                     stock, quantity, active, content_hash) ",
                );
                query.push_values(chunk, |mut row, o| {
                    row.push_bind(import)
                        .push_bind(tenant)
                        .push_bind(&o.external_id)
                        .push_bind(&o.product_external_id)
                        .push_bind(&o.variant_external_id)
                        .push_bind(&o.name)
                        .push_bind(&o.characteristics)
                        .push_bind(&o.prices)
                        .push_bind(&o.stock)
                        .push_bind(&o.quantity)
                        .push_bind(o.active)
                        .push_bind(&o.content_hash);
                });
                query.push(
                    " ON CONFLICT (import_id, external_id) DO UPDATE SET \
                     name = COALESCE(excluded.name, staged_offers.name), \
                     characteristics = COALESCE(excluded.characteristics, \
                         staged_offers.characteristics), \
                     prices = COALESCE(excluded.prices, staged_offers.prices), \
                     stock = COALESCE(excluded.stock, staged_offers.stock), \
                     quantity = COALESCE(excluded.quantity, staged_offers.quantity), \
                     active = excluded.active, content_hash = NULL",
                );
                query.build().execute(pool).await.map(drop)
            })?;
        }
        Ok(())
    }

    /// Stages the new exchange picture lists of some products.
    pub async fn stage_pictures(
        &self,
        tenant: TenantId,
        import: ImportId,
        rows: &[StagedPicture],
    ) -> Result<(), StoreError> {
        for chunk in rows.chunks(BATCH_ROWS) {
            with_pool!(self, pool => {
                let mut query = QueryBuilder::new(
                    "INSERT INTO staged_pictures (import_id, tenant_id, product_external_id, \
                     position, content_hash, content_type) ",
                );
                query.push_values(chunk, |mut row, p| {
                    row.push_bind(import)
                        .push_bind(tenant)
                        .push_bind(&p.product_external_id)
                        .push_bind(p.position)
                        .push_bind(&p.content_hash)
                        .push_bind(&p.content_type);
                });
                query.push(
                    " ON CONFLICT (import_id, product_external_id, position) DO UPDATE SET \
                     content_hash = excluded.content_hash, content_type = excluded.content_type",
                );
                query.build().execute(pool).await.map(drop)
            })?;
        }
        Ok(())
    }

    /// Makes everything staged for `import` live in one transaction, applies `options`,
    /// marks the import done and clears its staging rows.
    pub async fn publish_import(
        &self,
        tenant: TenantId,
        import: ImportId,
        options: &PublishOptions,
        report: &str,
    ) -> Result<(), StoreError> {
        let now = now_millis();
        let drop_pictures = if options.replace_pictures_of_all_sources {
            DROP_ALL_PICTURES
        } else {
            DROP_EXCHANGE_PICTURES
        };
        write_tx!(self, tx => {
            for chunk in options.categories.chunks(BATCH_ROWS) {
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
            sqlx::query(PUBLISH_PRODUCTS).bind(tenant).bind(import).bind(now).execute(&mut *tx).await?;
            sqlx::query(PUBLISH_OFFERS).bind(tenant).bind(import).bind(now).execute(&mut *tx).await?;
            sqlx::query(drop_pictures).bind(tenant).bind(import).execute(&mut *tx).await?;
            sqlx::query(PUBLISH_PICTURES).bind(tenant).bind(import).execute(&mut *tx).await?;
            for (table, ids) in [("products", &options.deactivate_products), ("offers", &options.deactivate_offers)] {
                for chunk in ids.chunks(BATCH_ROWS) {
                    let mut query = QueryBuilder::new("UPDATE ");
                    query.push(table);
                    query.push(" SET active = FALSE, content_hash = NULL, updated_at = ");
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
            sqlx::query("UPDATE imports SET state = 'done', finished_at = $3, report = $4 \
                         WHERE tenant_id = $1 AND id = $2")
                .bind(tenant)
                .bind(import)
                .bind(now)
                .bind(report)
                .execute(&mut *tx)
                .await?;
        });
        self.clear_staging(tenant, import).await
    }

    /// Marks an import failed and drops what it staged: the live catalog never saw it.
    pub async fn fail_import(
        &self,
        tenant: TenantId,
        import: ImportId,
        report: &str,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE imports SET state = 'failed', finished_at = $3, report = $4 \
                   WHERE tenant_id = $1 AND id = $2";
        with_pool!(self, pool => {
            sqlx::query(sql).bind(tenant).bind(import).bind(now_millis()).bind(report).execute(pool).await.map(drop)
        })?;
        self.clear_staging(tenant, import).await
    }

    async fn clear_staging(&self, tenant: TenantId, import: ImportId) -> Result<(), StoreError> {
        for table in ["staged_products", "staged_offers", "staged_pictures"] {
            with_pool!(self, pool => {
                let mut query = QueryBuilder::new("DELETE FROM ");
                query.push(table);
                query.push(" WHERE tenant_id = ");
                query.push_bind(tenant);
                query.push(" AND import_id = ");
                query.push_bind(import);
                query.build().execute(pool).await.map(drop)
            })?;
        }
        Ok(())
    }
}
