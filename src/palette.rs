//! Callout accent colours: the named palette, and readable light/dark pairs for any colour.
//!
//! Input: a kind's name, its colour family, or a colour an author wrote in `book.toml`.
//! Output: an [`Accent`], a pair of `#rrggbb` colours (one per theme) that the stylesheet uses
//! for a callout's edge, icon and label. Every pair reads at WCAG AA (4.5:1) on the callout's
//! own tinted background in its theme, which the stylesheet mixes from the accent and the page
//! background exactly as [`callout_background`] does here.

/// The page background of the light theme (`--bg` in guidebook.css).
const LIGHT_PAGE: Rgb = Rgb(0xff, 0xff, 0xff);
/// The page background of the dark theme (`--bg` in guidebook.css's dark tokens).
const DARK_PAGE: Rgb = Rgb(0x0c, 0x11, 0x18);
/// How much of the accent tints a callout's background (percent), light and dark; the same
/// numbers are in guidebook.css (`--callout-tint`).
const LIGHT_TINT: u8 = 7;
const DARK_TINT: u8 = 12;
/// The contrast every accent keeps on its callout background (WCAG AA for normal text).
pub(crate) const MIN_CONTRAST: f64 = 4.5;

/// One named hue: its colour in the light and the dark theme, and the style family (if any)
/// whose kinds may be given it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hue {
    /// The name authors write (`color = "teal"`).
    pub(crate) name: &'static str,
    /// `#rrggbb` for the light theme.
    pub(crate) light: &'static str,
    /// `#rrggbb` for the dark theme.
    pub(crate) dark: &'static str,
    /// The callout style whose kinds draw from this hue (empty: only by name, or for kinds
    /// without a style).
    pub(crate) family: &'static str,
}

const fn hue(
    name: &'static str,
    light: &'static str,
    dark: &'static str,
    family: &'static str,
) -> Hue {
    Hue {
        name,
        light,
        dark,
        family,
    }
}

/// The palette. The first hue of each family is that style's own colour (the built-in kinds
/// use it). Light values sit just above AA on their tint; dark ones are pastel, well above it.
pub(crate) const HUES: &[Hue] = &[
    hue("violet", "#834cd5", "#c4a9fe", "note"),
    hue("purple", "#9d41c1", "#e09afe", "note"),
    hue("indigo", "#6058e0", "#adb3fd", "note"),
    hue("green", "#0b7c31", "#69d67e", "tip"),
    hue("teal", "#0e796c", "#4bd3c0", "tip"),
    hue("lime", "#527602", "#9bce49", "tip"),
    hue("blue", "#2463df", "#96bbfe", "info"),
    hue("sky", "#0572a4", "#69c5fe", "info"),
    hue("cyan", "#097689", "#31cfee", "info"),
    hue("amber", "#926209", "#f5a91f", "warning"),
    hue("orange", "#b04f08", "#fea06e", "warning"),
    hue("brown", "#8d6245", "#dfaf90", "warning"),
    hue("red", "#cc272e", "#fe9b93", "danger"),
    hue("pink", "#c02b83", "#ff92c8", "danger"),
    hue("fuchsia", "#b42cae", "#fe87f5", "danger"),
    hue("slate", "#5f6d7d", "#adbdce", ""),
];

/// A callout's accent in both themes, as `#rrggbb`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Accent {
    /// For the light theme.
    pub(crate) light: String,
    /// For the dark theme.
    pub(crate) dark: String,
    /// The palette name, when the accent is a named hue.
    pub(crate) name: Option<&'static str>,
}

impl From<&Hue> for Accent {
    fn from(hue: &Hue) -> Self {
        Self {
            light: hue.light.to_string(),
            dark: hue.dark.to_string(),
            name: Some(hue.name),
        }
    }
}

/// The palette's names, in order.
pub(crate) fn names() -> impl Iterator<Item = &'static str> {
    HUES.iter().map(|h| h.name)
}

