//! Succession (issue 21): who could fill a site's leadership seats next,
//! the 9-box, and bench strength.
//!
//! - **Slates.** Each site has a slate per leadership role (Team Lead,
//!   Operations Manager): the successors HR or a manager confirmed, with
//!   the readiness they confirmed, then the engine's suggestions: people at
//!   the site on a role a ladder step leads from, whose standing on `asOf`
//!   (the one engine, as for openings) is ELIGIBLE (READY_NOW) or NOT_YET
//!   within 24 months (ONE_TO_TWO_YEARS), ranked as applicants are
//!   (`domain::mobility::rank`). At most [`bounds::SUCCESSORS`] a slate.
//! - **9-box.** Performance is the engine's rating on `asOf` (4.00 and up
//!   HIGH, 3.00 and up MEDIUM, else LOW); potential is the latest
//!   assessment on or before `asOf`. People with neither are left out.
//! - **Bench strength** (`Dashboard.benchStrength`): per site, the Team
//!   Lead seats its CSRs need (one per 15 at most), the READY_NOW
//!   successors on its Team Lead slate, and the shortfall against the
//!   larger of the open seats and the next two openings.
//!
//! Who: HR everyone; a MANAGER their reporting chain; an EMPLOYEE nothing
//! (`auth::policy::succession_scope`).

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

use crate::auth::{policy, Principal};
use crate::db::entities::{employee, potential_assessment, successor};
use crate::db::facts::{facts_of, Ladder};
use crate::db::{scope, Db};
use crate::domain::bounds;
use crate::domain::eligibility::rating_as_of;
use crate::domain::mobility::{self, PotentialLevel, Readiness, Standing};
use crate::error::{AppError, AppResult};
use crate::services::{audit, progression, validate};

/// The leadership roles that have slates.
pub const LEADERSHIP_ROLES: [&str; 2] = ["TEAM_LEAD", "OPERATIONS_MANAGER"];

/// The leadership role `raw` names, as its code and id; BAD_USER_INPUT for
/// any other role.
fn leadership_role(ladder: &Ladder, raw: &str) -> AppResult<(&'static str, i64)> {
    let code = raw.trim();
    let Some(code) = LEADERSHIP_ROLES.iter().copied().find(|c| *c == code) else {
        return Err(AppError::bad_input(format!(
            "slates are for leadership roles ({}), not {code:?}",
            LEADERSHIP_ROLES.join(", ")
        )));
    };
    let role = ladder
        .role_by_code(code)
        .ok_or_else(|| crate::services::catalog::unknown_role(code))?;
    Ok((code, role.id))
}

/// The principal's relation to someone they plan for, in one statement at
/// most: NOT_FOUND when they may not see that person at all.
async fn relation_to(
    db: &Db,
    principal: &Principal,
    employee_id: i64,
) -> AppResult<policy::Relation> {
    let rel = policy::relation(&db.conn, principal, employee_id).await?;
    if !policy::may_view_private(rel) {
        return Err(policy::hidden("employee"));
    }
    Ok(rel)
}

/// The ladder steps into any of `roles`, and the roles they lead from.
fn steps_into(ladder: &Ladder, roles: &[i64]) -> (HashSet<i64>, Vec<i64>) {
    let steps: Vec<_> = ladder
        .steps
        .iter()
        .filter(|s| roles.contains(&s.to_role_id))
        .collect();
    let from: HashSet<i64> = steps.iter().map(|s| s.from_role_id).collect();
    (
        steps.iter().map(|s| s.id).collect(),
        from.into_iter().collect(),
    )
}

/// Today's stored state (brought up to date first) of the people on
/// `from_roles` (at `site`, in `chain`) whose option for one of `steps` is
/// in one of `statuses`: the engine's answer without running it.
async fn stored_reaching(
    db: &Db,
    today: NaiveDate,
    (steps, from_roles): &(HashSet<i64>, Vec<i64>),
    site: Option<&str>,
    chain: Option<i64>,
    statuses: &[crate::domain::enums::EligibilityStatus],
) -> AppResult<Vec<crate::db::eligibility_state::SiteOptions>> {
    crate::services::eligibility_state::bring_up_to_date(db, today).await?;
    let rows = crate::db::eligibility_state::site_options(
        &db.conn,
        today,
        from_roles,
        site,
        &crate::db::dashboard::chain_filter(chain, "employee_id"),
    )
    .await?;
    Ok(rows
        .into_iter()
        .filter(|row| {
            crate::domain::eligibility_state::decode_options(&row.options)
                .unwrap_or_default()
                .iter()
                .any(|o| steps.contains(&o.step_id) && statuses.contains(&o.status))
        })
        .collect())
}

