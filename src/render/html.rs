//! The page body as HTML: a walk over the owned tree.
//!
//! Input: a page's [`Document`]. Output: its HTML, with code highlighted, headings carrying
//! their ids and anchor links, every dialect construct carrying the spec's `data-*` hooks, and
//! callouts rendered through the book's Tera templates.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use pulldown_cmark_escape::{escape_href, escape_html, escape_html_body_text};

use crate::config::{CalloutLayout, CalloutRegistry, Icon};
use crate::highlight::{Highlighted, Highlighter, LineMemo, is_plain};
use crate::icons;
use crate::links::{PageLinks, Target};
use crate::markdown::ast::{
    Align, Block, Callout, CodeBlock, Details, Document, Footnote, Heading, Inline, Link, List,
    Question, Steps, Tab, Table, Tabs, footnote_key, plain_text,
};
use crate::model::study::PageNumbers;
use crate::urls;

/// What a callout template receives.
#[derive(Debug, serde::Serialize)]
pub(crate) struct CalloutContext<'a> {
    /// The kind (`big-word-alert`).
    pub(crate) kind: &'a str,
    /// The label ("Big Word Alert").
    pub(crate) label: &'a str,
    /// Its number in the book, when its kind is numbered (the title line then reads
    /// "War Story 3 — Title").
    pub(crate) number: Option<u32>,
    /// The callout's id (`{#id}`, else `<kind>-<slug of title>`): links point at it.
    pub(crate) id: &'a str,
    /// The title as HTML (empty when there is none).
    pub(crate) title: String,
    /// The title as plain text, for attributes.
    pub(crate) title_text: String,
    /// The icon as HTML (an SVG, or an emoji in a span).
    pub(crate) icon: String,
    /// The colour family.
    pub(crate) style: &'static str,
    /// The accent colour in the light theme (`#rrggbb`): edge, icon and label.
    pub(crate) color: &'a str,
    /// The accent colour in the dark theme (`#rrggbb`).
    pub(crate) color_dark: &'a str,
    /// The palette name of the accent, when it is one (`teal`); empty for a hex colour.
    pub(crate) color_name: &'static str,
    /// `standard` or `definition`.
    pub(crate) layout: CalloutLayout,
    /// Rendered closed, as `<details>`.
    pub(crate) collapsible: bool,
    /// `{open}`: a collapsible callout starts open.
    pub(crate) open: bool,
    /// The content as HTML.
    pub(crate) body: String,
}

/// Renders callouts: implemented by the template engine.
pub(crate) trait CalloutTemplates: Sync {
    /// The HTML of one callout, or a message saying why the template failed.
    fn render_callout(&self, context: &CalloutContext<'_>) -> Result<String, String>;
}

/// Everything the body renderer needs.
pub(crate) struct HtmlRenderer<'a> {
    /// Syntax highlighting.
    pub(crate) highlighter: &'a Highlighter,
    /// Callout kinds.
    pub(crate) callouts: &'a CalloutRegistry,
    /// Callout templates.
    pub(crate) templates: &'a dyn CalloutTemplates,
}

/// A page body rendered.
#[derive(Debug, Default)]
pub(crate) struct RenderedBody {
    /// The HTML.
    pub(crate) html: String,
    /// Code blocks in unknown languages: (language, byte offset in the file).
    pub(crate) unknown_languages: Vec<(String, usize)>,
    /// Template failures: (message, byte offset of the callout in the file).
    pub(crate) template_errors: Vec<(String, usize)>,
    /// Whether the body holds a question (the page then shows the practice-mode switch).
    pub(crate) has_questions: bool,
    /// The code blocks as highlighted, by block: the print page's copy reuses them.
    highlights: HashMap<usize, Highlighted>,
}

