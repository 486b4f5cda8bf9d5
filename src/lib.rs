//! guidebook turns a folder of Markdown chapters into a published guide: a static site with
//! search, a Markdown twin of every page, `llms.txt`, and a live preview.
//!
//! The build is a pipeline of stages, one module each, passing one owned `Book`:
//! `config` → `discover` → `frontmatter` + `markdown` (one parse per page) → `model`
//! (order, URLs, navigation) → `study` (numbered callouts, index entries, questions) →
//! `links` (and `redirects`) → `render` (with `highlight`) →
//! `llms` → `output`. `pipeline` runs them in order for [`build`] and [`serve`] alike;
//! [`cli`] is the command line around them. DEVELOPERS.md has the map.

#![allow(
    clippy::result_large_err,
    reason = "diagnostics are the error path: rare, and boxing them would obscure every stage"
)]

pub(crate) mod attributes;
pub mod build;
pub mod cli;
pub(crate) mod config;
pub(crate) mod diagnostics;
pub(crate) mod discover;
pub(crate) mod fingerprint;
pub(crate) mod frontmatter;
pub(crate) mod highlight;
pub(crate) mod icons;
pub mod import;
pub(crate) mod init;
pub(crate) mod links;
pub(crate) mod llms;
pub(crate) mod markdown;
pub(crate) mod model;
pub(crate) mod output;
pub(crate) mod palette;
pub(crate) mod paths;
pub(crate) mod pipeline;
pub(crate) mod practice;
pub(crate) mod redirects;
pub(crate) mod render;
pub(crate) mod search;
pub mod serve;
pub(crate) mod site;
pub(crate) mod study;
pub(crate) mod text;
pub(crate) mod urls;
