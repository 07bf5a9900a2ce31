//! The demo organisation of `rungs serve --demo`: three sites in the Japan
//! market, about forty people (CSRs with a spread of tenures, certificates
//! and reviews; Team Leads; a QA analyst; a trainer; operations managers; HR;
//! an admin). Dates are relative to the day it is seeded, so the demo tells
//! the same story whenever it is started.

use std::collections::HashMap;

use chrono::{Months, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set};

use crate::auth::password;
use crate::db::entities::enums as stored;
use crate::db::entities::{
    certification, employee, performance_review, role_assignment, skill_assessment,
};
use crate::db::facts::Ladder;
use crate::db::Db;
use crate::error::{AppError, AppResult};

use super::seed::quarter_ends;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "rungs-demo-2026";

pub struct DemoLogin {
    pub email: String,
    pub name: String,
    pub what: String,
}

/// Seeds the demo organisation when there are no employees yet.
pub async fn seed_if_empty(db: &Db) -> AppResult<Option<Vec<DemoLogin>>> {
    if employee::Entity::find().count(&db.conn).await? > 0 {
        return Ok(None);
    }
    seed(db, Utc::now().date_naive()).await.map(Some)
}

pub fn print_logins(logins: &[DemoLogin]) {
    println!("Demo organisation seeded. Every demo login uses the password: {DEMO_PASSWORD}");
    for login in logins {
        println!("  {:<34} {:<20} {}", login.email, login.name, login.what);
    }
}

fn months_before(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_sub_months(Months::new(months)).unwrap_or(date)
}

struct Person<'a> {
    email: String,
    name: &'a str,
    access: stored::AccessRole,
    role: &'a str,
    manager: Option<i64>,
    site: &'a str,
    months_in_role: u32,
    extra_service_months: u32,
    salary: i64,
}

/// One demo CSR's story: (name, site index, months in role, ratings newest
/// first, certificates).
struct CsrStory<'a> {
    name: &'a str,
    site: usize,
    months_in_role: u32,
    ratings: &'a [f64],
    certs: &'a [Cert<'a>],
    salary: i64,
    what: &'a str,
}

/// An enum column's value from the stored text the demo script writes.
fn demo_text<E: sea_orm::ActiveEnum<Value = String>>(text: &str) -> AppResult<E> {
    E::try_from_value(&text.to_owned()).map_err(|e| AppError::internal_from("demo enum text", e))
}

