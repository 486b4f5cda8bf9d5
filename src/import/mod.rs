//! `guidebook import`: turns a guide written for another docs tool into a new book.
//!
//! Input: the folder a user of Mintlify, Docusaurus, VitePress, Starlight or mdBook works in,
//! and a new folder. Output: a book in that folder (book.toml, `content/` laid out after the
//! source's navigation, `static/`) that `guidebook build` builds as it is, and a `Report`
//! of what was mapped, what was not (file:line and why), the source's broken links and the
//! pages its navigation does not list.
//!
//! A command module like `init`: no pipeline stage imports it. Each tool is an `Adapter`
//! that reads the tool's configuration into a `Project` (docs root, pages, navigation,
//! redirects, public folder) and converts page bodies to our dialect; everything after that
//! is shared: front matter (`frontmatter`), links and assets (`links`), the layout and
//! the atomic write (`writer`).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::diagnostics::Refusal;

pub(crate) mod detect;
pub(crate) mod docusaurus;
pub(crate) mod frontmatter;
pub(crate) mod generic;
pub(crate) mod js;
pub(crate) mod links;
pub(crate) mod markdown;
pub(crate) mod mdbook;
pub(crate) mod mdx;
pub(crate) mod mintlify;
pub(crate) mod report;
pub(crate) mod starlight;
pub(crate) mod vitepress;
pub(crate) mod writer;

pub(crate) use report::{EntryKind, Report};

/// The tools `guidebook import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Tool {
    /// Mintlify (`docs.json` or `mint.json`).
    Mintlify,
    /// Docusaurus (`docusaurus.config.*`).
    Docusaurus,
    /// VitePress (`.vitepress/`).
    Vitepress,
    /// Starlight (`astro.config.*` using Starlight).
    Starlight,
    /// mdBook (`book.toml` and `SUMMARY.md`).
    Mdbook,
}

impl Tool {
    /// The tool's name as users know it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Mintlify => "Mintlify",
            Self::Docusaurus => "Docusaurus",
            Self::Vitepress => "VitePress",
            Self::Starlight => "Starlight",
            Self::Mdbook => "mdBook",
        }
    }
}

/// What to import, and where to.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The tool, when given with `--from`; else detected.
    pub from: Option<Tool>,
    /// The folder the source tool's configuration is in.
    pub source: PathBuf,
    /// The new book's folder: missing or empty.
    pub dest: PathBuf,
}

/// One entry of the source's navigation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NavItem {
    /// A page, by its path relative to the docs root, with the label the navigation gives it.
    Page {
        /// The page file, relative to the docs root.
        path: PathBuf,
        /// The navigation's label, when it has one.
        label: Option<String>,
    },
    /// A group of entries: a part.
    Group {
        /// The group's title.
        title: String,
        /// The group's own page (mdBook's chapter with sub-chapters, an `index.md`).
        index: Option<PathBuf>,
        /// The entries, in order.
        items: Vec<NavItem>,
    },
    /// An entry we cannot place (an external link, a draft chapter without a file).
    Unplaced {
        /// Its label.
        label: String,
        /// Why it is not imported.
        why: String,
    },
}

/// A redirect of the source: an old site path and where it leads, as written there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SourceRedirect {
    /// The old path from the site root (`/old/page.html`).
    pub from: String,
    /// The target as the tool writes it: a path from the site root, or relative to `from`.
    pub to: String,
    /// Where the rule is written (relative to the source folder) and its line.
    pub origin: (PathBuf, usize),
}

/// How a tool resolves a relative link written in a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LinkBase {
    /// Against the page file's folder (mdBook, VitePress, Docusaurus, Mintlify).
    File,
    /// Against the page's URL, which ends in `/` (Starlight): `guide/a.md` is at `/guide/a/`.
    Url,
}

