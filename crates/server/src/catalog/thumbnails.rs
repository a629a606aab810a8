//! Resized copies of product pictures for storefront lists, in a few fixed widths so that
//! every copy can be cached.

use std::io::Cursor;

use image::ImageFormat;
use image::imageops::FilterType;

/// The widths a storefront may ask for.
pub const WIDTHS: [u32; 4] = [160, 320, 640, 1280];

/// Largest picture decoded: side in pixels and memory, so no file can blow up on decoding.
const MAX_SIDE: u32 = 12_000;
const MAX_DECODED_BYTES: u64 = 512 * 1024 * 1024;

/// Decodes `bytes` in full, within the limits; why not, if they do not decode.
pub fn decode(bytes: &[u8]) -> Result<image::DynamicImage, String> {
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    reader.limits(limits);
    reader.decode().map_err(|e| e.to_string())
}

/// `bytes` scaled down to `width` (aspect kept) as (bytes, content type); the original when it
/// is no wider. JPEG stays JPEG; everything else becomes PNG, which keeps transparency.
pub fn resize(bytes: &[u8], width: u32) -> anyhow::Result<(Vec<u8>, &'static str)> {
    let format = image::guess_format(bytes)?;
    let picture = decode(bytes).map_err(anyhow::Error::msg)?;
    let (out_format, content_type) = match format {
        ImageFormat::Jpeg => (ImageFormat::Jpeg, "image/jpeg"),
        _ => (ImageFormat::Png, "image/png"),
    };
    let scaled = if picture.width() > width {
        let height =
            (u64::from(picture.height()) * u64::from(width) / u64::from(picture.width())).max(1);
        picture.resize(width, height as u32, FilterType::Triangle)
    } else {
        picture
    };
    let mut out = Cursor::new(Vec::new());
    match out_format {
        // JPEG has no alpha channel.
        ImageFormat::Jpeg => scaled.to_rgb8().write_to(&mut out, out_format)?,
        _ => scaled.write_to(&mut out, out_format)?,
    }
    Ok((out.into_inner(), content_type))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let picture = image::RgbaImage::from_pixel(width, height, image::Rgba([200, 10, 10, 255]));
        let mut out = Cursor::new(Vec::new());
        picture.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn scales_down_and_keeps_the_aspect() {
        let (bytes, content_type) = resize(&png(1000, 500), 320).unwrap();
        assert_eq!(content_type, "image/png");
        let scaled = image::load_from_memory(&bytes).unwrap();
        assert_eq!((scaled.width(), scaled.height()), (320, 160));
    }

    #[test]
    fn never_scales_up() {
        let (bytes, _) = resize(&png(100, 50), 640).unwrap();
        let same = image::load_from_memory(&bytes).unwrap();
        assert_eq!((same.width(), same.height()), (100, 50));
    }

    #[test]
    fn refuses_what_is_not_a_picture() {
        assert!(resize(b"<svg/>", 160).is_err());
    }
}
