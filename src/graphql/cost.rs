//! The cost model: what one operation may cost, worked out once on the
//! parsed document, before validation and before anything executes, over
//! HTTP and WebSocket alike (the schema's executor runs it, see
//! [`check_request`]).
//!
//! - **Objects** (GitHub's node limit): every composite value an answer can
//!   hold is counted. A list multiplies what it holds by its declared bound
//!   ([`bound`]); a connection's `edges` and `nodes` by its `first` (at most
//!   100, default 20). At most [`OBJECT_BUDGET`] objects; over it the
//!   request is refused with `BAD_USER_INPUT` and `extensions.cost
//!   { requested, limit }`.
//! - **Shape** (OWASP's GraphQL cheat sheet): depth at most [`MAX_DEPTH`],
//!   at most [`MAX_FIELDS`] field selections once fragments are expanded,
//!   at most [`MAX_DIRECTIVES`] directives on a field.
//! - **The document itself**: at most [`MAX_SELECTIONS`] selections once
//!   expanded (spreads included, so a chain of fragments that select
//!   nothing still counts), at most [`MAX_DOCUMENT_SELECTIONS`] written
//!   selections and [`MAX_FRAGMENTS`] fragment definitions. These keep
//!   async-graphql's own validation, which walks spreads again, cheap.
//!
//! Each fragment is costed once per (fragment, number of parents, page)
//! and multiplied by its spreads, so the work is linear in the document,
//! whatever its fragments spread. Introspection is costed like any other
//! field, with bounds taken from the schema itself (how many types, fields
//! and arguments it has).

use std::collections::HashMap;

use async_graphql::parser::types::{
    BaseType, ExecutableDocument, Field, FieldDefinition, FragmentDefinition, SchemaDefinition,
    Selection, SelectionSet, ServiceDocument, Type, TypeDefinition, TypeKind, TypeSystemDefinition,
};
use async_graphql::{Name, Positioned, ServerError, ServerResult, Value, Variables};

use crate::error::AppError;

/// Most objects one operation may resolve. The web app's largest page (My
/// team: 100 people with their options and gaps) costs 27,402, the full
/// dashboard 9,202, GraphiQL's introspection query 10,240 (printed by
/// `cargo test --lib cost -- --nocapture`).
pub const OBJECT_BUDGET: u64 = 50_000;
/// Deepest nesting of fields.
pub const MAX_DEPTH: u64 = 10;
/// Most field selections once fragments are expanded.
pub const MAX_FIELDS: u64 = 150;
/// Most directives on one field.
pub const MAX_DIRECTIVES: usize = 5;
/// Most selections (fields, spreads, inline fragments) once expanded.
pub const MAX_SELECTIONS: u64 = 1_000;
/// Most selections written in the document.
pub const MAX_DOCUMENT_SELECTIONS: usize = 2_000;
/// Most fragment definitions in the document.
pub const MAX_FRAGMENTS: usize = 100;

/// The declared upper bound of every plain list (in the domain, since
/// writes that would pass them are refused there too).
pub use crate::domain::bounds as bound;

/// (type, field, bound) for every plain list of the schema.
const LIST_BOUNDS: &[(&str, &str, usize)] = &[
    ("Course", "sessions", bound::COURSES),
    ("CourseSession", "enrolments", bound::ROSTER),
    ("Dashboard", "headcount", bound::BUCKETS),
    ("Dashboard", "eligibility", bound::BUCKETS),
    ("Dashboard", "courseImpact", bound::COURSES),
    ("Dashboard", "certificationCoverage", bound::BUCKETS),
    ("Dashboard", "compaRatios", bound::BUCKETS),
    ("Dashboard", "leadershipCoverage", bound::BUCKETS),
    ("Dashboard", "promotionVelocity", bound::BUCKETS),
    ("Dashboard", "benchStrength", bound::BUCKETS),
    ("EligibilityReportRow", "gaps", bound::GAPS),
    ("Employee", "reports", bound::REPORTS),
    ("Employee", "certifications", bound::PERSONAL_RECORDS),
    ("Employee", "reviews", bound::PERSONAL_RECORDS),
    ("Employee", "skills", bound::SKILLS),
    ("Employee", "skillAssessments", bound::PERSONAL_RECORDS),
    ("Employee", "enrolments", bound::PERSONAL_RECORDS),
    ("Employee", "roleHistory", bound::PERSONAL_RECORDS),
    ("Employee", "payHistory", bound::PERSONAL_RECORDS),
    ("Employee", "equityGrants", bound::PERSONAL_RECORDS),
    ("Employee", "potentialHistory", bound::PERSONAL_RECORDS),
    (
        "LadderStep",
        "skillRequirements",
        bound::REQUIREMENTS_PER_STEP,
    ),
    ("LadderStep", "requirements", bound::REQUIREMENTS_PER_STEP),
    ("MeritCycle", "budgets", bound::MERIT_BUDGETS),
    ("MeritCycle", "matrix", bound::BUCKETS),
    ("NineBoxCell", "employees", bound::NINE_BOX_PEOPLE),
    ("Plan", "gaps", bound::GAPS),
    ("Plan", "actions", bound::GAPS),
    ("PlanAction", "closes", bound::GAPS),
    ("Progression", "options", bound::STEPS_PER_ROLE),
    ("PromotionOption", "gaps", bound::GAPS),
    ("PromotionOption", "warnings", bound::STRINGS),
    ("Query", "ladder", bound::ROLES),
    ("Query", "nodes", bound::NODES),
    ("Query", "_entities", bound::NODES),
    ("Query", "salaryBands", bound::SALARY_BANDS),
    ("Query", "payGapReport", bound::BUCKETS),
    ("Query", "meritCycles", bound::MERIT_CYCLES),
    ("Query", "myApplications", bound::APPLICATIONS),
    ("Query", "successionSlates", bound::SUCCESSION_SLATES),
    ("Query", "nineBox", bound::NINE_BOX_CELLS),
    ("Query", "skills", bound::SKILLS),
    ("Query", "proficiencyLevels", bound::LEVELS),
    ("Query", "courses", bound::COURSES),
    ("Query", "courseSessions", bound::COURSES),
    ("Role", "steps", bound::STEPS_PER_ROLE),
    ("SuccessionSlate", "successors", bound::SUCCESSORS),
];

