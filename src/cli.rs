//! The command line's work, one function per subcommand.

use std::io::{IsTerminal, Read};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::Context as _;
use chrono::Utc;

use crate::config::{
    CreateUserArgs, DatabaseArgs, ExportCommand, ExportFormat, ImportCommand, ServeArgs,
};
use crate::domain::enums::{AccessRole, EmploymentType, WorkArrangement};
use crate::error::AppError;
use crate::services::employees::{self, NewEmployee};
use crate::services::import::{self, ImportOptions, ImportOutcome, ProgressReport};
use crate::services::report;
use crate::startup::{shutdown_signal, Application};
use crate::{db, graphql};

pub async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let app = Application::build(
        &args.database.database_url,
        args.database.db_pool,
        &args.bind,
    )
    .await
    .context("starting the service")?
    .production(args.is_production())
    .request_timeout(std::time::Duration::from_millis(args.request_timeout_ms))
    .connection_limits(crate::connections::ConnectionLimits {
        max_connections: args.max_connections,
        request_read: std::time::Duration::from_secs(args.client_timeout_secs.max(1)),
        keep_alive: std::time::Duration::from_secs(args.keep_alive_secs.max(1)),
    })
    .ws_limits(crate::ws::WsLimits {
        max_subscriptions: args.ws_max_operations.max(1),
        max_sockets_per_person: args.ws_max_sockets.max(1),
        ..Default::default()
    })
    .allowed_origins(args.allowed_origins.clone())
    .drain(std::time::Duration::from_millis(args.drain_ms));
    #[cfg(feature = "tools")]
    let app = app.demo(args.demo);
    let app = if args.persisted_only {
        let documents = crate::graphql::trusted::TrustedDocuments::web_app_and(
            args.trusted_documents.as_deref(),
        )?;
        println!("Persisted-only: {} trusted operations", documents.len());
        app.persisted_only(documents)
    } else {
        app
    };
    let app = match &args.read_database_url {
        Some(url) => app
            .read_replica(url, args.read_db_pool, args.read_max_lag_bytes)
            .await
            .context("connecting to the read replica")?,
        None => app,
    };
    #[cfg(feature = "tools")]
    if args.demo {
        match crate::demo::seed_if_empty(&app.db)
            .await
            .map_err(AppError::into_anyhow)?
        {
            Some(logins) => crate::demo::print_logins(&logins),
            None => println!("Demo: the database already has employees; nothing seeded."),
        }
    }
    if args.keep_organisation {
        app.db.keep_organisation();
    }
    let address = app.address;
    println!("Rungs is listening on http://{address}");
    println!("  GraphiQL:  http://{address}/graphql");
    tracing::info!(%address, "listening");
    app.run_until(shutdown_signal()).await?;
    Ok(())
}

pub async fn migrate(args: DatabaseArgs) -> anyhow::Result<()> {
    let db = db::connect(&args.database_url, 1).await?;
    db::migrate(&db).await?;
    println!("migrations applied");
    Ok(())
}

pub async fn create_user(args: CreateUserArgs) -> anyhow::Result<()> {
    let mut password = String::new();
    std::io::stdin()
        .read_to_string(&mut password)
        .context("reading the password from standard input")?;
    let password = password.trim_end_matches(['\r', '\n']).to_owned();
    let access_role = AccessRole::parse(&args.access_role.to_uppercase())
        .ok_or_else(|| anyhow::anyhow!("--access-role must be EMPLOYEE, MANAGER, HR or ADMIN"))?;
    let db = db::connect(&args.database.database_url, 2).await?;
    db::migrate(&db).await?;
    let created = employees::create(
        &db,
        None,
        NewEmployee {
            employee_number: None,
            name: args.name,
            email: args.email,
            access_role,
            role_code: args.role,
            manager_id: None,
            site: args.site,
            market: args.market,
            work_arrangement: WorkArrangement::Onsite,
            employment_type: EmploymentType::FullTime,
            hired_on: Utc::now().date_naive(),
            role_since: None,
            salary: args.salary,
            currency: args.currency,
            pay_basis: crate::domain::enums::PayBasis::Annual,
            fte: 1.0,
            initial_password: Some(password),
        },
    )
    .await
    .map_err(AppError::into_anyhow)?;
    println!(
        "created {} <{}> as {} (id {})",
        created.name, created.email, created.access_role, created.id
    );
    Ok(())
}

pub fn schema(federation: bool) {
    if federation {
        print!("{}", graphql::federation_sdl());
    } else {
        print!("{}", graphql::sdl());
    }
}

