//! Book configuration: reads `book.toml` and validates it.
//!
//! Input: the book folder. Output: a resolved [`Config`] (absolute folders, every callout kind
//! complete), or diagnostics pointing at the offending line of `book.toml`.
//!
//! Two layers, as the rest of the crate expects: raw serde structs that reject unknown keys,
//! then [`Config`], which the pipeline uses and which cannot hold an unvalidated value.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean, toml_error};
use crate::icons;
use crate::palette::{self, Accent};

/// The folder of files copied to the site as they are.
pub(crate) const STATIC_DIR: &str = "static";
/// The folder of template overrides.
pub(crate) const TEMPLATES_DIR: &str = "templates";

/// The file name of the book configuration.
pub(crate) const CONFIG_FILE: &str = "book.toml";

/// Names the directive syntax reserves for its built-in containers.
pub(crate) const CONTAINER_KINDS: &[&str] = &["steps", "details", "question", "tabs", "tab"];

// ---------------------------------------------------------------------------------------------
// Raw layer: exactly what book.toml may contain.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    book: Option<RawBook>,
    #[serde(default)]
    build: RawBuild,
    #[serde(default)]
    callouts: BTreeMap<String, Spanned<RawCallout>>,
    #[serde(default)]
    llms: RawLlms,
    #[serde(default)]
    search: RawSearch,
    #[serde(default)]
    redirects: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    practice: RawPractice,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawBook {
    title: Option<String>,
    description: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
    language: Option<Spanned<String>>,
    base_url: Option<Spanned<String>>,
    repository_url: Option<Spanned<String>>,
    edit_url_template: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawBuild {
    content_dir: Option<PathBuf>,
    build_dir: Option<PathBuf>,
    #[serde(default)]
    number_sections: bool,
    broken_links: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCallout {
    label: Option<String>,
    icon: Option<Spanned<String>>,
    style: Option<Spanned<String>>,
    color: Option<Spanned<String>>,
    layout: Option<Spanned<String>>,
    collapsible: Option<bool>,
    numbered: Option<bool>,
    index: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPractice {
    enabled: Option<bool>,
    title: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLlms {
    enabled: Option<bool>,
    intro: Option<String>,
    full: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSearch {
    enabled: Option<bool>,
}

// ---------------------------------------------------------------------------------------------
// Resolved layer: what the pipeline uses.

/// The validated configuration of one book.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    /// The book folder, as given (`.` by default): paths in messages are shown from here.
    pub root: PathBuf,
    /// `[book]`.
    pub book: BookMeta,
    /// `[build]`.
    pub build: BuildSettings,
    /// Every callout kind, built-in and configured.
    pub callouts: CalloutRegistry,
    /// `[llms]`.
    pub llms: LlmsSettings,
    /// `[search]`.
    pub search: SearchSettings,
    /// `[redirects]`: old site paths that lead to pages.
    pub redirects: Redirects,
    /// `[practice]`: the generated practice page.
    pub practice: PracticeSettings,
}

/// `[practice]`: the page of every question in the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PracticeSettings {
    /// `Some(false)`: never; `Some(true)`: always; `None`: when the book has a question.
    pub enabled: Option<bool>,
    /// The page's title.
    pub title: String,
    /// Its URL segment (the slug of the title).
    pub slug: String,
}

/// A generated page listing every callout of one kind (`index = "Glossary"`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct IndexSettings {
    /// The page's title ("Glossary").
    pub title: String,
    /// Its URL segment (`glossary`).
    pub slug: String,
}

impl Config {
    /// A hash of the whole resolved configuration: equal means every setting is the same.
    pub(crate) fn fingerprint(&self) -> u64 {
        crate::fingerprint::Fingerprint::of(&format!("{self:?}"))
    }

    /// How a path relative to the content folder is shown in messages: relative to the
    /// book folder, as every diagnostic names files.
    pub(crate) fn display_content_path(&self, rel: &Path) -> PathBuf {
        self.display_content_dir().join(rel)
    }

    /// The content folder as messages show it.
    pub(crate) fn display_content_dir(&self) -> &Path {
        let dir = &self.build.content_dir;
        dir.strip_prefix(&self.root).unwrap_or(dir)
    }
}

/// `[book]`: what the book is.
#[derive(Debug, Clone)]
pub(crate) struct BookMeta {
    /// The book's title.
    pub title: String,
    /// One line about the book.
    pub description: Option<String>,
    /// Who wrote it.
    pub authors: Vec<String>,
    /// BCP 47 language tag for `<html lang>`.
    pub language: String,
    /// Where the site is published, always ending in `/`.
    pub base_url: Option<String>,
    /// The book's source repository.
    pub repository_url: Option<String>,
    /// "Edit this page" link, with `{path}` standing for the file's path in the book folder.
    pub edit_url_template: Option<String>,
}

/// `[build]`: where things are.
#[derive(Debug, Clone)]
pub(crate) struct BuildSettings {
    /// The chapters (under `root` unless configured elsewhere).
    pub content_dir: PathBuf,
    /// Where the site is written: `--out` as given, else `configured_build_dir`.
    pub build_dir: PathBuf,
    /// book.toml's `build-dir` (under `root`), which discovery skips even when `--out` names
    /// another folder.
    pub configured_build_dir: PathBuf,
    /// The book's `static/` folder: copied to the site as it is.
    pub static_dir: PathBuf,
    /// The book's `templates/` folder: overrides of the built-in templates.
    pub templates_dir: PathBuf,
    /// Default for pages' `number-sections`.
    pub number_sections: bool,
    /// What a broken internal link is: an error, or a warning (a book being migrated).
    pub broken_links: BrokenLinks,
}

/// `[build] broken-links`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum BrokenLinks {
    /// The build fails (the default).
    #[default]
    Error,
    /// The build reports them and succeeds, leaving each link as written.
    Warn,
}

impl BrokenLinks {
    const NAMES: [&'static str; 2] = ["error", "warn"];
}

/// `[redirects]`, checked for form (the targets are checked against the book later).
#[derive(Debug, Clone, Default)]
pub(crate) struct Redirects {
    /// The text of book.toml, which the rules' spans point into.
    pub text: Arc<str>,
    /// The rules, in the order of their old paths.
    pub rules: Vec<Redirect>,
}

/// One `"/old/path/" = "part/page.md#id"` rule.
#[derive(Debug, Clone)]
pub(crate) struct Redirect {
    /// The old path as written (`/old/path/`).
    pub from: String,
    /// The file the site writes for it: `old/path/index.html`, or `old.html` for a key that
    /// names an `.html` file.
    pub output: String,
    /// The target page's source, relative to the content folder (`part/page.md`).
    pub target: String,
    /// The `#fragment` after it, if any.
    pub fragment: Option<String>,
    /// Where the old path is written in book.toml.
    pub from_span: std::ops::Range<usize>,
    /// Where the target is written in book.toml.
    pub target_span: std::ops::Range<usize>,
}

/// `[llms]`: the llms.txt exports.
#[derive(Debug, Clone)]
pub(crate) struct LlmsSettings {
    /// Whether llms.txt and the Markdown twins are written.
    pub enabled: bool,
    /// A paragraph placed after the description in llms.txt.
    pub intro: Option<String>,
    /// Whether llms-full.txt is written.
    pub full: bool,
}

/// `[search]`: the full-text search index.
#[derive(Debug, Clone)]
pub(crate) struct SearchSettings {
    /// Whether the search index is built.
    pub enabled: bool,
}

/// The colour family of a callout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum CalloutStyle {
    /// Neutral grey-blue.
    Note,
    /// Green.
    Tip,
    /// Blue.
    Info,
    /// Amber.
    Warning,
    /// Red.
    Danger,
}

impl CalloutStyle {
    const NAMES: [&'static str; 5] = ["note", "tip", "info", "warning", "danger"];

    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "note" => Self::Note,
            "tip" => Self::Tip,
            "info" => Self::Info,
            "warning" => Self::Warning,
            "danger" => Self::Danger,
            _ => return None,
        })
    }

    /// The style's name, as used in CSS classes.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Note => "note",
            Self::Tip => "tip",
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Danger => "danger",
        }
    }

    /// The family's own colour (the built-in kinds' look).
    fn accent(self) -> Accent {
        palette::family_hue(self.name())
            .map_or_else(|| Accent::from(&palette::HUES[0]), Accent::from)
    }

    /// The icon of kinds of this style that name none.
    pub(crate) fn default_icon(self) -> &'static str {
        match self {
            Self::Note => "pencil",
            Self::Tip => "bulb",
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Danger => "danger",
        }
    }
}

