"""Paths written from a workspace package's root (`src/core/x.ts` for `apps/desktop/src/core/x.ts`),
through the installed command, and the manifests that declare the packages."""

from __future__ import annotations

import json

import pytest

from conftest import git, installed, write_tree
from doclint.globs import GlobSet
from doclint.packages import find_packages, workspace_patterns
from doclint.tree import FileTree

DESKTOP = {
    "apps/desktop/package.json": '{"name": "desktop"}\n',
    "apps/desktop/src/core/engine.ts": "export function boot(): void {}\n",
    "apps/desktop/src/runtime/loop.ts": "export const tick = 1;\n",
    "packages/ui/package.json": '{"name": "ui"}\n',
    "packages/ui/src/widgets/button.ts": "export const button = 1;\n",
    "packages/ui/test/fixtures/demo/package.json": '{"name": "demo"}\n',
    "packages/ui/test/fixtures/demo/src/pages/home.ts": "export const home = 1;\n",
}
NPM = {"package.json": '{"private": true, "workspaces": ["apps/*", "packages/*", "packages/ui/test/fixtures/*"]}\n'}

AGENT_FILE = """\
# Working here

- The engine is `src/core/engine.ts`; the scheduler is `src/core/scheduler.ts`.
- Widgets live in `src/widgets/slider.ts`.
- The loop was `src/core/loop.ts`.
- A page of some other app: `src/app/page.tsx`, and `src/pages/about.ts`.
- Protocol methods: `tools/list`, `resources/read`.
"""


def _findings(root, *args: str) -> list[tuple[str, int, str, str | None]]:
    run = installed(["check", "--format", "json", *args], root)
    assert "Traceback" not in run.stderr, run.stderr
    return [(f["code"], f["line"], f["target"], f.get("suggestion")) for f in json.loads(run.stdout)["findings"]]


def test_an_agent_file_path_is_read_in_the_package_that_has_its_folder(repo):
    root = repo({**NPM, **DESKTOP, "CLAUDE.md": AGENT_FILE}, with_runtime=False)
    assert _findings(root) == [
        ("DL001", 3, "src/core/scheduler.ts", None),  # src/core/ is apps/desktop's; the file is not there
        ("DL001", 4, "src/widgets/slider.ts", None),  # src/widgets/ is packages/ui's
        ("DL002", 5, "src/core/loop.ts", "src/runtime/loop.ts"),  # a guess by name, in the package's frame
        # src/app/ is no package's; src/pages/ only a test fixture's; `tools/list` is no file
    ]


def test_the_guess_is_an_unsafe_fix_and_a_git_rename_a_safe_one(repo):
    root = repo({**NPM, **DESKTOP, "apps/desktop/src/core/queue.ts": "export const queue = 1;\n",
                 "AGENTS.md": "Jobs wait in `src/core/queue.ts`; the loop was `src/core/loop.ts`.\n"},
                with_runtime=False)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "start")
    (root / "apps/desktop/src/jobs").mkdir()
    git(root, "mv", "apps/desktop/src/core/queue.ts", "apps/desktop/src/jobs/queue.ts")
    git(root, "commit", "-qm", "move the queue")
    found = json.loads(installed(["check", "--format", "json"], root).stdout)["findings"]
    assert [(f["code"], f["target"], f["fix"]["applicability"]) for f in found] == [
        ("DL002", "src/core/queue.ts", "safe"),  # git saw the rename
        ("DL002", "src/core/loop.ts", "unsafe"),  # the one file of that name: a guess
    ]
    installed(["fix"], root)
    assert (root / "AGENTS.md").read_text() == ("Jobs wait in `src/jobs/queue.ts`; "
                                                "the loop was `src/core/loop.ts`.\n")


def test_an_agent_file_inside_a_package_reads_paths_from_that_package(repo):
    root = repo({**NPM, **DESKTOP, "apps/desktop/.claude/CLAUDE.md": "Start at `src/boot.ts`, then `src/core/gone.ts`.\n"},
                with_runtime=False)
    assert _findings(root) == [("DL001", 1, "src/boot.ts", None), ("DL001", 1, "src/core/gone.ts", None)]


