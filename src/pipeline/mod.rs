//! The pipeline: every stage, in order, from a book's configuration to its site.
//!
//! Input: a validated [`Config`]. Output: a [`Site`]: the linked [`Book`] and every file of
//! the site by path, or the diagnostics that stopped it. `guidebook build`, `check` and the
//! preview all run this one sequence of stages:
//!
//! discover → parse → model → study → links → redirects → render (with highlight) → LLM
//! exports → practice files → output plan (copies, one writer per file)
//!
//! The search index is a stage of its own ([`crate::search`]) after this: it reads the
//! finished pages, and the preview runs it in the background. A [`Pipeline`] owns what the
//! stages share and may remember between runs: the highlighter (slow to load) and, in the
//! preview, each stage's memo, so that an edit to one page reads, parses and renders that
//! page (and the pages whose inputs it changed) and reuses everything else.

mod parse;

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use self::parse::ParseMemo;
use crate::config::{self, Config, ConfigError, Overrides};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::discover::{self, ReadMemo};
use crate::highlight::Highlighter;
use crate::links::{self, LinkMemo};
use crate::llms::{self, ExportMemo};
use crate::model::{self, AssembleOptions, Book};
use crate::output::Copy;
use crate::output::plan::{self, Writer};
use crate::paths::Stamped;
use crate::practice;
use crate::redirects;
use crate::render::templates::Templates;
use crate::render::{self, RenderMemo, Rendered, Theme};
use crate::search;
use crate::site::{Bytes, SiteData, SiteFile, SiteFiles};
use crate::study;

/// What a run builds beyond the book's own settings.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PipelineOptions {
    /// Keep pages marked `draft`.
    pub(crate) drafts: bool,
    /// The site is served at `/` whatever its base URL (the preview): the 404 page links
    /// from there.
    pub(crate) served_at_root: bool,
    /// Read the files copied from the book into memory (the preview serves from memory).
    pub(crate) copies_in_memory: bool,
}

/// A built site, in memory.
#[derive(Debug)]
pub(crate) struct Site {
    /// The book it was built from, linked.
    pub(crate) book: Book,
    /// Every file of the site (the search index aside), by path.
    pub(crate) files: SiteFiles,
    /// The warnings of the run.
    pub(crate) warnings: Diagnostics,
}

impl Site {
    /// What the search index holds (see [`search::SearchInput::of`]).
    pub(crate) fn search_input(&self) -> search::SearchInput {
        search::SearchInput::of(&self.book, &self.files)
    }
}

/// Why a run made no site.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The book has errors (exit code 1).
    #[error("the book has {} error(s)", .0.error_count())]
    Book(Diagnostics),
    /// The command was used wrongly, or reading or writing failed (exit code 2).
    #[error(transparent)]
    Usage(#[from] anyhow::Error),
}

/// What the stages remember between runs of a preview.
#[derive(Default)]
struct Memory {
    reads: ReadMemo,
    parses: ParseMemo,
    links: LinkMemo,
    templates: Option<Arc<Templates>>,
    renders: RenderMemo,
    exports: ExportMemo,
    practice: practice::PracticeMemo,
    copies: CopyMemo,
}

/// The files the preview copies into the site (images, the book's `static/`), read into
/// memory, kept with the stamp their file had: a run reads only those that changed.
#[derive(Default)]
struct CopyMemo {
    files: Stamped<Bytes>,
}

impl CopyMemo {
    fn read(&mut self, path: &Path) -> std::io::Result<Bytes> {
        // Stamped before the read: a change during it shows in the next run's stamp.
        let (stamp, kept) = self.files.lookup(path, path);
        if let Some(bytes) = kept {
            return Ok(bytes.clone());
        }
        let bytes = Bytes::from(std::fs::read(path)?);
        if let Some(stamp) = stamp {
            self.files.insert(path.to_path_buf(), stamp, bytes.clone());
        }
        Ok(bytes)
    }

    /// Forgets the files no longer copied.
    fn keep_only(&mut self, copies: &[Copy]) {
        let copied: HashSet<&Path> = copies.iter().map(|copy| copy.from.as_path()).collect();
        self.files.retain(|path| copied.contains(path));
    }
}

/// The stages and what they share.
pub(crate) struct Pipeline {
    highlighter: Arc<Highlighter>,
    options: PipelineOptions,
    memory: Option<Memory>,
}

impl Pipeline {
    /// A pipeline for one run (nothing is kept for a next one).
    pub(crate) fn new(options: PipelineOptions) -> Self {
        Self {
            highlighter: Arc::new(Highlighter::new()),
            options,
            memory: None,
        }
    }

