//! Decimals as the API and the database show them.

use commerceml::Decimal;

/// The canonical text of a decimal: `.` separator, no exponent, no grouping, no trailing
/// fractional zeros (`45000.0` → `45000`, `12.50` → `12.5`, `-0.0` → `0`).
pub fn canonical(value: Decimal) -> String {
    let normalized = value.normalize();
    if normalized.is_zero() {
        "0".to_owned()
    } else {
        normalized.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms() {
        let d = |s| canonical(commerceml::parse_decimal(s).unwrap());
        assert_eq!(d("45000.0"), "45000");
        assert_eq!(d("12.50"), "12.5");
        assert_eq!(d("1 234,50"), "1234.5");
        assert_eq!(d("-0.000"), "0");
        assert_eq!(d("0.1234"), "0.1234");
        assert_eq!(d("-3"), "-3");
    }
}