/// One person on a slate.
#[derive(Debug, Clone)]
pub struct Successor {
    pub employee: employee::Model,
    pub readiness: Readiness,
    /// Suggested by the engine, not confirmed by anyone.
    pub suggested: bool,
    pub confirmed_by_id: Option<i64>,
}

/// The successors for one leadership role at one site.
#[derive(Debug, Clone)]
pub struct Slate {
    pub site: String,
    pub role_code: String,
    pub successors: Vec<Successor>,
}

/// Records `potential` for someone (a manager above or HR; never one's
/// own), dated today, audited. Returns the person.
pub async fn assess_potential(
    db: &Db,
    principal: &Principal,
    employee_id: i64,
    potential: PotentialLevel,
) -> AppResult<employee::Model> {
    policy::may_assess_potential(relation_to(db, principal, employee_id).await?)?;
    let txn = db.begin_write().await?;
    let person = crate::db::records::employees_by_id(&txn, &[employee_id])
        .await?
        .remove(&employee_id)
        .ok_or_else(|| policy::hidden("employee"))?;
    let before = latest_potential(&txn, &[employee_id], Utc::now().date_naive())
        .await?
        .remove(&employee_id);
    potential_assessment::ActiveModel {
        employee_id: Set(employee_id),
        potential: Set(potential.as_str().to_owned()),
        assessed_by_id: Set(principal.employee_id),
        assessed_on: Set(Utc::now().date_naive()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        Some(principal.employee_id),
        "ASSESS_POTENTIAL",
        "employee",
        employee_id,
        json!({ "before": before.map(|p| p.as_str()), "after": potential.as_str() }),
    )
    .await?;
    txn.commit().await?;
    Ok(person)
}

/// The potential on `as_of` from someone's assessments (oldest first):
/// the latest assessed on or before that day.
pub fn potential_on(
    history: &[potential_assessment::Model],
    as_of: NaiveDate,
) -> Option<PotentialLevel> {
    history
        .iter()
        .rev()
        .filter(|a| a.assessed_on <= as_of)
        .find_map(|a| PotentialLevel::parse(&a.potential))
}

/// Each person's potential on `as_of` ([`potential_on`]).
pub async fn latest_potential<C: sea_orm::ConnectionTrait>(
    db: &C,
    ids: &[i64],
    as_of: NaiveDate,
) -> AppResult<HashMap<i64, PotentialLevel>> {
    let mut history: HashMap<i64, Vec<potential_assessment::Model>> = HashMap::new();
    for chunk in ids.chunks(10_000) {
        let rows = potential_assessment::Entity::find()
            .filter(potential_assessment::Column::EmployeeId.is_in(chunk.iter().copied()))
            .filter(potential_assessment::Column::AssessedOn.lte(as_of))
            .order_by_asc(potential_assessment::Column::AssessedOn)
            .order_by_asc(potential_assessment::Column::Id)
            .all(db)
            .await?;
        for row in rows {
            history.entry(row.employee_id).or_default().push(row);
        }
    }
    Ok(history
        .into_iter()
        .filter_map(|(id, rows)| Some((id, potential_on(&rows, as_of)?)))
        .collect())
}

/// The people a 9-box or the slates look at: at `site` (any when `None`),
/// in `chain` (everyone below that manager; anyone when `None`), and, when
/// given, on one of `roles`. Refused past [`bounds::SUCCESSION_POPULATION`].
async fn population(
    db: &Db,
    site: Option<&str>,
    chain: Option<i64>,
    roles: Option<&[i64]>,
    only: Option<&[i64]>,
) -> AppResult<Vec<employee::Model>> {
    use sea_orm::QuerySelect;
    let mut query = crate::db::records::employees_without_secrets();
    if let Some(only) = only {
        query = query.filter(employee::Column::Id.is_in(only.iter().copied()));
    }
    if let Some(site) = site {
        query = query.filter(employee::Column::Site.eq(site));
    }
    if let Some(manager) = chain {
        query = query.filter(scope::in_chain("employee.id", manager));
    }
    if let Some(roles) = roles {
        query = query.filter(employee::Column::JobRoleId.is_in(roles.iter().copied()));
    }
    let people = query
        .order_by_asc(employee::Column::Id)
        .limit(bounds::SUCCESSION_POPULATION as u64 + 1)
        .all(&db.conn)
        .await?;
    if people.len() > bounds::SUCCESSION_POPULATION {
        return Err(AppError::bad_input(format!(
            "more than {} people to plan at once: narrow it by site or manager",
            bounds::SUCCESSION_POPULATION
        )));
    }
    Ok(people)
}

/// Who a manager-scoped call may narrow to: HR any manager; a MANAGER
/// themselves or someone in their chain. `None`: everyone (HR only).
async fn narrowed_chain(
    db: &Db,
    principal: &Principal,
    manager_id: Option<i64>,
) -> AppResult<Option<i64>> {
    let own = policy::succession_scope(principal)?;
    match (own, manager_id) {
        (None, wanted) => Ok(wanted),
        (Some(me), None) => Ok(Some(me)),
        (Some(me), Some(wanted)) if wanted == me => Ok(Some(me)),
        (Some(me), Some(wanted)) => {
            if scope::is_above(&db.conn, me, wanted).await? {
                Ok(Some(wanted))
            } else {
                Err(policy::hidden("manager"))
            }
        }
    }
}

/// One 9-box cell.
#[derive(Debug, Clone)]
pub struct Cell {
    pub performance: PotentialLevel,
    pub potential: PotentialLevel,
    /// Everyone in the cell.
    pub count: usize,
    /// The first [`bounds::NINE_BOX_PEOPLE`], highest rating first.
    pub employees: Vec<employee::Model>,
}

/// The 9-box of a site and/or a manager's chain on `as_of`: always nine
/// cells, performance then potential, LOW to HIGH.
pub async fn nine_box(
    db: &Db,
    principal: &Principal,
    site: Option<&str>,
    manager_id: Option<i64>,
    as_of: NaiveDate,
) -> AppResult<Vec<Cell>> {
    let chain = narrowed_chain(db, principal, manager_id).await?;
    let mut people = population(db, site, chain, None, None).await?;
    // Nobody sees their own potential, HR included.
    people.retain(|p| p.id != principal.employee_id);
    let ids: Vec<i64> = people.iter().map(|p| p.id).collect();
    let potentials = latest_potential(&db.conn, &ids, as_of).await?;
    let assessed: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|id| potentials.contains_key(id))
        .collect();
    let facts = facts_of(&db.conn, &assessed).await?;
    let mut cells: Vec<(Cell, Vec<(i64, employee::Model)>)> = PotentialLevel::ALL
        .iter()
        .flat_map(|performance| {
            PotentialLevel::ALL.iter().map(|potential| {
                (
                    Cell {
                        performance: *performance,
                        potential: *potential,
                        count: 0,
                        employees: Vec::new(),
                    },
                    Vec::new(),
                )
            })
        })
        .collect();
    for person in people {
        let Some(potential) = potentials.get(&person.id) else {
            continue;
        };
        let rating = facts
            .get(&person.id)
            .and_then(|f| rating_as_of(&f.reviews, as_of));
        let rating_cp = mobility::rating_cp(rating);
        let Some(performance) = mobility::performance_level(rating_cp) else {
            continue;
        };
        let index = PotentialLevel::ALL
            .iter()
            .position(|p| *p == performance)
            .unwrap_or(0)
            * 3
            + PotentialLevel::ALL
                .iter()
                .position(|p| p == potential)
                .unwrap_or(0);
        if let Some((cell, members)) = cells.get_mut(index) {
            cell.count += 1;
            members.push((rating_cp.unwrap_or(0), person));
        }
    }
    Ok(cells
        .into_iter()
        .map(|(mut cell, mut members)| {
            members.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.id.cmp(&b.1.id)));
            cell.employees = members
                .into_iter()
                .take(bounds::NINE_BOX_PEOPLE)
                .map(|(_, p)| p)
                .collect();
            cell
        })
        .collect())
}

