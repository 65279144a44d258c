//! The `dossier` binary: everything lives in the library; see `cli`.

/// mimalloc instead of the system allocator: a build makes millions of small,
/// short-lived allocations on several threads (Markdown events, template
/// values), which glibc's malloc serves measurably slower (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    dossier::cli::main()
}
