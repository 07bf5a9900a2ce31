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

/// Quarter ends (Mar 31, Jun 30, Sep 30, Dec 31) strictly before `today`,
/// newest first. The demo's reviews use them too.
pub(super) fn quarter_ends(today: NaiveDate, count: usize) -> Vec<NaiveDate> {
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
    let mut load = Load {
        db,
        today,
        progress: Progress {
            on_terminal: std::io::stderr().is_terminal(),
            total: employees,
            started,
        },
        phases: Phases::new(),
    };
    let mut rng = Rng(seed ^ 0x005E_ED0F_2026);
    ensure_bands(db).await?;
    crate::db::bulk::defer_indexes(db).await?;
    let ladder = Ladder::load(&db.conn).await?;
    let roles = Roles::of(&ladder)?;
    let base_id = max_id(&db.conn, "employee").await?;

    // 1. The people, in memory.
    let org = generate(&mut rng, &roles, base_id, employees, today);
    load.phases.end("generate");

    // 2. Rows.
    insert_employees(&mut load, &org.people).await?;
    insert_history(&mut load, &org.people).await?;
    add_catalogue(&mut load, &ladder, &org.people).await?;
    let state_day = Utc::now().date_naive();
    let records =
        insert_records(&mut load, &mut rng, seed, &ladder, &org.people, state_day).await?;
    let nominations = insert_nominations(&mut load, &mut rng, &ladder, &roles, &org).await?;
    finish(&mut load, base_id, state_day).await?;
    Ok(SeedReport {
        employees: org.people.len(),
        certifications: records.certifications,
        reviews: records.reviews,
        nominations,
        assessments: records.assessments,
        seconds: started.elapsed().as_secs_f64(),
        phases: load.phases.done,
    })
}

/// What every step of the load shares: the database, the day the
/// organisation is seeded as of, and the progress bar and phase timings.
struct Load<'a> {
    db: &'a Db,
    today: NaiveDate,
    progress: Progress,
    phases: Phases,
}

/// The ids of the roles the generator hires into.
struct Roles {
    csr: i64,
    team_lead: i64,
    ops_manager: i64,
    qa: i64,
    trainer: i64,
    hr: i64,
    laterals: [i64; 2],
}

impl Roles {
    fn of(ladder: &Ladder) -> AppResult<Roles> {
        let role = |code: &str| {
            ladder
                .role_by_code(code)
                .map(|r| r.id)
                .ok_or_else(|| AppError::internal(format!("role {code} missing")))
        };
        Ok(Roles {
            csr: role("CSR")?,
            team_lead: role("TEAM_LEAD")?,
            ops_manager: role("OPERATIONS_MANAGER")?,
            qa: role("QUALITY_ANALYST")?,
            trainer: role("TRAINING_SPECIALIST")?,
            hr: role("HR_GENERALIST")?,
            laterals: [role("LOGISTICS_COORDINATOR")?, role("VENDOR_MANAGER")?],
        })
    }
}

/// Where a person works: an index into `MARKETS` and one of its sites.
#[derive(Clone, Copy)]
struct Place {
    market: usize,
    site: &'static str,
}

/// A site as the generator fills it: its current operations manager and
/// how many teams they have.
struct SiteState {
    place: Place,
    ops: Option<i64>,
    leads: u32,
}

/// The generated organisation.
struct Org {
    people: Vec<Person>,
    admin: i64,
}

/// The generator of people: hands out ids after `next_id` until
/// `employees` people exist.
struct Hiring<'a> {
    rng: &'a mut Rng,
    roles: &'a Roles,
    today: NaiveDate,
    employees: usize,
    next_id: i64,
    people: Vec<Person>,
}

/// The people: an admin, then team after team at sites picked by market
/// weight, each under its site's operations manager, with QA, trainers,
/// lateral roles and HR beside every so many teams.
fn generate(rng: &mut Rng, roles: &Roles, base_id: i64, employees: usize, today: NaiveDate) -> Org {
    let mut hiring = Hiring {
        rng,
        roles,
        today,
        employees,
        next_id: base_id,
        people: Vec::with_capacity(employees),
    };
    let tokyo = Place {
        market: 0,
        site: "Tokyo",
    };
    let admin = hiring.add(Kind::Admin, roles.hr, None, tokyo);
    let mut sites: Vec<SiteState> = MARKETS
        .iter()
        .enumerate()
        .flat_map(|(market, m)| {
            m.sites.iter().map(move |site| SiteState {
                place: Place { market, site },
                ops: None,
                leads: 0,
            })
        })
        .collect();
    let mut teams = 0usize;
    while !hiring.full() {
        let slot = hiring.pick_site(&sites);
        let ops = hiring.ops_manager(&mut sites[slot], admin);
        let place = sites[slot].place;
        if !hiring.team(ops, place) {
            break;
        }
        teams += 1;
        hiring.beside_teams(teams, ops, admin, place);
    }
    hiring.people.truncate(employees);
    Org {
        people: hiring.people,
        admin,
    }
}