/// The introspection types, for costing `__schema` and `__type` like any
/// other field.
const INTROSPECTION_SDL: &str = r#"
type __Schema { description: String types: [__Type!]! queryType: __Type! mutationType: __Type subscriptionType: __Type directives: [__Directive!]! }
type __Type { kind: __TypeKind! name: String description: String specifiedByURL: String fields(includeDeprecated: Boolean = false): [__Field!] interfaces: [__Type!] possibleTypes: [__Type!] enumValues(includeDeprecated: Boolean = false): [__EnumValue!] inputFields(includeDeprecated: Boolean = false): [__InputValue!] ofType: __Type isOneOf: Boolean }
type __Field { name: String! description: String args(includeDeprecated: Boolean = false): [__InputValue!]! type: __Type! isDeprecated: Boolean! deprecationReason: String }
type __InputValue { name: String! description: String type: __Type! defaultValue: String isDeprecated: Boolean! deprecationReason: String }
type __EnumValue { name: String! description: String isDeprecated: Boolean! deprecationReason: String }
type __Directive { name: String! description: String locations: [__DirectiveLocation!]! args(includeDeprecated: Boolean = false): [__InputValue!]! isRepeatable: Boolean! }
enum __TypeKind { SCALAR OBJECT INTERFACE UNION ENUM INPUT_OBJECT LIST NON_NULL }
enum __DirectiveLocation { QUERY MUTATION SUBSCRIPTION FIELD FRAGMENT_DEFINITION FRAGMENT_SPREAD INLINE_FRAGMENT VARIABLE_DEFINITION SCHEMA SCALAR OBJECT FIELD_DEFINITION ARGUMENT_DEFINITION INTERFACE UNION ENUM ENUM_VALUE INPUT_OBJECT INPUT_FIELD_DEFINITION }
"#;

/// How many items a list field holds, at most.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Many {
    /// One value (not a list).
    One,
    /// A plain list: at most this many per parent, and, where the parents
    /// are all different (the types of `__schema { types }`), at most the
    /// second number in all.
    List(u64, Option<u64>),
    /// `edges` or `nodes` of a connection: its `first`.
    Page,
}

#[derive(Clone, Debug)]
struct FieldInfo {
    /// The named type the field returns.
    ty: String,
    many: Many,
    /// The connection's default page when the field takes `first`.
    first: Option<u64>,
    /// Arguments that must be given: (name, named type).
    required: Vec<(String, String)>,
}

/// A field as a document generator needs it (see the property test in
/// `tests/api/cost.rs`).
#[derive(Clone, Debug)]
pub struct FieldSketch {
    pub name: String,
    /// The named type it returns.
    pub ty: String,
    /// Whether it returns objects (and so needs a selection).
    pub composite: bool,
    /// Arguments that must be given: (name, named type).
    pub required: Vec<(String, String)>,
}

/// What an operation costs.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Cost {
    pub objects: u64,
    pub fields: u64,
    pub selections: u64,
    pub depth: u64,
}

impl Cost {
    fn add(&mut self, other: Cost) {
        self.objects = self.objects.saturating_add(other.objects);
        self.fields = self.fields.saturating_add(other.fields);
        self.selections = self.selections.saturating_add(other.selections);
        self.depth = self.depth.max(other.depth);
    }
}

/// Why an operation is refused.
#[derive(Debug, PartialEq)]
pub enum Refusal {
    /// More objects than the budget.
    Budget { requested: u64, limit: u64 },
    /// Too deep, too many fields or directives, too large a document.
    Shape(String),
}