/// A source guide as read by its adapter: everything the shared writer needs.
#[derive(Debug, Clone)]
pub(crate) struct Project {
    /// The tool.
    pub tool: Tool,
    /// The source folder (absolute).
    pub source: PathBuf,
    /// The folder the pages are in (absolute; may lie outside `source`).
    pub docs_root: PathBuf,
    /// The guide's title, when the configuration has one.
    pub title: Option<String>,
    /// The guide's description, when the configuration has one.
    pub description: Option<String>,
    /// The authors, when the configuration names them.
    pub authors: Vec<String>,
    /// The language (a BCP 47 tag), when the configuration names one.
    pub language: Option<String>,
    /// The source repository's address, when the configuration names one.
    pub repository_url: Option<String>,
    /// Every page file, relative to the docs root, in file order.
    pub pages: Vec<PathBuf>,
    /// The home page, relative to the docs root.
    pub home: Option<PathBuf>,
    /// The navigation, in the source's order.
    pub nav: Vec<NavItem>,
    /// The source's redirects.
    pub redirects: Vec<SourceRedirect>,
    /// The folder served at the site root (`public/`, `static/`), absolute.
    pub public_dir: Option<PathBuf>,
    /// The path prefix of the docs in the source site (`/docs/`), `/` when at the root.
    pub url_base: String,
    /// How relative links are resolved.
    pub link_base: LinkBase,
    /// Other paths pages are reached by (from the docs root), such as VitePress rewrites.
    pub routes: Vec<(String, PathBuf)>,
    /// Whether a front-matter `slug` or `id` names the page's route (Docusaurus); an
    /// absolute `slug` then becomes a redirect too.
    pub slug_is_route: bool,
}

impl Project {
    /// An empty project for `tool` over `docs_root`.
    pub(crate) fn new(tool: Tool, source: &Path, docs_root: &Path) -> Self {
        Self {
            tool,
            source: source.to_path_buf(),
            docs_root: docs_root.to_path_buf(),
            title: None,
            description: None,
            authors: Vec::new(),
            language: None,
            repository_url: None,
            pages: Vec::new(),
            home: None,
            nav: Vec::new(),
            redirects: Vec::new(),
            public_dir: None,
            url_base: "/".into(),
            link_base: LinkBase::File,
            slug_is_route: false,
            routes: Vec::new(),
        }
    }

    /// A page path (relative to the docs root) as the report names it: relative to the
    /// source folder (with `..` when the docs lie beside it, as Docusaurus's `../docs`).
    pub(crate) fn report_path(&self, rel: &Path) -> PathBuf {
        self.source_relative(&self.docs_root.join(rel))
    }

    /// Any file as the report names it: relative to the source folder, climbing out of it
    /// with `..` when needed.
    pub(crate) fn source_relative(&self, file: &Path) -> PathBuf {
        let abs = crate::paths::lexical(file);
        let source = crate::paths::lexical(&self.source);
        match abs.strip_prefix(&source) {
            Ok(inside) => inside.to_path_buf(),
            // Docs beside the source folder (Docusaurus' `path: '../docs'`).
            Err(_) => PathBuf::from(links::relative(&source, &abs)),
        }
    }
}

/// A page body being converted, with what the conversion learns about it.
#[derive(Debug)]
pub(crate) struct PageBody<'a> {
    /// The project.
    pub project: &'a Project,
    /// The page file, relative to the docs root.
    pub path: &'a Path,
    /// The path the report uses for this page.
    pub report_path: PathBuf,
    /// The line of the file the body starts on (1-based).
    pub first_line: usize,
    /// Files the body included (absolute); they are not pages of their own.
    pub included: Vec<PathBuf>,
    /// A title the body sets (mdBook's `{{#title}}`).
    pub title: Option<String>,
}

impl PageBody<'_> {
    /// The line in the file of `offset` in `body`.
    pub(crate) fn at(&self, body: &str, offset: usize) -> (usize, usize) {
        let (line, column) = crate::diagnostics::line_col(body, offset);
        (line + self.first_line - 1, column)
    }
}

/// One tool: reads its configuration and converts its page bodies.
pub(crate) trait Adapter {
    /// Reads the source folder into a [`Project`].
    fn read(&self, source: &Path, report: &mut Report) -> anyhow::Result<Project>;

    /// Converts a `.md` body to our dialect. The default changes nothing.
    fn convert_markdown(&self, page: &mut PageBody<'_>, body: &str, report: &mut Report) -> String {
        let _ = (page, report);
        body.to_string()
    }

