//! Where uploaded and derived files live: one interface over a local folder (the default) or
//! an S3-compatible bucket (`--storage-url s3://bucket/prefix`), both `object_store` backends,
//! so several instances can share one store and keep nothing another needs in their folders.
//!
//! Keys are always under `tenants/<id>/`, so no code path can name another tenant's file, and
//! each key segment is checked, so no upload name can climb out of its folder.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context;
use object_store::local::LocalFileSystem;
pub use object_store::path::Path as Key;
use object_store::{GetResultPayload, ObjectStore, ObjectStoreExt, PutPayload};
use vitrina_store::TenantId;

/// The file store shared by every request and job. Cheap to clone.
#[derive(Clone)]
pub struct Files {
    store: Arc<dyn ObjectStore>,
    /// How much of a streamed upload is held in memory before it is written out: small for a
    /// local folder (a hundred shops upload at once), the smallest multipart part for S3.
    write_buffer: usize,
}

/// A local folder takes writes in pieces of any size.
const LOCAL_WRITE_BUFFER: usize = 256 * 1024;
/// S3 takes multipart parts of at least 5 MiB (but the last).
const S3_WRITE_BUFFER: usize = 5 * 1024 * 1024;

impl std::fmt::Debug for Files {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Files({})", self.store)
    }
}

impl Files {
    /// The store a `--storage-url` names: `s3://bucket[/prefix]` (configured by the standard
    /// `AWS_*` variables: `AWS_ENDPOINT_URL`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
    /// `AWS_REGION`, `AWS_ALLOW_HTTP`), `file:///path` or a plain path; `None` for the
    /// `files` folder under `data_dir`.
    pub fn open(url: Option<&str>, data_dir: &Path) -> anyhow::Result<Self> {
        match url {
            None => Self::local(&data_dir.join("files")),
            Some(url) if url.starts_with("s3://") => Self::s3(url),
            Some(url) => Self::local(Path::new(url.strip_prefix("file://").unwrap_or(url))),
        }
    }

    /// Files in an S3-compatible bucket, under the URL's path if it has one.
    fn s3(url: &str) -> anyhow::Result<Self> {
        let rest = url.trim_start_matches("s3://");
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let mut builder = object_store::aws::AmazonS3Builder::from_env().with_bucket_name(bucket);
        // The variable AWS's own tools read, which object_store knows as AWS_ENDPOINT.
        if std::env::var_os("AWS_ENDPOINT").is_none()
            && let Ok(endpoint) = std::env::var("AWS_ENDPOINT_URL")
        {
            builder = builder.with_endpoint(endpoint);
        }
        // A store that is down answers in seconds, not after minutes of retries.
        let retry = object_store::RetryConfig {
            max_retries: 3,
            retry_timeout: std::time::Duration::from_secs(15),
            ..object_store::RetryConfig::default()
        };
        let store = builder
            .with_retry(retry)
            .build()
            .with_context(|| format!("opening the file store {url}"))?;
        let prefix = prefix.trim_matches('/');
        let store: Arc<dyn ObjectStore> = if prefix.is_empty() {
            Arc::new(store)
        } else {
            Arc::new(object_store::prefix::PrefixStore::new(store, prefix))
        };
        Ok(Self {
            store,
            write_buffer: S3_WRITE_BUFFER,
        })
    }

    /// Whether the store answers: a listing of one key costs one request.
    pub async fn check(&self) -> anyhow::Result<()> {
        use futures_util::StreamExt;
        let mut listing = self.store.list(Some(&Key::from("tenants")));
        match listing.next().await {
            None | Some(Ok(_)) => Ok(()),
            Some(Err(err)) => Err(err).context("listing the file store"),
        }
    }

    /// Files under a local folder, created if missing.
    pub fn local(root: &Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(root).with_context(|| format!("creating {}", root.display()))?;
        let store = LocalFileSystem::new_with_prefix(root)
            .with_context(|| format!("opening file storage at {}", root.display()))?;
        Ok(Self {
            store: Arc::new(store),
            write_buffer: LOCAL_WRITE_BUFFER,
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
        let mut writer = object_store::buffered::BufWriter::with_capacity(
            self.store.clone(),
            key.clone(),
            self.write_buffer,
        );
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

    /// The object at `key`, to read on a blocking thread of `runtime`: a local file as it is,
    /// a bucket's object as the stream it arrives in (its chunks awaited on `runtime`).
    pub async fn open_read(
        &self,
        key: &Key,
        runtime: tokio::runtime::Handle,
    ) -> anyhow::Result<ObjectReader> {
        let found = self
            .store
            .get(key)
            .await
            .with_context(|| format!("reading {key}"))?;
        Ok(match found.payload {
            GetResultPayload::File(file, _) => ObjectReader::File(file),
            GetResultPayload::Stream(stream) => ObjectReader::Stream {
                stream,
                chunk: bytes::Bytes::new(),
                runtime,
            },
        })
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

/// A stored object read with `std::io::Read`, on a blocking thread (see [`Files::open_read`]).
pub enum ObjectReader {
    File(std::fs::File),
    Stream {
        stream: futures_util::stream::BoxStream<'static, object_store::Result<bytes::Bytes>>,
        chunk: bytes::Bytes,
        runtime: tokio::runtime::Handle,
    },
}

impl std::io::Read for ObjectReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use futures_util::StreamExt;
        match self {
            Self::File(file) => file.read(buf),
            Self::Stream {
                stream,
                chunk,
                runtime,
            } => {
                while chunk.is_empty() {
                    match runtime.block_on(stream.next()) {
                        Some(next) => *chunk = next.map_err(std::io::Error::other)?,
                        None => return Ok(0),
                    }
                }
                let n = chunk.len().min(buf.len());
                buf[..n].copy_from_slice(&chunk[..n]);
                bytes::Buf::advance(chunk, n);
                Ok(n)
            }
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