def test_a_guide_names_the_readers_app_so_its_paths_are_not_judged_by_packages(repo):
    guide = "In `src/core/scheduler.ts` of your app, and in `src/widgets/slider.ts`, add a hook.\n"
    root = repo({**NPM, **DESKTOP, "docs/guide.md": guide, "apps/desktop/docs/notes.md": guide},
                with_runtime=False)
    assert _findings(root) == []


def test_without_workspaces_a_deep_path_is_still_another_projects(repo):
    root = repo({**DESKTOP, "CLAUDE.md": AGENT_FILE}, with_runtime=False)
    assert _findings(root) == []


def test_pnpm_workspace_and_tsconfig_roots(repo):
    files = {
        "pnpm-workspace.yaml": "packages:\n  # the apps\n  - 'apps/*'\n  - \"!apps/legacy\"\n",
        "apps/legacy/package.json": "{}\n",
        "apps/legacy/src/old/thing.ts": "export const thing = 1;\n",
        "apps/web/package.json": "{}\n",
        "apps/web/src/routes/home.ts": "export const home = 1;\n",
        "tsconfig.json": '{\n  // module roots\n  "compilerOptions": {"baseUrl": ".", "paths": {"#lib/*": ["./lib/src/*"],},},\n'
                         '  "references": [{"path": "./tools/cli/tsconfig.build.json"}]\n}\n',
        "lib/src/math/linear/vector.ts": "export const v = 1;\n",
        "tools/cli/src/commands/run.ts": "export const run = 1;\n",
        "CLAUDE.md": "- `src/routes/about.ts`\n- `src/old/other.ts`\n- `math/linear/matrix.ts`\n- `math/linear/notes.md`\n"
                     "- `src/commands/stop.ts`\n",
    }
    root = repo(files, with_runtime=False)
    assert _findings(root) == [
        ("DL001", 1, "src/routes/about.ts", None),  # apps/web
        # apps/legacy is excluded by `!apps/legacy`
        ("DL001", 3, "math/linear/matrix.ts", None),  # lib/src, which `paths` maps `#lib/*` to
        # a Markdown file is no module: a TypeScript root is not where it would be
        ("DL001", 5, "src/commands/stop.ts", None),  # tools/cli, a project reference
    ]
    packages = find_packages(FileTree(root, GlobSet([])))
    assert packages.roots == ("apps/web",)
    assert packages.module_roots == ("lib/src", "tools/cli")
    assert packages.manifests == ("pnpm-workspace.yaml", "tsconfig.json")


@pytest.mark.parametrize("manifest, expected", [
    ('{"workspaces": ["a/*", "b"]}', ["a/*", "b"]),
    ('{"workspaces": {"packages": ["a/*"], "nohoist": ["x"]}}', ["a/*"]),
    ('{"workspaces": "a/*"}', []),
    ("{broken", []),
])
def test_workspace_patterns_from_package_json(tmp_path, manifest, expected):
    write_tree(tmp_path, {"package.json": manifest})
    assert workspace_patterns(FileTree(tmp_path, GlobSet([]))) == expected


def test_workspace_patterns_from_pnpm(tmp_path):
    write_tree(tmp_path, {"pnpm-workspace.yaml": "packages: ['a/*', \"b\"]\ncatalog:\n  x: 1\n"})
    assert workspace_patterns(FileTree(tmp_path, GlobSet([]))) == ["a/*", "b"]


def test_a_changed_manifest_is_seen_by_the_cache(repo):
    root = repo({**NPM, **DESKTOP, "CLAUDE.md": "The scheduler is `src/core/scheduler.ts`.\n"}, with_runtime=False)
    assert _findings(root) == [("DL001", 1, "src/core/scheduler.ts", None)]
    (root / "package.json").write_text('{"private": true}\n')
    assert _findings(root) == []  # no workspaces: the path is some other project's
