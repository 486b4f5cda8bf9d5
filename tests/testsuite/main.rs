//! guidebook's integration tests: the real binary run on fixture books.
//!
//! Fixture books live in `tests/fixtures/<feature>/<case>/` beside an `expected/` folder: each
//! `.html` file there is compared with the `<main>` element of the page at the same path in
//! the built site (a file without one, such as a redirect page, whole), any other file with
//! the whole site file, and `stderr.txt` with what the
//! build printed. Run with `SNAPSHOTS=overwrite` to rewrite the expected files.

mod architecture;
mod browser;
mod build;
mod discovery;
mod errors;
mod golden;
mod harness;
mod import;
mod import_mdx;
mod links;
mod llms;
mod safety;
mod serve;
mod study;
