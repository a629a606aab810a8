//! Where uploaded and derived files live: one interface over a local folder now and an
//! S3-compatible store later (both are `object_store` backends).
//!
//! Keys are always under `tenants/<id>/`, so no code path can name another tenant's file, and
//! each key segment is checked, so no upload name can climb out of its folder.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use object_store::local::LocalFileSystem;
use object_store::path::Path as Key;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use vitrina_store::TenantId;

/// The file store shared by every request and job. Cheap to clone.
#[derive(Clone)]
pub struct Files {
    store: Arc<dyn ObjectStore>,
}

impl std::fmt::Debug for Files {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Files({})", self.store)
    }
}

impl Files {
    /// Files under a local folder, created if missing.
    pub fn local(root: &Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(root).with_context(|| format!("creating {}", root.display()))?;
        let store = LocalFileSystem::new_with_prefix(root)
            .with_context(|| format!("opening file storage at {}", root.display()))?;
        Ok(Self {
            store: Arc::new(store),
        })
    }

    /// The key of `relative` (a `/`-separated path) in `tenant`'s area. `None` when any segment
    /// is empty, `.`, `..` or holds a character a file name must not have.
    pub fn key(tenant: TenantId, relative: &str) -> Option<Key> {
        let mut key = Key::from("tenants").join(tenant.to_string());
        for segment in relative.split('/') {
            let unsafe_segment = segment.is_empty()
                || segment == "."
                || segment == ".."
                || segment
                    .chars()
                    .any(|c| c.is_control() || c == '\\' || c == ':');
            if unsafe_segment {
                return None;
            }
            key = key.join(segment);
        }
        Some(key)
    }

    /// Stores `bytes` at `key`, replacing what was there, atomically.
    pub async fn put(&self, key: &Key, bytes: Vec<u8>) -> anyhow::Result<()> {
        self.store
            .put(key, PutPayload::from(bytes))
            .await
            .with_context(|| format!("writing {key}"))?;
        Ok(())
    }

    /// Streams `body` to `key`, at most `limit` bytes: past that the object is discarded and
    /// `Ok(None)` returned. Memory stays bounded by the writer's buffer whatever the size.
    pub async fn put_stream<S, E>(
        &self,
        key: &Key,
        mut body: S,
        limit: u64,
    ) -> anyhow::Result<Option<u64>>
    where
        S: futures_util::Stream<Item = Result<bytes::Bytes, E>> + Unpin,
        E: std::error::Error + Send + Sync + 'static,
    {
        use futures_util::StreamExt;
        use tokio::io::AsyncWriteExt;
        let mut writer = object_store::buffered::BufWriter::new(self.store.clone(), key.clone());
        let mut written = 0u64;
        while let Some(chunk) = body.next().await {
            let chunk = match chunk {
                Ok(chunk) => chunk,
                Err(err) => {
                    writer.abort().await.ok();
                    return Err(anyhow::Error::new(err).context("reading the request body"));
                }
            };
            written += chunk.len() as u64;
            if written > limit {
                writer.abort().await.ok();
                return Ok(None);
            }
            writer
                .write_all(&chunk)
                .await
                .with_context(|| format!("writing {key}"))?;
        }
        writer
            .shutdown()
            .await
            .with_context(|| format!("writing {key}"))?;
        Ok(Some(written))
    }

    /// Appends the object at `key` to `out`, streaming.
    pub async fn copy_into(&self, key: &Key, out: &mut tokio::fs::File) -> anyhow::Result<u64> {
        use futures_util::StreamExt;
        use tokio::io::AsyncWriteExt;
        let found = self
            .store
            .get(key)
            .await
            .with_context(|| format!("reading {key}"))?;
        let mut stream = found.into_stream();
        let mut copied = 0;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.with_context(|| format!("reading {key}"))?;
            out.write_all(&chunk).await?;
            copied += chunk.len() as u64;
        }
        Ok(copied)
    }

    /// The bytes stored at `key`.
    pub async fn get(&self, key: &Key) -> anyhow::Result<Vec<u8>> {
        let found = self
            .store
            .get(key)
            .await
            .with_context(|| format!("reading {key}"))?;
        Ok(found
            .bytes()
            .await
            .with_context(|| format!("reading {key}"))?
            .to_vec())
    }

    /// Removes `key`; removing what is not there is not an error.
    pub async fn delete(&self, key: &Key) -> anyhow::Result<()> {
        match self.store.delete(key).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(err) => Err(err).with_context(|| format!("deleting {key}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_stay_inside_the_tenant_area() {
        let key = Files::key(TenantId(7), "batches/12/import_files/a.jpg").unwrap();
        assert_eq!(key.as_ref(), "tenants/7/batches/12/import_files/a.jpg");
        for bad in [
            "../8/x",
            "a/../../x",
            "/abs",
            "a//b",
            "c:x",
            "a\\b",
            "a/./b",
            "nul\0",
        ] {
            assert!(Files::key(TenantId(7), bad).is_none(), "{bad:?}");
        }
    }

    #[tokio::test]
    async fn stores_reads_and_deletes() {
        let dir = tempfile::tempdir().unwrap();
        let files = Files::local(&dir.path().join("files")).unwrap();
        let key = Files::key(TenantId(1), "a/b.txt").unwrap();
        files.put(&key, b"hello".to_vec()).await.unwrap();
        assert_eq!(files.get(&key).await.unwrap(), b"hello");
        assert!(dir.path().join("files/tenants/1/a/b.txt").exists());
        files.delete(&key).await.unwrap();
        files.delete(&key).await.unwrap();
        assert!(files.get(&key).await.is_err());
    }
}