impl Refusal {
    pub fn message(&self) -> String {
        match self {
            Refusal::Budget { requested, limit } => format!(
                "too costly: the query may resolve {requested} objects; the limit is {limit} \
                 (ask for smaller pages, or fewer nested lists)"
            ),
            Refusal::Shape(reason) => format!("too costly: {reason}"),
        }
    }

    /// `BAD_USER_INPUT` through the one error type, with
    /// `extensions.cost { requested, limit }` for the budget.
    pub fn into_server_error(self) -> ServerError {
        use async_graphql::ErrorExtensions;
        let error = async_graphql::Error::from(AppError::bad_input(self.message()));
        let error = match self {
            Refusal::Budget { requested, limit } => error.extend_with(|_, e| {
                let mut cost = async_graphql::indexmap::IndexMap::new();
                cost.insert(Name::new("requested"), Value::from(requested));
                cost.insert(Name::new("limit"), Value::from(limit));
                e.set("cost", Value::Object(cost));
            }),
            Refusal::Shape(_) => error,
        };
        request_error(error, None)
    }
}

/// An error of the request as a whole (no field path), keeping the
/// extensions the one error type gives it.
pub(crate) fn request_error(
    error: async_graphql::Error,
    at: Option<async_graphql::Pos>,
) -> ServerError {
    let mut server = ServerError::new(error.message, at);
    server.extensions = error.extensions;
    server
}

/// The schema's types as the cost model needs them.
#[derive(Debug)]
pub struct CostModel {
    types: HashMap<String, HashMap<String, FieldInfo>>,
    query: String,
    mutation: String,
    subscription: String,
    budget: u64,
    /// Whether `_service { sdl }` is answered (not in production, where
    /// introspection is off too: it would map the whole API).
    subgraph_sdl: bool,
}

fn named(ty: &Type) -> (&str, bool) {
    match &ty.base {
        BaseType::Named(name) => (name.as_str(), false),
        BaseType::List(inner) => (named(inner).0, true),
    }
}

/// What the cost model keeps of `field` of `type_name`. A plain list field
/// without a declared bound is added to `missing`.
fn field_info(
    type_name: &str,
    field: &FieldDefinition,
    introspection: bool,
    bounds: &HashMap<(&str, &str), usize>,
    missing: &mut Vec<String>,
) -> FieldInfo {
    let name = field.name.node.as_str();
    let (ty, is_list) = named(&field.ty.node);
    let many = if is_list {
        list_many(type_name, name, introspection, bounds, missing)
    } else {
        Many::One
    };
    let takes_first = field
        .arguments
        .iter()
        .any(|a| a.node.name.node.as_str() == "first");
    let first = (takes_first && ty.ends_with("Connection"))
        .then_some(crate::graphql::types::connection::DEFAULT_PAGE.max(0) as u64);
    let required = field
        .arguments
        .iter()
        .filter(|a| !a.node.ty.node.nullable && a.node.default_value.is_none())
        .map(|a| {
            (
                a.node.name.node.to_string(),
                named(&a.node.ty.node).0.to_owned(),
            )
        })
        .collect();
    FieldInfo {
        ty: ty.to_owned(),
        many,
        first,
        required,
    }
}

/// How many values the list field `type_name.name` holds: a connection's
/// page, its declared bound, or for introspection a bound set later from
/// the schema's sizes. Without any, it is added to `missing` and counted
/// as one.
fn list_many(
    type_name: &str,
    name: &str,
    introspection: bool,
    bounds: &HashMap<(&str, &str), usize>,
    missing: &mut Vec<String>,
) -> Many {
    let connection = type_name.ends_with("Connection");
    if connection && (name == "edges" || name == "nodes") {
        Many::Page
    } else if let Some(bound) = bounds.get(&(type_name, name)) {
        Many::List(*bound as u64, None)
    } else if introspection {
        // Set from the schema's sizes by `CostModel::bound_introspection`.
        Many::List(0, None)
    } else {
        missing.push(format!("{type_name}.{name}"));
        Many::One
    }
}

impl CostModel {
    /// Whether `_service { sdl }` is answered.
    pub fn serving_subgraph_sdl(mut self, serve: bool) -> Self {
        self.subgraph_sdl = serve;
        self
    }

    /// Reads the schema's SDL (and the introspection types).
    pub fn from_sdl(sdl: &str) -> Result<CostModel, String> {
        let doc = async_graphql::parser::parse_schema(sdl).map_err(|e| e.to_string())?;
        let intro =
            async_graphql::parser::parse_schema(INTROSPECTION_SDL).map_err(|e| e.to_string())?;
        let mut model = CostModel {
            types: HashMap::new(),
            query: "Query".into(),
            mutation: "Mutation".into(),
            subscription: "Subscription".into(),
            budget: OBJECT_BUDGET,
            subgraph_sdl: true,
        };
        let bounds: HashMap<(&str, &str), usize> =
            LIST_BOUNDS.iter().map(|(t, f, b)| ((*t, *f), *b)).collect();
        let mut missing = Vec::new();
        // Sizes of the schema, for introspection's bounds.
        let mut stats = SchemaStats::default();
        for (definitions, introspection) in [(&doc, false), (&intro, true)] {
            model.read(
                definitions,
                introspection,
                &bounds,
                &mut missing,
                &mut stats,
            );
        }
        if !missing.is_empty() {
            return Err(format!(
                "list fields without a declared bound: {}",
                missing.join(", ")
            ));
        }
        stats.finish();
        model.bound_introspection(&stats);
        Ok(model)
    }

