//! Closed vocabularies of the domain.
//!
//! Every enum has a wire name in SCREAMING_SNAKE_CASE ([`AccessRole::as_str`]
//! and friends), an exact, case-sensitive `parse`, an `ALL` list in
//! declaration order, and a `Display` that writes the wire name. Where order
//! matters ([`SixSigmaBelt`], [`CefrLevel`]) the declaration order is the
//! rank, so the derived `Ord` compares levels.

use std::fmt;

macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The wire name (SCREAMING_SNAKE_CASE).
            pub fn as_str(self) -> &'static str {
                match self {
                    $( Self::$variant => $text ),+
                }
            }

            /// Parses the exact wire name; anything else (including other
            /// letter cases or surrounding whitespace) is `None`.
            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $( $text => Some(Self::$variant), )+
                    _ => None,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

wire_enum! {
    /// What a user may do in Rungs (separate from the job role on the ladder).
    AccessRole {
        Employee => "EMPLOYEE",
        Manager => "MANAGER",
        Hr => "HR",
        Admin => "ADMIN",
    }
}

wire_enum! {
    /// Where an employee works.
    WorkArrangement {
        Onsite => "ONSITE",
        Remote => "REMOTE",
        Hybrid => "HYBRID",
    }
}

wire_enum! {
    /// Contract type of an employee.
    EmploymentType {
        FullTime => "FULL_TIME",
        PartTime => "PART_TIME",
        Gig => "GIG",
    }
}

wire_enum! {
    /// Kind of certification an employee may hold or a ladder step may require.
    CertificationKind {
        SixSigma => "SIX_SIGMA",
        Language => "LANGUAGE",
        LeadershipTraining => "LEADERSHIP_TRAINING",
        Other => "OTHER",
    }
}

wire_enum! {
    /// Six Sigma belt; declaration order is the rank (White lowest).
    SixSigmaBelt {
        White => "WHITE",
        Yellow => "YELLOW",
        Green => "GREEN",
        Black => "BLACK",
        MasterBlack => "MASTER_BLACK",
    }
}

wire_enum! {
    /// CEFR language level; declaration order is the rank (A1 lowest).
    CefrLevel {
        A1 => "A1",
        A2 => "A2",
        B1 => "B1",
        B2 => "B2",
        C1 => "C1",
        C2 => "C2",
    }
}

wire_enum! {
    /// Verification state of a submitted certification. Only `Verified` counts.
    CertificationStatus {
        Pending => "PENDING",
        Verified => "VERIFIED",
        Rejected => "REJECTED",
    }
}

wire_enum! {
    /// Outcome of evaluating one ladder step for one employee.
    EligibilityStatus {
        Eligible => "ELIGIBLE",
        NotYet => "NOT_YET",
        Ineligible => "INELIGIBLE",
    }
}

wire_enum! {
    /// Which tenure requirement applies: top performers take the fast track.
    PromotionTrack {
        FastTrack => "FAST_TRACK",
        Standard => "STANDARD",
    }
}

wire_enum! {
    /// What an eligibility gap is about.
    GapKind {
        Tenure => "TENURE",
        Performance => "PERFORMANCE",
        Certification => "CERTIFICATION",
        Language => "LANGUAGE",
        /// A required skill not assessed (by a manager, HR or a course) at
        /// the level the step asks for.
        Skill => "SKILL",
    }
}

wire_enum! {
    /// Who assessed a skill. Only a SELF assessment does not count towards
    /// eligibility; a MANAGER's, HR's or a completed course's does.
    AssessmentSource {
        SelfAssessed => "SELF",
        Manager => "MANAGER",
        Hr => "HR",
        Course => "COURSE",
    }
}

impl AssessmentSource {
    /// Whether an assessment from this source counts towards eligibility.
    pub fn counts(self) -> bool {
        self != AssessmentSource::SelfAssessed
    }
}

wire_enum! {
    /// Where an enrolment in a course session stands. ENROLLED holds a seat;
    /// WAITLISTED waits for one (first come, first served); CANCELLED freed
    /// its seat or left the waitlist; COMPLETED was recorded by HR or the
    /// trainer and awarded what the course awards.
    EnrolmentStatus {
        Enrolled => "ENROLLED",
        Waitlisted => "WAITLISTED",
        Cancelled => "CANCELLED",
        Completed => "COMPLETED",
    }
}

wire_enum! {
    /// What a step of a development plan asks the person to do.
    PlanActionKind {
        /// Take a scheduled course session with free seats (or the one
        /// already enrolled in).
        TakeCourse => "TAKE_COURSE",
        /// Renew a certificate the step depends on before it expires.
        RenewCertification => "RENEW_CERTIFICATION",
        /// Get reviews rated high enough to reach the rating bar.
        GetReviews => "GET_REVIEWS",
        /// Ask the manager to assess a skill the person rates themselves
        /// high enough in.
        GetAssessed => "GET_ASSESSED",
        /// Wait until enough months in role.
        WaitForTenure => "WAIT_FOR_TENURE",
        /// Nothing scheduled closes this gap yet (no course with seats).
        NoCourseScheduled => "NO_COURSE_SCHEDULED",
    }
}

wire_enum! {
    /// Lifecycle state of a nomination; see [`super::nomination`] for the
    /// allowed transitions.
    NominationStatus {
        Pending => "PENDING",
        Approved => "APPROVED",
        Rejected => "REJECTED",
        Withdrawn => "WITHDRAWN",
    }
}

