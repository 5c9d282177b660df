"""DL001/DL002 for paths in inline code: a relative path given under a folder the text names."""

from __future__ import annotations

import json

from conftest import installed

TREE = {
    "pkg/core/src/server/har/recorder.ts": "export const a = 1;\n",
    "pkg/core/src/server/page.ts": "export const b = 1;\n",
    "pkg/core/src/bundle.ts": "export const c = 1;\n",
    "pkg/core/src/client/api.ts": "export const d = 1;\n",
}

SKILL = """\
# Layout

**server/** can import from:
- `../bundle.ts`, `../protocol/`
- `./har/`, `./codegen/`
  - nested: `./page.ts`

In `src/client/`, the entry is `./api.ts` and the recorder is `./har/`.

Outside any label, `./page.ts` is relative to this doc.
"""


def test_relative_paths_resolve_from_the_folder_the_text_names(repo):
    root = repo({**TREE, ".claude/skills/dev/SKILL.md": SKILL}, with_runtime=False)
    run = installed(["check", "--format", "json"], root)
    found = [(f["code"], f["line"], f["target"]) for f in json.loads(run.stdout)["findings"]]
    assert found == [
        ("DL001", 4, "../protocol/"),  # not beside server/ either
        ("DL001", 5, "./codegen/"),
        ("DL001", 8, "./har/"),  # its label is `src/client/`, which has no har/
        ("DL002", 10, "./page.ts"),  # no label: from the doc, where it is not
    ]


def test_a_label_many_folders_answer_to_names_none(repo):
    folders = {f"pkg/p{n}/server/har/x.ts": "export const x = 1;\n" for n in range(4)}
    root = repo({**folders, "CLAUDE.md": "**server/** holds `./har/`.\n"}, with_runtime=False)
    run = installed(["check", "--format", "json"], root)
    assert [(f["code"], f["target"]) for f in json.loads(run.stdout)["findings"]] == [("DL001", "./har/")]