    fn read(
        &mut self,
        doc: &ServiceDocument,
        introspection: bool,
        bounds: &HashMap<(&str, &str), usize>,
        missing: &mut Vec<String>,
        stats: &mut SchemaStats,
    ) {
        for definition in &doc.definitions {
            let type_def = match definition {
                TypeSystemDefinition::Schema(schema) => {
                    self.read_roots(&schema.node);
                    continue;
                }
                TypeSystemDefinition::Type(t) => &t.node,
                TypeSystemDefinition::Directive(_) => {
                    if !introspection {
                        stats.directives += 1;
                    }
                    continue;
                }
            };
            // The introspection types are listed by `__schema` too.
            stats.add_type(type_def);
            let fields = match &type_def.kind {
                TypeKind::Object(object) => &object.fields,
                TypeKind::Interface(interface) => &interface.fields,
                _ => continue,
            };
            let type_name = type_def.name.node.as_str();
            let mut infos = HashMap::new();
            for field in fields {
                let field = &field.node;
                let info = field_info(type_name, field, introspection, bounds, missing);
                infos.insert(field.name.node.to_string(), info);
            }
            self.types.insert(type_name.to_owned(), infos);
        }
    }

    /// The root operation types a `schema { .. }` definition names.
    fn read_roots(&mut self, schema: &SchemaDefinition) {
        if let Some(q) = &schema.query {
            self.query = q.node.to_string();
        }
        if let Some(m) = &schema.mutation {
            self.mutation = m.node.to_string();
        }
        if let Some(s) = &schema.subscription {
            self.subscription = s.node.to_string();
        }
    }

    fn bound_introspection(&mut self, stats: &SchemaStats) {
        // Built-in scalars (the SDL leaves them out).
        let types = stats.types + 8;
        let directives = stats.directives + 8;
        let set = |model: &mut CostModel, ty: &str, field: &str, many: Many| {
            if let Some(info) = model.types.get_mut(ty).and_then(|t| t.get_mut(field)) {
                info.many = many;
            }
        };
        set(self, "__Schema", "types", Many::List(types, Some(types)));
        set(
            self,
            "__Schema",
            "directives",
            Many::List(directives, Some(directives)),
        );
        set(
            self,
            "__Type",
            "fields",
            Many::List(stats.max_fields, Some(stats.fields)),
        );
        set(
            self,
            "__Type",
            "inputFields",
            Many::List(stats.max_fields, Some(stats.fields)),
        );
        set(
            self,
            "__Type",
            "enumValues",
            Many::List(stats.max_values, Some(stats.values)),
        );
        set(
            self,
            "__Type",
            "interfaces",
            Many::List(stats.max_members, Some(stats.members)),
        );
        set(
            self,
            "__Type",
            "possibleTypes",
            Many::List(stats.max_members, Some(stats.members)),
        );
        let args = Many::List(stats.max_args, Some(stats.args + 4 * directives));
        set(self, "__Field", "args", args);
        set(self, "__Directive", "args", args);
        set(self, "__Directive", "locations", Many::List(20, None));
        if let Some(root) = self.types.get_mut(&self.query) {
            for (name, ty) in [("__schema", "__Schema"), ("__type", "__Type")] {
                root.insert(
                    name.to_owned(),
                    FieldInfo {
                        ty: ty.to_owned(),
                        many: Many::One,
                        first: None,
                        required: if name == "__type" {
                            vec![("name".into(), "String".into())]
                        } else {
                            Vec::new()
                        },
                    },
                );
            }
        }
    }

    /// The root query type's name.
    pub fn query_type(&self) -> &str {
        &self.query
    }

    /// The fields of an object or interface type, sorted by name.
    pub fn fields(&self, type_name: &str) -> Vec<FieldSketch> {
        let mut fields: Vec<FieldSketch> = self
            .types
            .get(type_name)
            .into_iter()
            .flatten()
            .map(|(name, info)| FieldSketch {
                name: name.clone(),
                ty: info.ty.clone(),
                composite: self.types.contains_key(&info.ty),
                required: info.required.clone(),
            })
            .collect();
        fields.sort_by(|a, b| a.name.cmp(&b.name));
        fields
    }

