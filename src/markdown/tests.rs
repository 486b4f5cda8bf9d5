//! Tests of the whole Markdown stage: structure of the tree and its diagnostics.

use std::path::Path;
use std::sync::Arc;

use super::ast::{Block, Inline, plain_text};
use super::{ParseInput, Parsed, parse};
use crate::config::CalloutRegistry;
use crate::diagnostics::Diagnostic;

fn run(text: &str) -> (Parsed, Vec<Diagnostic>) {
    let text: Arc<str> = Arc::from(text);
    let callouts = CalloutRegistry::builtin();
    parse(&ParseInput {
        file: Path::new("content/page.md"),
        text: &text,
        body_offset: 0,
        callouts: &callouts,
        number_sections: false,
        has_title: false,
    })
}

fn ok(text: &str) -> Parsed {
    let (parsed, diags) = run(text);
    assert!(diags.is_empty(), "unexpected diagnostics: {diags:#?}");
    parsed
}

fn errors(text: &str) -> Vec<String> {
    run(text).1.into_iter().map(|d| d.message).collect()
}

fn kinds(blocks: &[Block]) -> Vec<&'static str> {
    blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph(_) => "p",
            Block::Plain(_) => "plain",
            Block::Heading(_) => "h",
            Block::Quote(_) => "quote",
            Block::Code(_) => "code",
            Block::Html(_) => "html",
            Block::List(_) => "list",
            Block::Table(_) => "table",
            Block::Rule => "hr",
            Block::Callout(_) => "callout",
            Block::Steps(_) => "steps",
            Block::Details(_) => "details",
            Block::Question(_) => "question",
            Block::Tabs(_) => "tabs",
            Block::Tab(_) => "tab",
            Block::Fence(_) => "fence",
        })
        .collect()
}

#[test]
fn callout_with_every_title_form() {
    for src in [
        ":::tip Cache *wisely*\nBody\n:::\n",
        ":::tip[Cache *wisely*]\nBody\n:::\n",
        "::: tip Cache *wisely*\nBody\n:::\n",
    ] {
        let doc = ok(src).doc;
        let Block::Callout(c) = &doc.blocks[0] else {
            panic!("{src}: {:?}", doc.blocks)
        };
        assert_eq!(c.kind, "tip");
        assert_eq!(plain_text(&c.title), "Cache wisely", "{src}");
        assert!(matches!(c.title[1], Inline::Emphasis(_)), "{src}");
        assert_eq!(kinds(&c.body), ["p"]);
    }
}

#[test]
fn callout_body_is_full_markdown() {
    let doc = ok(
        ":::note\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n```rust\nfn x() {}\n```\n:::\n",
    )
    .doc;
    let Block::Callout(c) = &doc.blocks[0] else {
        panic!()
    };
    assert_eq!(kinds(&c.body), ["list", "table", "code"]);
}

#[test]
fn closing_fence_right_after_a_list_or_table_closes() {
    let doc = ok(":::note\n- a\n- b\n:::\nAfter\n").doc;
    assert_eq!(kinds(&doc.blocks), ["callout", "p"]);
    let doc = ok(":::note\n| a |\n|---|\n| 1 |\n:::\nAfter\n").doc;
    assert_eq!(kinds(&doc.blocks), ["callout", "p"]);
}

#[test]
fn nesting_three_deep_by_colon_count() {
    let doc =
        ok("::::::steps\n### One\n:::::details More\n:::tip Inner\nDeep\n:::\n:::::\n::::::\n").doc;
    let Block::Steps(steps) = &doc.blocks[0] else {
        panic!()
    };
    assert_eq!(steps.steps.len(), 1);
    let Block::Details(details) = &steps.steps[0].body[0] else {
        panic!()
    };
    let Block::Callout(tip) = &details.body[0] else {
        panic!()
    };
    assert_eq!(plain_text(&tip.title), "Inner");
}

#[test]
fn same_colon_count_nests_innermost_first() {
    let doc = ok(":::question Why?\nBecause.\n:::details Follow-up\nMore.\n:::\n:::\n").doc;
    let Block::Question(q) = &doc.blocks[0] else {
        panic!()
    };
    assert_eq!(kinds(&q.answer), ["p", "details"]);
}

