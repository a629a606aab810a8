//! Turning element text into values: exact decimals, booleans, trimmed strings.

pub use rust_decimal::Decimal;

/// Parses a CommerceML number exactly: `45000.0`, `1 234,50`, `12.000`, `-3`, `+7`.
///
/// Spaces (including no-break and thin spaces) group digits and are dropped; a lone comma is
/// the decimal separator; with both a dot and commas, commas group digits. Exponents,
/// several separators and anything but digits are refused (`None`).
///
/// ```
/// use commerceml::{Decimal, parse_decimal};
/// assert_eq!(parse_decimal("1 234,50"), Some(Decimal::new(123450, 2)));
/// assert_eq!(parse_decimal("45000.0").unwrap().normalize().to_string(), "45000");
/// assert_eq!(parse_decimal("1e5"), None);
/// ```
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    let mut cleaned = String::with_capacity(text.len());
    let has_dot = text.contains('.');
    let mut commas = 0;
    for c in text.chars() {
        match c {
            '0'..='9' | '.' | '-' | '+' => cleaned.push(c),
            ',' if has_dot => {}
            ',' => {
                commas += 1;
                cleaned.push('.');
            }
            c if c.is_whitespace() || c == '\u{202f}' || c == '\u{2009}' => {}
            _ => return None,
        }
    }
    let digits = cleaned.trim_start_matches(['-', '+']);
    let well_formed = commas <= 1
        && !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().filter(|&b| b == b'.').count() <= 1
        && digits.bytes().any(|b| b.is_ascii_digit())
        && cleaned.len() - digits.len() <= 1;
    if !well_formed {
        return None;
    }
    Decimal::from_str_exact(cleaned.strip_prefix('+').unwrap_or(&cleaned)).ok()
}

/// Parses a CommerceML boolean: `true`/`false` (any case), `1`/`0`, `да`/`нет`.
pub fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "true" | "1" | "да" | "yes" => Some(true),
        "false" | "0" | "нет" | "no" => Some(false),
        _ => None,
    }
}

/// `text` without leading and trailing whitespace, as an owned string.
pub(crate) fn trimmed(text: &str) -> String {
    text.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> String {
        parse_decimal(text)
            .map(|d| d.normalize().to_string())
            .unwrap_or_else(|| "none".into())
    }

    #[test]
    fn numbers_in_every_shape_seen() {
        assert_eq!(d("45000.0"), "45000");
        assert_eq!(d("1 234,50"), "1234.5");
        assert_eq!(d("1\u{a0}234,50"), "1234.5");
        assert_eq!(d("12.000"), "12");
        assert_eq!(d("-3"), "-3");
        assert_eq!(d("+7"), "7");
        assert_eq!(d(" 0.125 "), "0.125");
        assert_eq!(d("1,234.5"), "1234.5");
        assert_eq!(d(".5"), "0.5");
        assert_eq!(d("12345678.1234"), "12345678.1234");
    }

    #[test]
    fn refuses_what_is_not_a_number() {
        for bad in [
            "",
            " ",
            "abc",
            "1e5",
            "1.2.3",
            "1,2,3",
            "--1",
            "-",
            ".",
            "12 руб",
            "NaN",
            "1-2",
        ] {
            assert_eq!(d(bad), "none", "{bad:?}");
        }
    }

    #[test]
    fn booleans() {
        assert_eq!(parse_bool(" TRUE "), Some(true));
        assert_eq!(parse_bool("false"), Some(false));
        assert_eq!(parse_bool("нет"), Some(false));
        assert_eq!(parse_bool("maybe"), None);
    }

    #[test]
    fn trimming_keeps_inner_whitespace() {
        assert_eq!(trimmed("  a\tb\nc  "), "a\tb\nc");
        assert_eq!(trimmed("abc"), "abc");
        assert_eq!(trimmed(" \n "), "");
    }
}
