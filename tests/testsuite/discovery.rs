//! How LLM tools find the book: llms.txt files (root, per part, `.well-known`), the notice
//! that opens every twin, the `describedby` link and agent line of every page, `_headers`,
//! the root file's size limit and the long-twin warning.

use crate::harness::BookTest;

/// An llms.txt file, as the reference parser of the format (the `llms-txt` package's
/// `parse_llms_file`) reads it: an H1 title, an optional `>` summary, free text, then `##`
/// sections of `- [title](url): notes` links. Stricter than the reference in one way: a line
/// under a section that is not a link is an error here, not skipped.
#[derive(Debug)]
struct LlmsFile {
    title: String,
    summary: Option<String>,
    info: String,
    sections: Vec<(String, Vec<LlmsLink>)>,
}

#[derive(Debug)]
struct LlmsLink {
    title: String,
    url: String,
    #[allow(dead_code)]
    notes: Option<String>,
}

fn parse_llms_file(text: &str) -> Result<LlmsFile, String> {
    let mut lines = text.lines().peekable();
    let title = lines
        .next()
        .and_then(|line| line.strip_prefix("# "))
        .ok_or("the file must open with an H1")?
        .trim()
        .to_string();
    while lines.peek().is_some_and(|line| line.trim().is_empty()) {
        lines.next();
    }
    let summary = match lines.peek().and_then(|line| line.strip_prefix("> ")) {
        Some(summary) => {
            let summary = summary.trim().to_string();
            lines.next();
            Some(summary)
        }
        None => None,
    };
    let mut info = String::new();
    let mut sections: Vec<(String, Vec<LlmsLink>)> = Vec::new();
    for line in lines {
        if let Some(name) = line.strip_prefix("## ") {
            sections.push((name.trim().to_string(), Vec::new()));
            continue;
        }
        if line.starts_with('#') && line.trim_start_matches('#').starts_with(' ') {
            return Err(format!("only `##` headings may follow the title: {line}"));
        }
        match sections.last_mut() {
            None => {
                info.push_str(line);
                info.push('\n');
            }
            Some(_) if line.trim().is_empty() => {}
            Some((_, links)) => links.push(parse_link(line)?),
        }
    }
    Ok(LlmsFile {
        title,
        summary,
        info: info.trim().to_string(),
        sections,
    })
}

fn parse_link(line: &str) -> Result<LlmsLink, String> {
    let rest = line
        .strip_prefix("- [")
        .ok_or_else(|| format!("not a link entry: {line}"))?;
    let (title, rest) = rest
        .split_once("](")
        .ok_or_else(|| format!("no `](` in: {line}"))?;
    let (url, rest) = rest
        .split_once(')')
        .ok_or_else(|| format!("no `)` in: {line}"))?;
    let notes = match rest {
        "" => None,
        _ => Some(
            rest.strip_prefix(": ")
                .ok_or_else(|| format!("notes must follow `: `: {line}"))?
                .to_string(),
        ),
    };
    if title.is_empty() || url.is_empty() || url.contains(char::is_whitespace) {
        return Err(format!("empty title or bad URL: {line}"));
    }
    Ok(LlmsLink {
        title: title.to_string(),
        url: url.to_string(),
        notes,
    })
}

fn built_sample(args: &[&str]) -> BookTest {
    let test = BookTest::sample_guide();
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    let run = test.run(&all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    test
}

/// The site path a root-absolute or based URL of the built sample names.
fn site_path<'a>(url: &'a str, base: &str) -> &'a str {
    url.strip_prefix(base)
        .unwrap_or_else(|| panic!("{url} starts with {base}"))
}

#[test]
fn the_llms_txt_parser_reads_a_well_formed_file_and_rejects_a_broken_one() {
    let file = parse_llms_file(
        "# Guide\n\n> One line.\n\nSome words.\n\n## Part\n\n- [A](/a.md): about a\n- [B](/b.md)\n\n## Optional\n\n- [C](/c.md)\n",
    )
    .unwrap();
    assert_eq!(file.title, "Guide");
    assert_eq!(file.summary.as_deref(), Some("One line."));
    assert_eq!(file.info, "Some words.");
    assert_eq!(file.sections.len(), 2);
    assert_eq!(file.sections[0].1[1].url, "/b.md");
    assert!(parse_llms_file("Guide\n").is_err());
    assert!(parse_llms_file("# Guide\n\n## Part\n\nprose\n").is_err());
    assert!(parse_llms_file("# Guide\n\n## Part\n\n- [A](/a.md) trailing\n").is_err());
}

