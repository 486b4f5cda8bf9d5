//! The `guidebook` command: parses the arguments and dispatches (see `guidebook::cli`).

/// mimalloc rather than the system allocator: a build allocates and frees millions of small
/// strings across threads, where glibc's malloc spends a sixth of the CPU and keeps freed
/// memory (bench/README.md has the numbers).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    guidebook::cli::run()
}