/// The slates of `site` (every site in scope when `None`) on `as_of`:
/// confirmed successors first, then the engine's suggestions. Sorted by
/// site, then role as in [`LEADERSHIP_ROLES`].
pub async fn slates(
    db: &Db,
    principal: &Principal,
    site: Option<&str>,
    as_of: NaiveDate,
) -> AppResult<Vec<Slate>> {
    let mut slates = whole_slates(db, principal, site, as_of).await?;
    for slate in &mut slates {
        slate.successors.truncate(bounds::SUCCESSORS);
    }
    slates.truncate(bounds::SUCCESSION_SLATES);
    Ok(slates)
}

/// [`slates`], every successor kept (bench strength counts them all).
async fn whole_slates(
    db: &Db,
    principal: &Principal,
    site: Option<&str>,
    as_of: NaiveDate,
) -> AppResult<Vec<Slate>> {
    let chain = policy::succession_scope(principal)?;
    let ladder = Ladder::current(db).await?;
    let mut targets = Vec::new();
    for code in LEADERSHIP_ROLES {
        if let Some(role) = ladder.role_by_code(code) {
            targets.push((code, role.id));
        }
    }
    let target_ids: Vec<i64> = targets.iter().map(|(_, id)| *id).collect();
    let into_targets = steps_into(&ladder, &target_ids);
    let from_roles = into_targets.1.clone();
    // Today the stored eligibility state (the engine's answer, kept up to
    // date) narrows the candidates to those ELIGIBLE or NOT_YET for a step
    // into a leadership role; the engine then runs on those only. Others
    // can only be THREE_PLUS_YEARS, which is never suggested.
    let today = Utc::now().date_naive();
    let narrowed: Option<Vec<i64>> = if as_of == today {
        use crate::domain::enums::EligibilityStatus;
        let statuses = [EligibilityStatus::Eligible, EligibilityStatus::NotYet];
        let rows = stored_reaching(db, today, &into_targets, site, chain, &statuses).await?;
        Some(rows.into_iter().map(|row| row.employee_id).collect())
    } else {
        None
    };
    if narrowed
        .as_ref()
        .is_some_and(|ids| ids.len() > bounds::SUCCESSION_POPULATION)
    {
        return Err(AppError::bad_input(format!(
            "more than {} people to plan at once: narrow it by site",
            bounds::SUCCESSION_POPULATION
        )));
    }
    let candidates = match &narrowed {
        Some(ids) if ids.is_empty() => Vec::new(),
        Some(ids) => {
            let mut found = Vec::new();
            for chunk in ids.chunks(5_000) {
                found.extend(population(db, site, chain, Some(&from_roles), Some(chunk)).await?);
            }
            found
        }
        None => population(db, site, chain, Some(&from_roles), None).await?,
    };
    // Confirmed rows, with their people (who may sit on another role now).
    let mut confirmed_query = successor::Entity::find()
        .filter(successor::Column::JobRoleId.is_in(targets.iter().map(|(_, id)| *id)));
    if let Some(site) = site {
        confirmed_query = confirmed_query.filter(successor::Column::Site.eq(site));
    }
    if let Some(manager) = chain {
        confirmed_query = confirmed_query.filter(scope::in_chain("successor.employee_id", manager));
    }
    let confirmed = confirmed_query
        .order_by_asc(successor::Column::Id)
        .all(&db.conn)
        .await?;
    let confirmed_ids: Vec<i64> = confirmed.iter().map(|c| c.employee_id).collect();
    let confirmed_people = crate::db::records::employees_by_id(&db.conn, &confirmed_ids).await?;
    // Someone who holds the role now is no longer a successor for it, and
    // nobody sees themselves on a slate.
    let confirmed: Vec<successor::Model> = confirmed
        .into_iter()
        .filter(|c| c.employee_id != principal.employee_id)
        .filter(|c| {
            confirmed_people
                .get(&c.employee_id)
                .is_some_and(|p| p.job_role_id != c.job_role_id)
        })
        .collect();
    let candidates: Vec<employee::Model> = candidates
        .into_iter()
        .filter(|p| p.id != principal.employee_id)
        .collect();

    let ids: Vec<i64> = candidates.iter().map(|p| p.id).collect();
    let mut facts = facts_of(&db.conn, &ids).await?;
    // (site, role id) -> ranked suggestions.
    let mut suggested: HashMap<(String, i64), Vec<(mobility::Candidate, Successor)>> =
        HashMap::new();
    for person in candidates {
        let person_facts = facts.remove(&person.id).unwrap_or_default();
        let result = progression::evaluate(&ladder, &person, &person_facts, as_of);
        for (_, role_id) in &targets {
            let option = result.options.iter().find(|o| {
                ladder
                    .step(o.step_id)
                    .is_some_and(|step| step.to_role_id == *role_id)
            });
            let Some(option) = option else {
                continue;
            };
            let standing = Standing::of(Some(option));
            let readiness = mobility::readiness(standing, as_of);
            if readiness == Readiness::ThreePlusYears {
                continue;
            }
            let candidate = mobility::Candidate {
                id: person.id,
                standing,
                months_of_service: result.months_of_service,
                rating_cp: mobility::rating_cp(result.rating),
            };
            suggested
                .entry((person.site.clone(), *role_id))
                .or_default()
                .push((
                    candidate,
                    Successor {
                        employee: person.clone(),
                        readiness,
                        suggested: true,
                        confirmed_by_id: None,
                    },
                ));
        }
    }
    let mut keys: HashSet<(String, i64)> = suggested.keys().cloned().collect();
    keys.extend(confirmed.iter().map(|c| (c.site.clone(), c.job_role_id)));
    let mut slates: Vec<Slate> = keys
        .into_iter()
        .filter_map(|(slate_site, role_id)| {
            let (code, _) = targets.iter().find(|(_, id)| *id == role_id)?;
            let mut successors: Vec<Successor> = confirmed
                .iter()
                .filter(|c| c.site == slate_site && c.job_role_id == role_id)
                .filter_map(|c| {
                    Some(Successor {
                        employee: confirmed_people.get(&c.employee_id)?.clone(),
                        readiness: Readiness::parse(&c.readiness)?,
                        suggested: false,
                        confirmed_by_id: Some(c.confirmed_by_id),
                    })
                })
                .collect();
            successors.sort_by_key(|s| (s.readiness, s.employee.id));
            let taken: HashSet<i64> = successors.iter().map(|s| s.employee.id).collect();
            let mut ranked = suggested
                .remove(&(slate_site.clone(), role_id))
                .unwrap_or_default();
            ranked.sort_by(|a, b| mobility::rank(&a.0, &b.0));
            successors.extend(
                ranked
                    .into_iter()
                    .map(|(_, s)| s)
                    .filter(|s| !taken.contains(&s.employee.id)),
            );
            Some(Slate {
                site: slate_site,
                role_code: (*code).to_owned(),
                successors,
            })
        })
        .collect();
    let order = |code: &str| LEADERSHIP_ROLES.iter().position(|c| *c == code);
    slates.sort_by(|a, b| {
        a.site
            .cmp(&b.site)
            .then(order(&a.role_code).cmp(&order(&b.role_code)))
    });
    Ok(slates)
}

