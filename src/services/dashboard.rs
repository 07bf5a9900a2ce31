//! HR dashboards: the figures over everyone (HR, ADMIN) or over a manager's
//! reporting chain. What the database can aggregate it aggregates (GROUP BY
//! counts); eligibility needs the engine, so it loads one lean snapshot (one
//! row per employee, their valid certificates and their last two reviews)
//! and calls the same `evaluate` as the single-employee view, so every
//! figure agrees with `progression` employee by employee.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDate;

use crate::auth::Principal;
use crate::db::dashboard as sql;
use crate::db::entities::employee;
use crate::db::facts::{unfold_certs, unfold_reviews, unfold_skills, Facts, Ladder};
use crate::db::{Db, Dep};
use crate::domain::bounds::BUCKETS;
use crate::domain::eligibility::{self, StepRules};
use crate::domain::enums::CertificationKind;
use crate::domain::plan;
use crate::domain::stats;
use crate::domain::tenure;
use crate::error::AppResult;

/// Whose figures: everyone, or the chain below one manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Everyone,
    ChainOf(i64),
}

impl Scope {
    /// HR and ADMIN see everyone, a MANAGER their chain; EMPLOYEE: FORBIDDEN.
    pub fn for_principal(principal: &Principal) -> AppResult<Scope> {
        crate::auth::policy::may_read_eligibility_figures(principal)?;
        Ok(if principal.is_hr() {
            Scope::Everyone
        } else {
            Scope::ChainOf(principal.employee_id)
        })
    }

    /// The manager whose chain this is, if any.
    fn chain(self) -> Option<i64> {
        match self {
            Scope::Everyone => None,
            Scope::ChainOf(id) => Some(id),
        }
    }

