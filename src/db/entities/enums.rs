//! Column types for the enum columns: one sea-orm active enum per domain
//! enum, stored as the domain wire name in a `TEXT` column (the schema does
//! not change). The domain stays free of sea-orm; `From` converts both ways,
//! and a test pins every stored string to the domain's `as_str()`.
//!
//! A stored text outside the enum (written by hand with SQL) makes the row
//! fail to load with a `DbErr`, which the API reports as `INTERNAL`.

use sea_orm::entity::prelude::*;

use crate::domain::enums as domain;

macro_rules! db_enum {
    ($name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        #[doc = concat!("The stored form of [`domain::", stringify!($name), "`].")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
        #[sea_orm(rs_type = "String", db_type = "Text")]
        pub enum $name {
            $(
                #[sea_orm(string_value = $text)]
                $variant,
            )+
        }

        conversions!($name { $($variant),+ });
    };
}

/// `as_str`, `Display` and `Serialize` (the stored text) and `From` both
/// ways with the domain enum.
macro_rules! conversions {
    ($name:ident { $($variant:ident),+ }) => {
        impl $name {
            /// The stored text: the domain wire name.
            pub fn as_str(self) -> &'static str {
                domain::$name::from(self).as_str()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// As the stored text (audit details keep their shape).
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

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

db_enum!(AccessRole {
    Employee => "EMPLOYEE",
    Manager => "MANAGER",
    Hr => "HR",
    Admin => "ADMIN",
});

db_enum!(WorkArrangement {
    Onsite => "ONSITE",
    Remote => "REMOTE",
    Hybrid => "HYBRID",
});

db_enum!(EmploymentType {
    FullTime => "FULL_TIME",
    PartTime => "PART_TIME",
    Gig => "GIG",
});

db_enum!(CertificationKind {
    SixSigma => "SIX_SIGMA",
    Language => "LANGUAGE",
    LeadershipTraining => "LEADERSHIP_TRAINING",
    Other => "OTHER",
});

db_enum!(SixSigmaBelt {
    White => "WHITE",
    Yellow => "YELLOW",
    Green => "GREEN",
    Black => "BLACK",
    MasterBlack => "MASTER_BLACK",
});

db_enum!(CefrLevel {
    A1 => "A1",
    A2 => "A2",
    B1 => "B1",
    B2 => "B2",
    C1 => "C1",
    C2 => "C2",
});

db_enum!(CertificationStatus {
    Pending => "PENDING",
    Verified => "VERIFIED",
    Rejected => "REJECTED",
});

/// The stored form of [`domain::AssessmentSource`].
///
/// Implemented by hand, as `DeriveActiveEnum` would: the derive names a
/// generated identifier after each stored text in CamelCase, and "SELF"
/// would become the keyword `Self`, which does not compile. The behaviour
/// is the derive's for `rs_type = "String", db_type = "Text"`; the texts
/// are the domain's own (`as_str`/`parse`), so they cannot drift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter)]
pub enum AssessmentSource {
    SelfAssessed,
    Manager,
    Hr,
    Course,
}

conversions!(AssessmentSource {
    SelfAssessed,
    Manager,
    Hr,
    Course
});

/// The enum's name for sea-orm (used only for database enum types, which
/// this column is not).
#[derive(Debug, Clone, Copy)]
pub struct AssessmentSourceEnum;

impl sea_orm::Iden for AssessmentSourceEnum {
    fn unquoted(&self) -> &str {
        "AssessmentSource"
    }
}

impl sea_orm::ActiveEnum for AssessmentSource {
    type Value = String;

    type ValueVec = Vec<String>;

    fn name() -> sea_orm::sea_query::DynIden {
        AssessmentSourceEnum.into()
    }

    fn to_value(&self) -> String {
        self.as_str().to_owned()
    }

    fn try_from_value(v: &String) -> Result<Self, DbErr> {
        domain::AssessmentSource::parse(v)
            .map(Into::into)
            .ok_or_else(|| DbErr::Type(format!("unexpected value for AssessmentSource enum: {v}")))
    }

    fn db_type() -> sea_orm::ColumnDef {
        sea_orm::prelude::ColumnTypeTrait::def(ColumnType::Text)
    }
}

impl sea_orm::sea_query::ValueType for AssessmentSource {
    fn try_from(v: Value) -> Result<Self, sea_orm::sea_query::ValueTypeErr> {
        let value = <String as sea_orm::sea_query::ValueType>::try_from(v)?;
        <Self as sea_orm::ActiveEnum>::try_from_value(&value)
            .map_err(|_| sea_orm::sea_query::ValueTypeErr)
    }

    fn type_name() -> String {
        "AssessmentSource".to_owned()
    }

    fn array_type() -> sea_orm::sea_query::ArrayType {
        <String as sea_orm::sea_query::ValueType>::array_type()
    }

    fn column_type() -> sea_orm::sea_query::ColumnType {
        ColumnType::Text
    }
}

impl sea_orm::sea_query::Nullable for AssessmentSource {
    fn null() -> Value {
        <String as sea_orm::sea_query::Nullable>::null()
    }
}

impl From<AssessmentSource> for Value {
    fn from(source: AssessmentSource) -> Self {
        source.as_str().into()
    }
}

impl sea_orm::TryGetable for AssessmentSource {
    fn try_get_by<I: sea_orm::ColIdx>(
        res: &sea_orm::QueryResult,
        idx: I,
    ) -> Result<Self, sea_orm::TryGetError> {
        let value = <String as sea_orm::TryGetable>::try_get_by(res, idx)?;
        <Self as sea_orm::ActiveEnum>::try_from_value(&value).map_err(sea_orm::TryGetError::DbErr)
    }
}

db_enum!(EnrolmentStatus {
    Enrolled => "ENROLLED",
    Waitlisted => "WAITLISTED",
    Cancelled => "CANCELLED",
    Completed => "COMPLETED",
});

db_enum!(NominationStatus {
    Pending => "PENDING",
    Approved => "APPROVED",
    Rejected => "REJECTED",
    Withdrawn => "WITHDRAWN",
});

db_enum!(PayChangeReason {
    Promotion => "PROMOTION",
    Merit => "MERIT",
    MarketAdjustment => "MARKET_ADJUSTMENT",
    Correction => "CORRECTION",
    LateralMove => "LATERAL_MOVE",
    TermsChange => "TERMS_CHANGE",
});

db_enum!(PayBasis {
    Annual => "ANNUAL",
    Monthly => "MONTHLY",
    Hourly => "HOURLY",
});

db_enum!(Gender {
    Woman => "WOMAN",
    Man => "MAN",
    Other => "OTHER",
    Undisclosed => "UNDISCLOSED",
});

db_enum!(PayChangeStatus {
    Proposed => "PROPOSED",
    Approved => "APPROVED",
    Rejected => "REJECTED",
});

#[cfg(test)]
mod tests {
    use sea_orm::{ActiveEnum, Iterable};

    use super::*;

    /// Every domain variant maps to a stored variant whose text is the
    /// domain wire name, back again to itself, and the stored enum has no
    /// variant the domain lacks.
    fn same_texts<D, S>(all: &[D], as_str: fn(D) -> &'static str)
    where
        D: Copy + PartialEq + std::fmt::Debug + From<S>,
        S: ActiveEnum<Value = String> + Iterable + Copy + PartialEq + From<D> + std::fmt::Debug,
    {
        for &d in all {
            let s = S::from(d);
            assert_eq!(s.to_value(), as_str(d), "{d:?}");
            assert!(S::try_from_value(&as_str(d).to_owned()).is_ok_and(|back| back == s));
            assert_eq!(D::from(s), d);
        }
        assert_eq!(S::iter().count(), all.len());
    }

    #[test]
    fn stored_texts_are_the_domain_wire_names() {
        same_texts::<_, AccessRole>(domain::AccessRole::ALL, domain::AccessRole::as_str);
        same_texts::<_, WorkArrangement>(
            domain::WorkArrangement::ALL,
            domain::WorkArrangement::as_str,
        );
        same_texts::<_, EmploymentType>(
            domain::EmploymentType::ALL,
            domain::EmploymentType::as_str,
        );
        same_texts::<_, CertificationKind>(
            domain::CertificationKind::ALL,
            domain::CertificationKind::as_str,
        );
        same_texts::<_, SixSigmaBelt>(domain::SixSigmaBelt::ALL, domain::SixSigmaBelt::as_str);
        same_texts::<_, CefrLevel>(domain::CefrLevel::ALL, domain::CefrLevel::as_str);
        same_texts::<_, CertificationStatus>(
            domain::CertificationStatus::ALL,
            domain::CertificationStatus::as_str,
        );
        same_texts::<_, AssessmentSource>(
            domain::AssessmentSource::ALL,
            domain::AssessmentSource::as_str,
        );
        same_texts::<_, EnrolmentStatus>(
            domain::EnrolmentStatus::ALL,
            domain::EnrolmentStatus::as_str,
        );
        same_texts::<_, NominationStatus>(
            domain::NominationStatus::ALL,
            domain::NominationStatus::as_str,
        );
        same_texts::<_, PayChangeReason>(
            domain::PayChangeReason::ALL,
            domain::PayChangeReason::as_str,
        );
        same_texts::<_, Gender>(domain::Gender::ALL, domain::Gender::as_str);
        same_texts::<_, PayBasis>(domain::PayBasis::ALL, domain::PayBasis::as_str);
        same_texts::<_, PayChangeStatus>(
            domain::PayChangeStatus::ALL,
            domain::PayChangeStatus::as_str,
        );
    }

    #[test]
    fn a_text_outside_the_enum_is_a_database_error() {
        let err = NominationStatus::try_from_value(&"pending".to_owned()).unwrap_err();
        assert!(matches!(err, DbErr::Type(_)), "{err:?}");
    }
}