#[test]
fn every_llms_txt_file_parses_and_its_links_resolve() {
    for (args, base) in [
        (&[][..], "/"),
        (
            &["--base-url", "https://example.com/guide/"][..],
            "https://example.com/guide/",
        ),
    ] {
        let test = built_sample(args);
        let root = test.site_file("llms.txt");
        assert_eq!(
            test.site_file(".well-known/llms.txt"),
            root,
            "the .well-known copy mirrors the root file"
        );
        let parsed = parse_llms_file(&root).unwrap();
        assert!(!parsed.title.is_empty());
        assert!(
            parsed.summary.is_some(),
            "the sample guide has a description"
        );
        assert_eq!(
            parsed.sections.last().map(|s| s.0.as_str()),
            Some("Optional"),
            "`## Optional` comes last"
        );
        let mut part_files = 0;
        for entry in walkdir::WalkDir::new(test.site()) {
            let entry = entry.unwrap();
            if entry.file_name() != "llms.txt" {
                continue;
            }
            let relative = entry.path().strip_prefix(test.site()).unwrap();
            if relative.components().count() == 1 || relative.starts_with(".well-known") {
                continue;
            }
            part_files += 1;
            let text = std::fs::read_to_string(entry.path()).unwrap();
            let part = parse_llms_file(&text)
                .unwrap_or_else(|e| panic!("{}: {e}\n{text}", relative.display()));
            assert!(
                part.info.contains("llms.txt"),
                "a part file links back to the root"
            );
            assert!(part.sections.iter().any(|s| !s.1.is_empty()));
            for (_, links) in &part.sections {
                for link in links {
                    let path = site_path(&link.url, base);
                    assert!(test.site().join(path).is_file(), "{}", link.url);
                }
            }
        }
        assert!(part_files >= 3, "one llms.txt per part of the sample guide");
        for (_, links) in &parsed.sections {
            for link in links {
                assert!(!link.title.is_empty());
                let path = site_path(&link.url, base);
                assert!(test.site().join(path).is_file(), "{}", link.url);
            }
        }
    }
}

#[test]
fn every_twin_opens_with_a_notice_that_points_at_llms_txt() {
    for (args, absolute) in [
        (&[][..], None),
        (
            &["--base-url", "https://example.com/guide/"][..],
            Some("https://example.com/guide/llms.txt"),
        ),
    ] {
        let test = built_sample(args);
        let mut twins = 0;
        for entry in walkdir::WalkDir::new(test.site()) {
            let entry = entry.unwrap();
            if entry.path().extension().is_none_or(|e| e != "md") {
                continue;
            }
            twins += 1;
            let twin = std::fs::read_to_string(entry.path()).unwrap();
            let first = twin.lines().next().unwrap();
            assert!(first.starts_with("> "), "{first}");
            let (_, rest) = first.split_once("](").expect("a link");
            let href = &rest[..rest.find(')').unwrap()];
            match absolute {
                Some(url) => assert_eq!(href, url),
                None => {
                    let resolved = entry.path().parent().unwrap().join(href);
                    assert_eq!(
                        std::fs::canonicalize(resolved).unwrap(),
                        std::fs::canonicalize(test.site().join("llms.txt")).unwrap(),
                        "{}",
                        entry.path().display()
                    );
                }
            }
            assert!(
                twin.lines().nth(2).is_some_and(|l| l.starts_with("# ")),
                "then the title: {}",
                entry.path().display()
            );
        }
        assert!(twins >= 10);
    }
}