/// What a callout shows as its icon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Icon {
    /// One of the built-in SVG icons, by name.
    Builtin(String),
    /// An emoji (or any short non-ASCII text).
    Emoji(String),
}

/// How a callout is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum CalloutLayout {
    /// A box: the label and icon, the title, then the body.
    Standard,
    /// A glossary card: the title is the term being defined, the label a small tag.
    Definition,
}

impl CalloutLayout {
    const NAMES: [&'static str; 2] = ["standard", "definition"];

    fn parse(name: &str) -> Option<Self> {
        match name {
            "standard" => Some(Self::Standard),
            "definition" => Some(Self::Definition),
            _ => None,
        }
    }
}

/// One callout kind, complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CalloutKind {
    /// The text shown before the title ("Big Word Alert").
    pub label: String,
    /// The icon.
    pub icon: Icon,
    /// The colour family.
    pub style: CalloutStyle,
    /// The accent colour (edge, icon, label) in both themes.
    pub accent: Accent,
    /// The layout.
    pub layout: CalloutLayout,
    /// Rendered closed, as `<details>`.
    pub collapsible: bool,
    /// Numbered in book order ("War Story 3").
    pub numbered: bool,
    /// The generated page listing every callout of the kind, if any.
    pub index: Option<IndexSettings>,
}

/// Every callout kind the book can use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CalloutRegistry {
    kinds: BTreeMap<String, CalloutKind>,
    /// Built-in aliases (`caution`, `important`): the kind each renders as, and its label.
    aliases: BTreeMap<String, (String, String)>,
}

/// A callout kind as written, resolved: an alias renders as another kind with its own label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ResolvedKind<'a> {
    /// The kind it renders as (`warning` for `caution`).
    pub kind: &'a str,
    /// The alias's label ("Caution"), which replaces the kind's.
    pub label: Option<&'a str>,
    /// The kind's settings.
    pub settings: &'a CalloutKind,
}

/// The built-in aliases, for content from Docusaurus, Starlight and GitHub: name, the kind it
/// renders as, its label.
const ALIASES: [(&str, &str, &str); 2] = [
    ("caution", "warning", "Caution"),
    ("important", "info", "Important"),
];

impl CalloutRegistry {
    /// The five built-in kinds only.
    pub(crate) fn builtin() -> Self {
        let mut kinds = BTreeMap::new();
        for (name, label) in [
            ("note", "Note"),
            ("tip", "Tip"),
            ("info", "Info"),
            ("warning", "Warning"),
            ("danger", "Danger"),
        ] {
            let style = CalloutStyle::parse(name).unwrap_or(CalloutStyle::Note);
            kinds.insert(
                name.to_string(),
                CalloutKind {
                    label: label.to_string(),
                    icon: Icon::Builtin(style.default_icon().to_string()),
                    style,
                    accent: style.accent(),
                    layout: CalloutLayout::Standard,
                    collapsible: false,
                    numbered: false,
                    index: None,
                },
            );
        }
        let aliases = ALIASES
            .iter()
            .map(|(name, kind, label)| (name.to_string(), (kind.to_string(), label.to_string())))
            .collect();
        Self { kinds, aliases }
    }

