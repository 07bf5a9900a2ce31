//! DataLoaders: every relation of a node goes through one of these, so a
//! page of 100 employees costs one statement per relation, not 100.

use std::collections::HashMap;

use async_graphql::dataloader::{DataLoader, Loader};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::db::entities::{
    certification, course, course_session, employee, enrolment, performance_review,
    role_assignment, skill_assessment,
};
use crate::db::facts::{facts_of, Facts};
use crate::db::Db;
use crate::domain::enums::EnrolmentStatus;
use crate::error::AppError;
use crate::services::training::SeatCount;

/// How long a loader collects keys before it queries: long enough that the
/// nodes of a page, resolved concurrently, land in one batch (1 ms, the
/// default, split pages of 100 into two statements now and then).
const BATCH_WINDOW: std::time::Duration = std::time::Duration::from_millis(3);

/// All loaders of one request (created per request: the cache lives as
/// long as the request).
pub struct Loaders {
    pub employees: DataLoader<EmployeeLoader>,
    pub reports: DataLoader<ReportsLoader>,
    pub certifications: DataLoader<CertificationsLoader>,
    pub reviews: DataLoader<ReviewsLoader>,
    pub history: DataLoader<HistoryLoader>,
    pub facts: DataLoader<FactsLoader>,
    pub assessments: DataLoader<AssessmentsLoader>,
    pub courses: DataLoader<CourseLoader>,
    pub sessions: DataLoader<SessionLoader>,
    pub course_sessions: DataLoader<CourseSessionsLoader>,
    pub rosters: DataLoader<RosterLoader>,
    pub seats: DataLoader<SeatsLoader>,
    pub waitlists: DataLoader<WaitlistLoader>,
    pub enrolments: DataLoader<EnrolmentsLoader>,
}

impl Loaders {
    pub fn new(db: &Db) -> Self {
        Loaders {
            employees: DataLoader::new(EmployeeLoader(db.clone()), tokio::spawn)
                .delay(BATCH_WINDOW),
            reports: DataLoader::new(ReportsLoader(db.clone()), tokio::spawn).delay(BATCH_WINDOW),
            certifications: DataLoader::new(CertificationsLoader(db.clone()), tokio::spawn)
                .delay(BATCH_WINDOW),
            reviews: DataLoader::new(ReviewsLoader(db.clone()), tokio::spawn).delay(BATCH_WINDOW),
            history: DataLoader::new(HistoryLoader(db.clone()), tokio::spawn).delay(BATCH_WINDOW),
            facts: DataLoader::new(FactsLoader(db.clone()), tokio::spawn).delay(BATCH_WINDOW),
            assessments: DataLoader::new(AssessmentsLoader(db.clone()), tokio::spawn)
                .delay(BATCH_WINDOW),
            courses: DataLoader::new(CourseLoader(db.clone()), tokio::spawn).delay(BATCH_WINDOW),
            sessions: DataLoader::new(SessionLoader(db.clone()), tokio::spawn).delay(BATCH_WINDOW),
            course_sessions: DataLoader::new(CourseSessionsLoader(db.clone()), tokio::spawn)
                .delay(BATCH_WINDOW),
            rosters: DataLoader::new(RosterLoader(db.clone()), tokio::spawn).delay(BATCH_WINDOW),
            seats: DataLoader::new(SeatsLoader(db.clone()), tokio::spawn).delay(BATCH_WINDOW),
            waitlists: DataLoader::new(WaitlistLoader(db.clone()), tokio::spawn)
                .delay(BATCH_WINDOW),
            enrolments: DataLoader::new(EnrolmentsLoader(db.clone()), tokio::spawn)
                .delay(BATCH_WINDOW),
        }
    }
}

/// Groups rows by a key.
fn group<K: std::hash::Hash + Eq, V>(rows: Vec<V>, key: impl Fn(&V) -> K) -> HashMap<K, Vec<V>> {
    let mut map: HashMap<K, Vec<V>> = HashMap::new();
    for row in rows {
        map.entry(key(&row)).or_default().push(row);
    }
    map
}

pub struct EmployeeLoader(Db);

impl Loader<i64> for EmployeeLoader {
    type Value = employee::Model;
    type Error = AppError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let rows = employee::Entity::find()
            .filter(employee::Column::Id.is_in(keys.iter().copied()))
            .all(&self.0.conn)
            .await?;
        Ok(rows.into_iter().map(|e| (e.id, e)).collect())
    }
}

/// Direct reports by manager id.
pub struct ReportsLoader(Db);

impl Loader<i64> for ReportsLoader {
    type Value = Vec<employee::Model>;
    type Error = AppError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let rows = employee::Entity::find()
            .filter(employee::Column::ManagerId.is_in(keys.iter().copied()))
            .order_by_asc(employee::Column::Id)
            .all(&self.0.conn)
            .await?;
        Ok(group(rows, |e| e.manager_id.unwrap_or_default()))
    }
}

/// Certifications by employee id, oldest first.
pub struct CertificationsLoader(Db);

impl Loader<i64> for CertificationsLoader {
    type Value = Vec<certification::Model>;
    type Error = AppError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let rows = certification::Entity::find()
            .filter(certification::Column::EmployeeId.is_in(keys.iter().copied()))
            .order_by_asc(certification::Column::IssuedOn)
            .order_by_asc(certification::Column::Id)
            .all(&self.0.conn)
            .await?;
        Ok(group(rows, |c| c.employee_id))
    }
}

