//! GraphQL enums, mirrored from the pure domain enums (the domain knows
//! nothing of GraphQL).

use async_graphql::Enum;

use crate::db::entities::enums as stored;
use crate::domain::enums as domain;

macro_rules! mirror_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

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
    AccessRole {
        /// Sees their own records, the ladder and the salary bands; submits
        /// their own certificates.
        Employee,
        /// As EMPLOYEE, plus everyone in their reporting chain: reviews,
        /// nominations, skill assessments, enrolments, dashboards.
        Manager,
        /// Sees and changes everyone: employees, verification, reviews,
        /// bands, ladder, nomination decisions, courses.
        Hr,
        /// Everything HR may, plus access roles and ADMIN accounts.
        Admin,
    }
);
mirror_enum!(
    /// Where an employee works.
    WorkArrangement {
        /// At the site.
        Onsite,
        /// From home or elsewhere.
        Remote,
        /// Partly at the site, partly remote.
        Hybrid,
    }
);
mirror_enum!(
    /// An employee's contract type.
    EmploymentType {
        /// Full-time employee.
        FullTime,
        /// Part-time employee.
        PartTime,
        /// Gig worker.
        Gig,
    }
);
mirror_enum!(
    /// The kind of a certificate a person holds or a ladder step requires.
    CertificationKind {
        /// A Six Sigma belt (`belt` says which).
        SixSigma,
        /// A language level (`language` and `cefr` say which).
        Language,
        /// Leadership training.
        LeadershipTraining,
        /// Any other certificate.
        Other,
    }
);
mirror_enum!(
    /// Six Sigma belts, lowest first: a higher belt meets a lower requirement.
    SixSigmaBelt {
        /// Awareness of Six Sigma basics.
        White,
        /// Takes part in improvement projects.
        Yellow,
        /// Leads small improvement projects.
        Green,
        /// Leads complex improvement projects.
        Black,
        /// Coaches Black Belts and sets the practice.
        MasterBlack,
    }
);
mirror_enum!(
    /// CEFR language levels, lowest first.
    CefrLevel {
        /// Beginner.
        A1,
        /// Elementary.
        A2,
        /// Intermediate.
        B1,
        /// Upper intermediate.
        B2,
        /// Advanced.
        C1,
        /// Proficient (near native).
        C2,
    }
);
mirror_enum!(
    /// Whether a certificate has been checked; only VERIFIED ones count
    /// towards eligibility.
    CertificationStatus {
        /// Submitted by its holder, waiting for HR.
        Pending,
        /// Checked or recorded by HR, or created by a completed course: it
        /// counts while unexpired.
        Verified,
        /// Refused by HR: it never counts.
        Rejected,
    }
);
mirror_enum!(
    /// INELIGIBLE: something other than tenure is missing. NOT_YET: only
    /// tenure is missing. ELIGIBLE: nothing is missing.
    EligibilityStatus {
        /// Nothing is missing.
        Eligible,
        /// Only months in role are missing.
        NotYet,
        /// Something other than tenure is missing.
        Ineligible,
    }
);
mirror_enum!(
    /// FAST_TRACK: rating at or above the top-performer bar (fewer months
    /// needed). STANDARD: everyone else meeting the performance bar.
    PromotionTrack {
        /// Rating at or above `topPerformerRating`: needs `fastTrackMonths`.
        FastTrack,
        /// Any other rating: needs `standardMonths`.
        Standard,
    }
);
mirror_enum!(
    /// What an eligibility gap is about.
    GapKind {
        /// Not enough whole months in the current role.
        Tenure,
        /// No review on record, or a rating below the step's bar.
        Performance,
        /// A required certificate (belt, leadership training, other) not
        /// held VERIFIED and unexpired.
        Certification,
        /// Not enough languages at the required CEFR level.
        Language,
        /// A required skill not assessed (by a manager, HR or a course) at
        /// the level the step asks for.
        Skill,
    }
);
/// Who assessed a skill: SELF does not count towards eligibility; MANAGER,
/// HR and COURSE (a completed course) do.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum AssessmentSource {
    /// The person themselves: shown, never counted.
    #[graphql(name = "SELF")]
    SelfAssessed,
    /// A manager above the person.
    Manager,
    /// HR.
    Hr,
    /// Recorded by completing a course.
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
    EnrolmentStatus {
        /// Holds a seat.
        Enrolled,
        /// Waits for a seat, first come, first served.
        Waitlisted,
        /// Gave up the seat or the waitlist place.
        Cancelled,
        /// Finished the course (recorded by HR or the trainer) and got what
        /// it awards.
        Completed,
    }
);
mirror_enum!(
    /// What a step of a development plan asks the person to do.
    PlanActionKind {
        /// Take a scheduled course session with free seats (or the one
        /// already enrolled in).
        TakeCourse,
        /// Renew a certificate the step depends on before it expires.
        RenewCertification,
        /// Get reviews rated high enough to reach the rating bar.
        GetReviews,
        /// Ask the manager to assess a skill the person rates themselves
        /// high enough in.
        GetAssessed,
        /// Wait until enough months in role.
        WaitForTenure,
        /// Nothing scheduled closes this gap yet (no course with seats).
        NoCourseScheduled,
    }
);
mirror_enum!(
    /// Where a nomination stands: PENDING until decided or withdrawn.
    NominationStatus {
        /// Waiting for HR's decision (one open nomination per nominee).
        Pending,
        /// HR approved it: the nominee was promoted.
        Approved,
        /// HR rejected it, with a reason.
        Rejected,
        /// The nominator or HR withdrew it.
        Withdrawn,
    }
);

