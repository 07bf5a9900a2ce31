//! `rungs seed --employees N [--seed S]`: a deterministic synthetic
//! organisation for demos and benchmarks. The same N and seed give the same
//! people, dates, certificates, reviews, history and nominations.
//!
//! Shape: three markets (JP, US, PH) and seven sites; operations managers
//! over 6-9 Team Leads over 10-15 CSRs each; Quality Analysts, Training
//! Specialists and lateral roles beside them; HR and an admin. Hire dates
//! spread over eight years; certificates of every kind, some expired, some
//! PENDING or REJECTED; up to eight quarterly reviews with KPIs; role history
//! with past promotions; salaries mostly inside their bands; open and
//! decided nominations. Rows go in with multi-row INSERTs inside one
//! transaction per table batch.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::time::Instant;

use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Value};

use crate::db::bulk::{
    insert_rows, max_id, sync_sequence, ASSESSMENT_COLUMNS, CERTIFICATION_COLUMNS,
    EMPLOYEE_COLUMNS, LOADED_TABLES, REVIEW_COLUMNS, ROLE_ASSIGNMENT_COLUMNS,
};
use crate::db::eligibility_state::PersonRow;
use crate::db::entities::salary_band;
use crate::db::facts::{Facts, Ladder};
use crate::db::Db;
use crate::domain::eligibility::{CertFact, ReviewFact, SkillFact};
use crate::domain::enums::{
    AssessmentSource, CefrLevel, CertificationKind, CertificationStatus, SixSigmaBelt,
};
use crate::domain::tenure::add_months;
use crate::error::{AppError, AppResult};

/// SplitMix64: tiny, fast and stable across versions (a seed must give the
/// same organisation forever, which `rand`'s generators do not promise).
/// Tests that generate documents or data use it too.
pub struct Rng(pub u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform integer in [lo, hi].
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % ((hi - lo + 1) as u64)) as i64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// Roughly normal (sum of uniforms).
    fn normal(&mut self, mean: f64, sd: f64) -> f64 {
        let s: f64 = (0..6).map(|_| self.unit()).sum::<f64>() - 3.0;
        mean + s * sd / (0.5f64).sqrt()
    }
}

struct Market {
    code: &'static str,
    currency: &'static str,
    sites: &'static [&'static str],
    /// (CSR, level 2, Operations Manager) bands as (min, max) in minor units.
    bands: [(i64, i64); 3],
    weight: f64,
    languages: &'static [&'static str],
}

const MARKETS: &[Market] = &[
    Market {
        code: "JP",
        currency: "JPY",
        sites: &["Tokyo", "Osaka", "Fukuoka"],
        bands: [(400_000, 560_000), (480_000, 700_000), (600_000, 900_000)],
        weight: 0.5,
        languages: &["ja", "en", "zh", "ko"],
    },
    Market {
        code: "US",
        currency: "USD",
        sites: &["Austin", "Phoenix"],
        bands: [(320_000, 450_000), (390_000, 580_000), (500_000, 800_000)],
        weight: 0.25,
        languages: &["en", "es", "fr", "ja"],
    },
    Market {
        code: "PH",
        currency: "PHP",
        sites: &["Manila", "Cebu"],
        bands: [
            (2_500_000, 3_800_000),
            (3_200_000, 5_000_000),
            (4_500_000, 7_500_000),
        ],
        weight: 0.25,
        languages: &["tl", "en", "ja", "es"],
    },
];

const GIVEN: &[&str] = &[
    "Yui", "Haruto", "Aoi", "Sota", "Hina", "Ren", "Mio", "Riku", "Emma", "Liam", "Olivia", "Noah",
    "Ava", "Mateo", "Sofia", "Lucas", "Maria", "Jose", "Angel", "Andrea", "Paolo", "Bea", "Kenji",
    "Sakura", "Daniel", "Grace",
];
const FAMILY: &[&str] = &[
    "Sato",
    "Suzuki",
    "Takahashi",
    "Tanaka",
    "Watanabe",
    "Ito",
    "Smith",
    "Johnson",
    "Garcia",
    "Martinez",
    "Brown",
    "Lopez",
    "Santos",
    "Reyes",
    "Cruz",
    "Bautista",
    "Ocampo",
    "Mendoza",
    "Kobayashi",
    "Kato",
    "Nguyen",
    "Kim",
];

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Admin,
    Hr,
    OpsManager,
    TeamLead,
    Csr,
    Qa,
    Trainer,
    Lateral,
}