#[test]
fn fences_in_code_stay_literal() {
    let doc = ok("```md\n:::tip\nx\n:::\n```\n\n    :::tip\n    :::\n").doc;
    assert_eq!(kinds(&doc.blocks), ["code", "code"]);
    let Block::Code(fenced) = &doc.blocks[0] else {
        panic!()
    };
    assert_eq!(fenced.code, ":::tip\nx\n:::\n");
    let Block::Code(indented) = &doc.blocks[1] else {
        panic!()
    };
    assert_eq!(indented.code, ":::tip\n:::\n");
}

#[test]
fn fences_after_a_code_block_closed_by_its_container() {
    let doc = ok("> ```\n> code\n\n:::tip Hello\nbody\n:::\n").doc;
    assert_eq!(kinds(&doc.blocks), ["quote", "callout"]);
    let doc = ok("- ```\n  code\n\n:::tip Hello\nbody\n:::\n").doc;
    assert_eq!(kinds(&doc.blocks), ["list", "callout"]);
    assert_eq!(
        errors("- ```\n  code\n\n:::nonexistent\nbody\n:::\n"),
        ["unknown callout kind `nonexistent`"]
    );
}

#[test]
fn fences_in_html_comments_stay_literal() {
    let doc = ok("<!--\n:::tip\n-->\n\nText\n").doc;
    assert_eq!(kinds(&doc.blocks), ["html", "p"]);
}

#[test]
fn fences_inside_list_items_and_quotes() {
    let doc = ok("1. Step\n\n   :::tip\n   Hint\n   :::\n2. Next\n").doc;
    let Block::List(list) = &doc.blocks[0] else {
        panic!()
    };
    assert_eq!(kinds(&list.items[0]), ["p", "callout"]);
    let doc = ok("> Quote\n> :::note\n> Inner\n> :::\n").doc;
    let Block::Quote(quote) = &doc.blocks[0] else {
        panic!()
    };
    assert_eq!(kinds(quote), ["p", "callout"]);
}

#[test]
fn github_alerts_become_callouts() {
    for (marker, kind, label) in [
        ("NOTE", "note", None),
        ("TIP", "tip", None),
        ("IMPORTANT", "info", Some("Important")),
        ("WARNING", "warning", None),
        ("CAUTION", "danger", Some("Caution")),
    ] {
        let doc = ok(&format!("> [!{marker}]\n> Text\n")).doc;
        let Block::Callout(c) = &doc.blocks[0] else {
            panic!()
        };
        assert_eq!(c.kind, kind);
        assert_eq!(c.label.as_deref(), label);
    }
}

#[test]
fn steps_split_at_h3() {
    let doc = ok(":::steps\nIntro.\n### First\nDo it.\n### Second\nAgain.\n:::\n").doc;
    let Block::Steps(s) = &doc.blocks[0] else {
        panic!()
    };
    assert_eq!(kinds(&s.intro), ["p"]);
    let titles: Vec<String> = s
        .steps
        .iter()
        .map(|st| plain_text(&st.heading.content))
        .collect();
    assert_eq!(titles, ["First", "Second"]);
}

#[test]
fn tabs_hold_tabs() {
    let doc = ok("::::tabs\n:::tab Python\nA\n:::\n:::tab Rust\nB\n:::\n::::\n").doc;
    let Block::Tabs(t) = &doc.blocks[0] else {
        panic!()
    };
    let labels: Vec<String> = t.tabs.iter().map(|tab| plain_text(&tab.label)).collect();
    assert_eq!(labels, ["Python", "Rust"]);
}

#[test]
fn math_is_not_interpreted() {
    let doc = ok("It costs $45/month, or $5 a day.\n").doc;
    let Block::Paragraph(p) = &doc.blocks[0] else {
        panic!()
    };
    assert_eq!(plain_text(p), "It costs $45/month, or $5 a day.");
}

#[test]
fn lead_heading_becomes_the_title() {
    let parsed = ok("# The Title\n\nText\n\n## Section\n");
    assert_eq!(parsed.first_h1(), Some("The Title"));
    assert_eq!(
        parsed.doc.heading.as_ref().map(|h| h.id.as_str()),
        Some("the-title")
    );
    assert_eq!(kinds(&parsed.doc.blocks), ["p", "h"]);
}

