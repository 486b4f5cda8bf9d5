//! Golden tests: fixture books whose built pages must match `expected/`.

use crate::harness::{check_fixture, fixtures};

/// Declares one test per fixture case.
macro_rules! golden {
    ($($test:ident => $case:literal,)*) => {
        $(
            #[test]
            fn $test() {
                check_fixture($case);
            }
        )*

        /// Every fixture folder has a test above (a new fixture cannot be forgotten).
        #[test]
        fn every_fixture_is_tested() {
            let listed = [$($case),*];
            for feature in std::fs::read_dir(fixtures()).unwrap() {
                let feature = feature.unwrap().path();
                if feature.ends_with("import") {
                    // Guides of other tools, tested by import.rs.
                    continue;
                }
                for case in std::fs::read_dir(&feature).unwrap() {
                    let case = case.unwrap().path();
                    let name = format!(
                        "{}/{}",
                        feature.file_name().unwrap().to_string_lossy(),
                        case.file_name().unwrap().to_string_lossy()
                    );
                    assert!(listed.contains(&name.as_str()), "fixture {name} has no test in golden.rs");
                }
            }
        }
    };
}

golden! {
    book_layout => "build/book-layout",
    markdown_basics => "build/markdown",
    print_page => "build/print",
    error_malformed_book_toml => "errors/malformed-book-toml",
    error_unknown_book_toml_key => "errors/unknown-book-toml-key",
    error_bad_toml_front_matter => "errors/bad-toml-front-matter",
    error_bad_yaml_front_matter => "errors/bad-yaml-front-matter",
    error_unknown_front_matter_key => "errors/unknown-front-matter-key",
    error_missing_title => "errors/missing-title",
    error_duplicate_url => "errors/duplicate-url",
    error_empty_content => "errors/empty-content",
    dialect_callouts => "dialect/callouts",
    dialect_nesting => "dialect/nesting",
    dialect_code_fences => "dialect/code-fences",
    dialect_alerts => "dialect/alerts",
    dialect_numbered_sections => "dialect/numbered-sections",
    dialect_links => "dialect/links",
    dialect_containers => "dialect/containers",
    dialect_callout_templates => "dialect/callout-templates",
    dialect_error_unclosed_fence => "dialect-errors/unclosed-fence",
    dialect_error_stray_closing_fence => "dialect-errors/stray-closing-fence",
    dialect_error_unknown_kind => "dialect-errors/unknown-kind",
    dialect_error_broken_file_link => "dialect-errors/broken-file-link",
    dialect_error_broken_anchor => "dialect-errors/broken-anchor",
    dialect_error_missing_image => "dialect-errors/missing-image",
    dialect_error_all_errors_reported => "dialect-errors/all-errors-reported",
    dialect_error_link_to_draft => "dialect-errors/link-to-draft",
    dialect_error_strict_warnings => "dialect-errors/strict-warnings",
    llms_book => "llms/book",
    llms_every_construct => "llms/every-construct",
    template_override => "build/template-override",
    error_template_syntax => "errors/template-syntax",
    error_output_collision => "errors/output-collision",
    error_reserved_slug => "errors/reserved-slug",
    dialect_attributes => "dialect/attributes",
    dialect_ids => "dialect/ids",
    dialect_callout_references => "dialect/callout-references",
    dialect_aliases => "dialect/aliases",
    dialect_aliases_redefined => "dialect/aliases-redefined",
    dialect_error_unknown_attribute => "dialect-errors/unknown-attribute",
    dialect_error_duplicate_id => "dialect-errors/duplicate-id",
    dialect_error_broken_callout_reference => "dialect-errors/broken-callout-reference",
    error_foreign_idioms => "errors/foreign-idioms",
    redirects => "build/redirects",
    error_redirects => "errors/redirect-errors",
    error_redirect_collisions => "errors/redirect-collisions",
    error_bad_callout_colour => "errors/bad-callout-colour",
    study_numbering => "study/numbering",
    study_glossary => "study/glossary",
    study_glossary_long => "study/glossary-long",
    study_practice => "study/practice",
    study_duplicate_ids => "study/duplicate-ids",
    study_index_filled_links => "study/index-filled-links",
    study_index_numbered => "study/index-numbered",
    study_error_index_collision => "study-errors/index-collision",
    study_error_generated_titles => "study-errors/generated-titles",
}
