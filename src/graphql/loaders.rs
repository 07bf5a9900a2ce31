//! Batch loaders (`graphql::batch`): every relation of a node goes through one of these, so a
//! page of 100 employees costs one statement per relation, not 100.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::db::entities::enums as stored;
use crate::db::entities::{
    certification, course, course_session, employee, enrolment, performance_review,
    role_assignment, skill_assessment,
};
use crate::db::facts::{facts_of, Facts};
use crate::db::records::{assessments_of, seat_counts, SeatCount};
use crate::db::Db;
use crate::error::AppResult;
use crate::graphql::batch::{BatchLoader, Dispatcher, Loader};

/// All loaders of one operation (created per operation by
/// `graphql::AppSchema`: the cache lives as long as the operation; clones
/// share it). Batches are sent by tick, see `graphql::batch`.
#[derive(Clone)]
pub struct Loaders {
    dispatcher: Dispatcher,
    /// Whether this operation reads and fills what the process keeps (a
    /// query on the primary; see `db::kept`).
    pub kept: bool,
    pub employees: BatchLoader<EmployeeLoader>,
    pub reports: BatchLoader<ReportsLoader>,
    pub certifications: BatchLoader<CertificationsLoader>,
    pub reviews: BatchLoader<ReviewsLoader>,
    pub history: BatchLoader<HistoryLoader>,
    pub facts: BatchLoader<FactsLoader>,
    pub assessments: BatchLoader<AssessmentsLoader>,
    pub courses: BatchLoader<CourseLoader>,
    pub sessions: BatchLoader<SessionLoader>,
    pub course_sessions: BatchLoader<CourseSessionsLoader>,
    pub rosters: BatchLoader<RosterLoader>,
    pub seats: BatchLoader<SeatsLoader>,
    pub waitlists: BatchLoader<WaitlistLoader>,
    pub enrolments: BatchLoader<EnrolmentsLoader>,
    pub pay_history: BatchLoader<PayHistoryLoader>,
    pub equity_grants: BatchLoader<EquityGrantsLoader>,
    pub potentials: BatchLoader<PotentialsLoader>,
}

impl Loaders {
    /// Loaders that read everything from the database (a mutation's, a
    /// subscription's).
    pub fn new(db: &Db) -> Self {
        Self::build(db, false)
    }

    /// Loaders for a query: employees' rows, certificates and facts come
    /// from what the process keeps when the database has told it of every
    /// change (`db::kept`).
    pub fn for_query(db: &Db) -> Self {
        Self::build(db, true)
    }

    fn build(db: &Db, kept_facts: bool) -> Self {
        let dispatcher = Dispatcher::default();
        Loaders {
            kept: kept_facts,
            employees: BatchLoader::new(
                EmployeeLoader {
                    db: db.clone(),
                    kept: kept_facts,
                },
                &dispatcher,
            ),
            reports: BatchLoader::new(ReportsLoader(db.clone()), &dispatcher),
            certifications: BatchLoader::new(
                CertificationsLoader {
                    db: db.clone(),
                    kept: kept_facts,
                },
                &dispatcher,
            ),
            reviews: BatchLoader::new(ReviewsLoader(db.clone()), &dispatcher),
            history: BatchLoader::new(HistoryLoader(db.clone()), &dispatcher),
            facts: BatchLoader::new(
                FactsLoader {
                    db: db.clone(),
                    kept: kept_facts,
                },
                &dispatcher,
            ),
            assessments: BatchLoader::new(AssessmentsLoader(db.clone()), &dispatcher),
            courses: BatchLoader::new(CourseLoader(db.clone()), &dispatcher),
            sessions: BatchLoader::new(SessionLoader(db.clone()), &dispatcher),
            course_sessions: BatchLoader::new(CourseSessionsLoader(db.clone()), &dispatcher),
            rosters: BatchLoader::new(RosterLoader(db.clone()), &dispatcher),
            seats: BatchLoader::new(SeatsLoader(db.clone()), &dispatcher),
            waitlists: BatchLoader::new(WaitlistLoader(db.clone()), &dispatcher),
            enrolments: BatchLoader::new(EnrolmentsLoader(db.clone()), &dispatcher),
            pay_history: BatchLoader::new(PayHistoryLoader(db.clone()), &dispatcher),
            equity_grants: BatchLoader::new(EquityGrantsLoader(db.clone()), &dispatcher),
            potentials: BatchLoader::new(PotentialsLoader(db.clone()), &dispatcher),
            dispatcher,
        }
    }

    /// What sends this operation's batches.
    pub fn dispatcher(&self) -> Dispatcher {
        self.dispatcher.clone()
    }