wire_enum! {
    /// Why someone's pay changed (issue 20): a promotion, or a change
    /// without one (merit, a market adjustment, a correction), a lateral
    /// move, or a change of pay basis or FTE (the amount unchanged; HR's
    /// `updateEmployee`).
    PayChangeReason {
        Promotion => "PROMOTION",
        Merit => "MERIT",
        MarketAdjustment => "MARKET_ADJUSTMENT",
        Correction => "CORRECTION",
        LateralMove => "LATERAL_MOVE",
        TermsChange => "TERMS_CHANGE",
    }
}

wire_enum! {
    /// What a salary or a band amount is per: a year, a month or an hour
    /// (issue 20). Amounts on different bases are compared as annualised
    /// full-time equivalents (`domain::pay_basis`).
    PayBasis {
        Annual => "ANNUAL",
        Monthly => "MONTHLY",
        Hourly => "HOURLY",
    }
}

wire_enum! {
    /// Where a pay change stands: PROPOSED until HR approves or rejects it.
    PayChangeStatus {
        Proposed => "PROPOSED",
        Approved => "APPROVED",
        Rejected => "REJECTED",
    }
}

wire_enum! {
    /// Gender as the person declares it (or HR enters it), for the pay-gap
    /// report only.
    Gender {
        Woman => "WOMAN",
        Man => "MAN",
        Other => "OTHER",
        Undisclosed => "UNDISCLOSED",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<T>(all: &[T], as_str: fn(T) -> &'static str, parse: fn(&str) -> Option<T>)
    where
        T: Copy + PartialEq + fmt::Debug + fmt::Display,
    {
        for &v in all {
            assert_eq!(parse(as_str(v)), Some(v));
            assert_eq!(v.to_string(), as_str(v));
            assert_eq!(parse(&as_str(v).to_lowercase()), None, "{v:?}");
            assert_eq!(parse(&format!(" {}", as_str(v))), None);
        }
    }

    #[test]
    fn every_variant_round_trips_through_its_wire_name() {
        round_trips(AccessRole::ALL, AccessRole::as_str, AccessRole::parse);
        round_trips(
            WorkArrangement::ALL,
            WorkArrangement::as_str,
            WorkArrangement::parse,
        );
        round_trips(
            EmploymentType::ALL,
            EmploymentType::as_str,
            EmploymentType::parse,
        );
        round_trips(
            CertificationKind::ALL,
            CertificationKind::as_str,
            CertificationKind::parse,
        );
        round_trips(SixSigmaBelt::ALL, SixSigmaBelt::as_str, SixSigmaBelt::parse);
        round_trips(CefrLevel::ALL, CefrLevel::as_str, CefrLevel::parse);
        round_trips(
            CertificationStatus::ALL,
            CertificationStatus::as_str,
            CertificationStatus::parse,
        );
        round_trips(
            EligibilityStatus::ALL,
            EligibilityStatus::as_str,
            EligibilityStatus::parse,
        );
        round_trips(Gender::ALL, Gender::as_str, Gender::parse);
        round_trips(PayBasis::ALL, PayBasis::as_str, PayBasis::parse);
        round_trips(
            PayChangeReason::ALL,
            PayChangeReason::as_str,
            PayChangeReason::parse,
        );
        round_trips(
            PayChangeStatus::ALL,
            PayChangeStatus::as_str,
            PayChangeStatus::parse,
        );
        round_trips(
            PromotionTrack::ALL,
            PromotionTrack::as_str,
            PromotionTrack::parse,
        );
        round_trips(GapKind::ALL, GapKind::as_str, GapKind::parse);
        round_trips(
            NominationStatus::ALL,
            NominationStatus::as_str,
            NominationStatus::parse,
        );
    }

    #[test]
    fn wire_names_are_screaming_snake_case() {
        assert_eq!(EmploymentType::FullTime.as_str(), "FULL_TIME");
        assert_eq!(
            CertificationKind::LeadershipTraining.as_str(),
            "LEADERSHIP_TRAINING"
        );
        assert_eq!(SixSigmaBelt::MasterBlack.as_str(), "MASTER_BLACK");
        assert_eq!(EligibilityStatus::NotYet.as_str(), "NOT_YET");
        assert_eq!(PromotionTrack::FastTrack.as_str(), "FAST_TRACK");
        assert_eq!(AccessRole::Hr.as_str(), "HR");
    }

    #[test]
    fn all_lists_every_variant_once_in_declaration_order() {
        assert_eq!(AccessRole::ALL.len(), 4);
        assert_eq!(WorkArrangement::ALL.len(), 3);
        assert_eq!(SixSigmaBelt::ALL.len(), 5);
        assert_eq!(CefrLevel::ALL.len(), 6);
        assert_eq!(NominationStatus::ALL.len(), 4);
        assert!(SixSigmaBelt::ALL.windows(2).all(|w| w[0] < w[1]));
        assert!(CefrLevel::ALL.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn belts_and_cefr_levels_compare_by_rank() {
        assert!(SixSigmaBelt::Green > SixSigmaBelt::Yellow);
        assert!(SixSigmaBelt::MasterBlack > SixSigmaBelt::Black);
        assert!(CefrLevel::C1 > CefrLevel::B2);
        assert!(CefrLevel::A1 < CefrLevel::A2);
    }

    #[test]
    fn parsing_is_exact_and_case_sensitive() {
        assert_eq!(AccessRole::parse("Admin"), None);
        assert_eq!(AccessRole::parse(""), None);
        assert_eq!(CefrLevel::parse("b2"), None);
        assert_eq!(SixSigmaBelt::parse("MASTER BLACK"), None);
        assert_eq!(
            EligibilityStatus::parse("NOT_YET"),
            Some(EligibilityStatus::NotYet)
        );
    }
}