#[test]
fn errors_for_bad_fences() {
    assert_eq!(errors(":::tip\nBody\n"), ["`:::tip` is never closed"]);
    assert_eq!(
        errors("Text\n:::\n"),
        ["closing fence without an opening fence"]
    );
    assert_eq!(errors(":::tipp\nx\n:::\n"), ["unknown callout kind `tipp`"]);
    assert_eq!(
        errors(":::Tip\nx\n:::\n"),
        ["`Tip` is not a valid directive kind"]
    );
    assert_eq!(
        errors(":::question\nx\n:::\n"),
        ["a question needs its text"]
    );
    assert_eq!(errors(":::tab A\nx\n:::\n"), ["`:::tab` outside `tabs`"]);
    assert_eq!(
        errors("::::steps\n### A\n:::\n"),
        [
            "this closing fence has 3 colons, but `steps` (line 1) was opened with 4",
            "`::::steps` is never closed"
        ]
    );
}

#[test]
fn the_nesting_limit_is_described_as_it_counts() {
    // 32 nested lists fit (each is a list and an item: 64 levels); the 33rd is reported in
    // words that say how lists count.
    let lists = |depth: usize| {
        (0..depth)
            .map(|i| format!("{}- x\n", "  ".repeat(i)))
            .collect::<String>()
    };
    assert!(run(&lists(32)).1.is_empty());
    let messages: Vec<_> = run(&lists(33)).1.into_iter().map(|d| d.message).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains("a list counts two"), "{messages:?}");
    let containers = |depth: usize| {
        let source = format!("{}x\n{}", ":::note\n".repeat(depth), ":::\n".repeat(depth));
        run(&source)
            .1
            .into_iter()
            .map(|d| d.message)
            .collect::<Vec<_>>()
    };
    assert!(containers(32).is_empty());
    assert_eq!(
        containers(33),
        ["containers are nested more than 32 deep here"]
    );
    let quotes = |depth: usize| run(&format!("{} x\n", ">".repeat(depth))).1.len();
    assert_eq!(
        (quotes(63), quotes(64)),
        (0, 1),
        "63 quotes and their paragraph fit"
    );
}

#[test]
fn unknown_kind_suggests_the_closest() {
    let (_, diags) = run(":::warnng\nx\n:::\n");
    assert_eq!(diags[0].hint.as_deref(), Some("did you mean `warning`?"));
    assert_eq!(diags[0].span.as_ref().unwrap().line_col(), (1, 4));
}

#[test]
fn error_positions_account_for_inserted_lines() {
    let (_, diags) = run("Para\n:::tip\nA\nB\n:::\n\n:::\n");
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].span.as_ref().unwrap().line_col(), (7, 1));
}

fn callouts_of(blocks: &[Block]) -> Vec<&super::ast::Callout> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Callout(c) => Some(c),
            _ => None,
        })
        .collect()
}

#[test]
fn attribute_blocks_never_reach_the_title() {
    for src in [
        ":::tip Cache *wisely* {#c}\nBody\n:::\n",
        ":::tip[Cache *wisely*]{#c}\nBody\n:::\n",
        ":::tip[Cache *wisely*] {#c}\nBody\n:::\n",
        "::: tip Cache *wisely*   {#c}  \nBody\n:::\n",
    ] {
        let doc = ok(src).doc;
        let c = callouts_of(&doc.blocks)[0];
        assert_eq!(plain_text(&c.title), "Cache wisely", "{src}");
        assert_eq!(c.id.value, "c", "{src}");
    }
    let doc = ok(":::tip{icon=\"🔥\"}\nBody\n:::\n").doc;
    let c = callouts_of(&doc.blocks)[0];
    assert!(c.title.is_empty());
    assert_eq!(c.icon, Some(crate::config::Icon::Emoji("🔥".into())));
}

#[test]
fn braces_that_are_not_a_trailing_block_stay_in_the_title() {
    let doc = ok(":::tip Use {a, b} and {x} here\n:::\n\n:::tip Use \\{braces}\n:::\n").doc;
    let titles: Vec<String> = callouts_of(&doc.blocks)
        .iter()
        .map(|c| plain_text(&c.title))
        .collect();
    assert_eq!(titles, ["Use {a, b} and {x} here", "Use {braces}"]);
    assert_eq!(
        errors(":::tip Use {braces}\n:::\n"),
        ["unknown attribute `braces` on `:::tip`"]
    );
}