/// Reviews by employee id, newest period first.
pub struct ReviewsLoader(Db);

impl Loader<i64> for ReviewsLoader {
    type Value = Vec<performance_review::Model>;
    type Error = AppError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let rows = performance_review::Entity::find()
            .filter(performance_review::Column::EmployeeId.is_in(keys.iter().copied()))
            .order_by_desc(performance_review::Column::PeriodEnd)
            .order_by_desc(performance_review::Column::Id)
            .all(&self.0.conn)
            .await?;
        Ok(group(rows, |r| r.employee_id))
    }
}

/// Role history by employee id, oldest first.
pub struct HistoryLoader(Db);

impl Loader<i64> for HistoryLoader {
    type Value = Vec<role_assignment::Model>;
    type Error = AppError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let rows = role_assignment::Entity::find()
            .filter(role_assignment::Column::EmployeeId.is_in(keys.iter().copied()))
            .order_by_asc(role_assignment::Column::StartedOn)
            .order_by_asc(role_assignment::Column::Id)
            .all(&self.0.conn)
            .await?;
        Ok(group(rows, |r| r.employee_id))
    }
}

/// Everything the eligibility engine needs about an employee besides their
/// row (certificates, reviews, an open nomination), in one statement for
/// the whole batch.
pub struct FactsLoader(Db);

impl Loader<i64> for FactsLoader {
    type Value = Facts;
    type Error = AppError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        Ok(facts_of(&self.0.conn, keys).await?)
    }
}

/// Skill assessments by employee id, newest first.
pub struct AssessmentsLoader(Db);

impl Loader<i64> for AssessmentsLoader {
    type Value = Vec<skill_assessment::Model>;
    type Error = AppError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let rows = crate::services::skills::assessments_of(&self.0.conn, keys).await?;
        Ok(group(rows, |a| a.employee_id))
    }
}

/// Courses by id.
pub struct CourseLoader(Db);

impl Loader<i64> for CourseLoader {
    type Value = course::Model;
    type Error = AppError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let rows = course::Entity::find()
            .filter(course::Column::Id.is_in(keys.iter().copied()))
            .all(&self.0.conn)
            .await?;
        Ok(rows.into_iter().map(|c| (c.id, c)).collect())
    }
}

/// Course sessions by id.
pub struct SessionLoader(Db);

impl Loader<i64> for SessionLoader {
    type Value = course_session::Model;
    type Error = AppError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let rows = course_session::Entity::find()
            .filter(course_session::Column::Id.is_in(keys.iter().copied()))
            .all(&self.0.conn)
            .await?;
        Ok(rows.into_iter().map(|s| (s.id, s)).collect())
    }
}

/// The sessions of each course, earliest first.
pub struct CourseSessionsLoader(Db);

impl Loader<i64> for CourseSessionsLoader {
    type Value = Vec<course_session::Model>;
    type Error = AppError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let rows = course_session::Entity::find()
            .filter(course_session::Column::CourseId.is_in(keys.iter().copied()))
            .order_by_asc(course_session::Column::StartsOn)
            .order_by_asc(course_session::Column::Id)
            .all(&self.0.conn)
            .await?;
        Ok(group(rows, |s| s.course_id))
    }
}

/// The enrolments of each session (seats and waitlist), in the order they
/// were made.
pub struct RosterLoader(Db);

impl Loader<i64> for RosterLoader {
    type Value = Vec<enrolment::Model>;
    type Error = AppError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let rows = enrolment::Entity::find()
            .filter(enrolment::Column::SessionId.is_in(keys.iter().copied()))
            .order_by_asc(enrolment::Column::Id)
            .all(&self.0.conn)
            .await?;
        Ok(group(rows, |e| e.session_id))
    }
}

/// Seats taken and waitlist length by session id.
pub struct SeatsLoader(Db);

impl Loader<i64> for SeatsLoader {
    type Value = SeatCount;
    type Error = AppError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        crate::services::training::seat_counts(&self.0.conn, keys).await
    }
}

/// The waitlisted enrolment ids of each session, first in line first.
pub struct WaitlistLoader(Db);

impl Loader<i64> for WaitlistLoader {
    type Value = Vec<i64>;
    type Error = AppError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let rows = enrolment::Entity::find()
            .filter(enrolment::Column::SessionId.is_in(keys.iter().copied()))
            .filter(enrolment::Column::Status.eq(EnrolmentStatus::Waitlisted.as_str()))
            .order_by_asc(enrolment::Column::Id)
            .all(&self.0.conn)
            .await?;
        let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
        for row in rows {
            out.entry(row.session_id).or_default().push(row.id);
        }
        Ok(out)
    }
}

/// Enrolments by employee id, newest first.
pub struct EnrolmentsLoader(Db);

impl Loader<i64> for EnrolmentsLoader {
    type Value = Vec<enrolment::Model>;
    type Error = AppError;

    async fn load(&self, keys: &[i64]) -> Result<HashMap<i64, Self::Value>, Self::Error> {
        let rows = enrolment::Entity::find()
            .filter(enrolment::Column::EmployeeId.is_in(keys.iter().copied()))
            .order_by_desc(enrolment::Column::Id)
            .all(&self.0.conn)
            .await?;
        Ok(group(rows, |e| e.employee_id))
    }
}