impl Hiring<'_> {
    fn full(&self) -> bool {
        self.people.len() >= self.employees
    }

    /// A site of a market picked by weight.
    fn pick_site(&mut self, sites: &[SiteState]) -> usize {
        let roll = self.rng.unit();
        let mut acc = 0.0;
        let mut market = 0;
        for (i, m) in MARKETS.iter().enumerate() {
            acc += m.weight;
            if roll < acc {
                market = i;
                break;
            }
        }
        let candidates: Vec<usize> = (0..sites.len())
            .filter(|&i| sites[i].place.market == market)
            .collect();
        candidates[(self.rng.next() % candidates.len() as u64) as usize]
    }

    /// The site's operations manager for one more team: a new one when
    /// there is none yet or the current one has enough teams.
    fn ops_manager(&mut self, site: &mut SiteState, admin: i64) -> i64 {
        let ops = match site.ops {
            Some(id) if site.leads < self.rng.range(6, 9) as u32 => id,
            _ => {
                let id = self.add(
                    Kind::OpsManager,
                    self.roles.ops_manager,
                    Some(admin),
                    site.place,
                );
                site.ops = Some(id);
                site.leads = 0;
                id
            }
        };
        site.leads += 1;
        ops
    }

    /// A Team Lead and 10-15 CSRs; false when the organisation filled up
    /// before the team did.
    fn team(&mut self, ops: i64, place: Place) -> bool {
        let lead = self.add(Kind::TeamLead, self.roles.team_lead, Some(ops), place);
        for _ in 0..self.rng.range(10, 15) {
            if self.full() {
                return false;
            }
            self.add(Kind::Csr, self.roles.csr, Some(lead), place);
        }
        true
    }

    /// QA every third team, a trainer every fifth, a lateral role every
    /// ninth and HR every thirtieth, while there is room.
    fn beside_teams(&mut self, teams: usize, ops: i64, admin: i64, place: Place) {
        if teams % 3 == 0 && !self.full() {
            self.add(Kind::Qa, self.roles.qa, Some(ops), place);
        }
        if teams % 5 == 0 && !self.full() {
            self.add(Kind::Trainer, self.roles.trainer, Some(ops), place);
        }
        if teams % 9 == 0 && !self.full() {
            let role = self.roles.laterals[(self.rng.next() % 2) as usize];
            self.add(Kind::Lateral, role, Some(ops), place);
        }
        if teams % 30 == 0 && !self.full() {
            self.add(Kind::Hr, self.roles.hr, Some(admin), place);
        }
    }

    /// A new person: hire date, skill, career so far and salary drawn in
    /// that order.
    fn add(&mut self, kind: Kind, role: i64, manager: Option<i64>, place: Place) -> i64 {
        self.next_id += 1;
        let service_days = self.rng.range(30, 8 * 365);
        let hired_on = days_before(self.today, service_days);
        let service = Service {
            hired_on,
            months: crate::domain::tenure::months_between(hired_on, self.today),
        };
        let skill = self.rng.normal(3.45, 0.55).clamp(1.5, 5.0);
        let market = &MARKETS[place.market];
        let career = career(self.rng, self.roles, kind, market, service);
        let salary = salary(self.rng, market, career.level, service.months);
        self.people.push(Person {
            id: self.next_id,
            kind,
            role,
            manager,
            market: place.market,
            site: place.site,
            hired_on,
            role_since: career.since,
            salary,
            history: career.history,
            skill,
        });
        self.next_id
    }
}

/// When a person was hired and how many whole months ago.
#[derive(Clone, Copy)]
struct Service {
    hired_on: NaiveDate,
    months: u32,
}

/// A person's current role start, earlier roles and band level (0 CSR,
/// 1 the roles above it, 2 Operations Manager).
struct Career {
    since: NaiveDate,
    history: Vec<(i64, NaiveDate, i64)>,
    level: usize,
}

/// The career behind `kind`: leads, QA, trainers and lateral roles were
/// CSRs for 12-30 months; operations managers were CSRs and then Team
/// Leads. Earlier salaries sit a third into their band.
fn career(rng: &mut Rng, roles: &Roles, kind: Kind, market: &Market, service: Service) -> Career {
    let hired_on = service.hired_on;
    let third_into = |level: usize| {
        let (lo, hi) = market.bands[level];
        lo + (hi - lo) / 3
    };
    match kind {
        Kind::Csr => Career {
            since: hired_on,
            history: vec![],
            level: 0,
        },
        Kind::Admin | Kind::Hr => Career {
            since: hired_on,
            history: vec![],
            level: 1,
        },
        Kind::TeamLead | Kind::Qa | Kind::Trainer | Kind::Lateral => {
            let after = rng
                .range(12, 30)
                .min(service.months.saturating_sub(1) as i64)
                .max(0) as u32;
            Career {
                since: add_months(hired_on, after).unwrap_or(hired_on),
                history: vec![(roles.csr, hired_on, third_into(0))],
                level: 1,
            }
        }
        Kind::OpsManager => {
            let first = rng
                .range(12, 24)
                .min(service.months.saturating_sub(2) as i64)
                .max(0) as u32;
            let second = rng
                .range(12, 36)
                .min(service.months.saturating_sub(first + 1) as i64)
                .max(0) as u32;
            let tl_since = add_months(hired_on, first).unwrap_or(hired_on);
            Career {
                since: add_months(tl_since, second).unwrap_or(tl_since),
                history: vec![
                    (roles.csr, hired_on, third_into(0)),
                    (roles.team_lead, tl_since, third_into(1)),
                ],
                level: 2,
            }
        }
    }
}

