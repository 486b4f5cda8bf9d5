//! Directive containers: turns fence lines into callouts, steps, details, questions and tabs.
//!
//! Input: each block list of the tree as it closes, holding fence markers among its blocks.
//! Output: the same list with every open/close pair (matched by colon count) replaced by a
//! container node, and diagnostics for unclosed, stray or unknown fences.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use pulldown_cmark::BlockQuoteKind;

use super::ast::{
    Block, BlockId, Callout, Details, FenceMarker, Inline, Question, Step, Steps, Tab, Tabs,
    plain_text,
};
use super::fences::FenceLine;
use crate::attributes::Attribute;
use crate::config::{CONTAINER_KINDS, CalloutRegistry, Icon, is_kind_name, parse_icon};
use crate::diagnostics::{Diagnostic, closest};

/// How deep directive containers may nest in one block list.
const MAX_CONTAINER_DEPTH: usize = 32;

/// Where diagnostics point: the page file and where its body starts.
pub(crate) struct SourceRef<'a> {
    /// The file, relative to the book.
    pub file: &'a Path,
    /// The whole file text.
    pub text: &'a Arc<str>,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
}

/// Assembles containers for one page.
pub(crate) struct Assembler<'a> {
    fences: &'a [FenceLine],
    callouts: &'a CalloutRegistry,
    source: SourceRef<'a>,
    /// Problems found so far.
    pub diagnostics: Vec<Diagnostic>,
    /// Whether too deep a structure was already reported.
    reported_depth: bool,
    /// The page's lines, indexed when a message first needs a line number.
    lines: std::cell::OnceCell<crate::diagnostics::LineIndex>,
}

struct Open {
    marker: FenceMarker,
    body: Vec<Block>,
}

impl<'a> Assembler<'a> {
    /// An assembler for the fences of one prepared body.
    pub(crate) fn new(
        fences: &'a [FenceLine],
        callouts: &'a CalloutRegistry,
        source: SourceRef<'a>,
    ) -> Self {
        Self {
            fences,
            callouts,
            source,
            diagnostics: Vec::new(),
            reported_depth: false,
            lines: std::cell::OnceCell::new(),
        }
    }

    /// Records an error at a byte range of the body.
    fn error(&mut self, message: String, body_range: Range<usize>) -> &mut Diagnostic {
        let at = self.source.body_offset;
        self.diagnostics.push(
            Diagnostic::error(message)
                .in_file(self.source.file)
                .at(self.source.text, at + body_range.start..at + body_range.end),
        );
        self.diagnostics.last_mut().expect("just pushed")
    }

    /// Reports structure nested too deeply, described by `what` (once per page).
    pub(crate) fn nested_too_deep(&mut self, file_offset: usize, what: String) {
        if self.reported_depth {
            return;
        }
        self.reported_depth = true;
        let at = file_offset - self.source.body_offset;
        let d = self.error(what, at..at + 1);
        d.hint = Some("flatten the quotes, lists, emphasis or containers here: deeper levels are shown as plain text".into());
    }

    /// Reports `:::tab` blocks that are not directly inside `tabs`.
    fn report_stray_tabs(&mut self, blocks: &[Block]) {
        for block in blocks {
            if let Block::Tab(tab) = block {
                let at = tab.offset - self.source.body_offset;
                let d = self.error("`:::tab` outside `tabs`".into(), at..at + 3);
                d.hint = Some("put the `:::tab` blocks inside a `::::tabs` container".into());
            }
        }
    }

    fn fence_line(&self, fence: usize) -> usize {
        let at = self.source.body_offset + self.fences[fence].span.start;
        let text = self.source.text;
        self.lines
            .get_or_init(|| crate::diagnostics::LineIndex::new(text))
            .line_col(text, at)
            .0
    }