/// Whose links a body's links are: the page's resolutions and its URL, which hrefs start
/// from.
#[derive(Clone, Copy)]
pub(crate) struct LinkScope<'s> {
    /// What the page's links resolved to.
    pub(crate) links: &'s PageLinks,
    /// How hrefs are written: relative to the URL of the page being written (`apis/rest/`),
    /// or from a base.
    pub(crate) linker: urls::Linker<'s>,
    /// The numbers of the page's numbered callouts.
    pub(crate) numbers: &'s PageNumbers,
    /// Written for the print page (the page's URL): ids carry the page's prefix, links
    /// between pages point at their place on the print page, and answers and folded blocks
    /// are open.
    pub(crate) print: Option<&'s str>,
    /// Written as a copy on a generated page (an answer on the practice page, a term on an
    /// index page), beside copies from other pages.
    pub(crate) excerpt: Option<Excerpt<'s>>,
}

/// Content of a page copied onto a generated page, where other copies stand beside it: its
/// ids carry the copy's prefix as the print page's carry the page's (`<prefix>:<id>`), so
/// that each stays unique, and links inside the copy point at the copy.
#[derive(Clone, Copy)]
pub(crate) struct Excerpt<'s> {
    /// What the copy's ids are prefixed with: an id of the generated page, unique there and
    /// without a `:` (a slug).
    pub(crate) prefix: &'s str,
    /// The ids of the source page that stand inside the copy (see [`ids_within`]): links to
    /// them point at their copies; links to other ids lead to the source page.
    pub(crate) ids: &'s HashSet<String>,
    /// The source page's footnotes: those the copy references are written at its end,
    /// numbered from 1 in the copy. `None` leaves footnote references out (a term on an
    /// index page, whose notes are not there).
    pub(crate) footnotes: Option<&'s [Footnote]>,
}

/// The ids of the headings, callouts, questions and details blocks among `blocks`, nested
/// ones included: what an [`Excerpt`] of them holds.
pub(crate) fn ids_within(blocks: &[Block]) -> HashSet<String> {
    fn walk(blocks: &[Block], out: &mut HashSet<String>) {
        for block in blocks {
            let id = match block {
                Block::Heading(heading) => Some(&heading.id),
                Block::Callout(callout) => Some(&callout.id.value),
                Block::Question(question) => Some(&question.id.value),
                Block::Details(details) => Some(&details.id.value),
                Block::Steps(steps) => {
                    out.extend(steps.steps.iter().map(|step| step.heading.id.clone()));
                    None
                }
                _ => None,
            };
            if let Some(id) = id.filter(|id| !id.is_empty()) {
                out.insert(id.clone());
            }
            for children in crate::markdown::ast::child_block_lists(block) {
                walk(children, out);
            }
        }
    }
    let mut out = HashSet::new();
    walk(blocks, &mut out);
    out
}

/// The print page's URL.
pub(crate) const PRINT_URL: &str = "print/";

/// The id, on the print page, of the page at `url` (`fragment`: of an element inside it).
pub(crate) fn print_id(url: &str, fragment: Option<&str>) -> String {
    let page = url.trim_end_matches('/');
    let page = if page.is_empty() { "home" } else { page };
    match fragment {
        Some(fragment) => prefixed_id(page, fragment),
        None => page.to_string(),
    }
}

/// An id of a page written among other pages' content (the print page, a copy on a
/// generated page): `<prefix>:<id>`.
fn prefixed_id(prefix: &str, id: &str) -> String {
    format!("{prefix}:{id}")
}

struct Writer<'a, 'r> {
    renderer: &'r HtmlRenderer<'a>,
    /// The links of the page being written; `None` inside text copied from another page.
    scope: Option<LinkScope<'r>>,
    out: String,
    /// The label of the tab being written, if any: a code block's language label that only
    /// repeats it is left out.
    tab_label: Option<String>,
    footnote_numbers: HashMap<String, usize>,
    highlights: HashMap<usize, Highlighted>,
    /// Code lines parsed so far (see [`LineMemo`]).
    lines: LineMemo,
    unknown_languages: Vec<(String, usize)>,
    template_errors: Vec<(String, usize)>,
    has_questions: bool,
}