    /// `AND <column> IN (...)` for a chain, nothing for everyone.
    fn filter(self, column: &str) -> String {
        sql::chain_filter(self.chain(), column)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Grouping {
    Role,
    Site,
    Market,
    Manager,
}

/// One employee in a snapshot: site, market and currency are interned
/// (`Snapshot::text`), so 100,000 people take a few MiB.
#[derive(Debug, Clone)]
pub struct Person {
    pub id: i64,
    pub job_role_id: i64,
    pub manager_id: Option<i64>,
    pub site: u32,
    pub market: u32,
    pub currency: u32,
    pub salary_minor: i64,
}

/// Interns short strings.
#[derive(Debug, Default)]
struct Interner {
    texts: Vec<String>,
    index: HashMap<String, u32>,
}

impl Interner {
    fn intern(&mut self, text: String) -> u32 {
        if let Some(&i) = self.index.get(&text) {
            return i;
        }
        let i = self.texts.len() as u32;
        self.index.insert(text.clone(), i);
        self.texts.push(text);
        i
    }
}

pub use crate::domain::eligibility_state::{verdict, Verdict};

/// Everyone in scope hired on or before `as_of`, with the engine's verdict.
pub struct Snapshot {
    pub people: Vec<Person>,
    pub verdicts: Vec<Verdict>,
    /// Interned site, market and currency texts.
    pub text: Vec<String>,
    /// Per course id: how many people in scope completing it on the
    /// snapshot date would unblock (some INELIGIBLE step would become
    /// NOT_YET or ELIGIBLE; see `domain::plan::unblocks`).
    pub course_unblocks: HashMap<i64, u32>,
}

impl Snapshot {
    pub fn text(&self, i: u32) -> &str {
        self.text
            .get(i as usize)
            .map(String::as_str)
            .unwrap_or_default()
    }
}

/// The snapshot of `scope` as of `as_of`, from this process's cache when
/// nothing changed since it was computed (one statement to check), else
/// loaded and evaluated afresh.
pub async fn snapshot(
    db: &Db,
    ladder: &Ladder,
    scope: Scope,
    as_of: NaiveDate,
) -> AppResult<Arc<Snapshot>> {
    let key = format!("dashboard:{scope:?}:{as_of}");
    cached_with(db, key, &[Dep::Data, Dep::Ladder], true, || {
        load_snapshot(db, ladder, scope, as_of)
    })
    .await
}

/// People per chunk of facts loaded for a snapshot.
const SNAPSHOT_CHUNK: usize = 10_000;

/// Loads everyone in scope hired on or before `as_of`, with their reviews
/// up to `as_of`, their VERIFIED certificates (expired ones too: they
/// explain since when someone has been eligible) and their open
/// nominations: four statements, run concurrently on separate connections.
async fn load_snapshot(
    db: &Db,
    ladder: &Ladder,
    scope: Scope,
    as_of: NaiveDate,
) -> AppResult<Snapshot> {
    let started = std::time::Instant::now();
    let conn = &db.conn;
    let open = sql::open_nominees(conn, scope.chain()).await?;
    // People and their facts come in chunks (keyset pages by id), so memory
    // stays bounded whatever the size of the organisation.
    let mut rules: HashMap<(i64, String), Vec<StepRules>> = HashMap::new();
    let mut verdicts = Vec::new();
    let mut people = Vec::new();
    let mut interner = Interner::default();
    let awards: Vec<plan::AwardOn> = crate::services::training::course_awards(&db.conn)
        .await?
        .iter()
        .map(|award| award.on(as_of))
        .collect();
    let mut course_unblocks: HashMap<i64, u32> = HashMap::new();
    let required_skills = ladder.required_skills();
    let mut after = 0i64;
    loop {
        let chunk = sql::people_after(conn, scope.chain(), as_of, after, SNAPSHOT_CHUNK).await?;
        let (Some(first), Some(last)) = (chunk.first(), chunk.last()) else {
            break;
        };
        after = last.id;
        let [reviews, certs, skills] = sql::folded_facts(
            db,
            scope.chain(),
            Some(as_of),
            (first.id, last.id),
            &required_skills,
        )
        .await?;
        for p in chunk {
            let folded = Facts {
                certifications: unfold_certs(certs.get(&p.id).map(String::as_str)),
                reviews: unfold_reviews(reviews.get(&p.id).map(String::as_str)),
                skills: unfold_skills(skills.get(&p.id).map(String::as_str)),
                open_nomination: open.contains(&p.id),
            };
            let steps = rules
                .entry((p.job_role_id, p.market.clone()))
                .or_insert_with(|| ladder.step_rules(p.job_role_id, &p.market));
            let facts = p.with(&folded, ladder);
            let progression = eligibility::evaluate(&facts, steps, as_of);
            for course in plan::unblocking_courses(&facts, steps, &progression, &awards, as_of) {
                *course_unblocks.entry(course).or_default() += 1;
            }
            verdicts.push(verdict(&progression));
            people.push(Person {
                id: p.id,
                job_role_id: p.job_role_id,
                manager_id: p.manager_id,
                site: interner.intern(p.site),
                market: interner.intern(p.market),
                currency: interner.intern(p.currency),
                salary_minor: p.salary_minor,
            });
        }
    }
    tracing::debug!(
        people = people.len(),
        ms = started.elapsed().as_millis() as u64,
        "dashboard snapshot computed"
    );
    Ok(Snapshot {
        people,
        verdicts,
        text: interner.texts,
        course_unblocks,
    })
}

/// A course and how many people in scope it would unblock.
pub struct CourseImpactRow {
    pub course: crate::db::entities::course::Model,
    pub people: u32,
    /// Free seats in sessions starting on or after the snapshot date.
    pub seats_left: i64,
    pub next_session_on: Option<NaiveDate>,
}

/// Courses that would unblock somebody in the snapshot, most people first
/// (then by title), with their upcoming free seats.
pub async fn course_impact(
    db: &Db,
    snapshot: &Snapshot,
    as_of: NaiveDate,
) -> AppResult<Vec<CourseImpactRow>> {
    impact_rows(db, &snapshot.course_unblocks, as_of).await
}

/// Courses with the people they unblock, most people first (then by
/// title), with their free seats from `as_of`.
async fn impact_rows(
    db: &Db,
    people: &HashMap<i64, u32>,
    as_of: NaiveDate,
) -> AppResult<Vec<CourseImpactRow>> {
    let seats = crate::services::training::upcoming_seats(db, as_of).await?;
    let mut rows: Vec<CourseImpactRow> = crate::services::training::courses(db)
        .await?
        .into_iter()
        .filter_map(|course| {
            let people = *people.get(&course.id)?;
            let (seats_left, next_session_on) = seats.get(&course.id).copied().unwrap_or((0, None));
            Some(CourseImpactRow {
                course,
                people,
                seats_left,
                next_session_on,
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        b.people
            .cmp(&a.people)
            .then_with(|| a.course.title.cmp(&b.course.title))
    });
    Ok(rows)
}

/// The group of a person under a grouping, as a number (role id, interned
/// site or market, manager id; -1 for "no manager"): grouping 100,000
/// people allocates nothing per person.
fn group_of(grouping: Grouping, p: &Person) -> i64 {
    match grouping {
        Grouping::Role => p.job_role_id,
        Grouping::Site => i64::from(p.site),
        Grouping::Market => i64::from(p.market),
        Grouping::Manager => p.manager_id.unwrap_or(-1),
    }
}

/// The key and label of a group.
fn describe_group(
    snapshot: &Snapshot,
    ladder: &Ladder,
    names: &HashMap<i64, String>,
    grouping: Grouping,
    group: i64,
) -> (String, String) {
    match grouping {
        Grouping::Role => ladder
            .role(group)
            .map(|r| (r.code.clone(), r.title.clone()))
            .unwrap_or_default(),
        Grouping::Site | Grouping::Market => {
            let text = snapshot.text(group as u32).to_owned();
            (text.clone(), text)
        }
        Grouping::Manager if group < 0 => ("none".into(), "no manager".into()),
        Grouping::Manager => (
            group.to_string(),
            names.get(&group).cloned().unwrap_or_default(),
        ),
    }
}

/// Names of employees by id (for MANAGER groupings).
pub async fn manager_names(
    db: &Db,
    ids: impl IntoIterator<Item = i64>,
) -> AppResult<HashMap<i64, String>> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
    let ids: HashSet<i64> = ids.into_iter().collect();
    let mut names = HashMap::new();
    let ids: Vec<i64> = ids.into_iter().collect();
    for chunk in ids.chunks(10_000) {
        let found: Vec<(i64, String)> = employee::Entity::find()
            .select_only()
            .column(employee::Column::Id)
            .column(employee::Column::Name)
            .filter(employee::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(&db.conn)
            .await?;
        names.extend(found);
    }
    Ok(names)
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct EligibilityBucket {
    pub key: String,
    pub label: String,
    pub total: i64,
    pub eligible: i64,
    pub fast_track: i64,
    pub not_yet: i64,
    pub ineligible: i64,
    pub no_next_step: i64,
    pub stalled: i64,
}

pub fn eligibility(
    snapshot: &Snapshot,
    ladder: &Ladder,
    names: &HashMap<i64, String>,
    grouping: Grouping,
) -> Vec<EligibilityBucket> {
    let mut buckets: HashMap<i64, EligibilityBucket> = HashMap::new();
    for (p, v) in snapshot.people.iter().zip(&snapshot.verdicts) {
        let b = buckets.entry(group_of(grouping, p)).or_default();
        b.total += 1;
        b.eligible += v.eligible as i64;
        b.fast_track += v.fast_track as i64;
        b.not_yet += v.not_yet as i64;
        b.ineligible += v.ineligible as i64;
        b.no_next_step += v.no_next_step as i64;
        b.stalled += v.stalled as i64;
    }
    let mut list: Vec<_> = buckets
        .into_iter()
        .map(|(group, mut bucket)| {
            (bucket.key, bucket.label) = describe_group(snapshot, ladder, names, grouping, group);
            bucket
        })
        .collect();
    list.sort_by(|a, b| a.key.cmp(&b.key));
    list
}

/// Today's eligibility from the persistent state (see
/// `services::eligibility_state`): rows still due are recomputed first, then
/// the database counts per group. Agrees with [`eligibility`] over a
/// snapshot for the same day.
pub async fn eligibility_today(
    db: &Db,
    ladder: &Ladder,
    scope: Scope,
    today: NaiveDate,
    grouping: Grouping,
) -> AppResult<Vec<EligibilityBucket>> {
    use crate::db::eligibility_state::{self as store, GroupColumn};
    crate::services::eligibility_state::bring_up_to_date(db, today).await?;
    let column = match grouping {
        Grouping::Role => GroupColumn::Role,
        Grouping::Site => GroupColumn::Site,
        Grouping::Market => GroupColumn::Market,
        Grouping::Manager => GroupColumn::Manager,
    };
    let counted = store::counts(
        &db.conn,
        today,
        column,
        &scope.filter("employee_id"),
        BUCKETS,
    )
    .await?;
    let mut list: Vec<EligibilityBucket> = counted
        .into_iter()
        .map(|c| {
            let (key, label) = match (grouping, c.label) {
                (Grouping::Manager, Some(name)) => (c.key, name),
                _ => label_of(ladder, &HashMap::new(), grouping, &c.key),
            };
            EligibilityBucket {
                key,
                label,
                total: c.total,
                eligible: c.eligible,
                fast_track: c.fast_track,
                not_yet: c.not_yet,
                ineligible: c.ineligible,
                no_next_step: c.no_next_step,
                stalled: c.stalled,
            }
        })
        .collect();
    list.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(list)
}

/// The key and label of a group the database keyed as text (role id,
/// site, market, manager id or `none`).
fn label_of(
    ladder: &Ladder,
    names: &HashMap<i64, String>,
    grouping: Grouping,
    key: &str,
) -> (String, String) {
    match grouping {
        Grouping::Role => key
            .parse::<i64>()
            .ok()
            .and_then(|id| ladder.role(id))
            .map(|r| (r.code.clone(), r.title.clone()))
            .unwrap_or_else(|| (key.to_owned(), key.to_owned())),
        Grouping::Manager => match key.parse::<i64>() {
            Ok(id) => (key.to_owned(), names.get(&id).cloned().unwrap_or_default()),
            Err(_) => ("none".into(), "no manager".into()),
        },
        Grouping::Site | Grouping::Market => (key.to_owned(), key.to_owned()),
    }
}

/// Today's course impact from the persistent state: how many people in
/// scope each course would unblock, counted by the database.
pub async fn course_impact_today(
    db: &Db,
    scope: Scope,
    today: NaiveDate,
) -> AppResult<Vec<CourseImpactRow>> {
    crate::services::eligibility_state::bring_up_to_date(db, today).await?;
    let counted = crate::db::eligibility_state::course_counts(
        &db.conn,
        today,
        &scope.filter("s.employee_id"),
    )
    .await?;
    let people: HashMap<i64, u32> = counted
        .into_iter()
        .map(|c| (c.course_id, c.people as u32))
        .collect();
    impact_rows(db, &people, today).await
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CompaBucket {
    pub key: String,
    pub label: String,
    pub count: i64,
    pub min: f64,
    pub p25: f64,
    pub median: f64,
    pub p75: f64,
    pub max: f64,
    pub below_min: i64,
    pub above_max: i64,
}

pub use crate::domain::stats::percentile;

/// Compa-ratio distribution of people whose role and market have a band in
/// their salary's currency, computed by the database (for any `as_of`: it
/// needs no engine).
pub async fn compa_ratios(
    db: &Db,
    ladder: &Ladder,
    scope: Scope,
    as_of: NaiveDate,
    grouping: Grouping,
) -> AppResult<Arc<Vec<CompaBucket>>> {
    let key = format!("compa:{scope:?}:{as_of}:{grouping:?}");
    cached(db, key, &[Dep::People, Dep::Ladder], || {
        compute_compa_ratios(db, ladder, scope, as_of, grouping)
    })
    .await
}

async fn compute_compa_ratios(
    db: &Db,
    ladder: &Ladder,
    scope: Scope,
    as_of: NaiveDate,
    grouping: Grouping,
) -> AppResult<Vec<CompaBucket>> {
    let key_column = match grouping {
        Grouping::Role | Grouping::Market => None,
        Grouping::Site => Some("e.site"),
        Grouping::Manager => Some("CAST(e.manager_id AS TEXT)"),
    };
    // The database counts people per salary; each distinct salary becomes
    // one compa-ratio per band of its role, market and currency (as a join
    // with salary_band would), weighted by its count.
    let mut groups: HashMap<String, Vec<RatioCount>> = HashMap::new();
    sql::salary_histogram(&db.conn, as_of, key_column, &scope.filter("e.id"), |row| {
        let key = match grouping {
            Grouping::Role => row.job_role_id.to_string(),
            Grouping::Market => row.market.clone(),
            Grouping::Site => row.key.clone().unwrap_or_default(),
            Grouping::Manager => row.key.clone().unwrap_or_else(|| "none".into()),
        };
        let bands = ladder.bands.iter().filter(|b| {
            b.job_role_id == row.job_role_id && b.market == row.market && b.currency == row.currency
        });
        // Each band carried into the row's terms (basis, FTE): compared as
        // annualised full-time equivalents (`domain::pay_basis`).
        let terms = crate::domain::pay_basis::PayTerms {
            basis: row.pay_basis.into(),
            fte_bp: row.fte_bp,
            annual_hours: ladder.annual_hours(&row.market),
        };
        for own in bands.map(|b| ladder.band_fact(b)) {
            let Some(ratio) = crate::domain::pay_basis::compa_ratio(row.salary_minor, &terms, &own)
            else {
                continue;
            };
            // Below and above by the exact test (the band in the row's terms).
            let Some(band) = terms.band(&own) else {
                continue;
            };
            groups.entry(key.clone()).or_default().push(RatioCount {
                ratio,
                n: row.n,
                below: row.salary_minor < band.min,
                above: row.salary_minor > band.max,
            });
        }
    })
    .await?;
    let mut list: Vec<CompaBucket> = groups
        .into_iter()
        .map(|(key, ratios)| {
            let (key, label) = label_of(ladder, &HashMap::new(), grouping, &key);
            compa_bucket(key, label, ratios)
        })
        .collect();
    list.sort_by(|a, b| a.key.cmp(&b.key));
    list.truncate(BUCKETS);
    if grouping == Grouping::Manager {
        let names =
            manager_names(db, list.iter().filter_map(|b| b.key.parse::<i64>().ok())).await?;
        for bucket in &mut list {
            (_, bucket.label) = label_of(ladder, &names, grouping, &bucket.key);
        }
    }
    Ok(list)
}

/// People sharing one compa-ratio, and whether their salary is below or
/// above the band.
#[derive(Debug, Clone, Copy)]
struct RatioCount {
    ratio: f64,
    n: i64,
    below: bool,
    above: bool,
}

/// The distribution of one group's compa-ratios, given as counted values:
/// the same figures as [`percentile`] over every person's ratio.
fn compa_bucket(key: String, label: String, mut ratios: Vec<RatioCount>) -> CompaBucket {
    ratios.sort_by(|a, b| a.ratio.total_cmp(&b.ratio));
    let weighted: Vec<(f64, i64)> = ratios.iter().map(|r| (r.ratio, r.n)).collect();
    let at = |q| stats::weighted_percentile(&weighted, q);
    CompaBucket {
        key,
        label,
        count: ratios.iter().map(|r| r.n).sum(),
        min: ratios.first().map(|r| r.ratio).unwrap_or(0.0),
        p25: at(0.25),
        median: at(0.5),
        p75: at(0.75),
        max: ratios.last().map(|r| r.ratio).unwrap_or(0.0),
        below_min: ratios.iter().filter(|r| r.below).map(|r| r.n).sum(),
        above_max: ratios.iter().filter(|r| r.above).map(|r| r.n).sum(),
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CountBucket {
    pub key: String,
    pub label: String,
    pub count: i64,
}

/// Headcount, aggregated by the database.
pub async fn headcount(
    db: &Db,
    ladder: &Ladder,
    scope: Scope,
    as_of: NaiveDate,
    grouping: Grouping,
) -> AppResult<Arc<Vec<CountBucket>>> {
    let key = format!("headcount:{scope:?}:{as_of}:{grouping:?}");
    cached(db, key, &[Dep::People, Dep::Ladder], || {
        compute_headcount(db, ladder, scope, as_of, grouping)
    })
    .await
}

async fn compute_headcount(
    db: &Db,
    ladder: &Ladder,
    scope: Scope,
    as_of: NaiveDate,
    grouping: Grouping,
) -> AppResult<Vec<CountBucket>> {
    let column = match grouping {
        Grouping::Role => ("job_role_id", "CAST(job_role_id AS TEXT)"),
        Grouping::Site => ("site", "site"),
        Grouping::Market => ("market", "market"),
        Grouping::Manager => ("manager_id", "COALESCE(CAST(manager_id AS TEXT), 'none')"),
    };
    let counted = sql::headcount(&db.conn, scope.chain(), as_of, column, BUCKETS).await?;
    let mut names = HashMap::new();
    if grouping == Grouping::Manager {
        let ids = counted.iter().filter_map(|c| c.key.parse::<i64>().ok());
        names = manager_names(db, ids).await?;
    }
    let mut list: Vec<CountBucket> = counted
        .into_iter()
        .map(|c| {
            let (key, label) = match grouping {
                Grouping::Role => c
                    .key
                    .parse::<i64>()
                    .ok()
                    .and_then(|id| ladder.role(id))
                    .map(|r| (r.code.clone(), r.title.clone()))
                    .unwrap_or((c.key.clone(), c.key.clone())),
                Grouping::Manager => {
                    let label = c
                        .key
                        .parse::<i64>()
                        .ok()
                        .and_then(|id| names.get(&id).cloned())
                        .unwrap_or_else(|| "no manager".into());
                    (c.key.clone(), label)
                }
                _ => (c.key.clone(), c.key.clone()),
            };
            CountBucket {
                key,
                label,
                count: c.n,
            }
        })
        .collect();
    list.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(list)
}

#[derive(Debug, Clone, PartialEq)]
pub struct CoverageBucket {
    pub kind: CertificationKind,
    pub level: String,
    pub holders: i64,
    pub share: f64,
}

/// How many people hold each belt, each language level and leadership
/// training (VERIFIED and valid on `as_of`), and their share of headcount.
/// A person counts once per level: at their best level of each language.
pub async fn certification_coverage(
    db: &Db,
    scope: Scope,
    as_of: NaiveDate,
) -> AppResult<Arc<Vec<CoverageBucket>>> {
    let key = format!("coverage:{scope:?}:{as_of}");
    cached(db, key, &[Dep::Certifications, Dep::People], || {
        compute_certification_coverage(db, scope, as_of)
    })
    .await
}

async fn compute_certification_coverage(
    db: &Db,
    scope: Scope,
    as_of: NaiveDate,
) -> AppResult<Vec<CoverageBucket>> {
    let (counted, total) = sql::coverage(&db.conn, scope.chain(), as_of).await?;
    let headcount = total.max(1) as f64;
    let mut list: Vec<CoverageBucket> = counted
        .into_iter()
        .filter_map(|row| {
            let kind = CertificationKind::parse(&row.kind)?;
            Some(CoverageBucket {
                kind,
                level: row.level.unwrap_or_else(|| "ANY".into()),
                holders: row.n,
                share: row.n as f64 / headcount,
            })
        })
        .collect();
    list.sort_by(|a, b| (a.kind, &a.level).cmp(&(b.kind, &b.level)));
    Ok(list)
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Funnel {
    pub pending: i64,
    pub approved: i64,
    pub rejected: i64,
    pub withdrawn: i64,
    pub median_days_to_decision: Option<f64>,
}

/// Nominations created on or before `as_of`, by status; median days from
/// nomination to decision.
pub async fn nomination_funnel(db: &Db, scope: Scope, as_of: NaiveDate) -> AppResult<Arc<Funnel>> {
    let key = format!("funnel:{scope:?}:{as_of}");
    cached(db, key, &[Dep::Nominations, Dep::People], || {
        compute_nomination_funnel(db, scope, as_of)
    })
    .await
}

async fn compute_nomination_funnel(db: &Db, scope: Scope, as_of: NaiveDate) -> AppResult<Funnel> {
    let mut days: Vec<f64> = Vec::new();
    let counted = sql::nominations(&db.conn, scope.chain(), as_of, |d| {
        days.push((d.decided_at - d.created_at).num_seconds() as f64 / 86_400.0)
    })
    .await?;
    let mut funnel = Funnel::default();
    for row in counted {
        match row.key.as_str() {
            "PENDING" => funnel.pending = row.n,
            "APPROVED" => funnel.approved = row.n,
            "REJECTED" => funnel.rejected = row.n,
            "WITHDRAWN" => funnel.withdrawn = row.n,
            _ => {}
        }
    }
    days.sort_by(f64::total_cmp);
    if !days.is_empty() {
        funnel.median_days_to_decision = Some((percentile(&days, 0.5) * 10.0).round() / 10.0);
    }
    Ok(funnel)
}

#[derive(Debug, Clone, PartialEq)]
pub struct LeadershipBucket {
    pub site: String,
    pub csrs: i64,
    pub team_leads: i64,
    pub needed_at_most_15: i64,
    pub needed_at_10: i64,
    pub understaffed: bool,
}

/// Team Leads per site against the CSRs they supervise: at least one per 15
/// CSRs (below that the site is understaffed), comfortably one per 10.
pub async fn leadership_coverage(
    db: &Db,
    ladder: &Ladder,
    scope: Scope,
    as_of: NaiveDate,
) -> AppResult<Arc<Vec<LeadershipBucket>>> {
    let key = format!("leadership:{scope:?}:{as_of}");
    cached(db, key, &[Dep::People, Dep::Ladder], || {
        compute_leadership_coverage(db, ladder, scope, as_of)
    })
    .await
}

async fn compute_leadership_coverage(
    db: &Db,
    ladder: &Ladder,
    scope: Scope,
    as_of: NaiveDate,
) -> AppResult<Vec<LeadershipBucket>> {
    let (Some(csr), Some(tl)) = (ladder.role_by_code("CSR"), ladder.role_by_code("TEAM_LEAD"))
    else {
        return Ok(vec![]);
    };
    let counted = sql::per_site(&db.conn, scope.chain(), as_of, [csr.id, tl.id]).await?;
    let mut sites: HashMap<String, (i64, i64)> = HashMap::new();
    for row in counted {
        let entry = sites.entry(row.site).or_default();
        if row.job_role_id == csr.id {
            entry.0 += row.n;
        } else {
            entry.1 += row.n;
        }
    }
    let mut list: Vec<LeadershipBucket> = sites
        .into_iter()
        .map(|(site, (csrs, team_leads))| {
            let need = crate::domain::staffing::team_leads_needed(csrs, team_leads);
            LeadershipBucket {
                site,
                csrs,
                team_leads,
                needed_at_most_15: need.needed_at_most_15,
                needed_at_10: need.needed_at_10,
                understaffed: need.understaffed,
            }
        })
        .collect();
    list.sort_by(|a, b| a.site.cmp(&b.site));
    Ok(list)
}

#[derive(Debug, Clone, PartialEq)]
pub struct VelocityBucket {
    pub role_code: String,
    pub promotions: i64,
    pub median_months_to_promotion: Option<f64>,
}

/// Median whole months from hire to first promotion, by the role promoted
/// into (the second role in each person's history), up to `as_of`.
pub async fn promotion_velocity(
    db: &Db,
    ladder: &Ladder,
    scope: Scope,
    as_of: NaiveDate,
) -> AppResult<Arc<Vec<VelocityBucket>>> {
    let key = format!("velocity:{scope:?}:{as_of}");
    cached(db, key, &[Dep::People, Dep::Ladder], || {
        compute_promotion_velocity(db, ladder, scope, as_of)
    })
    .await
}

async fn compute_promotion_velocity(
    db: &Db,
    ladder: &Ladder,
    scope: Scope,
    as_of: NaiveDate,
) -> AppResult<Vec<VelocityBucket>> {
    let mut by_role: HashMap<i64, Vec<f64>> = HashMap::new();
    sql::first_promotions(&db.conn, scope.chain(), as_of, |f| {
        by_role
            .entry(f.job_role_id)
            .or_default()
            .push(tenure::months_between(f.hired_on, f.started_on) as f64)
    })
    .await?;
    let mut list: Vec<VelocityBucket> = by_role
        .into_iter()
        .map(|(role, mut months)| {
            months.sort_by(f64::total_cmp);
            VelocityBucket {
                role_code: ladder
                    .role(role)
                    .map(|r| r.code.clone())
                    .unwrap_or_default(),
                promotions: months.len() as i64,
                median_months_to_promotion: Some(percentile(&months, 0.5)),
            }
        })
        .collect();
    list.sort_by(|a, b| a.role_code.cmp(&b.role_code));
    Ok(list)
}

/// `compute`'s answer from this process's cache when none of `deps`
/// changed since it was computed (one statement to check), else computed
/// and kept. A scope's chain moves with `People`, which every scoped value
/// depends on.
async fn cached<T, F, Fut>(db: &Db, key: String, deps: &[Dep], compute: F) -> AppResult<Arc<T>>
where
    T: Send + Sync + 'static,
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = AppResult<T>>,
{
    cached_with(db, key, deps, false, compute).await
}

/// [`cached`], saying whether the value is heavy (few are kept).
async fn cached_with<T, F, Fut>(
    db: &Db,
    key: String,
    deps: &[Dep],
    heavy: bool,
    compute: F,
) -> AppResult<Arc<T>>
where
    T: Send + Sync + 'static,
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = AppResult<T>>,
{
    let stamp = db.versions().await?.stamp(deps);
    if let Some(hit) = db.derived::<T>(&key, &stamp) {
        return Ok(hit);
    }
    let value = Arc::new(compute().await?);
    db.keep_derived(&key, stamp, heavy, value.clone());
    Ok(value)
}