#[test]
fn open_flags_open_details_and_questions() {
    let doc = ok(":::details Why? {open}\nx\n:::\n\n:::question Q? {open #q}\nA\n:::\n").doc;
    let Block::Details(details) = &doc.blocks[0] else {
        panic!("{:?}", doc.blocks)
    };
    assert!(details.open);
    assert_eq!(plain_text(&details.summary), "Why?");
    let Block::Question(question) = &doc.blocks[1] else {
        panic!("{:?}", doc.blocks)
    };
    assert!(question.open);
    assert_eq!(question.id.value, "q");
    let (_, diags) = run(":::tip T {open}\nx\n:::\n");
    assert_eq!(diags.len(), 1);
    assert!(
        !diags[0].is_error(),
        "open on a callout that is always open is a warning"
    );
}

#[test]
fn unknown_and_misused_attributes_are_errors() {
    assert_eq!(
        errors(
            ":::details X {opne}\n:::\n:::steps {#s}\n### A\n:::\n:::tip {icon}\n:::\n:::tip {open=\"1\" #q #r}\n:::\n:::tip {icon=\"nope\"}\n:::\n"
        ),
        [
            "unknown attribute `opne` on `:::details`",
            "unknown attribute `#id` on `:::steps`",
            "`icon` needs a value",
            "`open` takes no value",
            "`#id` is given twice",
            "unknown icon `nope`",
        ]
    );
    let (_, diags) = run(":::details X {opne}\n:::\n");
    assert_eq!(diags[0].span.as_ref().unwrap().line_col(), (1, 15));
    assert!(
        diags[0]
            .hint
            .as_ref()
            .unwrap()
            .contains("did you mean `open`?")
    );
}

#[test]
fn every_callout_and_question_gets_an_id() {
    let parsed = ok(
        ":::tip Cache *wisely*\n:::\n\n:::tip\n:::\n\n:::tip\n:::\n\n:::question What is a cache?\n:::\n\n:::details Closed\n:::\n\n> [!IMPORTANT]\n> x\n",
    );
    let ids: Vec<&str> = parsed.anchors.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "tip-cache-wisely",
            "tip",
            "tip-1",
            "question-what-is-a-cache",
            "important"
        ]
    );
    assert_eq!(
        parsed.anchors[0].target,
        super::headings::AnchorTarget::Callout {
            kind: "tip".into(),
            label: None
        }
    );
}

#[test]
fn heading_ids_never_change_because_of_callouts() {
    // A callout before the heading with the same automatic id yields to it.
    let parsed = ok(":::tip\n:::\n\n## Tip\n\n:::tip Summary\n:::\n\n## Tip summary\n");
    let ids: Vec<&str> = parsed.anchors.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["tip", "tip-summary", "tip-1", "tip-summary-1"]);
    // An explicit callout id that a heading has is an error; the heading keeps it.
    let (parsed, diags) =
        run("## Summary\n\n:::tip X {#summary}\n:::\n\n:::tip Y {#y}\n:::\n\n## Y {#y}\n");
    let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages, ["duplicate id `summary`", "duplicate id `y`"]);
    assert_eq!(parsed.anchors[0].id, "summary");
    assert_eq!(diags[0].span.as_ref().unwrap().line_col(), (3, 11));
    // An explicit callout id pushes automatic callout ids aside, wherever it stands.
    let parsed = ok(":::tip A\n:::\n\n:::note {#tip-a}\n:::\n");
    let ids: Vec<&str> = parsed.anchors.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["tip-a-1", "tip-a"]);
}

#[test]
fn aliases_render_as_their_kind_with_their_label() {
    let doc = ok(":::caution Careful\n:::\n\n:::important\n:::\n").doc;
    let callouts = callouts_of(&doc.blocks);
    let seen: Vec<(&str, Option<&str>, &str)> = callouts
        .iter()
        .map(|c| (c.kind.as_str(), c.label.as_deref(), c.id.value.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("warning", Some("Caution"), "caution-careful"),
            ("info", Some("Important"), "important")
        ]
    );
}
