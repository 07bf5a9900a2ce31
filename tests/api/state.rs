//! The persistent eligibility state (issue 14) always agrees with the
//! engine: after every write of every kind, and as days pass, each stored
//! row read for a day equals `evaluate` on that day's facts.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, Utc};
use rungs::db::eligibility_state as store;
use rungs::db::facts::{facts_of, Ladder};
use rungs::domain::eligibility;
use rungs::domain::eligibility_state::{encode_options, state_of, verdict};
use rungs::domain::plan;
use rungs::services::eligibility_state::bring_up_to_date;
use sea_orm::{ConnectionTrait, EntityTrait, Statement};
use serde_json::{json, Value};

use crate::helpers::{gid, Kind, TestApp};

/// One person's answer, as compared: the dashboard verdict, the options
/// and the courses that would unblock them.
type Answer = (String, String, Vec<i64>);

/// What the engine says for everyone on `day`, from the facts as they are.
async fn engine(app: &TestApp, day: NaiveDate) -> BTreeMap<i64, Answer> {
    let conn = &app.db.conn;
    let ladder = Ladder::load(conn).await.unwrap();
    let ids = ids(app, "SELECT id FROM employee ORDER BY id").await;
    let people = store::people(conn, &ids).await.unwrap();
    let facts = facts_of(conn, &ids).await.unwrap();
    let awards = rungs::services::training::course_awards(conn)
        .await
        .unwrap();
    let mut out = BTreeMap::new();
    for p in people {
        let f = facts.get(&p.id).cloned().unwrap_or_default();
        let steps = ladder.step_rules(p.job_role_id, &p.market);
        let facts = p.with(&f, &ladder);
        let progression = eligibility::evaluate(&facts, &steps, day);
        let mut unblocks: Vec<i64> = awards
            .iter()
            .filter(|a| {
                plan::unblocks(
                    &facts,
                    &steps,
                    &progression,
                    a.cert_on(day).as_ref(),
                    a.skill_on(day).as_ref(),
                    day,
                )
            })
            .map(|a| a.course_id)
            .collect();
        unblocks.sort_unstable();
        out.insert(
            p.id,
            (
                format!("{:?}", verdict(&progression)),
                encode_options(&state_of(&progression).options),
                unblocks,
            ),
        );
    }
    out
}

/// What the stored state says for everyone on `day`, once brought up to
/// date for it (as a dashboard for that day does).
async fn stored(app: &TestApp, day: NaiveDate) -> BTreeMap<i64, Answer> {
    bring_up_to_date(&app.db, day).await.unwrap();
    let ids = ids(app, "SELECT id FROM employee ORDER BY id").await;
    let rows = store::stored(&app.db.conn, &ids).await.unwrap();
    assert_eq!(rows.len(), ids.len(), "every employee has a state row");
    rows.into_iter()
        .map(|r| {
            assert!(r.due > day, "a row read for {day} is due on {}", r.due);
            let v = rungs::domain::eligibility_state::Verdict {
                eligible: r.eligible == 1,
                fast_track: r.fast_track == 1,
                not_yet: r.not_yet == 1,
                ineligible: r.ineligible == 1,
                no_next_step: r.no_next_step == 1,
                stalled: r.stalled == 1,
            };
            let mut unblocks: Vec<i64> = r
                .unblocks
                .unwrap_or_default()
                .split(',')
                .filter_map(|c| c.parse().ok())
                .collect();
            unblocks.sort_unstable();
            (r.employee_id, (format!("{v:?}"), r.options, unblocks))
        })
        .collect()
}