    /// A pipeline for a long-lived process (the preview) that remembers, between runs,
    /// what each stage made from unchanged inputs.
    pub(crate) fn remembering(options: PipelineOptions) -> Self {
        Self {
            highlighter: Arc::new(Highlighter::remembering()),
            options,
            memory: Some(Memory::default()),
        }
    }

    /// Runs every stage over the book configured by `config`.
    pub(crate) fn run(&mut self, config: &Arc<Config>) -> Result<Site, Failure> {
        let mut memory = self.memory.as_mut();
        let discovered = discover::discover(config, memory.as_deref_mut().map(|m| &mut m.reads))?
            .map_err(Failure::Book)?;
        let mut diagnostics = discovered.warnings;
        let parsed = parse::parse_all(
            config,
            &discovered.tree,
            memory.as_deref_mut().map(|m| &mut m.parses),
            &mut diagnostics,
        );
        let (mut book, assembly) = model::assemble(
            Arc::clone(config),
            discovered.tree,
            parsed,
            AssembleOptions {
                drafts: self.options.drafts,
            },
        );
        diagnostics.extend(assembly);
        study::collect(&mut book);
        diagnostics.extend(links::resolve(
            &mut book,
            memory.as_deref_mut().map(|m| &mut m.links),
        ));
        study::seal(&mut book);
        let (redirects, redirect_diagnostics) = redirects::resolve(&book);
        diagnostics.extend(redirect_diagnostics);
        if diagnostics.has_errors() {
            return Err(Failure::Book(diagnostics));
        }
        let previous = memory.as_deref().and_then(|m| m.templates.as_ref());
        let templates = match Templates::load(&config.root, &config.build.templates_dir, previous) {
            Ok((templates, warnings)) => {
                diagnostics.extend(warnings);
                templates
            }
            Err(errors) => {
                diagnostics.extend(errors);
                return Err(Failure::Book(diagnostics));
            }
        };
        if let Some(memory) = memory.as_deref_mut() {
            memory.templates = Some(Arc::clone(&templates));
        }
        let theme = Theme {
            templates,
            highlighter: Arc::clone(&self.highlighter),
        };
        // Rendering and the exports for LLM tools (with the list of files to copy) read the
        // same linked book and nothing of each other: both cores take one.
        let (renders, exports_memo) = match memory.as_deref_mut() {
            Some(memory) => (Some(&mut memory.renders), Some(&mut memory.exports)),
            None => (None, None),
        };
        let served_at_root = self.options.served_at_root;
        let (rendered, (mut exports, copies)) = rayon::join(
            || render::render(&book, &theme, served_at_root, renders),
            || {
                let exports = llms::exports(&book, exports_memo);
                let mut copy_warnings = Diagnostics::new();
                let copies = plan::copies(&book, &mut copy_warnings);
                (exports, copies.map(|copies| (copies, copy_warnings)))
            },
        );
        let rendered = match rendered {
            Ok((rendered, warnings)) => {
                diagnostics.extend(warnings);
                rendered
            }
            Err(errors) => {
                diagnostics.extend(errors);
                return Err(Failure::Book(diagnostics));
            }
        };
        let practice_files = practice::files_remembered(
            &book,
            &theme,
            memory.as_deref_mut().map(|m| &mut m.practice),
        );
        diagnostics.extend(std::mem::take(&mut exports.warnings));
        let redirect_files = redirects::files(&book, &redirects);
        let (copies, copy_warnings) = copies?;
        diagnostics.extend(copy_warnings);
        let generated = Generated {
            rendered: &rendered,
            exports: &exports,
            redirects: &redirect_files,
            practice: &practice_files,
        };
        let writers = generated.writers(&book, &redirects, &copies);
        diagnostics.extend(plan::check_outputs(&book, &writers));
        drop(writers);
        if book.config.search.enabled {
            diagnostics.extend(search::unindexed(&book, &rendered.searchable));
        }
        if diagnostics.has_errors() {
            return Err(Failure::Book(diagnostics));
        }
        let mut scratch = CopyMemo::default();
        let reader = match memory {
            _ if !self.options.copies_in_memory => None,
            Some(memory) => Some(&mut memory.copies),
            None => Some(&mut scratch),
        };
        let files = generated.files(&copies, reader, &mut diagnostics);
        Ok(Site {
            book,
            files,
            warnings: diagnostics,
        })
    }
}

/// The files a run generated.
struct Generated<'a> {
    rendered: &'a Rendered,
    exports: &'a llms::Exports,
    redirects: &'a [SiteFile],
    practice: &'a [SiteFile],
}

