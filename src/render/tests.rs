//! Rendering parsed pages: tests that run the Markdown stage and then the HTML walk.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use proptest::prelude::*;

use super::html::{CalloutContext, CalloutTemplates, HtmlRenderer};
use crate::config::CalloutRegistry;
use crate::diagnostics::Diagnostic;
use crate::highlight::Highlighter;
use crate::markdown::{ParseInput, Parsed, parse};

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

struct PlainCallouts;

impl CalloutTemplates for PlainCallouts {
    fn render_callout(&self, context: &CalloutContext<'_>) -> Result<String, String> {
        Ok(format!("<aside>{}{}</aside>", context.title, context.body))
    }
}

/// Renders a parsed page (checks that it does not panic).
fn render(parsed: &Parsed) -> String {
    render_as(parsed, false)
}

/// Renders a parsed page, for its own page or for the print page.
fn render_as(parsed: &Parsed, print: bool) -> String {
    let callouts = CalloutRegistry::builtin();
    let renderer = HtmlRenderer {
        highlighter: highlighter(),
        callouts: &callouts,
        templates: &PlainCallouts,
    };
    let links = crate::links::PageLinks::default();
    let scope = super::html::LinkScope {
        links: &links,
        linker: crate::urls::Linker::From("page/"),
        numbers: &Default::default(),
        print: None,
        excerpt: None,
    };
    let mut body = renderer.render(&parsed.doc, scope);
    if !print {
        return body.html;
    }
    let print = super::html::LinkScope {
        print: Some("page/"),
        ..scope
    };
    renderer.render_for_print(&parsed.doc, print, &mut body)
}

