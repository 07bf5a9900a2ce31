//! Exact money: integer minor units, ISO 4217 exponents, raises and bands.
//!
//! Amounts are never binary floats. An amount is an `i64` count of the
//! currency's minor unit (yen for JPY, cents for USD, fils for KWD) and always
//! travels with its currency code. Floats appear only in ratios meant for
//! display and charts ([`compa_ratio`], [`range_penetration`]) and as the
//! input of [`percent_to_basis_points`], which converts a percentage to exact
//! basis points (1 bp = 0.01 %).

use std::fmt;

/// Minor-unit exponent of an active ISO 4217 currency: the number of decimal
/// digits after the point (0 for JPY, 2 for USD, 3 for KWD).
///
/// Only uppercase three-letter codes of circulating currencies are known;
/// fund codes, precious metals, SDRs and test codes (XAU, XDR, XTS, CLF, ...)
/// and anything else give `None`.
pub fn currency_exponent(code: &str) -> Option<u32> {
    let exponent = match code {
        // Currencies without a minor unit.
        "BIF" | "CLP" | "DJF" | "GNF" | "ISK" | "JPY" | "KMF" | "KRW" | "PYG" | "RWF" | "UGX"
        | "VND" | "VUV" | "XAF" | "XOF" | "XPF" => 0,
        // Currencies with three decimal places.
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        // Everything else in circulation has two.
        "AED" | "AFN" | "ALL" | "AMD" | "ANG" | "AOA" | "ARS" | "AUD" | "AWG" | "AZN" | "BAM"
        | "BBD" | "BDT" | "BGN" | "BMD" | "BND" | "BOB" | "BRL" | "BSD" | "BTN" | "BWP" | "BYN"
        | "BZD" | "CAD" | "CDF" | "CHF" | "CNY" | "COP" | "CRC" | "CUC" | "CUP" | "CVE" | "CZK"
        | "DKK" | "DOP" | "DZD" | "EGP" | "ERN" | "ETB" | "EUR" | "FJD" | "FKP" | "GBP" | "GEL"
        | "GHS" | "GIP" | "GMD" | "GTQ" | "GYD" | "HKD" | "HNL" | "HTG" | "HUF" | "IDR" | "ILS"
        | "INR" | "IRR" | "JMD" | "KES" | "KGS" | "KHR" | "KPW" | "KYD" | "KZT" | "LAK" | "LBP"
        | "LKR" | "LRD" | "LSL" | "MAD" | "MDL" | "MGA" | "MKD" | "MMK" | "MNT" | "MOP" | "MRU"
        | "MUR" | "MVR" | "MWK" | "MXN" | "MYR" | "MZN" | "NAD" | "NGN" | "NIO" | "NOK" | "NPR"
        | "NZD" | "PAB" | "PEN" | "PGK" | "PHP" | "PKR" | "PLN" | "QAR" | "RON" | "RSD" | "RUB"
        | "SAR" | "SBD" | "SCR" | "SDG" | "SEK" | "SGD" | "SHP" | "SLE" | "SLL" | "SOS" | "SRD"
        | "SSP" | "STN" | "SVC" | "SYP" | "SZL" | "THB" | "TJS" | "TMT" | "TOP" | "TRY" | "TTD"
        | "TWD" | "TZS" | "UAH" | "USD" | "UYU" | "UZS" | "VED" | "VES" | "WST" | "XCD" | "XCG"
        | "YER" | "ZAR" | "ZMW" | "ZWG" | "ZWL" => 2,
        _ => return None,
    };
    Some(exponent)
}

/// Why a decimal amount could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoneyError {
    /// The currency code is not an active ISO 4217 currency.
    UnknownCurrency(String),
    /// The text is not a plain decimal number (the text is kept for the message).
    Malformed(String),
    /// The amount is negative; money amounts here are never negative.
    Negative,
    /// More decimal digits than the currency's minor unit allows.
    TooManyDecimals { currency: String, allowed: u32 },
    /// The amount does not fit in 64-bit minor units.
    Overflow,
}

