//! Product fields the shop owner locked against the exchange, and the owner's own edits of a
//! product (which lock what they change).

use crate::{Db, StoreError, TenantId, now_millis};

words! {
    /// A field of a product the exchange can be kept from changing.
    pub enum LockedField {
        Name = "name",
        Description = "description",
        Category = "category",
        Pictures = "pictures",
        /// Whether it is on sale (`active`).
        Visibility = "visibility",
    }
}
sql_word!(LockedField);

/// What the owner saves on a product's page: its name and description as the site shows them,
/// and the fields locked from now on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductEdit {
    pub name: String,
    pub description: Option<String>,
    /// Search text made from the new name (the store never computes it).
    pub search_text: String,
    pub locks: Vec<LockedField>,
}

impl Db {
    /// The locked fields of one product.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn product_locks(
        &self,
        tenant: TenantId,
        product: &str,
    ) -> Result<Vec<LockedField>, StoreError> {
        let sql = "SELECT field FROM product_locks WHERE tenant_id = $1 AND product_external_id = $2 \
                   ORDER BY field";
        let fields = with_pool!(self, pool => {
            sqlx::query_scalar::<_, LockedField>(sql).bind(tenant).bind(product).fetch_all(pool).await
        })?;
        Ok(fields)
    }

    /// Every locked field of a tenant, as (product, field): what an import leaves alone.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn all_locks(
        &self,
        tenant: TenantId,
    ) -> Result<Vec<(String, LockedField)>, StoreError> {
        let sql = "SELECT product_external_id, field FROM product_locks WHERE tenant_id = $1";
        let locks = with_pool!(self, pool => {
            sqlx::query_as::<_, (String, LockedField)>(sql).bind(tenant).fetch_all(pool).await
        })?;
        Ok(locks)
    }

    /// Saves the owner's edit of a product: its name, description and locks, at once. A field
    /// unlocked makes the product read in full by the next pass (its hashes are forgotten), so
    /// the exchange's value comes back. `StoreError::NotFound` for no such product.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn edit_product(
        &self,
        tenant: TenantId,
        product: &str,
        edit: &ProductEdit,
    ) -> Result<(), StoreError> {
        let update = "UPDATE products SET name = $3, description = $4, search_text = $5, updated_at = $6 \
                      WHERE tenant_id = $1 AND external_id = $2";
        let before =
            "SELECT field FROM product_locks WHERE tenant_id = $1 AND product_external_id = $2";
        let clear = "DELETE FROM product_locks WHERE tenant_id = $1 AND product_external_id = $2";
        let lock = "INSERT INTO product_locks (tenant_id, product_external_id, field, locked_at) \
                    VALUES ($1, $2, $3, $4)";
        let forget = "UPDATE products SET content_hash = NULL, source_hash = NULL \
                      WHERE tenant_id = $1 AND external_id = $2";
        let now = now_millis();
        write_tx!(self, tx => {
            let updated = sqlx::query(update).bind(tenant).bind(product).bind(&edit.name)
                .bind(&edit.description).bind(&edit.search_text).bind(now).execute(&mut *tx).await?;
            if updated.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            let was: Vec<LockedField> = sqlx::query_scalar(before).bind(tenant).bind(product).fetch_all(&mut *tx).await?;
            sqlx::query(clear).bind(tenant).bind(product).execute(&mut *tx).await?;
            for field in &edit.locks {
                sqlx::query(lock).bind(tenant).bind(product).bind(*field).bind(now).execute(&mut *tx).await?;
            }
            if was.iter().any(|field| !edit.locks.contains(field)) {
                sqlx::query(forget).bind(tenant).bind(product).execute(&mut *tx).await?;
            }
            sqlx::query(crate::tenants::BUMP_CATALOG_VERSION).bind(tenant).execute(&mut *tx).await?;
        });
        Ok(())
    }
}