/// The running totals the triggers keep equal the sums over the rows.
async fn totals_agree(app: &TestApp) -> Result<(), String> {
    let conn = &app.db.conn;
    let backend = conn.get_database_backend();
    let text = |sql: &str| {
        let sql = sql.to_owned();
        async move {
            let rows = conn
                .query_all_raw(Statement::from_string(backend, sql))
                .await
                .unwrap();
            rows.iter()
                .map(|r| {
                    (0..8)
                        .map(|i| {
                            r.try_get_by_index::<i64>(i)
                                .map(|n| n.to_string())
                                .or_else(|_| r.try_get_by_index::<String>(i))
                                .unwrap_or_default()
                        })
                        .collect::<Vec<_>>()
                        .join("|")
                })
                .collect::<Vec<_>>()
        }
    };
    let sums = "CAST(SUM(eligible) AS BIGINT), CAST(SUM(fast_track) AS BIGINT), CAST(SUM(not_yet) AS BIGINT), \
                CAST(SUM(ineligible) AS BIGINT), CAST(SUM(no_next_step) AS BIGINT), CAST(SUM(stalled) AS BIGINT)";
    let cells = text(&format!(
        "SELECT site, CAST(SUM(total) AS BIGINT), {sums} FROM eligibility_cell GROUP BY site HAVING SUM(total) > 0 ORDER BY site"
    ))
    .await;
    let rows = text(&format!(
        "SELECT site, COUNT(*), {sums} FROM eligibility_state WHERE counted = 1 GROUP BY site ORDER BY site"
    ))
    .await;
    let counts = text("SELECT CAST(course_id AS BIGINT), people FROM course_unblock_count WHERE people <> 0 ORDER BY course_id").await;
    let pairs = text("SELECT CAST(course_id AS BIGINT), COUNT(*) FROM eligibility_unblock GROUP BY course_id ORDER BY course_id").await;
    if cells != rows {
        return Err(format!("cells {cells:?} but rows {rows:?}"));
    }
    if counts != pairs {
        return Err(format!("course counts {counts:?} but pairs {pairs:?}"));
    }
    Ok(())
}

async fn ids(app: &TestApp, sql: &str) -> Vec<i64> {
    let conn = &app.db.conn;
    conn.query_all_raw(Statement::from_string(
        conn.get_database_backend(),
        sql.to_owned(),
    ))
    .await
    .unwrap()
    .iter()
    .map(|row| row.try_get_by_index::<i64>(0).unwrap())
    .collect()
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<T: Clone>(&mut self, items: &[T]) -> Option<T> {
        (!items.is_empty()).then(|| items[self.below(items.len() as u64) as usize].clone())
    }
}