    /// The kind named `name`, if the book has it.
    pub(crate) fn get(&self, name: &str) -> Option<&CalloutKind> {
        self.kinds.get(name)
    }

    /// The kind written as `name`: a kind of the book, else a built-in alias the book does
    /// not define itself.
    pub(crate) fn resolve<'a>(&'a self, name: &'a str) -> Option<ResolvedKind<'a>> {
        if let Some(settings) = self.kinds.get(name) {
            return Some(ResolvedKind {
                kind: name,
                label: None,
                settings,
            });
        }
        let (kind, label) = self.aliases.get(name)?;
        Some(ResolvedKind {
            kind,
            label: Some(label),
            settings: self.kinds.get(kind)?,
        })
    }

    /// The kinds, by name.
    pub(crate) fn kinds(&self) -> impl Iterator<Item = (&str, &CalloutKind)> {
        self.kinds.iter().map(|(name, kind)| (name.as_str(), kind))
    }

    /// Every name a callout can be written with (kinds, then aliases), sorted within each.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.kinds
            .keys()
            .chain(self.aliases.keys())
            .map(String::as_str)
    }
}

/// Options from the command line that override book.toml.
#[derive(Debug, Clone, Default)]
pub(crate) struct Overrides {
    /// `--out`: the build folder.
    pub build_dir: Option<PathBuf>,
    /// `--base-url`.
    pub base_url: Option<String>,
    /// `--no-search`.
    pub no_search: bool,
}

/// Why the configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ConfigError {
    /// There is no book.toml: this is not a book folder.
    #[error("no {CONFIG_FILE} in `{0}`")]
    Missing(PathBuf),
    /// book.toml could not be read.
    #[error("could not read `{path}`: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// book.toml has errors.
    #[error("book.toml has errors")]
    Invalid(Diagnostics),
}

/// Reads and validates `book.toml` in `root`.
pub(crate) fn load(root: &Path, overrides: &Overrides) -> Result<Config, ConfigError> {
    let path = root.join(CONFIG_FILE);
    let text = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ConfigError::Missing(root.to_path_buf()));
        }
        Err(source) => return Err(ConfigError::Io { path, source }),
    };
    let text: Arc<str> = match String::from_utf8(text) {
        Ok(text) => Arc::from(crate::text::normalize(text)),
        Err(e) => {
            let mut diags = Diagnostics::new();
            diags.push(crate::text::not_utf8(Path::new(CONFIG_FILE), e.as_bytes()));
            return Err(ConfigError::Invalid(diags));
        }
    };
    parse(root, &text, overrides).map_err(ConfigError::Invalid)
}

/// Validates the text of a `book.toml` belonging to the book in `root`.
pub(crate) fn parse(
    root: &Path,
    text: &Arc<str>,
    overrides: &Overrides,
) -> Result<Config, Diagnostics> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let mut diags = Diagnostics::new();
        diags.push(toml_error(Path::new(CONFIG_FILE), text, 0, &e));
        diags
    })?;
    Resolver::new(text).resolve(root, raw, overrides)
}

struct Resolver<'a> {
    text: &'a Arc<str>,
    diags: Diagnostics,
}

impl<'a> Resolver<'a> {
    fn new(text: &'a Arc<str>) -> Self {
        Self {
            text,
            diags: Diagnostics::new(),
        }
    }

    fn error_at(&mut self, span: std::ops::Range<usize>, message: String, hint: Option<String>) {
        self.diags.push(
            Diagnostic::error(message)
                .in_file(CONFIG_FILE)
                .at(self.text, span)
                .maybe_hint(hint),
        );
    }

    fn resolve(
        mut self,
        root: &Path,
        raw: RawConfig,
        overrides: &Overrides,
    ) -> Result<Config, Diagnostics> {
        let book = self.book(raw.book, overrides);
        let callouts = self.callouts(raw.callouts);
        let broken_links = self.broken_links(raw.build.broken_links.as_ref());
        let redirects = self.redirects(raw.redirects);
        let practice = self.practice(raw.practice);
        let configured_build_dir = root.join(raw.build.build_dir.unwrap_or_else(|| "site".into()));
        let build = BuildSettings {
            content_dir: root.join(raw.build.content_dir.unwrap_or_else(|| "content".into())),
            build_dir: overrides
                .build_dir
                .clone()
                .unwrap_or_else(|| configured_build_dir.clone()),
            configured_build_dir,
            static_dir: root.join(STATIC_DIR),
            templates_dir: root.join(TEMPLATES_DIR),
            number_sections: raw.build.number_sections,
            broken_links,
        };
        if self.diags.has_errors() {
            return Err(self.diags);
        }
        Ok(Config {
            root: root.to_path_buf(),
            book,
            build,
            callouts,
            llms: LlmsSettings {
                enabled: raw.llms.enabled.unwrap_or(true),
                intro: raw.llms.intro,
                full: raw.llms.full.unwrap_or(true),
            },
            search: SearchSettings {
                enabled: !overrides.no_search && raw.search.enabled.unwrap_or(true),
            },
            redirects,
            practice,
        })
    }

