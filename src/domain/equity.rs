//! Equity vesting (issue 20): how many units of a grant have vested on a
//! day. A schedule vests over `vesting_months` whole calendar months from
//! the grant date; nothing before the cliff, then what accrued at once, then
//! monthly (units × months ÷ vesting months, rounded down, so the last unit
//! vests on the last day), all of it once the schedule has run. The usual
//! leadership schedule is 48 months with a 12-month cliff.

use chrono::NaiveDate;

use super::tenure::months_between;

/// A grant's schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    pub granted_on: NaiveDate,
    pub units: i64,
    pub vesting_months: u32,
    pub cliff_months: u32,
}

/// Why a schedule does not add up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleError {
    Units,
    VestingMonths,
    Cliff,
}

impl std::fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ScheduleError::Units => "units: between 1 and 1,000,000,000",
            ScheduleError::VestingMonths => "vestingMonths: between 1 and 120",
            ScheduleError::Cliff => "cliffMonths: between 0 and vestingMonths",
        })
    }
}

/// Most units in one grant.
pub const MAX_UNITS: i64 = 1_000_000_000;
/// Longest schedule, in months.
pub const MAX_VESTING_MONTHS: u32 = 120;

impl Schedule {
    /// A schedule that adds up: some units, 1 to 120 months, a cliff within
    /// them.
    /// Months come as the API and the tables hold them (signed); a
    /// negative count does not add up either.
    pub fn new(
        granted_on: NaiveDate,
        units: i64,
        vesting_months: i32,
        cliff_months: i32,
    ) -> Result<Schedule, ScheduleError> {
        if !(1..=MAX_UNITS).contains(&units) {
            return Err(ScheduleError::Units);
        }
        let vesting_months = u32::try_from(vesting_months)
            .ok()
            .filter(|m| (1..=MAX_VESTING_MONTHS).contains(m))
            .ok_or(ScheduleError::VestingMonths)?;
        let cliff_months = u32::try_from(cliff_months)
            .ok()
            .filter(|&c| c <= vesting_months)
            .ok_or(ScheduleError::Cliff)?;
        Ok(Schedule {
            granted_on,
            units,
            vesting_months,
            cliff_months,
        })
    }

    /// Units vested on `as_of`.
    pub fn vested_on(&self, as_of: NaiveDate) -> i64 {
        let months = months_between(self.granted_on, as_of);
        if as_of < self.granted_on || months < self.cliff_months {
            return 0;
        }
        if months >= self.vesting_months {
            return self.units;
        }
        // Exact in i128: units ≤ 10^9, months ≤ 120.
        (i128::from(self.units) * i128::from(months) / i128::from(self.vesting_months)) as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn four_years_with_a_one_year_cliff_then_monthly() {
        let g = Schedule::new(d(2026, 1, 15), 4800, 48, 12).unwrap();
        assert_eq!(g.vested_on(d(2026, 1, 14)), 0);
        assert_eq!(g.vested_on(d(2027, 1, 14)), 0, "the day before the cliff");
        assert_eq!(
            g.vested_on(d(2027, 1, 15)),
            1200,
            "a year at once on the cliff"
        );
        assert_eq!(g.vested_on(d(2027, 2, 15)), 1300, "then monthly");
        assert_eq!(g.vested_on(d(2030, 1, 14)), 4700);
        assert_eq!(g.vested_on(d(2030, 1, 15)), 4800);
        assert_eq!(g.vested_on(d(2040, 1, 1)), 4800);
    }

    #[test]
    fn a_schedule_that_does_not_add_up_is_refused() {
        let day = d(2026, 1, 1);
        assert_eq!(Schedule::new(day, 0, 48, 12), Err(ScheduleError::Units));
        assert_eq!(
            Schedule::new(day, 10, 0, 0),
            Err(ScheduleError::VestingMonths)
        );
        assert_eq!(
            Schedule::new(day, 10, 121, 0),
            Err(ScheduleError::VestingMonths)
        );
        assert_eq!(Schedule::new(day, 10, 12, 13), Err(ScheduleError::Cliff));
        assert_eq!(Schedule::new(day, 10, 12, -1), Err(ScheduleError::Cliff));
        assert_eq!(
            Schedule::new(day, 10, -12, 0),
            Err(ScheduleError::VestingMonths)
        );
    }

    proptest! {
        #[test]
        fn vesting_never_goes_down_never_exceeds_the_grant_and_ends_complete(
            units in 1i64..=MAX_UNITS,
            vesting in 1i32..=MAX_VESTING_MONTHS as i32,
            cliff_share in 0i32..=100,
            start in 0i64..20_000,
            a in 0i64..5_000,
            b in 0i64..5_000,
        ) {
            let cliff = vesting * cliff_share / 100;
            let granted = d(2000, 1, 1) + chrono::Days::new(start as u64);
            let g = Schedule::new(granted, units, vesting, cliff).unwrap();
            let (early, late) = (a.min(b), a.max(b));
            let on = |days: i64| g.vested_on(granted + chrono::Days::new(days as u64));
            prop_assert!(on(early) <= on(late));
            prop_assert!(on(late) <= units);
            let end = crate::domain::tenure::add_months(granted, vesting as u32).unwrap();
            prop_assert_eq!(g.vested_on(end), units);
            if cliff > 0 {
                let before_cliff = crate::domain::tenure::add_months(granted, cliff as u32).unwrap() - chrono::Days::new(1);
                prop_assert_eq!(g.vested_on(before_cliff), 0);
            }
        }
    }
}
