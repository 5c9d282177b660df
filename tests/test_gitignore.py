"""Files git ignores are neither docs nor sources, and paths into them are not reported missing."""

from __future__ import annotations

import json

from conftest import git, installed, write_tree

IGNORES = "dist/\n*.log\n/out\n!keep.log\n"


def _findings(root, *args):
    run = installed(["check", "--format", "json", *args], root)
    assert "Traceback" not in run.stderr, run.stderr
    return run, json.loads(run.stdout)


def test_ignored_files_are_not_docs_or_sources(repo):
    root = repo({
        ".gitignore": IGNORES,
        "dist/guide.md": "Broken: `src/runtime/nothing.ts`.\n",
        "dist/bundle.ts": "export function onlyInTheBuild(): void {}\n",
        "docs/a.md": "Call `onlyInTheBuild()`.\n",
    })
    run, data = _findings(root)
    assert [(f["path"], f["code"]) for f in data["findings"]] == [("docs/a.md", "DL004")]
    assert data["summary"]["docs"] == 1
    # respect-gitignore = false reads them again
    (root / "doclint.toml").write_text('docs = ["**/*.md"]\nrespect-gitignore = false\n')
    run, data = _findings(root)
    assert sorted(f["path"] for f in data["findings"]) == ["dist/guide.md"]


def test_paths_to_build_and_run_products_are_not_missing(repo):
    root = repo({
        ".gitignore": IGNORES,
        "packages/app/.gitignore": "generated/\n",
        "docs/a.md": "Build writes `dist/index.js`, logs go to `server.log` and `out/report.json`;\n"
                     "codegen fills `packages/app/generated/api.ts`. But `packages/app/src/gone.ts` is gone\n"
                     "and so is `logs/keep.log` (re-included by `!keep.log`), unlike `logs/x.log`.\n",
        "logs/readme.txt": "kept\n",
        "packages/app/src/main.ts": "export const x = 1;\n",
    })
    run, data = _findings(root)
    assert sorted(f["target"] for f in data["findings"]) == ["logs/keep.log", "packages/app/src/gone.ts"]


def test_a_folder_written_with_its_slash_matches_a_folder_only_ignore(repo):
    # `dist/` in .gitignore ignores folders only: `./dist/` (written as a folder) in an example's
    # README is a build product; `./gone/` is not ignored and is reported.
    root = repo({
        ".gitignore": IGNORES,
        "examples/site/README.md": "`npm run build` builds to `./dist/`, [output](./dist/); see `./gone/`.\n",
        "examples/site/src/index.ts": "export const x = 1;\n",
    })
    run, data = _findings(root)
    assert sorted(f["target"] for f in data["findings"]) == ["./gone/"]


def test_ignore_files_above_the_root_and_the_repository_exclude_file(tmp_path):
    top = write_tree(tmp_path / "top", {
        ".gitignore": "site/docs/drafts/\n",
        "site/doclint.toml": 'docs = ["**/*.md"]\n',
        "site/docs/drafts/wip.md": "See `docs/nothing.md`.\n",
        "site/docs/scratch/x.md": "See `docs/nothing.md`.\n",
        "site/docs/real.md": "# Real\n",
    })
    git(top, "init", "-q")
    (top / ".git/info").mkdir(parents=True, exist_ok=True)
    (top / ".git/info/exclude").write_text("scratch/\n")
    run, data = _findings(top / "site")
    assert data["findings"] == [] and data["summary"]["docs"] == 1


def test_a_plain_folder_outside_git_still_honours_its_own_gitignore(tmp_path):
    root = write_tree(tmp_path / "plain", {"doclint.toml": "", ".gitignore": "build/\n",
                                           "build/x.md": "`src/none.ts`\n", "a.md": "# A\n"})
    run, data = _findings(root)
    assert data["findings"] == [] and data["summary"]["docs"] == 1