    fn book(&mut self, raw: Option<RawBook>, overrides: &Overrides) -> BookMeta {
        let Some(raw) = raw else {
            self.diags.push(
                Diagnostic::error("book.toml has no `[book]` table")
                    .in_file(CONFIG_FILE)
                    .hint("add `[book]` with at least `title = \"My Guide\"`"),
            );
            return BookMeta::untitled();
        };
        let title = match raw.title.filter(|t| !t.trim().is_empty()) {
            Some(title) => title,
            None => {
                let at = self.text.find("[book]").unwrap_or(0);
                self.error_at(
                    at..at + 6,
                    "the book has no title".into(),
                    Some("add `title = \"My Guide\"` under `[book]`".into()),
                );
                String::new()
            }
        };
        let base_url = match &overrides.base_url {
            Some(url) => self.base_url(url, None),
            None => raw
                .base_url
                .as_ref()
                .and_then(|url| self.base_url(url.get_ref(), Some(url.span()))),
        };
        let repository_url = raw
            .repository_url
            .and_then(|url| self.web_link("repository-url", url, "https://github.com/me/guide"));
        let edit_url_template = raw
            .edit_url_template
            .and_then(|t| {
                self.web_link(
                    "edit-url-template",
                    t,
                    "https://github.com/me/guide/edit/main/{path}",
                )
            })
            .and_then(|t| {
            if t.get_ref().contains("{path}") {
                Some(t.into_inner())
            } else {
                self.error_at(
                    t.span(),
                    "`edit-url-template` has no `{path}` placeholder".into(),
                    Some("write where the file's path goes, e.g. \"https://github.com/me/guide/edit/main/{path}\"".into()),
                );
                None
            }
        });
        let language = match raw.language {
            Some(language) => self.language(language),
            None => "en".into(),
        };
        BookMeta {
            title,
            description: raw.description,
            authors: raw.authors,
            language,
            base_url,
            repository_url: repository_url.map(Spanned::into_inner),
            edit_url_template,
        }
    }

    /// A BCP 47 language tag (`en`, `pt-BR`, `zh-Hant-TW`), which also names files of the
    /// search index: anything else is an error, and the book falls back to `en`.
    fn language(&mut self, language: Spanned<String>) -> String {
        let value = language.get_ref().trim();
        match language_tags::LanguageTag::parse(value) {
            Ok(tag) if is_usable_language(&tag) => tag.as_str().to_string(),
            _ => {
                self.error_at(
                    language.span(),
                    format!(
                        "`language = \"{}\"` is not a language tag",
                        value.escape_default()
                    ),
                    Some("write a BCP 47 language tag, such as \"en\", \"en-GB\", \"pt-BR\" or \"zh-Hant\"".into()),
                );
                "en".into()
            }
        }
    }

    /// An http(s) link for readers to follow (`javascript:` and other schemes refused).
    fn web_link(
        &mut self,
        key: &str,
        url: Spanned<String>,
        example: &str,
    ) -> Option<Spanned<String>> {
        let value = url.get_ref().trim();
        let lower = value.to_ascii_lowercase();
        let web = lower.starts_with("https://") || lower.starts_with("http://");
        let clean =
            !value.contains(|c: char| c.is_whitespace() || c.is_control() || "<>\"'`".contains(c));
        if web
            && clean
            && value
                .split_once("://")
                .is_some_and(|(_, rest)| !rest.is_empty())
        {
            return Some(url);
        }
        self.error_at(
            url.span(),
            format!("`{key}` must be an http:// or https:// address"),
            Some(format!("for example \"{example}\"")),
        );
        None
    }

    fn base_url(&mut self, url: &str, span: Option<std::ops::Range<usize>>) -> Option<String> {
        let url = url.trim();
        let clean = !url
            .contains(|c: char| c.is_whitespace() || c.is_control() || "<>\"'`{}|\\^".contains(c));
        let host = url
            .split_once("://")
            .map_or("", |(_, rest)| rest.split('/').next().unwrap_or(""));
        if (url.starts_with("https://") || url.starts_with("http://")) && clean && !host.is_empty()
        {
            let mut url = url.to_string();
            if !url.ends_with('/') {
                url.push('/');
            }
            return Some(url);
        }
        let message = format!(
            "`base-url` must be an absolute http(s) URL without spaces or quotes, not `{url}`"
        );
        let hint = Some("for example \"https://example.com/guide/\"".to_string());
        match span {
            Some(span) => self.error_at(span, message, hint),
            None => self.diags.push(Diagnostic::error(message).maybe_hint(hint)),
        }
        None
    }