    /// Converts a `.mdx` body to our dialect.
    fn convert_mdx(&self, page: &mut PageBody<'_>, body: &str, report: &mut Report) -> String {
        convert_mdx(page, body, report)
    }
}

/// The MDX body converter (see [`mdx`]).
fn convert_mdx(page: &mut PageBody<'_>, body: &str, report: &mut Report) -> String {
    mdx::convert_page(page, body, report)
}

/// The adapter for a tool.
pub(crate) fn adapter(tool: Tool) -> Box<dyn Adapter> {
    match tool {
        Tool::Mdbook => Box::new(mdbook::MdBook),
        Tool::Vitepress => Box::new(vitepress::VitePress),
        Tool::Starlight => Box::new(starlight::Starlight),
        Tool::Mintlify => Box::new(mintlify::Mintlify),
        Tool::Docusaurus => Box::new(docusaurus::Docusaurus),
    }
}

/// Runs an import and returns its report.
pub fn run(options: &ImportOptions) -> anyhow::Result<String> {
    let report = import(options)?;
    Ok(report.render())
}

/// Imports `options.source` into `options.dest`.
pub(crate) fn import(options: &ImportOptions) -> anyhow::Result<Report> {
    let source = crate::paths::resolved(&options.source);
    if !source.is_dir() {
        return Err(Refusal::new(format!(
            "`{}` is not a folder",
            crate::paths::display_path(&options.source)
        ))
        .hint("pass the folder that holds the other tool's configuration")
        .into());
    }
    let tool = match options.from {
        Some(tool) => tool,
        None => detect::detect(&source)?,
    };
    writer::check_dest(&source, &options.dest)?;
    let mut report = Report::default();
    let project = adapter(tool)
        .read(&source, &mut report)
        .with_context(|| format!("could not read the {} guide", tool.name()))?;
    writer::check_dest(&project.docs_root, &options.dest)?;
    let book = convert(&project, &*adapter(tool), &mut report)?;
    writer::write(&book, &options.dest)?;
    Ok(report)
}

/// A page read and converted, before it is placed.
#[derive(Debug, Clone)]
pub(crate) struct ConvertedPage {
    /// The page file, relative to the docs root.
    pub path: PathBuf,
    /// The source's front matter, as JSON.
    pub front: serde_json::Map<String, serde_json::Value>,
    /// The body, in our dialect (links not yet rewritten).
    pub body: String,
    /// The original body, to find where links were written.
    pub original: String,
    /// The line the body starts on.
    pub first_line: usize,
    /// The title the body set, if any.
    pub title: Option<String>,
}

/// Reads and converts every page, then plans and fills the new book.
fn convert(
    project: &Project,
    adapter: &dyn Adapter,
    report: &mut Report,
) -> anyhow::Result<writer::NewBook> {
    let mut pages = Vec::new();
    let mut included: HashSet<PathBuf> = HashSet::new();
    for rel in &project.pages {
        let abs = project.docs_root.join(rel);
        let report_path = project.report_path(rel);
        let bytes =
            std::fs::read(&abs).with_context(|| format!("could not read `{}`", abs.display()))?;
        let Ok(text) = String::from_utf8(bytes) else {
            report.not_mapped(&report_path, (0, 0), "not UTF-8 text: left out");
            continue;
        };
        let text = crate::text::normalize(text);
        let split = frontmatter::split(&text, &report_path, report);
        let body = &text[split.body_offset..];
        let mut page = PageBody {
            project,
            path: rel,
            report_path,
            first_line: split.first_line,
            included: Vec::new(),
            title: None,
        };
        let is_mdx = rel.extension().is_some_and(|e| e == "mdx");
        let converted = if is_mdx {
            adapter.convert_mdx(&mut page, body, report)
        } else {
            adapter.convert_markdown(&mut page, body, report)
        };
        included.extend(page.included.iter().cloned());
        pages.push(ConvertedPage {
            path: rel.clone(),
            front: split.front,
            body: converted,
            original: body.to_string(),
            first_line: split.first_line,
            title: page.title,
        });
    }
    report.source_pages = pages.len();
    writer::build(project, pages, &included, report)
}
