//! Uploaded files: what kind of image a file really is (by its bytes, not
//! its name or declared type) and the name it is stored under.

/// The image formats vitrine accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
    /// WebP.
    Webp,
    /// GIF (87a or 89a).
    Gif,
}

impl ImageKind {
    /// Recognises an image by its leading magic bytes.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
            Some(Self::Webp)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(Self::Gif)
        } else {
            None
        }
    }

    /// File extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Jpeg => "jpg",
            Self::Webp => "webp",
            Self::Gif => "gif",
        }
    }

    /// MIME type.
    pub fn mime(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Webp => "image/webp",
            Self::Gif => "image/gif",
        }
    }

    /// The kind a stored file name's extension names (for serving files back).
    pub fn from_extension(name: &str) -> Option<Self> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "png" => Some(Self::Png),
            "jpg" | "jpeg" => Some(Self::Jpeg),
            "webp" => Some(Self::Webp),
            "gif" => Some(Self::Gif),
            _ => None,
        }
    }
}

/// `len` random decimal digits (the tail of a stored file name).
pub fn random_digits(len: usize) -> String {
    use rand::Rng;
    let mut rng = rand::rngs::OsRng;
    (0..len)
        .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
        .collect()
}

/// Largest image accepted, in bytes (5 MiB).
pub const MAX_IMAGE_BYTES: usize = 5 * 1024 * 1024;

/// The longest slug a stored file name keeps of the upload's name. With
/// the time, the digits and the extension the name stays far below the
/// 255 bytes a file-system name may have (a 3,000-character upload name
/// was a 500, ENAMETOOLONG).
pub const MAX_NAME_SLUG: usize = 100;

/// The stored file name, as the original platform names files
/// (ecommloja-api.md §3.2): `<slug of the original base name><unix
/// time><random digits>.<ext>`, e.g. `bermuda-camisa16159140551204779837.png`.
/// The slug is ASCII and cut to [`MAX_NAME_SLUG`] characters; the
/// extension comes from the sniffed kind, never from the upload's name.
pub fn stored_name(original: &str, kind: ImageKind, unix_time: i64, random_digits: &str) -> String {
    let base = original.rsplit(['/', '\\']).next().unwrap_or(original);
    let stem = base.rsplit_once('.').map_or(base, |(stem, _)| stem);
    let mut slug = crate::catalog::slug(stem);
    if slug.len() > MAX_NAME_SLUG {
        // ASCII: every byte is a character boundary.
        slug.truncate(MAX_NAME_SLUG);
        let kept = slug.trim_end_matches('-').len();
        slug.truncate(kept);
    }
    format!("{slug}{unix_time}{random_digits}.{}", kind.extension())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_recognised_by_their_bytes() {
        for (bytes, kind, why) in [
            (&b"\x89PNG\r\n\x1a\n\0\0"[..], Some(ImageKind::Png), "png"),
            (&[0xFF, 0xD8, 0xFF, 0xE0][..], Some(ImageKind::Jpeg), "jpeg"),
            (&b"RIFF\0\0\0\0WEBPVP8 "[..], Some(ImageKind::Webp), "webp"),
            (&b"GIF89a.."[..], Some(ImageKind::Gif), "gif"),
            (
                &b"RIFF\0\0\0\0WAVEfmt "[..],
                None,
                "a RIFF that is not WebP",
            ),
            (&b"<svg xmlns"[..], None, "svg is not accepted"),
            (&b"%PDF-1.7"[..], None, "pdf"),
            (&b""[..], None, "empty"),
        ] {
            assert_eq!(ImageKind::sniff(bytes), kind, "{why}");
        }
    }

    #[test]
    fn stored_names_follow_the_platform_pattern() {
        assert_eq!(
            stored_name(
                "Bermuda Camisa.PNG",
                ImageKind::Png,
                1615914055,
                "1204779837"
            ),
            "bermuda-camisa16159140551204779837.png"
        );
        assert_eq!(
            stored_name("C:\\fotos\\Açaí Azul!.jpeg", ImageKind::Jpeg, 1, "2"),
            "acai-azul12.jpg"
        );
        assert_eq!(
            stored_name("fake.png", ImageKind::Gif, 1, "2"),
            "fake12.gif",
            "the sniffed kind wins"
        );
        assert_eq!(
            stored_name("%%%.png", ImageKind::Png, 1, "2"),
            "produto12.png"
        );
    }

    #[test]
    fn stored_names_are_bounded_whatever_the_upload_name() {
        let long = format!("{}.png", "a".repeat(3_000));
        let name = stored_name(&long, ImageKind::Png, 1_615_914_055, "1204779837");
        assert_eq!(
            name,
            format!("{}16159140551204779837.png", "a".repeat(MAX_NAME_SLUG))
        );
        assert!(name.len() < 255);
        // Cut where a dash fell: no dash before the time.
        let dashed = format!(
            "{}-b {}.jpeg",
            "a".repeat(MAX_NAME_SLUG - 1),
            "c".repeat(50)
        );
        assert_eq!(
            stored_name(&dashed, ImageKind::Jpeg, 1, "2"),
            format!("{}12.jpg", "a".repeat(MAX_NAME_SLUG - 1))
        );
        // Multi-byte names are folded to ASCII before the cut.
        let accents = "ç".repeat(3_000);
        let name = stored_name(&accents, ImageKind::Gif, 1, "2");
        assert_eq!(name, format!("{}12.gif", "c".repeat(MAX_NAME_SLUG)));
    }
}
