//! GraphQL enums, mirrored from the pure domain enums (the domain knows
//! nothing of GraphQL).

use async_graphql::Enum;

use crate::domain::enums as domain;

macro_rules! mirror_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
        pub enum $name { $($variant),+ }

        impl From<domain::$name> for $name {
            fn from(value: domain::$name) -> Self {
                match value { $(domain::$name::$variant => $name::$variant),+ }
            }
        }

        impl From<$name> for domain::$name {
            fn from(value: $name) -> Self {
                match value { $($name::$variant => domain::$name::$variant),+ }
            }
        }
    };
}

mirror_enum!(
    /// What a person may do in Rungs (separate from their job role).
    AccessRole { Employee, Manager, Hr, Admin }
);
mirror_enum!(WorkArrangement {
    Onsite,
    Remote,
    Hybrid
});
mirror_enum!(EmploymentType {
    FullTime,
    PartTime,
    Gig
});
mirror_enum!(CertificationKind {
    SixSigma,
    Language,
    LeadershipTraining,
    Other
});
mirror_enum!(
    /// Six Sigma belts, lowest first: a higher belt meets a lower requirement.
    SixSigmaBelt { White, Yellow, Green, Black, MasterBlack }
);
mirror_enum!(
    /// CEFR language levels, lowest first.
    CefrLevel { A1, A2, B1, B2, C1, C2 }
);
mirror_enum!(CertificationStatus {
    Pending,
    Verified,
    Rejected
});
mirror_enum!(
    /// INELIGIBLE: something other than tenure is missing. NOT_YET: only
    /// tenure is missing. ELIGIBLE: nothing is missing.
    EligibilityStatus { Eligible, NotYet, Ineligible }
);
mirror_enum!(
    /// FAST_TRACK: rating at or above the top-performer bar (fewer months
    /// needed). STANDARD: everyone else meeting the performance bar.
    PromotionTrack { FastTrack, Standard }
);
mirror_enum!(GapKind {
    Tenure,
    Performance,
    Certification,
    Language,
    Skill
});
/// Who assessed a skill: SELF does not count towards eligibility; MANAGER,
/// HR and COURSE (a completed course) do.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum AssessmentSource {
    #[graphql(name = "SELF")]
    SelfAssessed,
    Manager,
    Hr,
    Course,
}

impl From<domain::AssessmentSource> for AssessmentSource {
    fn from(value: domain::AssessmentSource) -> Self {
        match value {
            domain::AssessmentSource::SelfAssessed => AssessmentSource::SelfAssessed,
            domain::AssessmentSource::Manager => AssessmentSource::Manager,
            domain::AssessmentSource::Hr => AssessmentSource::Hr,
            domain::AssessmentSource::Course => AssessmentSource::Course,
        }
    }
}
mirror_enum!(
    /// ENROLLED holds a seat, WAITLISTED waits for one, CANCELLED left,
    /// COMPLETED finished the course and got what it awards.
    EnrolmentStatus { Enrolled, Waitlisted, Cancelled, Completed }
);
mirror_enum!(
    /// What a step of a development plan asks the person to do.
    PlanActionKind { TakeCourse, RenewCertification, GetReviews, GetAssessed, WaitForTenure, NoCourseScheduled }
);
mirror_enum!(NominationStatus {
    Pending,
    Approved,
    Rejected,
    Withdrawn
});

/// Parses a stored enum text, or reports an internal error.
pub fn stored<T>(parsed: Option<T>, column: &str) -> crate::error::AppResult<T> {
    parsed.ok_or_else(|| crate::error::AppError::internal(format!("bad stored value in {column}")))
}

/// How dashboard figures are grouped.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum GroupBy {
    Role,
    Site,
    Market,
    Manager,
}
