//! Twins against their pages: every CommonMark 0.31.2 spec example, parsed into our tree and
//! written back, must render to the same HTML as the example itself.

use std::path::Path;
use std::sync::Arc;

use serde::Deserialize;

use super::twin::document_twin;
use crate::config::CalloutRegistry;
use crate::markdown::{ParseInput, parse};

/// One example of `tests/data/commonmark-spec-0.31.2/spec.json`.
#[derive(Deserialize)]
struct Example {
    markdown: String,
    example: u32,
    section: String,
}

fn examples() -> Vec<Example> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/commonmark-spec-0.31.2/spec.json");
    let text = std::fs::read_to_string(&path).expect("the vendored spec examples");
    serde_json::from_str(&text).expect("spec.json is a list of examples")
}

/// The twin of `markdown` as a page body: our parse (the build's options and passes), then
/// our writer.
pub(super) fn twin_of(markdown: &str) -> String {
    let text: Arc<str> = Arc::from(markdown);
    let callouts = CalloutRegistry::builtin();
    let (parsed, _) = parse(&ParseInput {
        file: Path::new("content/page.md"),
        text: &text,
        body_offset: 0,
        callouts: &callouts,
        number_sections: false,
        has_title: true,
    });
    document_twin(&parsed.doc, &callouts)
}

/// HTML of `markdown` with the build's parser options.
pub(super) fn html(markdown: &str) -> String {
    let mut out = String::new();
    let parser = pulldown_cmark::Parser::new_ext(markdown, crate::markdown::parser_options());
    pulldown_cmark::html::push_html(&mut out, parser);
    out.trim_end().to_string()
}

/// Spec examples whose twin cannot mean what the example means, with the reason.
const IMPOSSIBLE: &[(u32, &str)] = &[];

#[test]
fn twins_of_every_commonmark_spec_example_render_like_the_example() {
    let examples = examples();
    assert_eq!(examples.len(), 652, "CommonMark 0.31.2 has 652 examples");
    let mut failures = Vec::new();
    for example in &examples {
        let twin = twin_of(&example.markdown);
        let (want, got) = (html(&example.markdown), html(&twin));
        let allowed = IMPOSSIBLE.iter().any(|(n, _)| *n == example.example);
        if (want == got) == allowed {
            failures.push(format!(
                "example {} ({}){}\n--- markdown\n{}\n--- twin\n{}\n--- html of the example\n{want}\n--- html of the twin\n{got}\n",
                example.example,
                example.section,
                if allowed { ": allowed to differ, but agrees now" } else { "" },
                example.markdown,
                twin,
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} examples:\n\n{}",
        failures.len(),
        examples.len(),
        failures.join("\n")
    );
}
