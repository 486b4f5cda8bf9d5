//! Each component, nested components, snippets and the repair path: MDX in, our Markdown out.

use std::path::{Path, PathBuf};

use super::{Converted, Options, convert};

fn options(root: &Path) -> Options {
    Options {
        file: root.join("page.mdx"),
        docs_root: root.to_path_buf(),
        site_root: root.to_path_buf(),
    }
}

fn run(text: &str) -> Converted {
    convert(text, &options(Path::new("/nonexistent")))
}

fn md(text: &str) -> String {
    run(text).markdown
}

/// Asserts that the output has no JSX left: no `<Capital`, no `import`, no `={`.
fn assert_clean(out: &str) {
    for line in out.lines() {
        assert!(!line.contains("={"), "attribute left in {out:?}");
        assert!(
            !line.trim_start().starts_with("import "),
            "import left in {out:?}"
        );
        let mut rest = line;
        while let Some(i) = rest.find('<') {
            let after = &rest[i + 1..];
            assert!(
                !after
                    .trim_start_matches('/')
                    .starts_with(|c: char| c.is_ascii_uppercase()),
                "tag left in {out:?}"
            );
            rest = after;
        }
    }
}

#[test]
fn code_blocks_are_written_with_a_fence_longer_than_their_backticks() {
    // MDX ends the `mdx` block at the indented fence, as our build must; the stray
    // `</Tabs>` after it is left out, never shown.
    let text = "```mdx\n<Tabs>\n    ```bash\n    npm i\n    ```\n</Tabs>\n```\n";
    assert_eq!(
        md(text),
        "````mdx\n<Tabs>\n    ```bash\n    npm i\n````\n\n```\n\n```\n"
    );
}

#[test]
fn prose_is_copied_as_written() {
    let text = "# Title\n\nSome *prose* with [a link](./a.mdx) and `code`.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
    assert_eq!(md(text), text);
}

#[test]
fn callouts() {
    assert_eq!(
        md("<Note>\n  Be careful.\n</Note>\n"),
        ":::note\nBe careful.\n:::\n"
    );
    assert_eq!(
        md("<Warning>Short.</Warning>\n"),
        ":::warning\nShort.\n:::\n"
    );
    assert_eq!(md("<Check>Done.</Check>\n"), ":::check\nDone.\n:::\n");
    assert_eq!(
        md("<Danger title=\"Stop\">X</Danger>\n"),
        ":::danger Stop\nX\n:::\n"
    );
    assert_eq!(
        md("<Callout icon=\"key\">Keys.</Callout>\n"),
        ":::note\nKeys.\n:::\n"
    );
    assert_eq!(
        md("<Callout icon=\"info\">I.</Callout>\n"),
        ":::note {icon=\"info\"}\nI.\n:::\n"
    );
    assert_eq!(
        md("<Aside type=\"caution\" title=\"Mind\">\nText\n</Aside>\n"),
        ":::caution Mind\nText\n:::\n"
    );
}

#[test]
fn a_callout_inside_a_paragraph_gets_its_own_lines() {
    let out = md("Before <Tip>inside</Tip> after.\n");
    assert_eq!(out, "Before\n\n:::tip\ninside\n:::\n\n after.\n");
}

#[test]
fn steps_with_titles_and_headings_inside() {
    let text = "<Steps>\n  <Step title=\"Install\">\n    Run it.\n\n    ### Detail\n    More.\n  </Step>\n  <Step>\n    Second.\n  </Step>\n</Steps>\n";
    assert_eq!(
        md(text),
        ":::steps\n### Install\n\nRun it.\n\n#### Detail\nMore.\n\n### Step 2\n\nSecond.\n:::\n"
    );
}

#[test]
fn starlight_steps_from_an_ordered_list() {
    let text = "<Steps>\n1. Create it\n\n   Details here.\n\n2. Ship it\n</Steps>\n";
    assert_eq!(
        md(text),
        ":::steps\n### Create it\n\nDetails here.\n\n### Ship it\n:::\n"
    );
}

#[test]
fn accordions_and_expandables() {
    let text = "<AccordionGroup>\n  <Accordion title=\"Why?\" defaultOpen>\n    Because.\n  </Accordion>\n  <Accordion title=\"How?\">\n    Like so.\n  </Accordion>\n</AccordionGroup>\n";
    assert_eq!(
        md(text),
        ":::details Why? {open}\nBecause.\n:::\n:::details How?\nLike so.\n:::\n"
    );
    assert_eq!(
        md("<Expandable>\nx\n</Expandable>\n"),
        ":::details Properties\nx\n:::\n"
    );
}

