"""The faster reading of a doc (markdown-it-pyrs) gives the scan markdown-it-py gives, or
steps aside: every case here is scanned both ways and the two scans compared whole."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from doclint import mdaccel, serial
from doclint.mdrefs import scan_markdown

pytestmark = pytest.mark.skipif(not mdaccel.available(), reason="markdown-it-pyrs is not installed")


def both(text: str, mdx: bool = False) -> tuple[str, str]:
    fast = json.dumps(serial.encode_doc(scan_markdown(text, mdx)), sort_keys=True)
    with mdaccel.turned_off():
        pure = json.dumps(serial.encode_doc(scan_markdown(text, mdx)), sort_keys=True)
    return fast, pure


# Each of these is read the faster way (block_tokens is not None) and scans the same.
ACCELERATED = {
    "headings": "# Title `a/b.ts` #\n\n## Closing hashes ##   \n\n###No space is text\n\n#\n\n"
                "Setext `x`\nover two lines\n====\n\nSub\n---\n",
    "paragraphs": "One `src/a.ts:1-4` line.\n    indented continuation `run()`\n  and `I7` here\n\n"
                  "Trailing spaces make a break  \nnext line\\\nafter a backslash\n",
    "links across lines": "See [the\n   runtime docs](docs/x.md#part) and ![an\nimage](img/a.png).\n"
                          "<span\n  id=\"there\">html</span>.\n\nA `code\n   across` lines.\n",
    "emphasis": "*em `a.ts`* **strong** ~~gone `b.ts`~~ _under_score_ a * b ** c\n",
    "blockquotes": "> quoted `a/b.ts`\n>   kept indentation `e.ts`\n>\n> > nested `f/g.ts`\n"
                   ">> more `h.ts`\n>\n> back out\n\n   > indented marker `i.ts`\n   >  two spaces\n",
    "lists": "- tight `a.ts`\n- item\n  continued `b.ts`\n  - nested `c.ts`\n    - deeper `d.ts`\n\n"
             "1. loose\n\n2. loose `e.ts`\n   with more\n\n   and a second paragraph `f.ts`\n\n"
             "- > quote in a list `g.ts`\n  > more\n\n*   wide marker `h.ts`\n\n10) paren `i.ts`\n",
    "tables": "| a | `b.ts` |\n|---|:--:|\n| `x/y.ts` | y \\| z |\n| one |\n| 1 | 2 | 3 |\n\n"
              "- | in | list |\n  |----|----|\n  | `l.ts` | m |\n\n> | q | r |\n> |---|---|\n> | `s.ts` | t |\n\n"
              "no | pipes | at ends\n--- | --- | ---\nc | `d.ts` | e\n",
    "code": "```ts excerpt=src/a.ts:1-2\nconst a = 1;\n```\n\n  ~~~\n  indented fence\n    keeps\n  ~~~\n\n"
            "    indented code `z.ts`\n\n- ```\n  fence in a list\n  ```\n\n```\nunclosed\n",
    "html": "<div id=\"anchor\">\n<!-- doclint-disable-next-line DL001 -->\n</div>\n\n"
            "<!-- doclint-disable DL002 -->\n`a.ts` <!-- doclint-enable -->\n",
    "rules and breaks": "a\n\n---\n\n***\n\nb\n___\n",
    "a tab after a list marker": "1.\tStep `a.ts`\n2.\tNext `b.ts`\n   continued `c.ts`\n\n-\titem `d.ts`\n"
                                 "  - nested `e.ts`\n",
    "tabs in a top-level fence": "```go\nfunc main() {\n\tfmt.Println(`x`)\n}\n```\n\nText\twith a tab `a.ts`\n",
    "non-ascii": "# Überschrift `ä/ö.ts`\n\n- ✅ `src/ünï.ts` done\n  ∑ continued `b.ts`\n\n"
                 "| ä | ö |\n|---|---|\n| `ü.ts` | ß |\n",
    "front matter": "---\ntitle: x\nfiles: src/**\n---\n\n# After `a.ts`\n",
    "empty": "",
    "only blank lines": "\n\n\n",
    "a declaration only markdown-it-py reads as HTML": "1<!a1> `a.ts`\n",
    "entities and escapes": "&amp; `a.ts` \\_not em\\_ &copy; `b.ts` &#35;\n",
    # an open bracket with backticks pyrs is safe on
    "pipes in code spans, no table": "- [ ] Has `op: 'min' | 'max'` and `a|b` `c`\n",
    "angle brackets in code spans": "- [ ] Return `Omit<T, 'id'>`; wrap `<input type=\"color\">` `a.ts`\n",
    "a tag without backticks": "See [x](y.md) and <span title='t'>`z.ts`</span>\n",
    "escaped pipes beside backticks in a row": "a|b\n-|-\n\\||`b`\n\nc|b\n-|-\n`\\||-\n",
}

# Each of these is read by markdown-it-py alone (block_tokens is None), and still scans alike.
FALLBACK = {
    "tab indentation": "- item\n\tcontinued `a.ts`\n",
    "two tabs after a marker": "-\t\titem `a.ts`\n",
    "a tab after a marker in a blockquote": "> -\titem `a.ts`\n",
    "a tab after a marker, another in the text's indentation": "1.\tstep `a.ts`\n\tmore `b.ts`\n",
    "carriage returns": "one `a.ts`\r\ntwo\r\n",
    "nul": "a\0b `c.ts`\n",
    "reference definitions": "[link][ref] `a.ts`\n\n[ref]: src/b.ts\n",
    "open bracket and a lone backtick": "[`a` and `b c\n",
    "open bracket, a table cell's lone backtick": "| [`a | b` |\n|---|---|\n",
    "open bracket, a backtick in a tag's attribute": "[x <a title='`'> `y.ts`\n",
    "open bracket, a backtick in a tag's attribute over lines": "> [x <a\n> title='`'> `y.ts`\n",
    "open bracket, a backtick in an autolink": "[x <http://a`b> `y.ts`\n",
    "open bracket, a backtick in a comment": "[x <!-- ` --> `y.ts`\n",
    "open bracket, a backtick in an email autolink": "[x <`a@b.c> `y.ts`\n",
    "open bracket, a tag over a quote's line that cannot start a list": "> [ <a b=\n> 2. c=\"`\"> x`\n",
    "code span across a break in a list": "- a `b\n     c.ts` d\n",
    "lazy continuation in a blockquote": "> quoted `a/b.ts`\nlazy `c/d.ts` line\n",
    "lazy list item in a blockquote": ">1\n`\n2) two\ntext `src/a.ts:3-9` and `run()`\n",
    "an HTML block only markdown-it-py sees": "<!a1\n`a.ts`\n",
    "a table only markdown-it-py sees, in a blockquote's place": "> |\n---\n",
    "a table only markdown-it-py sees, in a setext heading's place": "1|\n---\n",
    "a table only markdown-it-py sees, in a list": "- |1\n  ---\n",
    "a table only pyrs sees, after a blockquote's lazy line": "> quote `q.ts`\n| a | b |\n|---|---|\n",
    "a table only pyrs sees, after a list item": "- | a | b |\n- |1\n|---|---|\n",
    "a table only pyrs sees, over an empty item": "1|1\n|---|---|\n- \n",
    # found in review
    "no-break space": "\xa0I7 para\n",
    "form feed": "\x0cI7 para\n",
    "an unclosed fence at a doc's end without a newline": "```\na",
    "HTML of kind 7 right after text": "a\n<a>\n|-|\n`x.ts`\n",
    "indented code right after a lazy line": ">>2\n    !\n>|-",
    "a table markdown-it-py sees over indented code in a blockquote": ">     |:\n-|-\n",
    "content starting with `>` in a list in a blockquote": "> - a\n>       > I7 b\n",
    # found in review of the tab and panic-screen changes
    "emphasis first after a tab after a marker": "-\t*a*\n a1\n    2\n",
    "a fence's line over a delimiter row": "```|\n|-\n",
    "an item after an empty one, over a delimiter row": "9.\n\n0. |b\n-|-\n",
    "an empty first item, then a pipe over a delimiter row": "-\n\n- |\n-|\n",
    "a lazy line after an item's paragraph": "2. |\n`\n    |-\n`\n",
    "a lazy line in a blockquote": ">>`:``\n`\n>|-\n",
    "deep nesting": "> " * 40 + "deep `a.ts`\n",
    "deep lists": "".join("  " * i + "- level\n" for i in range(30)),
}


@pytest.mark.parametrize("name", sorted(ACCELERATED))
def test_accelerated_docs_scan_as_markdown_it_py_scans_them(name: str) -> None:
    text = ACCELERATED[name]
    assert mdaccel.block_tokens(text) is not None
    fast, pure = both(text)
    assert fast == pure


@pytest.mark.parametrize("name", sorted(FALLBACK))
def test_docs_the_faster_reading_may_not_agree_on_are_left_to_markdown_it_py(name: str) -> None:
    text = FALLBACK[name]
    assert mdaccel.block_tokens(text) is None
    fast, pure = both(text)
    assert fast == pure


def test_emphasis_next_to_a_symbol_is_parsed_by_markdown_it_py() -> None:
    """markdown-it-py counts `©` and `😀` as punctuation beside a delimiter; pyrs does not."""
    for text in ("©_c7_\n", "a*😀*b I7\n", "x~~😀~~y I7\n"):
        assert mdaccel.block_tokens(text) is not None
        fast, pure = both(text)
        assert fast == pure


# Inputs that crashed pyrs (a tree nested tens of thousands deep), made it print a panic, or
# took the checks quadratic time: each is scanned in a process of its own, which must end
# at once, cleanly and silently.
HOSTILE = [
    "'>\\t' * 50000 + 'x\\n'",
    "'-\\t' * 30000 + 'x\\n'",
    "'\\n    >\\n'.join(['![' * 225] * 200) + 'a' + '\\n    >\\n'.join(['](x)' * 225] * 200) + '\\n'",
    "'| [`a | `b |\\n|-|-|\\n'",
    "\"[<a title='`'>`x\\n\"",
    "'[<http://a`b> `x\\n'",
    "'-->]&[|&:<http://&<?>(``- ?>``<!--['",
    "'*#[-->&\\n    >\\n\\\\?>}:`>'",
    "'```go\\n' + '\\tx := 1\\n' * 80000 + '```\\n'",
    "'```\\n```\\n' * 20000 + 'a|b\\n\\n' * 20000",
    "'[<`@y>`'",
    "'[`' + '<a b=\"' * 30000",
]


@pytest.mark.parametrize("expression", HOSTILE)
def test_hostile_docs_end_cleanly_and_silently(expression: str) -> None:
    done = subprocess.run([sys.executable, "-c", f"from doclint.mdrefs import scan_markdown; scan_markdown({expression})"],
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "RUST_BACKTRACE": "0"})
    assert (done.returncode, done.stderr) == (0, "")


def test_mdx_is_always_read_by_markdown_it_py() -> None:
    text = "import X from './x'\n\n# Title `a.ts`\n\n    not code in MDX `b.ts`\n"
    fast, pure = both(text, mdx=True)
    assert fast == pure


def test_a_hostile_doc_is_read_without_recursion_errors() -> None:
    for text in ("> " * 100_000 + "x\n", "- " * 20_000 + "x\n", "[" * 100_000, "*" * 100_000 + "a" + "*" * 100_000):
        scan_markdown(text)


def test_the_environment_switch_turns_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    assert mdaccel.block_tokens("# a\n") is not None
    with mdaccel.turned_off():
        assert mdaccel.block_tokens("# a\n") is None
    assert mdaccel.block_tokens("# a\n") is not None
    monkeypatch.setenv("DOCLINT_PURE_PARSER", "1")
    mdaccel._parser.cache_clear()
    try:
        assert mdaccel.block_tokens("# a\n") is None
    finally:
        monkeypatch.delenv("DOCLINT_PURE_PARSER")
        mdaccel._parser.cache_clear()


# Lines a generated doc is made of: containers, block starts, inline syntax, indentation.
_LINE = st.one_of(
    st.sampled_from(["", "", "# Head `a.ts`", "## h ##", "Setext", "===", "---", "***", "```", "```ts", "~~~",
                     "    code `c.ts`", "<div id=\"x\">", "</div>", "<!-- doclint-disable-line -->", "| a | b |",
                     "|---|---|", "| `x.ts` | y \\| z |", "a | b", "- item `l.ts`", "* star", "1. one", "2) two",
                     "> quote `q.ts`", "> > deep", "  continued `k.ts`", "   - nested", "     five spaces",
                     "text `src/a.ts:3-9` and `run()`", "`multi", "line` span", "[link](docs/a.md#x)", "[broken",
                     "![img](i.png)", "<span>inline</span>", "*em* and **strong** ~~s~~", "trailing  ", "back\\",
                     "&amp; &#35; \\_", "I7 and R2D2", "\t`tab.ts`", "```go", "\tfmt.Println()", "é ü `ñ.ts`"]),
    st.text(alphabet=" `#*_-=|>[]()!<&\\:.\tabc1é©😀\xa0\x0c", max_size=12),
)


# What a generated line may start with: nothing, indentation, container markers.
_PREFIX = st.sampled_from(["", "", "", "  ", "   ", "    ", "> ", ">", "> > ", "- ", "* ", "1. ", "2) ", "  - ",
                           "    - ", "> - ", "- > ", "-", "1.", "   > "])


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_PREFIX, _LINE), max_size=16), st.booleans())
def test_generated_docs_scan_alike_both_ways(lines: list[tuple[str, str]], final_newline: bool) -> None:
    """Each case of FALLBACK from `lazy list item` on was found this way."""
    text = "\n".join(prefix + line for prefix, line in lines) + ("\n" if final_newline else "")
    fast, pure = both(text)
    assert fast == pure


def test_the_installed_command_gives_the_same_findings_either_way(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "run.ts").write_text("export function run(): void {}\nexport const state = { a: 1 };\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text(
        "# Run\n\n- `run()` lives in `src/run.ts`\n  and `src/gone.ts` is gone\n\n"
        "| name | where |\n|---|---|\n| `runIt()` | `src/run.ts:1-9` |\n\n> See [b](b.md#nowhere).\n")
    (tmp_path / "docs" / "b.md").write_text("# B\n\n```ts\nrun();\n```\n")
    (tmp_path / "doclint.toml").write_text('docs = ["docs/**/*.md"]\nsources = ["src/**/*.ts"]\n')
    doclint = str(Path(sys.executable).parent / "doclint")
    outputs = []
    for pure in (False, True):
        env = {k: v for k, v in os.environ.items() if k != "DOCLINT_PURE_PARSER"}
        if pure:
            env["DOCLINT_PURE_PARSER"] = "1"
        done = subprocess.run([doclint, "check", "--no-cache", "--format", "json"], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 1, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert {f["code"] for f in json.loads(outputs[0])["findings"]} >= {"DL001", "DL003"}