    fn callouts(&mut self, raw: BTreeMap<String, Spanned<RawCallout>>) -> CalloutRegistry {
        let mut registry = CalloutRegistry::builtin();
        let mut index_slugs = BTreeMap::new();
        for (name, spanned) in raw {
            let span = spanned.span();
            let raw = spanned.into_inner();
            if !is_kind_name(&name) {
                self.error_at(
                    span.clone(),
                    format!("callout kind `{name}` is not a valid name"),
                    Some("use lowercase letters, digits and `-`, starting with a letter, e.g. `big-word-alert`".into()),
                );
                continue;
            }
            if CONTAINER_KINDS.contains(&name.as_str()) {
                self.error_at(
                    span.clone(),
                    format!("`{name}` is a built-in container and cannot be a callout kind"),
                    Some("choose another name for this callout kind".into()),
                );
                continue;
            }
            // A built-in kind, or an alias the book redefines, starts from what it was.
            let base = registry.resolve(&name).map(|resolved| CalloutKind {
                label: resolved
                    .label
                    .map_or_else(|| resolved.settings.label.clone(), str::to_string),
                ..resolved.settings.clone()
            });
            let style = match &raw.style {
                Some(style) => match CalloutStyle::parse(style.get_ref()) {
                    Some(s) => s,
                    None => {
                        let hint = did_you_mean(style.get_ref(), CalloutStyle::NAMES)
                            .unwrap_or_else(|| {
                                format!("use one of: {}", CalloutStyle::NAMES.join(", "))
                            });
                        self.error_at(
                            style.span(),
                            format!("unknown callout style `{}`", style.get_ref()),
                            Some(hint),
                        );
                        CalloutStyle::Note
                    }
                },
                None => base.as_ref().map_or(CalloutStyle::Note, |b| b.style),
            };
            let icon = match &raw.icon {
                Some(icon) => self.icon(icon),
                None => base
                    .as_ref()
                    .map(|b| b.icon.clone())
                    .unwrap_or_else(|| Icon::Builtin(style.default_icon().into())),
            };
            let label = raw
                .label
                .or_else(|| base.as_ref().map(|b| b.label.clone()))
                .unwrap_or_else(|| humanize(&name));
            let collapsible = raw
                .collapsible
                .unwrap_or_else(|| base.as_ref().is_some_and(|b| b.collapsible));
            let accent = match &raw.color {
                Some(color) => self.color(color, style),
                // A built-in kind keeps its family's colour unless its style changes.
                None => match &base {
                    Some(b) if b.style == style => b.accent.clone(),
                    Some(_) => style.accent(),
                    None => Accent::from(palette::assign(
                        &name,
                        raw.style.as_ref().map(|_| style.name()),
                    )),
                },
            };
            let layout = match &raw.layout {
                Some(layout) => self.layout(layout),
                None => base.as_ref().map_or(CalloutLayout::Standard, |b| b.layout),
            };
            let numbered = raw
                .numbered
                .unwrap_or_else(|| base.as_ref().is_some_and(|b| b.numbered));
            let index = raw.index.as_ref().and_then(|title| {
                self.generated_title(
                    title,
                    &format!("[callouts.{name}] index"),
                    "Glossary",
                    &mut index_slugs,
                )
            });
            registry.kinds.insert(
                name,
                CalloutKind {
                    label,
                    icon,
                    style,
                    accent,
                    layout,
                    collapsible,
                    numbered,
                    index,
                },
            );
        }
        registry
    }

    /// The title of a generated page and its slug; two generated pages with one slug are an
    /// error naming the first.
    fn generated_title(
        &mut self,
        title: &Spanned<String>,
        key: &str,
        example: &str,
        slugs: &mut BTreeMap<String, String>,
    ) -> Option<IndexSettings> {
        let value = title.get_ref().trim();
        let slug = crate::urls::slugify(value);
        if slug.is_empty() {
            self.error_at(
                title.span(),
                format!("`{key}` needs a title with a letter or digit in it, for the page's URL"),
                Some(format!("for example \"{example}\"")),
            );
            return None;
        }
        if let Some(first) = slugs.get(&slug) {
            self.error_at(
                title.span(),
                format!("`{key}` makes the page `/{slug}/`, which `{first}` makes too"),
                Some("give one of them another title".into()),
            );
            return None;
        }
        slugs.insert(slug.clone(), key.to_string());
        Some(IndexSettings {
            title: value.to_string(),
            slug,
        })
    }

    /// `[practice]`.
    fn practice(&mut self, raw: RawPractice) -> PracticeSettings {
        let mut slugs = BTreeMap::new();
        let settings = raw
            .title
            .as_ref()
            .and_then(|title| {
                self.generated_title(title, "[practice] title", "Practice", &mut slugs)
            })
            .unwrap_or_else(|| IndexSettings {
                title: "Practice".into(),
                slug: "practice".into(),
            });
        PracticeSettings {
            enabled: raw.enabled,
            title: settings.title,
            slug: settings.slug,
        }
    }

    /// A palette name or a `#rgb`/`#rrggbb` colour, made readable in both themes.
    fn color(&mut self, color: &Spanned<String>, style: CalloutStyle) -> Accent {
        let value = color.get_ref().trim();
        if let Some(hue) = palette::named(&value.to_ascii_lowercase()) {
            return Accent::from(hue);
        }
        if let Some(rgb) = palette::parse_hex(value) {
            return palette::accent_for(rgb);
        }
        let hint = if value.starts_with('#') {
            "write a hex colour with 3 or 6 digits, such as \"#0e796c\" or \"#c2c\"".to_string()
        } else {
            did_you_mean(&value.to_ascii_lowercase(), palette::names()).unwrap_or_else(|| {
                format!(
                    "use a hex colour such as \"#0e796c\", or one of: {}",
                    palette::names().collect::<Vec<_>>().join(", ")
                )
            })
        };
        self.error_at(
            color.span(),
            format!("unknown callout colour `{value}`"),
            Some(hint),
        );
        style.accent()
    }

    fn layout(&mut self, layout: &Spanned<String>) -> CalloutLayout {
        let value = layout.get_ref().trim();
        CalloutLayout::parse(value).unwrap_or_else(|| {
            let hint = did_you_mean(value, CalloutLayout::NAMES)
                .unwrap_or_else(|| format!("use one of: {}", CalloutLayout::NAMES.join(", ")));
            self.error_at(
                layout.span(),
                format!("unknown callout layout `{value}`"),
                Some(hint),
            );
            CalloutLayout::Standard
        })
    }

    fn icon(&mut self, icon: &Spanned<String>) -> Icon {
        match parse_icon(icon.get_ref()) {
            Ok(parsed) => parsed,
            Err((message, hint)) => {
                self.error_at(icon.span(), message, Some(hint));
                Icon::Builtin("info".into())
            }
        }
    }

