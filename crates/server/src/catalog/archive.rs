//! Unpacking zip archives 1C sends (or an operator hands `vitrina import`), refusing the whole
//! archive when any entry is unsafe: a path leaving the folder, a link, encryption, or more
//! entries, bytes or compression than the limits allow (zip bombs).

use std::io::Read;
use std::path::Path;

/// What an archive may unpack to.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most entries.
    pub entries: usize,
    /// Most bytes unpacked in all.
    pub bytes: u64,
    /// Most bytes unpacked per compressed byte of one entry.
    pub ratio: u64,
}

/// Why an archive was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ArchiveError {
    #[error("not a zip archive")]
    NotZip,
    #[error("more than {0} entries")]
    TooManyEntries(usize),
    #[error("entry {0} points outside the archive")]
    Escapes(String),
    #[error("entry {0} is a link")]
    Link(String),
    #[error("entry {0} is encrypted")]
    Encrypted(String),
    #[error("unpacks to more than {0} bytes")]
    TooLarge(u64),
    #[error("entry {0} is compressed more than {1}:1, like a zip bomb")]
    Bomb(String, u64),
    #[error("reading the archive failed: {0}")]
    Io(String),
}

/// Unpacks `archive` into `into`. On error, `into` may hold part of it: unpack into a folder
/// of its own and drop it.
pub fn unpack(archive: &Path, into: &Path, limits: Limits) -> Result<(), ArchiveError> {
    let io = |e: std::io::Error| ArchiveError::Io(e.to_string());
    let file = std::fs::File::open(archive).map_err(io)?;
    let mut zip = zip::ZipArchive::new(file).map_err(|_| ArchiveError::NotZip)?;
    if zip.len() > limits.entries {
        return Err(ArchiveError::TooManyEntries(limits.entries));
    }
    // Check every entry before writing anything: one unsafe entry refuses the whole archive.
    for index in 0..zip.len() {
        let entry = zip
            .by_index_raw(index)
            .map_err(|e| ArchiveError::Io(e.to_string()))?;
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        if entry.enclosed_name().is_none() {
            return Err(ArchiveError::Escapes(name));
        }
        if entry.is_symlink() {
            return Err(ArchiveError::Link(name));
        }
        if entry.encrypted() {
            return Err(ArchiveError::Encrypted(name));
        }
    }
    let mut written = 0u64;
    for index in 0..zip.len() {
        let mut entry = zip
            .by_index(index)
            .map_err(|e| ArchiveError::Io(e.to_string()))?;
        let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        let target = into.join(
            entry
                .enclosed_name()
                .ok_or_else(|| ArchiveError::Escapes(name.clone()))?,
        );
        if entry.is_dir() {
            std::fs::create_dir_all(&target).map_err(io)?;
            continue;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        // Declared sizes can lie: count what is actually written.
        let allowed = limits
            .bytes
            .saturating_sub(written)
            .min(entry.compressed_size().max(1).saturating_mul(limits.ratio));
        let mut out = std::fs::File::create(&target).map_err(io)?;
        let copied = std::io::copy(&mut (&mut entry).take(allowed + 1), &mut out).map_err(io)?;
        if copied > allowed {
            return Err(if written + copied > limits.bytes {
                ArchiveError::TooLarge(limits.bytes)
            } else {
                ArchiveError::Bomb(name, limits.ratio)
            });
        }
        written += copied;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    const LIMITS: Limits = Limits {
        entries: 10,
        bytes: 1 << 20,
        ratio: 100,
    };

    fn zip_of(entries: &[(&str, &[u8])]) -> tempfile::NamedTempFile {
        let file = tempfile::NamedTempFile::new().unwrap();
        let mut zip = zip::ZipWriter::new(file.reopen().unwrap());
        let options = zip::write::SimpleFileOptions::default();
        for (name, bytes) in entries {
            zip.start_file(*name, options).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap();
        file
    }

    #[test]
    fn unpacks_folders_of_documents_and_pictures() {
        let zip = zip_of(&[
            ("import.xml", b"<a/>"),
            ("import_files/ab/p.jpg", b"\xFF\xD8\xFF"),
        ]);
        let dir = tempfile::tempdir().unwrap();
        unpack(zip.path(), dir.path(), LIMITS).unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("import_files/ab/p.jpg")).unwrap(),
            b"\xFF\xD8\xFF"
        );
    }

    #[test]
    fn refuses_slips_bombs_and_floods() {
        let dir = tempfile::tempdir().unwrap();
        let slip = zip_of(&[("ok.xml", b"<a/>"), ("../evil.xml", b"x")]);
        assert_eq!(
            unpack(slip.path(), dir.path(), LIMITS),
            Err(ArchiveError::Escapes("../evil.xml".into()))
        );
        assert!(
            !dir.path().join("ok.xml").exists(),
            "refused whole, before writing"
        );
        let bomb = zip_of(&[("bomb.xml", &vec![b'0'; 2 << 20])]);
        assert!(matches!(
            unpack(bomb.path(), dir.path(), LIMITS),
            Err(ArchiveError::Bomb(..) | ArchiveError::TooLarge(_))
        ));
        let names: Vec<String> = (0..11).map(|i| format!("f{i}.xml")).collect();
        let many: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
        assert_eq!(
            unpack(zip_of(&many).path(), dir.path(), LIMITS),
            Err(ArchiveError::TooManyEntries(10))
        );
        let not_zip = tempfile::NamedTempFile::new().unwrap();
        assert_eq!(
            unpack(not_zip.path(), dir.path(), LIMITS),
            Err(ArchiveError::NotZip)
        );
    }
}
