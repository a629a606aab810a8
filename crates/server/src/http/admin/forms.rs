//! What the panel's forms share: the outcome a redirect names, a checkbox, and the field list
//! of a form whose fields are the settings registry's own keys. Each form is a typed struct
//! beside its handler, read by [`crate::http::extract::Form`] (repeated fields into a `Vec`).

use serde::{Deserialize, Deserializer};

/// `?done=<outcome>`: the redirect after a saved form names what happened (see `page`).
#[derive(Debug, Deserialize)]
pub struct Done {
    pub done: Option<String>,
}

/// A checkbox: ticked when the browser sent the field at all (whatever its value).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Ticked(pub bool);

impl<'de> Deserialize<'de> for Ticked {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::de::IgnoredAny::deserialize(deserializer).map(|_| Self(true))
    }
}

/// The fields of a form, in order, repeated ones kept: for the settings form, whose field
/// names are the registry's keys.
#[derive(Debug, Default, Deserialize)]
#[serde(transparent)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
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

    #[derive(Debug, Deserialize)]
    struct Form {
        #[serde(default)]
        permission: Vec<String>,
        #[serde(default)]
        admin_access: Ticked,
        #[serde(default)]
        blocked: Ticked,
    }

    #[test]
    fn repeated_fields_and_checkboxes_are_read() {
        let body = "permission=a.b&permission=c.d&admin_access=on&name=%D0%9C%D0%BE%D0%B9+%D0%A1%D0%BA%D0%BB%D0%B0%D0%B4";
        let form: Form = serde_html_form::from_str(body).unwrap();
        assert_eq!(form.permission, ["a.b", "c.d"]);
        assert_eq!(
            (form.admin_access, form.blocked),
            (Ticked(true), Ticked(false))
        );
        let fields: Fields = serde_html_form::from_str(body).unwrap();
        assert_eq!(fields.all("permission").collect::<Vec<_>>(), ["a.b", "c.d"]);
        assert_eq!(fields.get("name"), Some("Мой Склад"));
        assert!(!fields.ticked("blocked"));
    }
}