mirror_enum!(
    /// What a salary or a band amount is per. Pay on different bases is
    /// compared as annualised full-time equivalents.
    PayBasis {
        /// Per year.
        Annual,
        /// Per month (× 12 a year).
        Monthly,
        /// Per hour (× the market's standard annual hours a year).
        Hourly,
    }
);

mirror_enum!(
    /// Gender as the person declares it (or HR enters it); only the person
    /// and HR read it, and it serves only the pay-gap report.
    Gender {
        /// A woman.
        Woman,
        /// A man.
        Man,
        /// Another gender.
        Other,
        /// The person prefers not to say.
        Undisclosed,
    }
);

mirror_enum!(
    /// Why someone's pay changed.
    PayChangeReason {
        /// A promotion approved by HR (written by `approveNomination`).
        Promotion,
        /// A raise for performance, without a promotion.
        Merit,
        /// A change to follow the market, without a promotion.
        MarketAdjustment,
        /// A correction of a wrong amount.
        Correction,
        /// A move to a role at the same level (internal mobility).
        LateralMove,
        /// A change of pay basis or FTE by HR (`updateEmployee` or an
        /// import); the amount is unchanged.
        TermsChange,
    }
);

mirror_enum!(
    /// Where a pay change stands.
    PayChangeStatus {
        /// Proposed, waiting for HR's decision (one open change per person).
        Proposed,
        /// HR approved it: the person's pay changed.
        Approved,
        /// HR rejected it, with a note.
        Rejected,
    }
);

/// Straight from a column value (through the domain enum, the one place
/// the variants are paired).
macro_rules! from_stored {
    ($($name:ident),+ $(,)?) => {$(
        impl From<stored::$name> for $name {
            fn from(value: stored::$name) -> Self {
                domain::$name::from(value).into()
            }
        }
    )+};
}

from_stored!(
    AccessRole,
    WorkArrangement,
    EmploymentType,
    CertificationKind,
    SixSigmaBelt,
    CefrLevel,
    CertificationStatus,
    AssessmentSource,
    EnrolmentStatus,
    NominationStatus,
    PayChangeReason,
    PayChangeStatus,
    Gender,
    PayBasis,
);

/// How dashboard figures are grouped.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum GroupBy {
    /// By current job role (key: role code).
    Role,
    /// By site.
    Site,
    /// By market code.
    Market,
    /// By direct manager (key: manager id, "none" without one).
    Manager,
}
