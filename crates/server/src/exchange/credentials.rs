//! HTTP Basic credentials as 1C and MoySklad send them.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// A login and password from an `Authorization: Basic …` header.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub login: String,
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    // The password never reaches a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("login", &self.login)
            .finish_non_exhaustive()
    }
}

impl Credentials {
    /// Parses the header value. The decoded bytes are UTF-8 from MoySklad, but 1C running on
    /// a Russian Windows may send windows-1251: that is tried when UTF-8 fails.
    pub fn from_header(value: &str) -> Option<Self> {
        let encoded = value
            .trim()
            .strip_prefix("Basic ")
            .or_else(|| value.trim().strip_prefix("basic "))?;
        let bytes = STANDARD.decode(encoded.trim()).ok()?;
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(err) => encoding_rs::WINDOWS_1251
                .decode(err.as_bytes())
                .0
                .into_owned(),
        };
        let (login, password) = text.split_once(':')?;
        Some(Self {
            login: login.to_owned(),
            password: password.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(raw: &[u8]) -> String {
        format!("Basic {}", STANDARD.encode(raw))
    }

    #[test]
    fn parses_utf8_and_windows_1251() {
        let utf8 =
            Credentials::from_header(&header("склад@shop.ru:пароль:с:двоеточием".as_bytes()))
                .unwrap();
        assert_eq!(utf8.login, "склад@shop.ru");
        assert_eq!(utf8.password, "пароль:с:двоеточием");
        let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode("склад@shop.ru:пароль");
        let legacy = Credentials::from_header(&header(&cp1251)).unwrap();
        assert_eq!(
            (legacy.login.as_str(), legacy.password.as_str()),
            ("склад@shop.ru", "пароль")
        );
    }

    #[test]
    fn refuses_other_schemes_and_garbage() {
        assert!(Credentials::from_header("Bearer abc").is_none());
        assert!(Credentials::from_header("Basic !!!").is_none());
        assert!(Credentials::from_header(&header(b"no-colon")).is_none());
        assert!(
            !format!(
                "{:?}",
                Credentials::from_header(&header(b"a:secret")).unwrap()
            )
            .contains("secret")
        );
    }
}
