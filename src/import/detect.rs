//! Which tool a source folder belongs to, from the configuration files in it.

use std::path::Path;

use super::Tool;
use crate::diagnostics::Refusal;

/// The configuration files of Docusaurus.
pub(crate) const DOCUSAURUS_CONFIGS: [&str; 4] = [
    "docusaurus.config.js",
    "docusaurus.config.ts",
    "docusaurus.config.mjs",
    "docusaurus.config.cjs",
];

/// The configuration files of Astro.
pub(crate) const ASTRO_CONFIGS: [&str; 5] = [
    "astro.config.mjs",
    "astro.config.js",
    "astro.config.ts",
    "astro.config.mts",
    "astro.config.cjs",
];

/// Detects the tool of `source` (the folder holding its configuration).
pub(crate) fn detect(source: &Path) -> anyhow::Result<Tool> {
    let has = |name: &str| source.join(name).is_file();
    let mut found = Vec::new();
    if has("docs.json") || has("mint.json") {
        found.push(Tool::Mintlify);
    }
    if DOCUSAURUS_CONFIGS.iter().any(|name| has(name)) {
        found.push(Tool::Docusaurus);
    }
    if source.join(".vitepress").is_dir() {
        found.push(Tool::Vitepress);
    }
    if astro_config(source).is_some_and(|text| text.contains("starlight")) {
        found.push(Tool::Starlight);
    }
    if has("book.toml") && mdbook_summary(source).is_some() {
        found.push(Tool::Mdbook);
    }
    match found.as_slice() {
        [tool] => Ok(*tool),
        [] => Err(Refusal::new(format!(
            "`{}` does not look like a guide of a tool guidebook imports",
            crate::paths::display_path(source)
        ))
        .hint(
            "pass the folder that holds `docs.json` or `mint.json` (Mintlify), \
             `docusaurus.config.js` (Docusaurus), `.vitepress/` (VitePress), `astro.config.mjs` \
             with Starlight, or `book.toml` with `src/SUMMARY.md` (mdBook); or name the tool \
             with `--from`",
        )
        .into()),
        several => Err(Refusal::new(format!(
            "`{}` holds the configuration of more than one tool: {}",
            crate::paths::display_path(source),
            several
                .iter()
                .map(|t| t.name())
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .hint("name the one to import with `--from`, e.g. `--from mdbook`")
        .into()),
    }
}

/// The text of the Astro configuration, if there is one.
pub(crate) fn astro_config(source: &Path) -> Option<String> {
    ASTRO_CONFIGS
        .iter()
        .find_map(|name| std::fs::read_to_string(source.join(name)).ok())
}

/// mdBook's `SUMMARY.md`: in the `src` folder that book.toml names (default `src`).
pub(crate) fn mdbook_summary(source: &Path) -> Option<std::path::PathBuf> {
    let src = std::fs::read_to_string(source.join("book.toml"))
        .ok()
        .and_then(|text| text.parse::<toml::Table>().ok())
        .and_then(|table| {
            table
                .get("book")?
                .get("src")?
                .as_str()
                .map(std::path::PathBuf::from)
        })
        .unwrap_or_else(|| "src".into());
    let summary = source.join(src).join("SUMMARY.md");
    summary.is_file().then_some(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn detects_each_tool() {
        let cases: [(&[(&str, &str)], Tool); 6] = [
            (&[("docs.json", "{}")], Tool::Mintlify),
            (&[("mint.json", "{}")], Tool::Mintlify),
            (&[("docusaurus.config.ts", "")], Tool::Docusaurus),
            (&[(".vitepress/config.mts", "")], Tool::Vitepress),
            (
                &[(
                    "astro.config.mjs",
                    "import starlight from '@astrojs/starlight'",
                )],
                Tool::Starlight,
            ),
            (
                &[("book.toml", "[book]\n"), ("src/SUMMARY.md", "")],
                Tool::Mdbook,
            ),
        ];
        for (files, tool) in cases {
            let dir = folder(files);
            assert_eq!(detect(dir.path()).unwrap(), tool, "{files:?}");
        }
    }

    #[test]
    fn refuses_what_it_cannot_tell() {
        for files in [
            &[("README.md", "# Hi")][..],
            &[("astro.config.mjs", "export default {}")][..],
            &[("book.toml", "[book]\n")][..],
        ] {
            let dir = folder(files);
            let error = detect(dir.path()).unwrap_err();
            assert!(error.to_string().contains("does not look like"), "{error}");
        }
        let dir = folder(&[
            ("docs.json", "{}"),
            ("book.toml", ""),
            ("src/SUMMARY.md", ""),
        ]);
        let error = detect(dir.path()).unwrap_err().to_string();
        assert!(error.contains("Mintlify, mdBook"), "{error}");
    }

    #[test]
    fn mdbook_src_folder_comes_from_book_toml() {
        let dir = folder(&[
            ("book.toml", "[book]\nsrc = \"guide\"\n"),
            ("guide/SUMMARY.md", ""),
        ]);
        assert_eq!(detect(dir.path()).unwrap(), Tool::Mdbook);
    }
}
