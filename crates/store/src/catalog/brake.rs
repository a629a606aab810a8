//! The safety brake's figures: what a publish does to the shop, measured inside its own
//! transaction before it commits, so that a pass the server judges destructive is rolled back
//! instead (the limits are the server's: `catalog::import::brake`).

use sqlx::QueryBuilder;

use crate::{Db, StoreError, TenantId};

/// What [`crate::ImportSession::publish_unless`] measures.
#[derive(Debug, Clone, Default)]
pub struct Measure {
    /// The shop's price type: count the active products left without it (or at 0) among those
    /// whose offers the publish changed. `None` measures nothing of prices.
    pub shop_price: Option<String>,
    /// Count the products whose pictures the publish removes.
    pub pictures: bool,
}

/// A publish's figures, as measured.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Impact {
    /// Active products whose offers this publish changed and that have no shop price after it.
    pub unpriced: i64,
    /// The first of them by id, by name.
    pub unpriced_first: Vec<String>,
    /// Products that had pictures and have none after it.
    pub pictures_lost: i64,
    /// The first of them by id, by name.
    pub pictures_first: Vec<String>,
}

/// How many products a figure names.
pub const FIRST: i64 = 20;

/// Active products of `$1` with an offer changed since `$2` (this import's start) and no active
/// offer priced above zero in the shop's price type: prices are JSON `[["type","amount",…],…]`
/// with canonical amounts, so a price of the type is `$3` (`%["type",%`) and a zero one `$4`.
pub(crate) const UNPRICED: &str = "FROM products p WHERE p.tenant_id = $1 AND p.active \
    AND EXISTS (SELECT 1 FROM offers c WHERE c.tenant_id = $1 AND c.product_external_id = p.external_id \
    AND c.updated_at >= $2) \
    AND NOT EXISTS (SELECT 1 FROM offers o WHERE o.tenant_id = $1 AND o.product_external_id = p.external_id \
    AND o.active AND o.prices LIKE $3 ESCAPE '\\' AND o.prices NOT LIKE $4 ESCAPE '\\')";

/// Products of `$1` whose picture list the import restates and that have pictures now.
pub(crate) const PICTURED: &str = "FROM products p WHERE p.tenant_id = $1 \
    AND p.external_id IN (SELECT product_external_id FROM staged_pictures) \
    AND EXISTS (SELECT 1 FROM product_pictures a WHERE a.tenant_id = $1 AND a.product_external_id = p.external_id)";

/// Restated products with no picture now (after the publish's changes).
pub(crate) const UNPICTURED: &str = "FROM products p WHERE p.tenant_id = $1 \
    AND p.external_id IN (SELECT product_external_id FROM staged_pictures) \
    AND NOT EXISTS (SELECT 1 FROM product_pictures a WHERE a.tenant_id = $1 AND a.product_external_id = p.external_id)";

impl Db {
    /// How many of a tenant's products are active (on sale).
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn active_products(&self, tenant: TenantId) -> Result<i64, StoreError> {
        let sql = "SELECT COUNT(*) FROM products WHERE tenant_id = $1 AND active";
        let count = with_pool!(self, pool => {
            sqlx::query_scalar::<_, i64>(sql).bind(tenant).fetch_one(pool).await
        })?;
        Ok(count)
    }

    /// How many of a tenant's products have pictures.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn pictured_products(&self, tenant: TenantId) -> Result<i64, StoreError> {
        let sql = "SELECT COUNT(*) FROM (SELECT DISTINCT product_external_id FROM product_pictures \
                   WHERE tenant_id = $1) pictured";
        let count = with_pool!(self, pool => {
            sqlx::query_scalar::<_, i64>(sql).bind(tenant).fetch_one(pool).await
        })?;
        Ok(count)
    }

    /// The products of a tenant that have pictures.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn pictured_product_ids(&self, tenant: TenantId) -> Result<Vec<String>, StoreError> {
        let sql = "SELECT DISTINCT product_external_id FROM product_pictures WHERE tenant_id = $1";
        let ids = with_pool!(self, pool => {
            sqlx::query_scalar::<_, String>(sql).bind(tenant).fetch_all(pool).await
        })?;
        Ok(ids)
    }

    /// The names of these products (their ids where they have none), in the ids' order.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn product_names(
        &self,
        tenant: TenantId,
        ids: &[String],
    ) -> Result<Vec<String>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let found: Vec<(String, String)> = with_pool!(self, pool => {
            let mut query = QueryBuilder::new(
                "SELECT external_id, COALESCE(name, external_id) FROM products WHERE tenant_id = ",
            );
            query.push_bind(tenant).push(" AND external_id IN (");
            let mut list = query.separated(", ");
            for id in ids {
                list.push_bind(id);
            }
            query.push(")");
            query.build_query_as().fetch_all(pool).await
        })?;
        let names: std::collections::HashMap<_, _> = found.into_iter().collect();
        Ok(ids
            .iter()
            .map(|id| names.get(id).cloned().unwrap_or_else(|| id.clone()))
            .collect())
    }
}

/// The `LIKE` patterns of a price of `price_type` and of a zero one.
pub(crate) fn price_patterns(price_type: &str) -> (String, String) {
    let quoted = serde_json_string(price_type);
    let escaped: String = quoted
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    (format!("%[{escaped},%"), format!("%[{escaped},\"0\"%"))
}

/// `value` as a JSON string literal (how the price type id appears in `prices`).
fn serde_json_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn price_patterns_match_the_stored_json_only() {
        let (priced, zero) = price_patterns("a_b%");
        assert_eq!(priced, r#"%["a\_b\%",%"#);
        assert_eq!(zero, r#"%["a\_b\%","0"%"#);
        let (priced, _) = price_patterns("q\"x");
        assert_eq!(priced, r#"%["q\\"x",%"#);
    }
}
