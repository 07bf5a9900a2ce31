//! Span of control: a Team Lead supervises 10–15 CSRs (the source article).

/// How many Team Leads a site's CSRs need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Staffing {
    /// At least one per 15 CSRs (rounded up).
    pub needed_at_most_15: i64,
    /// Comfortably one per 10 CSRs (rounded up).
    pub needed_at_10: i64,
    /// Fewer Team Leads than one per 15 CSRs.
    pub understaffed: bool,
}

/// The Team Leads `csrs` CSRs need, against the `team_leads` there are.
pub fn team_leads_needed(csrs: i64, team_leads: i64) -> Staffing {
    let needed_at_most_15 = (csrs + 14) / 15;
    Staffing {
        needed_at_most_15,
        needed_at_10: (csrs + 9) / 10,
        understaffed: team_leads < needed_at_most_15,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_lead_per_fifteen_at_least_and_per_ten_comfortably() {
        assert_eq!(
            team_leads_needed(31, 2),
            Staffing {
                needed_at_most_15: 3,
                needed_at_10: 4,
                understaffed: true
            }
        );
        assert!(!team_leads_needed(30, 2).understaffed);
        assert_eq!(team_leads_needed(0, 0).needed_at_most_15, 0);
    }
}
