//! `rungs`: parses the command line and dispatches.

use clap::Parser;
use rungs::config::{Cli, Command, LogFormat};
use rungs::{cli, telemetry};

fn main() {
    limit_malloc_arenas();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(run());
}

/// glibc gives each thread that allocates its own arena and seldom returns
/// their memory; with tokio's workers and one SQLite thread per connection
/// that multiplies the peak. Four arenas (two per core) keep it near what is really used
/// (measured with `rungs bench`: see README, Performance). A fixed mmap
/// threshold of 4 MiB keeps glibc from raising it after the first large
/// free, so argon2's 19 MiB blocks are mapped and unmapped per job and a
/// burst of sign-ins gives its memory back.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only tunes the allocator; called before any thread
    // starts.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 4);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 4 << 20);
    }
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
        Command::Seed(seed) => cli::seed(seed).await,
        Command::Bench(bench) => rungs::bench::run(bench).await,
        Command::Import(import) => cli::import(import).await,
        Command::Export(export) => cli::export(export).await,
        Command::Schema => {
            cli::schema();
            Ok(())
        }
    };
    if let Err(err) = result {
        eprintln!("rungs: {err:#}");
        std::process::exit(1);
    }
}