#[test]
fn tabs_mintlify_and_docusaurus() {
    let text = "<Tabs>\n  <Tab title=\"npm\">\n    ```bash\n    npm i\n    ```\n  </Tab>\n  <Tab title=\"yarn\">\n    Yarn.\n  </Tab>\n</Tabs>\n";
    assert_eq!(
        md(text),
        "::::tabs\n:::tab npm\n```bash\nnpm i\n```\n:::\n:::tab yarn\nYarn.\n:::\n::::\n"
    );
    let text = "import Tabs from '@theme/Tabs';\nimport TabItem from '@theme/TabItem';\n\n<Tabs>\n<TabItem value=\"mac\" label=\"macOS\" default>\nMac.\n</TabItem>\n<TabItem value=\"win\">\nWin.\n</TabItem>\n</Tabs>\n";
    let converted = run(text);
    assert_eq!(
        converted.markdown,
        "::::tabs\n:::tab macOS\nMac.\n:::\n:::tab win\nWin.\n:::\n::::\n"
    );
    assert!(converted.notes.is_empty(), "{:?}", converted.notes);
}

#[test]
fn docusaurus_tab_values_give_labels() {
    let text = "<Tabs values={[{label: 'Apple', value: 'a'}]}>\n<TabItem value=\"a\">\nA.\n</TabItem>\n</Tabs>\n";
    assert_eq!(md(text), "::::tabs\n:::tab Apple\nA.\n:::\n::::\n");
}

#[test]
fn steps_inside_tabs_nest_with_more_colons() {
    let text = "<Tabs>\n  <Tab title=\"A\">\n    <Steps>\n      <Step title=\"One\">\n        <Note>Careful.</Note>\n      </Step>\n    </Steps>\n  </Tab>\n</Tabs>\n";
    assert_eq!(
        md(text),
        "::::::tabs\n:::::tab A\n::::steps\n### One\n\n:::note\nCareful.\n:::\n::::\n:::::\n::::::\n"
    );
}

#[test]
fn a_callout_inside_an_accordion() {
    let text = "<Accordion title=\"More\">\n  Text.\n\n  <Warning>\n    Hot.\n  </Warning>\n</Accordion>\n";
    assert_eq!(
        md(text),
        "::::details More\nText.\n\n:::warning\nHot.\n:::\n::::\n"
    );
}

#[test]
fn code_groups_become_tabs_labelled_by_title() {
    let text = "<CodeGroup>\n```js index.js\nconsole.log(1)\n```\n\n```python title=\"main.py\"\nprint(1)\n```\n\n```bash\nls\n```\n</CodeGroup>\n";
    assert_eq!(
        md(text),
        "::::tabs\n:::tab index.js\n```js\nconsole.log(1)\n```\n:::\n:::tab main.py\n```python\nprint(1)\n```\n:::\n:::tab bash\n```bash\nls\n```\n:::\n::::\n"
    );
}

#[test]
fn cards_become_a_list_of_links() {
    let text = "<CardGroup cols={2}>\n  <Card title=\"Start\" icon=\"rocket\" href=\"/quickstart\">\n    Set up in minutes.\n  </Card>\n  <Card title=\"API\" href=\"/api\">\n    Reference.\n  </Card>\n</CardGroup>\n";
    assert_eq!(
        md(text),
        "- **[Start](/quickstart)**: Set up in minutes.\n- **[API](/api)**: Reference.\n"
    );
    assert_eq!(
        md("<LinkCard title=\"Docs\" href=\"/docs/\" description=\"All of it\" />\n"),
        "- **[Docs](/docs/)**: All of it\n"
    );
}

#[test]
fn frame_keeps_image_and_caption() {
    let text = "<Frame caption=\"The dashboard\">\n  <img src=\"/images/dash.png\" alt=\"Dashboard\" />\n</Frame>\n";
    assert_eq!(
        md(text),
        "![Dashboard](/images/dash.png)\n\n*The dashboard*\n"
    );
}