/// What `confirmSuccessor` takes.
pub struct Confirmation {
    pub site: String,
    pub role_code: String,
    pub employee_id: i64,
    pub readiness: Readiness,
}

/// Confirms someone on a site's slate for a leadership role with a
/// readiness (again: the readiness is replaced), audited. A manager above
/// them or HR; nobody themselves. Returns the slate.
pub async fn confirm(
    db: &Db,
    principal: &Principal,
    input: Confirmation,
    as_of: NaiveDate,
) -> AppResult<Slate> {
    let site = validate::text("site", &input.site, 100)?;
    let (code, role_id) = leadership_role(&*Ladder::current(db).await?, &input.role_code)?;
    policy::may_confirm_successor(relation_to(db, principal, input.employee_id).await?)?;
    let known_site = employee::Entity::find()
        .filter(employee::Column::Site.eq(site.as_str()))
        .one(&db.conn)
        .await?
        .is_some();
    if !known_site {
        return Err(AppError::bad_input(format!(
            "no one works at site {site:?}"
        )));
    }
    let txn = db.begin_write().await?;
    let person = crate::db::records::employees_by_id(&txn, &[input.employee_id])
        .await?
        .remove(&input.employee_id)
        .ok_or_else(|| policy::hidden("employee"))?;
    if person.job_role_id == role_id {
        return Err(AppError::Conflict(format!(
            "{} already holds the role {code}",
            person.name
        )));
    }
    let existing = successor::Entity::find()
        .filter(successor::Column::Site.eq(site.as_str()))
        .filter(successor::Column::JobRoleId.eq(role_id))
        .all(&txn)
        .await?;
    // Rows of people who hold the role by now no longer count.
    let holders: HashSet<i64> = {
        let ids: Vec<i64> = existing.iter().map(|s| s.employee_id).collect();
        crate::db::records::employees_by_id(&txn, &ids)
            .await?
            .into_values()
            .filter(|p| p.job_role_id == role_id)
            .map(|p| p.id)
            .collect()
    };
    let current = existing
        .iter()
        .filter(|s| !holders.contains(&s.employee_id))
        .count();
    let before = existing
        .iter()
        .find(|s| s.employee_id == input.employee_id)
        .cloned();
    if before.is_none() && current >= bounds::SUCCESSORS {
        return Err(AppError::Conflict(format!(
            "the slate holds {} confirmed successors already",
            bounds::SUCCESSORS
        )));
    }
    if let Some(before) = &before {
        successor::Entity::delete_by_id(before.id)
            .exec(&txn)
            .await?;
    }
    successor::ActiveModel {
        site: Set(site.clone()),
        job_role_id: Set(role_id),
        employee_id: Set(input.employee_id),
        readiness: Set(input.readiness.as_str().to_owned()),
        confirmed_by_id: Set(principal.employee_id),
        confirmed_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|err| match err.sql_err() {
        // Someone confirmed the same person at the same moment.
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => AppError::Conflict(
            "this successor was confirmed meanwhile; read the slate again".into(),
        ),
        _ => err.into(),
    })?;
    audit::record(
        &txn,
        Some(principal.employee_id),
        "CONFIRM_SUCCESSOR",
        "employee",
        input.employee_id,
        json!({ "site": site, "roleCode": code,
                "before": before.map(|b| b.readiness), "after": input.readiness.as_str() }),
    )
    .await?;
    txn.commit().await?;
    let slate = slates(db, principal, Some(&site), as_of)
        .await?
        .into_iter()
        .find(|s| s.role_code == code)
        .ok_or_else(|| AppError::internal("the confirmed slate is missing"))?;
    Ok(slate)
}