/// A salary in the band of `level`, higher with service, rounded to the
/// market's unit; a few fall just outside the band.
fn salary(rng: &mut Rng, market: &Market, level: usize, service_months: u32) -> i64 {
    let (lo, hi) = market.bands[level];
    let position = (rng.normal(0.45, 0.22) + service_months as f64 / 400.0).clamp(-0.06, 1.04);
    let unit = match market.currency {
        "JPY" => 1_000,
        "PHP" => 10_000,
        _ => 100,
    };
    ((lo as f64 + (hi - lo) as f64 * position) as i64 / unit) * unit
}

/// The employee rows, 5,000 to an INSERT, in one transaction.
async fn insert_employees(load: &mut Load<'_>, people: &[Person]) -> AppResult<()> {
    let now = noon(load.today);
    let txn = load.db.begin_write().await?;
    let paused = crate::db::bulk::pause_triggers(&txn, LOADED_TABLES).await?;
    let mut done = 0usize;
    for chunk in people.chunks(5_000) {
        let rows: Vec<Vec<Value>> = chunk.iter().map(|p| employee_row(p, now)).collect();
        insert_rows(&txn, "employee", EMPLOYEE_COLUMNS, rows).await?;
        done += chunk.len();
        load.progress.show("employees", done / 3);
    }
    sync_sequence(&txn, "employee").await?;
    crate::db::bulk::resume_triggers(&txn, paused).await?;
    txn.commit().await?;
    load.phases.end("employees");
    Ok(())
}

/// A person's employee row (`EMPLOYEE_COLUMNS`): name, e-mail, access,
/// arrangement and employment type follow from the id.
fn employee_row(p: &Person, now: DateTime<Utc>) -> Vec<Value> {
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
}

/// Role history: every earlier role closed by the next, and the current one.
async fn insert_history(load: &mut Load<'_>, people: &[Person]) -> AppResult<()> {
    let txn = load.db.begin_write().await?;
    let paused = crate::db::bulk::pause_triggers(&txn, LOADED_TABLES).await?;
    let mut history_rows = Vec::new();
    for p in people {
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
    load.progress.show("history", load.progress.total * 2 / 5);
    load.phases.end("history");
    Ok(())
}

/// The skill requirements on the steps out of CSR and a course catalogue,
/// the sessions run by the first Training Specialist: before the records,
/// so that each batch's eligibility state is computed against the ladder
/// and courses the load ends with.
async fn add_catalogue(load: &mut Load<'_>, ladder: &Ladder, people: &[Person]) -> AppResult<()> {
    let trainer = people
        .iter()
        .find(|p| p.kind == Kind::Trainer)
        .map(|p| p.id);
    let txn = load.db.begin_write().await?;
    let paused = crate::db::bulk::pause_triggers(&txn, &[]).await?;
    crate::demo_courses::add(&txn, ladder, load.today, trainer).await?;
    crate::db::bulk::resume_triggers(&txn, paused).await?;
    txn.commit().await?;
    load.phases.end("nominations, catalogue");
    Ok(())
}

/// How many records of each kind went in.
#[derive(Default)]
struct RecordCounts {
    certifications: usize,
    reviews: usize,
    assessments: usize,
}

/// One batch of people's records: the rows and, per person, the facts
/// their eligibility state is computed from.
struct Batch {
    certs: Vec<Vec<Value>>,
    reviews: Vec<Vec<Value>>,
    assessments: Vec<Vec<Value>>,
    facts: HashMap<i64, Facts>,
    people: Vec<PersonRow>,
}

/// Certifications, reviews and skill assessments (the assessments from a
/// generator of their own, so the rest of the organisation does not depend
/// on them), 10,000 people to a transaction, and with each batch its
/// people's eligibility state for `state_day`, computed from the facts
/// just generated (nothing is read back).
async fn insert_records(
    load: &mut Load<'_>,
    rng: &mut Rng,
    seed: u64,
    ladder: &Ladder,
    people: &[Person],
    state_day: NaiveDate,
) -> AppResult<RecordCounts> {
    let final_ladder = Ladder::load(&load.db.conn).await?;
    let skill_ids = crate::demo_courses::skill_ids(ladder);
    let mut records = Records {
        rng,
        skill_rng: Rng(seed ^ 0x5C11_1A55_E55E),
        assessed: ASSESSED_SKILLS
            .iter()
            .filter_map(|name| skill_ids.get(*name).copied())
            .collect(),
        assessment_seq: max_id(&load.db.conn, "skill_assessment").await?,
        today: load.today,
    };
    let mut counts = RecordCounts::default();
    for (batch_no, chunk) in people.chunks(10_000).enumerate() {
        let batch = records.batch(chunk);
        counts.certifications += batch.certs.len();
        counts.reviews += batch.reviews.len();
        counts.assessments += batch.assessments.len();
        load.phases.end("generate");
        store_batch(load, &final_ladder, batch, state_day).await?;
        let total = load.progress.total;
        load.progress.show(
            "records",
            total * 2 / 5 + (batch_no + 1) * chunk.len() * 3 / 5,
        );
    }
    Ok(counts)
}

/// A batch's records and its people's eligibility state, in one transaction.
async fn store_batch(
    load: &mut Load<'_>,
    ladder: &Ladder,
    batch: Batch,
    state_day: NaiveDate,
) -> AppResult<()> {
    let txn = load.db.begin_write().await?;
    let paused = crate::db::bulk::pause_triggers(&txn, LOADED_TABLES).await?;
    insert_rows(
        &txn,
        "skill_assessment",
        ASSESSMENT_COLUMNS,
        batch.assessments,
    )
    .await?;
    insert_rows(&txn, "certification", CERTIFICATION_COLUMNS, batch.certs).await?;
    insert_rows(&txn, "performance_review", REVIEW_COLUMNS, batch.reviews).await?;
    load.phases.end("records");
    crate::services::eligibility_state::store_new(
        &txn,
        ladder,
        batch.people,
        batch.facts,
        state_day,
    )
    .await?;
    crate::db::bulk::resume_triggers(&txn, paused).await?;
    txn.commit().await?;
    load.phases.end("eligibility state");
    Ok(())
}

/// The generator of records: certificates and reviews from the
/// organisation's generator, assessments from their own, numbered after
/// `assessment_seq` as their row ids will be.
struct Records<'a> {
    rng: &'a mut Rng,
    skill_rng: Rng,
    assessed: Vec<i64>,
    assessment_seq: i64,
    today: NaiveDate,
}

