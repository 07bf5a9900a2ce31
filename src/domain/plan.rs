//! Development plans: for each gap on one ladder step, the action that
//! closes it, and the earliest date the person could be ELIGIBLE if they
//! take those actions.
//!
//! The plan never decides eligibility itself. It adds the facts each action
//! would create (the certificate or skill assessment a course awards on the
//! last day of its session, a renewed certificate, the reviews needed to
//! reach the rating bar) to a copy of the person's facts and asks the one
//! engine, [`eligibility::evaluate`], from which date the step is ELIGIBLE.
//! So the plan's date is the later of the tenure date and the last action's
//! date whenever that is what the rules say, and it stays right when they
//! say more (a certificate lapsing before the tenure date needs renewing).
//!
//! Review dates are estimated: reviews are assumed quarterly, the next one
//! for the quarter ending after both the evaluation date and the last
//! review on record.

use chrono::{Datelike, Days, NaiveDate};

use super::eligibility::{
    self, count_units, requirement_gap, requirement_met_on, satisfies, self_level_on, skill_gap,
    skill_met_on, CertFact, EmployeeFacts, Gap, OptionResult, Requirement, ReviewFact, SkillFact,
    StepRules,
};
use super::enums::{
    AssessmentSource, CefrLevel, CertificationKind, CertificationStatus, EligibilityStatus,
    GapKind, PlanActionKind, SixSigmaBelt,
};
use super::tenure::add_months;
use super::words;

/// A certificate a course awards on completion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertAward {
    pub kind: CertificationKind,
    pub name: String,
    pub belt: Option<SixSigmaBelt>,
    pub language: Option<String>,
    pub cefr: Option<CefrLevel>,
    /// Months the certificate stays valid; `None`: it never expires.
    pub validity_months: Option<u32>,
}

/// What completing a course gives: a certificate, a skill level, or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseAward {
    pub course_id: i64,
    pub title: String,
    pub cert: Option<CertAward>,
    /// (skill id, level).
    pub skill: Option<(i64, u8)>,
}

impl CourseAward {
    /// The certificate completing the course on `day` creates.
    pub fn cert_on(&self, day: NaiveDate) -> Option<CertFact> {
        self.cert.as_ref().map(|award| CertFact {
            kind: award.kind,
            name: award.name.clone(),
            belt: award.belt,
            language: award.language.clone(),
            cefr: award.cefr,
            status: CertificationStatus::Verified,
            issued_on: day,
            expires_on: award.validity_months.and_then(|m| add_months(day, m)),
        })
    }

    /// What completing the course on `day` adds.
    pub fn on(&self, day: NaiveDate) -> AwardOn {
        AwardOn {
            course_id: self.course_id,
            cert: self.cert_on(day),
            skill: self.skill_on(day),
        }
    }

    /// The skill assessment completing the course on `day` records.
    pub fn skill_on(&self, day: NaiveDate) -> Option<SkillFact> {
        self.skill.map(|(skill_id, level)| SkillFact {
            skill_id,
            level,
            source: AssessmentSource::Course,
            assessed_on: day,
            seq: i64::MAX,
        })
    }
}

/// A course and what completing it on one day adds ([`CourseAward::on`]).
#[derive(Debug, Clone)]
pub struct AwardOn {
    pub course_id: i64,
    pub cert: Option<CertFact>,
    pub skill: Option<SkillFact>,
}

/// The courses of `awards` (dated `as_of`) that would unblock the person
/// ([`unblocks`]), in `awards` order; none when no step is INELIGIBLE.
pub fn unblocking_courses(
    facts: &EmployeeFacts<'_>,
    steps: &[StepRules],
    progression: &eligibility::Progression,
    awards: &[AwardOn],
    as_of: NaiveDate,
) -> Vec<i64> {
    if !progression
        .options
        .iter()
        .any(|o| o.status == EligibilityStatus::Ineligible)
    {
        return Vec::new();
    }
    awards
        .iter()
        .filter(|a| {
            unblocks(
                facts,
                steps,
                progression,
                a.cert.as_ref(),
                a.skill.as_ref(),
                as_of,
            )
        })
        .map(|a| a.course_id)
        .collect()
}

/// A scheduled session of a course the person could take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseOffer {
    pub award: CourseAward,
    pub session_id: i64,
    pub starts_on: NaiveDate,
    /// Completion (and what it awards) is dated on this day.
    pub ends_on: NaiveDate,
    pub seats_left: i64,
    /// The person already holds a seat in this session.
    pub enrolled: bool,
}

/// One thing to do.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanAction {
    pub kind: PlanActionKind,
    pub description: String,
    /// When it is done (a session's last day, a review's period end, the day
    /// tenure completes); `None` when nothing scheduled can do it.
    pub due_on: Option<NaiveDate>,
    /// The gaps it closes.
    pub closes: Vec<Gap>,
    /// For TAKE_COURSE and a course-backed RENEW_CERTIFICATION.
    pub session_id: Option<i64>,
    pub course_id: Option<i64>,
    pub seats_left: Option<i64>,
}

/// A plan for one step.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub step_id: i64,
    /// Where the person stands today (`as_of`).
    pub now: OptionResult,
    /// Ordered by due date; empty when already ELIGIBLE.
    pub actions: Vec<PlanAction>,
    /// The earliest date the step is ELIGIBLE if every action is taken;
    /// `None` when some gap has no action (nothing scheduled closes it).
    pub eligible_on: Option<NaiveDate>,
}

impl Plan {
    /// "Team Lead: needs Coaching 3 (manager rates 2); needs leadership
    /// training; has none — take Bar Raiser: the session starting 12 Jan
    /// 2027 (4 seats left), completed 15 Jan 2027; eligible from 15 Jan 2027".
    pub fn summary(&self, title: &str) -> String {
        let p = self;
        if p.now.status == EligibilityStatus::Eligible {
            return match p.eligible_on {
                Some(since) => format!("{title}: eligible since {}", words::date(since)),
                None => format!("{title}: eligible"),
            };
        }
        let gaps: Vec<&str> = p
            .now
            .gaps
            .iter()
            .filter(|g| g.kind != GapKind::Tenure)
            .map(|g| g.message.as_str())
            .collect();
        let actions: Vec<&str> = p
            .actions
            .iter()
            .filter(|a| a.kind != PlanActionKind::WaitForTenure)
            .map(|a| a.description.as_str())
            .collect();
        let mut text = title.to_owned();
        text.push_str(": ");
        if gaps.is_empty() {
            text.push_str("only months in role missing");
        } else {
            text.push_str(&gaps.join("; "));
        }
        if !actions.is_empty() {
            text.push_str(" — ");
            text.push_str(&actions.join("; "));
        }
        match p.eligible_on {
            Some(date) => text.push_str(&format!("; eligible from {}", words::date(date))),
            None => text.push_str("; no date yet: nothing scheduled closes every gap"),
        }
        text
    }
}