/// One random write of one kind; returns what it did (for the failure
/// message). Writes the API refuses are fine: they change nothing.
async fn random_write(app: &TestApp, rng: &mut Rng, day: &mut NaiveDate) -> String {
    let today = Utc::now().date_naive();
    let people = ids(app, "SELECT id FROM employee ORDER BY id").await;
    let who_id = rng.pick(&people).unwrap_or_default();
    let who = gid(Kind::Employee, who_id);
    let ago = |n: u64| (today - Duration::days(n as i64)).to_string();
    let hr = Some(&app.hr);
    let (what, query, variables) = match rng.below(13) {
        0 => (
            "recordReview",
            "mutation($i: RecordReviewInput!) { recordReview(input: $i) { id } }",
            json!({ "i": { "employeeId": who, "periodEnd": ago(rng.below(400)),
                           "rating": 1.0 + rng.below(9) as f64 / 2.0 } }),
        ),
        1 => {
            let issued = ago(rng.below(800));
            let expires = (rng.below(2) == 0)
                .then(|| (today + Duration::days(rng.below(500) as i64 - 100)).to_string());
            let cert = match rng.below(3) {
                0 => json!({ "kind": "LEADERSHIP_TRAINING", "name": "Bar Raiser" }),
                1 => json!({ "kind": "SIX_SIGMA", "name": "Six Sigma",
                             "belt": rng.pick(&["YELLOW", "GREEN", "BLACK"]) }),
                _ => json!({ "kind": "LANGUAGE", "name": "English", "language": "en",
                             "cefr": rng.pick(&["B1", "B2", "C1"]) }),
            };
            let mut input = cert;
            input["employeeId"] = json!(who);
            input["issuedOn"] = json!(issued);
            input["expiresOn"] = json!(expires);
            (
                "addCertification",
                "mutation($i: AddCertificationInput!) { addCertification(input: $i) { id } }",
                json!({ "i": input }),
            )
        }
        2 => {
            let pending = ids(app, "SELECT id FROM certification WHERE status = 'PENDING'").await;
            let Some(id) = rng.pick(&pending) else {
                return "no pending certificate".into();
            };
            (
                "verifyCertification",
                "mutation($id: ID!, $a: Boolean!) { verifyCertification(id: $id, approve: $a) { id } }",
                json!({ "id": gid(Kind::Certification, id), "a": rng.below(3) > 0 }),
            )
        }
        3 => {
            let skills = ids(app, "SELECT id FROM skill").await;
            (
                "assessSkill",
                "mutation($i: AssessSkillInput!) { assessSkill(input: $i) { id } }",
                json!({ "i": { "employeeId": who, "skillId": gid(Kind::Skill, rng.pick(&skills).unwrap_or(1)),
                               "level": 1 + rng.below(5), "assessedOn": ago(rng.below(300)) } }),
            )
        }
        4 => (
            "nominate",
            "mutation($i: NominateInput!) { nominate(input: $i) { id } }",
            json!({ "i": { "nomineeId": who, "targetRoleCode": "TEAM_LEAD", "justification": "ready",
                           "override": true, "overrideReason": "test stream" } }),
        ),
        5 => {
            let pending = ids(app, "SELECT id FROM nomination WHERE status = 'PENDING'").await;
            let Some(id) = rng.pick(&pending) else {
                return "no pending nomination".into();
            };
            let (what, query) = match rng.below(3) {
                0 => ("approveNomination", "mutation($id: ID!) { approveNomination(id: $id) { id } }"),
                1 => ("rejectNomination", "mutation($id: ID!) { rejectNomination(id: $id, reason: \"not now\") { id } }"),
                _ => ("withdrawNomination", "mutation($id: ID!) { withdrawNomination(id: $id) { id } }"),
            };
            // Decided by ADMIN: HR made the nomination, and nobody decides
            // their own.
            let body = app.gql(query, json!({ "id": gid(Kind::Nomination, id) }), Some(&app.admin)).await;
            return format!("{what} {id} -> {}", body["errors"][0]["extensions"]["code"].as_str().unwrap_or("ok"));
        }
        6 => (
            "updateEmployee",
            "mutation($id: ID!, $i: UpdateEmployeeInput!) { updateEmployee(id: $id, input: $i) { id } }",
            json!({ "id": who, "i": { "site": rng.pick(&["Tokyo", "Osaka", "Austin"]) } }),
        ),
        7 => {
            let to = rng.pick(&["TEAM_LEAD", "QUALITY_ANALYST"]).unwrap_or("TEAM_LEAD");
            let fast = 3 + rng.below(10);
            (
                "upsertLadderStep",
                "mutation($i: LadderStepInput!) { upsertLadderStep(input: $i) { id } }",
                json!({ "i": { "fromRoleCode": "CSR", "toRoleCode": to, "fastTrackMonths": fast,
                               "standardMonths": fast + 3 + rng.below(12),
                               "minRating": 2.5 + rng.below(4) as f64 / 2.0 } }),
            )
        }
        8 => {
            let min = 400_000 + 10_000 * rng.below(20);
            (
                "upsertSalaryBand",
                "mutation($i: SalaryBandInput!) { upsertSalaryBand(input: $i) { id } }",
                json!({ "i": { "roleCode": "TEAM_LEAD", "market": "JP", "currency": "JPY",
                               "min": min.to_string(), "max": (min + 200_000).to_string() } }),
            )
        }
        9 => {
            let courses = ids(app, "SELECT id FROM course ORDER BY id").await;
            let Some(id) = rng.pick(&courses) else {
                return "no course".into();
            };
            let belt = rng.pick(&["YELLOW", "GREEN", "BLACK"]);
            (
                "upsertCourse",
                "mutation($i: CourseInput!) { upsertCourse(input: $i) { id } }",
                json!({ "i": { "id": gid(Kind::Course, id), "title": format!("Course {id}"), "description": "changed",
                               "awardsCertification": { "kind": "SIX_SIGMA", "belt": belt } } }),
            )
        }
        10 => {
            // A write behind the API's back (a DBA's script, another tool):
            // only the triggers know of it.
            let conn = &app.db.conn;
            let sql = match rng.below(2) {
                0 => format!(
                    "INSERT INTO performance_review (employee_id, period_end, rating, created_at) \
                     VALUES ({who_id}, '{}', {}, '2026-01-01T00:00:00Z')",
                    ago(rng.below(200)),
                    1 + rng.below(5)
                ),
                _ => format!(
                    "UPDATE employee SET role_since = '{}' WHERE id = {who_id}",
                    ago(rng.below(900))
                ),
            };
            conn.execute_unprepared(&sql).await.unwrap();
            return format!("direct SQL: {sql}");
        }
        11 => {
            let sessions = ids(
                app,
                &format!("SELECT id FROM course_session WHERE ends_on <= '{today}' ORDER BY id"),
            )
            .await;
            let Some(session) = rng.pick(&sessions) else {
                return "no session".into();
            };
            let enrolled = app
                .gql(
                    "mutation($s: ID!, $e: ID) { enrol(sessionId: $s, employeeId: $e) { id } }",
                    json!({ "s": session.to_string(), "e": who }),
                    hr,
                )
                .await;
            let Some(id) = enrolled["data"]["enrol"]["id"].as_str() else {
                return format!("enrol refused: {}", enrolled["errors"][0]["message"]);
            };
            (
                "completeEnrolment",
                "mutation($id: ID!) { completeEnrolment(id: $id) { id } }",
                json!({ "id": id }),
            )
        }
        _ => {
            *day += Duration::days(1 + rng.below(120) as i64);
            return format!("days pass: now {day}");
        }
    };
    let body: Value = app.gql(query, variables.clone(), hr).await;
    let outcome = match body["errors"][0]["extensions"]["code"].as_str() {
        Some(code) => format!("refused {code}"),
        None => "ok".into(),
    };
    format!("{what} {variables} -> {outcome}")
}