#[derive(Clone, Copy)]
enum Cert<'a> {
    Leadership,
    Belt(&'a str),
    Lang(&'a str, &'a str),
    PendingBelt(&'a str),
    ExpiringLeadership,
}

const SITES: [&str; 3] = ["Tokyo", "Osaka", "Fukuoka"];

const CSRS: &[CsrStory<'static>] = &[
    CsrStory {
        name: "Yui Sato",
        site: 0,
        months_in_role: 14,
        ratings: &[4.5, 4.3],
        certs: &[Cert::Leadership],
        salary: 470_000,
        what: "CSR, ELIGIBLE for Team Lead on the fast track",
    },
    CsrStory {
        name: "Haruto Suzuki",
        site: 0,
        months_in_role: 10,
        ratings: &[4.2, 4.0],
        certs: &[Cert::Leadership],
        salary: 440_000,
        what: "CSR, NOT_YET: two months of tenure to go",
    },
    CsrStory {
        name: "Aoi Takahashi",
        site: 0,
        months_in_role: 20,
        ratings: &[3.4, 3.2],
        certs: &[Cert::Belt("YELLOW")],
        salary: 455_000,
        what: "CSR, ELIGIBLE for Quality Analyst (standard track)",
    },
    CsrStory {
        name: "Sota Tanaka",
        site: 0,
        months_in_role: 30,
        // Six quarters of reviews: eligible since well over six months.
        ratings: &[3.6, 3.5, 3.6, 3.5, 3.4, 3.6],
        certs: &[Cert::Leadership, Cert::Belt("GREEN")],
        salary: 520_000,
        what: "CSR, eligible for two years: STALLED",
    },
    CsrStory {
        name: "Hina Watanabe",
        site: 0,
        months_in_role: 26,
        ratings: &[2.6, 2.8],
        certs: &[],
        salary: 430_000,
        what: "CSR, INELIGIBLE: below the performance bar",
    },
    CsrStory {
        name: "Ren Ito",
        site: 0,
        months_in_role: 8,
        ratings: &[3.9],
        certs: &[Cert::Lang("ja", "C2"), Cert::Lang("en", "B2")],
        salary: 420_000,
        what: "CSR, NOT_YET for Training Specialist",
    },
    CsrStory {
        name: "Mio Yamamoto",
        site: 0,
        months_in_role: 19,
        ratings: &[3.8, 3.6],
        certs: &[Cert::PendingBelt("YELLOW")],
        salary: 450_000,
        what: "CSR, Yellow belt awaiting HR verification",
    },
    CsrStory {
        name: "Riku Nakamura",
        site: 0,
        months_in_role: 3,
        ratings: &[],
        certs: &[],
        salary: 400_000,
        what: "CSR, new hire with no reviews yet",
    },
    CsrStory {
        name: "Sakura Kobayashi",
        site: 0,
        months_in_role: 16,
        ratings: &[4.6, 4.4],
        certs: &[
            Cert::ExpiringLeadership,
            Cert::Lang("ja", "C2"),
            Cert::Lang("en", "C1"),
        ],
        salary: 480_000,
        what: "CSR, eligible; leadership certificate expiring soon",
    },
    CsrStory {
        name: "Yuto Kato",
        site: 0,
        months_in_role: 22,
        ratings: &[3.1, 3.3],
        certs: &[Cert::Lang("ja", "C2")],
        salary: 445_000,
        what: "CSR, needs a second language for Training Specialist",
    },
    CsrStory {
        name: "Koharu Yoshida",
        site: 1,
        months_in_role: 13,
        ratings: &[4.1, 4.0],
        certs: &[Cert::Leadership, Cert::Belt("WHITE")],
        salary: 460_000,
        what: "CSR (Osaka), ELIGIBLE for Team Lead",
    },
    CsrStory {
        name: "Minato Yamada",
        site: 1,
        months_in_role: 17,
        ratings: &[3.5, 3.7],
        certs: &[Cert::Leadership],
        salary: 450_000,
        what: "CSR (Osaka), one month short on the standard track",
    },
    CsrStory {
        name: "Himari Sasaki",
        site: 1,
        months_in_role: 35,
        ratings: &[3.0, 3.2],
        certs: &[Cert::Belt("BLACK")],
        salary: 540_000,
        what: "CSR (Osaka), eligible for QA",
    },
    CsrStory {
        name: "Itsuki Yamaguchi",
        site: 1,
        months_in_role: 6,
        ratings: &[3.2],
        certs: &[],
        salary: 410_000,
        what: "CSR (Osaka)",
    },
    CsrStory {
        name: "Tsumugi Matsumoto",
        site: 1,
        months_in_role: 24,
        ratings: &[2.9, 3.0],
        certs: &[Cert::Leadership],
        salary: 470_000,
        what: "CSR (Osaka), just under the bar",
    },
    CsrStory {
        name: "Asahi Inoue",
        site: 1,
        months_in_role: 11,
        ratings: &[4.8, 4.7],
        certs: &[Cert::Leadership, Cert::Belt("YELLOW")],
        salary: 455_000,
        what: "CSR (Osaka), fast track next month",
    },
    CsrStory {
        name: "Rin Kimura",
        site: 1,
        months_in_role: 40,
        ratings: &[3.3, 3.1],
        certs: &[],
        salary: 560_000,
        what: "CSR (Osaka), at the top of the CSR band",
    },
    CsrStory {
        name: "Hinata Hayashi",
        site: 1,
        months_in_role: 15,
        ratings: &[3.6, 3.4],
        certs: &[Cert::Lang("ja", "C1"), Cert::Lang("ko", "B2")],
        salary: 440_000,
        what: "CSR (Osaka), Training Specialist in three months",
    },
    CsrStory {
        name: "Kaito Shimizu",
        site: 2,
        months_in_role: 12,
        ratings: &[4.0, 4.0],
        certs: &[Cert::Leadership],
        salary: 450_000,
        what: "CSR (Fukuoka), eligible today on the fast track",
    },
    CsrStory {
        name: "Ema Yamazaki",
        site: 2,
        months_in_role: 27,
        ratings: &[3.4, 3.8],
        certs: &[
            Cert::Belt("GREEN"),
            Cert::Lang("ja", "C2"),
            Cert::Lang("zh", "B2"),
        ],
        salary: 500_000,
        what: "CSR (Fukuoka), eligible for QA and Training Specialist",
    },
    CsrStory {
        name: "Haruki Mori",
        site: 2,
        months_in_role: 9,
        ratings: &[2.4],
        certs: &[],
        salary: 405_000,
        what: "CSR (Fukuoka)",
    },
    CsrStory {
        name: "Akari Abe",
        site: 2,
        months_in_role: 18,
        ratings: &[3.0, 3.0],
        certs: &[Cert::Leadership],
        salary: 450_000,
        what: "CSR (Fukuoka), exactly at the bar and 18 months",
    },
    CsrStory {
        name: "Yuma Ikeda",
        site: 2,
        months_in_role: 5,
        ratings: &[3.7],
        certs: &[],
        salary: 400_000,
        what: "CSR (Fukuoka)",
    },
    CsrStory {
        name: "Nao Fujii",
        site: 2,
        months_in_role: 20,
        ratings: &[3.6, 3.5],
        certs: &[],
        salary: 455_000,
        what: "CSR, needs Bar Raiser and Coaching 3: see the plan",
    },
    CsrStory {
        name: "Mei Hashimoto",
        site: 2,
        months_in_role: 31,
        ratings: &[3.9, 3.7],
        certs: &[Cert::Leadership, Cert::Belt("YELLOW")],
        salary: 530_000,
        what: "CSR (Fukuoka), eligible for Team Lead and QA",
    },
];

fn email_of(name: &str) -> String {
    format!("{}@rungs.example", name.to_lowercase().replace(' ', "."))
}

/// One of the people above or beside the teams (everyone but the Team
/// Leads and CSRs) and what their login line says.
struct Staff {
    email: &'static str,
    name: &'static str,
    access: stored::AccessRole,
    role: &'static str,
    /// Index in `HEADS` of their manager.
    manager: Option<usize>,
    site: &'static str,
    months_in_role: u32,
    extra_service_months: u32,
    salary: i64,
    /// Months as a CSR before the role and the CSR salary, for those
    /// promoted from CSR (the only ones with a role history).
    was_csr: Option<(u32, i64)>,
    what: &'static str,
}

const ADMIN: usize = 0;
const OPS_TOKYO: usize = 2;
const OPS_OSAKA: usize = 3;

/// The admin, HR and the operations managers, seeded first.
const HEADS: &[Staff] = &[
    Staff {
        email: "admin@rungs.example",
        name: "Kenji Admin",
        access: stored::AccessRole::Admin,
        role: "HR_GENERALIST",
        manager: None,
        site: "Tokyo",
        months_in_role: 60,
        extra_service_months: 0,
        salary: 650_000,
        was_csr: None,
        what: "ADMIN: everything",
    },
    Staff {
        email: "hr@rungs.example",
        name: "Naomi Hoshino",
        access: stored::AccessRole::Hr,
        role: "HR_GENERALIST",
        manager: Some(ADMIN),
        site: "Tokyo",
        months_in_role: 40,
        extra_service_months: 20,
        salary: 600_000,
        was_csr: None,
        what: "HR: everyone; approves nominations",
    },
    Staff {
        email: "ops.tokyo@rungs.example",
        name: "Takeshi Ogawa",
        access: stored::AccessRole::Manager,
        role: "OPERATIONS_MANAGER",
        manager: Some(ADMIN),
        site: "Tokyo",
        months_in_role: 30,
        extra_service_months: 48,
        salary: 780_000,
        was_csr: None,
        what: "MANAGER: Operations Manager, Tokyo (whole chain)",
    },
    Staff {
        email: "ops.osaka@rungs.example",
        name: "Yoko Fujita",
        access: stored::AccessRole::Manager,
        role: "OPERATIONS_MANAGER",
        manager: Some(ADMIN),
        site: "Osaka",
        months_in_role: 22,
        extra_service_months: 40,
        salary: 720_000,
        was_csr: None,
        what: "MANAGER: Operations Manager, Osaka and Fukuoka",
    },
];

/// The Team Leads: (name, site index, their operations manager in `HEADS`).
const LEADS: &[(&str, usize, usize)] = &[
    ("Daichi Okada", 0, OPS_TOKYO),
    ("Nanami Goto", 0, OPS_TOKYO),
    ("Shun Hasegawa", 1, OPS_OSAKA),
    ("Ayaka Murakami", 2, OPS_OSAKA),
];

/// The specialists beside the teams, seeded after the Team Leads.
const SPECIALISTS: &[Staff] = &[
    Staff {
        email: "qa@rungs.example",
        name: "Kazuki Ishii",
        access: stored::AccessRole::Employee,
        role: "QUALITY_ANALYST",
        manager: Some(OPS_TOKYO),
        site: "Tokyo",
        months_in_role: 9,
        extra_service_months: 26,
        salary: 520_000,
        was_csr: Some((26, 430_000)),
        what: "EMPLOYEE: Quality Analyst",
    },
    Staff {
        email: "trainer@rungs.example",
        name: "Emi Maeda",
        access: stored::AccessRole::Employee,
        role: "TRAINING_SPECIALIST",
        manager: Some(OPS_OSAKA),
        site: "Osaka",
        months_in_role: 15,
        extra_service_months: 22,
        salary: 540_000,
        was_csr: Some((22, 440_000)),
        what: "EMPLOYEE: Training Specialist; runs the course sessions",
    },
];

/// Seeds the whole organisation in one transaction, as of `today`.
pub async fn seed(db: &Db, today: NaiveDate) -> AppResult<Vec<DemoLogin>> {
    let ladder = Ladder::load(&db.conn).await?;
    let hash = password::hash(DEMO_PASSWORD.to_owned()).await?;
    let txn = db.begin_write().await?;
    let mut seeder = Seeder {
        txn: &txn,
        hash: &hash,
        roles: &ladder,
        skills: crate::demo_courses::skill_ids(&ladder),
        now: Utc::now(),
        today,
        number: 0,
        staff: Vec::new(),
        logins: Vec::new(),
    };
    seeder.staff(HEADS).await?;
    let leads = seeder.leads().await?;
    seeder.staff(SPECIALISTS).await?;
    for (i, story) in CSRS.iter().enumerate() {
        let lead = match story.site {
            0 => &leads[i % 2],
            1 => &leads[2],
            _ => &leads[3],
        };
        seeder.csr(i, story, lead).await?;
    }
    let trainer = seeder.trainer()?;
    let logins = seeder.logins;
    crate::demo_courses::add(&txn, &ladder, today, trainer).await?;
    crate::services::pay::backfill_from_role_history(&txn, 0).await?;
    pay_stories(&txn, &ladder, today).await?;
    merit_story(&txn, &ladder, today).await?;
    mobility_story(&txn, &ladder, today).await?;
    succession_story(&txn, &ladder, today).await?;
    txn.commit().await?;
    crate::services::eligibility_state::bring_up_to_date(db, chrono::Utc::now().date_naive())
        .await?;
    Ok(logins)
}

/// A demo person by their email.
async fn by_email(
    txn: &sea_orm::DatabaseTransaction,
    email: &str,
) -> Result<Option<employee::Model>, sea_orm::DbErr> {
    use sea_orm::{ColumnTrait, QueryFilter};
    employee::Entity::find()
        .filter(employee::Column::Email.eq(email))
        .one(txn)
        .await
}

/// Internal mobility (issue 21): Takeshi (Operations Manager, Tokyo) has
/// posted a hybrid Team Lead seat in Tokyo; Naomi (HR) has posted a
/// Vendor Manager seat in Osaka (a LATERAL step from CSR) for Yoko, which
/// Koharu (CSR in Osaka) has applied to, and a Tokyo Quality Analyst seat
/// that takes people within 60 days of eligibility. The e2e story has
/// Koharu apply for the Team Lead seat in Tokyo and move there.
async fn mobility_story(
    txn: &sea_orm::DatabaseTransaction,
    ladder: &Ladder,
    today: NaiveDate,
) -> AppResult<()> {
    use crate::db::entities::enums::WorkArrangement;
    use crate::db::entities::{application, opening};
    let person = |email: &'static str| by_email(txn, email);
    let (Some(takeshi), Some(naomi), Some(yoko), Some(koharu)) = (
        person("ops.tokyo@rungs.example").await?,
        person("hr@rungs.example").await?,
        person("ops.osaka@rungs.example").await?,
        person("koharu.yoshida@rungs.example").await?,
    ) else {
        return Ok(());
    };
    let closes_on = today + chrono::Days::new(30);
    let seats = [
        (
            "TEAM_LEAD",
            "Tokyo",
            WorkArrangement::Hybrid,
            &takeshi,
            &takeshi,
            None,
        ),
        (
            "VENDOR_MANAGER",
            "Osaka",
            WorkArrangement::Onsite,
            &naomi,
            &yoko,
            None,
        ),
        (
            "QUALITY_ANALYST",
            "Tokyo",
            WorkArrangement::Remote,
            &naomi,
            &takeshi,
            Some(60),
        ),
    ];
    let mut posted = Vec::new();
    for (role, site, arrangement, by, hiring, window) in seats {
        let role_id = ladder
            .role_by_code(role)
            .map(|r| r.id)
            .ok_or_else(|| AppError::internal("demo role missing"))?;
        posted.push(
            opening::ActiveModel {
                job_role_id: Set(role_id),
                site: Set(site.to_owned()),
                market: Set("JP".to_owned()),
                work_arrangement: Set(arrangement),
                seats: Set(1),
                filled: Set(0),
                closes_on: Set(closes_on),
                status: Set("OPEN".to_owned()),
                not_yet_window_days: Set(window),
                posted_by_id: Set(by.id),
                hiring_manager_id: Set(hiring.id),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(txn)
            .await?,
        );
    }
    application::ActiveModel {
        opening_id: Set(posted[1].id),
        employee_id: Set(koharu.id),
        status: Set("APPLIED".to_owned()),
        note: Set(Some("Vendor management interests me.".to_owned())),
        reason: Set(None),
        created_at: Set(Utc::now()),
        decided_at: Set(None),
        decided_by_id: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Succession (issue 21): Takeshi (Tokyo) and Yoko (Osaka) assessed the
/// potential of everyone in their chains a week ago (HIGH, MEDIUM and LOW
/// in turn: the 9-box has people in most cells); Takeshi confirmed his
/// senior-most Team Lead as a ONE_TO_TWO_YEARS successor for his own seat
/// and Riku as READY_NOW for the next Team Lead seat in Tokyo; the engine
/// suggests the rest.
async fn succession_story(
    txn: &sea_orm::DatabaseTransaction,
    ladder: &Ladder,
    today: NaiveDate,
) -> AppResult<()> {
    use crate::db::entities::{potential_assessment, successor};
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    let person = |email: &'static str| by_email(txn, email);
    let (Some(takeshi), Some(yoko), Some(riku)) = (
        person("ops.tokyo@rungs.example").await?,
        person("ops.osaka@rungs.example").await?,
        person("riku.nakamura@rungs.example").await?,
    ) else {
        return Ok(());
    };
    let levels = ["HIGH", "MEDIUM", "LOW"];
    for head in [&takeshi, &yoko] {
        let chain = employee::Entity::find()
            .filter(crate::db::scope::in_chain("employee.id", head.id))
            .order_by_asc(employee::Column::Id)
            .all(txn)
            .await?;
        for (i, member) in chain.iter().enumerate() {
            potential_assessment::ActiveModel {
                employee_id: Set(member.id),
                potential: Set(levels[i % levels.len()].to_owned()),
                assessed_by_id: Set(member.manager_id.unwrap_or(head.id)),
                assessed_on: Set(today - chrono::Days::new(7)),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(txn)
            .await?;
        }
    }
    let (Some(lead), Some(ops)) = (
        ladder.role_by_code("TEAM_LEAD"),
        ladder.role_by_code("OPERATIONS_MANAGER"),
    ) else {
        return Ok(());
    };
    let senior_lead = employee::Entity::find()
        .filter(employee::Column::ManagerId.eq(takeshi.id))
        .filter(employee::Column::JobRoleId.eq(lead.id))
        .order_by_asc(employee::Column::HiredOn)
        .one(txn)
        .await?;
    let mut confirmed = vec![(riku.id, lead.id, "READY_NOW")];
    if let Some(senior) = senior_lead {
        confirmed.push((senior.id, ops.id, "ONE_TO_TWO_YEARS"));
    }
    for (employee_id, role_id, readiness) in confirmed {
        successor::ActiveModel {
            site: Set("Tokyo".to_owned()),
            job_role_id: Set(role_id),
            employee_id: Set(employee_id),
            readiness: Set(readiness.to_owned()),
            confirmed_by_id: Set(takeshi.id),
            confirmed_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// A merit cycle half done (issue 20): Kenji (ADMIN) opened "2027 merit
/// review" with 3 % budgets per site, effective today; the Team Leads have
/// proposed raises, at the matrix's lowest guided percent, for every other
/// CSR (not Yui, whose promotion is the e2e story, nor Aoi, whose merit
/// raise waits as a pay change). Naomi (HR) can close it.
async fn merit_story(
    txn: &sea_orm::DatabaseTransaction,
    ladder: &Ladder,
    today: NaiveDate,
) -> AppResult<()> {
    use crate::db::entities::{merit_budget, merit_proposal};
    use crate::services::merit;
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    let Some(admin) = employee::Entity::find()
        .filter(employee::Column::Email.eq("admin@rungs.example"))
        .one(txn)
        .await?
    else {
        return Ok(());
    };
    let payroll = merit::payroll_by_scope(txn, ladder, merit::BudgetBy::Site, None, today).await?;
    let matrix = crate::domain::merit::default_matrix();
    let (cycle, _) = merit::create(
        txn,
        admin.id,
        merit::NewCycle {
            name: "2027 merit review".into(),
            effective_on: today,
            budget_bp: 300,
            budget_by: merit::BudgetBy::Site,
            market: None,
        },
        payroll,
        &matrix,
    )
    .await?;
    let Some(csr) = ladder.role_by_code("CSR") else {
        return Ok(());
    };
    let csrs = employee::Entity::find()
        .filter(employee::Column::JobRoleId.eq(csr.id))
        .order_by_asc(employee::Column::Id)
        .all(txn)
        .await?;
    let skip = ["yui.sato@rungs.example", "aoi.takahashi@rungs.example"];
    for person in csrs
        .iter()
        .filter(|p| !skip.contains(&p.email.as_str()))
        .step_by(2)
    {
        let Some(lead) = person.manager_id else {
            continue;
        };
        let advice = merit::advice_for(txn, ladder, &matrix, person, today).await?;
        let (percent_bp, justification) = match advice.guideline {
            Some(g) => (g.min_bp, None),
            None => (200, Some("New in the role: a steady start".to_owned())),
        };
        if percent_bp == 0 {
            continue;
        }
        let Some(new_minor) = crate::domain::money::apply_raise(person.salary_minor, percent_bp)
        else {
            continue;
        };
        let terms = ladder.pay_terms(person);
        let (Some(after), Some(before)) = (
            terms.annualise(new_minor),
            terms.annualise(person.salary_minor),
        ) else {
            continue;
        };
        let Some(budget) = merit_budget::Entity::find()
            .filter(merit_budget::Column::CycleId.eq(cycle.id))
            .filter(merit_budget::Column::Scope.eq(person.site.as_str()))
            .filter(merit_budget::Column::Currency.eq(person.currency.as_str()))
            .one(txn)
            .await?
        else {
            continue;
        };
        let charged = after - before;
        if budget.used_minor + charged > budget.budget_minor {
            continue;
        }
        let now = Utc::now();
        merit_proposal::ActiveModel {
            cycle_id: Set(cycle.id),
            employee_id: Set(person.id),
            budget_id: Set(budget.id),
            percent_bp: Set(percent_bp),
            before_minor: Set(person.salary_minor),
            new_minor: Set(new_minor),
            currency: Set(person.currency.clone()),
            charged_minor: Set(charged),
            justification: Set(justification),
            proposed_by_id: Set(lead),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        let used = budget.used_minor + charged;
        let mut budget: merit_budget::ActiveModel = budget.into();
        budget.used_minor = Set(used);
        budget.update(txn).await?;
    }
    Ok(())
}

/// Pay (issue 20): the Team Lead band grants equity; most people declared
/// a gender (so HR's `payGapReport`
/// has figures; every seventh did not say), and Aoi Takahashi's Team Lead
/// proposed a 3 % merit raise that waits for HR (`payChanges(status:
/// PROPOSED)`, `decidePayChange`).
async fn pay_stories(
    txn: &sea_orm::DatabaseTransaction,
    ladder: &Ladder,
    today: NaiveDate,
) -> AppResult<()> {
    use crate::db::entities::{employee_gender, pay_change};
    use sea_orm::{IntoActiveModel, QueryOrder};
    // The demo's Team Lead band also grants equity, so approving Yui's
    // promotion tells the whole story: a raise, a 10 % bonus target and
    // 500 units vesting over four years after a one-year cliff.
    if let Some(band) = ladder
        .roles
        .iter()
        .find(|r| r.code == "TEAM_LEAD")
        .and_then(|r| ladder.band(r.id, "JP"))
    {
        let mut band = band.clone().into_active_model();
        band.equity_units = Set(Some(500));
        band.equity_vesting_months = Set(Some(48));
        band.equity_cliff_months = Set(Some(12));
        band.update(txn).await?;
    }
    let people = employee::Entity::find()
        .order_by_asc(employee::Column::Id)
        .all(txn)
        .await?;
    for (i, person) in people.iter().enumerate() {
        if i % 7 == 6 {
            continue;
        }
        employee_gender::ActiveModel {
            employee_id: Set(person.id),
            gender: Set(if i % 2 == 0 {
                stored::Gender::Woman
            } else {
                stored::Gender::Man
            }),
            declared_by_id: Set(person.id),
            updated_at: Set(Utc::now()),
        }
        .insert(txn)
        .await?;
    }
    // Riku works half time, paid by the hour: ¥220 an hour is ¥457,600 a
    // year full time (2,080 hours), a compa-ratio of 0.95 in the CSR band.
    if let Some(riku) = people
        .iter()
        .find(|p| p.email == "riku.nakamura@rungs.example")
    {
        use crate::db::entities::role_assignment;
        use sea_orm::{ColumnTrait, QueryFilter};
        let mut active = riku.clone().into_active_model();
        active.pay_basis = Set(stored::PayBasis::Hourly);
        active.fte_bp = Set(5_000);
        active.salary_minor = Set(220);
        active.update(txn).await?;
        for row in role_assignment::Entity::find()
            .filter(role_assignment::Column::EmployeeId.eq(riku.id))
            .all(txn)
            .await?
        {
            let mut row = row.into_active_model();
            row.salary_minor = Set(220);
            row.update(txn).await?;
        }
    }
    let Some(aoi) = people
        .iter()
        .find(|p| p.email == "aoi.takahashi@rungs.example")
    else {
        return Ok(());
    };
    let Some(lead) = aoi.manager_id else {
        return Ok(());
    };
    let band_max = ladder
        .band(aoi.job_role_id, &aoi.market)
        .filter(|b| b.currency == aoi.currency)
        .map_or(i64::MAX, |b| b.max_minor);
    let raised = (crate::domain::money::apply_raise(aoi.salary_minor, 300)
        .unwrap_or(aoi.salary_minor)
        / 1000
        * 1000)
        .min(band_max);
    if raised > aoi.salary_minor && today >= aoi.role_since {
        pay_change::ActiveModel {
            employee_id: Set(aoi.id),
            reason: Set(stored::PayChangeReason::Merit),
            status: Set(stored::PayChangeStatus::Proposed),
            before_minor: Set(aoi.salary_minor),
            after_minor: Set(raised),
            currency: Set(aoi.currency.clone()),
            effective_on: Set(today),
            proposed_by_id: Set(Some(lead)),
            decided_by_id: Set(None),
            note: Set(Some("Top CSAT for three quarters running".into())),
            override_reason: Set(None),
            nomination_id: Set(None),
            created_at: Set(Utc::now()),
            decided_at: Set(None),
            before_basis: Set(aoi.pay_basis),
            before_fte_bp: Set(aoi.fte_bp),
            pay_basis: Set(aoi.pay_basis),
            fte_bp: Set(aoi.fte_bp),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// Skills every demo CSR's lead has assessed, at this level.
const DEMO_SKILLS: &[(&str, i32)] = &[
    ("Coaching", 3),
    ("Conflict resolution", 3),
    ("Process optimization", 3),
    ("Active listening", 4),
];

/// A skill assessment: at what level, by whom (`source` and the assessor)
/// and when.
struct Assessed<'a> {
    skill: &'a str,
    level: i32,
    source: stored::AssessmentSource,
    on: NaiveDate,
    assessor: i64,
}

struct Seeder<'a> {
    txn: &'a sea_orm::DatabaseTransaction,
    hash: &'a str,
    roles: &'a Ladder,
    skills: HashMap<String, i64>,
    now: chrono::DateTime<Utc>,
    today: NaiveDate,
    number: u32,
    /// The people of `HEADS` and then `SPECIALISTS`, as seeded.
    staff: Vec<employee::Model>,
    logins: Vec<DemoLogin>,
}

impl Seeder<'_> {
    fn role_id(&self, code: &str) -> AppResult<i64> {
        self.roles
            .role_by_code(code)
            .map(|r| r.id)
            .ok_or_else(|| AppError::internal(format!("seeded role {code} missing")))
    }

    fn login(&mut self, person: &employee::Model, what: String) {
        self.logins.push(DemoLogin {
            email: person.email.clone(),
            name: person.name.clone(),
            what,
        });
    }

    async fn insert(&mut self, person: Person<'_>) -> AppResult<employee::Model> {
        self.number += 1;
        let number = self.number;
        let role_since = months_before(self.today, person.months_in_role);
        let hired_on = months_before(role_since, person.extra_service_months);
        let model = employee::ActiveModel {
            employee_number: Set(format!("JP{number:05}")),
            name: Set(person.name.to_owned()),
            email: Set(person.email),
            password_hash: Set(Some(self.hash.to_owned())),
            access_role: Set(person.access),
            job_role_id: Set(self.role_id(person.role)?),
            manager_id: Set(person.manager),
            site: Set(person.site.to_owned()),
            market: Set("JP".into()),
            work_arrangement: Set(if number % 4 == 0 {
                stored::WorkArrangement::Hybrid
            } else {
                stored::WorkArrangement::Onsite
            }),
            employment_type: Set(if number % 9 == 0 {
                stored::EmploymentType::PartTime
            } else {
                stored::EmploymentType::FullTime
            }),
            hired_on: Set(hired_on),
            role_since: Set(role_since),
            salary_minor: Set(person.salary),
            currency: Set("JPY".into()),
            created_at: Set(self.now),
            updated_at: Set(self.now),
            ..Default::default()
        }
        .insert(self.txn)
        .await?;
        Ok(model)
    }

    /// Seeds `table` in order, with a role history for those who were
    /// CSRs, and keeps them in `staff`.
    async fn staff(&mut self, table: &[Staff]) -> AppResult<()> {
        for s in table {
            let manager = s.manager.map(|i| self.staff[i].id);
            let person = self
                .insert(Person {
                    email: s.email.into(),
                    name: s.name,
                    access: s.access,
                    role: s.role,
                    manager,
                    site: s.site,
                    months_in_role: s.months_in_role,
                    extra_service_months: s.extra_service_months,
                    salary: s.salary,
                })
                .await?;
            if let Some((months, salary)) = s.was_csr {
                let since = months_before(person.role_since, months);
                history(self.txn, &person, self.role_id("CSR")?, since, salary).await?;
            }
            self.login(&person, s.what.into());
            self.staff.push(person);
        }
        Ok(())
    }

    /// The Training Specialist who runs the course sessions.
    fn trainer(&self) -> AppResult<Option<i64>> {
        let role = self.role_id("TRAINING_SPECIALIST")?;
        Ok(self
            .staff
            .iter()
            .find(|p| p.job_role_id == role)
            .map(|p| p.id))
    }

    /// The Team Leads: promoted from CSR twenty months before, the longer
    /// in the role the better paid, with four good reviews.
    async fn leads(&mut self) -> AppResult<Vec<employee::Model>> {
        let mut leads = Vec::new();
        for (i, (name, site, boss)) in LEADS.iter().enumerate() {
            let boss = self.staff[*boss].id;
            let lead = self
                .insert(Person {
                    email: email_of(name),
                    name,
                    access: stored::AccessRole::Manager,
                    role: "TEAM_LEAD",
                    manager: Some(boss),
                    site: SITES[*site],
                    months_in_role: 14 + 7 * i as u32,
                    extra_service_months: 20,
                    salary: 560_000 + 20_000 * i as i64,
                })
                .await?;
            history(
                self.txn,
                &lead,
                self.role_id("CSR")?,
                months_before(lead.role_since, 20),
                lead.salary_minor * 10 / 12,
            )
            .await?;
            reviews(
                self.txn,
                &lead,
                self.today,
                &[3.8, 3.9, 3.7, 4.0],
                Some(boss),
            )
            .await?;
            self.login(&lead, format!("MANAGER: Team Lead, {}", SITES[*site]));
            leads.push(lead);
        }
        Ok(leads)
    }

    /// The `i`th CSR of `CSRS` under `lead`: role history, reviews,
    /// certificates and assessments; a login line for the stories worth
    /// trying.
    async fn csr(
        &mut self,
        i: usize,
        story: &CsrStory<'_>,
        lead: &employee::Model,
    ) -> AppResult<()> {
        let csr = self
            .insert(Person {
                email: email_of(story.name),
                name: story.name,
                access: stored::AccessRole::Employee,
                role: "CSR",
                manager: Some(lead.id),
                site: SITES[story.site],
                months_in_role: story.months_in_role,
                extra_service_months: 0,
                salary: story.salary,
            })
            .await?;
        history(
            self.txn,
            &csr,
            self.role_id("CSR")?,
            csr.role_since,
            csr.salary_minor,
        )
        .await?;
        reviews(self.txn, &csr, self.today, story.ratings, Some(lead.id)).await?;
        for cert in story.certs {
            certificate(self.txn, &csr, *cert, self.today).await?;
        }
        self.assessments(&csr, story, lead.id).await?;
        if i < 6 || i == 10 || i == 18 || story.name == "Nao Fujii" {
            self.login(&csr, format!("EMPLOYEE: {}", story.what));
        }
        Ok(())
    }

    /// Manager assessments a month into the role (before any tenure date,
    /// so they never move an eligibleOn), lower for a CSR whose last review
    /// is below 2.5; Nao Fujii's coaching is the story of the development
    /// plan.
    async fn assessments(
        &self,
        csr: &employee::Model,
        story: &CsrStory<'_>,
        lead: i64,
    ) -> AppResult<()> {
        let on = csr
            .role_since
            .checked_add_months(Months::new(1))
            .unwrap_or(csr.role_since)
            .min(self.today);
        for (skill, mut level) in DEMO_SKILLS {
            if story.name == "Nao Fujii" && *skill == "Coaching" {
                level = 2;
                let by_herself = Assessed {
                    skill,
                    level: 3,
                    source: stored::AssessmentSource::SelfAssessed,
                    on,
                    assessor: csr.id,
                };
                self.assess(csr, by_herself).await?;
            }
            if story.ratings.first().is_some_and(|r| *r < 2.5) {
                level = 2;
            }
            let by_lead = Assessed {
                skill,
                level,
                source: stored::AssessmentSource::Manager,
                on,
                assessor: lead,
            };
            self.assess(csr, by_lead).await?;
        }
        Ok(())
    }

    async fn assess(&self, who: &employee::Model, a: Assessed<'_>) -> AppResult<()> {
        let Some(&skill_id) = self.skills.get(a.skill) else {
            return Err(AppError::internal("a demo skill is missing"));
        };
        skill_assessment::ActiveModel {
            employee_id: Set(who.id),
            skill_id: Set(skill_id),
            level: Set(a.level),
            source: Set(a.source),
            assessed_on: Set(a.on),
            assessor_id: Set(Some(a.assessor)),
            note: Set(None),
            created_at: Set(self.now),
            ..Default::default()
        }
        .insert(self.txn)
        .await?;
        Ok(())
    }
}

/// A closed role-history row (the role before the current one) and the
/// current one.
async fn history(
    txn: &sea_orm::DatabaseTransaction,
    person: &employee::Model,
    earlier_role: i64,
    earlier_start: NaiveDate,
    earlier_salary: i64,
) -> AppResult<()> {
    if earlier_role != person.job_role_id {
        role_assignment::ActiveModel {
            employee_id: Set(person.id),
            job_role_id: Set(earlier_role),
            started_on: Set(earlier_start),
            ended_on: Set(Some(person.role_since)),
            salary_minor: Set(earlier_salary),
            currency: Set(person.currency.clone()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    role_assignment::ActiveModel {
        employee_id: Set(person.id),
        job_role_id: Set(person.job_role_id),
        started_on: Set(person.role_since),
        ended_on: Set(None),
        salary_minor: Set(person.salary_minor),
        currency: Set(person.currency.clone()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}

/// Quarterly reviews, newest first, only for quarters after the hire date.
async fn reviews(
    txn: &sea_orm::DatabaseTransaction,
    person: &employee::Model,
    today: NaiveDate,
    ratings: &[f64],
    reviewer: Option<i64>,
) -> AppResult<()> {
    let ends = quarter_ends(today, ratings.len());
    for (k, (end, rating)) in ends.iter().zip(ratings).enumerate() {
        if *end <= person.hired_on {
            continue;
        }
        let k = k as f64;
        performance_review::ActiveModel {
            employee_id: Set(person.id),
            period_end: Set(*end),
            rating: Set(*rating),
            csat: Set(Some(78.0 + rating * 4.0 - k)),
            avg_response_seconds: Set(Some((95.0 - rating * 8.0 + k * 3.0) as i32)),
            resolution_accuracy: Set(Some(82.0 + rating * 3.0)),
            interactions_per_day: Set(Some(50.0 + rating * 4.0)),
            recorded_by_id: Set(reviewer),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

async fn certificate(
    txn: &sea_orm::DatabaseTransaction,
    person: &employee::Model,
    cert: Cert<'_>,
    today: NaiveDate,
) -> AppResult<()> {
    let issued = months_before(today, 7);
    let (kind, name, belt, language, cefr, status, expires) = match cert {
        Cert::Leadership => (
            stored::CertificationKind::LeadershipTraining,
            "Bar Raiser leadership training".to_owned(),
            None,
            None,
            None,
            stored::CertificationStatus::Verified,
            None,
        ),
        Cert::ExpiringLeadership => (
            stored::CertificationKind::LeadershipTraining,
            "Bar Raiser leadership training".to_owned(),
            None,
            None,
            None,
            stored::CertificationStatus::Verified,
            today.checked_add_days(chrono::Days::new(45)),
        ),
        Cert::Belt(belt) => (
            stored::CertificationKind::SixSigma,
            format!("Six Sigma {} Belt", belt.to_lowercase()),
            Some(belt),
            None,
            None,
            stored::CertificationStatus::Verified,
            None,
        ),
        Cert::PendingBelt(belt) => (
            stored::CertificationKind::SixSigma,
            format!("Six Sigma {} Belt", belt.to_lowercase()),
            Some(belt),
            None,
            None,
            stored::CertificationStatus::Pending,
            None,
        ),
        Cert::Lang(lang, level) => (
            stored::CertificationKind::Language,
            format!("{} {level}", lang.to_uppercase()),
            None,
            Some(lang),
            Some(level),
            stored::CertificationStatus::Verified,
            None,
        ),
    };
    certification::ActiveModel {
        employee_id: Set(person.id),
        kind: Set(kind),
        name: Set(name),
        belt: Set(belt.map(demo_text).transpose()?),
        language: Set(language.map(str::to_owned)),
        cefr: Set(cefr.map(demo_text).transpose()?),
        issued_on: Set(issued.max(person.hired_on)),
        expires_on: Set(expires),
        status: Set(status),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    Ok(())
}