    /// Pairs the fences of one block list into containers.
    pub(crate) fn group(&mut self, blocks: Vec<Block>) -> Vec<Block> {
        if !blocks.iter().any(|b| matches!(b, Block::Fence(_))) {
            return blocks;
        }
        let mut stack: Vec<Open> = Vec::new();
        let mut dropped = 0usize;
        let mut out = Vec::with_capacity(blocks.len());
        for block in blocks {
            let Block::Fence(marker) = block else {
                push(&mut stack, &mut out, block);
                continue;
            };
            let fence = &self.fences[marker.fence];
            if let Some((message, range, hint)) = fence.problem.clone() {
                let d = self.error(message, range);
                d.hint = Some(hint);
            }
            if fence.kind.is_some() {
                if stack.len() >= MAX_CONTAINER_DEPTH {
                    let at = self.source.body_offset + fence.span.start;
                    self.nested_too_deep(
                        at,
                        format!("containers are nested more than {MAX_CONTAINER_DEPTH} deep here"),
                    );
                    dropped += 1;
                    continue;
                }
                stack.push(Open {
                    marker,
                    body: Vec::new(),
                });
                continue;
            }
            if dropped > 0 {
                // Closes a container dropped for being too deep (already reported).
                dropped -= 1;
                continue;
            }
            let colons = fence.colons;
            let span = fence.span.clone();
            match stack.last() {
                Some(open) if colons >= self.fences[open.marker.fence].colons => {
                    let open = stack.pop().expect("checked");
                    let node = self.container(open);
                    push(&mut stack, &mut out, node);
                }
                Some(open) => {
                    let open_fence = &self.fences[open.marker.fence];
                    let need = open_fence.colons;
                    let kind = open_fence
                        .kind
                        .as_ref()
                        .map_or("", |k| k.0.as_str())
                        .to_string();
                    let line = self.fence_line(open.marker.fence);
                    let d = self.error(
                        format!("this closing fence has {colons} colons, but `{kind}` (line {line}) was opened with {need}"),
                        span,
                    );
                    d.label = Some("too few colons".into());
                    d.hint = Some(format!("close `{kind}` with `{}`", ":".repeat(need)));
                }
                None => {
                    let d = self.error("closing fence without an opening fence".into(), span);
                    d.label = Some("nothing to close here".into());
                    d.hint = Some(
                        "remove this line, or open a container above it (e.g. `:::note`); a fence indented into a list item only closes a container opened inside that item".into(),
                    );
                }
            }
        }
        while let Some(open) = stack.pop() {
            let fence = &self.fences[open.marker.fence];
            let kind = fence.kind.as_ref().map_or("", |k| k.0.as_str()).to_string();
            let colons = ":".repeat(fence.colons);
            let span = fence.span.clone();
            let d = self.error(format!("`{colons}{kind}` is never closed"), span);
            d.label = Some("opened here".into());
            d.hint = Some(format!(
                "add a line `{colons}` where the container ends, at the same indentation"
            ));
            let node = self.container(open);
            push(&mut stack, &mut out, node);
        }
        self.report_stray_tabs(&out);
        out
    }

    fn container(&mut self, open: Open) -> Block {
        let fence_index = open.marker.fence;
        let fence = &self.fences[fence_index];
        let (kind, kind_range) = fence.kind.clone().unwrap_or_default();
        let offset = self.source.body_offset + fence.span.start;
        let title = open.marker.title;
        let body = open.body;
        if kind != "tabs" {
            self.report_stray_tabs(&body);
        }
        let takes = Takes::of(&kind);
        let attrs = self.attributes(fence_index, &kind, takes);
        match kind.as_str() {
            "steps" => self.steps(title, body, kind_range),
            "details" => Block::Details(Details {
                summary: title,
                body,
                id: attrs.id,
                open: attrs.open,
            }),
            "question" => {
                if plain_text(&title).trim().is_empty() {
                    let d = self.error("a question needs its text".into(), kind_range);
                    d.hint = Some("write the question after the kind: `:::question What does a cache stampede look like?`".into());
                }
                Block::Question(Question {
                    prompt: title,
                    answer: body,
                    id: attrs.id,
                    open: attrs.open,
                })
            }
            "tabs" => self.tabs(body, kind_range),
            "tab" => {
                if plain_text(&title).trim().is_empty() {
                    let d = self.error("a tab needs a label".into(), kind_range);
                    d.hint = Some("write the label after the kind: `:::tab Python`".into());
                }
                Block::Tab(Tab {
                    label: title,
                    body,
                    offset,
                })
            }
            _ => {
                let mut callout = self.callout(kind, kind_range, title, body, offset);
                callout.id = attrs.id;
                callout.icon = attrs.icon;
                callout.open = attrs.open;
                if callout.open
                    && !self
                        .callouts
                        .get(&callout.kind)
                        .is_some_and(|k| k.collapsible)
                {
                    self.open_has_no_effect(fence_index, &callout.written_kind);
                }
                Block::Callout(callout)
            }
        }
    }

