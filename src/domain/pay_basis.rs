//! Pay basis and FTE (issue 20): salaries and bands may be per year, per
//! month or per hour, and people may work part time. Everything that
//! compares pay with a band (compa-ratio, range penetration, the band test,
//! promotion pay and its clamp, warnings, dashboards) compares **annualised
//! full-time equivalents**:
//!
//! - ANNUAL: the amount ÷ FTE (a half-time ¥2,000,000 is ¥4,000,000 full
//!   time);
//! - MONTHLY: the amount × 12 ÷ FTE;
//! - HOURLY: the rate × the market's standard annual hours (an hourly rate
//!   is already a full-time rate: FTE does not change it).
//!
//! Money stays exact. A comparison never rounds: a band is carried into a
//! person's own terms with its minimum rounded up and its maximum rounded
//! down ([`PayTerms::band`]), so an amount lies inside the converted band
//! exactly when its exact (rational) annualised equivalent lies inside the
//! original one. Only the displayed equivalent ([`PayTerms::annualise`])
//! rounds, half away from zero, and [`PayTerms::deannualise`] gives the
//! amount back (the property tests below).

use crate::domain::enums::PayBasis;
use crate::domain::money::Band;

/// Full time, in basis points of FTE (1.0 = 10,000).
pub const FULL_TIME_BP: i64 = 10_000;

/// Standard annual hours when a market has none on record: 40 hours a week
/// for 52 weeks.
pub const DEFAULT_ANNUAL_HOURS: i64 = 2_080;

/// How one person (or one band) is paid: the basis, the FTE and the
/// standard annual hours of their market.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PayTerms {
    pub basis: PayBasis,
    /// FTE in basis points, in (0, 10,000].
    pub fte_bp: i64,
    /// The market's standard hours in a year (> 0).
    pub annual_hours: i64,
}

impl Default for PayTerms {
    fn default() -> Self {
        PayTerms::full_time(PayBasis::Annual, DEFAULT_ANNUAL_HOURS)
    }
}

/// How to round a conversion that does not come out whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    /// Half away from zero.
    Nearest,
    /// Towards +∞ (a band's minimum: never admits less than it).
    Up,
    /// Towards −∞ (a band's maximum: never admits more than it).
    Down,
}

fn divide(numerator: i128, denominator: i128, rounding: Rounding) -> i128 {
    let quotient = numerator.div_euclid(denominator);
    let remainder = numerator.rem_euclid(denominator);
    if remainder == 0 {
        return quotient;
    }
    match rounding {
        Rounding::Down => quotient,
        Rounding::Up => quotient + 1,
        Rounding::Nearest => {
            // Away from zero at exactly half.
            let twice = remainder * 2;
            if twice > denominator || (twice == denominator && numerator > 0) {
                quotient + 1
            } else {
                quotient
            }
        }
    }
}

impl PayTerms {
    /// Full time on `basis`.
    pub fn full_time(basis: PayBasis, annual_hours: i64) -> Self {
        PayTerms {
            basis,
            fte_bp: FULL_TIME_BP,
            annual_hours,
        }
    }

    /// Whether the terms make sense: FTE in (0, 1], hours in (0, 8,784].
    pub fn is_valid(&self) -> bool {
        (1..=FULL_TIME_BP).contains(&self.fte_bp) && (1..=8_784).contains(&self.annual_hours)
    }

    /// `(numerator, denominator)`: annual full-time equivalent = amount ×
    /// numerator ÷ denominator. The factor is never below 1 for valid
    /// terms.
    fn factor(&self) -> (i128, i128) {
        let fte = i128::from(self.fte_bp.clamp(1, FULL_TIME_BP));
        let full = i128::from(FULL_TIME_BP);
        match self.basis {
            PayBasis::Annual => (full, fte),
            PayBasis::Monthly => (12 * full, fte),
            PayBasis::Hourly => (i128::from(self.annual_hours.max(1)), 1),
        }
    }

    /// The annualised full-time equivalent of `amount`, rounded half away
    /// from zero; `None` if it does not fit in `i64`.
    pub fn annualise(&self, amount: i64) -> Option<i64> {
        let (numerator, denominator) = self.factor();
        i64::try_from(divide(
            i128::from(amount) * numerator,
            denominator,
            Rounding::Nearest,
        ))
        .ok()
    }

    /// The amount on these terms whose annualised full-time equivalent is
    /// `annual`, rounded as asked; `None` if it does not fit in `i64`.
    pub fn from_annual(&self, annual: i64, rounding: Rounding) -> Option<i64> {
        let (numerator, denominator) = self.factor();
        i64::try_from(divide(
            i128::from(annual) * denominator,
            numerator,
            rounding,
        ))
        .ok()
    }