impl fmt::Display for MoneyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownCurrency(code) => {
                write!(
                    f,
                    "unknown currency {code:?}: expected an ISO 4217 code such as JPY or USD"
                )
            }
            Self::Malformed(text) => write!(
                f,
                "malformed amount {text:?}: expected digits with an optional decimal point, \
                 such as 52000.50 (no signs, spaces, separators or exponents)"
            ),
            Self::Negative => f.write_str("amount must not be negative"),
            Self::TooManyDecimals {
                currency,
                allowed: 0,
            } => {
                write!(f, "{currency} amounts have no decimal places")
            }
            Self::TooManyDecimals { currency, allowed } => {
                write!(
                    f,
                    "{currency} amounts have at most {allowed} decimal places"
                )
            }
            Self::Overflow => f.write_str("amount is too large"),
        }
    }
}

impl std::error::Error for MoneyError {}

/// Reads a plain decimal string ("400000", "52000.50") as minor units of
/// `currency`.
///
/// Accepted: one or more ASCII digits, optionally followed by a point and one
/// or more digits, at most as many as the currency's exponent ("1.5" is
/// rejected for JPY; "1.50" is fine for USD, "1.505" is not). Rejected: empty
/// text, any sign (a leading '-' is [`MoneyError::Negative`], '+' is
/// malformed), whitespace, thousands separators, exponents, and amounts that
/// overflow `i64`.
pub fn parse_amount(text: &str, currency: &str) -> Result<i64, MoneyError> {
    let exponent =
        currency_exponent(currency).ok_or_else(|| MoneyError::UnknownCurrency(currency.into()))?;
    let malformed = || MoneyError::Malformed(text.into());
    if text.starts_with('-') {
        return Err(MoneyError::Negative);
    }
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(whole) || !fraction.is_none_or(all_digits) {
        return Err(malformed());
    }
    let fraction = fraction.unwrap_or("");
    // A fraction is all ASCII digits here, so its byte length is its digit count.
    let decimals = u32::try_from(fraction.len()).unwrap_or(u32::MAX);
    if decimals > exponent {
        return Err(MoneyError::TooManyDecimals {
            currency: currency.into(),
            allowed: exponent,
        });
    }
    let mut digits = whole
        .bytes()
        .chain(fraction.bytes())
        .chain(std::iter::repeat_n(b'0', (exponent - decimals) as usize));
    digits.try_fold(0i64, |acc, b| {
        acc.checked_mul(10)
            .and_then(|acc| acc.checked_add(i64::from(b - b'0')))
            .ok_or(MoneyError::Overflow)
    })
}

/// Writes minor units as an exact decimal with exactly the currency's number
/// of decimal places ("400000" for JPY, "52000.50" for USD); negative amounts
/// get a leading '-'. An unknown currency is written with two decimals.
pub fn format_amount(minor: i64, currency: &str) -> String {
    let exponent = currency_exponent(currency).unwrap_or(2);
    let sign = if minor < 0 { "-" } else { "" };
    let magnitude = minor.unsigned_abs();
    if exponent == 0 {
        return format!("{sign}{magnitude}");
    }
    let divisor = 10u64.pow(exponent);
    let width = exponent as usize;
    format!(
        "{sign}{}.{:0width$}",
        magnitude / divisor,
        magnitude % divisor
    )
}

/// The largest raise a ladder step may allow on promotion: 100 % (pay at
/// most doubles in one step).
pub const MAX_RAISE_BP: i64 = 10_000;

/// Converts a percentage to basis points exactly: 20.0 -> 2000, 12.5 -> 1250.
///
/// `None` when the percentage is not finite, negative, above 1000, or has more
/// than two decimal places (within a tolerance of 1e-6 bp for float noise).
pub fn percent_to_basis_points(percent: f64) -> Option<i64> {
    // NaN and the infinities are outside the range too.
    if !(0.0..=1000.0).contains(&percent) {
        return None;
    }
    let scaled = percent * 100.0;
    let rounded = scaled.round();
    if (rounded - scaled).abs() > 1e-6 {
        return None;
    }
    // 0 <= rounded <= 100_000, so the cast is exact.
    Some(rounded as i64)
}