#[test]
fn tooltip_badge_and_icon() {
    assert_eq!(
        md("An <Tooltip tip=\"Application programming interface\">API</Tooltip> call.\n"),
        "An <abbr title=\"Application programming interface\">API</abbr> call.\n"
    );
    assert_eq!(
        md("New <Badge>beta</Badge> here.\n"),
        "New **beta** here.\n"
    );
    assert_eq!(
        md("Go <Badge text=\"New\" variant=\"tip\" /> now.\n"),
        "Go **New** now.\n"
    );
    assert_eq!(
        md("Click <Icon icon=\"gear\" /> to open.\n"),
        "Click  to open.\n"
    );
}

#[test]
fn tree_becomes_a_nested_list() {
    let text = "<Tree>\n  <Tree.Folder name=\"app\" defaultOpen>\n    <Tree.File name=\"layout.tsx\" />\n  </Tree.Folder>\n  <Tree.File name=\"package.json\" />\n</Tree>\n";
    assert_eq!(md(text), "- **app/**\n  - `layout.tsx`\n- `package.json`\n");
}

#[test]
fn fields_become_list_items() {
    let text = "<ParamField path=\"id\" type=\"string\" required>\n  The id.\n</ParamField>\n\n<ResponseField name=\"items\" type=\"object[]\">\n  The items.\n\n  <Expandable title=\"item\">\n    <ResponseField name=\"name\" type=\"string\" />\n  </Expandable>\n</ResponseField>\n";
    assert_eq!(
        md(text),
        "- **`id`** (`string`, path, required): The id.\n\n- **`items`** (`object[]`)\n\n  The items.\n\n  :::details item\n  - **`name`** (`string`)\n  :::\n"
    );
}

#[test]
fn update_becomes_a_heading() {
    let text = "<Update label=\"2024-05-01\" description=\"v1.2\">\n  Faster builds.\n</Update>\n";
    assert_eq!(md(text), "## 2024-05-01\n\n*v1.2*\n\nFaster builds.\n");
}

#[test]
fn html_details_and_inline_html() {
    let text = "<details>\n<summary>Why *this*?</summary>\n\nBecause.\n</details>\n\nPress <kbd>Ctrl</kbd>.<br />Then <a href=\"/x\">go</a>.\n";
    assert_eq!(
        md(text),
        ":::details Why *this*?\nBecause.\n:::\n\nPress <kbd>Ctrl</kbd>.<br>Then [go](/x).\n"
    );
}

#[test]
fn docusaurus_admonitions_and_heading_ids_stay() {
    let text = ":::tip[Fast]\nQuick.\n:::\n\n:::note Title\nN.\n:::\n\n## Setup {#setup}\n";
    assert_eq!(md(text), text);
}

#[test]
fn docusaurus_admonition_holding_a_component() {
    let text = ":::note\n<Tabs>\n<TabItem value=\"a\" label=\"A\">\nA.\n</TabItem>\n</Tabs>\n:::\n";
    assert_eq!(
        md(text),
        ":::note\n::::tabs\n:::tab A\nA.\n:::\n::::\n:::\n"
    );
}

#[test]
fn components_in_list_items_are_indented() {
    let text = "1. First\n\n   <Note>\n     Inside.\n   </Note>\n\n2. Second\n";
    assert_eq!(
        md(text),
        "1. First\n\n   :::note\n   Inside.\n   :::\n\n2. Second\n"
    );
}

#[test]
fn unknown_components_keep_their_text_and_are_reported() {
    let converted = run("# A\n\n<Fancy color=\"red\">\n  Kept **text**.\n</Fancy>\n\n<Widget />\n");
    assert_eq!(converted.markdown, "# A\n\nKept **text**.\n");
    let messages: Vec<(usize, usize, &str)> = converted
        .notes
        .iter()
        .map(|n| (n.line, n.column, n.message.as_str()))
        .collect();
    assert_eq!(
        messages,
        [
            (3, 1, "`<Fancy>` has no equivalent: its text is kept"),
            (7, 1, "`<Widget>` has no equivalent: left out"),
        ]
    );
}

#[test]
fn esm_and_expressions() {
    let text = "import Thing from '/snippets/missing.jsx';\nexport const version = '2.1';\n\n{/* vale off */}\n\nVersion {version} of {\"the\"} tool. {someCall()}\n\n<Thing />\n";
    let converted = run(text);
    assert_eq!(converted.markdown, "Version 2.1 of the tool.\n");
    let messages: Vec<&str> = converted.notes.iter().map(|n| n.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "JavaScript expression `{someCall()}` left out",
            "`<Thing>` (from `/snippets/missing.jsx`) has no equivalent: left out",
        ]
    );
}