impl Generated<'_> {
    /// Who writes each file: the pages (and their twins), the redirect pages, guidebook's
    /// own files, and the copies.
    fn writers<'b>(
        &self,
        book: &Book,
        redirects: &[redirects::Resolved],
        copies: &'b [Copy],
    ) -> Vec<(String, Writer<'b>)> {
        let mut writers: Vec<(String, Writer<'b>)> = Vec::new();
        for (index, file) in self.rendered.pages.iter().enumerate() {
            writers.push((file.path.clone(), Writer::Page(index)));
        }
        let exported = &self.exports.files;
        let twins = exported.len().min(book.pages.len());
        for (index, file) in exported[..twins].iter().enumerate() {
            writers.push((file.path.clone(), Writer::Page(index)));
        }
        for file in self
            .rendered
            .site
            .iter()
            .chain(&exported[twins..])
            .chain(self.practice)
        {
            writers.push((file.path.clone(), Writer::Generated));
        }
        if let Some((path, _)) = &self.exports.full {
            writers.push(((*path).to_string(), Writer::Generated));
        }
        if let Some((path, _)) = &self.rendered.print {
            writers.push((path.clone(), Writer::Generated));
        }
        let rules = &book.config.redirects.rules;
        for redirect in redirects {
            writers.push((
                rules[redirect.rule].output.clone(),
                Writer::Redirect(redirect.rule),
            ));
        }
        if !redirects.is_empty() {
            writers.push((redirects::REDIRECTS_FILE.into(), Writer::Generated));
        }
        for copy in copies {
            let rel = copy
                .from
                .strip_prefix(&book.config.root)
                .unwrap_or(&copy.from);
            let writer = if copy.from_static {
                Writer::Static(rel)
            } else {
                Writer::Content(rel)
            };
            writers.push((copy.to.clone(), writer));
        }
        writers
    }

    /// Every file by path: the generated ones, then the copies (in order: the book's
    /// `static/` last, replacing generated files where the plan allows it).
    fn files(
        &self,
        copies: &[Copy],
        mut reader: Option<&mut CopyMemo>,
        warnings: &mut Diagnostics,
    ) -> SiteFiles {
        let mut files = SiteFiles::new();
        let generated = self
            .rendered
            .pages
            .iter()
            .chain(&self.rendered.site)
            .chain(&self.exports.files)
            .chain(self.redirects)
            .chain(self.practice);
        for file in generated {
            files.insert(file.path.clone(), SiteData::Bytes(file.contents.clone()));
        }
        if let Some((path, joined)) = &self.exports.full {
            files.insert((*path).to_string(), SiteData::Joined(joined.clone()));
        }
        if let Some((path, joined)) = &self.rendered.print {
            files.insert(path.clone(), SiteData::Joined(joined.clone()));
        }
        for copy in copies {
            let data = match reader.as_deref_mut() {
                Some(reader) => match reader.read(&copy.from) {
                    Ok(bytes) => SiteData::Bytes(bytes),
                    Err(error) => {
                        warnings.push(Diagnostic::warning(format!(
                            "could not read `{}`: {error}",
                            copy.from.display()
                        )));
                        continue;
                    }
                },
                None => SiteData::Copy(copy.from.clone()),
            };
            files.insert(copy.to.clone(), data);
        }
        if let Some(reader) = reader {
            reader.keep_only(copies);
        }
        files
    }
}

/// Reads and validates `book.toml` in `book_dir`, applying command-line overrides.
pub(crate) fn load_config(book_dir: &Path, overrides: &Overrides) -> Result<Arc<Config>, Failure> {
    match config::load(book_dir, overrides) {
        Ok(config) => Ok(Arc::new(config)),
        Err(ConfigError::Missing(dir)) => Err(Failure::Usage(anyhow::Error::new(
            crate::diagnostics::Refusal::new(format!(
                "`{}` is not a book: it has no {}",
                dir.display(),
                config::CONFIG_FILE
            ))
            .hint(format!(
                "run `guidebook init {}` to start one, or pass the book's folder",
                dir.display()
            )),
        ))),
        Err(ConfigError::Io { path, source }) => Err(Failure::Usage(
            anyhow::Error::new(source).context(format!("could not read `{}`", path.display())),
        )),
        Err(ConfigError::Invalid(diags)) => Err(Failure::Book(diags)),
    }
}

#[cfg(test)]
mod copy_memo_tests {
    use super::*;

    #[test]
    fn a_copied_file_is_read_again_only_when_it_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("figure.svg");
        std::fs::write(&path, "<svg>one</svg>").unwrap();
        let mut memo = CopyMemo::default();
        let first = memo.read(&path).unwrap();
        let again = memo.read(&path).unwrap();
        assert_eq!(first.as_ptr(), again.as_ptr(), "not read twice");
        std::fs::write(&path, "<svg>two, longer</svg>").unwrap();
        assert_eq!(&memo.read(&path).unwrap()[..], b"<svg>two, longer</svg>");
        memo.keep_only(&[]);
        assert!(
            memo.files.is_empty(),
            "a file no longer copied is forgotten"
        );
    }
}