impl Records<'_> {
    fn batch(&mut self, chunk: &[Person]) -> Batch {
        let mut batch = Batch {
            certs: Vec::new(),
            reviews: Vec::new(),
            assessments: Vec::new(),
            facts: HashMap::with_capacity(chunk.len()),
            people: Vec::new(),
        };
        for p in chunk {
            let facts = self.person(p, &mut batch);
            batch.facts.insert(p.id, facts);
        }
        batch.people = chunk.iter().map(person_row).collect();
        batch
    }

    /// One person's assessments, certificates and reviews, in that order,
    /// added to `batch`; returns their facts.
    fn person(&mut self, p: &Person, batch: &mut Batch) -> Facts {
        let mut f = Facts {
            open_nomination: pending_nomination(p),
            ..Facts::default()
        };
        for mut a in assessments_for(&mut self.skill_rng, p, &self.assessed, self.today) {
            self.assessment_seq += 1;
            a.seq = self.assessment_seq;
            batch.assessments.push(assessment_row(p, &a));
            f.skills.push(a);
        }
        let now = noon(self.today);
        for c in certificates_for(self.rng, p, self.today) {
            batch.certs.push(certificate_row(p.id, &c, now));
            f.certifications.push(c);
        }
        let quarters = crate::domain::tenure::months_between(p.hired_on, self.today) / 3;
        for end in quarter_ends(self.today, quarters.min(8) as usize) {
            let (review, row) = review(self.rng, p, end);
            batch.reviews.push(row);
            f.reviews.push(review);
        }
        f
    }
}

/// A quarterly review (`REVIEW_COLUMNS`): a rating near the person's skill
/// and KPIs that follow it, recorded by their manager at the quarter's end.
fn review(rng: &mut Rng, p: &Person, end: NaiveDate) -> (ReviewFact, Vec<Value>) {
    let rating = (rng.normal(p.skill, 0.35).clamp(1.0, 5.0) * 10.0).round() / 10.0;
    let one_decimal = |x: f64| (x * 10.0).round() / 10.0;
    let row = vec![
        p.id.into(),
        end.into(),
        rating.into(),
        Some(one_decimal(
            (70.0 + rating * 5.0 + rng.normal(0.0, 3.0)).clamp(0.0, 100.0),
        ))
        .into(),
        Some((120.0 - rating * 12.0 + rng.normal(0.0, 8.0)).max(20.0) as i32).into(),
        Some(one_decimal(
            (80.0 + rating * 3.5 + rng.normal(0.0, 2.0)).clamp(0.0, 100.0),
        ))
        .into(),
        Some(one_decimal(48.0 + rating * 4.0 + rng.normal(0.0, 4.0))).into(),
        p.manager.into(),
        noon(end).into(),
    ];
    let fact = ReviewFact {
        period_end: end,
        rating,
    };
    (fact, row)
}

const NOMINATION_COLUMNS: &[&str] = &[
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
];

/// Nominations: decided ones for past promotions, and a few open ones.
async fn insert_nominations(
    load: &mut Load<'_>,
    rng: &mut Rng,
    ladder: &Ladder,
    roles: &Roles,
    org: &Org,
) -> AppResult<usize> {
    let txn = load.db.begin_write().await?;
    let paused = crate::db::bulk::pause_triggers(&txn, LOADED_TABLES).await?;
    let nominator = Nominator {
        steps: ladder
            .steps
            .iter()
            .map(|s| (s.id, s.from_role_id, s.to_role_id))
            .collect(),
        roles,
        admin: org.admin,
        today: load.today,
    };
    let mut nominations = Vec::new();
    for p in &org.people {
        nominations.extend(nominator.past_promotion(rng, p));
        nominations.extend(nominator.csr_nomination(rng, p));
    }
    let count = nominations.len();
    load.phases.end("generate");
    insert_rows(&txn, "nomination", NOMINATION_COLUMNS, nominations).await?;
    crate::db::bulk::resume_triggers(&txn, paused).await?;
    txn.commit().await?;
    load.phases.end("nominations, catalogue");
    Ok(count)
}

