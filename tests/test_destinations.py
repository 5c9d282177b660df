"""Link destinations as written: where the scan finds them, and rewriting one in its form."""

from __future__ import annotations

from urllib.parse import unquote

from hypothesis import given, settings
from hypothesis import strategies as st

from doclint.destinations import rewrite_destination
from doclint.mdrefs import scan_markdown
from doclint.tree import text_lines


def written_at(text: str):
    """(line, column, written) of every link the scan records, checked against the text."""
    lines = text_lines(text)
    found = []
    for link in scan_markdown(text).links:
        span = link.span
        if link.href_found:
            assert lines[span.line - 1][span.column - 1 : span.end_column - 1] == link.written
        found.append((span.line, span.column, link.written))
    return found


def test_destinations_are_located_where_written():
    text = ("[a](x.md \"a (title) x.md\") [b]( <y z.md>  'y') ![c](x.md) [d][D] [e]\n"
            "> [f][D]\n"
            ">\n"
            "> [d]: <d.md#h>\n"
            "\n"
            "- item [g](\n"
            "  g.md)\n"
            "\n"
            "[e]:\n"
            "   e.md \"title\"\n"
            "[D]: first.md\n"  # the same label as [d], which the first definition holds
            "[d]: second.md\n")
    assert written_at(text) == [
        (1, 5, "x.md"), (1, 33, "<y z.md>"), (1, 53, "x.md"), (4, 8, "<d.md#h>"), (10, 4, "e.md"), (7, 3, "g.md")]


def test_a_link_without_a_certain_place_has_nothing_to_rewrite():
    [link] = scan_markdown("[a]()\n").links or [None]
    assert link is None or not link.href_found


def test_rewriting_keeps_the_written_form():
    assert rewrite_destination("../a.ts?plain=1#L4-L6", fragment="L6-L8") == "../a.ts?plain=1#L6-L8"
    assert rewrite_destination("<../my file.ts#L4>", path="../your file.ts") == "<../your file.ts#L4>"
    assert rewrite_destination("../my%20file.ts", path="../your file.ts") == "../your%20file.ts"
    assert rewrite_destination("<../my%20file.ts>", path="../your file.ts") == "<../your%20file.ts>"
    assert rewrite_destination("../plain.ts#top", path="../with space (1).ts") == "../with%20space%20%281%29.ts#top"
    assert rewrite_destination("a.ts", path="b.ts", fragment="L2") == "b.ts#L2"
    assert rewrite_destination("a%C3%A9.ts#x", path="b\u00e9.ts") == "b%C3%A9.ts#x"


path_text = st.text(alphabet="ab/. %#?()<>\\\u00e9\t", min_size=1, max_size=12).filter(
    lambda p: p.strip() == p and not p.startswith(("/", "<")))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["old.ts", "<old.ts>", "o%20ld.ts", "<o ld.ts>"]),
       st.sampled_from(["", "?plain=1"]), st.sampled_from(["", "#L1-L2"]), path_text, st.booleans())
def test_a_rewritten_destination_reads_back_as_the_new_path(form, query, fragment, new_path, definition):
    """Whatever the new path holds, Markdown reads the rewritten destination as that path,
    with the query and fragment the author wrote."""
    angle = form.startswith("<")
    written = form[:-1] + query + fragment + ">" if angle else form + query + fragment
    new = rewrite_destination(written, path=new_path)
    text = f"[t][r]\n\n[r]: {new}\n" if definition else f"[t]({new})\n"
    [link] = scan_markdown(text).links
    assert link.written == new
    assert unquote(link.target) == new_path
    assert link.href.endswith(query + fragment) and ("?" in link.href) == bool(query)
