//! Money of an order: discounts on lines and on the order, and delivery. Amounts are rounded
//! to kopecks; the order's discount is spread over the lines so that each line's sum is what
//! the buyer pays for it and the lines plus delivery add up to the total, however the
//! accounting system reads the document.

use std::str::FromStr;

use commerceml::Decimal;
use rust_decimal::RoundingStrategy;

use super::input::refuse;
use crate::domain::DomainError;
use crate::i18n::OrderProblem;

/// Largest amount taken from a storefront (delivery, a discount).
const MAX_MONEY: u32 = 1_000_000_000;

/// An amount as people write it: digits, optionally a point and at most two more; zero or more.
pub fn money(field: &str, text: &str) -> Result<Decimal, DomainError> {
    plain(text, 10, 2)
        .filter(|m| *m <= Decimal::from(MAX_MONEY))
        .ok_or_else(|| {
            refuse(
                field,
                OrderProblem::BadMoney {
                    value: text.to_owned(),
                },
            )
        })
}

/// A percentage above 0 and at most 100, at most two digits after the point.
pub fn percent(field: &str, text: &str) -> Result<Decimal, DomainError> {
    plain(text, 3, 2)
        .filter(|p| *p > Decimal::ZERO && *p <= Decimal::ONE_HUNDRED)
        .ok_or_else(|| {
            refuse(
                field,
                OrderProblem::BadPercent {
                    value: text.to_owned(),
                },
            )
        })
}

fn plain(text: &str, max_whole: usize, max_scale: usize) -> Option<Decimal> {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    let ok = !whole.is_empty()
        && whole.len() <= max_whole
        && digits(whole)
        && digits(fraction)
        && fraction.len() <= max_scale
        && !(text.contains('.') && fraction.is_empty());
    ok.then(|| Decimal::from_str(text).ok()).flatten()
}

/// Rounded to kopecks, halves away from zero.
pub fn kopecks(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// A discount asked for: a percent or an amount, never both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    None,
    Percent(Decimal),
    Amount(Decimal),
}

impl Asked {
    /// Reads `<prefix>discount_percent` / `<prefix>discount_amount`.
    pub fn read(
        prefix: &str,
        percent_text: Option<&str>,
        amount_text: Option<&str>,
    ) -> Result<Self, DomainError> {
        match (percent_text, amount_text) {
            (Some(_), Some(_)) => Err(refuse(
                format!("{prefix}discount_amount"),
                OrderProblem::BothDiscounts,
            )),
            (Some(p), None) => Ok(Self::Percent(percent(
                &format!("{prefix}discount_percent"),
                p,
            )?)),
            (None, Some(a)) => Ok(Self::Amount(money(&format!("{prefix}discount_amount"), a)?)),
            (None, None) => Ok(Self::None),
        }
    }

    /// The amount it comes to on `base`; `None` when it is more than the base.
    pub fn of(self, base: Decimal) -> Option<Decimal> {
        let amount = match self {
            Self::None => Decimal::ZERO,
            Self::Percent(p) => kopecks(base * p / Decimal::ONE_HUNDRED),
            Self::Amount(a) => a,
        };
        (amount <= base).then_some(amount)
    }

    /// The percent asked for, if it was one.
    pub fn percent(self) -> Option<Decimal> {
        match self {
            Self::Percent(p) => Some(p),
            _ => None,
        }
    }
}

/// Spreads `discount` over lines worth `nets`, in proportion, in kopecks; what rounding leaves
/// goes to the largest line. `None` when the lines are worth less than the discount.
pub fn spread(discount: Decimal, nets: &[Decimal]) -> Option<Vec<Decimal>> {
    let worth: Decimal = nets.iter().copied().sum();
    if discount > worth {
        return None;
    }
    if discount.is_zero() || worth.is_zero() {
        return Some(vec![Decimal::ZERO; nets.len()]);
    }
    let mut shares: Vec<Decimal> = nets
        .iter()
        .map(|net| kopecks(discount * *net / worth).min(*net))
        .collect();
    let left = discount - shares.iter().copied().sum::<Decimal>();
    let largest = (0..nets.len()).max_by_key(|&i| nets[i])?;
    shares[largest] += left;
    (shares[largest] >= Decimal::ZERO && shares[largest] <= nets[largest]).then_some(shares)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn amounts_and_percents_are_plain() {
        assert_eq!(money("f", "350.50").unwrap(), d("350.50"));
        assert_eq!(money("f", "0").unwrap(), d("0"));
        for bad in ["-1", "1e3", "1,5", "0.001", "", "1.", "10000000000"] {
            assert!(money("f", bad).is_err(), "{bad}");
        }
        assert_eq!(percent("f", "12.5").unwrap(), d("12.5"));
        for bad in ["0", "100.01", "-5", "150", "5%"] {
            assert!(percent("f", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_order_discount_is_spread_to_the_kopeck() {
        let nets = [d("100"), d("100"), d("100")];
        let shares = spread(d("100"), &nets).unwrap();
        assert_eq!(shares.iter().copied().sum::<Decimal>(), d("100"));
        assert!(
            shares.iter().all(|s| *s >= d("33.33") && *s <= d("33.34")),
            "{shares:?}"
        );
        assert_eq!(spread(d("301"), &nets), None);
        assert_eq!(spread(d("0"), &nets).unwrap(), vec![d("0"); 3]);
        assert_eq!(Asked::Percent(d("10")).of(d("159.99")), Some(d("16.00")));
        assert_eq!(Asked::Amount(d("200")).of(d("100")), None);
    }
}