/// The last day of the calendar quarter after the one holding `day`... more
/// exactly: the first quarter end strictly after `day`.
pub fn next_quarter_end(day: NaiveDate) -> Option<NaiveDate> {
    let quarter_end_month = ((day.month() - 1) / 3 + 1) * 3;
    let end = |year: i32, month: u32| -> Option<NaiveDate> {
        let next = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)
        }?;
        next.pred_opt()
    };
    let this = end(day.year(), quarter_end_month)?;
    if this > day {
        Some(this)
    } else {
        let (year, month) = if quarter_end_month == 12 {
            (day.year() + 1, 3)
        } else {
            (day.year(), quarter_end_month + 3)
        };
        end(year, month)
    }
}

/// Rounds a rating bar up to one decimal (reviews are given to a tenth).
fn round_up_tenth(x: f64) -> f64 {
    ((x - 1e-9) * 10.0).ceil() / 10.0
}

fn evaluate_step(
    facts: &EmployeeFacts<'_>,
    step: &StepRules,
    as_of: NaiveDate,
) -> Option<OptionResult> {
    eligibility::evaluate(facts, std::slice::from_ref(step), as_of)
        .options
        .into_iter()
        .next()
}

/// The person's facts plus what the plan's actions would add.
struct Working {
    certs: Vec<CertFact>,
    reviews: Vec<ReviewFact>,
    skills: Vec<SkillFact>,
}

impl Working {
    fn facts<'a>(&'a self, base: &EmployeeFacts<'a>) -> EmployeeFacts<'a> {
        EmployeeFacts {
            certifications: &self.certs,
            reviews: &self.reviews,
            skills: &self.skills,
            ..base.clone()
        }
    }
}

struct Builder<'o> {
    offers: Vec<&'o CourseOffer>,
    actions: Vec<PlanAction>,
    blocked: bool,
}

impl Builder<'_> {
    /// Adds `gap` to the action for `offer`'s session, creating it.
    fn take(&mut self, offer: &CourseOffer, kind: PlanActionKind, gap: Gap) {
        if let Some(action) = self
            .actions
            .iter_mut()
            .find(|a| a.session_id == Some(offer.session_id))
        {
            action.closes.push(gap);
            return;
        }
        let seats = if offer.enrolled {
            "you are enrolled".to_string()
        } else if offer.seats_left == 1 {
            "1 seat left".to_string()
        } else {
            format!("{} seats left", offer.seats_left)
        };
        let verb = if kind == PlanActionKind::RenewCertification {
            "renew through"
        } else {
            "take"
        };
        self.actions.push(PlanAction {
            kind,
            description: format!(
                "{verb} {}: the session starting {} ({seats}), completed {}",
                offer.award.title,
                words::date(offer.starts_on),
                words::date(offer.ends_on)
            ),
            due_on: Some(offer.ends_on),
            closes: vec![gap],
            session_id: Some(offer.session_id),
            course_id: Some(offer.award.course_id),
            seats_left: Some(offer.seats_left),
        });
    }

    fn other(
        &mut self,
        kind: PlanActionKind,
        description: String,
        due_on: Option<NaiveDate>,
        gap: Gap,
    ) {
        if due_on.is_none() {
            self.blocked = true;
        }
        self.actions.push(PlanAction {
            kind,
            description,
            due_on,
            closes: vec![gap],
            session_id: None,
            course_id: None,
            seats_left: None,
        });
    }

    /// The session to renew `cert` (needed by `req`, expiring on `expires`)
    /// through: the latest one ending by the expiry day (the longest new
    /// validity with no break) whose certificate `req` accepts, never one
    /// already in the plan.
    fn renewal_offer(
        &self,
        req: &Requirement,
        cert: &CertFact,
        expires: NaiveDate,
    ) -> Option<CourseOffer> {
        let used: Vec<i64> = self.actions.iter().filter_map(|a| a.session_id).collect();
        self.offers
            .iter()
            .copied()
            .filter(|o| {
                !used.contains(&o.session_id)
                    && o.ends_on > cert.issued_on
                    && o.ends_on <= expires
                    && o.award
                        .cert_on(o.ends_on)
                        .is_some_and(|c| satisfies(req, &c))
            })
            .max_by_key(|o| (o.ends_on, std::cmp::Reverse(o.session_id)))
            .cloned()
    }
}

/// The plan for `step` as of `as_of`, choosing among `offers` (any order;
/// sessions that have started, or are full, are only used when the person
/// is enrolled in them).
pub fn plan(
    facts: &EmployeeFacts<'_>,
    step: &StepRules,
    offers: &[CourseOffer],
    as_of: NaiveDate,
) -> Option<Plan> {
    let now = evaluate_step(facts, step, as_of)?;
    if now.status == EligibilityStatus::Eligible {
        return Some(Plan {
            step_id: step.step_id,
            eligible_on: now.eligible_on,
            now,
            actions: Vec::new(),
        });
    }
    let mut usable: Vec<&CourseOffer> = offers
        .iter()
        .filter(|o| o.enrolled || (o.starts_on >= as_of && o.seats_left > 0))
        .filter(|o| o.ends_on >= as_of)
        .collect();
    // The session finishing soonest first; a booked one wins a tie.
    usable.sort_by_key(|o| (o.ends_on, !o.enrolled, o.starts_on, o.session_id));
    let mut b = Builder {
        offers: usable,
        actions: Vec::new(),
        blocked: false,
    };
    let mut w = Working {
        certs: facts.certifications.to_vec(),
        reviews: facts.reviews.to_vec(),
        skills: facts.skills.to_vec(),
    };

    for req in &step.requirements {
        if !requirement_met_on(req, &w.certs, as_of) {
            plan_requirement(&mut b, &mut w, facts, step, req, as_of);
        }
    }
    plan_skills(&mut b, &mut w, facts, step, as_of);
    plan_performance(&mut b, &mut w, &now, step, as_of);
    let eligible_on = settle(&mut b, &mut w, facts, &now, step, as_of);
    let mut actions = b.actions;
    actions.sort_by_key(|a| (a.due_on.is_none(), a.due_on, a.kind));
    Some(Plan {
        step_id: step.step_id,
        now,
        actions,
        eligible_on,
    })
}

/// Adds the sessions that award what `req` (a certificate or language
/// requirement not met today) still needs, or says nothing scheduled does.
fn plan_requirement(
    b: &mut Builder<'_>,
    w: &mut Working,
    facts: &EmployeeFacts<'_>,
    step: &StepRules,
    req: &Requirement,
    as_of: NaiveDate,
) {
    let gap = requirement_gap(req, facts.certifications, as_of);
    let needed = usize::try_from(req.count).unwrap_or(usize::MAX);
    loop {
        let day = w
            .certs
            .iter()
            .filter(|c| c.issued_on > as_of)
            .map(|c| c.issued_on)
            .fold(as_of, NaiveDate::max);
        if held_units(req, &w.certs, day) >= needed {
            break;
        }
        let pick = best_offer_for(b, w, step, req, day);
        match pick {
            Some(offer) => {
                w.certs.extend(offer.award.cert_on(offer.ends_on));
                w.skills.extend(offer.award.skill_on(offer.ends_on));
                b.take(offer, PlanActionKind::TakeCourse, gap.clone());
            }
            None => {
                b.other(
                    PlanActionKind::NoCourseScheduled,
                    format!(
                        "no scheduled course with free seats awards {}: ask your manager or HR to schedule one",
                        eligibility::describe_requirement(req)
                    ),
                    None,
                    gap,
                );
                break;
            }
        }
    }
}