/// Takes someone off a site's slate for a leadership role (a manager above
/// them or HR; not oneself), audited. Returns the slate, with the engine's
/// suggestion of them back if they still qualify.
pub async fn remove(
    db: &Db,
    principal: &Principal,
    site: &str,
    role_code: &str,
    employee_id: i64,
    as_of: NaiveDate,
) -> AppResult<Slate> {
    let site = validate::text("site", site, 100)?;
    let (code, role_id) = leadership_role(&*Ladder::current(db).await?, role_code)?;
    policy::may_confirm_successor(relation_to(db, principal, employee_id).await?)?;
    let txn = db.begin_write().await?;
    let found = successor::Entity::find()
        .filter(successor::Column::Site.eq(site.as_str()))
        .filter(successor::Column::JobRoleId.eq(role_id))
        .filter(successor::Column::EmployeeId.eq(employee_id))
        .one(&txn)
        .await?
        .ok_or_else(|| AppError::not_found("successor"))?;
    successor::Entity::delete_by_id(found.id).exec(&txn).await?;
    audit::record(
        &txn,
        Some(principal.employee_id),
        "REMOVE_SUCCESSOR",
        "employee",
        employee_id,
        json!({ "site": site, "roleCode": code, "before": found.readiness }),
    )
    .await?;
    txn.commit().await?;
    Ok(slates(db, principal, Some(&site), as_of)
        .await?
        .into_iter()
        .find(|s| s.role_code == code)
        .unwrap_or(Slate {
            site,
            role_code: code.to_owned(),
            successors: Vec::new(),
        }))
}

