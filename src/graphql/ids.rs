//! Global object ids (issue 18: Relay's Global Object Identification).
//!
//! Every entity's `id` is opaque and unique across types: the base64 of
//! `"<TypeName>:<key>"` (the key is the row id, or the code for a `Role`),
//! as graphql-relay's `toGlobalId` writes it. Clients never parse it; this
//! module is the one place that writes and reads it. Every `ID` argument
//! goes through [`parse`] (or [`parse_code`]) with the type it expects, so
//! a malformed id, or an id of another type, is `BAD_USER_INPUT` and never
//! reaches a service. Business keys (employee numbers, role codes) stay
//! plain strings, and CSV import and export keep using them.

use async_graphql::ID;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::error::{AppError, AppResult};
use crate::services::validate::clip;

/// The types that implement `Node`: every entity the API returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Application,
    AuditEvent,
    Certification,
    Course,
    CourseSession,
    Employee,
    Enrolment,
    EquityGrant,
    LadderStep,
    MeritCycle,
    MeritProposal,
    Nomination,
    Opening,
    PayChange,
    PerformanceReview,
    Role,
    RoleAssignment,
    SalaryBand,
    Skill,
    SkillAssessment,
}

impl Kind {
    /// Every kind, for tests and for decoding.
    pub const ALL: [Kind; 20] = [
        Kind::Application,
        Kind::AuditEvent,
        Kind::Certification,
        Kind::Course,
        Kind::CourseSession,
        Kind::Employee,
        Kind::Enrolment,
        Kind::EquityGrant,
        Kind::LadderStep,
        Kind::MeritCycle,
        Kind::MeritProposal,
        Kind::Nomination,
        Kind::Opening,
        Kind::PayChange,
        Kind::PerformanceReview,
        Kind::Role,
        Kind::RoleAssignment,
        Kind::SalaryBand,
        Kind::Skill,
        Kind::SkillAssessment,
    ];

    /// The GraphQL type name, which is also the id's prefix.
    pub fn type_name(self) -> &'static str {
        match self {
            Kind::Application => "Application",
            Kind::AuditEvent => "AuditEvent",
            Kind::Certification => "Certification",
            Kind::Course => "Course",
            Kind::CourseSession => "CourseSession",
            Kind::Employee => "Employee",
            Kind::Enrolment => "Enrolment",
            Kind::EquityGrant => "EquityGrant",
            Kind::LadderStep => "LadderStep",
            Kind::MeritCycle => "MeritCycle",
            Kind::MeritProposal => "MeritProposal",
            Kind::Nomination => "Nomination",
            Kind::Opening => "Opening",
            Kind::PayChange => "PayChange",
            Kind::PerformanceReview => "PerformanceReview",
            Kind::Role => "Role",
            Kind::RoleAssignment => "RoleAssignment",
            Kind::SalaryBand => "SalaryBand",
            Kind::Skill => "Skill",
            Kind::SkillAssessment => "SkillAssessment",
        }
    }

    fn from_type_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.type_name() == name)
    }
}

/// The global id of a row.
pub fn of(kind: Kind, id: i64) -> ID {
    encode(kind, &id.to_string())
}

/// The global id of an entity keyed by text (a role by its code).
pub fn encode(kind: Kind, key: &str) -> ID {
    ID(STANDARD.encode(format!("{}:{key}", kind.type_name())))
}

/// The kind and key of a global id, if it is one.
pub fn decode(raw: &str) -> Option<(Kind, String)> {
    let bytes = STANDARD.decode(raw.trim()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (name, key) = text.split_once(':')?;
    let kind = Kind::from_type_name(name)?;
    (!key.is_empty() && !key.chars().any(char::is_control)).then(|| (kind, key.to_owned()))
}

/// The row id behind `raw`, which must be a global id of `kind`; else
/// BAD_USER_INPUT naming `field`.
pub fn parse(field: &str, kind: Kind, raw: &str) -> AppResult<i64> {
    decode(raw)
        .filter(|(k, _)| *k == kind)
        .and_then(|(_, key)| key.parse::<i64>().ok())
        .filter(|id| *id > 0)
        .ok_or_else(|| invalid(field, kind, raw))
}

/// The text key behind `raw` (a role's code), which must be a global id of
/// `kind`; else BAD_USER_INPUT naming `field`.
pub fn parse_code(field: &str, kind: Kind, raw: &str) -> AppResult<String> {
    decode(raw)
        .filter(|(k, _)| *k == kind)
        .map(|(_, key)| key)
        .ok_or_else(|| invalid(field, kind, raw))
}

/// An optional id argument.
pub fn parse_opt(field: &str, kind: Kind, raw: Option<&ID>) -> AppResult<Option<i64>> {
    raw.map(|id| parse(field, kind, id)).transpose()
}

fn invalid(field: &str, kind: Kind, raw: &str) -> AppError {
    AppError::bad_input(format!(
        "{field}: \"{}\" is not a valid {} id",
        clip(raw),
        kind.type_name()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_and_ids_differ_across_kinds() {
        let ids: Vec<ID> = Kind::ALL.iter().map(|k| of(*k, 1)).collect();
        for (kind, id) in Kind::ALL.iter().zip(&ids) {
            assert_eq!(parse("id", *kind, id).unwrap(), 1);
            assert_eq!(decode(id), Some((*kind, "1".to_owned())));
        }
        let mut unique: Vec<&str> = ids.iter().map(|id| id.as_str()).collect();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), Kind::ALL.len());
    }

    #[test]
    fn the_id_is_relay_shaped_and_roles_are_keyed_by_code() {
        assert_eq!(of(Kind::Employee, 42).as_str(), "RW1wbG95ZWU6NDI=");
        let team_lead = encode(Kind::Role, "TEAM_LEAD");
        assert_eq!(
            parse_code("id", Kind::Role, &team_lead).unwrap(),
            "TEAM_LEAD"
        );
    }

    #[test]
    fn malformed_or_wrong_type_ids_are_bad_user_input_naming_the_field() {
        let nomination = of(Kind::Nomination, 7);
        for raw in [
            "7",
            "",
            "not base64!",
            nomination.as_str(),
            &STANDARD.encode("Employee:"),
            &STANDARD.encode("Employee:-3"),
            &STANDARD.encode("Employee:0"),
            &STANDARD.encode("Employee:x"),
            &STANDARD.encode("Nobody:1"),
            &STANDARD.encode([0xff, 0xfe]),
        ] {
            let err = parse("nomineeId", Kind::Employee, raw).unwrap_err();
            assert!(
                matches!(&err, AppError::BadInput(m) if m.starts_with("nomineeId: ") && m.contains("Employee id")),
                "{raw}: {err:?}"
            );
        }
    }
}
