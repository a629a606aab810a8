//! Names of uploaded files: what 1C and MoySklad send, made safe before anything is stored.

/// The normalised, safe form of a `filename` parameter: `\` becomes `/`, and anything that
/// could leave the batch (`..`, an absolute path, a drive letter, NUL or control characters,
/// empty segments) is refused with `None`.
///
/// 1C writes `import_files/ab/x.jpg`, Windows 1C `import_files\ab\x.jpg`, MoySklad a bare
/// `<uuid>_imageid.jpg`; all are kept as they are otherwise, since `Картинка` refers to them.
pub fn upload_name(raw: &str) -> Option<String> {
    let name = raw.trim().replace('\\', "/");
    if name.is_empty() || name.starts_with('/') || name.len() > 512 {
        return None;
    }
    let safe = name.split('/').all(|segment| {
        !segment.is_empty()
            && segment != "."
            && segment != ".."
            && !segment.contains(':')
            && !segment.chars().any(char::is_control)
    });
    safe.then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_names_clients_send() {
        assert_eq!(upload_name("import.xml").as_deref(), Some("import.xml"));
        assert_eq!(
            upload_name("import_files\\9d\\a.jpg").as_deref(),
            Some("import_files/9d/a.jpg")
        );
        assert_eq!(
            upload_name("e3b0c442_imageid.jpg").as_deref(),
            Some("e3b0c442_imageid.jpg")
        );
        assert_eq!(
            upload_name("goods/1/import___x.xml").as_deref(),
            Some("goods/1/import___x.xml")
        );
    }

    #[test]
    fn refuses_names_that_leave_the_batch() {
        for bad in [
            "",
            "../x.xml",
            "a/../../x",
            "/etc/passwd",
            "\\\\server\\share\\x",
            "C:\\x.xml",
            "c:x",
            "a//b",
            "./a",
            "a\0b",
            "a\nb",
            "..\\..\\x",
        ] {
            assert_eq!(upload_name(bad), None, "{bad:?}");
        }
    }
}
