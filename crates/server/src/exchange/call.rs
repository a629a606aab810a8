//! An exchange call as the protocol defines it: `type` and `mode`, parsed once into words the
//! compiler knows, so no handler matches on strings and a mode valid for one type cannot be
//! mistaken for the other's.

use crate::i18n::Message;

vitrina_store::words! {
    /// `type=`: the catalog exchange or the orders exchange.
    pub enum Kind {
        Catalog = "catalog",
        Sale = "sale",
    }
}

vitrina_store::words! {
    /// `mode=`.
    pub enum Mode {
        CheckAuth = "checkauth",
        Init = "init",
        File = "file",
        Import = "import",
        Deactivate = "deactivate",
        Complete = "complete",
        Query = "query",
        Success = "success",
    }
}

impl Mode {
    /// Whether `kind` has this mode at all (the sale exchange takes `import` as a no-op
    /// confirmation, as 1C sends it).
    fn belongs_to(self, kind: Kind) -> bool {
        match kind {
            Kind::Catalog => !matches!(self, Self::Query | Self::Success),
            Kind::Sale => !matches!(self, Self::Deactivate | Self::Complete),
        }
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
        let kind = kind.trim().to_ascii_lowercase();
        let kind: Kind = kind
            .parse()
            .map_err(|_| Message::ExchangeUnknownType { value: kind })?;
        let mode = mode.trim().to_ascii_lowercase();
        let mode: Mode = mode
            .parse()
            .map_err(|_| Message::ExchangeUnknownMode { value: mode })?;
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