/// What the nomination rows are made from: the ladder's steps as (id,
/// from role, to role), the roles and the admin who decides.
struct Nominator<'a> {
    steps: Vec<(i64, i64, i64)>,
    roles: &'a Roles,
    admin: i64,
    today: NaiveDate,
}

impl Nominator<'_> {
    fn step_of(&self, from: i64, to: i64) -> Option<i64> {
        self.steps
            .iter()
            .find(|s| s.1 == from && s.2 == to)
            .map(|s| s.0)
    }

    /// The approved nomination behind a person's last promotion, with its
    /// raise (20-30%), when the step exists and they have a manager.
    fn past_promotion(&self, rng: &mut Rng, p: &Person) -> Option<Vec<Value>> {
        let (Some((prev_role, _, prev_salary)), Some(manager)) = (p.history.last(), p.manager)
        else {
            return None;
        };
        let step = self.step_of(*prev_role, p.role)?;
        let created = noon(days_before(p.role_since, rng.range(10, 60)));
        let decided = noon(days_before(p.role_since, rng.range(0, 9)));
        let bp = ((p.salary - prev_salary) * 10_000 / (*prev_salary).max(1)).clamp(2000, 3000);
        Some(vec![
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
            Some(self.admin).into(),
            Option::<String>::None.into(),
            Some(bp).into(),
            Some(p.salary).into(),
            Some(MARKETS[p.market].currency).into(),
            Some(p.role_since).into(),
        ])
    }

    /// For one CSR in 37, a nomination to Team Lead: open (those the state
    /// was computed with), rejected or withdrawn.
    fn csr_nomination(&self, rng: &mut Rng, p: &Person) -> Option<Vec<Value>> {
        if p.kind != Kind::Csr || p.id % 37 != 0 {
            return None;
        }
        let (Some(manager), Some(step)) = (
            p.manager,
            self.step_of(self.roles.csr, self.roles.team_lead),
        ) else {
            return None;
        };
        let (status, decided, reason) = if pending_nomination(p) {
            ("PENDING", None, None)
        } else if p.id % 4 == 2 {
            (
                "REJECTED",
                Some(noon(days_before(self.today, rng.range(1, 60)))),
                Some("Needs more coaching experience"),
            )
        } else {
            (
                "WITHDRAWN",
                Some(noon(days_before(self.today, rng.range(1, 60)))),
                None,
            )
        };
        let created = noon(days_before(self.today, rng.range(61, 120)));
        Some(vec![
            p.id.into(),
            manager.into(),
            step.into(),
            self.roles.team_lead.into(),
            status.into(),
            "Ready for the next step".into(),
            false.into(),
            Option::<String>::None.into(),
            created.into(),
            decided.into(),
            decided.map(|_| self.admin).into(),
            reason.map(str::to_owned).into(),
            Option::<i64>::None.into(),
            Option::<i64>::None.into(),
            Option::<String>::None.into(),
            Option::<NaiveDate>::None.into(),
        ])
    }
}

/// The new people's declared genders, deterministic by id (half women,
/// about four in ten men, one in ten undisclosed), for `payGapReport`.
async fn declare_genders(txn: &sea_orm::DatabaseTransaction, base_id: i64) -> AppResult<()> {
    use sea_orm::ConnectionTrait;
    let backend = txn.get_database_backend();
    let sql = crate::db::placeholders(
        backend,
        "INSERT INTO employee_gender (employee_id, gender, declared_by_id, updated_at) \
         SELECT id, CASE WHEN id % 10 < 5 THEN 'WOMAN' WHEN id % 10 < 9 THEN 'MAN' ELSE 'UNDISCLOSED' END, id, ? \
         FROM employee WHERE id > ?",
    );
    txn.execute_raw(sea_orm::Statement::from_sql_and_values(
        backend,
        sql,
        [chrono::Utc::now().into(), base_id.into()],
    ))
    .await?;
    Ok(())
}

/// One CSR in 40 works half time on an hourly rate: their annual salary
/// becomes the rate that pays the same a year full time (÷ 2,080 hours),
/// so their compa-ratio stays what it was, as the people who check it
/// expect (issue 20). Their role history moves with them.
async fn part_time_hourly(txn: &sea_orm::DatabaseTransaction, base_id: i64) -> AppResult<()> {
    use sea_orm::ConnectionTrait;
    let backend = txn.get_database_backend();
    let who = format!(
        "id > {base_id} AND id % 40 = 3 AND job_role_id IN (SELECT id FROM job_role WHERE code = 'CSR')"
    );
    let hours = crate::domain::pay_basis::DEFAULT_ANNUAL_HOURS;
    for sql in [
        format!(
            "UPDATE role_assignment SET salary_minor = (salary_minor + {half}) / {hours} \
             WHERE employee_id IN (SELECT id FROM employee WHERE {who})",
            half = hours / 2
        ),
        format!(
            "UPDATE employee SET pay_basis = 'HOURLY', fte_bp = 5000, \
             salary_minor = (salary_minor + {half}) / {hours} WHERE {who}",
            half = hours / 2
        ),
    ] {
        txn.execute_raw(sea_orm::Statement::from_string(backend, sql))
            .await?;
    }
    Ok(())
}