    /// The cost of every operation of the document (the largest counts),
    /// or why it is refused.
    pub fn check(&self, doc: &ExecutableDocument, variables: &Variables) -> Result<Cost, Refusal> {
        if doc.fragments.len() > MAX_FRAGMENTS {
            return Err(Refusal::Shape(format!(
                "the document defines more than {MAX_FRAGMENTS} fragments"
            )));
        }
        let written: usize = doc
            .operations
            .iter()
            .map(|(_, op)| written_selections(&op.node.selection_set.node))
            .chain(
                doc.fragments
                    .values()
                    .map(|f| written_selections(&f.node.selection_set.node)),
            )
            .fold(0usize, usize::saturating_add);
        if written > MAX_DOCUMENT_SELECTIONS {
            return Err(Refusal::Shape(format!(
                "the document holds more than {MAX_DOCUMENT_SELECTIONS} selections"
            )));
        }
        let mut walker = Walker {
            model: self,
            doc,
            variables,
            memo: HashMap::new(),
            active: Vec::new(),
        };
        let mut worst = Cost::default();
        // Every fragment alone too (an unused one still costs validation).
        for (name, fragment) in &doc.fragments {
            let cost = walker.fragment(name, fragment, Ctx::root())?;
            shape(&cost)?;
        }
        for (_, operation) in doc.operations.iter() {
            let root = match operation.node.ty {
                async_graphql::parser::types::OperationType::Query => &self.query,
                async_graphql::parser::types::OperationType::Mutation => &self.mutation,
                async_graphql::parser::types::OperationType::Subscription => &self.subscription,
            };
            let cost = walker.set(
                &operation.node.selection_set.node,
                Some(root.as_str()),
                Ctx::root(),
            )?;
            shape(&cost)?;
            if cost.objects > self.budget {
                return Err(Refusal::Budget {
                    requested: cost.objects,
                    limit: self.budget,
                });
            }
            if cost.objects >= worst.objects {
                worst = Cost {
                    fields: worst.fields.max(cost.fields),
                    ..cost
                };
            }
        }
        Ok(worst)
    }
}

fn shape(cost: &Cost) -> Result<(), Refusal> {
    if cost.depth > MAX_DEPTH {
        return Err(Refusal::Shape(format!(
            "the query is nested deeper than {MAX_DEPTH} levels"
        )));
    }
    if cost.fields > MAX_FIELDS {
        return Err(Refusal::Shape(format!(
            "the query selects more than {MAX_FIELDS} fields"
        )));
    }
    if cost.selections > MAX_SELECTIONS {
        return Err(Refusal::Shape(format!(
            "the query expands to more than {MAX_SELECTIONS} selections"
        )));
    }
    Ok(())
}

fn written_selections(set: &SelectionSet) -> usize {
    set.items
        .iter()
        .map(|s| {
            1 + match &s.node {
                Selection::Field(f) => written_selections(&f.node.selection_set.node),
                Selection::InlineFragment(i) => written_selections(&i.node.selection_set.node),
                Selection::FragmentSpread(_) => 0,
            }
        })
        .fold(0usize, usize::saturating_add)
}

#[derive(Default, Debug)]
struct SchemaStats {
    types: u64,
    directives: u64,
    fields: u64,
    max_fields: u64,
    args: u64,
    max_args: u64,
    values: u64,
    max_values: u64,
    members: u64,
    max_members: u64,
    /// Implementers per interface: an interface's `possibleTypes`.
    implementers: HashMap<String, u64>,
}

impl SchemaStats {
    fn add_type(&mut self, def: &TypeDefinition) {
        self.types += 1;
        let (fields, args, values, members) = match &def.kind {
            TypeKind::Object(o) => {
                self.implemented(&o.implements);
                (
                    o.fields.len(),
                    o.fields.iter().map(|f| f.node.arguments.len()).collect(),
                    0,
                    o.implements.len(),
                )
            }
            TypeKind::Interface(i) => {
                self.implemented(&i.implements);
                (
                    i.fields.len(),
                    i.fields.iter().map(|f| f.node.arguments.len()).collect(),
                    0,
                    i.implements.len(),
                )
            }
            TypeKind::InputObject(i) => (i.fields.len(), Vec::new(), 0, 0),
            TypeKind::Enum(e) => (0, Vec::new(), e.values.len(), 0),
            TypeKind::Union(u) => (0, Vec::new(), 0, u.members.len()),
            TypeKind::Scalar => (0, Vec::new(), 0, 0),
        };
        let args: Vec<usize> = args;
        self.fields += fields as u64;
        self.max_fields = self.max_fields.max(fields as u64);
        self.args += args.iter().sum::<usize>() as u64;
        self.max_args = self
            .max_args
            .max(args.iter().copied().max().unwrap_or(0) as u64);
        self.values += values as u64;
        self.max_values = self.max_values.max(values as u64);
        self.members += members as u64 + 1;
        self.max_members = self.max_members.max(members as u64 + 1);
    }

    fn implemented(&mut self, interfaces: &[Positioned<Name>]) {
        for interface in interfaces {
            *self
                .implementers
                .entry(interface.node.to_string())
                .or_default() += 1;
        }
    }

