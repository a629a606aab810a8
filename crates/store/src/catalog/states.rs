//! What the live catalog holds for each product and offer (the hash of its last full statement
//! and whether it is active), read before an import so that unchanged items are not staged.
//!
//! On SQLite a table's states come back as joined text, a page at a time, not a row per item:
//! sqlx's cost per SQLite row (each handed between threads) was half of an unchanged
//! 100k-product pass. Fields and records are joined with the ASCII unit and record separators,
//! which XML 1.0 cannot carry, so no Ид holds them; if one ever did, the rest is read row by
//! row. PostgreSQL reads rows cheaply and is read row by row.

use crate::{Db, StoreError, TenantId};

/// What the live catalog holds for an item, so unchanged items need not be staged.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ItemState {
    /// External id.
    pub external_id: String,
    /// Hash of the last full statement, if still current.
    pub content_hash: Option<String>,
    /// The hash it is known by from its item's bytes, if any.
    pub source_hash: Option<String>,
    /// Active or not.
    pub active: bool,
}

const UNIT: char = '\u{1f}';
const RECORD: char = '\u{1e}';

/// Items per statement: a page's text stays near a megabyte however big the shop.
const PAGE: i64 = 20_000;

impl Db {
    /// The live state of every product of a tenant.
    pub async fn product_states(&self, tenant: TenantId) -> Result<Vec<ItemState>, StoreError> {
        let mut states = Vec::new();
        self.each_product_state(tenant, |state| states.push(state))
            .await?;
        Ok(states)
    }

    /// The live state of every offer of a tenant.
    pub async fn offer_states(&self, tenant: TenantId) -> Result<Vec<ItemState>, StoreError> {
        let mut states = Vec::new();
        self.each_offer_state(tenant, |state| states.push(state))
            .await?;
        Ok(states)
    }

    /// Hands each product's state to `each`, a page at a time, in id order.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn each_product_state(
        &self,
        tenant: TenantId,
        each: impl FnMut(ItemState),
    ) -> Result<(), StoreError> {
        self.each_state(tenant, "products", PAGE, each).await
    }

    /// Hands each offer's state to `each`, a page at a time, in id order.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn each_offer_state(
        &self,
        tenant: TenantId,
        each: impl FnMut(ItemState),
    ) -> Result<(), StoreError> {
        self.each_state(tenant, "offers", PAGE, each).await
    }

    /// [`Db::each_product_state`] in pages of `page` items (tests page through a few rows).
    #[doc(hidden)]
    pub async fn each_product_state_paged(
        &self,
        tenant: TenantId,
        page: i64,
        each: impl FnMut(ItemState),
    ) -> Result<(), StoreError> {
        self.each_state(tenant, "products", page, each).await
    }

    async fn each_state(
        &self,
        tenant: TenantId,
        table: &'static str,
        page_size: i64,
        mut each: impl FnMut(ItemState),
    ) -> Result<(), StoreError> {
        if matches!(self, Db::Postgres(_)) {
            // PostgreSQL hands rows over cheaply (no per-row trip between threads): one plain
            // statement beats joined pages there, whose heap visits cost more than they save.
            return self.each_state_by_row(tenant, table, "", each).await;
        }
        // SQLite is told to read the covering index (migration 0014), which its planner, going
        // by statistics gathered before the index existed, may pass over.
        let (unit, record) = (u32::from(UNIT), u32::from(RECORD));
        let page = format!(
            "SELECT COALESCE(group_concat(item, char({record})), '') FROM (SELECT external_id \
             || char({unit}) || COALESCE(content_hash, '') || char({unit}) \
             || COALESCE(source_hash, '') || char({unit}) \
             || CASE WHEN active THEN '1' ELSE '0' END AS item \
             FROM {table} INDEXED BY {table}_states WHERE tenant_id = $1 AND external_id > $2 \
             ORDER BY external_id LIMIT $3)"
        );
        let mut after = String::new();
        loop {
            let text = with_pool!(self, pool => {
                sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(page.clone()))
                    .bind(tenant).bind(&after).bind(page_size).fetch_one(pool).await
            })?;
            let Some(states) = split(&text) else {
                return self.each_state_by_row(tenant, table, &after, each).await;
            };
            let Some(last) = states.last() else {
                return Ok(());
            };
            after.clone_from(&last.external_id);
            let full = states.len() as i64 == page_size;
            states.into_iter().for_each(&mut each);
            if !full {
                return Ok(());
            }
        }
    }

    /// The rest after `after`, a row per item: for a table holding an id with a separator.
    async fn each_state_by_row(
        &self,
        tenant: TenantId,
        table: &'static str,
        after: &str,
        each: impl FnMut(ItemState),
    ) -> Result<(), StoreError> {
        let rows = format!(
            "SELECT external_id, content_hash, source_hash, active FROM {table} \
             WHERE tenant_id = $1 AND external_id > $2 ORDER BY external_id"
        );
        let states = with_pool!(self, pool => {
            sqlx::query_as::<_, ItemState>(sqlx::AssertSqlSafe(rows)).bind(tenant).bind(after).fetch_all(pool).await
        })?;
        states.into_iter().for_each(each);
        Ok(())
    }
}

/// The states in a joined text, or `None` when a record does not split as written.
fn split(text: &str) -> Option<Vec<ItemState>> {
    if text.is_empty() {
        return Some(Vec::new());
    }
    text.split(RECORD)
        .map(|record| {
            let mut fields = record.split(UNIT);
            let (id, hash, source) = (fields.next()?, fields.next()?, fields.next()?);
            let active = fields.next()?;
            if fields.next().is_some() {
                return None;
            }
            Some(ItemState {
                external_id: id.to_owned(),
                content_hash: (!hash.is_empty()).then(|| hash.to_owned()),
                source_hash: (!source.is_empty()).then(|| source.to_owned()),
                active: match active {
                    "1" => true,
                    "0" => false,
                    _ => return None,
                },
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_states_split_back_or_not_at_all() {
        let text = format!("a{UNIT}h1{UNIT}s1{UNIT}1{RECORD}b{UNIT}{UNIT}{UNIT}0");
        let states = split(&text).unwrap();
        assert_eq!(states[0].content_hash.as_deref(), Some("h1"));
        assert_eq!(states[0].source_hash.as_deref(), Some("s1"));
        assert!(states[0].active && !states[1].active && states[1].content_hash.is_none());
        assert!(states[1].source_hash.is_none());
        assert_eq!(split("").unwrap(), []);
        assert!(
            split(&format!("a{UNIT}x{UNIT}y{UNIT}{UNIT}1")).is_none(),
            "an id holding a separator"
        );
        assert!(split(&format!("a{UNIT}h{UNIT}{UNIT}2")).is_none());
    }
}