/// A merit cycle half done (issue 20): the first HR person loaded opens
/// "Seeded merit review" (3 % of each site's annualised payroll, effective
/// the seed's day), and every other CSR with a manager on ANNUAL full-time
/// pay has their manager's 2 % proposal, charged to their site's budget.
async fn merit_half_done(
    txn: &sea_orm::DatabaseTransaction,
    base_id: i64,
    today: NaiveDate,
) -> AppResult<()> {
    use crate::services::merit;
    use sea_orm::{ConnectionTrait, QueryOrder};
    let Some(hr) = crate::db::entities::employee::Entity::find()
        .filter(crate::db::entities::employee::Column::Id.gt(base_id))
        .filter(
            crate::db::entities::employee::Column::AccessRole
                .eq(crate::db::entities::enums::AccessRole::Hr),
        )
        .order_by_asc(crate::db::entities::employee::Column::Id)
        .one(txn)
        .await?
    else {
        return Ok(());
    };
    let ladder = Ladder::load(txn).await?;
    let payroll = merit::payroll_by_scope(txn, &ladder, merit::BudgetBy::Site, None, today).await?;
    let (cycle, _) = merit::create(
        txn,
        hr.id,
        merit::NewCycle {
            name: "Seeded merit review".into(),
            effective_on: today,
            budget_bp: 300,
            budget_by: merit::BudgetBy::Site,
            market: None,
        },
        payroll,
        &crate::domain::merit::default_matrix(),
    )
    .await?;
    let backend = txn.get_database_backend();
    let now = chrono::Utc::now();
    for (sql, values) in [
        (
            "INSERT INTO merit_proposal (cycle_id, employee_id, budget_id, percent_bp, before_minor, new_minor, \
               currency, charged_minor, justification, proposed_by_id, created_at, updated_at) \
             SELECT ?, e.id, b.id, 200, e.salary_minor, e.salary_minor + (e.salary_minor * 2 + 50) / 100, \
               e.currency, (e.salary_minor * 2 + 50) / 100, 'A steady year', e.manager_id, ?, ? \
             FROM employee e JOIN merit_budget b ON b.cycle_id = ? AND b.scope = e.site AND b.currency = e.currency \
             WHERE e.id > ? AND e.id % 2 = 0 AND e.manager_id IS NOT NULL AND e.hired_on <= ? \
               AND e.pay_basis = 'ANNUAL' AND e.fte_bp = 10000 \
               AND e.job_role_id IN (SELECT id FROM job_role WHERE code = 'CSR')",
            vec![
                cycle.id.into(),
                now.into(),
                now.into(),
                cycle.id.into(),
                base_id.into(),
                today.into(),
            ],
        ),
        (
            "UPDATE merit_budget SET used_minor = (SELECT COALESCE(SUM(p.charged_minor), 0) \
               FROM merit_proposal p WHERE p.budget_id = merit_budget.id) WHERE cycle_id = ?",
            vec![cycle.id.into()],
        ),
    ] {
        txn.execute_raw(sea_orm::Statement::from_sql_and_values(
            backend,
            crate::db::placeholders(backend, sql),
            values,
        ))
        .await?;
    }
    Ok(())
}

/// Internal mobility (issue 21): one open opening per 500 people (3 to
/// 200), each posted by a manager at its site for their own team, of the
/// level-2 roles in turn (Team Lead, Quality Analyst, Training Specialist,
/// and the lateral HR, logistics and vendor-management seats), closing in
/// 30 days; the first has up to 500 applications (CSRs of any site), the
/// others a few, so the ranked-applicants figure has its 500.
async fn openings(
    txn: &sea_orm::DatabaseTransaction,
    base_id: i64,
    today: NaiveDate,
) -> AppResult<()> {
    use crate::db::entities::{employee, enums as stored, opening};
    use sea_orm::{ConnectionTrait, PaginatorTrait, QueryOrder, Set};
    let ladder = Ladder::load(txn).await?;
    let managers = employee::Entity::find()
        .filter(employee::Column::Id.gt(base_id))
        .filter(employee::Column::AccessRole.eq(stored::AccessRole::Manager))
        .order_by_asc(employee::Column::Id)
        .all(txn)
        .await?;
    let employees = employee::Entity::find()
        .filter(employee::Column::Id.gt(base_id))
        .count(txn)
        .await?;
    if managers.is_empty() {
        return Ok(());
    }
    let roles: Vec<i64> = [
        "TEAM_LEAD",
        "QUALITY_ANALYST",
        "TRAINING_SPECIALIST",
        "HR_GENERALIST",
        "LOGISTICS_COORDINATOR",
        "VENDOR_MANAGER",
    ]
    .iter()
    .filter_map(|code| ladder.role_by_code(code).map(|r| r.id))
    .collect();
    let count = (employees / 500).clamp(3, 200) as usize;
    let arrangements = [
        stored::WorkArrangement::Onsite,
        stored::WorkArrangement::Hybrid,
        stored::WorkArrangement::Remote,
    ];
    let now = Utc::now();
    let rows: Vec<opening::ActiveModel> = (0..count)
        .map(|i| {
            let manager = &managers[i * 7 % managers.len()];
            opening::ActiveModel {
                job_role_id: Set(roles[i % roles.len()]),
                site: Set(manager.site.clone()),
                market: Set(manager.market.clone()),
                work_arrangement: Set(arrangements[i % arrangements.len()]),
                seats: Set(1 + (i % 3) as i32),
                filled: Set(0),
                closes_on: Set(today + chrono::Days::new(30)),
                status: Set("OPEN".to_owned()),
                not_yet_window_days: Set((i % 4 == 0).then_some(60)),
                posted_by_id: Set(manager.id),
                hiring_manager_id: Set(manager.id),
                created_at: Set(now),
                ..Default::default()
            }
        })
        .collect();
    opening::Entity::insert_many(rows).exec(txn).await?;
    let first = opening::Entity::find()
        .order_by_asc(opening::Column::Id)
        .one(txn)
        .await?
        .map(|o| (o.id, o.hiring_manager_id));
    let Some((first, hiring)) = first else {
        return Ok(());
    };
    let backend = txn.get_database_backend();
    let csr = ladder.role_by_code("CSR").map(|r| r.id).unwrap_or_default();
    for (sql, values) in [
        (
            "INSERT INTO application (opening_id, employee_id, status, note, created_at) \
             SELECT ?, e.id, 'APPLIED', 'Ready for the next step', ? FROM employee e \
             WHERE e.id > ? AND e.job_role_id = ? AND e.id <> ? ORDER BY e.id LIMIT 500",
            vec![
                first.into(),
                now.into(),
                base_id.into(),
                csr.into(),
                hiring.into(),
            ],
        ),
        (
            "INSERT INTO application (opening_id, employee_id, status, note, created_at) \
             SELECT o.id, e.id, 'APPLIED', NULL, ? FROM opening o \
             JOIN employee e ON e.id = (SELECT MIN(x.id) FROM employee x WHERE x.id > ? \
               AND x.job_role_id = ? AND x.site = o.site AND x.id <> o.hiring_manager_id) \
             WHERE o.id <> ?",
            vec![now.into(), base_id.into(), csr.into(), first.into()],
        ),
    ] {
        txn.execute_raw(sea_orm::Statement::from_sql_and_values(
            backend,
            crate::db::placeholders(backend, sql),
            values,
        ))
        .await?;
    }
    Ok(())
}

