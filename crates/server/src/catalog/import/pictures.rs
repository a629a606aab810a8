//! Pictures named in `Картинка`: found next to the document, accepted only when their bytes are
//! a raster image, and stored once by content hash.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// A picture file read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// SHA-256 of the bytes, hex: the file store key.
    pub hash: String,
    /// `image/jpeg`, `image/png`, `image/webp` or `image/gif`.
    pub content_type: &'static str,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// Why a named picture was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PictureProblem {
    /// No such file next to the document (or the name tries to leave its folder).
    Missing,
    /// The file is not a JPEG, PNG, WebP or GIF.
    NotRaster,
    /// The file says it is one but does not decode (truncated, corrupt, too large).
    Undecodable(String),
}

/// The raster type of `bytes`, by their signature.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// Where a `Картинка` path points, relative to the document's folder: 1C writes
/// `import_files/ab/…jpg`, MoySklad a bare `<uuid>_imageid.jpg`, Windows exporters use `\`.
/// `None` for a path that is absolute or climbs out of the folder.
pub fn locate(document_dir: &Path, name: &str) -> Option<PathBuf> {
    let normalized = name.replace('\\', "/");
    let mut path = document_dir.to_path_buf();
    for segment in normalized.split('/') {
        match segment {
            "" | "." => continue,
            ".." => return None,
            s if s.contains(':') || s.chars().any(char::is_control) => return None,
            s => path.push(s),
        }
    }
    if normalized.starts_with('/') {
        return None;
    }
    Some(path)
}

/// Reads and checks the picture `name` next to `document_dir`.
pub fn load(document_dir: &Path, name: &str) -> Result<Picture, PictureProblem> {
    let path = locate(document_dir, name).ok_or(PictureProblem::Missing)?;
    let bytes = std::fs::read(&path).map_err(|_| PictureProblem::Missing)?;
    Picture::check(bytes)
}

impl Picture {
    /// `bytes` as a picture, if they are a raster image (by their signature, never by a name)
    /// that decodes.
    pub fn check(bytes: Vec<u8>) -> Result<Self, PictureProblem> {
        let content_type = sniff(&bytes).ok_or(PictureProblem::NotRaster)?;
        crate::catalog::thumbnails::decode(&bytes).map_err(PictureProblem::Undecodable)?;
        let hash = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(Self {
            hash,
            content_type,
            bytes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_raster_types_only() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff(b"GIF89a..."), Some("image/gif"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"<svg xmlns="), None);
        assert_eq!(sniff(b"<?php echo 1;"), None);
    }

    #[test]
    fn pictures_must_decode() {
        let mut png = std::io::Cursor::new(Vec::new());
        image::RgbImage::new(3, 2)
            .write_to(&mut png, image::ImageFormat::Png)
            .unwrap();
        let png = png.into_inner();
        assert_eq!(
            Picture::check(png.clone()).unwrap().content_type,
            "image/png"
        );
        let truncated = png[..png.len() / 2].to_vec();
        assert!(matches!(
            Picture::check(truncated),
            Err(PictureProblem::Undecodable(_))
        ));
        assert!(matches!(
            Picture::check(b"GIF89a not really a gif".to_vec()),
            Err(PictureProblem::Undecodable(_))
        ));
        assert_eq!(
            Picture::check(b"<svg/>".to_vec()),
            Err(PictureProblem::NotRaster)
        );
    }

    #[test]
    fn paths_stay_inside_the_document_folder() {
        let dir = Path::new("/batch");
        assert_eq!(
            locate(dir, "import_files/ab/c.jpg").unwrap(),
            Path::new("/batch/import_files/ab/c.jpg")
        );
        assert_eq!(
            locate(dir, "import_files\\ab\\c.jpg").unwrap(),
            Path::new("/batch/import_files/ab/c.jpg")
        );
        assert_eq!(
            locate(dir, "x_imageid.png").unwrap(),
            Path::new("/batch/x_imageid.png")
        );
        for bad in [
            "../x.jpg",
            "a/../../x.jpg",
            "/etc/passwd",
            "C:/x.jpg",
            "a\0b",
        ] {
            assert!(locate(dir, bad).is_none(), "{bad}");
        }
    }
}
