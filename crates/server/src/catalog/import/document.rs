//! Where an import reads its document from: a file, or the parts an exchange client uploaded,
//! read one after another as one stream (no copy put together first: for a 240 MB offers.xml
//! that copy cost as much as reading it).

use std::collections::VecDeque;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use tokio::runtime::Handle;

use crate::files::{Files, Key, ObjectReader};

/// A document to import.
#[derive(Debug, Clone)]
pub struct Document {
    /// Its file name, as the report and messages name it.
    pub name: String,
    /// Where the files its `Картинка` elements name are looked for.
    pub pictures_dir: PathBuf,
    bytes: Bytes,
}

#[derive(Debug, Clone)]
enum Bytes {
    File(PathBuf),
    Parts(Vec<Key>),
}

impl Document {
    /// The document at `path`, its pictures beside it.
    pub fn file(path: &Path) -> Self {
        Self {
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            pictures_dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
            bytes: Bytes::File(path.to_path_buf()),
        }
    }

    /// The document `name` made of the stored `parts`, in order; its pictures in `pictures_dir`.
    pub fn parts(name: &str, parts: Vec<Key>, pictures_dir: &Path) -> Self {
        Self {
            name: name.rsplit('/').next().unwrap_or(name).to_owned(),
            pictures_dir: pictures_dir.to_path_buf(),
            bytes: Bytes::Parts(parts),
        }
    }

    /// Its bytes, for a blocking thread of `runtime`.
    pub(super) fn open(&self, files: &Files, runtime: Handle) -> io::Result<Box<dyn Read + Send>> {
        match &self.bytes {
            Bytes::File(path) => Ok(Box::new(std::fs::File::open(path)?)),
            Bytes::Parts(parts) => Ok(Box::new(Parts {
                files: files.clone(),
                runtime,
                next: parts.iter().cloned().collect(),
                current: None,
            })),
        }
    }
}

/// Stored parts read one after another.
struct Parts {
    files: Files,
    runtime: Handle,
    next: VecDeque<Key>,
    current: Option<ObjectReader>,
}

impl Read for Parts {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if let Some(current) = &mut self.current {
                let n = current.read(buf)?;
                if n > 0 || buf.is_empty() {
                    return Ok(n);
                }
            }
            let Some(key) = self.next.pop_front() else {
                return Ok(0);
            };
            let opened = self
                .runtime
                .block_on(self.files.open_read(&key, self.runtime.clone()));
            self.current = Some(opened.map_err(io::Error::other)?);
        }
    }
}