    /// Reads the attribute block of an opening fence, reporting what `kind` does not take.
    fn attributes(&mut self, fence: usize, kind: &str, takes: Takes) -> FenceAttributes {
        let mut attrs = FenceAttributes::default();
        let Some(block) = self.fences[fence].attributes.clone() else {
            return attrs;
        };
        // `{braces}` may have been meant as text: say how to write that.
        let only_flags = block
            .items
            .iter()
            .all(|i| matches!(i.attribute, Attribute::Flag(_)));
        let mut seen: Vec<String> = Vec::new();
        for item in block.items {
            let name = item.attribute.name();
            if seen.contains(&name) {
                let d = self.error(format!("`{name}` is given twice"), item.range);
                d.hint = Some("keep one of them".into());
                continue;
            }
            seen.push(name.clone());
            match item.attribute {
                Attribute::Id(id) if takes.id => {
                    let at = self.source.body_offset;
                    attrs.id = BlockId {
                        value: id,
                        written: Some(at + item.range.start..at + item.range.end),
                    };
                }
                Attribute::Flag(flag) if flag == "open" && takes.open => attrs.open = true,
                Attribute::Pair { key, value } if key == "icon" && takes.icon => {
                    attrs.icon = self.icon(&value, item.range);
                }
                Attribute::Pair { key, .. } if key == "open" && takes.open => {
                    let d = self.error("`open` takes no value".into(), item.range);
                    d.hint = Some("write the flag alone: `{open}`".into());
                }
                Attribute::Flag(flag) if flag == "icon" && takes.icon => {
                    let d = self.error("`icon` needs a value".into(), item.range);
                    d.hint = Some(
                        "name a built-in icon or an emoji: `{icon=\"heart\"}`, `{icon=\"🔥\"}`"
                            .into(),
                    );
                }
                _ => self.unknown_attribute(&name, item.range, kind, takes, only_flags),
            }
        }
        attrs
    }

    fn icon(&mut self, value: &str, range: Range<usize>) -> Option<Icon> {
        match parse_icon(value) {
            Ok(icon) => Some(icon),
            Err((message, hint)) => {
                let d = self.error(message, range);
                d.hint = Some(hint);
                None
            }
        }
    }

    fn unknown_attribute(
        &mut self,
        name: &str,
        range: Range<usize>,
        kind: &str,
        takes: Takes,
        maybe_text: bool,
    ) {
        let known = takes.names();
        let listed: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
        let takes_text = if listed.is_empty() {
            format!("`{kind}` takes no attributes: remove the `{{…}}` block")
        } else {
            format!("`{kind}` takes {}", listed.join(", "))
        };
        let bare = known.iter().map(|k| k.split('=').next().unwrap_or(k));
        let hint = match closest(name, bare) {
            Some(close) if close != name => format!("did you mean `{close}`? {takes_text}"),
            _ => takes_text,
        };
        let d = self.error(format!("unknown attribute `{name}` on `:::{kind}`"), range);
        d.label = Some(format!("not an attribute of `{kind}`"));
        d.hint = Some(if maybe_text {
            format!("{hint} (to show the braces as text, write `\\{{` instead of `{{`)")
        } else {
            hint
        });
    }

    /// `{open}` on a callout that is always shown whole.
    fn open_has_no_effect(&mut self, fence: usize, kind: &str) {
        let Some(item) = self.fences[fence].attributes.as_ref().and_then(|b| {
            b.items
                .iter()
                .find(|i| i.attribute == Attribute::Flag("open".into()))
                .cloned()
        }) else {
            return;
        };
        let at = self.source.body_offset;
        self.diagnostics.push(
            Diagnostic::warning(format!(
                "`open` has no effect: `{kind}` callouts are not collapsible"
            ))
            .in_file(self.source.file)
            .at(self.source.text, at + item.range.start..at + item.range.end)
            .hint(format!(
                "remove `open`, or set `collapsible = true` under `[callouts.{kind}]` in book.toml"
            )),
        );
    }

    fn callout(
        &mut self,
        kind: String,
        kind_range: Range<usize>,
        title: Vec<Inline>,
        body: Vec<Block>,
        offset: usize,
    ) -> Callout {
        let plain = |kind: &str, label: Option<&str>| Callout {
            kind: kind.to_string(),
            written_kind: String::new(),
            label: label.map(str::to_string),
            title: Vec::new(),
            body: Vec::new(),
            offset,
            id: BlockId::default(),
            open: false,
            icon: None,
        };
        if let Some(resolved) = self.callouts.resolve(&kind) {
            return Callout {
                written_kind: kind.clone(),
                title,
                body,
                ..plain(resolved.kind, resolved.label)
            };
        }
        let known: Vec<&str> = self
            .callouts
            .names()
            .chain(CONTAINER_KINDS.iter().copied())
            .collect();
        let suggestion = closest(&kind, known.iter().copied()).map(str::to_string);
        let (message, label) = if is_kind_name(&kind) {
            (
                format!("unknown callout kind `{kind}`"),
                "not a built-in container or a callout kind in book.toml",
            )
        } else {
            (
                format!("`{kind}` is not a valid directive kind"),
                "kinds are lowercase letters, digits and `-`",
            )
        };
        let hint = match suggestion {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("define it in book.toml:\n[callouts.{kind}]\nlabel = \"…\""),
        };
        let d = self.error(message, kind_range);
        d.label = Some(label.into());
        d.hint = Some(hint);
        Callout {
            written_kind: "note".into(),
            title,
            body,
            ..plain("note", None)
        }
    }