#[test]
fn pages_name_llms_txt_for_agents_and_the_headers_file_does_too() {
    let test = built_sample(&[]);
    let html = test.site_file("systems/caching/index.html");
    assert!(html.contains(r#"<link rel="describedby" href="../../llms.txt""#));
    let note = html
        .split(r#"<p class="visually-hidden" data-pagefind-ignore>For AI agents"#)
        .nth(1)
        .expect("a visually hidden line for agents");
    let note = &note[..note.find("</p>").unwrap()];
    assert!(note.contains(r#"href="../caching.md""#), "{note}");
    assert!(note.contains(r#"href="../../llms.txt""#), "{note}");
    assert_eq!(
        test.site_file("_headers"),
        "/*\n  Link: </llms.txt>; rel=\"describedby\"; type=\"text/plain\"\n"
    );
    let based = built_sample(&["--base-url", "https://example.com/guide/"]);
    assert_eq!(
        based.site_file("_headers"),
        "/guide/*\n  Link: <https://example.com/guide/llms.txt>; rel=\"describedby\"; type=\"text/plain\"\n"
    );
    let html = based.site_file("systems/caching/index.html");
    assert!(html.contains(r#"href="https://example.com/guide/llms.txt""#));
}

#[test]
fn llms_exports_off_means_no_discovery_links() {
    let test = BookTest::empty()
        .file(
            "book.toml",
            "[book]\ntitle = \"Quiet\"\n\n[llms]\nenabled = false\n",
        )
        .file("content/01-one.md", "# One\n\nText.\n");
    let run = test.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = test.site_file("one/index.html");
    assert!(!html.contains("describedby"));
    assert!(!html.contains("For AI agents"));
    assert!(!test.site().join("_headers").exists());
}

/// A book whose every page has a long description: its full listing passes 50,000
/// characters.
fn wide_book() -> BookTest {
    let mut test = BookTest::empty().file(
        "book.toml",
        "[book]\ntitle = \"Wide\"\ndescription = \"Many parts.\"\n",
    );
    let long = "a description long enough to fill the index quickly ".repeat(6);
    for part in 0..6 {
        test = test.file(
            &format!("content/{part:02}-part-{part}/_index.md"),
            format!("---\ntitle: Part {part}\ndescription: Part {part} of six.\n---\n"),
        );
        for chapter in 0..40 {
            test = test.file(
                &format!("content/{part:02}-part-{part}/{chapter:02}-c{chapter}.md"),
                format!(
                    "---\ntitle: Chapter {part}.{chapter}\ndescription: {long}\n---\n\nText.\n"
                ),
            );
        }
    }
    test
}

#[test]
fn a_root_llms_txt_past_50000_characters_links_the_part_files_instead() {
    let test = wide_book();
    let run = test.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let root = test.site_file("llms.txt");
    assert!(root.chars().count() <= 50_000, "{}", root.len());
    let parsed = parse_llms_file(&root).unwrap();
    let parts = parsed
        .sections
        .iter()
        .find(|s| s.0 == "Parts")
        .expect("a `## Parts` section");
    assert_eq!(parts.1.len(), 6);
    assert_eq!(parts.1[0].url, "/part-0/llms.txt");
    assert!(
        parts.1[0].notes.as_deref().unwrap().contains("(41 pages)"),
        "{:?}",
        parts.1[0].notes
    );
    let mut listed = 0;
    for part in 0..6 {
        let file = parse_llms_file(&test.site_file(&format!("part-{part}/llms.txt"))).unwrap();
        listed += file.sections.iter().map(|s| s.1.len()).sum::<usize>();
    }
    assert_eq!(
        listed,
        6 * 41,
        "every page is still listed, in its part's file"
    );
}

#[test]
fn a_twin_past_100000_characters_is_a_warning() {
    let paragraph = "Every word of this chapter adds to a twin too long to read whole. ";
    let test = BookTest::empty()
        .file("book.toml", "[book]\ntitle = \"Long\"\n")
        .file("content/01-short.md", "# Short\n\nText.\n")
        .file(
            "content/02-long.md",
            format!("# Long\n\n{}\n", paragraph.repeat(1_600)),
        );
    let run = test.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("warning") && run.stderr.contains("content/02-long.md"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("more than the 100000"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.matches("Markdown twin of this page").count(), 1);
}
