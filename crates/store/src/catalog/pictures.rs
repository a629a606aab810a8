//! Pictures uploaded in the admin panel (`source = 'admin'`): added after the product's
//! others, reordered, removed. Exchange pictures are the import's (see `staging`).

use crate::{Db, StoreError, TenantId};

impl Db {
    /// The product's admin pictures' hashes, in their order.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn admin_pictures(
        &self,
        tenant: TenantId,
        product: &str,
    ) -> Result<Vec<String>, StoreError> {
        let sql = "SELECT content_hash FROM product_pictures WHERE tenant_id = $1 \
                   AND product_external_id = $2 AND source = 'admin' ORDER BY position";
        let rows = with_pool!(self, pool => {
            sqlx::query_scalar::<_, String>(sql).bind(tenant).bind(product).fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// Appends pictures (hash, content type) to the product's admin pictures, all or none; a
    /// picture the product already has is not added twice.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn add_admin_pictures(
        &self,
        tenant: TenantId,
        product: &str,
        pictures: &[(String, String)],
    ) -> Result<(), StoreError> {
        let last = "SELECT COALESCE(MAX(position), -1) FROM product_pictures WHERE tenant_id = $1 \
                    AND product_external_id = $2 AND source = 'admin'";
        let has = "SELECT COUNT(*) FROM product_pictures WHERE tenant_id = $1 \
                   AND product_external_id = $2 AND source = 'admin' AND content_hash = $3";
        let insert = "INSERT INTO product_pictures (tenant_id, product_external_id, position, \
                      source, content_hash, content_type) VALUES ($1, $2, $3, 'admin', $4, $5)";
        write_tx!(self, tx => {
            let mut position = sqlx::query_scalar::<_, i64>(last)
                .bind(tenant)
                .bind(product)
                .fetch_one(&mut *tx)
                .await?;
            for (hash, content_type) in pictures {
                let present = sqlx::query_scalar::<_, i64>(has)
                    .bind(tenant)
                    .bind(product)
                    .bind(hash)
                    .fetch_one(&mut *tx)
                    .await?;
                if present > 0 {
                    continue;
                }
                position += 1;
                sqlx::query(insert)
                    .bind(tenant)
                    .bind(product)
                    .bind(position)
                    .bind(hash)
                    .bind(content_type)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(crate::tenants::BUMP_CATALOG_VERSION)
                .bind(tenant)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    /// Puts the product's admin pictures in this order (the same hashes, reordered).
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn order_admin_pictures(
        &self,
        tenant: TenantId,
        product: &str,
        hashes: &[String],
    ) -> Result<(), StoreError> {
        // Negative positions first, so no two rows ever share a position mid-way.
        let park = "UPDATE product_pictures SET position = -1 - position WHERE tenant_id = $1 \
                    AND product_external_id = $2 AND source = 'admin'";
        let place = "UPDATE product_pictures SET position = $4 WHERE tenant_id = $1 \
                     AND product_external_id = $2 AND source = 'admin' AND content_hash = $3";
        write_tx!(self, tx => {
            sqlx::query(park).bind(tenant).bind(product).execute(&mut *tx).await?;
            for (position, hash) in hashes.iter().enumerate() {
                sqlx::query(place)
                    .bind(tenant)
                    .bind(product)
                    .bind(hash)
                    .bind(position as i64)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(crate::tenants::BUMP_CATALOG_VERSION)
                .bind(tenant)
                .execute(&mut *tx)
                .await?;
        });
        Ok(())
    }

    /// Removes one admin picture of the product (its bytes stay: other products may use them).
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn delete_admin_picture(
        &self,
        tenant: TenantId,
        product: &str,
        hash: &str,
    ) -> Result<(), StoreError> {
        let sql = "DELETE FROM product_pictures WHERE tenant_id = $1 AND product_external_id = $2 \
                   AND source = 'admin' AND content_hash = $3";
        with_pool!(self, pool => {
            sqlx::query(sql).bind(tenant).bind(product).bind(hash).execute(pool).await.map(drop)
        })?;
        self.bump_catalog_version(tenant).await
    }
}
