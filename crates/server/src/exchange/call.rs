//! An exchange call as the protocol defines it: `type` and `mode`, parsed once into words the
//! compiler knows, so no handler matches on strings and a mode valid for one type cannot be
//! mistaken for the other's.

use std::fmt;

use crate::i18n::Message;

/// `type=`: the catalog exchange or the orders exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Catalog,
    Sale,
}

/// `mode=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    CheckAuth,
    Init,
    File,
    Import,
    Deactivate,
    Complete,
    Query,
    Success,
}

impl Kind {
    /// The word as the protocol writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Catalog => "catalog",
            Self::Sale => "sale",
        }
    }
}

impl Mode {
    const ALL: [Self; 8] = [
        Self::CheckAuth,
        Self::Init,
        Self::File,
        Self::Import,
        Self::Deactivate,
        Self::Complete,
        Self::Query,
        Self::Success,
    ];

    /// The word as the protocol writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CheckAuth => "checkauth",
            Self::Init => "init",
            Self::File => "file",
            Self::Import => "import",
            Self::Deactivate => "deactivate",
            Self::Complete => "complete",
            Self::Query => "query",
            Self::Success => "success",
        }
    }

    /// Whether `kind` has this mode at all (the sale exchange takes `import` as a no-op
    /// confirmation, as 1C sends it).
    fn belongs_to(self, kind: Kind) -> bool {
        match kind {
            Kind::Catalog => !matches!(self, Self::Query | Self::Success),
            Kind::Sale => !matches!(self, Self::Deactivate | Self::Complete),
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A call's type and mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Call {
    pub kind: Kind,
    pub mode: Mode,
}

impl Call {
    /// Parses `type` and `mode` as clients send them (any case, spaces around); the refusal
    /// names what was wrong.
    pub fn parse(kind: &str, mode: &str) -> Result<Self, Message> {
        let kind = match kind.trim().to_ascii_lowercase().as_str() {
            "catalog" => Kind::Catalog,
            "sale" => Kind::Sale,
            other => {
                return Err(Message::ExchangeUnknownType {
                    value: other.to_owned(),
                });
            }
        };
        let typed = mode.trim().to_ascii_lowercase();
        let Some(mode) = Mode::ALL.into_iter().find(|m| m.as_str() == typed) else {
            return Err(Message::ExchangeUnknownMode { value: typed });
        };
        if !mode.belongs_to(kind) {
            return Err(Message::ExchangeModeNotYet {
                mode: mode.as_str().to_owned(),
            });
        }
        Ok(Self { kind, mode })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_parse_as_clients_spell_them() {
        let call = Call::parse(" Catalog", "CHECKAUTH ").unwrap();
        assert_eq!((call.kind, call.mode), (Kind::Catalog, Mode::CheckAuth));
        assert_eq!(Call::parse("sale", "query").unwrap().mode, Mode::Query);
        assert_eq!(Call::parse("sale", "import").unwrap().mode, Mode::Import);
        assert_eq!(
            Call::parse("stock", "init"),
            Err(Message::ExchangeUnknownType {
                value: "stock".into()
            })
        );
        assert_eq!(
            Call::parse("catalog", "dance"),
            Err(Message::ExchangeUnknownMode {
                value: "dance".into()
            })
        );
        assert_eq!(
            Call::parse("catalog", "query"),
            Err(Message::ExchangeModeNotYet {
                mode: "query".into()
            })
        );
        for mode in Mode::ALL {
            assert_eq!(mode.to_string(), mode.as_str());
        }
    }
}
