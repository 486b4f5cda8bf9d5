//! The command line: parses arguments and runs one command.
//!
//! Input: the process arguments. Output: an exit code (0 success, 1 the book has errors,
//! 2 usage or I/O errors), with diagnostics on stderr and the summary on stdout.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::build::{BuildOptions, BuildReport, Failure};
use crate::diagnostics::{Diagnostics, Printer};
use crate::output::{Cancel, Interrupted};
use crate::paths::display_path;

/// Turn a folder of Markdown chapters into a published guide.
#[derive(Debug, Parser)]
#[command(name = "guidebook", version, about, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the book into a static site.
    Build(BuildArgs),
    /// Run every check the build runs, writing nothing.
    Check(CheckArgs),
    /// Start a new book in a folder (never overwrites a file).
    Init(InitArgs),
    /// Turn a guide written for Mintlify, Docusaurus, VitePress, Starlight or mdBook into a
    /// new book, and report what was converted.
    Import(ImportArgs),
    /// Preview the book: serve it locally and rebuild and reload as you edit.
    Serve(ServeArgs),
}

/// `guidebook serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The book folder (holding book.toml).
    #[arg(default_value = ".")]
    pub book_dir: PathBuf,
    /// The port to listen on; the next free one is used when it is busy.
    #[arg(long, short, default_value_t = 3000)]
    pub port: u16,
    /// The address to listen on. Anything but 127.0.0.1 makes the preview reachable from
    /// other machines.
    #[arg(long, default_value = "127.0.0.1", value_parser = parse_host)]
    pub host: std::net::IpAddr,
    /// Open the preview in a browser.
    #[arg(long)]
    pub open: bool,
    /// Include pages marked `draft`.
    #[arg(long)]
    pub drafts: bool,
}

/// `guidebook build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The book folder (holding book.toml).
    #[arg(default_value = ".")]
    pub book_dir: PathBuf,
    /// Where to write the site (default: `[build] build-dir`, else `site`).
    #[arg(long, short, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Include pages marked `draft`.
    #[arg(long)]
    pub drafts: bool,
    /// The URL the site is published at (for canonical links, the sitemap and llms.txt).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Fail on warnings too.
    #[arg(long)]
    pub strict: bool,
    /// Do not build the search index.
    #[arg(long)]
    pub no_search: bool,
}

/// `guidebook check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The book folder (holding book.toml).
    #[arg(default_value = ".")]
    pub book_dir: PathBuf,
    /// Check pages marked `draft` too.
    #[arg(long)]
    pub drafts: bool,
    /// Fail on warnings too.
    #[arg(long)]
    pub strict: bool,
}

/// `guidebook init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create the book in.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

/// `guidebook import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The tool the guide is written for (detected from its configuration when left out).
    #[arg(long, value_enum)]
    pub from: Option<crate::import::Tool>,
    /// The folder holding the tool's configuration (`docs.json`, `docusaurus.config.js`,
    /// `.vitepress/`, `astro.config.mjs`, `book.toml`). It is never changed.
    pub source: PathBuf,
    /// The new book's folder: must be new or empty.
    pub dest: PathBuf,
}

/// Parses the arguments, runs the command, and returns the exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let printer = Printer::new(use_color());
    match cli.command {
        Command::Build(args) => {
            let options = BuildOptions {
                book_dir: args.book_dir,
                out_dir: args.out,
                drafts: args.drafts,
                base_url: args.base_url,
                strict: args.strict,
                no_search: args.no_search,
                ..BuildOptions::default()
            };
            stop_cleanly_on_signals(&options.cancel);
            build(&printer, options)
        }
        Command::Check(args) => build(
            &printer,
            BuildOptions {
                book_dir: args.book_dir,
                drafts: args.drafts,
                strict: args.strict,
                check_only: true,
                ..BuildOptions::default()
            },
        ),
        Command::Serve(args) => {
            let options = crate::serve::ServeOptions {
                host: args.host,
                port: args.port,
                drafts: args.drafts,
                verbose: true,
                color: use_color(),
                ..crate::serve::ServeOptions::new(args.book_dir)
            };
            match crate::serve::run(options, args.open) {
                Ok(()) => ExitCode::SUCCESS,
                Err(error) => usage_error(&error),
            }
        }
        Command::Import(args) => {
            let options = crate::import::ImportOptions {
                from: args.from,
                source: args.source,
                dest: args.dest,
            };
            match crate::import::run(&options) {
                Ok(report) => {
                    print!("{report}");
                    println!(
                        "Wrote a new book to `{}`. Next: `guidebook build {}`.",
                        display_path(&options.dest),
                        display_path(&options.dest)
                    );
                    ExitCode::SUCCESS
                }
                Err(error) => usage_error(&error),
            }
        }
        Command::Init(args) => match crate::init::init(&args.dir) {
            Ok(created) => {
                print!("{}", init_report(&args.dir, &created));
                ExitCode::SUCCESS
            }
            Err(error) => usage_error(&error),
        },
    }
}