#[test]
fn snippets_are_inlined_with_props_and_constants() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("snippets")).unwrap();
    std::fs::write(
        root.join("snippets/intro.mdx"),
        "Hello {word}, see <Note>shared note</Note>\n",
    )
    .unwrap();
    std::fs::write(
        root.join("snippets/vars.mdx"),
        "export const product = 'Acme';\n",
    )
    .unwrap();
    std::fs::write(root.join("_partial.md"), "Partial text.\n").unwrap();
    let text = "import Intro from '/snippets/intro.mdx';\nimport { product } from '/snippets/vars.mdx';\nimport Partial from './_partial.md';\n\n<Intro word=\"bananas\" />\n\nUse {product}.\n\n<Partial />\n";
    let converted = convert(text, &options(root));
    assert_eq!(
        converted.markdown,
        "Hello bananas, see\n\n:::note\nshared note\n:::\n\nUse Acme.\n\nPartial text.\n"
    );
    let included: Vec<PathBuf> = converted
        .included
        .iter()
        .map(|p| p.strip_prefix(root).unwrap().to_path_buf())
        .collect();
    assert_eq!(
        included,
        [
            PathBuf::from("snippets/intro.mdx"),
            PathBuf::from("_partial.md")
        ]
    );
    assert!(converted.notes.is_empty(), "{:?}", converted.notes);
}

#[test]
fn the_repair_path_keeps_the_page() {
    // An export with blank lines inside (MDX rejects it), an HTML comment, a stray brace.
    let text = "# Page\n\nexport const Hero = () => {\n  const a = 'it\\'s'\n\n  return <div>{a}</div>\n\n<!-- a comment -->\n\nUse { carefully.\n\n<Tip>Still converted.</Tip>\n";
    let converted = run(text);
    assert!(!converted.plain);
    assert!(converted.repairs >= 1);
    assert_eq!(
        converted.markdown,
        "# Page\n\nUse \\{ carefully.\n\n:::tip\nStill converted.\n:::\n"
    );
    assert_clean(&converted.markdown);
    assert!(
        converted
            .notes
            .iter()
            .any(|n| n.line == 3 && n.message.contains("export const Hero"))
    );
}

#[test]
fn a_void_tag_without_a_slash_is_kept() {
    let converted = run("Line one<br>\nLine two\n\n<Info>x</Info>\n");
    assert_eq!(
        converted.markdown,
        "Line one<br>\nLine two\n\n:::info\nx\n:::\n"
    );
}

#[test]
fn docusaurus_code_block_component() {
    let text = "import CodeBlock from '@theme/CodeBlock';\n\n<CodeBlock language=\"jsx\" title=\"/src/a.js\">\n  {`const a = 1;`}\n</CodeBlock>\n";
    assert_eq!(md(text), "**/src/a.js**\n\n```jsx\nconst a = 1;\n```\n");
}

#[test]
fn nothing_left_visible_in_a_mixed_page() {
    let text = "---\ntitle: x\n---\n\nimport A from '@theme/Admonition';\n\n<div className=\"grid\">\n  <Card title=\"X\" href=\"/x\">\n    Go <Icon icon=\"arrow\" />\n  </Card>\n</div>\n\n<Steps>\n  <Step title={\"Dyn\"}>\n    <CodeGroup>\n    ```js a.js\n    1\n    ```\n    </CodeGroup>\n  </Step>\n</Steps>\n";
    let out = md(text);
    assert_clean(&out);
    assert!(out.contains("### Dyn"), "{out}");
}

#[test]
fn an_admonition_left_open_is_closed_at_the_end() {
    let converted = run(":::tip Summary\n\n- a\n\n## Next\n");
    assert_eq!(
        converted.markdown,
        ":::tip Summary\n\n- a\n\n## Next\n:::\n"
    );
    assert_eq!(
        converted.notes[0].message,
        "`:::tip` is never closed: closed at the end of the page"
    );
}

#[test]
fn a_closing_fence_that_closes_nothing_goes() {
    assert_eq!(md("Text\n:::\nMore\n"), "Text\nMore\n");
}