/// Succession (issue 21): every other person with a manager has a
/// potential their manager assessed a week ago (LOW, MEDIUM and HIGH in
/// turn), so the 9-box has people in every cell; at each site the two
/// senior-most Team Leads are confirmed by their manager as
/// ONE_TO_TWO_YEARS successors for the Operations Manager seat, next to
/// the engine's suggestions.
async fn succession(
    txn: &sea_orm::DatabaseTransaction,
    base_id: i64,
    today: NaiveDate,
) -> AppResult<()> {
    use sea_orm::ConnectionTrait;
    let ladder = Ladder::load(txn).await?;
    let backend = txn.get_database_backend();
    let now = Utc::now();
    let assessed_on = today - chrono::Days::new(7);
    txn.execute_raw(sea_orm::Statement::from_sql_and_values(
        backend,
        crate::db::placeholders(
            backend,
            "INSERT INTO potential_assessment (employee_id, potential, assessed_by_id, assessed_on, created_at) \
             SELECT e.id, CASE (e.id / 2) % 3 WHEN 0 THEN 'LOW' WHEN 1 THEN 'MEDIUM' ELSE 'HIGH' END, \
               e.manager_id, ?, ? FROM employee e \
             WHERE e.id > ? AND e.manager_id IS NOT NULL AND e.id % 2 = 0",
        ),
        vec![assessed_on.into(), now.into(), base_id.into()],
    ))
    .await?;
    let (Some(lead), Some(ops)) = (
        ladder.role_by_code("TEAM_LEAD").map(|r| r.id),
        ladder.role_by_code("OPERATIONS_MANAGER").map(|r| r.id),
    ) else {
        return Ok(());
    };
    txn.execute_raw(sea_orm::Statement::from_sql_and_values(
        backend,
        crate::db::placeholders(
            backend,
            "INSERT INTO successor (site, job_role_id, employee_id, readiness, confirmed_by_id, confirmed_at) \
             SELECT t.site, ?, t.id, 'ONE_TO_TWO_YEARS', t.manager_id, ? FROM \
               (SELECT e.site, e.id, e.manager_id, \
                  ROW_NUMBER() OVER (PARTITION BY e.site ORDER BY e.id) AS n \
                FROM employee e WHERE e.id > ? AND e.job_role_id = ? AND e.manager_id IS NOT NULL) t \
             WHERE t.n <= 2",
        ),
        vec![ops.into(), now.into(), base_id.into(), lead.into()],
    ))
    .await?;
    Ok(())
}