#[tokio::test]
async fn the_stored_state_agrees_with_the_engine_through_a_random_stream_of_writes() {
    let app = TestApp::spawn().await;
    let today = Utc::now().date_naive();
    rungs::seed::seed(&app.db, 120, 5, today)
        .await
        .map_err(|e| e.message())
        .unwrap();
    let seed = std::env::var("STATE_STREAM_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_2026_u64);
    // Sessions that have ended, so completions can be recorded.
    for course in ids(&app, "SELECT id FROM course ORDER BY id").await {
        let (starts, ends) = (today - Duration::days(20), today - Duration::days(18));
        app.db
            .conn
            .execute_unprepared(&format!(
                "INSERT INTO course_session (course_id, starts_on, ends_on, capacity, created_at) \
                 VALUES ({course}, '{starts}', '{ends}', 500, '2026-01-01T00:00:00Z')"
            ))
            .await
            .unwrap();
    }
    let mut rng = Rng(seed);
    let mut day = today;
    let mut history = Vec::new();
    let mut ok = 0;
    for step in 0..90 {
        let what = random_write(&app, &mut rng, &mut day).await;
        ok += what.ends_with("-> ok") as usize;
        history.push(what);
        let (expected, actual) = (engine(&app, day).await, stored(&app, day).await);
        if let Err(message) = totals_agree(&app).await {
            panic!(
                "step {step} (seed {seed:#x}): {message}\nafter:\n{}",
                history.join("\n")
            );
        }
        if expected != actual {
            let diff: Vec<_> = expected
                .iter()
                .filter(|(id, answer)| actual.get(id) != Some(answer))
                .take(3)
                .map(|(id, answer)| format!("{id}: engine {answer:?}, stored {:?}", actual.get(id)))
                .collect();
            panic!(
                "step {step} (seed {seed:#x}, day {day}) disagrees:\n{}\nafter:\n{}",
                diff.join("\n"),
                history.join("\n")
            );
        }
    }
    if std::env::var("STATE_STREAM_SHOW").is_ok() {
        eprintln!("{}", history.join("\n"));
    }
    assert!(
        ok >= 30,
        "most writes should be accepted, or the stream tests little:\n{}",
        history.join("\n")
    );
}

/// The dashboard for today reads the state; for another day it runs the
/// engine; both agree with `progression` person by person, at 10,000
/// employees.
#[tokio::test]
async fn todays_dashboard_agrees_with_every_progression_at_ten_thousand() {
    let app = TestApp::spawn().await;
    let today = Utc::now().date_naive();
    rungs::seed::seed(&app.db, 10_000, 11, today)
        .await
        .map_err(|e| e.message())
        .unwrap();
    for day in [today, today - Duration::days(45)] {
        let people = store::people(
            &app.db.conn,
            &ids(&app, "SELECT id FROM employee ORDER BY id").await,
        )
        .await
        .unwrap();
        let site_of: BTreeMap<i64, String> =
            people.iter().map(|p| (p.id, p.site.clone())).collect();
        let hired: BTreeMap<i64, NaiveDate> = people.iter().map(|p| (p.id, p.hired_on)).collect();
        let mut expected: BTreeMap<String, [i64; 7]> = BTreeMap::new();
        let ladder = Ladder::load(&app.db.conn).await.unwrap();
        let all: Vec<i64> = people.iter().map(|p| p.id).collect();
        let facts = facts_of(&app.db.conn, &all).await.unwrap();
        let employees = rungs::db::entities::employee::Entity::find()
            .all(&app.db.conn)
            .await
            .unwrap();
        for e in employees {
            if hired[&e.id] > day {
                continue;
            }
            let f = facts.get(&e.id).cloned().unwrap_or_default();
            let v = verdict(&rungs::services::progression::evaluate(
                &ladder, &e, &f, day,
            ));
            let row = expected.entry(site_of[&e.id].clone()).or_default();
            for (i, flag) in [
                true,
                v.eligible,
                v.fast_track,
                v.not_yet,
                v.ineligible,
                v.no_next_step,
                v.stalled,
            ]
            .into_iter()
            .enumerate()
            {
                row[i] += flag as i64;
            }
        }
        let body = app
            .data(
                "query($d: Date) { dashboard(asOf: $d) { eligibility(groupBy: SITE) { key total eligible fastTrack notYet ineligible noNextStep stalled } } }",
                json!({ "d": day.to_string() }),
                Some(&app.hr),
            )
            .await;
        let mut actual: BTreeMap<String, [i64; 7]> = BTreeMap::new();
        for b in body["dashboard"]["eligibility"].as_array().unwrap() {
            let n = |f: &str| b[f].as_i64().unwrap();
            actual.insert(
                b["key"].as_str().unwrap().to_owned(),
                [
                    n("total"),
                    n("eligible"),
                    n("fastTrack"),
                    n("notYet"),
                    n("ineligible"),
                    n("noNextStep"),
                    n("stalled"),
                ],
            );
        }
        assert_eq!(actual, expected, "on {day}");
        let total: i64 = actual.values().map(|r| r[0]).sum();
        assert!(total > 9_000, "{total}");
        // By manager: each group named after its manager.
        let names: BTreeMap<i64, String> = rungs::db::entities::employee::Entity::find()
            .all(&app.db.conn)
            .await
            .unwrap()
            .into_iter()
            .map(|e| (e.id, e.name))
            .collect();
        let mut expected: BTreeMap<String, (String, i64)> = BTreeMap::new();
        for p in people.iter().filter(|p| p.hired_on <= day) {
            let (key, label) = match p.manager_id {
                Some(m) => (gid(Kind::Employee, m), names[&m].clone()),
                None => ("none".to_owned(), "no manager".to_owned()),
            };
            expected.entry(key).or_insert((label, 0)).1 += 1;
        }
        let body = app
            .data(
                "query($d: Date) { dashboard(asOf: $d) { eligibility(groupBy: MANAGER) { key label total } } }",
                json!({ "d": day.to_string() }),
                Some(&app.hr),
            )
            .await;
        let buckets = body["dashboard"]["eligibility"].as_array().unwrap();
        let actual: BTreeMap<String, (String, i64)> = buckets
            .iter()
            .map(|b| {
                (
                    b["key"].as_str().unwrap().to_owned(),
                    (
                        b["label"].as_str().unwrap().to_owned(),
                        b["total"].as_i64().unwrap(),
                    ),
                )
            })
            .collect();
        // The list is bounded (`bound::BUCKETS`): compare what it returns.
        assert!(!actual.is_empty());
        for (key, got) in &actual {
            assert_eq!(Some(got), expected.get(key), "manager {key} on {day}");
        }
    }
}

/// `rungs seed` stores each new person's state from the facts it
/// generated, without reading them back. What it stored must be exactly
/// what a recomputation from the database gives: the same verdicts,
/// options, unblocking courses, due days and running totals. Seeding onto
/// an organisation that already has people recomputes theirs.
#[tokio::test]
async fn a_seeded_state_equals_one_recomputed_from_the_database() {
    let app = TestApp::spawn().await;
    let today = Utc::now().date_naive();
    // The test app's own accounts are there before either seed.
    let before = ids(&app, "SELECT id FROM employee").await.len();
    for (people, seed) in [(400, 3), (1_600, 4)] {
        rungs::seed::seed(&app.db, people, seed, today)
            .await
            .map_err(|e| e.message())
            .unwrap();
    }
    let conn = &app.db.conn;
    assert!(
        store::due(conn, today, 1).await.unwrap().is_empty(),
        "nothing is left to compute after a seed"
    );
    let all = ids(&app, "SELECT id FROM employee ORDER BY id").await;
    assert_eq!(all.len(), before + 2_000);
    let dues = |rows: Vec<store::StoredRow>| -> BTreeMap<i64, NaiveDate> {
        rows.into_iter().map(|r| (r.employee_id, r.due)).collect()
    };
    let seeded = dues(store::stored(conn, &all).await.unwrap());
    assert_eq!(engine(&app, today).await, stored(&app, today).await);
    totals_agree(&app).await.unwrap();
    conn.execute_unprepared(
        "UPDATE eligibility_state SET due = '1900-01-01', revision = revision + 1",
    )
    .await
    .unwrap();
    assert_eq!(
        bring_up_to_date(&app.db, today).await.unwrap(),
        all.len(),
        "every row recomputed"
    );
    assert_eq!(seeded, dues(store::stored(conn, &all).await.unwrap()));
    assert_eq!(engine(&app, today).await, stored(&app, today).await);
    totals_agree(&app).await.unwrap();
}

/// CI saw a seed fail with a duplicate `eligibility_state` row: an instance
/// starting (its sweep marks employees without a row stale) between the
/// seed's commit of the employees and its commit of their rows. Here a
/// second "instance" does that as fast as it can through a whole seed.
/// Whether it lands between the seed's commits is up to the scheduler, so
/// the seed is run again (on a fresh database) until it has, at most five
/// times; every run must leave a correct state.
#[tokio::test]
async fn a_seed_succeeds_while_another_instance_marks_missing_rows_and_sweeps() {
    for _ in 0..5 {
        if seed_while_another_instance_marks().await > 0 {
            return;
        }
    }
    panic!("in five seeds the other instance never found rows to mark");
}

/// One seed raced by a marking and sweeping "instance"; how many rows that
/// instance marked.
async fn seed_while_another_instance_marks() -> u64 {
    let app = TestApp::spawn().await;
    let today = Utc::now().date_naive();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let other = {
        let db = app.db.clone();
        let done = done.clone();
        tokio::spawn(async move {
            let mut marked = 0;
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                marked += rungs::services::eligibility_state::mark_missing(&db)
                    .await
                    .unwrap();
                bring_up_to_date(&db, today).await.unwrap();
                tokio::task::yield_now().await;
            }
            marked
        })
    };
    let seeded = rungs::seed::seed(&app.db, 1_500, 5, today).await;
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let marked = other.await.unwrap();
    seeded.expect("the seed succeeds");
    assert!(store::due(&app.db.conn, today, 1).await.unwrap().is_empty());
    assert_eq!(engine(&app, today).await, stored(&app, today).await);
    totals_agree(&app).await.unwrap();
    marked
}

