"""The Markdown scan: where each reference is, and what it is."""

from __future__ import annotations

from doclint.mdrefs import classify_path, classify_symbol, scan_markdown
from doclint.slugs import Slugger, github_slug


def at(scan_list, text):
    return [(r.span.line, r.span.column) for r in scan_list if getattr(r, "path", getattr(r, "name", None)) == text]


def test_positions_in_paragraph_list_quote_and_table():
    doc = (
        "Intro `a/b.ts` here.\n"
        "\n"
        "- item\n"
        "  continued `c/d.ts`\n"
        "\n"
        "> > quoted `e/f.ts`\n"
        "\n"
        "| x | y |\n"
        "|---|---|\n"
        "| `g/h.ts` | `g/h.ts` |\n"
    )
    scan = scan_markdown(doc)
    assert at(scan.paths, "a/b.ts") == [(1, 8)]
    assert at(scan.paths, "c/d.ts") == [(4, 14)]
    assert at(scan.paths, "e/f.ts") == [(6, 13)]
    assert at(scan.paths, "g/h.ts") == [(10, 4), (10, 15)]


def test_repeated_span_on_one_line_gets_each_column():
    scan = scan_markdown("`x/y.ts` and `x/y.ts`\n")
    assert at(scan.paths, "x/y.ts") == [(1, 2), (1, 15)]


def test_code_blocks_are_not_references_but_their_names_are_known():
    scan = scan_markdown("```ts\nconst a = `src/x.ts`; runThing(state.values);\n```\n\n    indented `p/q.ts`\n")
    assert scan.paths == [] and scan.symbols == []
    assert {"runThing", "state", "values", "state.values"} <= scan.code_words


def test_line_range_forms():
    scan = scan_markdown(
        "`a/b.ts:12` `a/b.ts:12-40` `a/b.ts#L5-L9` `a/c.ts` (lines 3-4) `a/d.ts`, line 7 `a/e.ts` (line 2)\n"
    )
    forms = [(r.path, r.lines.start, r.lines.end, r.lines.style) for r in scan.paths]
    assert forms == [("a/b.ts", 12, 12, "colon"), ("a/b.ts", 12, 40, "colon"), ("a/b.ts", 5, 9, "hash"),
                     ("a/c.ts", 3, 4, "text"), ("a/d.ts", 7, 7, "text"), ("a/e.ts", 2, 2, "text")]
    ranges = [(r.lines.start, r.lines.end) for r in scan.paths if r.path == "a/b.ts"]
    assert ranges == [(12, 12), (12, 40), (5, 9)]
    text_range = [r for r in scan.paths if r.path == "a/c.ts"][0].lines
    assert text_range.text == "3-4" and text_range.span.column == 59


def test_names_tied_to_files():
    scan = scan_markdown(
        "`run` in `a/b.ts`, `go()` (`a/c.ts:1-5`), [`stop`](../a/d.ts#L3-L4), `x.ts#sym`, `lone`, `f`, `g.ts`\n"
    )
    tied = {s.name: (s.file, s.lines and (s.lines.start, s.lines.end)) for s in scan.symbols}
    assert tied["run"] == ("a/b.ts", None)
    assert tied["go"] == ("a/c.ts", (1, 5))
    assert tied["stop"] == ("link:../a/d.ts", (3, 4))
    assert tied["lone"] == (None, None)
    assert [p.symbol for p in scan.paths if p.path == "x.ts"] == ["sym"]


def test_links_keep_href_position_and_fragment():
    scan = scan_markdown("See [the doc](../docs/x.md#part-two) and ![img](pic.png).\n")
    link, image = scan.links
    assert (link.target, link.fragment, link.span.column, link.href_found) == ("../docs/x.md", "part-two", 15, True)
    assert image.is_image and image.target == "pic.png"


def test_headings_and_explicit_anchors():
    scan = scan_markdown(
        "# Phase 2: Writes\n\n## Phase 2: Writes\n\n### `executeFrame()` — the loop\n\n"
        "<a name=\"legacy\"></a>\n\nText <span id=\"inline-id\">x</span>\n"
    )
    assert {"phase-2-writes", "phase-2-writes-1", "executeframe--the-loop", "legacy", "inline-id"} <= scan.anchors


def test_suppressions_are_found_in_blocks_and_inline():
    scan = scan_markdown("<!-- doclint-disable-next-line DL001, unknown-symbol -->\ntext <!-- doclint-disable-line -->\n")
    kinds = [(s.kind, s.rules, s.line) for s in scan.suppressions]
    assert kinds == [("disable-next-line", ("DL001", "unknown-symbol"), 1), ("disable-line", (), 2)]


def test_slugs_follow_github():
    assert github_slug("Hello, World!") == "hello-world"
    assert github_slug("Ünïcode — ok") == "ünïcode--ok"
    assert github_slug("snake_case & more") == "snake_case--more"
    slugger = Slugger()
    assert [slugger.slug(t) for t in ("A", "A", "A-1", "A")] == ["a", "a-1", "a-1-1", "a-2"]


def test_classification():
    assert classify_path("src/a.ts:10-20")[:2][0] == "src/a.ts"
    for not_a_path in ("src/*.ts", "~/x.md", "@/x.ts", ".types.ts", "1/2", "a b.ts", "https://x.org/a.md", "Three.j"):
        assert classify_path(not_a_path) is None, not_a_path
    assert classify_symbol("executeFrame(program, state)") == ("executeFrame", "call")
    assert classify_symbol("new FrameRunner()") == ("FrameRunner", "call")
    assert classify_symbol("RuntimeState.eventScalars") == ("RuntimeState.eventScalars", "qualified")
    assert classify_symbol("this.run()") is None
    assert classify_symbol("input = 5.0") is None


def test_links_tie_names_to_the_file_without_query_or_host():
    scan = scan_markdown("`run` in [x](a.ts?plain=1#L5)\n\n[`go`](//cdn.example/a.ts)\n")
    assert [(s.name, s.file, s.lines and (s.lines.start, s.lines.end)) for s in scan.symbols] == [
        ("run", "link:a.ts", (5, 5))]  # `go` names a file on another host: not a claim about this tree


def test_suppressions_in_html_blocks_are_placed_where_written():
    scan = scan_markdown("<!-- note -->  <!-- doclint-disable-line DL001 -->\n\n  <!--\n  doclint-disable DL004\n  -->\n")
    assert [tuple(x.span) for x in scan.suppressions] == [(1, 16, 1, 51), (3, 3, 5, 6)]


def test_a_name_after_a_range_keeps_what_its_context_says():
    [ref] = scan_markdown("`src/a.ts:10-20` - `run` = 3\n").symbols
    assert (ref.file, ref.in_expression) == ("src/a.ts", True)