/// After the rows: everyone loaded before has their state recomputed (the
/// catalogue and the bands may change their answers; the new people's is
/// stored), then foreign keys checked, indexes restored and statistics
/// refreshed.
async fn finish(load: &mut Load<'_>, base_id: i64, state_day: NaiveDate) -> AppResult<()> {
    let db = load.db;
    let employees = load.progress.total;
    load.progress.show("eligibility", employees);
    let txn = db.begin_write().await?;
    crate::db::bulk::mark_loaded(&txn, base_id).await?;
    declare_genders(&txn, base_id).await?;
    part_time_hourly(&txn, base_id).await?;
    crate::services::pay::backfill_from_role_history(&txn, base_id).await?;
    merit_half_done(&txn, base_id, state_day).await?;
    openings(&txn, base_id, state_day).await?;
    succession(&txn, base_id, state_day).await?;
    txn.commit().await?;
    crate::services::eligibility_state::bring_up_to_date(db, state_day).await?;
    load.phases.end("eligibility state");
    crate::db::bulk::validate_foreign_keys(&db.conn).await?;
    load.phases.end("foreign keys");
    crate::db::bulk::restore_indexes(db).await?;
    load.phases.end("indexes");
    load.progress.show("done", employees);
    load.progress.finish();
    // In a write transaction, like every write here: SQLite's ANALYZE reads
    // and then writes its statistics (see `Db::begin_write`).
    let txn = db.begin_write().await?;
    if db.backend() == sea_orm::DatabaseBackend::Postgres {
        txn.execute_unprepared("ANALYZE").await?;
    } else {
        txn.execute_unprepared("PRAGMA optimize").await?;
    }
    txn.commit().await?;
    load.phases.end("analyze");
    Ok(())
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
        pay_basis: crate::db::entities::enums::PayBasis::Annual,
        fte_bp: crate::domain::pay_basis::FULL_TIME_BP,
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

/// A certificate before its dates and status are drawn.
struct CertSpec<'a> {
    kind: CertificationKind,
    name: String,
    belt: Option<SixSigmaBelt>,
    lang: Option<(&'a str, CefrLevel)>,
    valid_years: Option<u32>,
}

impl CertSpec<'_> {
    fn plain(kind: CertificationKind, name: &str, valid_years: Option<u32>) -> Self {
        CertSpec {
            kind,
            name: name.into(),
            belt: None,
            lang: None,
            valid_years,
        }
    }
}

/// Issues `spec` some day of the person's `service` days: expiring after
/// its validity, mostly verified, some pending or rejected.
fn issue(rng: &mut Rng, spec: CertSpec<'_>, service: i64, today: NaiveDate) -> CertFact {
    let issued_on = days_before(today, rng.range(0, service - 1));
    let expires_on = spec
        .valid_years
        .map(|y| add_months(issued_on, y * 12).unwrap_or(issued_on));
    let status = match rng.next() % 100 {
        0..=87 => CertificationStatus::Verified,
        88..=94 => CertificationStatus::Pending,
        _ => CertificationStatus::Rejected,
    };
    CertFact {
        kind: spec.kind,
        name: spec.name,
        belt: spec.belt,
        language: spec.lang.map(|l| l.0.to_owned()),
        cefr: spec.lang.map(|l| l.1),
        status,
        issued_on,
        expires_on,
    }
}

/// A Six Sigma belt, the lower ones likelier.
fn six_sigma(rng: &mut Rng) -> CertSpec<'static> {
    let belt = match rng.next() % 100 {
        0..=29 => SixSigmaBelt::White,
        30..=64 => SixSigmaBelt::Yellow,
        65..=89 => SixSigmaBelt::Green,
        90..=97 => SixSigmaBelt::Black,
        _ => SixSigmaBelt::MasterBlack,
    };
    CertSpec {
        kind: CertificationKind::SixSigma,
        name: format!("Six Sigma {} Belt", belt.as_str().to_lowercase()),
        belt: Some(belt),
        lang: None,
        valid_years: None,
    }
}

/// A second language at A2-C2 (B2 likeliest), valid two years or for good.
fn second_language<'a>(rng: &mut Rng, lang: &'a str) -> CertSpec<'a> {
    let level = [
        CefrLevel::A2,
        CefrLevel::B1,
        CefrLevel::B2,
        CefrLevel::B2,
        CefrLevel::C1,
        CefrLevel::C2,
    ][(rng.next() % 6) as usize];
    let valid_years = if rng.chance(0.5) { Some(2) } else { None };
    CertSpec {
        kind: CertificationKind::Language,
        name: format!("{} {}", lang.to_uppercase(), level.as_str()),
        belt: None,
        lang: Some((lang, level)),
        valid_years,
    }
}

/// A person's certificates: leadership training and a belt (likelier for
/// leaders), their market's first language as native, maybe other
/// languages of the market, and rarely CRM proficiency.
fn certificates_for(rng: &mut Rng, p: &Person, today: NaiveDate) -> Vec<CertFact> {
    let mut certs = Vec::new();
    let service = (today - p.hired_on).num_days().max(1);
    let leader = matches!(p.kind, Kind::TeamLead | Kind::OpsManager);
    if rng.chance(if leader { 0.9 } else { 0.35 }) {
        let spec = CertSpec::plain(
            CertificationKind::LeadershipTraining,
            "Bar Raiser leadership training",
            Some(3),
        );
        certs.push(issue(rng, spec, service, today));
    }
    if rng.chance(if leader { 0.6 } else { 0.3 }) {
        let spec = six_sigma(rng);
        certs.push(issue(rng, spec, service, today));
    }
    let languages = MARKETS[p.market].languages;
    let native = CertSpec {
        kind: CertificationKind::Language,
        name: format!("{} native", languages[0]),
        belt: None,
        lang: Some((languages[0], CefrLevel::C2)),
        valid_years: None,
    };
    certs.push(issue(rng, native, service, today));
    for lang in &languages[1..] {
        if rng.chance(0.3) {
            let spec = second_language(rng, lang);
            certs.push(issue(rng, spec, service, today));
        }
    }
    if rng.chance(0.1) {
        let spec = CertSpec::plain(CertificationKind::Other, "CRM proficiency", Some(2));
        certs.push(issue(rng, spec, service, today));
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