/// The hue called `name`.
pub(crate) fn named(name: &str) -> Option<&'static Hue> {
    HUES.iter().find(|h| h.name == name)
}

/// The style family's own hue (`info` → blue).
pub(crate) fn family_hue(family: &str) -> Option<&'static Hue> {
    HUES.iter().find(|h| h.family == family)
}

/// The hue a kind gets when its author chose none: a stable hash of its name picks among the
/// hues of its style's family, or among the whole palette when it has no style. The same name
/// always gets the same hue, whatever other kinds the book has and in whatever order.
pub(crate) fn assign(kind: &str, family: Option<&str>) -> &'static Hue {
    let pool: Vec<&Hue> = match family {
        Some(family) => HUES.iter().filter(|h| h.family == family).collect(),
        None => Vec::new(),
    };
    let pool = if pool.is_empty() {
        HUES.iter().collect()
    } else {
        pool
    };
    let index = usize::try_from(fnv1a(kind.as_bytes()) % pool.len() as u64).unwrap_or(0);
    pool[index]
}

/// FNV-1a: the same on every platform and Rust version, unlike the standard hasher.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Parses `#rgb` or `#rrggbb` (any case).
pub(crate) fn parse_hex(text: &str) -> Option<Rgb> {
    let digits = text.strip_prefix('#')?;
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let value = |s: &str| u8::from_str_radix(s, 16).ok();
    match digits.len() {
        3 => {
            let mut channels = digits.chars().map(|c| value(&format!("{c}{c}")));
            Some(Rgb(channels.next()??, channels.next()??, channels.next()??))
        }
        6 => Some(Rgb(
            value(&digits[0..2])?,
            value(&digits[2..4])?,
            value(&digits[4..6])?,
        )),
        _ => None,
    }
}

/// An author's colour made readable in both themes: the light-theme accent is the colour,
/// darkened just enough to reach AA on its tint; the dark-theme accent is the colour,
/// lightened just enough on the dark tint. A colour that already reads is kept as written.
pub(crate) fn accent_for(color: Rgb) -> Accent {
    Accent {
        light: readable(color, LIGHT_PAGE, LIGHT_TINT, Rgb(0, 0, 0)).hex(),
        dark: readable(color, DARK_PAGE, DARK_TINT, Rgb(0xff, 0xff, 0xff)).hex(),
        name: None,
    }
}

/// `color` mixed towards `toward` in steps of 2% until it reads on its callout background.
fn readable(color: Rgb, page: Rgb, tint: u8, toward: Rgb) -> Rgb {
    (0..=50)
        .map(|step| color.mix(toward, step * 2))
        .find(|c| c.contrast(callout_background(*c, page, tint)) >= MIN_CONTRAST)
        .unwrap_or(toward)
}

/// The background the stylesheet gives a callout: `color-mix(in srgb, accent tint%, page)`.
pub(crate) fn callout_background(accent: Rgb, page: Rgb, tint: u8) -> Rgb {
    accent.mix(page, 100 - tint)
}

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rgb(pub(crate) u8, pub(crate) u8, pub(crate) u8);

impl Rgb {
    /// `#rrggbb`.
    pub(crate) fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// `percent`% of `other` mixed into this colour, channel by channel (as CSS
    /// `color-mix(in srgb, …)` does), rounded.
    fn mix(self, other: Rgb, percent: u8) -> Rgb {
        let p = f64::from(percent) / 100.0;
        let channel = |a: u8, b: u8| {
            let v = f64::from(a) * (1.0 - p) + f64::from(b) * p;
            // In 0..=255 by construction.
            v.round().clamp(0.0, 255.0) as u8
        };
        Rgb(
            channel(self.0, other.0),
            channel(self.1, other.1),
            channel(self.2, other.2),
        )
    }

    /// WCAG relative luminance.
    fn luminance(self) -> f64 {
        let channel = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }

    /// WCAG contrast ratio.
    pub(crate) fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (hi, lo) = if a > b { (a, b) } else { (b, a) };
        (hi + 0.05) / (lo + 0.05)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rgb(hex: &str) -> Rgb {
        parse_hex(hex).unwrap()
    }

    /// Label, icon and edge use the accent: it must read on the callout's tint and on the
    /// page itself, in both themes.
    fn assert_readable(light: &str, dark: &str, what: &str) {
        for (accent, page, tint, theme) in [
            (rgb(light), LIGHT_PAGE, LIGHT_TINT, "light"),
            (rgb(dark), DARK_PAGE, DARK_TINT, "dark"),
        ] {
            let on_tint = accent.contrast(callout_background(accent, page, tint));
            let on_page = accent.contrast(page);
            assert!(
                on_tint >= MIN_CONTRAST && on_page >= MIN_CONTRAST,
                "{what} in the {theme} theme: {on_tint:.2} on its tint, {on_page:.2} on the page"
            );
        }
    }

    #[test]
    fn every_hue_meets_aa_in_both_themes() {
        assert!(HUES.len() >= 12, "at least twelve hues");
        for hue in HUES {
            assert_readable(hue.light, hue.dark, hue.name);
        }
    }

    #[test]
    fn body_text_reads_on_every_tint() {
        // --text of each theme on the most saturated tint.
        for hue in HUES {
            let light = callout_background(rgb(hue.light), LIGHT_PAGE, LIGHT_TINT);
            let dark = callout_background(rgb(hue.dark), DARK_PAGE, DARK_TINT);
            assert!(rgb("#17202b").contrast(light) >= 7.0, "{}", hue.name);
            assert!(rgb("#e2e8f0").contrast(dark) >= 7.0, "{}", hue.name);
        }
    }

    #[test]
    fn names_are_unique_and_every_family_has_its_own_hue() {
        let mut names: Vec<_> = names().collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), HUES.len());
        for family in ["note", "tip", "info", "warning", "danger"] {
            assert_eq!(
                HUES.iter().filter(|h| h.family == family).count(),
                3,
                "{family}"
            );
        }
        assert_eq!(family_hue("info").unwrap().name, "blue");
        assert_eq!(family_hue("danger").unwrap().name, "red");
    }

    #[test]
    fn assignment_is_stable_and_stays_in_the_family() {
        // Fixed values: a change here recolours every book's callouts.
        assert_eq!(assign("big-word-alert", None).name, "slate");
        assert_eq!(assign("war-story", Some("warning")).family, "warning");
        assert_eq!(
            assign("war-story", Some("warning")),
            assign("war-story", Some("warning"))
        );
        for name in ["a", "senior-vs-staff", "try-it-now", "x-y-z"] {
            assert_eq!(assign(name, Some("tip")).family, "tip");
        }
        // Names spread over the palette.
        let used: std::collections::BTreeSet<_> = (0..200)
            .map(|i| assign(&format!("kind-{i}"), None).name)
            .collect();
        assert_eq!(used.len(), HUES.len());
    }

    #[test]
    fn hex_colours_parse() {
        assert_eq!(parse_hex("#0e796c"), Some(Rgb(0x0e, 0x79, 0x6c)));
        assert_eq!(parse_hex("#FFF"), Some(Rgb(255, 255, 255)));
        for bad in ["0e796c", "#0e796", "#gggggg", "#", "#0e796c0", "teal"] {
            assert_eq!(parse_hex(bad), None, "{bad}");
        }
    }

    #[test]
    fn authors_colours_are_made_readable() {
        // Yellow is unreadable on white, pale yellow reads on dark; navy the other way.
        for colour in [
            "#ffdd00", "#000080", "#808080", "#ff00ff", "#ffffff", "#000000",
        ] {
            let accent = accent_for(rgb(colour));
            assert_readable(&accent.light, &accent.dark, colour);
        }
        // A colour that already reads is kept.
        assert_eq!(accent_for(rgb("#0b7c31")).light, "#0b7c31");
    }
}
