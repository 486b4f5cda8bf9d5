//! The `guidebook` command: parses the arguments and dispatches (see `guidebook::cli`).

fn main() -> std::process::ExitCode {
    guidebook::cli::run()
}
