//! The built-in icon set: small inline SVGs that callout kinds can name in book.toml.
//!
//! Input: an icon name from config. Output: the SVG markup, sized by CSS and drawn with
//! `currentColor`, so each callout colours its icon.

/// Every built-in icon, by name, as the inner markup of a 24×24 stroked SVG.
const ICONS: &[(&str, &str)] = &[
    (
        "book",
        r#"<path d="M4 5.5A2.5 2.5 0 0 1 6.5 3H20v15H6.5A2.5 2.5 0 0 0 4 20.5z"/><path d="M4 20.5A2.5 2.5 0 0 0 6.5 23H20v-5"/>"#,
    ),
    (
        "bulb",
        r#"<path d="M9 18h6"/><path d="M10 21h4"/><path d="M12 3a6 6 0 0 0-3.6 10.8c.7.6 1.1 1.4 1.1 2.2h5c0-.8.4-1.6 1.1-2.2A6 6 0 0 0 12 3z"/>"#,
    ),
    (
        "info",
        r#"<circle cx="12" cy="12" r="9"/><path d="M12 11v5"/><path d="M12 7.5v.5"/>"#,
    ),
    (
        "warning",
        r#"<path d="M10.3 4.2 2.6 17.5A2 2 0 0 0 4.3 20.5h15.4a2 2 0 0 0 1.7-3L13.7 4.2a2 2 0 0 0-3.4 0z"/><path d="M12 9.5v4"/><path d="M12 17v.5"/>"#,
    ),
    (
        "danger",
        r#"<path d="M8.2 2.5h7.6l5.7 5.7v7.6l-5.7 5.7H8.2l-5.7-5.7V8.2z"/><path d="M12 7.5v5"/><path d="M12 16v.5"/>"#,
    ),
    (
        "check",
        r#"<circle cx="12" cy="12" r="9"/><path d="m8 12.5 2.7 2.7L16.5 9.5"/>"#,
    ),
    (
        "star",
        r#"<path d="m12 3 2.8 5.7 6.2.9-4.5 4.4 1.1 6.2L12 17.3l-5.6 2.9 1.1-6.2L3 9.6l6.2-.9z"/>"#,
    ),
    (
        "code",
        r#"<path d="m8 7-5 5 5 5"/><path d="m16 7 5 5-5 5"/><path d="m14 4-4 16"/>"#,
    ),
    (
        "chat",
        r#"<path d="M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.9A8 8 0 1 1 21 12z"/>"#,
    ),
    (
        "compass",
        r#"<circle cx="12" cy="12" r="9"/><path d="m15.5 8.5-2 5-5 2 2-5z"/>"#,
    ),
    (
        "flame",
        r#"<path d="M12 21c3.9 0 6.5-2.6 6.5-6.2 0-3.6-2.6-5.9-4-8.8-.4 2-1.4 3.3-2.7 3.9C11.9 7 10.8 4.7 9 3c.3 3-1.8 5.2-2.8 7A7.4 7.4 0 0 0 5.5 14.8C5.5 18.4 8.1 21 12 21z"/>"#,
    ),
    (
        "pencil",
        r#"<path d="M16.5 3.5a2.1 2.1 0 0 1 3 3L8 18l-4 1 1-4z"/><path d="m14.5 5.5 3 3"/>"#,
    ),
    (
        "question",
        r#"<circle cx="12" cy="12" r="9"/><path d="M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.6v.6"/><path d="M12 17v.5"/>"#,
    ),
    (
        "target",
        r#"<circle cx="12" cy="12" r="9"/><circle cx="12" cy="12" r="5"/><circle cx="12" cy="12" r="1"/>"#,
    ),
    (
        "link",
        r#"<path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1"/><path d="M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1"/>"#,
    ),
    (
        "list",
        r#"<path d="M9 6h11"/><path d="M9 12h11"/><path d="M9 18h11"/><path d="M4.5 6h.01"/><path d="M4.5 12h.01"/><path d="M4.5 18h.01"/>"#,
    ),
    (
        "heart",
        r#"<path d="M12 20s-7.5-4.6-7.5-10.2A4.2 4.2 0 0 1 12 7.4a4.2 4.2 0 0 1 7.5 2.4C19.5 15.4 12 20 12 20z"/>"#,
    ),
];

/// The names of the built-in icons, in a stable order.
pub(crate) fn names() -> impl Iterator<Item = &'static str> {
    ICONS.iter().map(|(name, _)| *name)
}

/// Whether `name` is a built-in icon.
pub(crate) fn exists(name: &str) -> bool {
    ICONS.iter().any(|(n, _)| *n == name)
}

/// The SVG for a built-in icon, decorative (hidden from screen readers).
pub(crate) fn svg(name: &str) -> Option<String> {
    ICONS.iter().find(|(n, _)| *n == name).map(|(_, body)| {
        format!(
            r#"<svg class="icon" viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">{body}</svg>"#
        )
    })
}

/// The SVG shown in place of an emoji that the reader's fonts cannot draw: hidden until the
/// theme's script finds the emoji missing.
pub(crate) fn fallback_svg(name: &str) -> Option<String> {
    svg(name).map(|svg| svg.replacen("class=\"icon\"", "class=\"icon emoji-fallback\"", 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_required_icons_exist() {
        for name in [
            "book", "bulb", "info", "warning", "danger", "check", "star", "code", "chat",
            "compass", "flame", "pencil",
        ] {
            assert!(exists(name), "{name}");
            assert!(svg(name).unwrap().starts_with("<svg"));
        }
        assert!(svg("nope").is_none());
        assert!(
            fallback_svg("bulb")
                .unwrap()
                .starts_with("<svg class=\"icon emoji-fallback\"")
        );
    }
}