/// Certificates held on `day` that count toward `req`.
fn held_units(req: &Requirement, certs: &[CertFact], day: NaiveDate) -> usize {
    count_units(
        req,
        certs,
        |c| eligibility::cert_valid_on(c, day),
        usize::MAX,
    )
}

/// The usable session not yet in the plan whose certificate adds to what
/// counts toward `req` by `day`, chosen so that the step's unmet skills
/// need the earliest and fewest further sessions.
fn best_offer_for<'o>(
    b: &Builder<'o>,
    w: &Working,
    step: &StepRules,
    req: &Requirement,
    day: NaiveDate,
) -> Option<&'o CourseOffer> {
    // A session already in the plan has its certificate counted.
    let used: Vec<i64> = b.actions.iter().filter_map(|a| a.session_id).collect();
    let candidates: Vec<&CourseOffer> = b
        .offers
        .iter()
        .copied()
        .filter(|o| !used.contains(&o.session_id))
        .filter(|o| {
            o.award.cert_on(o.ends_on).is_some_and(|cert| {
                if !satisfies(req, &cert) {
                    return false;
                }
                let later = NaiveDate::max(day, o.ends_on);
                let mut with = w.certs.clone();
                with.push(cert);
                held_units(req, &with, later) > held_units(req, &w.certs, later)
            })
        })
        .collect();
    // The session after which the step's unmet skills need the
    // earliest and fewest further sessions (a booked one wins ties):
    // one course
    // closing a certificate and a skill gap beats a certificate-only
    // course followed by a skill course.
    let unmet: Vec<&eligibility::SkillRequirement> = step
        .skill_requirements
        .iter()
        .filter(|r| !skill_met_on(r, &w.skills, NaiveDate::MAX))
        .collect();
    let finish = |o: &CourseOffer| {
        let mut last = o.ends_on;
        let mut extra = 0u32;
        for r in &unmet {
            let closes = |x: &CourseOffer| {
                x.award
                    .skill
                    .is_some_and(|(id, level)| id == r.skill_id && level >= r.min_level)
            };
            if closes(o) {
                continue;
            }
            if let Some(x) = b.offers.iter().find(|x| closes(x)) {
                last = last.max(x.ends_on);
                extra += 1;
            }
        }
        (last, extra)
    };
    candidates.iter().copied().min_by_key(|o| {
        let (last, extra) = finish(o);
        (last, extra, !o.enrolled, o.ends_on, o.session_id)
    })
}

/// Adds, for each skill requirement not met today, the session that builds
/// it (or the one already planned that does), an assessment to ask for, or
/// that nothing scheduled does.
fn plan_skills(
    b: &mut Builder<'_>,
    w: &mut Working,
    facts: &EmployeeFacts<'_>,
    step: &StepRules,
    as_of: NaiveDate,
) {
    for req in &step.skill_requirements {
        if skill_met_on(req, facts.skills, as_of) {
            continue;
        }
        let gap = skill_gap(req, facts.skills, as_of);
        // A session taken for another gap may already award it.
        let awards = |o: &CourseOffer| {
            o.award
                .skill
                .is_some_and(|(skill, level)| skill == req.skill_id && level >= req.min_level)
        };
        let offers = &b.offers;
        if let Some(action) = b.actions.iter_mut().find(|a| {
            offers
                .iter()
                .any(|o| a.session_id == Some(o.session_id) && awards(o))
        }) {
            action.closes.push(gap);
            continue;
        }
        let pick = b.offers.iter().copied().find(|o| awards(o));
        if let Some(offer) = pick {
            w.certs.extend(offer.award.cert_on(offer.ends_on));
            w.skills.extend(offer.award.skill_on(offer.ends_on));
            b.take(offer, PlanActionKind::TakeCourse, gap);
        } else if self_level_on(&w.skills, req.skill_id, as_of).is_some_and(|l| l >= req.min_level)
        {
            w.skills.push(SkillFact {
                skill_id: req.skill_id,
                level: req.min_level,
                source: AssessmentSource::Manager,
                assessed_on: as_of,
                seq: i64::MAX,
            });
            b.other(
                PlanActionKind::GetAssessed,
                format!(
                    "ask your manager to assess {} (you rate yourself at {} or more)",
                    req.skill_name, req.min_level
                ),
                Some(as_of),
                gap,
            );
        } else {
            b.other(
                PlanActionKind::NoCourseScheduled,
                format!(
                    "no scheduled course with free seats builds {} {}: ask your manager or HR to schedule one",
                    req.skill_name, req.min_level
                ),
                None,
                gap,
            );
        }
    }
}

/// Adds the reviews that would lift the rating over the step's bar, when
/// performance is a gap today.
fn plan_performance(
    b: &mut Builder<'_>,
    w: &mut Working,
    now: &OptionResult,
    step: &StepRules,
    as_of: NaiveDate,
) {
    if let Some(gap) = now.gaps.iter().find(|g| g.kind == GapKind::Performance) {
        let bar = step.min_rating;
        let last = w
            .reviews
            .iter()
            .filter(|r| r.rating.is_finite() && r.period_end <= as_of)
            .max_by(|a, b| {
                a.period_end
                    .cmp(&b.period_end)
                    .then(a.rating.total_cmp(&b.rating))
            });
        let base = last.map_or(as_of, |r| NaiveDate::max(as_of, r.period_end));
        let first = next_quarter_end(base);
        // One review lifts the mean of the last two when it can.
        let single = match last {
            Some(r) => round_up_tenth((2.0 * bar - r.rating).max(1.0)),
            None => round_up_tenth(bar),
        };
        match first {
            Some(q1) if single <= 5.0 => {
                w.reviews.push(ReviewFact {
                    period_end: q1,
                    rating: single,
                });
                b.other(
                    PlanActionKind::GetReviews,
                    format!(
                        "a review of {single:.1} or better for the quarter ending {}",
                        words::date(q1)
                    ),
                    Some(q1),
                    gap.clone(),
                );
            }
            Some(q1) => {
                let bar = round_up_tenth(bar);
                match next_quarter_end(q1) {
                    Some(q2) => {
                        w.reviews.push(ReviewFact {
                            period_end: q1,
                            rating: bar,
                        });
                        w.reviews.push(ReviewFact {
                            period_end: q2,
                            rating: bar,
                        });
                        b.other(
                            PlanActionKind::GetReviews,
                            format!(
                                "two reviews of {bar:.1} or better, for the quarters ending {} and {}",
                                words::date(q1),
                                words::date(q2)
                            ),
                            Some(q2),
                            gap.clone(),
                        );
                    }
                    None => b.other(
                        PlanActionKind::GetReviews,
                        format!("reviews of {bar:.1} or better"),
                        None,
                        gap.clone(),
                    ),
                }
            }
            None => b.other(
                PlanActionKind::GetReviews,
                format!("reviews of {bar:.1} or better"),
                None,
                gap.clone(),
            ),
        }
    }
}