    /// The inverse of [`PayTerms::annualise`]: `deannualise(annualise(x))
    /// == x` for every amount that fits.
    pub fn deannualise(&self, annual: i64) -> Option<i64> {
        self.from_annual(annual, Rounding::Nearest)
    }

    /// `band` (on its own basis, full time) carried into these terms: the
    /// minimum rounded up, the maximum rounded down and the midpoint to the
    /// nearest unit, so that `self.band(b).contains(x)` exactly when the
    /// exact annualised equivalent of `x` lies in `b`'s annualised range.
    /// `None` on overflow.
    pub fn band(&self, band: &Band) -> Option<Band> {
        let own = PayTerms::full_time(band.basis, band.annual_hours);
        let (band_numerator, band_denominator) = own.factor();
        let (numerator, denominator) = self.factor();
        let carry = |amount: i64, rounding: Rounding| {
            i64::try_from(divide(
                i128::from(amount) * band_numerator * denominator,
                band_denominator * numerator,
                rounding,
            ))
            .ok()
        };
        Some(Band {
            min: carry(band.min, Rounding::Up)?,
            max: carry(band.max, Rounding::Down)?,
            midpoint: carry(band.midpoint, Rounding::Nearest)?,
            currency: band.currency.clone(),
            basis: self.basis,
            annual_hours: self.annual_hours,
        })
    }
}

/// `band` (on its own basis) as annual full-time amounts: exact, since a
/// band has no FTE (× 12 for MONTHLY, × standard hours for HOURLY).
pub fn annual_band(band: &Band) -> Option<Band> {
    PayTerms::full_time(PayBasis::Annual, band.annual_hours).band(band)
}

/// Compa-ratio of `salary` (on `terms`) in `band` (on its own basis): the
/// annualised full-time salary over the annualised midpoint.
pub fn compa_ratio(salary: i64, terms: &PayTerms, band: &Band) -> Option<f64> {
    crate::domain::money::compa_ratio(terms.annualise(salary)?, &annual_band(band)?)
}

/// Range penetration of `salary` (on `terms`) in `band` (on its own
/// basis), as annualised full-time amounts.
pub fn range_penetration(salary: i64, terms: &PayTerms, band: &Band) -> Option<f64> {
    crate::domain::money::range_penetration(terms.annualise(salary)?, &annual_band(band)?)
}