/// READY_NOW successors for Team Lead per site today, from the stored
/// eligibility state (`services::eligibility_state`, brought up to date
/// first): the people at the site ELIGIBLE for a step into Team Lead, and
/// the confirmed ones, a confirmation overriding the suggestion. The same
/// count as the slates' (which run the engine, as any other `asOf` does),
/// without evaluating every CSR on each read.
async fn ready_now_today(
    db: &Db,
    principal: &Principal,
    today: NaiveDate,
) -> AppResult<HashMap<String, i64>> {
    use crate::domain::enums::EligibilityStatus;
    let chain = policy::succession_scope(principal)?;
    let ladder = Ladder::current(db).await?;
    let Some(lead) = ladder.role_by_code("TEAM_LEAD") else {
        return Ok(HashMap::new());
    };
    let into_lead = steps_into(&ladder, &[lead.id]);
    let rows = stored_reaching(
        db,
        today,
        &into_lead,
        None,
        chain,
        &[EligibilityStatus::Eligible],
    )
    .await?;
    // (site, person) -> READY_NOW?
    let mut ready: HashMap<(String, i64), bool> = rows
        .into_iter()
        .map(|row| ((row.site, row.employee_id), true))
        .collect();
    let mut confirmed = successor::Entity::find().filter(successor::Column::JobRoleId.eq(lead.id));
    if let Some(manager) = chain {
        confirmed = confirmed.filter(scope::in_chain("successor.employee_id", manager));
    }
    let confirmed = confirmed.all(&db.conn).await?;
    let ids: Vec<i64> = confirmed.iter().map(|c| c.employee_id).collect();
    let people = crate::db::records::employees_by_id(&db.conn, &ids).await?;
    for row in confirmed {
        // Someone who holds the role now is no longer a successor for it.
        if people
            .get(&row.employee_id)
            .is_none_or(|p| p.job_role_id == row.job_role_id)
        {
            ready.remove(&(row.site, row.employee_id));
            continue;
        }
        ready.insert(
            (row.site, row.employee_id),
            row.readiness == Readiness::ReadyNow.as_str(),
        );
    }
    let mut per_site: HashMap<String, i64> = HashMap::new();
    for ((site, _), now) in ready {
        if now {
            *per_site.entry(site).or_default() += 1;
        }
    }
    Ok(per_site)
}

