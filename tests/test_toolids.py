"""Ids a docs tool makes that no slugger doclint has gives: API member headings, the entries
of an MDX component's list prop, ids set at a heading's end."""

from __future__ import annotations

import json

from conftest import installed
from doclint.toolids import component_entries, member_headings

# An API page as reference generators write them: every heading names a member.
WIDGET_API = """\
# class: Widget

## async method: Widget.render

### option: Widget.render.fullPage

### option: Widget.render.-inline- = %%-shared-render-options-%%

## event: Widget.close

## method: Widget.toHaveCSS#1
"""

GUIDE = """\
# Guide

## Note: careful

- [render](./api/class-widget.md#widget-render)
- [its option](./api/class-widget.md#widget-render-option-full-page)
- [the event](./api/class-widget.md#widget-event-close)
- [the first form](./api/class-widget.md#widget-to-have-css-1)
- [an inlined option](./api/class-widget.md#widget-render-option-scale)
- [here](#careful)
"""


def findings(root) -> list[tuple[str, str, int, str]]:
    run = installed(["check", "--format", "json"], root)
    assert run.returncode in (0, 1), run.stderr
    return [(f["code"], f["severity"], f["line"], f["target"]) for f in json.loads(run.stdout)["findings"]]


def test_member_anchors_of_an_api_page_are_not_reported(repo):
    root = repo({"docs/api/class-widget.md": WIDGET_API, "docs/guide.md": GUIDE})
    assert findings(root) == [
        # a fragment no member heading's words make: the tool's scheme is unknown, so a warning
        ("DL007", "warning", 9, "docs/api/class-widget.md#widget-render-option-scale"),
        # a guide's "## Note: careful" is GitHub's `note-careful`: a definite miss
        ("DL007", "error", 10, "#careful"),
    ]


def test_member_headings_need_an_api_page():
    assert member_headings(["Intro", "Note: careful", "Usage"]) == ()
    assert member_headings(["class: A", "method: A.b", "Usage", "Notes"]) == ()  # two of four
    words = member_headings(["class: A", "method: A.run", "event: A.close"])
    assert [sorted(name) for name, _kind in words] == [["a"], ["a", "run"], ["a", "close"]]


REFERENCE = """\
import { PropsTable } from '../components';

# `render()`

<PropsTable
  content={[
    {
      name: 'onFinish',
      type: 'Callback',
      properties: [

        { name: 'result', type: 'Result' },
      ],
    },
    { name: 'initialAIState', type: 'State' },
  ]}
/>

## Returns {#returns-value}

## Stringbools [#stringbool]
"""

USES = """\
# Uses

[on finish](./reference.mdx#on-finish), [state](./reference.mdx#initial-ai-state),
[returns](./reference.mdx#returns-value), [bools](./reference.mdx#stringbool).
[nested](./reference.mdx#result) and [gone](./reference.mdx#on-start).
"""


def test_ids_a_component_gives_its_entries_are_not_reported(repo):
    root = repo({"docs/reference.mdx": REFERENCE, "docs/uses.md": USES})
    assert findings(root) == [
        ("DL007", "error", 5, "docs/reference.mdx#result"),  # nested entry: the component composes its id
        ("DL007", "error", 5, "docs/reference.mdx#on-start"),
    ]


def test_component_entries_are_the_list_props_own():
    entries = component_entries(REFERENCE)
    assert {"on-finish", "onfinish", "initial-ai-state", "callback", "state"} <= entries
    assert "result" not in entries and "render" not in entries
    assert component_entries("# Title\n\nText with content={[ in prose.\n") == frozenset()
    assert component_entries("<Broken content={[{ name: 'x' \n") <= {"x"}  # no crash on bad JSX
