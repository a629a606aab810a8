//! What the storefront API reads.

use std::sync::LazyLock;

use super::rows::{OfferRow, ProductRow, StagedOffer, StagedProduct};
use crate::{Db, StoreError, TenantId};

/// A category.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CategoryRow {
    /// `Ид`.
    pub external_id: String,
    /// Name.
    pub name: String,
    /// Parent `Ид`.
    pub parent_external_id: Option<String>,
}

/// A price type.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PriceTypeRow {
    /// `Ид`.
    pub external_id: String,
    /// Name.
    pub name: String,
    /// Currency.
    pub currency: Option<String>,
    /// When a document last listed it (Unix ms).
    pub listed_at: i64,
    /// Its place in that list.
    pub position: i64,
}

/// A warehouse.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct WarehouseRow {
    /// `Ид`.
    pub external_id: String,
    /// Name.
    pub name: String,
}

/// A picture of a product.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PictureRow {
    /// The product.
    pub product_external_id: String,
    /// `exchange` or `admin`.
    pub source: String,
    /// SHA-256 hex of the bytes.
    pub content_hash: String,
    /// e.g. `image/png`.
    pub content_type: String,
}

/// A product as a read model indexes it: what lists filter, sort and search on.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct IndexedProductRow {
    pub external_id: String,
    pub name: Option<String>,
    /// Category `Ид`; `""` or `None` for none.
    pub category_external_id: Option<String>,
    /// JSON array of `{name, value}`.
    pub properties: Option<String>,
    /// Name, `Артикул` and barcodes, lower-cased, `ё` as `е`.
    pub search_text: Option<String>,
    pub active: bool,
    /// When the product first arrived (Unix ms).
    pub created_at: i64,
}

/// An active offer as a read model indexes it: its prices and stock.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct IndexedOfferRow {
    pub product_external_id: String,
    /// The variant part, if a variant.
    pub variant_external_id: Option<String>,
    /// JSON array of `{price_type, amount, currency}`.
    pub prices: Option<String>,
    /// JSON array of `{warehouse, quantity}`.
    pub stock: Option<String>,
    /// The file's own total.
    pub quantity: Option<String>,
}

/// A statement reading rows of some products: `$1` is the tenant, `$2…` the ids that
/// `column IN (…)` takes. One text per id count for both databases.
struct ByIds {
    /// The statement up to the id list (made once, on first use).
    head: fn() -> &'static str,
    column: &'static str,
    tail: &'static str,
}

impl ByIds {
    fn sql(&self, prefix: &str, ids: usize) -> String {
        let list: Vec<String> = (2..ids + 2).map(|n| format!("${n}")).collect();
        format!(
            "{prefix} {} AND {} IN ({}) {}",
            (self.head)(),
            self.column,
            list.join(", "),
            self.tail
        )
    }
}

/// A product's read row and whether it is active; `$1` is the tenant.
static PRODUCT_ROWS: LazyLock<String> = LazyLock::new(|| {
    let columns = &StagedProduct::statements().read_columns;
    format!("SELECT {columns}, active FROM products p WHERE p.tenant_id = $1")
});

/// One product by id (`$2`).
static PRODUCT_BY_ID: LazyLock<String> =
    LazyLock::new(|| format!("{} AND p.external_id = $2", PRODUCT_ROWS.as_str()));

/// The active offers' read rows; `$1` is the tenant.
static OFFER_ROWS: LazyLock<String> = LazyLock::new(|| {
    let columns = &StagedOffer::statements().read_columns;
    format!("SELECT {columns} FROM offers WHERE active AND tenant_id = $1")
});

const PRODUCTS_BY_IDS: ByIds = ByIds {
    head: || PRODUCT_ROWS.as_str(),
    column: "p.external_id",
    tail: "",
};

const OFFERS_OF: ByIds = ByIds {
    head: || OFFER_ROWS.as_str(),
    column: "product_external_id",
    tail: "ORDER BY product_external_id, external_id",
};

const PICTURES_OF: ByIds = ByIds {
    head: || {
        "SELECT product_external_id, source, content_hash, content_type FROM product_pictures \
         WHERE tenant_id = $1"
    },
    column: "product_external_id",
    tail: "ORDER BY product_external_id, source DESC, position",
};

crate::words! {
    /// The catalog tables whose planner statistics an import may refresh.
    pub enum CatalogTable {
        Products = "products",
        Offers = "offers",
        Pictures = "product_pictures",
        Categories = "categories",
    }
}