    fn broken_links(&mut self, raw: Option<&Spanned<String>>) -> BrokenLinks {
        let Some(raw) = raw else {
            return BrokenLinks::default();
        };
        match raw.get_ref().as_str() {
            "error" => BrokenLinks::Error,
            "warn" => BrokenLinks::Warn,
            other => {
                let hint = did_you_mean(other, BrokenLinks::NAMES)
                    .unwrap_or_else(|| "use \"error\" (the default) or \"warn\"".into());
                self.error_at(
                    raw.span(),
                    format!("unknown `broken-links` setting `{other}`"),
                    Some(hint),
                );
                BrokenLinks::default()
            }
        }
    }

    fn redirects(&mut self, raw: BTreeMap<Spanned<String>, Spanned<String>>) -> Redirects {
        let mut rules = Vec::new();
        for (from, target) in raw {
            match redirect_output(from.get_ref()) {
                Ok(output) => {
                    let (path, fragment) = match target.get_ref().split_once('#') {
                        Some((path, fragment)) => (path, Some(fragment.to_string())),
                        None => (target.get_ref().as_str(), None),
                    };
                    rules.push(Redirect {
                        from: from.get_ref().clone(),
                        output,
                        target: path.to_string(),
                        fragment: fragment.filter(|f| !f.is_empty()),
                        from_span: from.span(),
                        target_span: target.span(),
                    });
                }
                Err((message, hint)) => self.error_at(from.span(), message, Some(hint)),
            }
        }
        Redirects {
            text: Arc::clone(self.text),
            rules,
        }
    }
}

/// Reads an icon name from book.toml or a fence's `icon="…"`: a built-in icon, or an emoji
/// (any short non-ASCII text). The error is a message and a hint.
pub(crate) fn parse_icon(value: &str) -> Result<Icon, (String, String)> {
    let value = value.trim();
    if icons::exists(value) {
        return Ok(Icon::Builtin(value.to_string()));
    }
    if !value.is_ascii() && value.chars().count() <= 8 {
        return Ok(Icon::Emoji(value.to_string()));
    }
    let hint = did_you_mean(value, icons::names()).unwrap_or_else(|| {
        format!(
            "use an emoji or one of the built-in icons: {}",
            icons::names().collect::<Vec<_>>().join(", ")
        )
    });
    Err((format!("unknown icon `{value}`"), hint))
}

/// The site file a redirect's old path is written to: `/old/path/` and `/old/path` give
/// `old/path/index.html`, `/old.html` gives `old.html`. Old paths are clean absolute site
/// paths: a leading `/`, segments of letters, digits, `-`, `_`, `.` and `~`, none of them
/// empty, `.` or `..`. The error is a message and a hint.
pub(crate) fn redirect_output(from: &str) -> Result<String, (String, String)> {
    let hint = || {
        "write the old page's path from the site root, e.g. \"/old/path/\" or \"/old-page.html\""
            .to_string()
    };
    let Some(rest) = from.strip_prefix('/') else {
        return Err((
            format!("the redirect `{from}` does not start with `/`"),
            hint(),
        ));
    };
    let trimmed = rest.strip_suffix('/').unwrap_or(rest);
    if trimmed.is_empty() {
        return Err((
            "the redirect `/` would replace the home page".into(),
            "redirect old pages only: the home page is always at `/`".into(),
        ));
    }
    for segment in trimmed.split('/') {
        let clean = !segment.is_empty()
            && segment != "."
            && segment != ".."
            && segment
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '~'));
        if !clean {
            return Err((
                format!("the redirect `{from}` is not a clean site path"),
                format!(
                    "{}; use letters, digits, `-`, `_`, `.` and `~` between single slashes, with no `?`, `#`, spaces, `.` or `..` segments",
                    hint()
                ),
            ));
        }
    }
    let is_html = !rest.ends_with('/')
        && [".html", ".htm"]
            .iter()
            .any(|ext| trimmed.to_ascii_lowercase().ends_with(ext));
    Ok(if is_html {
        trimmed.to_string()
    } else {
        format!("{trimmed}/index.html")
    })
}

impl BookMeta {
    /// Where absolute links start: the base URL, else the site root `/`.
    pub(crate) fn base_or_root(&self) -> &str {
        self.base_url.as_deref().unwrap_or("/")
    }

    fn untitled() -> Self {
        Self {
            title: String::new(),
            description: None,
            authors: Vec::new(),
            language: "en".into(),
            base_url: None,
            repository_url: None,
            edit_url_template: None,
        }
    }
}

/// A well-formed tag whose primary language is a two- or three-letter code (the only ones in
/// use; the search indexer stems by it).
fn is_usable_language(tag: &language_tags::LanguageTag) -> bool {
    let primary = tag.primary_language();
    (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_alphabetic())
}