    /// An interface's `possibleTypes` are its implementers: counted once
    /// every type is read (a type's own `members` counts what it
    /// implements or, for a union, holds).
    fn finish(&mut self) {
        self.members += self.implementers.values().sum::<u64>();
        let most = self.implementers.values().copied().max().unwrap_or(0);
        self.max_members = self.max_members.max(most + 1);
    }
}

/// Where a selection set is costed: how many parents it is resolved under,
/// the page of the connection it is in, and whether those parents are all
/// different (only then do the schema-wide totals of introspection apply).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Ctx {
    parents: u64,
    page: Option<u64>,
    distinct: bool,
}

impl Ctx {
    fn root() -> Ctx {
        Ctx {
            parents: 1,
            page: None,
            distinct: true,
        }
    }
}

struct Walker<'a> {
    model: &'a CostModel,
    doc: &'a ExecutableDocument,
    variables: &'a Variables,
    memo: HashMap<(&'a str, Ctx), Cost>,
    /// Fragments being costed (a cycle counts nothing; validation refuses
    /// it).
    active: Vec<&'a str>,
}

impl<'a> Walker<'a> {
    fn fragment(
        &mut self,
        name: &'a Name,
        fragment: &'a Positioned<FragmentDefinition>,
        ctx: Ctx,
    ) -> Result<Cost, Refusal> {
        let on = fragment.node.type_condition.node.on.node.as_str();
        let key = (name.as_str(), ctx);
        if let Some(cost) = self.memo.get(&key) {
            return Ok(*cost);
        }
        if self.active.contains(&name.as_str()) {
            return Ok(Cost::default());
        }
        self.active.push(name.as_str());
        let cost = self.set(&fragment.node.selection_set.node, Some(on), ctx);
        self.active.pop();
        let cost = cost?;
        self.memo.insert(key, cost);
        Ok(cost)
    }

    fn set(
        &mut self,
        set: &'a SelectionSet,
        parent: Option<&'a str>,
        ctx: Ctx,
    ) -> Result<Cost, Refusal> {
        let mut total = Cost::default();
        for selection in &set.items {
            let cost = match &selection.node {
                Selection::Field(field) => self.field(&field.node, parent, ctx)?,
                Selection::InlineFragment(inline) => {
                    let on = inline
                        .node
                        .type_condition
                        .as_ref()
                        .map(|c| c.node.on.node.as_str())
                        .or(parent);
                    let mut cost = self.set(&inline.node.selection_set.node, on, ctx)?;
                    cost.selections = cost.selections.saturating_add(1);
                    cost
                }
                Selection::FragmentSpread(spread) => {
                    let name = &spread.node.fragment_name.node;
                    let mut cost = match self.doc.fragments.get_key_value(name) {
                        Some((name, fragment)) => self.fragment(name, fragment, ctx)?,
                        None => Cost::default(),
                    };
                    cost.selections = cost.selections.saturating_add(1);
                    cost
                }
            };
            total.add(cost);
            // Stop early: nothing can bring a cost back down.
            if total.objects > self.model.budget.saturating_mul(1_000)
                || total.selections > MAX_SELECTIONS
                || total.fields > MAX_FIELDS
            {
                return Ok(total);
            }
        }
        Ok(total)
    }

    fn field(
        &mut self,
        field: &'a Field,
        parent: Option<&'a str>,
        ctx: Ctx,
    ) -> Result<Cost, Refusal> {
        let name = field.name.node.as_str();
        if field.directives.len() > MAX_DIRECTIVES {
            return Err(Refusal::Shape(format!(
                "field `{name}` has more than {MAX_DIRECTIVES} directives"
            )));
        }
        let info = parent
            .and_then(|p| self.model.types.get(p))
            .and_then(|fields| fields.get(name));
        // Inside introspection only objects and selections count (GraphiQL's
        // own query is deeper and wider than any limit meant for data).
        let counted = u64::from(!parent.is_some_and(|p| p.starts_with("__")));
        let mut cost = Cost {
            objects: 0,
            fields: counted,
            selections: 1,
            depth: counted,
        };
        let children = &field.selection_set.node;
        if name == "_service"
            && parent == Some(self.model.query.as_str())
            && !self.model.subgraph_sdl
        {
            return Err(Refusal::Shape(
                "the subgraph SDL is not served in production (introspection is off too); \
                 compose the supergraph from `rungs schema --federation`"
                    .into(),
            ));
        }
        if name == "_entities" && parent == Some(self.model.query.as_str()) {
            return self.entities(field, ctx, cost);
        }
        let Some(info) = info else {
            // Unknown here (validation will say so), or `__typename`.
            if !children.items.is_empty() {
                let inner = self.set(children, None, ctx)?;
                cost.add(Cost {
                    depth: inner.depth + counted,
                    ..inner
                });
            }
            return Ok(cost);
        };
        let composite = self.model.types.contains_key(&info.ty) || !children.items.is_empty();
        if !composite {
            return Ok(cost);
        }
        // Whether the values are all different from each other (only then do
        // the schema-wide totals of introspection apply below them).
        let (count, distinct) = match info.many {
            Many::One => (ctx.parents, ctx.distinct && info.ty != "__Type"),
            Many::Page => (
                ctx.parents.saturating_mul(
                    ctx.page
                        .unwrap_or(crate::graphql::types::connection::MAX_PAGE as u64),
                ),
                false,
            ),
            Many::List(per_parent, total) => {
                let count = ctx.parents.saturating_mul(per_parent);
                match total {
                    Some(total) if ctx.distinct => (count.min(total), true),
                    _ => (count, false),
                }
            }
        };
        let page = info.first.map(|default| self.first(field, default));
        let inner_ctx = Ctx {
            parents: count,
            page: page.or(if info.ty.ends_with("Connection") {
                ctx.page
            } else {
                None
            }),
            distinct,
        };
        let inner = self.set(children, Some(info.ty.as_str()), inner_ctx)?;
        cost.objects = count.saturating_add(inner.objects);
        cost.fields = cost.fields.saturating_add(inner.fields);
        cost.selections = cost.selections.saturating_add(inner.selections);
        cost.depth = inner.depth + counted;
        Ok(cost)
    }

