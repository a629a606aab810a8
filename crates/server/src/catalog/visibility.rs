//! Visibility rules (`catalog.hide_without_*`): which active products storefronts do not see,
//! decided when the read model is built (a settings change makes a new one), and why, for the
//! panel.

use commerceml::Decimal;

use crate::domain::settings::VisibilityRules;

vitrina_store::words! {
    /// Why a rule hides a product.
    pub enum HiddenBecause {
        NoStock = "no_stock",
        NoPrice = "no_price",
        NoPictures = "no_pictures",
    }
}

/// The rules a product breaks, as bits of [`HiddenBecause::ALL`]'s order; 0 for none.
pub fn hidden(
    rules: &VisibilityRules,
    in_stock: bool,
    price: Option<Decimal>,
    has_pictures: bool,
) -> u8 {
    let broken = [
        rules.without_stock && !in_stock,
        rules.without_price && price.is_none_or(|p| p <= Decimal::ZERO),
        rules.without_pictures && !has_pictures,
    ];
    broken
        .iter()
        .enumerate()
        .fold(0, |bits, (i, broken)| bits | (u8::from(*broken) << i))
}

/// The reasons the bits name.
pub fn reasons(bits: u8) -> Vec<HiddenBecause> {
    HiddenBecause::ALL
        .iter()
        .enumerate()
        .filter(|(i, _)| bits & (1 << i) != 0)
        .map(|(_, reason)| *reason)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_rules_turned_on_hide() {
        let all = VisibilityRules {
            without_stock: true,
            without_price: true,
            without_pictures: true,
        };
        let none = VisibilityRules::default();
        assert_eq!(hidden(&none, false, None, false), 0);
        let bits = hidden(&all, false, Some(Decimal::ZERO), true);
        assert_eq!(
            reasons(bits),
            [HiddenBecause::NoStock, HiddenBecause::NoPrice]
        );
        let priced = Decimal::from(5);
        assert_eq!(
            reasons(hidden(&all, true, Some(priced), false)),
            [HiddenBecause::NoPictures]
        );
        assert_eq!(hidden(&all, true, Some(priced), true), 0);
    }
}