    fn steps(&mut self, title: Vec<Inline>, body: Vec<Block>, kind_range: Range<usize>) -> Block {
        let mut intro = Vec::new();
        let mut steps: Vec<Step> = Vec::new();
        for block in body {
            match block {
                Block::Heading(heading) if heading.level == 3 => steps.push(Step {
                    heading,
                    body: Vec::new(),
                }),
                other => match steps.last_mut() {
                    Some(step) => step.body.push(other),
                    None => intro.push(other),
                },
            }
        }
        if steps.is_empty() {
            let d = self.error("`steps` has no steps".into(), kind_range);
            d.hint = Some("start each step with a `### Step title` heading".into());
        }
        Block::Steps(Steps {
            title,
            intro,
            steps,
        })
    }

    fn tabs(&mut self, body: Vec<Block>, kind_range: Range<usize>) -> Block {
        let mut tabs = Vec::new();
        let mut stray = false;
        for block in body {
            match block {
                Block::Tab(tab) => tabs.push(tab),
                _ => stray = true,
            }
        }
        if stray {
            let d = self.error(
                "`tabs` holds content outside any `:::tab`".into(),
                kind_range.clone(),
            );
            d.hint = Some("put everything inside `:::tab Label` … `:::` blocks".into());
        }
        if tabs.is_empty() {
            let d = self.error("`tabs` has no tabs".into(), kind_range);
            d.hint = Some("add `:::tab Label` … `:::` blocks inside it".into());
        }
        Block::Tabs(Tabs { tabs })
    }

    /// A GitHub alert (`> [!NOTE]`) as the matching built-in callout.
    pub(crate) fn alert(&mut self, kind: BlockQuoteKind, body: Vec<Block>, offset: usize) -> Block {
        let (written, kind, label) = match kind {
            BlockQuoteKind::Note => ("note", "note", None),
            BlockQuoteKind::Tip => ("tip", "tip", None),
            BlockQuoteKind::Important => ("important", "info", Some("Important")),
            BlockQuoteKind::Warning => ("warning", "warning", None),
            BlockQuoteKind::Caution => ("caution", "danger", Some("Caution")),
        };
        Block::Callout(Callout {
            kind: kind.into(),
            written_kind: written.into(),
            label: label.map(str::to_string),
            title: Vec::new(),
            body,
            offset,
            id: BlockId::default(),
            open: false,
            icon: None,
        })
    }
}

/// What an opening fence's attribute block set.
#[derive(Default)]
struct FenceAttributes {
    id: BlockId,
    open: bool,
    icon: Option<Icon>,
}

/// Which attributes a construct takes.
#[derive(Clone, Copy)]
struct Takes {
    id: bool,
    open: bool,
    icon: bool,
}

impl Takes {
    /// Callouts take `#id`, `open` and `icon`; questions and details `#id` and `open`;
    /// steps and tabs nothing.
    fn of(kind: &str) -> Self {
        match kind {
            "steps" | "tabs" | "tab" => Self {
                id: false,
                open: false,
                icon: false,
            },
            "details" | "question" => Self {
                id: true,
                open: true,
                icon: false,
            },
            _ => Self {
                id: true,
                open: true,
                icon: true,
            },
        }
    }

    fn names(self) -> Vec<&'static str> {
        [
            (self.id, "#id"),
            (self.open, "open"),
            (self.icon, "icon=\"…\""),
        ]
        .into_iter()
        .filter_map(|(takes, name)| takes.then_some(name))
        .collect()
    }
}

/// Adds a block to the innermost open container, or to the output.
fn push(stack: &mut [Open], out: &mut Vec<Block>, block: Block) {
    match stack.last_mut() {
        Some(open) => open.body.push(block),
        None => out.push(block),
    }
}