/// Reads an FTE written as a decimal ("1", "0.5", "0.75", at most four
/// decimals) into basis points; `None` unless it is in (0, 1].
pub fn parse_fte(text: &str) -> Option<i64> {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
        || fraction.len() > 4
        || whole.len() > 2
        || (text.contains('.') && fraction.is_empty())
    {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let mut fraction = fraction.to_owned();
    while fraction.len() < 4 {
        fraction.push('0');
    }
    let bp = whole * FULL_TIME_BP + fraction.parse::<i64>().ok()?;
    (1..=FULL_TIME_BP).contains(&bp).then_some(bp)
}

/// Reads an FTE given as a number (the API's `fte: Float`): at most four
/// decimals, in (0, 1]; `None` otherwise.
pub fn fte_from_number(value: f64) -> Option<i64> {
    if !value.is_finite() {
        return None;
    }
    let scaled = value * FULL_TIME_BP as f64;
    let bp = scaled.round();
    ((scaled - bp).abs() < 1e-6 && bp >= 1.0 && bp <= FULL_TIME_BP as f64).then_some(bp as i64)
}

/// An FTE in basis points as a number (0.5 for 5,000).
pub fn fte_number(bp: i64) -> f64 {
    bp as f64 / FULL_TIME_BP as f64
}

/// An FTE in basis points as a decimal ("1", "0.5", "0.8125").
pub fn format_fte(bp: i64) -> String {
    let whole = bp / FULL_TIME_BP;
    let fraction = bp % FULL_TIME_BP;
    if fraction == 0 {
        return whole.to_string();
    }
    let digits = format!("{fraction:04}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn band(basis: PayBasis, min: i64, max: i64) -> Band {
        Band {
            min,
            max,
            midpoint: crate::domain::money::default_midpoint(min, max),
            currency: "JPY".into(),
            basis,
            annual_hours: DEFAULT_ANNUAL_HOURS,
        }
    }

    fn terms(basis: PayBasis, fte_bp: i64) -> PayTerms {
        PayTerms {
            basis,
            fte_bp,
            annual_hours: DEFAULT_ANNUAL_HOURS,
        }
    }

    #[test]
    fn full_time_annual_is_the_amount_itself() {
        let t = PayTerms::default();
        assert_eq!(t.annualise(4_000_000), Some(4_000_000));
        let b = band(PayBasis::Annual, 4_000_000, 5_000_000);
        assert_eq!(t.band(&b), Some(b));
    }

    #[test]
    fn the_three_bases_and_part_time() {
        assert_eq!(
            terms(PayBasis::Monthly, 10_000).annualise(350_000),
            Some(4_200_000)
        );
        assert_eq!(
            terms(PayBasis::Hourly, 5_000).annualise(2_000),
            Some(4_160_000)
        );
        // Half time on ¥2,000,000 a year is ¥4,000,000 full time.
        assert_eq!(
            terms(PayBasis::Annual, 5_000).annualise(2_000_000),
            Some(4_000_000)
        );
    }

    #[test]
    fn an_hourly_part_timer_is_compared_with_an_annual_band_as_a_full_timer() {
        // ¥2,000/h × 2,080 h = ¥4,160,000: 4 % above the midpoint of a
        // ¥3,600,000–4,400,000 band, whatever the person's FTE.
        let b = band(PayBasis::Annual, 3_600_000, 4_400_000);
        let hourly = terms(PayBasis::Hourly, 5_000).band(&b).unwrap();
        assert_eq!(
            (hourly.min, hourly.max, hourly.midpoint),
            (1_731, 2_115, 1_923)
        );
        assert!(hourly.contains(2_000));
        let ratio = compa_ratio(2_000, &terms(PayBasis::Hourly, 5_000), &b).unwrap();
        assert!((ratio - 1.04).abs() < 1e-9, "{ratio}");
    }

    #[test]
    fn fte_reads_decimals_in_zero_to_one() {
        assert_eq!(parse_fte("1"), Some(10_000));
        assert_eq!(parse_fte("1.0"), Some(10_000));
        assert_eq!(parse_fte("0.5"), Some(5_000));
        assert_eq!(parse_fte("0.8125"), Some(8_125));
        for bad in [
            "0", "0.0", "1.01", "2", "-0.5", "0.12345", ".5", "5.", "abc", "", "1e0", "0,5",
        ] {
            assert_eq!(parse_fte(bad), None, "{bad}");
        }
        assert_eq!(fte_from_number(0.5), Some(5_000));
        assert_eq!(fte_from_number(1.0), Some(10_000));
        assert_eq!(fte_from_number(0.8125), Some(8_125));
        for bad in [0.0, -0.5, 1.0001, 0.00001, 0.12345, f64::NAN, f64::INFINITY] {
            assert_eq!(fte_from_number(bad), None, "{bad}");
        }
        assert_eq!(format_fte(5_000), "0.5");
        assert_eq!(format_fte(10_000), "1");
        assert_eq!(format_fte(8_125), "0.8125");
    }

    fn any_terms() -> impl Strategy<Value = PayTerms> {
        (
            prop_oneof![
                Just(PayBasis::Annual),
                Just(PayBasis::Monthly),
                Just(PayBasis::Hourly)
            ],
            1i64..=FULL_TIME_BP,
            1i64..=8_784,
        )
            .prop_map(|(basis, fte_bp, annual_hours)| PayTerms {
                basis,
                fte_bp,
                annual_hours,
            })
    }

    proptest! {
        #[test]
        fn annualise_then_deannualise_gives_the_amount_back(
            t in any_terms(),
            amount in 0i64..=1_000_000_000_000,
        ) {
            let annual = t.annualise(amount).unwrap();
            prop_assert_eq!(t.deannualise(annual), Some(amount));
        }

        #[test]
        fn a_converted_band_contains_exactly_what_the_band_contains_annualised(
            t in any_terms(),
            band_basis in prop_oneof![
                Just(PayBasis::Annual), Just(PayBasis::Monthly), Just(PayBasis::Hourly)
            ],
            min in 0i64..=100_000_000,
            width in 0i64..=100_000_000,
            amount in 0i64..=200_000_000,
        ) {
            let b = band(band_basis, min, min + width);
            let carried = t.band(&b).unwrap();
            let (n, d) = t.factor();
            let (bn, bd) = PayTerms::full_time(band_basis, DEFAULT_ANNUAL_HOURS).factor();
            // Exact rational comparison: amount·n/d within [min·bn/bd, max·bn/bd].
            let x = i128::from(amount) * n * bd;
            let inside = x >= i128::from(b.min) * bn * d && x <= i128::from(b.max) * bn * d;
            prop_assert_eq!(carried.contains(amount), inside);
        }
    }
}
