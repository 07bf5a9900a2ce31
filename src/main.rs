//! `rungs`: parses the command line and dispatches.

use clap::Parser;
use rungs::config::{Cli, Command, LogFormat};
use rungs::{cli, telemetry};

/// mimalloc instead of glibc's allocator: a page of 100 employees spent a
/// quarter of the server's CPU in glibc malloc and free (`_int_malloc`,
/// `unlink_chunk`, `malloc_consolidate`; `scripts/profile_page.sh`), the
/// churn of many small short-lived values per GraphQL field.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(run());
}

async fn run() {
    let args = Cli::parse();
    let format = match &args.command {
        Command::Serve(serve) => serve.log_format,
        _ => LogFormat::Pretty,
    };
    telemetry::init(format);
    let result = match args.command {
        Command::Serve(serve) => cli::serve(serve).await,
        Command::Migrate(database) => cli::migrate(database).await,
        Command::CreateUser(create) => cli::create_user(create).await,
        #[cfg(feature = "tools")]
        Command::Seed(seed) => cli::seed(seed).await,
        #[cfg(feature = "tools")]
        Command::Bench(bench) => rungs::bench::run(bench).await,
        Command::Import(import) => cli::import(import).await,
        Command::Export(export) => cli::export(export).await,
        Command::TrustedDocuments => {
            print!(
                "{}",
                rungs::graphql::trusted::TrustedDocuments::web_app().manifest()
            );
            Ok(())
        }
        Command::Schema { federation } => {
            cli::schema(federation);
            Ok(())
        }
    };
    if let Err(err) = result {
        eprintln!("rungs: {err:#}");
        std::process::exit(1);
    }
}