/// Divides `numerator` by a positive `denominator`, rounding half away from
/// zero.
fn div_round_half_away(numerator: i128, denominator: i128) -> i128 {
    let quotient = numerator / denominator;
    let remainder = numerator % denominator;
    if remainder.abs() * 2 >= denominator {
        quotient + numerator.signum()
    } else {
        quotient
    }
}

/// `minor × (1 + bp/10000)`, rounded half away from zero to the minor unit.
/// `None` when the result does not fit in `i64`.
pub fn apply_raise(minor: i64, basis_points: i64) -> Option<i64> {
    let factor = 10_000i128.checked_add(i128::from(basis_points))?;
    let product = i128::from(minor).checked_mul(factor)?;
    i64::try_from(div_round_half_away(product, 10_000)).ok()
}

/// A salary band for one job role in one market.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    /// Band minimum, in minor units of `currency`.
    pub min: i64,
    /// Band maximum, in minor units of `currency`.
    pub max: i64,
    /// Band midpoint, in minor units of `currency` (default: [`default_midpoint`]).
    pub midpoint: i64,
    /// ISO 4217 code of the band's amounts.
    pub currency: String,
    /// What the amounts are per (a year, a month, an hour).
    pub basis: crate::domain::enums::PayBasis,
    /// The market's standard annual hours (for an HOURLY basis).
    pub annual_hours: i64,
}

/// Pay on promotion: [`apply_raise`], then raised to the band minimum if
/// below it and capped at the band maximum if above it. The band must be in
/// the same currency as `current`; the caller checks that. `None` on overflow.
pub fn promotion_pay(current: i64, basis_points: i64, band: Option<&Band>) -> Option<i64> {
    let raised = apply_raise(current, basis_points)?;
    Some(match band {
        Some(band) if raised < band.min => band.min,
        Some(band) if raised > band.max => band.max,
        _ => raised,
    })
}

impl Band {
    /// Whether `amount` lies within the band, both ends included.
    pub fn contains(&self, amount: i64) -> bool {
        (self.min..=self.max).contains(&amount)
    }
}

/// Compa-ratio: salary / band midpoint. `None` when the midpoint is not
/// positive.
pub fn compa_ratio(salary: i64, band: &Band) -> Option<f64> {
    (band.midpoint > 0).then(|| salary as f64 / band.midpoint as f64)
}

/// Range penetration: (salary − min) / (max − min); 0 at the minimum, 1 at the
/// maximum, outside [0, 1] outside the band. `None` when max == min.
pub fn range_penetration(salary: i64, band: &Band) -> Option<f64> {
    let width = i128::from(band.max) - i128::from(band.min);
    (width != 0).then(|| (i128::from(salary) - i128::from(band.min)) as f64 / width as f64)
}