impl CatalogTable {
    /// The columns lookups filter and join by: the only ones PostgreSQL needs statistics of
    /// (sampling a product's description and search text took most of an ANALYZE's time).
    fn looked_up_by(self) -> &'static str {
        match self {
            Self::Products => "tenant_id, external_id, category_external_id, active",
            Self::Offers => "tenant_id, external_id, product_external_id, active",
            Self::Pictures => "tenant_id, product_external_id, content_hash",
            Self::Categories => "tenant_id, external_id, parent_external_id",
        }
    }
}

impl Db {
    /// Every category of a tenant, in document order.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn list_categories(&self, tenant: TenantId) -> Result<Vec<CategoryRow>, StoreError> {
        let sql = "SELECT external_id, name, parent_external_id FROM categories \
                   WHERE tenant_id = $1 ORDER BY position, external_id";
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, CategoryRow>(sql).bind(tenant).fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// Every price type of a tenant.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn list_price_types(
        &self,
        tenant: TenantId,
    ) -> Result<Vec<PriceTypeRow>, StoreError> {
        let sql = "SELECT external_id, name, currency, listed_at, position FROM price_types \
                   WHERE tenant_id = $1 ORDER BY listed_at DESC, position";
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, PriceTypeRow>(sql).bind(tenant).fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// Every warehouse of a tenant.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn list_warehouses(&self, tenant: TenantId) -> Result<Vec<WarehouseRow>, StoreError> {
        let sql = "SELECT external_id, name FROM warehouses WHERE tenant_id = $1 ORDER BY position, external_id";
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, WarehouseRow>(sql).bind(tenant).fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// Every product of a tenant in `external_id` byte order, as a read model indexes it.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn indexed_products(
        &self,
        tenant: TenantId,
    ) -> Result<Vec<IndexedProductRow>, StoreError> {
        let sql = "SELECT external_id, name, category_external_id, properties, search_text, active, \
                   created_at FROM products WHERE tenant_id = $1 ORDER BY external_id";
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, IndexedProductRow>(sql).bind(tenant).fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// Every active offer of a tenant, as a read model indexes it.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn indexed_offers(
        &self,
        tenant: TenantId,
    ) -> Result<Vec<IndexedOfferRow>, StoreError> {
        let sql = "SELECT product_external_id, variant_external_id, prices, stock, quantity \
                   FROM offers WHERE tenant_id = $1 AND active";
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, IndexedOfferRow>(sql).bind(tenant).fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// Some products by id, in no particular order, with whether each is active.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn products_by_ids(
        &self,
        tenant: TenantId,
        ids: &[String],
    ) -> Result<Vec<(ProductRow, bool)>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = PRODUCTS_BY_IDS.sql("", ids.len());
        let rows = with_pool!(self, pool => {
            let mut query = sqlx::query_as::<_, ProductWithActive>(sqlx::AssertSqlSafe(sql)).bind(tenant);
            for id in ids {
                query = query.bind(id);
            }
            query.fetch_all(pool).await
        })?;
        Ok(rows.into_iter().map(|r| (r.product, r.active)).collect())
    }

    /// The plans of the statements that read a page's products, offers and pictures for
    /// `ids` (`EXPLAIN QUERY PLAN` on SQLite; `EXPLAIN` on PostgreSQL with sequential scans
    /// off, so that a test's small tables show whether an index serves the condition), one
    /// text per statement: tests check that each uses its index.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn explain_page_reads(
        &self,
        tenant: TenantId,
        ids: &[String],
    ) -> Result<Vec<(&'static str, String)>, StoreError> {
        let statements = [
            ("products", &PRODUCTS_BY_IDS),
            ("offers", &OFFERS_OF),
            ("pictures", &PICTURES_OF),
        ];
        let mut plans = Vec::new();
        for (name, statement) in statements {
            let lines: Vec<String> = match self {
                Db::Sqlite(pool) => {
                    let sql = statement.sql("EXPLAIN QUERY PLAN", ids.len());
                    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(tenant);
                    for id in ids {
                        query = query.bind(id);
                    }
                    let rows = query.fetch_all(pool).await?;
                    // (id, parent, notused, detail)
                    rows.iter()
                        .map(|row| sqlx::Row::try_get::<String, _>(row, 3))
                        .collect::<Result<_, _>>()?
                }
                Db::Postgres(pool) => {
                    let mut tx = pool.begin().await?;
                    sqlx::query("SET LOCAL enable_seqscan = off")
                        .execute(&mut *tx)
                        .await?;
                    let sql = statement.sql("EXPLAIN", ids.len());
                    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(tenant);
                    for id in ids {
                        query = query.bind(id);
                    }
                    let rows = query.fetch_all(&mut *tx).await?;
                    rows.iter()
                        .map(|row| sqlx::Row::try_get::<String, _>(row, 0))
                        .collect::<Result<_, _>>()?
                }
            };
            plans.push((name, lines.join("\n")));
        }
        Ok(plans)
    }

    /// Refreshes the planner's statistics of `tables`, so lookups by id lists use their
    /// indexes (without statistics PostgreSQL takes a fresh table for empty and walks the
    /// whole tenant). Called after a publish that changed many of their rows; SQLite samples
    /// a bounded number of rows per index.
    #[tracing::instrument(level = "debug", skip_all, fields(tables = ?tables))]
    pub async fn refresh_statistics(&self, tables: &[CatalogTable]) -> Result<(), StoreError> {
        if tables.is_empty() {
            return Ok(());
        }
        let names: Vec<&str> = tables.iter().map(|t| t.as_str()).collect();
        match self {
            Db::Sqlite(pool) => {
                let mut conn = pool.acquire().await?;
                sqlx::query("PRAGMA analysis_limit = 1000")
                    .execute(&mut *conn)
                    .await?;
                for name in names {
                    let analyze = format!("ANALYZE {name}");
                    sqlx::query(sqlx::AssertSqlSafe(analyze))
                        .execute(&mut *conn)
                        .await?;
                }
            }
            Db::Postgres(pool) => {
                let analyzed: Vec<String> = tables
                    .iter()
                    .map(|t| format!("{} ({})", t.as_str(), t.looked_up_by()))
                    .collect();
                let analyze = format!("ANALYZE {}", analyzed.join(", "));
                sqlx::query(sqlx::AssertSqlSafe(analyze))
                    .execute(pool)
                    .await?;
            }
        }
        Ok(())
    }

    /// One product, active or not (`None` when unknown).
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn find_product(
        &self,
        tenant: TenantId,
        external_id: &str,
    ) -> Result<Option<(ProductRow, bool)>, StoreError> {
        let row = with_pool!(self, pool => {
            sqlx::query_as::<_, ProductWithActive>(PRODUCT_BY_ID.as_str()).bind(tenant).bind(external_id).fetch_optional(pool).await
        })?;
        Ok(row.map(|r| (r.product, r.active)))
    }

    /// The active offers of some products.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn offers_of(
        &self,
        tenant: TenantId,
        products: &[String],
    ) -> Result<Vec<OfferRow>, StoreError> {
        if products.is_empty() {
            return Ok(Vec::new());
        }
        let sql = OFFERS_OF.sql("", products.len());
        let rows = with_pool!(self, pool => {
            let mut query = sqlx::query_as::<_, OfferRow>(sqlx::AssertSqlSafe(sql)).bind(tenant);
            for id in products {
                query = query.bind(id);
            }
            query.fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// The pictures of some products: exchange pictures first, each source in its order.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn pictures_of(
        &self,
        tenant: TenantId,
        products: &[String],
    ) -> Result<Vec<PictureRow>, StoreError> {
        if products.is_empty() {
            return Ok(Vec::new());
        }
        let sql = PICTURES_OF.sql("", products.len());
        let rows = with_pool!(self, pool => {
            let mut query = sqlx::query_as::<_, PictureRow>(sqlx::AssertSqlSafe(sql)).bind(tenant);
            for id in products {
                query = query.bind(id);
            }
            query.fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// The content type of a picture of the tenant, if it has one with this hash.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn picture_type(
        &self,
        tenant: TenantId,
        content_hash: &str,
    ) -> Result<Option<String>, StoreError> {
        let sql = "SELECT content_type FROM product_pictures WHERE tenant_id = $1 AND content_hash = $2 LIMIT 1";
        let found = with_pool!(self, pool => {
            sqlx::query_scalar::<_, String>(sql).bind(tenant).bind(content_hash).fetch_optional(pool).await
        })?;
        Ok(found)
    }
}

#[derive(sqlx::FromRow)]
struct ProductWithActive {
    #[sqlx(flatten)]
    product: ProductRow,
    active: bool,
}
