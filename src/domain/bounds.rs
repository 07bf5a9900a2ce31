//! The declared upper bound of every plain list the API returns.
//! Resolvers cut their lists at these numbers, so the cost model's count
//! (`graphql::cost`) is a true bound, and writes that would pass one
//! (more steps out of a role, more requirements on a step) are refused.
//! A new list field adds its bound here and in the cost model's table (a
//! test fails otherwise).

/// Direct reports of one manager.
pub const REPORTS: usize = 1_000;
/// A person's certificates, reviews, assessments, enrolments, history
/// (newest first where the list is dated).
pub const PERSONAL_RECORDS: usize = 200;
/// Skills in the catalogue (and so a person's skill levels).
pub const SKILLS: usize = 200;
/// Roles on the ladder.
pub const ROLES: usize = 200;
/// Ladder steps out of one role.
pub const STEPS_PER_ROLE: usize = 10;
/// Requirements (certificate or skill) of one ladder step.
pub const REQUIREMENTS_PER_STEP: usize = 10;
/// Gaps of one option or plan, and actions of one plan.
pub const GAPS: usize = 25;
/// Salary bands.
pub const SALARY_BANDS: usize = 2_000;
/// Courses, and sessions listed at once.
pub const COURSES: usize = 500;
/// Proficiency levels.
pub const LEVELS: usize = 20;
/// People on one session's roster (seats and waitlist).
pub const ROSTER: usize = 2_000;
/// Buckets of one dashboard figure.
pub const BUCKETS: usize = 1_000;
/// Ids one `nodes(ids:)` call takes, and so the objects it returns.
pub const NODES: usize = 100;
/// Warnings and other string lists (leaves: they hold no objects).
pub const STRINGS: usize = 100;

/// Cuts a list at its declared bound.
pub fn cut<T>(mut items: Vec<T>, bound: usize) -> Vec<T> {
    items.truncate(bound);
    items
}

/// One's own applications listed at most (newest first), and an
/// opening's applications ranked at most (issue 21).
pub const APPLICATIONS: usize = 500;

/// Merit cycles listed at most (newest first).
pub const MERIT_CYCLES: usize = 20;

/// Budgets (sites or markets, per currency) of one merit cycle at most: a
/// cycle that would have more is refused when it opens.
pub const MERIT_BUDGETS: usize = 300;

/// Succession slates (site and leadership role) listed at most (issue 21).
pub const SUCCESSION_SLATES: usize = 200;

/// Successors on one slate at most: the confirmed ones first, then the
/// engine's suggestions (confirming past it is refused).
pub const SUCCESSORS: usize = 25;

/// Cells of a 9-box (performance × potential).
pub const NINE_BOX_CELLS: usize = 9;

/// People listed in one 9-box cell at most (its `count` has them all).
pub const NINE_BOX_PEOPLE: usize = 100;

/// People a 9-box or a set of slates looks at at once at most: beyond it
/// the caller narrows by site or manager.
pub const SUCCESSION_POPULATION: usize = 20_000;
