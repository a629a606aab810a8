//! Form input: bodies with repeated fields (a checkbox per permission), which `axum::Form`
//! cannot read into a list, and the outcome a redirect names.

use axum::body::Bytes;
use serde::Deserialize;

/// `?done=<outcome>`: the redirect after a saved form names what happened (see `page`).
#[derive(Debug, Deserialize)]
pub struct Done {
    pub done: Option<String>,
}

/// The fields of an `application/x-www-form-urlencoded` body, in order.
pub struct Fields(Vec<(String, String)>);

impl Fields {
    pub fn parse(body: &Bytes) -> Self {
        Self(form_urlencoded::parse(body).into_owned().collect())
    }

    /// Every value of `name`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Whether a checkbox named `name` was ticked.
    pub fn ticked(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_fields_are_all_kept() {
        let fields = Fields::parse(&Bytes::from_static(
            b"permission=a.b&permission=c.d&name=%D0%9C%D0%BE%D0%B9+%D0%A1%D0%BA%D0%BB%D0%B0%D0%B4",
        ));
        assert_eq!(fields.all("permission").collect::<Vec<_>>(), ["a.b", "c.d"]);
        assert_eq!(fields.get("name"), Some("Мой Склад"));
        assert!(!fields.ticked("admin_access"));
    }
}