    /// The page a connection field asks for: its `first` (a literal or a
    /// variable), else its default; at most 100.
    /// Apollo Federation's `_entities(representations:)` (not in the SDL
    /// the model reads): one object per representation, at most
    /// [`bound::NODES`], each costed as its inline fragments say.
    fn entities(&mut self, field: &'a Field, ctx: Ctx, mut cost: Cost) -> Result<Cost, Refusal> {
        let count = field
            .arguments
            .iter()
            .find(|(name, _)| name.node.as_str() == "representations")
            .and_then(|(_, value)| {
                value
                    .node
                    .clone()
                    .into_const_with(|name| self.variables.get(&name).cloned().ok_or(()))
                    .ok()
            })
            .map_or(0, |value| match value {
                Value::List(items) => items.len() as u64,
                _ => 1,
            });
        if count > bound::NODES as u64 {
            return Err(Refusal::Shape(format!(
                "_entities takes at most {} representations",
                bound::NODES
            )));
        }
        let parents = ctx.parents.saturating_mul(count);
        let inner = self.set(
            &field.selection_set.node,
            None,
            Ctx {
                parents,
                page: None,
                distinct: false,
            },
        )?;
        cost.objects = parents.saturating_add(inner.objects);
        cost.fields = cost.fields.saturating_add(inner.fields);
        cost.selections = cost.selections.saturating_add(inner.selections);
        cost.depth += inner.depth;
        Ok(cost)
    }

    fn first(&self, field: &Field, default: u64) -> u64 {
        let max = crate::graphql::types::connection::MAX_PAGE as u64;
        let Some((_, value)) = field
            .arguments
            .iter()
            .find(|(name, _)| name.node.as_str() == "first")
        else {
            return default;
        };
        // A variable not sent may have a default in the operation: count
        // the largest page then.
        let value = value
            .node
            .clone()
            .into_const_with(|name| self.variables.get(&name).cloned().ok_or(()))
            .unwrap_or(Value::from(max));
        let value = Some(value);
        match value {
            Some(Value::Number(n)) => n.as_u64().map_or(max, |n| n.min(max)),
            Some(Value::Null) | None => default,
            // Not a number: validation refuses it; count the largest page.
            Some(_) => max,
        }
    }
}

