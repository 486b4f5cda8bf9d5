//! Content negotiation for pages: a client that prefers Markdown gets the page's twin.
//!
//! Input: a request's `Accept` header. Output: whether it asks for `text/markdown` at least
//! as strongly as for HTML (RFC 9110 quality values; `*/*` and `text/*` count for HTML, so a
//! browser's usual header keeps getting pages).

/// Whether `accept` prefers `text/markdown` to `text/html`.
pub(crate) fn wants_markdown(accept: &str) -> bool {
    let mut markdown: Option<f32> = None;
    let mut html: f32 = 0.0;
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let quality = parts
            .filter_map(|param| param.split_once('='))
            .find(|(name, _)| name.trim().eq_ignore_ascii_case("q"))
            .and_then(|(_, value)| value.trim().parse::<f32>().ok())
            .unwrap_or(1.0)
            .clamp(0.0, 1.0);
        match media.as_str() {
            "text/markdown" | "text/x-markdown" => {
                markdown = Some(markdown.map_or(quality, |q| q.max(quality)));
            }
            "text/html" | "application/xhtml+xml" | "text/*" | "*/*" => html = html.max(quality),
            _ => {}
        }
    }
    markdown.is_some_and(|q| q > 0.0 && q >= html)
}

#[cfg(test)]
mod tests {
    use super::wants_markdown;

    #[test]
    fn markdown_only_when_asked_for_at_least_as_strongly_as_html() {
        assert!(wants_markdown("text/markdown"));
        assert!(wants_markdown("text/markdown, text/html;q=0.9"));
        assert!(wants_markdown("text/html;q=0.5, TEXT/Markdown"));
        assert!(wants_markdown("text/markdown;q=0.8, */*;q=0.8"));
        assert!(!wants_markdown(
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        ));
        assert!(!wants_markdown("text/html, text/markdown;q=0.5"));
        assert!(!wants_markdown("text/markdown;q=0"));
        assert!(!wants_markdown(""));
        assert!(!wants_markdown("*/*"));
    }
}
