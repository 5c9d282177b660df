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


SPEC_TREE = {
    "docs/spec/01-model.md": "# Model\n",
    "docs/spec/03-runtime.md": "# Runtime\n\none\ntwo\n",
    "notes/old/00-vision.md": "# An older vision\n",
    "notes/old/03-runtime.md": "# Runtime notes\n",
    "setup/vitest.config.ts": "export default {};\n",
    "base.config.ts": "export default {};\n",
}

SPEC_README = """\
# Reading order

The spec lives in `docs/spec/`:

- `00-vision.md` — why
- `01-model.md` — what
- `02-api.md` — how
- `03-runtime.md:2-9` — when

In `docs/spec/`, read `01-model.md` first; `03-runtime.md` is the last.
Tests sit under `setup/`. The shared config is `base.config.ts`.
Changes under `docs/spec/**` must keep `base.config.ts` green.
"""


def test_a_file_name_resolves_in_the_folder_the_text_names(repo):
    root = repo({**SPEC_TREE, "README.md": SPEC_README}, with_runtime=False)
    found = json.loads(installed(["check", "--format", "json"], root).stdout)["findings"]
    assert [(f["code"], f["line"], f["target"], f["severity"], f.get("suggestion")) for f in found] == [
        # not the file of that name elsewhere: the one the text places in docs/spec/
        ("DL002", 5, "00-vision.md", "error", "notes/old/00-vision.md"),
        ("DL001", 7, "02-api.md", "error", None),  # found nowhere, but said to be in docs/spec/: an error
        ("DL003", 8, "03-runtime.md", "error", None),  # docs/spec/03-runtime.md has 4 lines
        # line 10: both in docs/spec/, though 03-runtime.md has a namesake; line 11: another
        # sentence names setup/; line 12: `docs/spec/**` is a glob, not the folder of what follows
    ]
    assert found[0]["fix"]["applicability"] == "unsafe"  # chosen by name: a guess


def test_a_relative_path_found_only_from_the_root_is_judged_in_the_folder_the_text_names(repo):
    skill = ("# Layout\n\n**server/** can import from:\n- `./har/`, `./tools/`\n\n"
             "In **server/**, run `./tools/lint.sh` from the repository root.\n")
    root = repo({**TREE, "tools/lint.sh": "#!/bin/sh\n", ".claude/skills/dev/SKILL.md": skill}, with_runtime=False)
    found = json.loads(installed(["check", "--format", "json"], root).stdout)["findings"]
    # `./tools/` is the root's, as a command from the root would be, but not server/'s
    assert [(f["code"], f["line"], f["target"]) for f in found] == [("DL001", 4, "./tools/")]


def test_a_module_specifier_under_a_list_the_text_names_a_folder_for(repo):
    skill = ("# Layout\n\n**server/** can import from:\n- `./har/recorder`, `./codec`\n- `../bundle`\n\n"
             "Point it at `./lib` from **server/**, not the root.\n")
    root = repo({**TREE, ".claude/skills/dev/SKILL.md": skill}, with_runtime=False)
    found = json.loads(installed(["check", "--format", "json"], root).stdout)["findings"]
    # `./har/recorder` is server/har/recorder.ts and `../bundle` src/bundle.ts; in prose, a
    # specifier stays relative to some importing file
    assert [(f["code"], f["line"], f["target"]) for f in found] == [("DL001", 4, "./codec")]