/// Checks one request before it is validated: the cost model, then the
/// variables the operation requires ([`crate::graphql::variables`]). The
/// schema's executor ([`crate::graphql::AppSchema`]) calls it for every
/// request, over HTTP and WebSocket alike. It is not a schema extension: with
/// any extension installed, async-graphql wraps every field it resolves in
/// the extension chain, which cost a page of 100 employees about 15 % of the
/// server's CPU (`scripts/cpu_per_request.py`).
pub fn check_request(model: &CostModel, request: &mut async_graphql::Request) -> ServerResult<()> {
    let variables = request.variables.clone();
    let operation_name = request.operation_name.clone();
    // Parsed once here; async-graphql reuses the parsed document.
    let doc = request
        .parsed_query()
        .map_err(|e| ServerError::new(e.to_string(), None))?;
    model
        .check(doc, &variables)
        .map_err(Refusal::into_server_error)?;
    crate::graphql::variables::check(doc, operation_name.as_deref(), &variables)
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;

    fn model() -> CostModel {
        CostModel::from_sdl(&crate::graphql::sdl_without_guard()).expect("every list is bounded")
    }

    fn cost(query: &str) -> Result<Cost, Refusal> {
        model().check(&parse_query(query).unwrap(), &Variables::default())
    }

    fn refused(query: &str) -> String {
        cost(query).unwrap_err().message()
    }

    #[test]
    fn every_list_of_the_schema_has_a_bound() {
        model();
    }

    #[test]
    fn ordinary_queries_pass() {
        cost(
            "{ me { name progression { options { targetRole { code } gaps { kind message } } } } }",
        )
        .unwrap();
    }

    #[test]
    fn eleven_levels_are_too_deep() {
        let deep = "{ me { manager { manager { manager { manager { manager { manager { manager { manager { manager { name } } } } } } } } } } }";
        assert!(refused(deep).contains("deeper"));
        let ten = "{ me { manager { manager { manager { manager { manager { manager { manager { manager { name } } } } } } } } } }";
        cost(ten).unwrap();
    }

    #[test]
    fn a_hundred_aliases_are_too_many() {
        let aliases: String = (0..160).map(|i| format!("a{i}: me {{ id }} ")).collect();
        assert!(refused(&format!("{{ {aliases} }}")).contains("fields"));
    }

    #[test]
    fn six_directives_on_a_field_are_too_many() {
        let q = "query($t: Boolean!) { me @include(if: $t) @include(if: $t) @include(if: $t) @include(if: $t) @include(if: $t) @include(if: $t) { id } }";
        assert!(refused(q).contains("directives"));
    }

    fn chain(levels: usize, end: &str) -> String {
        let mut q = String::from("query { ...F0 }\n");
        for i in 0..levels {
            q.push_str(&format!(
                "fragment F{i} on Query {{ ...F{} ...F{} }}\n",
                i + 1,
                i + 1
            ));
        }
        q.push_str(&format!("fragment F{levels} on Query {{ {end} }}\n"));
        q
    }

    #[test]
    fn fragment_chains_are_costed_once_per_fragment_and_refused() {
        let started = std::time::Instant::now();
        assert!(refused(&chain(21, "__schema { __typename }")).contains("too costly"));
        assert!(refused(&chain(27, "...Unknown")).contains("too costly"));
        assert!(refused(&chain(60, "me { id }")).contains("too costly"));
        assert!(started.elapsed() < std::time::Duration::from_millis(500));
    }

    #[test]
    fn fan_out_through_lists_is_refused_with_the_cost() {
        let q = "{ me { manager { reports { manager { reports { manager { reports { name } } } } } } } }";
        match cost(q) {
            Err(Refusal::Budget { requested, limit }) => {
                assert!(requested > limit);
                assert_eq!(limit, OBJECT_BUDGET);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn connections_count_by_first() {
        let small = cost("{ employees(first: 10) { nodes { role { code } } } }").unwrap();
        let large = cost("{ employees(first: 100) { nodes { role { code } } } }").unwrap();
        assert_eq!(small.objects, 1 + 10 + 10);
        assert_eq!(large.objects, 1 + 100 + 100);
        let default = cost("{ employees { nodes { id } } }").unwrap();
        assert_eq!(default.objects, 1 + 20);
        let vars: Variables = serde_json::from_value(serde_json::json!({ "n": 5 })).unwrap();
        let q = parse_query("query($n: Int) { employees(first: $n) { edges { node { id } } } }")
            .unwrap();
        assert_eq!(model().check(&q, &vars).unwrap().objects, 1 + 5 + 5);
    }

    #[test]
    fn introspection_is_counted_and_graphiql_fits() {
        let cost = cost(GRAPHIQL_INTROSPECTION).unwrap();
        println!("GraphiQL's introspection: {cost:?}");
        assert!(cost.objects > 1_000, "{cost:?}");
        assert!(cost.objects < OBJECT_BUDGET, "{cost:?}");
        let nested = "{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }";
        assert!(refused(nested).contains("too costly"));
    }

    #[test]
    fn the_web_apps_pages_and_the_full_dashboard_fit() {
        for file in [
            include_str!("../web/assets/team.js"),
            include_str!("../web/assets/progression.js"),
            include_str!("../web/assets/dashboard.js"),
        ] {
            for query in file.split('`').skip(1).step_by(2) {
                // Whole operations only (one is built from a template).
                if !(query.starts_with("query") || query.starts_with("mutation"))
                    || query.contains("${")
                {
                    continue;
                }
                let cost = cost(query).unwrap_or_else(|e| panic!("{query}: {e:?}"));
                println!(
                    "{} objects: {}",
                    cost.objects,
                    query.lines().next().unwrap_or("")
                );
                assert!(cost.objects <= OBJECT_BUDGET);
            }
        }
    }

    /// The introspection query GraphiQL sends (graphql-js
    /// `getIntrospectionQuery` with descriptions and deprecated members).
    const GRAPHIQL_INTROSPECTION: &str = "
    query IntrospectionQuery {
      __schema {
        queryType { name } mutationType { name } subscriptionType { name }
        types { ...FullType }
        directives { name description locations args { ...InputValue } }
      }
    }
    fragment FullType on __Type {
      kind name description
      fields(includeDeprecated: true) {
        name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason
      }
      inputFields { ...InputValue }
      interfaces { ...TypeRef }
      enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
      possibleTypes { ...TypeRef }
    }
    fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
    fragment TypeRef on __Type {
      kind name
      ofType { kind name ofType { kind name ofType { kind name ofType { kind name
        ofType { kind name ofType { kind name ofType { kind name } } } } } } }
    }";
}