/// Whether `name` is a valid directive kind: `[a-z][a-z0-9-]*`.
pub(crate) fn is_kind_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// "war-story" → "War story": a readable label for a kind without one.
pub(crate) fn humanize(name: &str) -> String {
    let spaced = name.replace(['-', '_'], " ");
    let mut chars = spaced.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Config, Diagnostics> {
        parse(Path::new("/book"), &Arc::from(text), &Overrides::default())
    }

    #[test]
    fn minimal_config_gets_defaults() {
        let config = parse_str("[book]\ntitle = \"Guide\"\n").unwrap();
        assert_eq!(config.book.title, "Guide");
        assert_eq!(config.book.language, "en");
        assert_eq!(config.build.content_dir, Path::new("/book/content"));
        assert_eq!(config.build.build_dir, Path::new("/book/site"));
        assert!(config.callouts.get("tip").is_some());
        assert!(config.llms.enabled && config.search.enabled);
    }

    #[test]
    fn numbered_kinds_index_pages_and_practice() {
        let config = parse_str(
            "[book]\ntitle = \"G\"\n[callouts.war-story]\nnumbered = true\n[callouts.term]\nindex = \" Big Words \"\n[practice]\nenabled = false\ntitle = \"Question drill\"\n",
        )
        .unwrap();
        assert!(config.callouts.get("war-story").unwrap().numbered);
        assert!(!config.callouts.get("tip").unwrap().numbered);
        let index = config.callouts.get("term").unwrap().index.clone().unwrap();
        assert_eq!(
            (index.title.as_str(), index.slug.as_str()),
            ("Big Words", "big-words")
        );
        assert_eq!(config.practice.enabled, Some(false));
        assert_eq!(config.practice.slug, "question-drill");
        let default = parse_str("[book]\ntitle = \"G\"\n").unwrap();
        assert_eq!(default.practice.enabled, None);
        assert_eq!(default.practice.slug, "practice");
    }

    #[test]
    fn callout_kinds_are_resolved() {
        let config = parse_str(
            "[book]\ntitle = \"G\"\n[callouts.big-word-alert]\nlabel = \"Big Word Alert\"\nicon = \"book\"\nstyle = \"info\"\n[callouts.war-story]\nicon = \"🔥\"\ncollapsible = true\n",
        )
        .unwrap();
        let alert = config.callouts.get("big-word-alert").unwrap();
        assert_eq!(alert.label, "Big Word Alert");
        assert_eq!(alert.icon, Icon::Builtin("book".into()));
        assert_eq!(alert.style, CalloutStyle::Info);
        let story = config.callouts.get("war-story").unwrap();
        assert_eq!(story.label, "War story");
        assert_eq!(story.icon, Icon::Emoji("🔥".into()));
        assert!(story.collapsible);
    }

    #[test]
    fn unknown_key_names_key_and_suggests() {
        let diags = parse_str("[book]\ntitle = \"G\"\ndescripton = \"x\"\n").unwrap_err();
        let d = diags.iter().next().unwrap();
        assert_eq!(d.message, "unknown key `descripton`");
        assert_eq!(d.hint.as_deref(), Some("did you mean `description`?"));
        assert_eq!(d.span.as_ref().unwrap().line_col(), (3, 1));
    }

    #[test]
    fn bad_icon_and_style_are_reported_together() {
        let diags =
            parse_str("[book]\ntitle = \"G\"\n[callouts.x]\nicon = \"bok\"\nstyle = \"warn\"\n")
                .unwrap_err();
        let messages: Vec<_> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            ["unknown callout style `warn`", "unknown icon `bok`"]
        );
    }

    #[test]
    fn callout_colours_come_from_the_key_the_family_or_the_name() {
        let config = parse_str(
            "[book]\ntitle = \"G\"\n[callouts.a]\ncolor = \"Teal\"\n[callouts.b]\ncolor = \"#ffdd00\"\nlayout = \"definition\"\n[callouts.c]\nstyle = \"danger\"\n[callouts.tip]\nlabel = \"Pro tip\"\n[callouts.warning]\nstyle = \"info\"\n",
        )
        .unwrap();
        let kind = |name| config.callouts.get(name).unwrap();
        assert_eq!(kind("a").accent.name, Some("teal"));
        assert_eq!(kind("a").layout, CalloutLayout::Standard);
        // An author's hex colour is kept as close as AA allows: yellow darkens on white.
        assert_eq!(kind("b").accent.name, None);
        assert_ne!(kind("b").accent.light, "#ffdd00");
        assert_eq!(kind("b").accent.dark, "#ffdd00");
        assert_eq!(kind("b").layout, CalloutLayout::Definition);
        // A style without a colour picks a hue of that family; built-in kinds keep theirs.
        assert_eq!(
            palette::named(kind("c").accent.name.unwrap())
                .unwrap()
                .family,
            "danger"
        );
        assert_eq!(kind("tip").accent.name, Some("green"));
        assert_eq!(kind("note").accent.name, Some("violet"));
        assert_eq!(kind("warning").accent.name, Some("blue"));
    }

    #[test]
    fn bad_colours_and_layouts_are_errors_with_suggestions() {
        let diags = parse_str(
            "[book]\ntitle = \"G\"\n[callouts.x]\ncolor = \"tael\"\n[callouts.y]\ncolor = \"#12345\"\nlayout = \"definiton\"\n[callouts.z]\ncolor = \"javascript:x\"\n",
        )
        .unwrap_err();
        let found: Vec<_> = diags
            .iter()
            .map(|d| {
                (
                    d.message.as_str(),
                    d.hint.as_deref().unwrap_or_default(),
                    d.span.as_ref().unwrap().line_col(),
                )
            })
            .collect();
        assert_eq!(found[0].0, "unknown callout colour `tael`");
        assert_eq!(found[0].1, "did you mean `teal`?");
        assert_eq!(found[0].2, (4, 9));
        assert_eq!(found[1].0, "unknown callout colour `#12345`");
        assert!(found[1].1.contains("3 or 6 digits"), "{}", found[1].1);
        assert_eq!(found[2].0, "unknown callout layout `definiton`");
        assert_eq!(found[2].1, "did you mean `definition`?");
        assert_eq!(found[3].0, "unknown callout colour `javascript:x`");
        assert!(found[3].1.contains("slate"), "{}", found[3].1);
    }

    #[test]
    fn reserved_and_invalid_kind_names_are_errors() {
        assert!(parse_str("[book]\ntitle = \"G\"\n[callouts.steps]\n").is_err());
        assert!(parse_str("[book]\ntitle = \"G\"\n[callouts.Big]\n").is_err());
    }

    #[test]
    fn the_language_is_a_language_tag() {
        let language = |value: &str| {
            parse_str(&format!("[book]\ntitle = \"G\"\nlanguage = \"{value}\"\n"))
                .map(|c| c.book.language)
        };
        assert_eq!(language("en").unwrap(), "en");
        assert_eq!(language("pt-BR").unwrap(), "pt-BR");
        assert_eq!(language("zh-Hant-TW").unwrap(), "zh-Hant-TW");
        // Regression: these went into the search index's file names unchecked.
        for bad in [
            "en/../../../../x",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmn",
            "",
            "e n",
            "x-private",
        ] {
            let diags = language(bad).unwrap_err();
            let d = diags.iter().next().unwrap();
            assert!(
                d.message.contains("not a language tag"),
                "{bad}: {}",
                d.message
            );
            assert_eq!(d.span.as_ref().unwrap().line_col(), (3, 12), "{bad}");
        }
    }

    #[test]
    fn reader_links_are_web_addresses() {
        let book = |line: &str| parse_str(&format!("[book]\ntitle = \"G\"\n{line}\n"));
        assert!(book("repository-url = \"https://github.com/me/g\"").is_ok());
        assert!(book("edit-url-template = \"https://x.dev/edit/{path}\"").is_ok());
        for bad in [
            "repository-url = \"javascript:alert(1)\"",
            "repository-url = \"JavaScript:alert(1)//https://\"",
            "edit-url-template = \"javascript:alert('{path}')\"",
            "edit-url-template = \"data:text/html,{path}\"",
        ] {
            let diags = book(bad).unwrap_err();
            let d = diags.iter().next().unwrap();
            assert!(
                d.message.contains("http:// or https://"),
                "{bad}: {}",
                d.message
            );
            assert_eq!(d.span.as_ref().unwrap().line_col().0, 3, "{bad}");
        }
    }

    #[test]
    fn aliases_resolve_unless_the_book_defines_them() {
        let config = parse_str("[book]\ntitle = \"G\"\n").unwrap();
        let caution = config.callouts.resolve("caution").unwrap();
        assert_eq!((caution.kind, caution.label), ("warning", Some("Caution")));
        let important = config.callouts.resolve("important").unwrap();
        assert_eq!(
            (important.kind, important.label),
            ("info", Some("Important"))
        );
        assert!(config.callouts.names().any(|n| n == "caution"));

        let config =
            parse_str("[book]\ntitle = \"G\"\n[callouts.caution]\nicon = \"🚧\"\n").unwrap();
        let caution = config.callouts.resolve("caution").unwrap();
        assert_eq!((caution.kind, caution.label), ("caution", None));
        // What the book leaves out comes from the alias.
        assert_eq!(caution.settings.label, "Caution");
        assert_eq!(caution.settings.style, CalloutStyle::Warning);
        assert_eq!(caution.settings.icon, Icon::Emoji("🚧".into()));
    }

    #[test]
    fn broken_links_is_error_or_warn() {
        let config = parse_str("[book]\ntitle = \"G\"\n").unwrap();
        assert_eq!(config.build.broken_links, BrokenLinks::Error);
        let config =
            parse_str("[book]\ntitle = \"G\"\n[build]\nbroken-links = \"warn\"\n").unwrap();
        assert_eq!(config.build.broken_links, BrokenLinks::Warn);
        let diags =
            parse_str("[book]\ntitle = \"G\"\n[build]\nbroken-links = \"ignore\"\n").unwrap_err();
        let d = diags.iter().next().unwrap();
        assert_eq!(d.message, "unknown `broken-links` setting `ignore`");
        assert_eq!(d.span.as_ref().unwrap().line_col(), (4, 16));
    }

    #[test]
    fn redirect_paths_and_the_files_they_write() {
        assert_eq!(
            redirect_output("/old/path/").unwrap(),
            "old/path/index.html"
        );
        assert_eq!(redirect_output("/old/path").unwrap(), "old/path/index.html");
        assert_eq!(redirect_output("/old.html").unwrap(), "old.html");
        assert_eq!(redirect_output("/a/Old.HTM").unwrap(), "a/Old.HTM");
        assert_eq!(redirect_output("/v1.2/").unwrap(), "v1.2/index.html");
        assert_eq!(redirect_output("/café/").unwrap(), "café/index.html");
        for bad in [
            "old/", "/", "//x/", "/a//b/", "/../x/", "/./x/", "/a b/", "/a?b", "/a#b", "/a\\b",
            "/a%20b/", "/<x>/",
        ] {
            assert!(redirect_output(bad).is_err(), "{bad}");
        }
        let config = parse_str(
            "[book]\ntitle = \"G\"\n[redirects]\n\"/old/\" = \"part/page.md#id\"\n\"/x/\" = \"a.md#\"\n",
        )
        .unwrap();
        let rules = &config.redirects.rules;
        assert_eq!(rules[0].target, "part/page.md");
        assert_eq!(rules[0].fragment.as_deref(), Some("id"));
        assert_eq!(rules[1].fragment, None);
        let diags =
            parse_str("[book]\ntitle = \"G\"\n[redirects]\n\"old\" = \"a.md\"\n").unwrap_err();
        assert_eq!(
            diags
                .iter()
                .next()
                .unwrap()
                .span
                .as_ref()
                .unwrap()
                .line_col(),
            (4, 1)
        );
    }

    #[test]
    fn base_url_gets_trailing_slash() {
        let config = parse_str("[book]\ntitle = \"G\"\nbase-url = \"https://x.dev/g\"\n").unwrap();
        assert_eq!(config.book.base_url.as_deref(), Some("https://x.dev/g/"));
        assert!(parse_str("[book]\ntitle = \"G\"\nbase-url = \"x.dev\"\n").is_err());
        assert!(
            parse_str("[book]\ntitle = \"G\"\nbase-url = \"https://ex.com/a b/<x>/\"\n").is_err()
        );
        assert!(parse_str("[book]\ntitle = \"G\"\nbase-url = \"https:///path\"\n").is_err());
    }
}
