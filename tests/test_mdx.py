"""MDX docs: ESM and JSX are not Markdown; the Markdown between them is checked; links in
`<a href>` and `<Link to>` props are links."""

from __future__ import annotations

import json

from hypothesis import given, settings, strategies as st

from conftest import installed
from doclint.mdrefs import scan_markdown

GUIDE = """\
import { Tabs, TabItem } from '@site/components';
export const meta = {
  title: 'Guide',
};

# Guide

<Tabs groupId="pm">
  <TabItem value="npm" label="npm">

Call `executeFrame()` from `src/runtime/executor.ts`, then `src/runtime/gone.ts` now.

  </TabItem>
</Tabs>

<Link to="./other.md#top">Top</Link> and <a href="./other.md#nowhere">there</a>

<Link
  className="button"
  to="./missing.mdx"
>
  Next
</Link>

    Indented text is a paragraph in MDX: `Phase.Read`.

```tsx
import { notChecked } from 'x';
<Tabs>`src/runtime/gone.ts`</Tabs>
```
"""


def test_mdx_doc_is_checked_around_its_jsx(repo):
    root = repo({"doclint.toml": "", "docs/guide.mdx": GUIDE, "docs/other.md": "# Top\n"})  # default docs
    run = installed(["check", "--format", "json"], root)
    assert "Traceback" not in run.stderr
    found = [(f["code"], f["line"], f["column"], f["target"]) for f in json.loads(run.stdout)["findings"]]
    assert found == [
        ("DL001", 11, 61, "src/runtime/gone.ts"),
        ("DL007", 16, 51, "docs/other.md#nowhere"),
        ("DL006", 20, 7, "./missing.mdx"),
    ]


def test_esm_and_jsx_lines_hold_no_headings_or_references():
    scan = scan_markdown("import x from 'y'\nexport const a = `src/x.ts`;\n\n<Box>\n\n## Real\n\n</Box>\n", mdx=True)
    assert [h[1] for h in scan.headings] == ["Real"]
    assert scan.paths == [] and scan.code_spans == []
    plain = scan_markdown("    `src/x.ts` in an indented block\n", mdx=True)
    assert [p.path for p in plain.paths] == ["src/x.ts"]


JSXISH = st.text(alphabet="<>/{}'\"=` \n\tabcLinkhreftoimportexport#.-:", max_size=300)


@settings(max_examples=200, deadline=None)
@given(JSXISH)
def test_no_jsx_crashes_the_scan(text):
    scan = scan_markdown(text, mdx=True)
    for link in scan.links:
        assert 1 <= link.span.line <= max(scan.line_count, 1)


def test_a_jsx_comment_holding_a_fence_hides_nothing_after_it():
    text = "# Top\n\n{/*\n```ts\nconst x = 1;\n*/}\n\n## After\n\n{/* one line */}\n\n## Later\n"
    scan = scan_markdown(text, mdx=True)
    assert [h[1] for h in scan.headings] == ["Top", "After", "Later"]
