"""DL008 unknown-invariant and DL009 invariant-title: spec IDs cited in docs."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from doclint.checks import Doc
from doclint.findings import Problem, Span
from doclint.packs import normalise_title
from doclint.patterns import compile_linear, id_patterns

if TYPE_CHECKING:
    from doclint.context import Context

# What may follow an ID to give its title: "I7: Title", "I7 — Title", "I7 (Title)". In RE2,
# because a backtracking engine takes quadratic time over a long run of spaces after the
# title; `[\s\v\pZ]` and `\n?$` say what Python's `\s` and `$` do.
_TITLE = compile_linear(r"[\s\v\pZ]*(?::|—|–|-|\()[\s\v\pZ]*(?P<title>[^.;:()\n]{3,}?)[\s\v\pZ]*(?:[.;)]|\n?$)")


def check(doc: Doc, ws: Context) -> Iterator[Problem]:
    facts = ws.pack_facts
    if facts is None or facts.invariant_pattern is None:
        return
    cited = id_patterns(facts.invariant_pattern)
    items = doc.scan.texts + doc.scan.code_spans
    for index in cited.texts_citing([text for text, _span in items]):
        text, span = items[index]
        for start, end in cited.citations(text):
            ident = text[start:end]
            where = Span(span.line, span.column + start, span.line, span.column + end)
            titles = facts.invariants.get(ident)
            if not titles:
                yield Problem("DL008", where, f"invariant `{ident}` is not defined in the spec files", target=ident)
                continue
            after = _TITLE.match(text, end)
            if after is None:
                continue
            title = after.group("title")
            if _matches(title, [t for t, _p, _l in titles]):
                continue
            known = "; ".join(f"'{t}' ({p.rsplit('/', 1)[-1]}:{line})" for t, p, line in titles)
            yield Problem("DL009", where, f"`{ident}` is cited as '{title}', but the spec titles it {known}",
                          target=ident, suggestion=titles[0][0])


def _matches(cited: str, titles: list[str]) -> bool:
    said = normalise_title(cited)
    if not said:
        return True
    for title in titles:
        real = normalise_title(title)
        if said == real or real.startswith(said) and len(said.split()) >= 2 or said.startswith(real):
            return True
        if difflib.SequenceMatcher(None, said, real).ratio() >= 0.8:
            return True
    return False