/// How many of the indexes a bulk load defers exist.
async fn deferred_present(app: &TestApp) -> i64 {
    let names = rungs::db::bulk::DEFERRED_INDEXES
        .iter()
        .map(|n| format!("'{n}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = match app.db.backend() {
        sea_orm::DatabaseBackend::Postgres => {
            format!("SELECT COUNT(*) FROM pg_indexes WHERE indexname IN ({names})")
        }
        _ => {
            format!("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN ({names})")
        }
    };
    ids(app, &sql).await[0]
}

#[tokio::test]
async fn a_load_builds_its_deferred_indexes_back_and_a_load_that_died_is_mended_at_start_up() {
    let app = TestApp::spawn().await;
    let all = rungs::db::bulk::DEFERRED_INDEXES.len() as i64;
    assert_eq!(deferred_present(&app).await, all);
    rungs::seed::seed(&app.db, 300, 3, Utc::now().date_naive())
        .await
        .map_err(|e| e.message())
        .unwrap();
    assert_eq!(deferred_present(&app).await, all);
    // A load that dropped them and died: the next instance to start builds
    // them back.
    rungs::db::bulk::defer_indexes(&app.db).await.unwrap();
    assert_eq!(deferred_present(&app).await, 0);
    let _restarted = app.second_instance().await;
    assert_eq!(deferred_present(&app).await, all);
    assert!(ids(&app, "SELECT COUNT(*) FROM deferred_index").await == [0]);
}
