//! `rungs`: parses the command line and dispatches.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Parser;
use mimalloc::MiMalloc;
use rungs::config::{Cli, Command, LogFormat};
use rungs::{cli, telemetry};

/// mimalloc instead of glibc's allocator: a page of 100 employees spent a
/// quarter of the server's CPU in glibc malloc and free (`_int_malloc`,
/// `unlink_chunk`, `malloc_consolidate`; `scripts/profile_page.sh`), the
/// churn of many small short-lived values per GraphQL field. Tuned (see
/// [`tune_allocators`]) before its first allocation.
#[global_allocator]
static ALLOCATOR: Tuned = Tuned;

struct Tuned;

static TUNED: AtomicBool = AtomicBool::new(false);

impl Tuned {
    #[inline(always)]
    fn ready(&self) {
        if !TUNED.load(Ordering::Relaxed) {
            tune_allocators();
        }
    }
}

// SAFETY: every call goes to mimalloc unchanged; `ready` only sets options
// and allocates nothing.
unsafe impl GlobalAlloc for Tuned {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.ready();
        unsafe { MiMalloc.alloc(layout) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        self.ready();
        unsafe { MiMalloc.alloc_zeroed(layout) }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { MiMalloc.dealloc(ptr, layout) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        unsafe { MiMalloc.realloc(ptr, layout, new_size) }
    }
}

// mimalloc's options (`mi_option_e` in the v3 `mimalloc.h` that
// libmimalloc-sys 0.1.49, pinned in Cargo.lock, builds; its Rust bindings
// name neither of these two).
const MI_OPTION_ARENA_EAGER_COMMIT: libc::c_int = 4;
const MI_OPTION_PURGE_DELAY: libc::c_int = 15;
unsafe extern "C" {
    fn mi_option_set(option: libc::c_int, value: libc::c_long);
}

/// Gives freed memory back to the system soon after a burst. A cold
/// dashboard over 100,000 people allocates and frees much more than it
/// keeps: with the allocators' defaults the server's peak resident memory
/// was 229 MiB in `rungs bench`, for a peak of 37 MiB of SQLite's live heap
/// (heaptrack) and a few MiB of kept snapshots. So:
/// - glibc, which only SQLite's C code uses, gets one arena instead of one
///   per thread (up to 8 per core), each keeping its own freed pages;
/// - mimalloc commits its arenas as they are used rather than when
///   reserved (which must be said before its first allocation: said
///   later, the first 1 GiB arena stays eagerly committed), and purges
///   free pages after 10 ms instead of 1 s.
#[cold]
fn tune_allocators() {
    // SAFETY: both calls only set options of the allocators, and run
    // before `main` starts a thread (again if two threads race here, which
    // sets the same values).
    unsafe {
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        libc::mallopt(libc::M_ARENA_MAX, 1);
        mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0);
        mi_option_set(MI_OPTION_PURGE_DELAY, 10);
    }
    TUNED.store(true, Ordering::Relaxed);
}

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