    /// Forgets every answer (a subscription, between two events).
    pub fn clear(&self) {
        self.employees.clear();
        self.reports.clear();
        self.certifications.clear();
        self.reviews.clear();
        self.history.clear();
        self.facts.clear();
        self.assessments.clear();
        self.courses.clear();
        self.sessions.clear();
        self.course_sessions.clear();
        self.rosters.clear();
        self.seats.clear();
        self.waitlists.clear();
        self.enrolments.clear();
        self.pay_history.clear();
        self.equity_grants.clear();
        self.potentials.clear();
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

/// Employees' rows (without secrets) by id; for a query, only the rows this
/// process does not keep (`db::kept`).
pub struct EmployeeLoader {
    db: Db,
    kept: bool,
}

impl Loader for EmployeeLoader {
    type Value = employee::Model;

    async fn load(&self, keys: &[i64]) -> AppResult<HashMap<i64, Self::Value>> {
        let read = |ids: Vec<i64>| async move {
            AppResult::Ok(crate::db::records::employees_by_id(&self.db.conn, &ids).await?)
        };
        if !self.kept {
            return read(keys.to_vec()).await;
        }
        let kept = &self.db.kept_employees;
        let generation = kept.generation();
        let (mut found, missing) = kept.get_many(keys);
        if missing.is_empty() {
            return Ok(found);
        }
        let rows = read(missing).await?;
        kept.keep(rows.iter().map(|(id, row)| (*id, row)), generation);
        found.extend(rows);
        Ok(found)
    }
}

/// Direct reports by manager id.
pub struct ReportsLoader(Db);

impl Loader for ReportsLoader {
    type Value = Vec<employee::Model>;

    async fn load(&self, keys: &[i64]) -> AppResult<HashMap<i64, Self::Value>> {
        let rows = crate::db::records::employees_without_secrets()
            .filter(employee::Column::ManagerId.is_in(keys.iter().copied()))
            .order_by_asc(employee::Column::Id)
            .all(&self.0.conn)
            .await?;
        Ok(group(rows, |e| e.manager_id.unwrap_or_default()))
    }
}

/// Certifications by employee id, oldest first; for a query, only the
/// employees' whose certificates this process does not keep (`db::kept`).
pub struct CertificationsLoader {
    db: Db,
    kept: bool,
}

impl Loader for CertificationsLoader {
    type Value = Vec<certification::Model>;

    async fn load(&self, keys: &[i64]) -> AppResult<HashMap<i64, Self::Value>> {
        let read = |ids: Vec<i64>| async move {
            AppResult::Ok(
                crate::db::records::certifications_by_employee(&self.db.conn, &ids).await?,
            )
        };
        if !self.kept {
            return read(keys.to_vec()).await;
        }
        let kept = &self.db.kept_certifications;
        let generation = kept.generation();
        let (mut found, missing) = kept.get_many(keys);
        if missing.is_empty() {
            return Ok(found);
        }
        // Someone without certificates is kept too, as an empty list.
        let read = read(missing).await?;
        kept.keep(read.iter().map(|(id, rows)| (*id, rows)), generation);
        found.extend(read);
        Ok(found)
    }
}

/// Reviews by employee id, newest period first.
pub struct ReviewsLoader(Db);

impl Loader for ReviewsLoader {
    type Value = Vec<performance_review::Model>;

    async fn load(&self, keys: &[i64]) -> AppResult<HashMap<i64, Self::Value>> {
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

impl Loader for HistoryLoader {
    type Value = Vec<role_assignment::Model>;

    async fn load(&self, keys: &[i64]) -> AppResult<HashMap<i64, Self::Value>> {
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
/// the whole batch; for a query, only the employees whose facts this
/// process does not keep (`db::kept`).
pub struct FactsLoader {
    db: Db,
    kept: bool,
}

impl Loader for FactsLoader {
    type Value = Facts;

    async fn load(&self, keys: &[i64]) -> AppResult<HashMap<i64, Self::Value>> {
        if !self.kept {
            return Ok(facts_of(&self.db.conn, keys).await?);
        }
        let kept = &self.db.facts;
        let generation = kept.generation();
        let (mut found, missing) = kept.get_many(keys);
        if missing.is_empty() {
            return Ok(found);
        }
        let read = facts_of(&self.db.conn, &missing).await?;
        kept.keep(read.iter().map(|(id, facts)| (*id, facts)), generation);
        found.extend(read);
        Ok(found)
    }
}

/// Skill assessments by employee id, newest first.
pub struct AssessmentsLoader(Db);

impl Loader for AssessmentsLoader {
    type Value = Vec<skill_assessment::Model>;

    async fn load(&self, keys: &[i64]) -> AppResult<HashMap<i64, Self::Value>> {
        let rows = assessments_of(&self.0.conn, keys).await?;
        Ok(group(rows, |a| a.employee_id))
    }
}

/// Courses by id.
pub struct CourseLoader(Db);

impl Loader for CourseLoader {
    type Value = course::Model;

    async fn load(&self, keys: &[i64]) -> AppResult<HashMap<i64, Self::Value>> {
        let rows = course::Entity::find()
            .filter(course::Column::Id.is_in(keys.iter().copied()))
            .all(&self.0.conn)
            .await?;
        Ok(rows.into_iter().map(|c| (c.id, c)).collect())
    }
}

/// Course sessions by id.
pub struct SessionLoader(Db);

impl Loader for SessionLoader {
    type Value = course_session::Model;

    async fn load(&self, keys: &[i64]) -> AppResult<HashMap<i64, Self::Value>> {
        let rows = course_session::Entity::find()
            .filter(course_session::Column::Id.is_in(keys.iter().copied()))
            .all(&self.0.conn)
            .await?;
        Ok(rows.into_iter().map(|s| (s.id, s)).collect())
    }
}

/// The sessions of each course, earliest first.
pub struct CourseSessionsLoader(Db);

impl Loader for CourseSessionsLoader {
    type Value = Vec<course_session::Model>;

    async fn load(&self, keys: &[i64]) -> AppResult<HashMap<i64, Self::Value>> {
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

impl Loader for RosterLoader {
    type Value = Vec<enrolment::Model>;

    async fn load(&self, keys: &[i64]) -> AppResult<HashMap<i64, Self::Value>> {
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

impl Loader for SeatsLoader {
    type Value = SeatCount;

    async fn load(&self, keys: &[i64]) -> AppResult<HashMap<i64, Self::Value>> {
        Ok(seat_counts(&self.0.conn, keys).await?)
    }
}

/// The waitlisted enrolment ids of each session, first in line first.
pub struct WaitlistLoader(Db);

impl Loader for WaitlistLoader {
    type Value = Vec<i64>;

    async fn load(&self, keys: &[i64]) -> AppResult<HashMap<i64, Self::Value>> {
        let rows = enrolment::Entity::find()
            .filter(enrolment::Column::SessionId.is_in(keys.iter().copied()))
            .filter(enrolment::Column::Status.eq(stored::EnrolmentStatus::Waitlisted))
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

impl Loader for EnrolmentsLoader {
    type Value = Vec<enrolment::Model>;

    async fn load(&self, keys: &[i64]) -> AppResult<HashMap<i64, Self::Value>> {
        let rows = enrolment::Entity::find()
            .filter(enrolment::Column::EmployeeId.is_in(keys.iter().copied()))
            .order_by_desc(enrolment::Column::Id)
            .all(&self.0.conn)
            .await?;
        Ok(group(rows, |e| e.employee_id))
    }
}

/// Pay changes by employee id, newest first (`Employee.payHistory`): one
/// statement for a page of people.
pub struct PayHistoryLoader(Db);

impl Loader for PayHistoryLoader {
    type Value = Vec<crate::db::entities::pay_change::Model>;

    async fn load(&self, keys: &[i64]) -> AppResult<HashMap<i64, Self::Value>> {
        use crate::db::entities::pay_change;
        let rows = pay_change::Entity::find()
            .filter(pay_change::Column::EmployeeId.is_in(keys.iter().copied()))
            .order_by_desc(pay_change::Column::EffectiveOn)
            .order_by_desc(pay_change::Column::Id)
            .all(&self.0.conn)
            .await?;
        Ok(group(rows, |c| c.employee_id))
    }
}

/// Equity grants by employee id, oldest first (`Employee.equityGrants`).
pub struct EquityGrantsLoader(Db);

impl Loader for EquityGrantsLoader {
    type Value = Vec<crate::db::entities::equity_grant::Model>;

    async fn load(&self, keys: &[i64]) -> AppResult<HashMap<i64, Self::Value>> {
        use crate::db::entities::equity_grant;
        let rows = equity_grant::Entity::find()
            .filter(equity_grant::Column::EmployeeId.is_in(keys.iter().copied()))
            .order_by_asc(equity_grant::Column::GrantedOn)
            .order_by_asc(equity_grant::Column::Id)
            .all(&self.0.conn)
            .await?;
        Ok(group(rows, |g| g.employee_id))
    }
}

/// Potential assessments by employee id, oldest first (issue 21).
pub struct PotentialsLoader(Db);

impl Loader for PotentialsLoader {
    type Value = Vec<crate::db::entities::potential_assessment::Model>;

    async fn load(&self, keys: &[i64]) -> AppResult<HashMap<i64, Self::Value>> {
        use crate::db::entities::potential_assessment;
        let rows = potential_assessment::Entity::find()
            .filter(potential_assessment::Column::EmployeeId.is_in(keys.iter().copied()))
            .order_by_asc(potential_assessment::Column::AssessedOn)
            .order_by_asc(potential_assessment::Column::Id)
            .all(&self.0.conn)
            .await?;
        Ok(group(rows, |a| a.employee_id))
    }
}