impl HtmlRenderer<'_> {
    /// Renders a whole page body, footnotes last.
    #[cfg(test)]
    pub(crate) fn render(&self, doc: &Document, scope: LinkScope<'_>) -> RenderedBody {
        self.render_with_lines(doc, scope, &mut LineMemo::default())
    }

    /// [`Self::render`], taking code lines parsed before from `lines` and adding the
    /// others to it (pages rendered one after another share it).
    pub(crate) fn render_with_lines(
        &self,
        doc: &Document,
        scope: LinkScope<'_>,
        lines: &mut LineMemo,
    ) -> RenderedBody {
        let mut writer = Writer::new(self, Some(scope), 4096);
        writer.lines = std::mem::take(lines);
        writer.blocks(&doc.blocks);
        let has_questions = writer.has_questions;
        writer.footnotes(doc);
        *lines = std::mem::take(&mut writer.lines);
        RenderedBody {
            html: writer.out,
            unknown_languages: writer.unknown_languages,
            template_errors: writer.template_errors,
            has_questions,
            highlights: writer.highlights,
        }
    }

    /// The same body written for the print page (`scope.print`), with the code `earlier`
    /// highlighted (the tree is the same, so each block is highlighted once).
    pub(crate) fn render_for_print(
        &self,
        doc: &Document,
        scope: LinkScope<'_>,
        earlier: &mut RenderedBody,
    ) -> String {
        let mut writer = Writer::new(self, Some(scope), earlier.html.len() + 256);
        writer.highlights = std::mem::take(&mut earlier.highlights);
        writer.blocks(&doc.blocks);
        writer.footnotes(doc);
        writer.out
    }

    /// Renders blocks of a page (an answer shown on another page) on their own.
    pub(crate) fn render_blocks(&self, blocks: &[Block], scope: LinkScope<'_>) -> RenderedBody {
        let mut writer = Writer::new(self, Some(scope), 1024);
        writer.blocks(blocks);
        RenderedBody {
            html: writer.out,
            unknown_languages: writer.unknown_languages,
            template_errors: writer.template_errors,
            has_questions: writer.has_questions,
            highlights: writer.highlights,
        }
    }

    /// A question of a page copied onto a generated page (`scope.excerpt`): its prompt and
    /// its answer as HTML, written as one copy (footnotes numbered through both, their notes
    /// at the end of the answer).
    pub(crate) fn render_question_copy(
        &self,
        prompt: &[Inline],
        answer: &[Block],
        scope: LinkScope<'_>,
    ) -> (String, String) {
        let mut writer = Writer::new(self, Some(scope), 1024);
        let prompt = writer.nested(|w| w.inlines(prompt));
        writer.blocks(answer);
        writer.excerpt_footnotes();
        (prompt, writer.out)
    }

    /// Renders inline content (a title, a heading) on its own.
    pub(crate) fn inline_html(&self, inlines: &[Inline], scope: LinkScope<'_>) -> String {
        let mut writer = Writer::new(self, Some(scope), 0);
        writer.inlines(inlines);
        writer.out
    }
}

/// Escapes text for HTML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = escape_html(&mut out, text);
    out
}

impl<'a, 'r> Writer<'a, 'r> {
    fn new(renderer: &'r HtmlRenderer<'a>, scope: Option<LinkScope<'r>>, capacity: usize) -> Self {
        Self {
            renderer,
            scope,
            out: String::with_capacity(capacity),
            tab_label: None,
            footnote_numbers: HashMap::new(),
            highlights: HashMap::new(),
            lines: LineMemo::default(),
            unknown_languages: Vec::new(),
            template_errors: Vec::new(),
            has_questions: false,
        }
    }

    /// Text content: `<`, `>` and `&` escaped (quotes need no escaping outside attributes).
    fn text(&mut self, text: &str) {
        let _ = escape_html_body_text(&mut self.out, text);
    }

    fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            self.block(block);
        }
    }

    /// Renders blocks into a separate string (for template bodies).
    fn nested(&mut self, render: impl FnOnce(&mut Self)) -> String {
        let saved = std::mem::take(&mut self.out);
        render(self);
        std::mem::replace(&mut self.out, saved)
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Paragraph(inlines) => {
                self.out.push_str("<p>");
                self.inlines(inlines);
                self.out.push_str("</p>\n");
            }
            Block::Plain(inlines) => self.inlines(inlines),
            Block::Heading(heading) => self.heading(heading, ""),
            Block::Quote(blocks) => {
                self.out.push_str("<blockquote>\n");
                self.blocks(blocks);
                self.out.push_str("</blockquote>\n");
            }
            Block::Code(code) => self.code(code),
            Block::Html(html) => self.out.push_str(html),
            Block::List(list) => self.list(list),
            Block::Table(table) => self.table(table),
            Block::Rule => self.out.push_str("<hr>\n"),
            Block::Callout(callout) => self.callout(callout),
            Block::Steps(steps) => self.steps(steps),
            Block::Details(details) => self.details(details),
            Block::Question(question) => self.question(question),
            Block::Tabs(tabs) => self.tabs(tabs),
            Block::Tab(tab) => self.tab(tab),
            Block::Fence(_) => {}
        }
    }

    fn heading(&mut self, heading: &Heading, extra_class: &str) {
        let level = heading.level;
        let id = self.id(&heading.id);
        let _ = write!(self.out, "<h{level} id=\"{}\"", escape(&id));
        let mut classes: Vec<&str> = heading.classes.iter().map(String::as_str).collect();
        if !extra_class.is_empty() {
            classes.push(extra_class);
        }
        if !classes.is_empty() {
            let _ = write!(self.out, " class=\"{}\"", escape(&classes.join(" ")));
        }
        for (key, value) in &heading.attrs {
            let _ = write!(self.out, " {}", escape(key));
            if let Some(value) = value {
                let _ = write!(self.out, "=\"{}\"", escape(value));
            }
        }
        self.out.push('>');
        if let Some(number) = &heading.number {
            let _ = write!(
                self.out,
                "<span class=\"section-number\">{}</span> ",
                escape(number)
            );
        }
        self.inlines(&heading.content);
        let _ = writeln!(
            self.out,
            " <a class=\"anchor\" href=\"#{}\" tabindex=\"-1\" aria-label=\"Link to this section\" data-pagefind-ignore>#</a></h{level}>",
            escape(&crate::urls::encode_fragment(&id))
        );
    }

    fn code(&mut self, code: &CodeBlock) {
        let lang = code.lang();
        if lang.is_some_and(|l| l.eq_ignore_ascii_case("mermaid")) {
            // Drawn in the browser by the embedded Mermaid; until then (or without
            // JavaScript) the source shows as it was written.
            self.out
                .push_str("<div class=\"diagram\"><pre class=\"mermaid\" data-mermaid>");
            self.text(&code.code);
            self.out.push_str("</pre></div>\n");
            return;
        }
        // The block's address in the tree: the same block in the print page's pass.
        let block = std::ptr::from_ref(code) as usize;
        let highlighted = match self.highlights.get(&block) {
            Some(done) => done.clone(),
            None => {
                let done =
                    self.renderer
                        .highlighter
                        .code_to_html_with(&code.code, lang, &mut self.lines);
                self.highlights.insert(block, done.clone());
                done
            }
        };
        self.out.push_str("<div class=\"code-block\">");
        match lang {
            Some(lang) => {
                let label = if self.shows_language_label(lang) {
                    format!(" data-label=\"{}\"", escape(lang))
                } else {
                    String::new()
                };
                let lang = escape(lang);
                let _ = write!(
                    self.out,
                    "<pre class=\"hl-code\" data-lang=\"{lang}\"{label}><code class=\"language-{lang}\">"
                );
            }
            None => self.out.push_str("<pre class=\"hl-code\"><code>"),
        }
        match highlighted {
            Highlighted::Html(html) => self.out.push_str(&html),
            Highlighted::Plain => self.text(&code.code),
            Highlighted::UnknownLanguage => {
                self.text(&code.code);
                if let Some(lang) = lang {
                    self.unknown_languages.push((lang.to_string(), code.offset));
                }
            }
        }
        self.out.push_str("</code></pre></div>\n");
    }

    /// Whether a block in `lang` gets a label naming its language: not for plain text, and
    /// not inside a tab whose label already names it ("Python" over `py` code).
    fn shows_language_label(&self, lang: &str) -> bool {
        if is_plain(lang) {
            return false;
        }
        let Some(tab) = &self.tab_label else {
            return true;
        };
        let words: Vec<String> = tab
            .split(|c: char| !c.is_alphanumeric() && c != '+' && c != '#')
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        let grammar = self
            .renderer
            .highlighter
            .language_name(lang)
            .and_then(|name| name.split_whitespace().next())
            .map(str::to_lowercase);
        let names = [Some(lang.to_lowercase()), grammar];
        !names.iter().flatten().any(|name| words.contains(name))
    }

    fn list(&mut self, list: &List) {
        let tag = match list.start {
            Some(1) => {
                self.out.push_str("<ol>\n");
                "ol"
            }
            Some(start) => {
                let _ = writeln!(self.out, "<ol start=\"{start}\">");
                "ol"
            }
            None => {
                self.out.push_str("<ul>\n");
                "ul"
            }
        };
        for item in &list.items {
            let is_task = matches!(
                item.first(),
                Some(Block::Plain(i) | Block::Paragraph(i)) if matches!(i.first(), Some(Inline::TaskMarker(_)))
            );
            self.out.push_str(if is_task {
                "<li class=\"task\">"
            } else {
                "<li>"
            });
            let tight = matches!(item.first(), Some(Block::Plain(_)));
            for (i, block) in item.iter().enumerate() {
                if tight && i > 0 {
                    self.out.push('\n');
                }
                self.block(block);
            }
            self.out.push_str("</li>\n");
        }
        let _ = writeln!(self.out, "</{tag}>");
    }

    fn table(&mut self, table: &Table) {
        self.out
            .push_str("<div class=\"table-wrap\"><table>\n<thead>\n<tr>");
        for (column, cell) in table.head.iter().enumerate() {
            self.cell("th", table.align.get(column).copied(), cell);
        }
        self.out.push_str("</tr>\n</thead>\n");
        if !table.rows.is_empty() {
            self.out.push_str("<tbody>\n");
            for row in &table.rows {
                self.out.push_str("<tr>");
                for (column, cell) in row.iter().enumerate() {
                    self.cell("td", table.align.get(column).copied(), cell);
                }
                self.out.push_str("</tr>\n");
            }
            self.out.push_str("</tbody>\n");
        }
        self.out.push_str("</table></div>\n");
    }

    fn cell(&mut self, tag: &str, align: Option<Align>, content: &[Inline]) {
        let style = match align {
            Some(Align::Left) => " style=\"text-align: left\"",
            Some(Align::Center) => " style=\"text-align: center\"",
            Some(Align::Right) => " style=\"text-align: right\"",
            Some(Align::None) | None => "",
        };
        let _ = write!(self.out, "<{tag}{style}>");
        self.inlines(content);
        let _ = write!(self.out, "</{tag}>");
    }

    fn callout(&mut self, callout: &Callout) {
        let registry = self.renderer.callouts;
        let Some(kind) = registry.get(&callout.kind).or_else(|| registry.get("note")) else {
            return;
        };
        let icon = match callout.icon.as_ref().unwrap_or(&kind.icon) {
            Icon::Builtin(name) => icons::svg(name).unwrap_or_default(),
            // The style's own icon rides along, hidden: the script shows it instead when the
            // reader's system has no font that draws the emoji (an empty box otherwise).
            Icon::Emoji(emoji) => format!(
                "<span class=\"emoji\" aria-hidden=\"true\">{}</span>{}",
                escape(emoji),
                icons::fallback_svg(kind.style.default_icon()).unwrap_or_default()
            ),
        };
        let title = self.nested(|w| w.inlines(&callout.title));
        let body = self.nested(|w| w.blocks(&callout.body));
        let number = self
            .scope
            .and_then(|scope| scope.numbers.get(&callout.id.value));
        let id = if callout.id.value.is_empty() {
            String::new()
        } else {
            self.id(&callout.id.value)
        };
        let context = CalloutContext {
            kind: &callout.kind,
            label: callout.label(registry),
            number,
            id: &id,
            title,
            title_text: plain_text(&callout.title),
            icon,
            style: kind.style.name(),
            color: &kind.accent.light,
            color_dark: &kind.accent.dark,
            color_name: kind.accent.name.unwrap_or_default(),
            layout: kind.layout,
            collapsible: kind.collapsible,
            open: callout.open || self.printing(),
            body,
        };
        match self.renderer.templates.render_callout(&context) {
            Ok(html) => {
                self.out.push_str(html.trim_end());
                self.out.push('\n');
            }
            Err(message) => self.template_errors.push((message, callout.offset)),
        }
    }

    fn steps(&mut self, steps: &Steps) {
        if !steps.title.is_empty() {
            self.out.push_str("<p class=\"steps-title\">");
            self.inlines(&steps.title);
            self.out.push_str("</p>\n");
        }
        self.blocks(&steps.intro);
        self.out.push_str("<ol class=\"steps\" data-steps>\n");
        for step in &steps.steps {
            self.out.push_str("<li class=\"step\" data-step>\n");
            self.heading(&step.heading, "step-title");
            self.out.push_str("<div class=\"step-body\">\n");
            self.blocks(&step.body);
            self.out.push_str("</div>\n</li>\n");
        }
        self.out.push_str("</ol>\n");
    }

    fn details(&mut self, details: &Details) {
        self.out.push_str("<details class=\"details\" data-details");
        self.id_attribute(&details.id.value);
        if details.open || self.printing() {
            self.out.push_str(" open");
        }
        self.out.push_str(">\n<summary>");
        if details.summary.is_empty() {
            self.out.push_str("Details");
        } else {
            self.inlines(&details.summary);
        }
        self.out
            .push_str("</summary>\n<div class=\"details-body\">\n");
        self.blocks(&details.body);
        self.out.push_str("</div>\n</details>\n");
    }

    fn question(&mut self, question: &Question) {
        self.has_questions = true;
        self.out
            .push_str("<section class=\"question\" data-question");
        self.id_attribute(&question.id.value);
        self.out.push_str(">\n<p class=\"question-prompt\"><span class=\"question-label\" data-pagefind-ignore>Question</span> ");
        self.inlines(&question.prompt);
        let open = if question.open || self.printing() {
            " open"
        } else {
            ""
        };
        let _ = write!(
            self.out,
            "</p>\n<details class=\"answer\" data-answer{open}>\n<summary data-pagefind-ignore><span class=\"show\">Show answer</span><span class=\"hide\">Hide answer</span></summary>\n<div class=\"answer-body\">\n"
        );
        self.blocks(&question.answer);
        self.out.push_str("</div>\n</details>\n</section>\n");
    }

    /// ` id="…"`, when there is an id.
    fn id_attribute(&mut self, id: &str) {
        if !id.is_empty() {
            let id = self.id(id);
            let _ = write!(self.out, " id=\"{}\"", escape(&id));
        }
    }

    /// An id of the page as written: on the print page, with the page's prefix; in a copy,
    /// with the copy's.
    fn id(&self, id: &str) -> String {
        match self.scope {
            Some(LinkScope {
                print: Some(url), ..
            }) => print_id(url, Some(id)),
            Some(LinkScope {
                excerpt: Some(excerpt),
                ..
            }) => prefixed_id(excerpt.prefix, id),
            _ => id.to_string(),
        }
    }

    /// Whether answers and folded blocks are written open (the print page).
    fn printing(&self) -> bool {
        self.scope.is_some_and(|scope| scope.print.is_some())
    }

    fn tabs(&mut self, tabs: &Tabs) {
        self.out.push_str("<div class=\"tabs\" data-tabs>\n");
        for tab in &tabs.tabs {
            self.tab(tab);
        }
        self.out.push_str("</div>\n");
    }

    fn tab(&mut self, tab: &Tab) {
        let _ = write!(
            self.out,
            "<section class=\"tab-panel\" data-tab=\"{}\">\n<p class=\"tab-label\">",
            escape(plain_text(&tab.label).trim())
        );
        self.inlines(&tab.label);
        self.out.push_str("</p>\n");
        let outer = self.tab_label.replace(plain_text(&tab.label));
        self.blocks(&tab.body);
        self.tab_label = outer;
        self.out.push_str("</section>\n");
    }

    /// The footnotes, numbered in the order they are first referenced (then the rest as
    /// written). Ids use the numbers, so labels that differ only in case, spacing or
    /// punctuation never clash; a label defined twice keeps its first definition.
    fn footnotes(&mut self, doc: &Document) {
        let mut numbered: Vec<(usize, &crate::markdown::ast::Footnote)> = Vec::new();
        let mut defined = std::collections::HashSet::new();
        for footnote in &doc.footnotes {
            let key = footnote_key(&footnote.label);
            if !defined.insert(key.clone()) {
                continue;
            }
            let next = self.footnote_numbers.len() + 1;
            let number = *self.footnote_numbers.entry(key).or_insert(next);
            numbered.push((number, footnote));
        }
        numbered.sort_by_key(|(number, _)| *number);
        let notes = numbered
            .into_iter()
            .map(|(number, footnote)| (number, self.nested(|w| w.blocks(&footnote.blocks))))
            .collect();
        self.footnote_list(notes);
    }

    /// The notes a copy references (`scope.excerpt`), in the order of their numbers in the
    /// copy, with the notes those reference in turn.
    fn excerpt_footnotes(&mut self) {
        let Some(footnotes) = self
            .scope
            .and_then(|scope| scope.excerpt)
            .and_then(|excerpt| excerpt.footnotes)
        else {
            return;
        };
        let mut notes = Vec::new();
        let mut written = HashSet::new();
        loop {
            let mut pending: Vec<(String, usize)> = self
                .footnote_numbers
                .iter()
                .filter(|(key, _)| !written.contains(*key))
                .map(|(key, number)| (key.clone(), *number))
                .collect();
            if pending.is_empty() {
                break;
            }
            // In order: a note that references a new one numbers it.
            pending.sort_by_key(|(_, number)| *number);
            for (key, number) in pending {
                if let Some(footnote) = footnotes.iter().find(|f| footnote_key(&f.label) == key) {
                    notes.push((number, self.nested(|w| w.blocks(&footnote.blocks))));
                }
                written.insert(key);
            }
        }
        notes.sort_by_key(|(number, _)| *number);
        self.footnote_list(notes);
    }

    /// The footnotes section: each note's number and body as HTML, in order.
    fn footnote_list(&mut self, notes: Vec<(usize, String)>) {
        if notes.is_empty() {
            return;
        }
        self.out
            .push_str("<section class=\"footnotes\" role=\"doc-endnotes\">\n<ol>\n");
        for (number, body) in notes {
            let note_id = escape(&self.id(&format!("fn-{number}")));
            let ref_id = escape(&urls::encode_fragment(&self.id(&format!("fnref-{number}"))));
            let _ = writeln!(self.out, "<li id=\"{note_id}\">");
            let back = format!(
                " <a href=\"#{ref_id}\" class=\"footnote-back\" aria-label=\"Back to the text\">↩</a>"
            );
            match body.strip_suffix("</p>\n") {
                Some(start) => {
                    self.out.push_str(start);
                    self.out.push_str(&back);
                    self.out.push_str("</p>\n");
                }
                None => {
                    self.out.push_str(&body);
                    self.out.push_str(&back);
                }
            }
            self.out.push_str("</li>\n");
        }
        self.out.push_str("</ol>\n</section>\n");
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        for inline in inlines {
            self.inline(inline);
        }
    }

    fn inline(&mut self, inline: &Inline) {
        match inline {
            Inline::Text(text) => self.text(text),
            Inline::Code(code) => {
                self.out.push_str("<code>");
                self.text(code);
                self.out.push_str("</code>");
            }
            Inline::Html(html) => self.out.push_str(html),
            Inline::SoftBreak => self.out.push('\n'),
            Inline::HardBreak => self.out.push_str("<br>\n"),
            Inline::Emphasis(c) => self.wrap("em", c),
            Inline::Strong(c) => self.wrap("strong", c),
            Inline::Strikethrough(c) => self.wrap("del", c),
            Inline::Link(link) => self.link(link),
            Inline::Image(image) => self.image(image),
            Inline::FootnoteRef(_)
                if self
                    .scope
                    .and_then(|scope| scope.excerpt)
                    .is_some_and(|excerpt| excerpt.footnotes.is_none()) => {}
            Inline::FootnoteRef(label) => {
                let key = footnote_key(label);
                let next = self.footnote_numbers.len() + 1;
                let first = !self.footnote_numbers.contains_key(&key);
                let number = *self.footnote_numbers.entry(key).or_insert(next);
                let anchor_id = if first {
                    format!(" id=\"{}\"", escape(&self.id(&format!("fnref-{number}"))))
                } else {
                    String::new()
                };
                let note = escape(&urls::encode_fragment(&self.id(&format!("fn-{number}"))));
                let _ = write!(
                    self.out,
                    "<sup class=\"footnote-ref\"{anchor_id}><a href=\"#{note}\">{number}</a></sup>"
                );
            }
            Inline::TaskMarker(checked) => {
                let checked = if *checked { " checked" } else { "" };
                let _ = write!(self.out, "<input type=\"checkbox\" disabled{checked}> ");
            }
        }
    }

    fn wrap(&mut self, tag: &str, content: &[Inline]) {
        let _ = write!(self.out, "<{tag}>");
        self.inlines(content);
        let _ = write!(self.out, "</{tag}>");
    }

    /// What `link` resolved to, on the page being written: its href, the text that fills
    /// it and what it previews.
    fn resolution(&self, link: &Link) -> (String, Option<&'r Vec<Inline>>, Option<&'r str>) {
        let resolved = self.scope.and_then(|scope| {
            let resolution = scope.links.get(link)?;
            let href = resolution.target.as_ref().map(|target| {
                match (scope.print, scope.excerpt.and_then(|e| e.local_id(target))) {
                    (Some(_), _) => print_href(target),
                    (None, Some(id)) => format!("#{}", urls::encode_fragment(&id)),
                    (None, None) => urls::with_query_of(target.href(scope.linker), &link.dest),
                }
            });
            Some((
                href,
                resolution.fill.as_ref(),
                resolution.preview.as_deref(),
            ))
        });
        match resolved {
            Some((href, fill, preview)) => {
                (href.unwrap_or_else(|| link.dest.clone()), fill, preview)
            }
            None => (link.dest.clone(), None, None),
        }
    }

    fn link(&mut self, link: &Link) {
        let (href, fill, preview) = self.resolution(link);
        self.out.push_str("<a href=\"");
        let _ = escape_href(&mut self.out, &href);
        self.out.push('"');
        if !link.title.is_empty() {
            let _ = write!(self.out, " title=\"{}\"", escape(&link.title));
        }
        if let Some(preview) = preview {
            let _ = write!(self.out, " data-preview=\"{}\"", escape(preview));
        }
        self.out.push('>');
        match fill {
            Some(fill) => {
                // Copied from another page: its links are not this page's.
                let scope = self.scope.take();
                self.inlines(fill);
                self.scope = scope;
            }
            None => self.inlines(&link.content),
        }
        self.out.push_str("</a>");
    }

    fn image(&mut self, image: &Link) {
        let (src, _, _) = self.resolution(image);
        self.out.push_str("<img src=\"");
        let _ = escape_href(&mut self.out, &src);
        let _ = write!(
            self.out,
            "\" alt=\"{}\"",
            escape(&plain_text(&image.content))
        );
        if !image.title.is_empty() {
            let _ = write!(self.out, " title=\"{}\"", escape(&image.title));
        }
        self.out.push_str(" loading=\"lazy\">");
    }
}

impl Excerpt<'_> {
    /// The id in the copy of what `target` points at, when it stands inside the copy.
    fn local_id(&self, target: &Target) -> Option<String> {
        match target {
            Target::Page {
                same_page: true,
                fragment: Some(fragment),
                ..
            } if self.ids.contains(fragment) => Some(prefixed_id(self.prefix, fragment)),
            _ => None,
        }
    }
}

/// Where a link leads on the print page: pages and their headings are places on it, files
/// are next to it.
fn print_href(target: &Target) -> String {
    match target {
        Target::Page { url, fragment, .. } => format!(
            "#{}",
            urls::encode_fragment(&print_id(url, fragment.as_deref()))
        ),
        Target::File(_) => target.href(urls::Linker::From(PRINT_URL)),
    }
}
