//! Whole-calendar-month arithmetic for tenure.
//!
//! `n` months have passed from date `s` to date `d` when
//! `add_months(s, n) <= d`, where adding months keeps the day of the month and
//! clamps it to the target month's last day (Jan 31 + 1 month = Feb 28 or 29).
//! So from 2025-01-15, 12 months have passed on 2026-01-15 and not on
//! 2026-01-14.

use chrono::{Datelike, NaiveDate};

/// Number of days in `month` (1-12) of `year` in the proleptic Gregorian
/// calendar.
fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 31,
    }
}

fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Months since year 0, month 0 (January): a linear index of calendar months.
fn month_index(date: NaiveDate) -> i64 {
    i64::from(date.year()) * 12 + i64::from(date.month0())
}

/// `date` plus `months` calendar months, keeping the day of the month and
/// clamping it to the last day of the target month (Jan 31 + 1 = Feb 28/29).
///
/// Returns `None` only when the result is outside chrono's date range.
pub fn add_months(date: NaiveDate, months: u32) -> Option<NaiveDate> {
    let index = month_index(date).checked_add(i64::from(months))?;
    let year = i32::try_from(index.div_euclid(12)).ok()?;
    // rem_euclid(12) is in 0..12, so the cast cannot truncate.
    let month = index.rem_euclid(12) as u32 + 1;
    let day = date.day().min(days_in_month(year, month));
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Whole calendar months from `start` to `end`: the largest `n` such that
/// `add_months(start, n) <= end`, or 0 when `end < start`.
///
/// Computed in constant time from the difference of the month indices, which
/// is either the answer or one too many (when the day of `end` is before the
/// clamped day of `start`).
pub fn months_between(start: NaiveDate, end: NaiveDate) -> u32 {
    if end < start {
        return 0;
    }
    let diff = month_index(end) - month_index(start);
    // Every chrono date range spans far fewer than u32::MAX months.
    let candidate = u32::try_from(diff).unwrap_or(u32::MAX);
    match add_months(start, candidate) {
        Some(date) if date <= end => candidate,
        _ => candidate.saturating_sub(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn twelve_months_pass_on_the_same_day_a_year_later_and_not_the_day_before() {
        assert_eq!(months_between(d(2025, 1, 15), d(2026, 1, 15)), 12);
        assert_eq!(months_between(d(2025, 1, 15), d(2026, 1, 14)), 11);
    }

    #[test]
    fn no_months_pass_before_the_start_or_on_the_start_day() {
        assert_eq!(months_between(d(2025, 1, 15), d(2025, 1, 15)), 0);
        assert_eq!(months_between(d(2025, 1, 15), d(2024, 12, 1)), 0);
        assert_eq!(months_between(d(2025, 1, 15), d(2025, 2, 14)), 0);
        assert_eq!(months_between(d(2025, 1, 15), d(2025, 2, 15)), 1);
    }

    #[test]
    fn adding_months_to_january_31_clamps_to_the_end_of_february() {
        assert_eq!(add_months(d(2025, 1, 31), 1), Some(d(2025, 2, 28)));
        assert_eq!(add_months(d(2024, 1, 31), 1), Some(d(2024, 2, 29)));
        assert_eq!(add_months(d(2025, 1, 31), 2), Some(d(2025, 3, 31)));
        assert_eq!(add_months(d(2025, 1, 31), 3), Some(d(2025, 4, 30)));
    }

    #[test]
    fn a_january_31_start_completes_a_month_at_the_end_of_february() {
        assert_eq!(months_between(d(2025, 1, 31), d(2025, 2, 27)), 0);
        assert_eq!(months_between(d(2025, 1, 31), d(2025, 2, 28)), 1);
        assert_eq!(months_between(d(2025, 1, 31), d(2025, 3, 30)), 1);
        assert_eq!(months_between(d(2025, 1, 31), d(2025, 3, 31)), 2);
    }

    #[test]
    fn a_february_29_start_completes_years_on_february_28_in_common_years() {
        assert_eq!(add_months(d(2024, 2, 29), 12), Some(d(2025, 2, 28)));
        assert_eq!(add_months(d(2024, 2, 29), 48), Some(d(2028, 2, 29)));
        assert_eq!(months_between(d(2024, 2, 29), d(2025, 2, 27)), 11);
        assert_eq!(months_between(d(2024, 2, 29), d(2025, 2, 28)), 12);
        assert_eq!(months_between(d(2024, 2, 29), d(2028, 2, 28)), 47);
        assert_eq!(months_between(d(2024, 2, 29), d(2028, 2, 29)), 48);
    }

    #[test]
    fn leap_years_follow_the_gregorian_century_rule() {
        assert_eq!(add_months(d(1900, 1, 31), 1), Some(d(1900, 2, 28)));
        assert_eq!(add_months(d(2000, 1, 31), 1), Some(d(2000, 2, 29)));
        assert_eq!(add_months(d(2100, 1, 31), 1), Some(d(2100, 2, 28)));
    }

    #[test]
    fn adding_months_beyond_the_calendar_range_is_none_not_a_panic() {
        assert_eq!(add_months(NaiveDate::MAX, 1), None);
        assert_eq!(add_months(d(2025, 1, 1), u32::MAX), None);
        assert_eq!(add_months(NaiveDate::MAX, 0), Some(NaiveDate::MAX));
    }

    #[test]
    fn months_between_the_extremes_of_the_calendar_does_not_overflow() {
        let n = months_between(NaiveDate::MIN, NaiveDate::MAX);
        assert!(add_months(NaiveDate::MIN, n).is_some_and(|x| x <= NaiveDate::MAX));
        assert_eq!(months_between(NaiveDate::MAX, NaiveDate::MIN), 0);
    }

    fn date() -> impl Strategy<Value = NaiveDate> {
        // 1600-01-01 ..= 2600-12-31 as days from the common era.
        (584_023i32..=949_720)
            .prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap_or(NaiveDate::MIN))
    }

    proptest! {
        #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn months_between_is_the_largest_whole_number_of_months(s in date(), e in date()) {
            let n = months_between(s, e);
            if e < s {
                prop_assert_eq!(n, 0);
            } else {
                prop_assert!(add_months(s, n).is_some_and(|x| x <= e));
                prop_assert!(add_months(s, n + 1).is_some_and(|x| x > e));
            }
        }

        #[test]
        fn months_between_never_decreases_as_the_end_date_moves_later(
            s in date(), e in date(), days in 0u64..2000
        ) {
            let later = e.checked_add_days(chrono::Days::new(days)).unwrap_or(e);
            prop_assert!(months_between(s, e) <= months_between(s, later));
        }

        #[test]
        fn adding_months_in_two_steps_never_lands_after_adding_them_at_once(
            s in date(), a in 0u32..600, b in 0u32..600
        ) {
            let once = add_months(s, a + b);
            let twice = add_months(s, a).and_then(|x| add_months(x, b));
            prop_assert!(once.is_some() && twice.is_some());
            let (once, twice) = (once.unwrap_or(s), twice.unwrap_or(s));
            prop_assert!(twice <= once);
            prop_assert_eq!((twice.year(), twice.month()), (once.year(), once.month()));
            if s.day() <= 28 {
                prop_assert_eq!(twice, once);
            }
        }

        #[test]
        fn adding_whole_months_then_measuring_gives_them_back(s in date(), n in 0u32..2400) {
            let end = add_months(s, n);
            prop_assert!(end.is_some());
            prop_assert_eq!(months_between(s, end.unwrap_or(s)), n);
        }

        #[test]
        fn add_months_is_monotone_in_the_number_of_months(s in date(), n in 0u32..2400) {
            prop_assert!(add_months(s, n) < add_months(s, n + 1));
        }
    }
}