/// The default band midpoint: halfway between `min` and `max`, rounded half
/// away from zero.
pub fn default_midpoint(min: i64, max: i64) -> i64 {
    let halfway = div_round_half_away(i128::from(min) + i128::from(max), 2);
    // Halfway between two i64 values (rounded outwards) is still an i64.
    i64::try_from(halfway).unwrap_or(if halfway < 0 { i64::MIN } else { i64::MAX })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn jpy_band(min: i64, max: i64) -> Band {
        Band {
            min,
            max,
            midpoint: default_midpoint(min, max),
            currency: "JPY".into(),
            basis: crate::domain::enums::PayBasis::Annual,
            annual_hours: crate::domain::pay_basis::DEFAULT_ANNUAL_HOURS,
        }
    }

    #[test]
    fn currency_exponents_follow_iso_4217() {
        assert_eq!(currency_exponent("JPY"), Some(0));
        assert_eq!(currency_exponent("KRW"), Some(0));
        assert_eq!(currency_exponent("VND"), Some(0));
        assert_eq!(currency_exponent("CLP"), Some(0));
        assert_eq!(currency_exponent("ISK"), Some(0));
        assert_eq!(currency_exponent("UGX"), Some(0));
        assert_eq!(currency_exponent("USD"), Some(2));
        assert_eq!(currency_exponent("EUR"), Some(2));
        assert_eq!(currency_exponent("PHP"), Some(2));
        assert_eq!(currency_exponent("INR"), Some(2));
        for code in ["BHD", "KWD", "OMR", "JOD", "TND", "LYD", "IQD"] {
            assert_eq!(currency_exponent(code), Some(3), "{code}");
        }
    }

    #[test]
    fn funds_metals_and_malformed_codes_are_not_currencies() {
        for code in [
            "XAU", "XAG", "XDR", "XTS", "XXX", "CLF", "BOV", "usd", "Usd", "US", "USDD", " USD", "",
        ] {
            assert_eq!(currency_exponent(code), None, "{code:?}");
        }
    }

    #[test]
    fn plain_decimals_parse_to_minor_units() {
        assert_eq!(parse_amount("400000", "JPY"), Ok(400_000));
        assert_eq!(parse_amount("52000.50", "USD"), Ok(5_200_050));
        assert_eq!(parse_amount("52000.5", "USD"), Ok(5_200_050));
        assert_eq!(parse_amount("52000", "USD"), Ok(5_200_000));
        assert_eq!(parse_amount("1.50", "USD"), Ok(150));
        assert_eq!(parse_amount("0", "USD"), Ok(0));
        assert_eq!(parse_amount("1.234", "KWD"), Ok(1_234));
        assert_eq!(parse_amount("007", "JPY"), Ok(7));
    }

    #[test]
    fn more_decimals_than_the_currency_allows_are_rejected() {
        let too_many = |currency: &str, allowed| {
            Err(MoneyError::TooManyDecimals {
                currency: currency.into(),
                allowed,
            })
        };
        assert_eq!(parse_amount("1.5", "JPY"), too_many("JPY", 0));
        assert_eq!(parse_amount("1.0", "JPY"), too_many("JPY", 0));
        assert_eq!(parse_amount("1.505", "USD"), too_many("USD", 2));
        assert_eq!(parse_amount("1.2345", "KWD"), too_many("KWD", 3));
    }

    #[test]
    fn signs_spaces_separators_and_exponents_are_rejected() {
        assert_eq!(parse_amount("-5", "USD"), Err(MoneyError::Negative));
        assert_eq!(parse_amount("-0.01", "USD"), Err(MoneyError::Negative));
        for text in [
            "", "+5", " 5", "5 ", "1,000", "1_000", "1e3", "1E3", "1.", ".5", "1.2.3", "0x10",
            "５", "NaN", "inf", "1 000", "\t1",
        ] {
            assert_eq!(
                parse_amount(text, "USD"),
                Err(MoneyError::Malformed(text.into())),
                "{text:?}"
            );
        }
    }

    #[test]
    fn unknown_currencies_are_rejected_before_the_amount_is_read() {
        assert_eq!(
            parse_amount("5", "XAU"),
            Err(MoneyError::UnknownCurrency("XAU".into()))
        );
        assert_eq!(
            parse_amount("5", "jpy"),
            Err(MoneyError::UnknownCurrency("jpy".into()))
        );
    }

    #[test]
    fn amounts_beyond_i64_overflow_instead_of_wrapping() {
        assert_eq!(parse_amount("9223372036854775807", "JPY"), Ok(i64::MAX));
        assert_eq!(
            parse_amount("9223372036854775808", "JPY"),
            Err(MoneyError::Overflow)
        );
        assert_eq!(
            parse_amount("92233720368547758.08", "USD"),
            Err(MoneyError::Overflow)
        );
        assert_eq!(
            parse_amount("99999999999999999999999999", "JPY"),
            Err(MoneyError::Overflow)
        );
    }

    #[test]
    fn errors_read_as_clear_messages() {
        assert_eq!(
            MoneyError::TooManyDecimals {
                currency: "JPY".into(),
                allowed: 0
            }
            .to_string(),
            "JPY amounts have no decimal places"
        );
        assert_eq!(
            MoneyError::TooManyDecimals {
                currency: "USD".into(),
                allowed: 2
            }
            .to_string(),
            "USD amounts have at most 2 decimal places"
        );
        assert!(MoneyError::UnknownCurrency("XAU".into())
            .to_string()
            .contains("XAU"));
        assert!(MoneyError::Malformed("1,000".into())
            .to_string()
            .contains("1,000"));
        assert_eq!(
            MoneyError::Negative.to_string(),
            "amount must not be negative"
        );
    }

    #[test]
    fn amounts_format_with_exactly_the_currency_decimals() {
        assert_eq!(format_amount(400_000, "JPY"), "400000");
        assert_eq!(format_amount(5_200_050, "USD"), "52000.50");
        assert_eq!(format_amount(5, "USD"), "0.05");
        assert_eq!(format_amount(0, "USD"), "0.00");
        assert_eq!(format_amount(1_234, "KWD"), "1.234");
        assert_eq!(format_amount(-150, "USD"), "-1.50");
        assert_eq!(format_amount(-5, "JPY"), "-5");
        assert_eq!(format_amount(150, "???"), "1.50");
        assert_eq!(format_amount(i64::MIN, "USD"), "-92233720368547758.08");
    }

    #[test]
    fn percentages_convert_to_exact_basis_points() {
        assert_eq!(percent_to_basis_points(20.0), Some(2000));
        assert_eq!(percent_to_basis_points(30.0), Some(3000));
        assert_eq!(percent_to_basis_points(12.5), Some(1250));
        assert_eq!(percent_to_basis_points(0.01), Some(1));
        assert_eq!(percent_to_basis_points(0.07), Some(7));
        assert_eq!(percent_to_basis_points(33.33), Some(3333));
        assert_eq!(percent_to_basis_points(0.0), Some(0));
        assert_eq!(percent_to_basis_points(1000.0), Some(100_000));
    }

    #[test]
    fn unusable_percentages_have_no_basis_points() {
        for p in [
            -0.01,
            -20.0,
            1000.01,
            12.345,
            0.001,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            assert_eq!(percent_to_basis_points(p), None, "{p}");
        }
    }

    #[test]
    fn raises_are_exact_and_round_half_away_from_zero() {
        assert_eq!(apply_raise(400_000, 2000), Some(480_000));
        assert_eq!(apply_raise(400_000, 3000), Some(520_000));
        assert_eq!(apply_raise(333_333, 2000), Some(400_000)); // 399999.6
        assert_eq!(apply_raise(5, 1000), Some(6)); // 5.5
        assert_eq!(apply_raise(-5, 1000), Some(-6)); // -5.5
        assert_eq!(apply_raise(15, 1000), Some(17)); // 16.5
        assert_eq!(apply_raise(14, 1000), Some(15)); // 15.4
        assert_eq!(apply_raise(100, 0), Some(100));
        assert_eq!(apply_raise(100, -10_000), Some(0));
    }

    #[test]
    fn raises_that_overflow_are_none() {
        assert_eq!(apply_raise(i64::MAX, 1), None);
        assert_eq!(apply_raise(i64::MAX, i64::MAX), None);
        assert_eq!(apply_raise(i64::MIN, i64::MIN), None);
        assert_eq!(apply_raise(i64::MAX, 0), Some(i64::MAX));
    }

    #[test]
    fn promotion_pay_is_raised_to_the_band_minimum() {
        let band = jpy_band(480_000, 700_000);
        assert_eq!(promotion_pay(380_000, 2000, Some(&band)), Some(480_000));
    }

    #[test]
    fn promotion_pay_is_capped_at_the_band_maximum() {
        let band = jpy_band(480_000, 700_000);
        assert_eq!(promotion_pay(600_000, 2000, Some(&band)), Some(700_000));
        assert_eq!(promotion_pay(800_000, 2000, Some(&band)), Some(700_000));
    }

    #[test]
    fn promotion_pay_inside_the_band_is_the_plain_raise() {
        let band = jpy_band(480_000, 700_000);
        assert_eq!(promotion_pay(500_000, 2000, Some(&band)), Some(600_000));
        assert_eq!(promotion_pay(500_000, 2000, None), Some(600_000));
        assert_eq!(promotion_pay(i64::MAX, 2000, Some(&band)), None);
    }

    #[test]
    fn compa_ratio_and_range_penetration_measure_position_in_the_band() {
        let band = jpy_band(480_000, 700_000);
        assert_eq!(band.midpoint, 590_000);
        assert_eq!(compa_ratio(590_000, &band), Some(1.0));
        assert_eq!(compa_ratio(295_000, &band), Some(0.5));
        assert_eq!(range_penetration(480_000, &band), Some(0.0));
        assert_eq!(range_penetration(700_000, &band), Some(1.0));
        assert_eq!(range_penetration(590_000, &band), Some(0.5));
        assert_eq!(range_penetration(370_000, &band), Some(-0.5));
    }

    #[test]
    fn degenerate_bands_have_no_ratios() {
        let flat = jpy_band(500_000, 500_000);
        assert_eq!(range_penetration(500_000, &flat), None);
        let zero_mid = Band {
            midpoint: 0,
            ..flat.clone()
        };
        assert_eq!(compa_ratio(500_000, &zero_mid), None);
        let extreme = Band {
            min: i64::MIN,
            max: i64::MAX,
            midpoint: 0,
            ..flat.clone()
        };
        assert_eq!(range_penetration(i64::MIN, &extreme), Some(0.0));
    }

    #[test]
    fn the_default_midpoint_is_halfway_rounded_half_away_from_zero() {
        assert_eq!(default_midpoint(400_000, 560_000), 480_000);
        assert_eq!(default_midpoint(1, 2), 2);
        assert_eq!(default_midpoint(-2, -1), -2);
        assert_eq!(default_midpoint(i64::MAX, i64::MAX), i64::MAX);
        assert_eq!(default_midpoint(i64::MIN, i64::MIN), i64::MIN);
        assert_eq!(default_midpoint(i64::MIN, i64::MAX), -1);
    }

    fn currency() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec!["JPY", "USD", "KWD", "EUR", "BHD", "KRW"])
    }

    proptest! {
        #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn formatting_then_parsing_gives_back_the_amount(minor in 0i64..=i64::MAX, code in currency()) {
            prop_assert_eq!(parse_amount(&format_amount(minor, code), code), Ok(minor));
        }

        #[test]
        fn a_raise_is_within_half_a_minor_unit_of_the_exact_value(
            minor in -1_000_000_000_000i64..1_000_000_000_000, bp in 0i64..=100_000
        ) {
            let raised = apply_raise(minor, bp);
            prop_assert!(raised.is_some());
            let raised = i128::from(raised.unwrap_or(0));
            let exact_times_10000 = i128::from(minor) * (10_000 + i128::from(bp));
            let error = (raised * 10_000 - exact_times_10000).abs();
            prop_assert!(error * 2 <= 10_000);
        }

        #[test]
        fn promotion_pay_stays_within_a_well_formed_band(
            current in 0i64..10_000_000_000, bp in 0i64..=10_000,
            a in 0i64..10_000_000_000, b in 0i64..10_000_000_000
        ) {
            let band = jpy_band(a.min(b), a.max(b));
            let pay = promotion_pay(current, bp, Some(&band));
            prop_assert!(pay.is_some_and(|p| band.min <= p && p <= band.max));
        }

        #[test]
        fn whole_percentages_with_two_decimals_convert_exactly(bp in 0i64..=100_000) {
            prop_assert_eq!(percent_to_basis_points(bp as f64 / 100.0), Some(bp));
        }

        #[test]
        fn the_default_midpoint_lies_within_the_band(a in any::<i64>(), b in any::<i64>()) {
            let mid = default_midpoint(a.min(b), a.max(b));
            prop_assert!(a.min(b) <= mid && mid <= a.max(b));
        }
    }
}