#[cfg(feature = "tools")]
pub async fn seed(args: crate::config::SeedArgs) -> anyhow::Result<()> {
    if args.employees == 0 || args.employees > 2_000_000 {
        anyhow::bail!("--employees must be between 1 and 2000000");
    }
    let db = db::connect_for_load(&args.database.database_url, 2).await?;
    db::migrate(&db).await?;
    let report = crate::seed::seed(&db, args.employees, args.seed, Utc::now().date_naive())
        .await
        .map_err(AppError::into_anyhow)?;
    println!(
        "seeded {} employees, {} certifications, {} reviews, {} skill assessments, {} nominations in {:.1} s",
        report.employees,
        report.certifications,
        report.reviews,
        report.assessments,
        report.nominations,
        report.seconds
    );
    let phases: Vec<String> = report
        .phases
        .iter()
        .map(|(name, seconds)| format!("{name} {seconds:.1} s"))
        .collect();
    println!("  {}", phases.join(", "));
    Ok(())
}

pub async fn import(command: ImportCommand) -> anyhow::Result<()> {
    let (what, args) = match &command {
        ImportCommand::Employees(args) => ("employees", args),
        ImportCommand::Certifications(args) => ("certifications", args),
        ImportCommand::Reviews(args) => ("reviews", args),
    };
    let bytes =
        std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    let db = db::connect(&args.database.database_url, 2).await?;
    db::migrate(&db).await?;
    let options = ImportOptions {
        dry_run: args.dry_run,
        source: args.file.display().to_string(),
        progress: StderrProgress::if_terminal(),
    };
    let started = std::time::Instant::now();
    let outcome = match command {
        ImportCommand::Employees(_) => import::import_employees(&db, &bytes, &options).await,
        ImportCommand::Certifications(_) => {
            import::import_certifications(&db, &bytes, &options).await
        }
        ImportCommand::Reviews(_) => import::import_reviews(&db, &bytes, &options).await,
    }
    .map_err(AppError::into_anyhow)?;
    match outcome {
        ImportOutcome::Imported(s) => {
            println!(
                "{}{} rows of {what}: {} created, {} updated, {} unchanged in {:.1} s",
                if s.dry_run {
                    "dry run, nothing written: "
                } else {
                    ""
                },
                s.rows,
                s.created,
                s.updated,
                s.unchanged,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        ImportOutcome::Rejected(problems) => {
            for problem in &problems {
                eprintln!("{problem}");
            }
            anyhow::bail!(
                "{} problem{} in {}; nothing written",
                problems.len(),
                if problems.len() == 1 { "" } else { "s" },
                args.file.display()
            )
        }
    }
}

/// An import's progress bar on standard error, drawn only when it is a
/// terminal.
struct StderrProgress {
    /// The units of work and when the import started them.
    state: Mutex<(usize, Instant)>,
}

impl StderrProgress {
    fn if_terminal() -> Option<Arc<dyn ProgressReport>> {
        std::io::stderr().is_terminal().then(|| {
            Arc::new(StderrProgress {
                state: Mutex::new((0, Instant::now())),
            }) as Arc<dyn ProgressReport>
        })
    }
}

impl ProgressReport for StderrProgress {
    fn start(&self, total: usize) {
        if let Ok(mut state) = self.state.lock() {
            *state = (total, Instant::now());
        }
    }

    fn show(&self, what: &str, done: usize) {
        let Ok(state) = self.state.lock() else {
            return;
        };
        let (total, started) = *state;
        let width = 30;
        let total = total.max(1);
        let filled = (done.min(total) * width) / total;
        eprint!(
            "\r  [{}{}] {:>3}% {:<12} {:>6.1}s",
            "#".repeat(filled),
            ".".repeat(width - filled),
            done.min(total) * 100 / total,
            what,
            started.elapsed().as_secs_f64()
        );
    }

    fn finish(&self) {
        eprintln!();
    }
}

pub async fn export(command: ExportCommand) -> anyhow::Result<()> {
    use std::io::Write;
    let ExportCommand::Eligibility(args) = command;
    let db = db::connect(&args.database.database_url, 2).await?;
    db::migrate(&db).await?;
    let ladder = crate::db::facts::Ladder::load(&db.conn).await?;
    let as_of = args.as_of.unwrap_or_else(|| Utc::now().date_naive());
    let stdout = std::io::stdout();
    let out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        ExportFormat::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            writer.write_record(report::CSV_HEADER)?;
            report::for_each_chunk(&db, &ladder, as_of, |rows| {
                for row in rows {
                    writer.write_record(report::csv_fields(row))?;
                }
                Ok(())
            })
            .await?;
            writer.flush()?;
        }
        ExportFormat::Json => {
            let mut out = out;
            let mut first = true;
            writeln!(out, "[")?;
            report::for_each_chunk(&db, &ladder, as_of, |rows| {
                for row in rows {
                    if !first {
                        writeln!(out, ",")?;
                    }
                    first = false;
                    serde_json::to_writer(&mut out, &report::json_of(row))?;
                }
                Ok(())
            })
            .await?;
            writeln!(out, "\n]")?;
            out.flush()?;
        }
    }
    Ok(())
}