/// The earliest day the step is ELIGIBLE once every planned action is
/// taken (asking the engine, renewing what lapses meanwhile), and the wait
/// for tenure when that comes last; `None` when some gap has no action.
fn settle(
    b: &mut Builder<'_>,
    w: &mut Working,
    facts: &EmployeeFacts<'_>,
    now: &OptionResult,
    step: &StepRules,
    as_of: NaiveDate,
) -> Option<NaiveDate> {
    let mut eligible_on = None;
    if !b.blocked {
        let mut day = b
            .actions
            .iter()
            .filter_map(|a| a.due_on)
            .fold(as_of, NaiveDate::max);
        // Each round either finds the date, moves to the tenure date, or
        // renews what lapsed by then; a few rounds always settle.
        for _ in 0..8 {
            let Some(option) = evaluate_step(&w.facts(facts), step, day) else {
                break;
            };
            match option.status {
                EligibilityStatus::Eligible => {
                    eligible_on = option.eligible_on;
                    break;
                }
                EligibilityStatus::NotYet => match option.eligible_on {
                    Some(tenure) if tenure > day => day = tenure,
                    _ => break,
                },
                EligibilityStatus::Ineligible => {
                    if !renew_lapsed(b, w, step, as_of, day) {
                        break;
                    }
                }
            }
        }
        if eligible_on.is_none() {
            b.other(
                PlanActionKind::NoCourseScheduled,
                "the scheduled actions do not keep every requirement met until the step's date"
                    .to_string(),
                None,
                Gap {
                    kind: GapKind::Certification,
                    message: "requirements lapse before eligibility".to_string(),
                },
            );
        }
        let last_action = b.actions.iter().filter_map(|a| a.due_on).max();
        if let Some(date) = eligible_on.filter(|&d| d > as_of && last_action.is_none_or(|a| a < d))
        {
            let gap = now
                .gaps
                .iter()
                .find(|g| g.kind == GapKind::Tenure)
                .cloned()
                .unwrap_or_else(|| Gap {
                    kind: GapKind::Tenure,
                    message: format!("months in role complete on {}", words::date(date)),
                });
            b.other(
                PlanActionKind::WaitForTenure,
                format!("complete the months in role on {}", words::date(date)),
                Some(date),
                gap,
            );
        }
    }
    eligible_on
}

/// Certificates the step depends on that have lapsed by `day`: renew each,
/// through a course ending before it expires when one is scheduled, else by
/// its expiry day. Returns whether anything was renewed.
fn renew_lapsed(
    b: &mut Builder<'_>,
    w: &mut Working,
    step: &StepRules,
    as_of: NaiveDate,
    day: NaiveDate,
) -> bool {
    let mut renewed = false;
    for req in &step.requirements {
        if requirement_met_on(req, &w.certs, day) {
            continue;
        }
        for cert in lapsed_certs(req, &w.certs, as_of, day) {
            let Some(expires) = cert.expires_on else {
                continue;
            };
            renew(b, w, req, &cert, expires);
            renewed = true;
        }
    }
    renewed
}

/// VERIFIED certificates of the kind and level `req` asks for that expire
/// in `(as_of, day]` and are not already followed, with no break, by a
/// later certificate (whose own lapse is handled on its own).
fn lapsed_certs(
    req: &Requirement,
    certs: &[CertFact],
    as_of: NaiveDate,
    day: NaiveDate,
) -> Vec<CertFact> {
    let counts = |c: &CertFact| satisfies(req, c) && c.status == CertificationStatus::Verified;
    certs
        .iter()
        .filter(|c| {
            counts(c)
                && c.expires_on.is_some_and(|e| e > as_of && e <= day)
                && !certs.iter().any(|other| {
                    counts(other)
                        && other.issued_on > c.issued_on
                        && c.expires_on.is_some_and(|e| other.issued_on <= e)
                })
        })
        .cloned()
        .collect()
}

/// Renews `cert`, which `req` needs and which expires on `expires`: through
/// the best [`Builder::renewal_offer`], else by hand on the expiry day with
/// the same validity.
fn renew(
    b: &mut Builder<'_>,
    w: &mut Working,
    req: &Requirement,
    cert: &CertFact,
    expires: NaiveDate,
) {
    let gap = Gap {
        kind: if req.kind == CertificationKind::Language {
            GapKind::Language
        } else {
            GapKind::Certification
        },
        message: format!("'{}' expires on {}", cert.name, words::date(expires)),
    };
    match b.renewal_offer(req, cert, expires) {
        Some(offer) => {
            w.certs.extend(offer.award.cert_on(offer.ends_on));
            b.take(&offer, PlanActionKind::RenewCertification, gap);
        }
        None => {
            let length = (expires - cert.issued_on).num_days().max(1) as u64;
            let renewed_cert = CertFact {
                issued_on: expires,
                expires_on: expires.checked_add_days(Days::new(length)),
                ..cert.clone()
            };
            w.certs.push(renewed_cert);
            b.other(
                PlanActionKind::RenewCertification,
                format!(
                    "renew '{}' before it expires on {}",
                    cert.name,
                    words::date(expires)
                ),
                Some(expires),
                gap,
            );
        }
    }
}