/// An IP address, or `localhost`.
fn parse_host(text: &str) -> Result<std::net::IpAddr, String> {
    if text.eq_ignore_ascii_case("localhost") {
        return Ok(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST));
    }
    text.parse().map_err(|_| {
        format!("`{text}` is not an IP address (use 127.0.0.1, 0.0.0.0, ::1 or localhost)")
    })
}

/// Colour only on a terminal, and never when `NO_COLOR` is set.
fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// The exit code of a process stopped by Ctrl+C (128 + SIGINT), as shells expect.
const INTERRUPTED: u8 = 130;

/// Ctrl+C, SIGTERM and SIGHUP stop the build without leaving a half-written temporary
/// folder: before the write they end the process at once; during it the writer stops and
/// removes its folder (a second signal ends the process regardless).
fn stop_cleanly_on_signals(cancel: &Cancel) {
    let cancel = cancel.clone();
    let installed = ctrlc::set_handler(move || {
        if cancel.interrupt() {
            eprintln!("Interrupted.");
            std::process::exit(i32::from(INTERRUPTED));
        }
    });
    if let Err(error) = installed {
        eprintln!("note: Ctrl+C may leave a temporary folder behind ({error})");
    }
}

fn build(printer: &Printer, options: BuildOptions) -> ExitCode {
    let check_only = options.check_only;
    match crate::build::build(&options) {
        Ok(report) => {
            eprint!("{}", printer.render_all(&report.diagnostics));
            println!("{}", summary(&report, check_only));
            ExitCode::SUCCESS
        }
        Err(Failure::Book(diagnostics)) => {
            eprint!("{}", printer.render_all(&diagnostics));
            eprintln!("{}", failure_line(&diagnostics, check_only));
            ExitCode::from(1)
        }
        Err(Failure::Usage(error)) if error.is::<Interrupted>() => {
            eprintln!("Interrupted: the site was not changed.");
            ExitCode::from(INTERRUPTED)
        }
        Err(Failure::Usage(error)) => usage_error(&error),
    }
}

fn usage_error(error: &anyhow::Error) -> ExitCode {
    let printer = Printer::new(use_color());
    eprintln!("{}", printer.render(&crate::diagnostics::from_error(error)));
    ExitCode::from(2)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The one summary line: pages, parts, warnings, size, time.
fn summary(report: &BuildReport, check_only: bool) -> String {
    let warnings = plural(report.diagnostics.warning_count(), "warning", "warnings");
    let seconds = report.elapsed.as_secs_f64();
    let pages = plural(report.pages, "page", "pages");
    let parts = plural(report.parts, "part", "parts");
    match (&report.out_dir, check_only) {
        (Some(out), false) => format!(
            "Built {pages} in {parts} into {} ({}, {warnings}) in {seconds:.2}s",
            display_path(out),
            format_size(report.bytes)
        ),
        _ => format!("Checked {pages} in {parts}: no errors, {warnings} in {seconds:.2}s"),
    }
}

fn failure_line(diagnostics: &Diagnostics, check_only: bool) -> String {
    let what = if check_only { "Check" } else { "Build" };
    let errors = plural(diagnostics.error_count(), "error", "errors");
    let warnings = diagnostics.warning_count();
    if warnings > 0 {
        format!(
            "{what} failed: {errors}, {}",
            plural(warnings, "warning", "warnings")
        )
    } else {
        format!("{what} failed: {errors}")
    }
}

/// Human-readable size: "812 B", "14.2 KB", "3.1 MB".
pub(crate) fn format_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut size = bytes as f64;
    let mut unit = 0;
    while size >= 1000.0 && unit < UNITS.len() - 1 {
        size /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{size:.1} {}", UNITS[unit])
    }
}

/// What `init` did, for the terminal.
fn init_report(dir: &Path, created: &crate::init::Created) -> String {
    let shown = display_path(dir);
    let mut report = String::new();
    for path in &created.written {
        report.push_str(&format!("  created {path}\n"));
    }
    for path in &created.kept {
        report.push_str(&format!("  kept    {path} (already there)\n"));
    }
    if created.written.is_empty() {
        report.push_str(&format!(
            "Nothing to do: `{shown}` already has every file of a new book.\n"
        ));
    } else {
        report.push_str(&format!(
            "Started a book in `{shown}`. Next: `guidebook build {shown}`, then open `{}`.\n",
            Path::new(&shown).join("site/index.html").display()
        ));
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
