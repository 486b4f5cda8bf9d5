//! The parse step of the pipeline: front matter and body of every page, each parsed once.
//!
//! Input: the discovered tree and the configuration. Output: each file's [`ParsedFile`] (or
//! the errors that stopped it), by content-relative path. A [`ParseMemo`] keeps the parses of
//! an earlier run: a file is parsed again only when its text, or the settings a parse
//! depends on (callout kinds, section numbering), changed.

use std::collections::HashMap;
use std::hash::{Hash as _, Hasher as _};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::discover::{Folder, SourceFile};
use crate::frontmatter;
use crate::markdown::{self, ParseInput};
use crate::model::ParsedFile;

/// One file's parse: the page and its diagnostics, or the errors that stopped it.
pub(crate) type FileParse = Result<(ParsedFile, Vec<Diagnostic>), Vec<Diagnostic>>;

/// Parses of an earlier run, by content-relative path.
#[derive(Default)]
pub(crate) struct ParseMemo {
    /// What the parses depend on besides each file's text.
    settings: u64,
    entries: HashMap<PathBuf, (Arc<str>, Arc<FileParse>)>,
}

/// Splits front matter and parses every file of `tree`, in parallel; with a memo, reuses the
/// parses of files whose text is unchanged and remembers this run's.
pub(crate) fn parse_all(
    config: &Config,
    tree: &Folder,
    memo: Option<&mut ParseMemo>,
    diagnostics: &mut Diagnostics,
) -> HashMap<PathBuf, ParsedFile> {
    let mut files: Vec<&SourceFile> = Vec::new();
    collect_files(tree, &mut files);
    let settings = parse_settings(config);
    let previous = match memo {
        Some(ref memo) if memo.settings == settings => Some(&memo.entries),
        _ => None,
    };
    let results: Vec<Arc<FileParse>> = files
        .par_iter()
        .map(|file| {
            let earlier = previous.and_then(|entries| entries.get(&file.rel));
            match earlier {
                Some((text, parse)) if Arc::ptr_eq(text, &file.text) || **text == *file.text => {
                    Arc::clone(parse)
                }
                _ => Arc::new(parse_file(config, file)),
            }
        })
        .collect();
    if let Some(memo) = memo {
        memo.settings = settings;
        memo.entries = files
            .iter()
            .zip(&results)
            .map(|(file, parse)| {
                (
                    file.rel.clone(),
                    (Arc::clone(&file.text), Arc::clone(parse)),
                )
            })
            .collect();
    }
    let mut parsed = HashMap::with_capacity(files.len());
    for (file, result) in files.iter().zip(results) {
        match &*result {
            Ok((page, diags)) => {
                diagnostics.extend(diags.iter().cloned());
                parsed.insert(file.rel.clone(), page.clone());
            }
            Err(diags) => diagnostics.extend(diags.iter().cloned()),
        }
    }
    parsed
}

/// A hash of the settings every parse depends on.
fn parse_settings(config: &Config) -> u64 {
    let mut hasher = crate::fingerprint::Fingerprint::new();
    format!("{:?}", config.callouts).hash(&mut hasher);
    config.build.number_sections.hash(&mut hasher);
    hasher.finish()
}

fn collect_files<'a>(folder: &'a Folder, out: &mut Vec<&'a SourceFile>) {
    out.extend(folder.index.iter());
    out.extend(folder.pages.iter());
    for part in &folder.parts {
        collect_files(part, out);
    }
}

/// Front matter and body of one file.
fn parse_file(config: &Config, file: &SourceFile) -> FileParse {
    let mut split = frontmatter::split(&file.display, &file.text)?;
    let number_sections = split
        .front
        .number_sections
        .unwrap_or(config.build.number_sections);
    let (parsed, diagnostics) = markdown::parse(&ParseInput {
        file: &file.display,
        text: &file.text,
        body_offset: split.body_offset,
        callouts: &config.callouts,
        number_sections,
        has_title: split.front.title.is_some(),
    });
    let mut all = std::mem::take(&mut split.diagnostics);
    all.extend(diagnostics);
    Ok((
        ParsedFile {
            front: split.front,
            parsed: Arc::new(parsed),
        },
        all,
    ))
}
