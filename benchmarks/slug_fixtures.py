"""Run doclint's GitHub slugs against github-slugger's fixture suite.

Usage: python benchmarks/slug_fixtures.py PATH/TO/github-slugger/test/fixtures.json

Each case is checked twice, in the suite's order (repeats get `-1`, `-2`): the slugger
on the raw input, and a Markdown heading (`# input`, or the case's own Markdown form)
scanned as a doc, whose heading text markdown-it produces. A case whose input no heading
can carry (markdown-it trims and rewrites some characters) is listed as such.
"""

from __future__ import annotations

import json
import re
import sys

from doclint.mdrefs import scan_markdown
from doclint.slugs import Slugger


def _escaped(text: str) -> str:
    """The input as heading text: every ASCII punctuation character backslash-escaped, as
    CommonMark allows, so that `__proto__` is not read as emphasis."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", text)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as handle:
        cases = json.load(handle)
    slugger = Slugger()
    direct = sum(slugger.slug(case["input"]) == case["expected"] for case in cases)
    # One document holding every heading, in order: duplicates number as in the suite.
    markdown = "\n\n".join(case.get("markdownOverwrite") or "# " + _escaped(case["input"]) for case in cases)
    headings = scan_markdown(markdown).headings
    producible = agree = 0
    for case, (_line, text, slug) in zip(cases, headings, strict=True):
        if text != case["input"]:
            print(f"not from Markdown: {case['name']!r} (the heading's text is {text!r})")
            continue
        producible += 1
        if slug == case["expected"]:
            agree += 1
        else:
            print(f"disagrees: {case['name']!r}: {slug!r}, expected {case['expected']!r}")
    print(f"slugger: {direct} of {len(cases)} agree; Markdown headings: {agree} of {producible} "
          f"producible cases agree ({len(cases) - producible} cannot arise from a heading)")
    return 0 if agree == producible else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