/// One site's bench for Team Lead seats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenchBucket {
    pub site: String,
    pub team_lead_seats_needed: i64,
    pub ready_now: i64,
    pub shortfall: i64,
    pub at_risk: bool,
}

/// Bench strength per site in scope on `as_of`: the Team Lead seats each
/// site's CSRs need (`domain::staffing`, one per 15 at most), against the
/// READY_NOW successors on its Team Lead slate (confirmed READY_NOW, and
/// suggested ones nobody confirmed otherwise).
pub async fn bench_strength(
    db: &Db,
    principal: &Principal,
    coverage: &[crate::services::dashboard::LeadershipBucket],
    as_of: NaiveDate,
) -> AppResult<Vec<BenchBucket>> {
    let today = Utc::now().date_naive();
    let ready: HashMap<String, i64> = if as_of == today {
        ready_now_today(db, principal, today).await?
    } else {
        let mut ready = HashMap::new();
        // Site by site, so that no one call passes the population bound.
        for site in coverage {
            for slate in whole_slates(db, principal, Some(&site.site), as_of).await? {
                if slate.role_code != "TEAM_LEAD" {
                    continue;
                }
                let n = slate
                    .successors
                    .iter()
                    .filter(|s| s.readiness == Readiness::ReadyNow)
                    .count() as i64;
                ready.insert(slate.site, n);
            }
        }
        ready
    };
    let mut out: Vec<BenchBucket> = coverage
        .iter()
        .map(|site| {
            let ready_now = ready.get(&site.site).copied().unwrap_or(0);
            let bench = mobility::bench(site.needed_at_most_15, site.team_leads, ready_now);
            BenchBucket {
                site: site.site.clone(),
                team_lead_seats_needed: site.needed_at_most_15,
                ready_now,
                shortfall: bench.shortfall,
                at_risk: bench.at_risk,
            }
        })
        .collect();
    out.truncate(bounds::BUCKETS);
    Ok(out)
}