/// Whether completing a course that awards `cert` and/or `skill` (dated
/// `as_of`, see [`CourseAward::cert_on`] and [`CourseAward::skill_on`]) would turn some INELIGIBLE step of `steps`
/// into NOT_YET or ELIGIBLE: the course "unblocks" the person. `verdict` is
/// the engine's answer for `facts` and `steps` as of `as_of`. The check is
/// the engine's own blocking rule ([`eligibility::blocked_on`]) on the
/// facts plus the award, without the rest of the evaluation.
pub fn unblocks(
    facts: &EmployeeFacts<'_>,
    steps: &[StepRules],
    verdict: &eligibility::Progression,
    cert: Option<&CertFact>,
    skill: Option<&SkillFact>,
    as_of: NaiveDate,
) -> bool {
    // The facts plus the award, built at most once (only when relevant).
    let extended: std::cell::OnceCell<(Vec<CertFact>, Vec<SkillFact>)> = std::cell::OnceCell::new();
    steps.iter().zip(&verdict.options).any(|(step, option)| {
        if option.status != EligibilityStatus::Ineligible
            || option.gaps.iter().any(|g| g.kind == GapKind::Performance)
        {
            return false;
        }
        // Cheap check first: the award must close one of the unmet needs.
        let relevant = cert.is_some_and(|c| {
            step.requirements.iter().any(|req| {
                satisfies(req, c) && !requirement_met_on(req, facts.certifications, as_of)
            })
        }) || skill.is_some_and(|s| {
            step.skill_requirements.iter().any(|req| {
                req.skill_id == s.skill_id
                    && s.level >= req.min_level
                    && !skill_met_on(req, facts.skills, as_of)
            })
        });
        if !relevant {
            return false;
        }
        let with = extended.get_or_init(|| {
            let mut certs = facts.certifications.to_vec();
            certs.extend(cert.cloned());
            let mut skills = facts.skills.to_vec();
            skills.extend(skill.cloned());
            (certs, skills)
        });
        let with = EmployeeFacts {
            certifications: &with.0,
            skills: &with.1,
            ..facts.clone()
        };
        !eligibility::blocked_on(&with, step, as_of)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::eligibility::{evaluate, Requirement, SkillRequirement};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    const COACHING: i64 = 7;
    const CONFLICT: i64 = 4;

    fn review(period_end: NaiveDate, rating: f64) -> ReviewFact {
        ReviewFact { period_end, rating }
    }

    fn assessed(skill_id: i64, level: u8, source: AssessmentSource, on: NaiveDate) -> SkillFact {
        SkillFact {
            skill_id,
            level,
            source,
            assessed_on: on,
            seq: on.num_days_from_ce() as i64,
        }
    }

    fn leadership_cert(issued_on: NaiveDate, expires_on: Option<NaiveDate>) -> CertFact {
        CertFact {
            kind: CertificationKind::LeadershipTraining,
            name: "Bar Raiser".into(),
            belt: None,
            language: None,
            cefr: None,
            status: CertificationStatus::Verified,
            issued_on,
            expires_on,
        }
    }

    /// CSR -> Team Lead with leadership training and Coaching 3 (the demo's).
    fn team_lead() -> StepRules {
        StepRules {
            step_id: 1,
            target_role_code: "TEAM_LEAD".into(),
            target_role_title: "Team Lead".into(),
            fast_track_months: 12,
            standard_months: 18,
            min_rating: 3.0,
            top_performer_rating: 4.0,
            raise_min_bp: 2000,
            raise_max_bp: 3000,
            requirements: vec![Requirement {
                kind: CertificationKind::LeadershipTraining,
                min_belt: None,
                min_cefr: None,
                count: 1,
            }],
            skill_requirements: vec![SkillRequirement {
                skill_id: COACHING,
                skill_name: "Coaching".into(),
                min_level: 3,
            }],
            target_band: None,
        }
    }

    fn facts<'a>(
        role_since: NaiveDate,
        certs: &'a [CertFact],
        reviews: &'a [ReviewFact],
        skills: &'a [SkillFact],
    ) -> EmployeeFacts<'a> {
        EmployeeFacts {
            hired_on: role_since,
            role_since,
            salary_minor: 400_000,
            currency: "JPY".into(),
            pay: crate::domain::pay_basis::PayTerms::default(),
            certifications: certs,
            reviews,
            skills,
            has_open_nomination: false,
        }
    }

    fn bar_raiser(
        session_id: i64,
        starts_on: NaiveDate,
        ends_on: NaiveDate,
        seats: i64,
    ) -> CourseOffer {
        CourseOffer {
            award: CourseAward {
                course_id: 1,
                title: "Bar Raiser".into(),
                cert: Some(CertAward {
                    kind: CertificationKind::LeadershipTraining,
                    name: "Bar Raiser".into(),
                    belt: None,
                    language: None,
                    cefr: None,
                    validity_months: Some(36),
                }),
                skill: Some((COACHING, 3)),
            },
            session_id,
            starts_on,
            ends_on,
            seats_left: seats,
            enrolled: false,
        }
    }

    fn solid_reviews() -> Vec<ReviewFact> {
        vec![review(d(2026, 6, 30), 3.5), review(d(2026, 9, 30), 3.5)]
    }

    // --- SKILL gaps in the engine -------------------------------------------

    #[test]
    fn a_skill_below_the_level_is_a_skill_gap_naming_both_ratings() {
        let reviews = solid_reviews();
        let certs = [leadership_cert(d(2025, 1, 1), None)];
        let skills = [
            assessed(COACHING, 2, AssessmentSource::Manager, d(2026, 10, 1)),
            assessed(COACHING, 4, AssessmentSource::SelfAssessed, d(2026, 10, 2)),
        ];
        let p = evaluate(
            &facts(d(2024, 1, 1), &certs, &reviews, &skills),
            &[team_lead()],
            d(2026, 11, 26),
        );
        let option = &p.options[0];
        assert_eq!(option.status, EligibilityStatus::Ineligible);
        assert_eq!(option.gaps.len(), 1);
        assert_eq!(option.gaps[0].kind, GapKind::Skill);
        assert_eq!(
            option.gaps[0].message,
            "needs Coaching 3 (manager rates 2; self-assessed 4)"
        );
    }

    #[test]
    fn a_self_assessment_never_counts_but_hr_and_courses_do() {
        let reviews = solid_reviews();
        let certs = [leadership_cert(d(2025, 1, 1), None)];
        let day = d(2026, 11, 26);
        let status = |skills: &[SkillFact]| {
            evaluate(
                &facts(d(2024, 1, 1), &certs, &reviews, skills),
                &[team_lead()],
                day,
            )
            .options[0]
                .status
        };
        let own = [assessed(
            COACHING,
            5,
            AssessmentSource::SelfAssessed,
            d(2026, 1, 1),
        )];
        assert_eq!(status(&own), EligibilityStatus::Ineligible);
        let hr = [assessed(COACHING, 3, AssessmentSource::Hr, d(2026, 1, 1))];
        assert_eq!(status(&hr), EligibilityStatus::Eligible);
        let course = [assessed(
            COACHING,
            3,
            AssessmentSource::Course,
            d(2026, 1, 1),
        )];
        assert_eq!(status(&course), EligibilityStatus::Eligible);
    }

    #[test]
    fn the_latest_counted_assessment_is_the_level_and_history_is_kept() {
        let reviews = vec![review(d(2025, 6, 30), 3.5), review(d(2025, 12, 31), 3.5)];
        let certs = [leadership_cert(d(2025, 1, 1), None)];
        let skills = [
            assessed(COACHING, 3, AssessmentSource::Manager, d(2026, 1, 1)),
            assessed(COACHING, 2, AssessmentSource::Manager, d(2026, 6, 1)),
        ];
        let f = facts(d(2024, 1, 1), &certs, &reviews, &skills);
        assert_eq!(
            eligibility::skill_level_on(&skills, COACHING, d(2026, 3, 1)),
            Some(3)
        );
        assert_eq!(
            eligibility::skill_level_on(&skills, COACHING, d(2026, 7, 1)),
            Some(2)
        );
        let on = |day| evaluate(&f, &[team_lead()], day).options[0].status;
        assert_eq!(on(d(2026, 3, 1)), EligibilityStatus::Eligible);
        assert_eq!(on(d(2026, 7, 1)), EligibilityStatus::Ineligible);
    }

    #[test]
    fn eligible_on_is_the_day_the_skill_was_assessed_when_it_came_last() {
        let reviews = solid_reviews();
        let certs = [leadership_cert(d(2025, 1, 1), None)];
        let skills = [
            assessed(COACHING, 2, AssessmentSource::Manager, d(2026, 2, 1)),
            assessed(COACHING, 3, AssessmentSource::Manager, d(2026, 10, 15)),
        ];
        let p = evaluate(
            &facts(d(2024, 1, 1), &certs, &reviews, &skills),
            &[team_lead()],
            d(2026, 11, 26),
        );
        assert_eq!(p.options[0].status, EligibilityStatus::Eligible);
        assert_eq!(p.options[0].eligible_on, Some(d(2026, 10, 15)));
    }

    // --- plans ----------------------------------------------------------------

    #[test]
    fn one_course_closing_two_gaps_dates_the_plan_on_its_last_day() {
        let reviews = solid_reviews();
        let skills = [assessed(
            COACHING,
            2,
            AssessmentSource::Manager,
            d(2026, 10, 1),
        )];
        let f = facts(d(2024, 1, 1), &[], &reviews, &skills);
        let offers = [
            bar_raiser(10, d(2027, 1, 12), d(2027, 1, 15), 4),
            bar_raiser(11, d(2027, 3, 1), d(2027, 3, 4), 20),
        ];
        let plan = plan(&f, &team_lead(), &offers, d(2026, 11, 26)).expect("a plan");
        assert_eq!(plan.now.status, EligibilityStatus::Ineligible);
        assert_eq!(plan.actions.len(), 1, "{:?}", plan.actions);
        let take = &plan.actions[0];
        assert_eq!(take.kind, PlanActionKind::TakeCourse);
        assert_eq!(take.session_id, Some(10));
        assert_eq!(take.due_on, Some(d(2027, 1, 15)));
        assert_eq!(take.seats_left, Some(4));
        assert!(
            take.description
                .contains("the session starting 12 Jan 2027 (4 seats left)"),
            "{}",
            take.description
        );
        let closed: Vec<GapKind> = take.closes.iter().map(|g| g.kind).collect();
        assert_eq!(closed, vec![GapKind::Certification, GapKind::Skill]);
        assert_eq!(plan.eligible_on, Some(d(2027, 1, 15)));
    }

    #[test]
    fn a_full_or_started_session_is_skipped_and_no_session_means_no_date() {
        let reviews = solid_reviews();
        let f = facts(d(2024, 1, 1), &[], &reviews, &[]);
        let as_of = d(2026, 11, 26);
        let full = bar_raiser(10, d(2027, 1, 12), d(2027, 1, 15), 0);
        let started = bar_raiser(11, d(2026, 11, 20), d(2026, 11, 30), 5);
        let later = bar_raiser(12, d(2027, 2, 1), d(2027, 2, 3), 2);
        let p = plan(
            &f,
            &team_lead(),
            &[full.clone(), started.clone(), later],
            as_of,
        )
        .expect("plan");
        assert_eq!(p.actions[0].session_id, Some(12));
        assert_eq!(p.eligible_on, Some(d(2027, 2, 3)));

        let none = plan(&f, &team_lead(), &[full, started], as_of).expect("plan");
        assert_eq!(none.eligible_on, None);
        assert!(none
            .actions
            .iter()
            .all(|a| a.kind == PlanActionKind::NoCourseScheduled));
        assert_eq!(none.actions.len(), 2, "one per gap: {:?}", none.actions);
    }

    #[test]
    fn a_booked_session_is_kept_unless_another_makes_the_date_earlier() {
        let reviews = solid_reviews();
        let f = facts(d(2024, 1, 1), &[], &reviews, &[]);
        let as_of = d(2026, 11, 26);
        // Booked (and full) versus another ending the same day: the booking.
        let mut booked = bar_raiser(10, d(2027, 1, 13), d(2027, 1, 15), 0);
        booked.enrolled = true;
        let same_day = bar_raiser(11, d(2027, 1, 12), d(2027, 1, 15), 4);
        let p = plan(&f, &team_lead(), &[same_day.clone(), booked.clone()], as_of).expect("plan");
        assert_eq!(p.actions[0].session_id, Some(10));
        assert!(p.actions[0].description.contains("you are enrolled"));
        // A later booking: the plan shows the earlier session (and date).
        let mut later = booked;
        later.starts_on = d(2027, 3, 1);
        later.ends_on = d(2027, 3, 4);
        let p = plan(&f, &team_lead(), &[later, same_day], as_of).expect("plan");
        assert_eq!(p.actions[0].session_id, Some(11));
        assert_eq!(p.eligible_on, Some(d(2027, 1, 15)));
    }

    #[test]
    fn tenure_completing_after_the_course_sets_the_date() {
        let reviews = vec![review(d(2026, 9, 30), 3.5)];
        // Role since 2026-01-10: 18 months (standard) on 2027-07-10.
        let f = facts(d(2026, 1, 10), &[], &reviews, &[]);
        let offers = [bar_raiser(10, d(2027, 1, 12), d(2027, 1, 15), 4)];
        let p = plan(&f, &team_lead(), &offers, d(2026, 11, 26)).expect("plan");
        assert_eq!(p.eligible_on, Some(d(2027, 7, 10)));
        let kinds: Vec<PlanActionKind> = p.actions.iter().map(|a| a.kind).collect();
        assert_eq!(
            kinds,
            vec![PlanActionKind::TakeCourse, PlanActionKind::WaitForTenure]
        );
        assert_eq!(p.actions[1].due_on, Some(d(2027, 7, 10)));
    }

    #[test]
    fn a_certificate_lapsing_before_the_date_is_renewed_in_the_plan() {
        let reviews = vec![review(d(2026, 9, 30), 3.5)];
        let certs = [leadership_cert(d(2024, 3, 1), Some(d(2027, 3, 1)))];
        let skills = [assessed(
            COACHING,
            3,
            AssessmentSource::Manager,
            d(2026, 10, 1),
        )];
        // Tenure (18 months from 2026-01-10) completes 2027-07-10, after the
        // certificate expires on 2027-03-01.
        let f = facts(d(2026, 1, 10), &certs, &reviews, &skills);
        let p = plan(&f, &team_lead(), &[], d(2026, 11, 26)).expect("plan");
        assert_eq!(p.now.status, EligibilityStatus::NotYet);
        let renew = p
            .actions
            .iter()
            .find(|a| a.kind == PlanActionKind::RenewCertification)
            .expect("a renewal");
        assert_eq!(renew.due_on, Some(d(2027, 3, 1)));
        assert!(renew
            .description
            .contains("before it expires on 1 Mar 2027"));
        assert_eq!(p.eligible_on, Some(d(2027, 7, 10)));
    }

    #[test]
    fn a_low_rating_asks_for_a_review_high_enough_to_lift_the_mean() {
        let reviews = vec![review(d(2026, 6, 30), 2.5), review(d(2026, 9, 30), 2.6)];
        let certs = [leadership_cert(d(2025, 1, 1), None)];
        let skills = [assessed(
            COACHING,
            3,
            AssessmentSource::Manager,
            d(2026, 1, 1),
        )];
        let f = facts(d(2024, 1, 1), &certs, &reviews, &skills);
        let p = plan(&f, &team_lead(), &[], d(2026, 11, 26)).expect("plan");
        let action = &p.actions[0];
        assert_eq!(action.kind, PlanActionKind::GetReviews);
        // (2.6 + r) / 2 >= 3.0 needs r >= 3.4, for the quarter ending 2026-12-31.
        assert_eq!(
            action.description,
            "a review of 3.4 or better for the quarter ending 31 Dec 2026"
        );
        assert_eq!(p.eligible_on, Some(d(2026, 12, 31)));
    }

    #[test]
    fn a_rating_too_low_for_one_review_asks_for_two() {
        let reviews = vec![review(d(2026, 9, 30), 1.0)];
        let certs = [leadership_cert(d(2025, 1, 1), None)];
        let skills = [assessed(
            COACHING,
            3,
            AssessmentSource::Manager,
            d(2026, 1, 1),
        )];
        let mut step = team_lead();
        step.min_rating = 3.5;
        let f = facts(d(2024, 1, 1), &certs, &reviews, &skills);
        let p = plan(&f, &step, &[], d(2026, 11, 26)).expect("plan");
        assert!(
            p.actions[0]
                .description
                .starts_with("two reviews of 3.5 or better"),
            "{}",
            p.actions[0].description
        );
        assert_eq!(p.eligible_on, Some(d(2027, 3, 31)));
    }

    #[test]
    fn a_self_rating_high_enough_asks_the_manager_to_assess() {
        let reviews = solid_reviews();
        let certs = [leadership_cert(d(2025, 1, 1), None)];
        let skills = [assessed(
            COACHING,
            4,
            AssessmentSource::SelfAssessed,
            d(2026, 10, 1),
        )];
        let f = facts(d(2024, 1, 1), &certs, &reviews, &skills);
        let as_of = d(2026, 11, 26);
        let p = plan(&f, &team_lead(), &[], as_of).expect("plan");
        assert_eq!(p.actions[0].kind, PlanActionKind::GetAssessed);
        assert_eq!(p.eligible_on, Some(as_of));
    }

    #[test]
    fn an_eligible_person_has_nothing_to_do() {
        let reviews = solid_reviews();
        let certs = [leadership_cert(d(2025, 1, 1), None)];
        let skills = [assessed(
            COACHING,
            3,
            AssessmentSource::Manager,
            d(2026, 10, 1),
        )];
        let f = facts(d(2024, 1, 1), &certs, &reviews, &skills);
        let p = plan(
            &f,
            &team_lead(),
            &[bar_raiser(1, d(2027, 1, 1), d(2027, 1, 2), 3)],
            d(2026, 11, 26),
        )
        .expect("plan");
        assert!(p.actions.is_empty());
        assert_eq!(p.eligible_on, Some(d(2026, 10, 1)));
    }

    fn other_course(session_id: i64, ends_on: NaiveDate, validity: Option<u32>) -> CourseOffer {
        CourseOffer {
            award: CourseAward {
                course_id: 2,
                title: "Compliance".into(),
                cert: Some(CertAward {
                    kind: CertificationKind::Other,
                    name: "Compliance".into(),
                    belt: None,
                    language: None,
                    cefr: None,
                    validity_months: validity,
                }),
                skill: None,
            },
            session_id,
            starts_on: ends_on,
            ends_on,
            seats_left: 5,
            enrolled: false,
        }
    }

    fn needs_others(count: u32) -> StepRules {
        StepRules {
            requirements: vec![Requirement {
                kind: CertificationKind::Other,
                min_belt: None,
                min_cefr: None,
                count,
            }],
            skill_requirements: Vec::new(),
            ..team_lead()
        }
    }

    #[test]
    fn one_session_never_counts_twice_towards_a_requirement_for_two() {
        let reviews = solid_reviews();
        let f = facts(d(2024, 1, 1), &[], &reviews, &[]);
        let as_of = d(2026, 11, 26);
        let one = plan(
            &f,
            &needs_others(2),
            &[other_course(1, d(2027, 1, 10), None)],
            as_of,
        )
        .expect("plan");
        assert_eq!(one.eligible_on, None, "{:?}", one.actions);
        let kinds: Vec<PlanActionKind> = one.actions.iter().map(|a| a.kind).collect();
        assert_eq!(
            kinds,
            vec![
                PlanActionKind::TakeCourse,
                PlanActionKind::NoCourseScheduled
            ]
        );
        let two = plan(
            &f,
            &needs_others(2),
            &[
                other_course(1, d(2027, 1, 10), None),
                other_course(2, d(2027, 2, 10), None),
            ],
            as_of,
        )
        .expect("plan");
        assert_eq!(two.actions.len(), 2);
        assert_eq!(two.eligible_on, Some(d(2027, 2, 10)));
    }

    #[test]
    fn a_short_lived_course_certificate_is_renewed_through_a_later_session() {
        // Tenure completes 2027-07-10; the course certificate lasts 3 months.
        let reviews = vec![review(d(2026, 9, 30), 3.5)];
        let f = facts(d(2026, 1, 10), &[], &reviews, &[]);
        let offers = [
            other_course(1, d(2027, 1, 10), Some(3)),
            other_course(2, d(2027, 3, 20), Some(3)),
            other_course(3, d(2027, 6, 1), Some(3)),
        ];
        let p = plan(&f, &needs_others(1), &offers, d(2026, 11, 26)).expect("plan");
        let kinds: Vec<(PlanActionKind, Option<i64>)> =
            p.actions.iter().map(|a| (a.kind, a.session_id)).collect();
        assert_eq!(
            kinds,
            vec![
                (PlanActionKind::TakeCourse, Some(1)),
                (PlanActionKind::RenewCertification, Some(2)),
                (PlanActionKind::RenewCertification, Some(3)),
                (PlanActionKind::WaitForTenure, None),
            ]
        );
        assert_eq!(p.eligible_on, Some(d(2027, 7, 10)));
    }

    #[test]
    fn a_course_closing_both_gaps_beats_a_certificate_only_course_then_a_skill_course() {
        let reviews = solid_reviews();
        let f = facts(d(2024, 1, 1), &[], &reviews, &[]);
        let mut cert_only = bar_raiser(1, d(2026, 12, 10), d(2026, 12, 11), 5);
        cert_only.award.course_id = 3;
        cert_only.award.title = "Leadership basics".into();
        cert_only.award.skill = None;
        let mut coaching_only = bar_raiser(2, d(2027, 2, 1), d(2027, 2, 2), 5);
        coaching_only.award.course_id = 4;
        coaching_only.award.title = "Coaching fundamentals".into();
        coaching_only.award.cert = None;
        let both = bar_raiser(3, d(2027, 1, 12), d(2027, 1, 15), 4);
        let p = plan(
            &f,
            &team_lead(),
            &[cert_only, coaching_only, both],
            d(2026, 11, 26),
        )
        .expect("plan");
        assert_eq!(p.actions.len(), 1, "{:?}", p.actions);
        assert_eq!(p.actions[0].session_id, Some(3));
        assert_eq!(p.eligible_on, Some(d(2027, 1, 15)));
    }

    #[test]
    fn quarter_ends_come_strictly_after_the_day() {
        assert_eq!(next_quarter_end(d(2026, 11, 26)), Some(d(2026, 12, 31)));
        assert_eq!(next_quarter_end(d(2026, 12, 31)), Some(d(2027, 3, 31)));
        assert_eq!(next_quarter_end(d(2026, 3, 31)), Some(d(2026, 6, 30)));
        assert_eq!(next_quarter_end(d(2026, 1, 1)), Some(d(2026, 3, 31)));
    }

    #[test]
    fn a_course_unblocks_only_people_whose_remaining_gaps_it_closes() {
        let as_of = d(2026, 11, 26);
        let step = team_lead();
        let award = bar_raiser(1, as_of, as_of, 1).award;
        let reviews = solid_reviews();
        let unblocks_person = |certs: &[CertFact], reviews: &[ReviewFact], skills: &[SkillFact]| {
            let f = facts(d(2024, 1, 1), certs, reviews, skills);
            let verdict = evaluate(&f, std::slice::from_ref(&step), as_of);
            let (cert, skill) = (award.cert_on(as_of), award.skill_on(as_of));
            unblocks(
                &f,
                std::slice::from_ref(&step),
                &verdict,
                cert.as_ref(),
                skill.as_ref(),
                as_of,
            )
        };
        assert!(unblocks_person(&[], &reviews, &[]));
        let low = [review(d(2026, 9, 30), 2.0)];
        assert!(!unblocks_person(&[], &low, &[]), "the rating still blocks");
        let mut other = step.clone();
        other.skill_requirements.push(SkillRequirement {
            skill_id: CONFLICT,
            skill_name: "Conflict resolution".into(),
            min_level: 3,
        });
        let f = facts(d(2024, 1, 1), &[], &reviews, &[]);
        let verdict = evaluate(&f, std::slice::from_ref(&other), as_of);
        let (cert, skill) = (award.cert_on(as_of), award.skill_on(as_of));
        assert!(
            !unblocks(
                &f,
                std::slice::from_ref(&other),
                &verdict,
                cert.as_ref(),
                skill.as_ref(),
                as_of
            ),
            "conflict resolution still missing"
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn day(offset: i64) -> NaiveDate {
            d(2026, 11, 26) + chrono::Duration::days(offset)
        }

        fn arb_offer() -> impl Strategy<Value = CourseOffer> {
            (
                1i64..20,
                -30i64..400,
                0i64..10,
                0i64..4,
                any::<bool>(),
                any::<bool>(),
                prop::option::of(1u32..24),
            )
                .prop_map(
                    |(id, start, length, seats, enrolled, skill_too, validity)| {
                        let mut o = bar_raiser(id, day(start), day(start + length), seats);
                        o.enrolled = enrolled && id % 3 == 0;
                        if !skill_too {
                            o.award.skill = None;
                        }
                        if let Some(cert) = o.award.cert.as_mut() {
                            cert.validity_months = validity;
                        }
                        o
                    },
                )
        }

        fn arb_skill() -> impl Strategy<Value = SkillFact> {
            (
                1u8..=5,
                prop::sample::select(AssessmentSource::ALL),
                -900i64..0,
                0i64..50,
            )
                .prop_map(|(level, source, on, seq)| SkillFact {
                    skill_id: COACHING,
                    level,
                    source,
                    assessed_on: day(on),
                    seq,
                })
        }

        proptest! {
            #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

            #[test]
            fn plans_are_consistent_with_their_own_dates(
                role_days in 0i64..900,
                ratings in prop::collection::vec((2u8..=10, -800i64..0), 0..4),
                cert in prop::option::of((-900i64..0, prop::option::of(1i64..900))),
                skills in prop::collection::vec(arb_skill(), 0..4),
                mut offers in prop::collection::vec(arb_offer(), 0..5),
            ) {
                // Session ids are unique, as in the database.
                offers.sort_by_key(|o| o.session_id);
                offers.dedup_by_key(|o| o.session_id);
                let as_of = day(0);
                let reviews: Vec<ReviewFact> = ratings
                    .iter()
                    .map(|(halves, on)| review(day(*on), f64::from(*halves) / 2.0))
                    .collect();
                let certs: Vec<CertFact> = cert
                    .map(|(issued, lasts)| leadership_cert(day(issued), lasts.map(|n| day(issued + n))))
                    .into_iter()
                    .collect();
                let f = facts(day(-role_days), &certs, &reviews, &skills);
                let p = plan(&f, &team_lead(), &offers, as_of).expect("a plan");
                if p.now.status == EligibilityStatus::Eligible {
                    prop_assert!(p.actions.is_empty());
                    prop_assert_eq!(p.eligible_on, p.now.eligible_on);
                    return Ok(());
                }
                // Ordered by date, undated last.
                let keys: Vec<(bool, Option<NaiveDate>)> =
                    p.actions.iter().map(|a| (a.due_on.is_none(), a.due_on)).collect();
                let mut sorted = keys.clone();
                sorted.sort();
                prop_assert_eq!(&keys, &sorted);
                // No session twice, and only sessions one can take.
                let mut sessions: Vec<i64> = p.actions.iter().filter_map(|a| a.session_id).collect();
                let count = sessions.len();
                sessions.sort_unstable();
                sessions.dedup();
                prop_assert_eq!(sessions.len(), count);
                for id in sessions {
                    let o = offers.iter().find(|o| o.session_id == id).expect("an offered session");
                    prop_assert!(o.ends_on >= as_of);
                    prop_assert!(o.enrolled || (o.seats_left > 0 && o.starts_on >= as_of));
                }
                match p.eligible_on {
                    Some(date) => {
                        prop_assert!(date >= as_of);
                        for a in &p.actions {
                            prop_assert!(a.due_on.is_some_and(|due| due <= date), "{:?} after {}", a, date);
                        }
                    }
                    None => prop_assert!(p.actions.iter().any(|a| a.due_on.is_none()), "{:?}", p.actions),
                }
            }
        }
    }
}