struct Person {
    id: i64,
    kind: Kind,
    role: i64,
    manager: Option<i64>,
    market: usize,
    site: &'static str,
    hired_on: NaiveDate,
    role_since: NaiveDate,
    salary: i64,
    /// Earlier roles: (role id, start, salary).
    history: Vec<(i64, NaiveDate, i64)>,
    skill: f64,
}

/// What `seed` did.
pub struct SeedReport {
    pub employees: usize,
    pub certifications: usize,
    pub reviews: usize,
    pub nominations: usize,
    pub assessments: usize,
    pub seconds: f64,
    /// Seconds spent in each phase, in order.
    pub phases: Vec<(&'static str, f64)>,
}

/// Seconds per phase of the load, for the report.
struct Phases {
    last: Instant,
    done: Vec<(&'static str, f64)>,
}

impl Phases {
    fn new() -> Self {
        Phases {
            last: Instant::now(),
            done: Vec::new(),
        }
    }
    /// Ends the phase `name`, adding to it when it ran before.
    fn end(&mut self, name: &'static str) {
        let now = Instant::now();
        let seconds = (now - self.last).as_secs_f64();
        self.last = now;
        match self.done.iter_mut().find(|(n, _)| *n == name) {
            Some(entry) => entry.1 += seconds,
            None => self.done.push((name, seconds)),
        }
    }
}

struct Progress {
    on_terminal: bool,
    total: usize,
    started: Instant,
}

impl Progress {
    fn show(&self, what: &str, done: usize) {
        if self.on_terminal {
            let width = 30;
            let filled = (done * width / self.total.max(1)).min(width);
            eprint!(
                "\r  [{}{}] {:>3}% {:<14} {:>6.1}s",
                "#".repeat(filled),
                ".".repeat(width - filled),
                done * 100 / self.total.max(1),
                what,
                self.started.elapsed().as_secs_f64()
            );
        }
    }
    fn finish(&self) {
        if self.on_terminal {
            eprintln!();
        }
    }
}

fn days_before(date: NaiveDate, days: i64) -> NaiveDate {
    date.checked_sub_days(Days::new(days.max(0) as u64))
        .unwrap_or(date)
}

fn noon(date: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&date.and_hms_opt(12, 0, 0).unwrap_or_default())
}

/// Quarter ends strictly before `today`, newest first.
fn quarter_ends(today: NaiveDate, count: usize) -> Vec<NaiveDate> {
    let mut ends = Vec::with_capacity(count);
    let (mut year, mut quarter) = (today.year(), (today.month0() / 3) as i32);
    while ends.len() < count {
        quarter -= 1;
        if quarter < 0 {
            quarter = 3;
            year -= 1;
        }
        let (month, day) = [(3, 31), (6, 30), (9, 30), (12, 31)][quarter as usize];
        if let Some(date) = NaiveDate::from_ymd_opt(year, month, day) {
            ends.push(date);
        }
    }
    ends
}

/// Adds `employees` synthetic people as of `today`.
pub async fn seed(db: &Db, employees: usize, seed: u64, today: NaiveDate) -> AppResult<SeedReport> {
    let started = Instant::now();
    let progress = Progress {
        on_terminal: std::io::stderr().is_terminal(),
        total: employees,
        started,
    };
    let mut phases = Phases::new();
    let mut rng = Rng(seed ^ 0x005E_ED0F_2026);
    ensure_bands(db).await?;
    crate::db::bulk::defer_indexes(db).await?;
    let ladder = Ladder::load(&db.conn).await?;
    let role = |code: &str| {
        ladder
            .role_by_code(code)
            .map(|r| r.id)
            .ok_or_else(|| AppError::internal(format!("role {code} missing")))
    };
    let (csr, tl, om, qa, ts, hr_role) = (
        role("CSR")?,
        role("TEAM_LEAD")?,
        role("OPERATIONS_MANAGER")?,
        role("QUALITY_ANALYST")?,
        role("TRAINING_SPECIALIST")?,
        role("HR_GENERALIST")?,
    );
    let laterals = [role("LOGISTICS_COORDINATOR")?, role("VENDOR_MANAGER")?];
    let base_id = max_id(&db.conn, "employee").await?;

    // 1. The people, in memory.
    let mut people: Vec<Person> = Vec::with_capacity(employees);
    let mut next_id = base_id;
    let mut new_person = |rng: &mut Rng,
                          kind: Kind,
                          role: i64,
                          manager: Option<i64>,
                          market: usize,
                          site: &'static str,
                          people: &mut Vec<Person>|
     -> i64 {
        next_id += 1;
        let service_days = rng.range(30, 8 * 365);
        let hired_on = days_before(today, service_days);
        let service_months = crate::domain::tenure::months_between(hired_on, today);
        let level_band = |level: usize| MARKETS[market].bands[level];
        let skill = rng.normal(3.45, 0.55).clamp(1.5, 5.0);
        let (role_since, history, level) = match kind {
            Kind::Csr => (hired_on, vec![], 0),
            Kind::Admin | Kind::Hr => (hired_on, vec![], 1),
            Kind::TeamLead | Kind::Qa | Kind::Trainer | Kind::Lateral => {
                let after = rng
                    .range(12, 30)
                    .min(service_months.saturating_sub(1) as i64)
                    .max(0) as u32;
                let since = add_months(hired_on, after).unwrap_or(hired_on);
                let (lo, hi) = level_band(0);
                (since, vec![(csr, hired_on, lo + (hi - lo) / 3)], 1)
            }
            Kind::OpsManager => {
                let first = rng
                    .range(12, 24)
                    .min(service_months.saturating_sub(2) as i64)
                    .max(0) as u32;
                let second = rng
                    .range(12, 36)
                    .min(service_months.saturating_sub(first + 1) as i64)
                    .max(0) as u32;
                let tl_since = add_months(hired_on, first).unwrap_or(hired_on);
                let since = add_months(tl_since, second).unwrap_or(tl_since);
                let (lo0, hi0) = level_band(0);
                let (lo1, hi1) = level_band(1);
                (
                    since,
                    vec![
                        (csr, hired_on, lo0 + (hi0 - lo0) / 3),
                        (tl, tl_since, lo1 + (hi1 - lo1) / 3),
                    ],
                    2,
                )
            }
        };
        let (lo, hi) = level_band(level);
        let position = (rng.normal(0.45, 0.22) + service_months as f64 / 400.0).clamp(-0.06, 1.04);
        let unit = match MARKETS[market].currency {
            "JPY" => 1_000,
            "PHP" => 10_000,
            _ => 100,
        };
        let salary = ((lo as f64 + (hi - lo) as f64 * position) as i64 / unit) * unit;
        people.push(Person {
            id: next_id,
            kind,
            role,
            manager,
            market,
            site,
            hired_on,
            role_since,
            salary,
            history,
            skill,
        });
        next_id
    };

    let admin = new_person(
        &mut rng,
        Kind::Admin,
        hr_role,
        None,
        0,
        "Tokyo",
        &mut people,
    );
    let mut site_state: Vec<(usize, &'static str, Option<i64>, u32)> = MARKETS
        .iter()
        .enumerate()
        .flat_map(|(m, market)| market.sites.iter().map(move |s| (m, *s, None, 0u32)))
        .collect();
    let mut teams = 0usize;
    'org: while people.len() < employees {
        // Pick a site by market weight.
        let roll = rng.unit();
        let mut acc = 0.0;
        let mut market = 0;
        for (i, m) in MARKETS.iter().enumerate() {
            acc += m.weight;
            if roll < acc {
                market = i;
                break;
            }
        }
        let candidates: Vec<usize> = (0..site_state.len())
            .filter(|&i| site_state[i].0 == market)
            .collect();
        let slot = candidates[(rng.next() % candidates.len() as u64) as usize];
        let (m, site, ops, leads) = site_state[slot];
        let ops = match ops {
            Some(id) if leads < rng.range(6, 9) as u32 => id,
            _ => {
                let id = new_person(
                    &mut rng,
                    Kind::OpsManager,
                    om,
                    Some(admin),
                    m,
                    site,
                    &mut people,
                );
                site_state[slot].2 = Some(id);
                site_state[slot].3 = 0;
                id
            }
        };
        site_state[slot].3 += 1;
        let lead = new_person(
            &mut rng,
            Kind::TeamLead,
            tl,
            Some(ops),
            m,
            site,
            &mut people,
        );
        for _ in 0..rng.range(10, 15) {
            if people.len() >= employees {
                break 'org;
            }
            new_person(&mut rng, Kind::Csr, csr, Some(lead), m, site, &mut people);
        }
        teams += 1;
        if teams % 3 == 0 && people.len() < employees {
            new_person(&mut rng, Kind::Qa, qa, Some(ops), m, site, &mut people);
        }
        if teams % 5 == 0 && people.len() < employees {
            new_person(&mut rng, Kind::Trainer, ts, Some(ops), m, site, &mut people);
        }
        if teams % 9 == 0 && people.len() < employees {
            let role = laterals[(rng.next() % 2) as usize];
            new_person(
                &mut rng,
                Kind::Lateral,
                role,
                Some(ops),
                m,
                site,
                &mut people,
            );
        }
        if teams % 30 == 0 && people.len() < employees {
            new_person(
                &mut rng,
                Kind::Hr,
                hr_role,
                Some(admin),
                m,
                site,
                &mut people,
            );
        }
    }
    people.truncate(employees);
    phases.end("generate");

    // 2. Rows.
    let now = noon(today);
    let txn = db.begin_write().await?;
    let paused = crate::db::bulk::pause_triggers(&txn, LOADED_TABLES).await?;
    let mut done = 0usize;
    for chunk in people.chunks(5_000) {
        let rows: Vec<Vec<Value>> = chunk
            .iter()
            .map(|p| {
                let given = GIVEN[(p.id as usize * 7) % GIVEN.len()];
                let family = FAMILY[(p.id as usize * 13 / 3) % FAMILY.len()];
                let access = match p.kind {
                    Kind::Admin => "ADMIN",
                    Kind::Hr => "HR",
                    Kind::OpsManager | Kind::TeamLead => "MANAGER",
                    _ => "EMPLOYEE",
                };
                let arrangement = ["ONSITE", "ONSITE", "HYBRID", "REMOTE"][(p.id % 4) as usize];
                let employment = if p.id % 11 == 0 {
                    "PART_TIME"
                } else if p.id % 29 == 0 {
                    "GIG"
                } else {
                    "FULL_TIME"
                };
                let market = &MARKETS[p.market];
                vec![
                    p.id.into(),
                    format!("S{:08}", p.id).into(),
                    format!("{given} {family}").into(),
                    format!(
                        "{}.{}.{}@{}.rungs.example",
                        given.to_lowercase(),
                        family.to_lowercase(),
                        p.id,
                        market.code.to_lowercase()
                    )
                    .into(),
                    Option::<String>::None.into(),
                    access.into(),
                    p.role.into(),
                    p.manager.into(),
                    p.site.into(),
                    market.code.into(),
                    arrangement.into(),
                    employment.into(),
                    p.hired_on.into(),
                    p.role_since.into(),
                    p.salary.into(),
                    market.currency.into(),
                    now.into(),
                    now.into(),
                ]
            })
            .collect();
        insert_rows(&txn, "employee", EMPLOYEE_COLUMNS, rows).await?;
        done += chunk.len();
        progress.show("employees", done / 3);
    }
    sync_sequence(&txn, "employee").await?;
    crate::db::bulk::resume_triggers(&txn, paused).await?;
    txn.commit().await?;
    phases.end("employees");

    // Role history.
    let txn = db.begin_write().await?;
    let paused = crate::db::bulk::pause_triggers(&txn, LOADED_TABLES).await?;
    let mut history_rows = Vec::new();
    for p in &people {
        let mut starts: Vec<(i64, NaiveDate, i64)> = p.history.clone();
        starts.push((p.role, p.role_since, p.salary));
        for (i, (role, start, salary)) in starts.iter().enumerate() {
            let ended: Option<NaiveDate> = starts.get(i + 1).map(|next| next.1);
            history_rows.push(vec![
                p.id.into(),
                (*role).into(),
                (*start).into(),
                ended.into(),
                (*salary).into(),
                MARKETS[p.market].currency.into(),
            ]);
        }
    }
    insert_rows(
        &txn,
        "role_assignment",
        ROLE_ASSIGNMENT_COLUMNS,
        history_rows,
    )
    .await?;
    crate::db::bulk::resume_triggers(&txn, paused).await?;
    txn.commit().await?;
    progress.show("history", employees * 2 / 5);
    phases.end("history");

    // The skill requirements on the steps out of CSR and a course
    // catalogue, the sessions run by the first Training Specialist: before
    // the records, so that each batch's eligibility state below is computed
    // against the ladder and courses the load ends with.
    let trainer = people
        .iter()
        .find(|p| p.kind == Kind::Trainer)
        .map(|p| p.id);
    let txn = db.begin_write().await?;
    let paused = crate::db::bulk::pause_triggers(&txn, &[]).await?;
    crate::demo_courses::add(&txn, &ladder, today, trainer).await?;
    crate::db::bulk::resume_triggers(&txn, paused).await?;
    txn.commit().await?;
    phases.end("nominations, catalogue");

    // Certifications, reviews and skill assessments (from a generator of
    // their own, so the rest of the organisation does not depend on them),
    // and with each batch its people's eligibility state for today,
    // computed from the facts just generated (nothing is read back).
    let state_day = Utc::now().date_naive();
    let final_ladder = Ladder::load(&db.conn).await?;
    let mut cert_count = 0usize;
    let mut review_count = 0usize;
    let mut assessment_count = 0usize;
    let mut assessment_seq = max_id(&db.conn, "skill_assessment").await?;
    let mut skill_rng = Rng(seed ^ 0x5C11_1A55_E55E);
    let skill_ids = crate::demo_courses::skill_ids(&ladder);
    let assessed: Vec<i64> = ASSESSED_SKILLS
        .iter()
        .filter_map(|name| skill_ids.get(*name).copied())
        .collect();
    for (batch_no, chunk) in people.chunks(10_000).enumerate() {
        let mut certs = Vec::new();
        let mut reviews = Vec::new();
        let mut assessments = Vec::new();
        let mut facts: HashMap<i64, Facts> = HashMap::with_capacity(chunk.len());
        for p in chunk {
            let mut f = Facts {
                open_nomination: pending_nomination(p),
                ..Facts::default()
            };
            for mut a in assessments_for(&mut skill_rng, p, &assessed, today) {
                assessment_seq += 1;
                a.seq = assessment_seq;
                assessments.push(assessment_row(p, &a));
                f.skills.push(a);
            }
            for c in certificates_for(&mut rng, p, today) {
                certs.push(certificate_row(p.id, &c, now));
                f.certifications.push(c);
            }
            let quarters = crate::domain::tenure::months_between(p.hired_on, today) / 3;
            for end in quarter_ends(today, quarters.min(8) as usize) {
                let rating = (rng.normal(p.skill, 0.35).clamp(1.0, 5.0) * 10.0).round() / 10.0;
                reviews.push(vec![
                    p.id.into(),
                    end.into(),
                    rating.into(),
                    Some(
                        ((70.0 + rating * 5.0 + rng.normal(0.0, 3.0)).clamp(0.0, 100.0) * 10.0)
                            .round()
                            / 10.0,
                    )
                    .into(),
                    Some((120.0 - rating * 12.0 + rng.normal(0.0, 8.0)).max(20.0) as i32).into(),
                    Some(
                        ((80.0 + rating * 3.5 + rng.normal(0.0, 2.0)).clamp(0.0, 100.0) * 10.0)
                            .round()
                            / 10.0,
                    )
                    .into(),
                    Some(((48.0 + rating * 4.0 + rng.normal(0.0, 4.0)) * 10.0).round() / 10.0)
                        .into(),
                    p.manager.into(),
                    noon(end).into(),
                ]);
                f.reviews.push(ReviewFact {
                    period_end: end,
                    rating,
                });
            }
            facts.insert(p.id, f);
        }
        cert_count += certs.len();
        review_count += reviews.len();
        assessment_count += assessments.len();
        let rows: Vec<PersonRow> = chunk.iter().map(person_row).collect();
        phases.end("generate");
        let txn = db.begin_write().await?;
        let paused = crate::db::bulk::pause_triggers(&txn, LOADED_TABLES).await?;
        insert_rows(&txn, "skill_assessment", ASSESSMENT_COLUMNS, assessments).await?;
        insert_rows(&txn, "certification", CERTIFICATION_COLUMNS, certs).await?;
        insert_rows(&txn, "performance_review", REVIEW_COLUMNS, reviews).await?;
        phases.end("records");
        crate::services::eligibility_state::store_new(&txn, &final_ladder, rows, facts, state_day)
            .await?;
        crate::db::bulk::resume_triggers(&txn, paused).await?;
        txn.commit().await?;
        phases.end("eligibility state");
        progress.show(
            "records",
            employees * 2 / 5 + (batch_no + 1) * chunk.len() * 3 / 5,
        );
    }

    // Nominations: decided ones for past promotions, and a few open ones.
    let txn = db.begin_write().await?;
    let paused = crate::db::bulk::pause_triggers(&txn, LOADED_TABLES).await?;
    let steps: Vec<(i64, i64, i64)> = ladder
        .steps
        .iter()
        .map(|s| (s.id, s.from_role_id, s.to_role_id))
        .collect();
    let step_of = |from: i64, to: i64| steps.iter().find(|s| s.1 == from && s.2 == to).map(|s| s.0);
    let mut nominations = Vec::new();
    for p in &people {
        if let (Some((prev_role, _, prev_salary)), Some(manager)) = (p.history.last(), p.manager) {
            if let Some(step) = step_of(*prev_role, p.role) {
                let created = noon(days_before(p.role_since, rng.range(10, 60)));
                let decided = noon(days_before(p.role_since, rng.range(0, 9)));
                let bp =
                    ((p.salary - prev_salary) * 10_000 / (*prev_salary).max(1)).clamp(2000, 3000);
                nominations.push(vec![
                    p.id.into(),
                    manager.into(),
                    step.into(),
                    p.role.into(),
                    "APPROVED".into(),
                    "Consistently strong results".into(),
                    false.into(),
                    Option::<String>::None.into(),
                    created.into(),
                    Some(decided).into(),
                    Some(admin).into(),
                    Option::<String>::None.into(),
                    Some(bp).into(),
                    Some(p.salary).into(),
                    Some(MARKETS[p.market].currency).into(),
                    Some(p.role_since).into(),
                ]);
            }
        }
        if p.kind == Kind::Csr && p.id % 37 == 0 {
            if let (Some(manager), Some(step)) = (p.manager, step_of(csr, tl)) {
                // The open ones are those the state was computed with.
                let (status, decided, reason) = if pending_nomination(p) {
                    ("PENDING", None, None)
                } else if p.id % 4 == 2 {
                    (
                        "REJECTED",
                        Some(noon(days_before(today, rng.range(1, 60)))),
                        Some("Needs more coaching experience"),
                    )
                } else {
                    (
                        "WITHDRAWN",
                        Some(noon(days_before(today, rng.range(1, 60)))),
                        None,
                    )
                };
                let created = noon(days_before(today, rng.range(61, 120)));
                nominations.push(vec![
                    p.id.into(),
                    manager.into(),
                    step.into(),
                    tl.into(),
                    status.into(),
                    "Ready for the next step".into(),
                    false.into(),
                    Option::<String>::None.into(),
                    created.into(),
                    decided.into(),
                    decided.map(|_| admin).into(),
                    reason.map(str::to_owned).into(),
                    Option::<i64>::None.into(),
                    Option::<i64>::None.into(),
                    Option::<String>::None.into(),
                    Option::<NaiveDate>::None.into(),
                ]);
            }
        }
    }
    let nomination_count = nominations.len();
    phases.end("generate");
    insert_rows(
        &txn,
        "nomination",
        &[
            "nominee_id",
            "nominated_by_id",
            "step_id",
            "target_role_id",
            "status",
            "justification",
            "is_override",
            "override_reason",
            "created_at",
            "decided_at",
            "decided_by_id",
            "decision_reason",
            "raise_bp",
            "new_salary_minor",
            "currency",
            "effective_on",
        ],
        nominations,
    )
    .await?;
    crate::db::bulk::resume_triggers(&txn, paused).await?;
    txn.commit().await?;
    phases.end("nominations, catalogue");
    // Everyone loaded before has their state recomputed (the catalogue and
    // the bands may change their answers); the new people's is stored.
    progress.show("eligibility", employees);
    let txn = db.begin_write().await?;
    crate::db::bulk::mark_loaded(&txn, base_id).await?;
    txn.commit().await?;
    crate::services::eligibility_state::bring_up_to_date(db, state_day).await?;
    phases.end("eligibility state");
    crate::db::bulk::validate_foreign_keys(&db.conn).await?;
    phases.end("foreign keys");
    crate::db::bulk::restore_indexes(db).await?;
    phases.end("indexes");
    progress.show("done", employees);
    progress.finish();
    // In a write transaction, like every write here: SQLite's ANALYZE reads
    // and then writes its statistics (see `Db::begin_write`).
    let txn = db.begin_write().await?;
    if db.backend() == sea_orm::DatabaseBackend::Postgres {
        txn.execute_unprepared("ANALYZE").await?;
    } else {
        txn.execute_unprepared("PRAGMA optimize").await?;
    }
    txn.commit().await?;
    phases.end("analyze");
    Ok(SeedReport {
        employees: people.len(),
        certifications: cert_count,
        reviews: review_count,
        nominations: nomination_count,
        assessments: assessment_count,
        seconds: started.elapsed().as_secs_f64(),
        phases: phases.done,
    })
}

use sea_orm::ConnectionTrait as _;

/// Whether `p` gets an open (PENDING) nomination below: some CSRs with a
/// manager (the nominations loop draws the same ones).
fn pending_nomination(p: &Person) -> bool {
    p.kind == Kind::Csr && p.id % 37 == 0 && p.manager.is_some() && matches!(p.id % 4, 0 | 1)
}

/// The engine's view of a generated person's row.
fn person_row(p: &Person) -> PersonRow {
    PersonRow {
        id: p.id,
        job_role_id: p.role,
        manager_id: p.manager,
        site: p.site.to_owned(),
        market: MARKETS[p.market].code.to_owned(),
        hired_on: p.hired_on,
        role_since: p.role_since,
        salary_minor: p.salary,
        currency: MARKETS[p.market].currency.to_owned(),
    }
}

/// Skills the synthetic managers assess.
const ASSESSED_SKILLS: &[&str] = &[
    "Coaching",
    "Conflict resolution",
    "Process optimization",
    "Active listening",
];

/// Manager assessments (most skills, levels near the person's overall
/// skill) and a few self-assessments (a little more generous), dated in
/// the last year and never before the role started. `seq` is left 0: the
/// caller numbers them in insertion order, as the row ids will be.
fn assessments_for(rng: &mut Rng, p: &Person, skills: &[i64], today: NaiveDate) -> Vec<SkillFact> {
    let mut out = Vec::new();
    for &skill_id in skills {
        if !rng.chance(0.8) {
            continue;
        }
        let level = (p.skill - 0.3 + rng.normal(0.0, 0.7))
            .round()
            .clamp(1.0, 5.0) as u8;
        let assessed_on = days_before(today, rng.range(10, 400))
            .max(p.role_since)
            .min(today);
        let source = match p.manager {
            Some(_) => AssessmentSource::Manager,
            None => AssessmentSource::Hr,
        };
        out.push(SkillFact {
            skill_id,
            level,
            source,
            assessed_on,
            seq: 0,
        });
        if rng.chance(0.3) {
            out.push(SkillFact {
                skill_id,
                level: (level + 1).min(5),
                source: AssessmentSource::SelfAssessed,
                assessed_on,
                seq: 0,
            });
        }
    }
    out
}

/// An assessment's row: the manager assesses, HR when there is none, the
/// person themselves for a self-assessment.
fn assessment_row(p: &Person, a: &SkillFact) -> Vec<Value> {
    let assessor = match a.source {
        AssessmentSource::SelfAssessed => Some(p.id),
        AssessmentSource::Manager => p.manager,
        _ => None,
    };
    vec![
        p.id.into(),
        a.skill_id.into(),
        i32::from(a.level).into(),
        a.source.as_str().into(),
        a.assessed_on.into(),
        assessor.into(),
        noon(a.assessed_on).into(),
    ]
}

fn certificates_for(rng: &mut Rng, p: &Person, today: NaiveDate) -> Vec<CertFact> {
    let mut certs = Vec::new();
    let service = (today - p.hired_on).num_days().max(1);
    let mut push = |rng: &mut Rng,
                    kind: CertificationKind,
                    name: String,
                    belt: Option<SixSigmaBelt>,
                    lang: Option<(&str, CefrLevel)>,
                    valid_years: Option<u32>| {
        let issued_on = days_before(today, rng.range(0, service - 1));
        let expires_on = valid_years.map(|y| add_months(issued_on, y * 12).unwrap_or(issued_on));
        let status = match rng.next() % 100 {
            0..=87 => CertificationStatus::Verified,
            88..=94 => CertificationStatus::Pending,
            _ => CertificationStatus::Rejected,
        };
        certs.push(CertFact {
            kind,
            name,
            belt,
            language: lang.map(|l| l.0.to_owned()),
            cefr: lang.map(|l| l.1),
            status,
            issued_on,
            expires_on,
        });
    };
    let leader = matches!(p.kind, Kind::TeamLead | Kind::OpsManager);
    if rng.chance(if leader { 0.9 } else { 0.35 }) {
        push(
            rng,
            CertificationKind::LeadershipTraining,
            "Bar Raiser leadership training".into(),
            None,
            None,
            Some(3),
        );
    }
    if rng.chance(if leader { 0.6 } else { 0.3 }) {
        let belt = match rng.next() % 100 {
            0..=29 => SixSigmaBelt::White,
            30..=64 => SixSigmaBelt::Yellow,
            65..=89 => SixSigmaBelt::Green,
            90..=97 => SixSigmaBelt::Black,
            _ => SixSigmaBelt::MasterBlack,
        };
        push(
            rng,
            CertificationKind::SixSigma,
            format!("Six Sigma {} Belt", belt.as_str().to_lowercase()),
            Some(belt),
            None,
            None,
        );
    }
    let languages = MARKETS[p.market].languages;
    push(
        rng,
        CertificationKind::Language,
        format!("{} native", languages[0]),
        None,
        Some((languages[0], CefrLevel::C2)),
        None,
    );
    for lang in &languages[1..] {
        if rng.chance(0.3) {
            let level = [
                CefrLevel::A2,
                CefrLevel::B1,
                CefrLevel::B2,
                CefrLevel::B2,
                CefrLevel::C1,
                CefrLevel::C2,
            ][(rng.next() % 6) as usize];
            let validity = if rng.chance(0.5) { Some(2) } else { None };
            push(
                rng,
                CertificationKind::Language,
                format!("{} {}", lang.to_uppercase(), level.as_str()),
                None,
                Some((lang, level)),
                validity,
            );
        }
    }
    if rng.chance(0.1) {
        push(
            rng,
            CertificationKind::Other,
            "CRM proficiency".into(),
            None,
            None,
            Some(2),
        );
    }
    certs
}

/// A certificate's row (`CERTIFICATION_COLUMNS`).
fn certificate_row(employee_id: i64, c: &CertFact, now: DateTime<Utc>) -> Vec<Value> {
    vec![
        employee_id.into(),
        c.kind.as_str().into(),
        c.name.clone().into(),
        c.belt.map(|b| b.as_str().to_owned()).into(),
        c.language.clone().into(),
        c.cefr.map(|l| l.as_str().to_owned()).into(),
        c.issued_on.into(),
        c.expires_on.into(),
        c.status.as_str().into(),
        now.into(),
    ]
}

/// Adds the US and PH bands of the synthetic markets where missing.
async fn ensure_bands(db: &Db) -> AppResult<()> {
    let ladder = Ladder::load(&db.conn).await?;
    let txn = db.begin_write().await?;
    let paused = crate::db::bulk::pause_triggers(&txn, &[]).await?;
    for market in MARKETS {
        for role in &ladder.roles {
            let level = (role.level.clamp(1, 3) - 1) as usize;
            let exists = salary_band::Entity::find()
                .filter(salary_band::Column::JobRoleId.eq(role.id))
                .filter(salary_band::Column::Market.eq(market.code))
                .one(&txn)
                .await?
                .is_some();
            if !exists {
                let (min, max) = market.bands[level];
                insert_rows(
                    &txn,
                    "salary_band",
                    &[
                        "job_role_id",
                        "market",
                        "currency",
                        "min_minor",
                        "max_minor",
                        "midpoint_minor",
                    ],
                    vec![vec![
                        role.id.into(),
                        market.code.into(),
                        market.currency.into(),
                        min.into(),
                        max.into(),
                        crate::domain::money::default_midpoint(min, max).into(),
                    ]],
                )
                .await?;
            }
        }
    }
    crate::db::bulk::resume_triggers(&txn, paused).await?;
    txn.commit().await?;
    Ok(())
}