#[test]
fn the_print_copy_prefixes_ids_and_opens_answers() {
    let parsed = ok(
        "## Stampedes\n\nText.[^a]\n\n[^a]: Note.\n\n:::question Why?\nBecause.\n:::\n\n```rust\nfn main() {}\n```\n",
    );
    let page = render_as(&parsed, false);
    let print = render_as(&parsed, true);
    assert!(page.contains(r#"<h2 id="stampedes">"#), "{page}");
    assert!(print.contains(r#"<h2 id="page:stampedes">"#), "{print}");
    assert!(print.contains(r##"href="#page:fn-1""##), "{print}");
    assert!(print.contains(r#"<li id="page:fn-1">"#), "{print}");
    assert!(print.contains(r#"id="page:question-why""#), "{print}");
    assert!(print.contains("data-answer open"), "{print}");
    assert!(!page.contains("data-answer open"), "{page}");
    // The code is the same, highlighted once.
    let code =
        |html: &str| html[html.find("<pre").unwrap()..html.find("</pre>").unwrap()].to_string();
    assert_eq!(code(&page), code(&print));
}

#[test]
fn a_copied_question_prefixes_its_ids_and_brings_the_notes_it_references() {
    let parsed = ok(
        ":::question Why[^b]?\nBecause.[^a]\n\n## Example\n\nMore.[^b]\n:::\n\n[^a]: A, see[^c] and[^e].\n[^b]: B.\n[^c]: C.\n[^d]: Unused.\n[^e]: E.\n",
    );
    let Some(crate::markdown::ast::Block::Question(question)) = parsed.doc.blocks.first() else {
        panic!("a question: {:?}", parsed.doc.blocks);
    };
    let callouts = CalloutRegistry::builtin();
    let renderer = HtmlRenderer {
        highlighter: highlighter(),
        callouts: &callouts,
        templates: &PlainCallouts,
    };
    let links = crate::links::PageLinks::default();
    let ids = super::html::ids_within(&question.answer);
    assert!(ids.contains("example"), "{ids:?}");
    let scope = super::html::LinkScope {
        links: &links,
        linker: crate::urls::Linker::From("practice/"),
        numbers: &Default::default(),
        print: None,
        excerpt: Some(super::html::Excerpt {
            prefix: "page-why",
            ids: &ids,
            footnotes: Some(&parsed.doc.footnotes),
        }),
    };
    let (prompt, answer) = renderer.render_question_copy(&question.prompt, &question.answer, scope);
    assert!(
        prompt.contains(r##"<sup class="footnote-ref" id="page-why:fnref-1"><a href="#page-why:fn-1">1</a></sup>"##),
        "{prompt}"
    );
    assert!(answer.contains(r#"<h2 id="page-why:example">"#), "{answer}");
    // Numbered through the prompt and the answer, then the notes those notes reference, in
    // order; a note nobody references stays out.
    let notes: Vec<&str> = answer
        .match_indices("<li id=\"")
        .map(|(at, _)| &answer[at + 8..at + 8 + answer[at + 8..].find('"').unwrap()])
        .collect();
    assert_eq!(
        notes,
        [
            "page-why:fn-1",
            "page-why:fn-2",
            "page-why:fn-3",
            "page-why:fn-4"
        ]
    );
    let order: Vec<usize> = ["B.", "A, see", "C.", "E."]
        .iter()
        .map(|text| {
            answer
                .find(text)
                .unwrap_or_else(|| panic!("{text}: {answer}"))
        })
        .collect();
    assert!(order.is_sorted(), "{answer}");
    assert!(!answer.contains("Unused"), "{answer}");
}

#[test]
fn print_ids_name_the_page_and_the_place() {
    assert_eq!(super::html::print_id("", None), "home");
    assert_eq!(super::html::print_id("apis/rest/", None), "apis/rest");
    assert_eq!(
        super::html::print_id("apis/rest/", Some("status-codes")),
        "apis/rest:status-codes"
    );
}

fn highlighter() -> &'static Highlighter {
    static HIGHLIGHTER: OnceLock<Highlighter> = OnceLock::new();
    HIGHLIGHTER.get_or_init(Highlighter::new)
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let cases = [
        format!("{} x\n", ">".repeat(5000)),
        format!("{}x{}\n", "*a ".repeat(3000), " a*".repeat(3000)),
        (0..2000)
            .map(|i| format!("{}- x\n", "  ".repeat(i)))
            .collect::<String>(),
        format!("{}x\n{}", ":::note\n".repeat(2000), ":::\n".repeat(2000)),
    ];
    for source in cases {
        let (parsed, diagnostics) = run(&source);
        let messages: Vec<_> = diagnostics.into_iter().map(|d| d.message).collect();
        assert_eq!(
            messages.len(),
            1,
            "one error, not one per level: {messages:?}"
        );
        assert!(messages[0].contains("nested more than"), "{messages:?}");
        render(&parsed);
    }
}

#[test]
fn footnote_labels_match_like_link_labels() {
    let parsed = ok(
        "One[^Big  Note] and two[^a-b] and three[^a b].\n\n[^big note]: First.\n\n[^a-b]: Dash.\n\n[^a b]: Space.\n",
    );
    let html = render(&parsed);
    assert!(html.contains("<a href=\"#fn-1\">1</a>"), "{html}");
    assert!(html.contains("<li id=\"fn-1\">\n<p>First."), "{html}");
    assert_eq!(
        html.matches("<li id=").count(),
        3,
        "labels that differ only in punctuation stay apart: {html}"
    );
    assert!(
        html.contains("id=\"fn-2\"") && html.contains("id=\"fn-3\""),
        "{html}"
    );
}

/// Text built from the pieces that matter to the dialect and to CommonMark's blocks.
fn markdownish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => prop::sample::select(vec![
            ":::", "::::", ":::::", ":::tip", ":::tip[Title *x*]", "::: note Spaced", ":::question Why?",
            ":::steps", ":::details", "::::tabs", ":::tab A", ":::Nope", ":::tip[", ":::tip]", ":::)",
            "\n", "\n\n", "\r\n", "- ", "* ", "1. ", "2) ", "> ", ">", "    ", "\t", "```", "```rust", "~~~",
            "# ", "## ", "### ", "[", "]", "(", ")", "[]", "[](x.md)", "[](#a)", "![a](b.png)", "[^1]",
            "[^1]: note", "| a | b |\n|---|---|\n| 1 | 2 |", "> [!NOTE]", "> [!CAUTION]", " {#id}",
            "<!--", "-->", "<div>", "</div>", "*", "**", "_", "`", "~~", "$45/month", "\\", "&amp;", "é",
            " {open}", "{#x}", " {#a open icon=\"🔥\"}", "{icon=\"<b>\"}", "{", "}", "\\{", ":::caution", ":::important",
        ]).prop_map(str::to_string),
        1 => "[a-z ]{0,8}",
        1 => any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(piece, 0..200).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn any_input_parses_and_renders_without_panicking(source in markdownish()) {
        let (parsed, diagnostics) = run(&source);
        for diagnostic in &diagnostics {
            let span = diagnostic.span.as_ref().expect("dialect errors point into the file");
            prop_assert!(span.range.end <= source.len());
        }
        let html = render(&parsed);
        prop_assert!(!html.contains("<script"), "no script appears from nowhere");
    }
}
