"""The claim model: each false-alarm family seen on real repositories, in our own words,
and the claims next to them that must still be reported."""

from __future__ import annotations

import json

import pytest

from conftest import installed
from doclint.claims import role

SOURCES = {
    "src/core/sdk/Controller.ts": "export class Controller {\n  getState(): number { return 1; }\n}\n",
    "src/core/index.ts": 'export { Controller } from "./sdk/Controller";\n',
    "src/x/test-helper.ts": "export const helper = 1;\n",
    "src/x/consts.ts": "export const OUTS_DIR = 1;\nexport function tick(): void {}\n",
    "src/opts.test.ts": "const opts = { retries: 1 };\nexport const ctx = { logger: 1 };\n",
    "proto/user.proto": "message User {}\n",
    "mobile/SyncClient.kt": "class SyncClient\n",
    "scripts/setup.sh": "#!/bin/sh\n",
    ".myapp/config.json": "{}\n",
    "tools/build.ts": "export const build = 1;\n",
}


def _found(repo, doc: str, path: str = "docs/guide/x.md", extra: dict | None = None) -> list[tuple[str, str]]:
    root = repo({**SOURCES, path: doc, **(extra or {})})
    run = installed(["check", "--format", "json"], root)
    assert "Traceback" not in run.stderr, run.stderr
    return [(f["code"], f["target"]) for f in json.loads(run.stdout)["findings"]]


@pytest.mark.parametrize("line", [
    # 1. the reader's project, and files a program writes
    "Put your keys in `.myapp/.env` in your project.",
    "Your project's `.myapp/secrets.json` holds them.",
    # 2. examples
    "For example, `tools/lint.ts` would hold it.",
    "Name them by kind (e.g., `bug_fix.md` vs `feature.md`).",
    "Save as `my-plugin.ts` and load it.",
    "The command writes `report.json` and `tools/out.json`.",
    # 3. plans and to-do items
    "- [ ] Add `Builder.setTimeModel()` method",
    "- [ ] `flattenPath()` function created",
    "Tests go in `src/x/flag.test.ts` (new).",
    "Rules live in `src/x/rules.ts` (recommended).",
    # 5. file names in other languages, hosts, a link's own file
    "The client is `SyncClient.kt`, the schema `user.proto`, the data `models.dev`.",
    "See [`Controller.ts`](../../src/core/sdk/Controller.ts).",
    # 6. members of an unrelated value that shares the name
    "Pass `opts.adapter` and read `ctx.telemetry`.",
    # 7. module specifiers
    "Import `./test-helper.js`, or `src/x/test-helper.js` in full.",
    # 8. commands run from the root in a nested doc
    "Run `./scripts/setup.sh` from the repository root.",
    # 10. re-exports
    "`Controller.getState` in `src/core/index.ts`.",
    # 12. short names and constants near a declared one
    "Set `OUT_DIR`; the channel `tickA`.",
    # history and comparisons
    "Use `Controller` instead of `LegacyController`, formerly in `src/core/old.ts`.",
    # whether a file exists is the question
    "2. Check if `./Widget.mjs` exists, no; then whether `src/core/widget.ts` is there.",
    "Read `src/core/overrides.ts` if it exists, else the defaults.",
    # "e.g. " and "vs. " do not end the sentence; "Example:" labels what follows
    "Keep each entry point in its own file (e.g. `./src/core/feature.ts`) under the package.",
    "Example: for `src/core/user.test.ts`, run the tests from inside `src`.",
    # counter-examples, another project's repository, a tool's transient state, placeholders
    "- `src/core/runtime.ts` → FORBIDDEN (name holds runtime)",
    "Add the page to the `docs/site.json` file (in the project's repo) as well.",
    "The release tool deletes `.changeset/pre.json`, which `tools/pre.json` copies.",
    "Link the previous run as `../NNNN/notes.md` and `tools/YYYY-MM-DD.md`.",
    # an extension-less module path names the file an import would load
    "See `tools/build` for the details.",
])
def test_not_a_claim(repo, line):
    assert _found(repo, f"# X\n\n{line}\n") == []


@pytest.mark.parametrize("line, expected", [
    ("Call `Controller.stop()` to end.", [("DL004", "Controller.stop")]),
    ("The runner is in `src/core/runner.ts`.", [("DL001", "src/core/runner.ts")]),
    ("- [ ] Update the loop in `src/core/loop.ts`", [("DL001", "src/core/loop.ts")]),
    ("Create `src/gone/new.ts` for it.", [("DL001", "src/gone/")]),
    ("See [the guide](./missing.md).", [("DL006", "./missing.md")]),
    ("If `src/core/gone.ts` changes, rebuild.", [("DL001", "src/core/gone.ts")]),
    ("It starts (see e.g. the guide). The runner is `src/core/runner.ts`.", [("DL001", "src/core/runner.ts")]),
    ("See `tools/old/missing` for the details.", [("DL001", "tools/old/missing")]),
    # words inside code and link destinations are names, not the clause's verbs
    ("- `run` - [`src/generate-text/run.ts`](src/generate-text/run.ts) runs it.", [("DL006", "src/generate-text/run.ts")]),
    ("Add the page to `tools/site.json` in this repo.", [("DL001", "tools/site.json")]),
])
def test_still_a_claim(repo, line, expected):
    assert _found(repo, f"# X\n\n{line}\n") == expected


@pytest.mark.parametrize("path", ["CHANGELOG.md", "packages/core/CHANGELOG.md", ".changeset/brave-cats.md",
                                  "docs/HISTORY.md", "docs/release-notes/v2.md"])
def test_changelogs_record_history(repo, path):
    doc = "# 2.0\n\n- Renamed `setZoomToFit` to `zoomToFit`.\n- Removed `Shape.rawText` and `src/core/old.ts`.\n"
    assert role(path) == "changelog"
    assert _found(repo, doc, path, extra={"doclint.toml": 'docs = ["**/*.md"]\n'}) == []


def test_a_changelogs_own_anchors_are_judged_only_near_one_of_its_headings(repo):
    doc = ("# Changes\n\n## `z.record()`\n\n- Copied from the guide: see [the schema option](#envschema).\n"
           "- See [records](#record) and [today's guide](guide.md#gone).\n")
    found = _found(repo, doc, "docs/CHANGELOG.md", extra={"docs/guide.md": "# Guide\n"})
    assert found == [("DL007", "#record"), ("DL007", "docs/guide.md#gone")]


def test_ids_generators_make_for_qualified_headings_and_nested_entries(repo):
    reference = ("# `Output`\n\n### `Output.object()`\n\n#### Parameters\n\n<PropertiesTable\n  content={[\n"
                 "    { name: 'tools', type: 'object' },\n  ]}\n/>\n")
    guide = "See [object](./output.mdx#output-object), [nested](./output.mdx#tools.tool.generate), [no](./output.mdx#nope).\n"
    root = repo({"doclint.toml": 'docs = ["**/*.mdx"]\n', "docs/output.mdx": reference, "docs/guide.mdx": guide,
                 "src/output.ts": "export const Output = { object() { return 1; } };\n"})
    run = installed(["check", "--format", "json"], root)
    assert [(f["code"], f["target"]) for f in json.loads(run.stdout)["findings"]] == [("DL007", "docs/output.mdx#nope")]


def test_a_page_matched_by_a_routes_tail_only_has_no_ids_to_judge(repo):
    pages = {"packages/cloud/README.md": "# Cloud\n", "docs/intro.md": "# Intro\n",
             "docs/news.md": "[custom](/en/guides/adapters/cloud/#custom-routes) [intro](/docs/intro#nothing-here)\n"}
    root = repo({"doclint.toml": 'docs = ["**/*.md"]\n', **pages})
    run = installed(["check", "--format", "json"], root)
    assert [(f["code"], f["target"]) for f in json.loads(run.stdout)["findings"]] == [("DL007", "docs/intro.md#nothing-here")]


@pytest.mark.parametrize("path", [".agent_planning/sprint-4.md", "docs/plans/next.md", "PLAN.md", "TODO.md",
                                  "docs/how-to-guides-implementation-plan.md", "wiki/compile_plan.md",
                                  "specs/basic-operations.plan.md"])
def test_plans_name_what_does_not_exist_yet(repo, path):
    assert role(path) == "plan"
    assert _found(repo, "# Plan\n\nDefine the `DebugTap` interface in `src/core/debug.ts`.\n", path) == []


@pytest.mark.parametrize("title", ["# Cache Rework Plan", "# RFC: lazy caches", "# Proposal (draft)"])
def test_a_doc_titled_as_a_plan_is_a_plan(repo, title):
    assert _found(repo, f"{title}\n\nMove `src/core/cache.ts` behind `Controller.stop()`.\n") == []


def test_a_title_that_only_mentions_a_plan_is_a_guide(repo):
    found = _found(repo, "# How to plan a release\n\nThe runner is in `src/core/runner.ts`.\n")
    assert found == [("DL001", "src/core/runner.ts")]


def test_the_api_of_a_package_the_repository_depends_on_named_before_it(repo):
    manifest = {"package.json": '{"name": "app", "devDependencies": {"@rspack/core": "1.0.0", "vite": "6.0.0"}}\n'}
    doc = ("# Build\n\nRspack `MultiCompiler.setDependencies()` orders the builds, Vite's `createServer()` serves\n"
           "them, and the core `Controller.stop()` ends them; `Builder.run()` starts them.\n")
    assert _found(repo, doc, extra=manifest) == [("DL004", "Controller.stop"), ("DL004", "Builder.run")]


def test_a_name_the_code_takes_from_another_package_and_the_cache_follows_that_code(repo):
    config = 'docs = ["docs/**/*.md"]\nsources = ["src/**/*.ts"]\n'
    example = "import viteReact from '@vitejs/plugin-react'\nimport { make } from 'app'\n" \
              "export default [viteReact(), client.refetchAll()]\n"
    root = repo({"doclint.toml": config, "package.json": '{"name": "app"}\n',
                 "examples/site/package.json": '{"name": "site"}\n', "examples/site/vite.config.ts": example,
                 "docs/build.md": "# Build\n\nAdd `viteReact()` and call `refetchAll()`, then `make()` and `gone()`.\n"})

    def found() -> list[str]:
        run = installed(["check", "--format", "json"], root)
        return [f["target"] for f in json.loads(run.stdout)["findings"] if f["severity"] == "error"]

    # `make` comes from the repository's own package: its absence from the sources is a finding
    assert found() == ["make", "gone"]
    (root / "examples/site/vite.config.ts").write_text("export default []\n")
    assert found() == ["viteReact", "refetchAll", "make", "gone"]  # the cached answer did not outlive the code


@pytest.mark.parametrize("path", ["packages/md/test/fixtures/site/src/content/post.md", "e2e/__fixtures__/app/README.md"])
def test_test_fixtures_describe_a_made_up_project(repo, path):
    assert role(path) == "fixture"
    doc = "# Post\n\n![cover](../../assets/cover.png) and `src/core/old.ts`.\n"
    assert _found(repo, doc, path, extra={"doclint.toml": 'docs = ["**/*.md"]\n'}) == []
    assert _found(repo, doc, "docs/guide.md", extra={"doclint.toml": 'docs = ["**/*.md"]\n'}) != []


def test_comment_paths_that_are_not_doc_references(repo):
    source = (
        "// Reads MEMORY.md from the user's project.\n"
        "/** Bare filename (e.g. `repo-cleanup.md`). */\n"
        "// matches `*.cron.md`\n"
        "// Generate summary.md for the run.\n"
        "// See docs/missing.md for the design.\n"
        "export const x = 1;\n"
    )
    root = repo({"src/memory.ts": source, "docs/a.md": "# A\n"})
    run = installed(["check", "--format", "json"], root)
    assert [(f["code"], f["target"]) for f in json.loads(run.stdout)["findings"]] == [("DL010", "docs/missing.md")]


def test_a_bare_file_name_found_nowhere_is_a_warning_not_an_error(repo):
    doc = ("Findings go to `report.md`; the runner is `src/core/gone.ts`.\n\n"
           "Importing `./Component.jsx` checks `./Component.mjs` first; `../src/core/old.ts` is a path.\n\n"
           "The `./codegen/` folder beside this doc holds it.\n")
    root = repo({**SOURCES, "docs/a.md": doc})
    run = installed(["check", "--format", "json"], root)
    found = {(f["target"], f["severity"]) for f in json.loads(run.stdout)["findings"]}
    assert found == {("report.md", "warning"), ("src/core/gone.ts", "error"), ("./Component.jsx", "warning"),
                     ("./Component.mjs", "warning"), ("../src/core/old.ts", "error"),
                     ("./codegen/", "error")}


def test_routes_of_a_site_doclint_has_no_dialect_for(repo):
    pages = {
        "content/docs/01-intro/01-overview.mdx": "# Overview\n\n## Setup\n",
        "content/docs/02-guides/03-streaming.mdx": "# Streaming\n\nBack to [the overview](/docs/intro/overview#setup),\n"
                                                   "[streaming](./streaming), and [gone](/docs/guides/gone).\n",
        "docs/src/api-js.md": "# API\n", "docs/src/api-python.md": "# API\n",
        "docs/src/guide.md": "See [the API](./api.md) and [the route](./api); see [this](./nothing.md).\n",
    }
    root = repo({"doclint.toml": 'docs = ["**/*.md", "**/*.mdx"]\n', **pages})
    run = installed(["check", "--format", "json"], root)
    found = sorted((f["code"], f["target"]) for f in json.loads(run.stdout)["findings"])
    assert found == [("DL006", "./nothing.md"), ("DL006", "/docs/guides/gone")]


def test_site_urls_of_pages_files_the_site_build_writes_and_index_page_routes(repo):
    pages = {
        "docs/router/how-to/README.md": "# How to\n",
        "content/providers/01-hosted/index.mdx": "See [community](./community) and [nothing](./nothing).\n",
        "content/providers/05-community/index.mdx": "# Community\n",
        "docs/start/auth.md": "Read [how-to](/router/latest/docs/framework/react/how-to/README.md), "
                              "[the LLM index](/llms.txt), [a file](/docs/router/gone.md) and [no page](/a/b/none.md).\n",
    }
    root = repo({"doclint.toml": 'docs = ["**/*.md", "**/*.mdx"]\n', **pages})
    run = installed(["check", "--format", "json"], root)
    found = sorted((f["code"], f["target"]) for f in json.loads(run.stdout)["findings"])
    assert found == [("DL006", "./nothing"), ("DL006", "/a/b/none.md"), ("DL006", "/docs/router/gone.md")]


def test_a_relative_path_from_the_folder_a_pattern_on_its_line_names(repo):
    table = ("# Where\n\n| page | example | prefix |\n|---|---|---|\n"
             "| `docs/<page>.md` | `tools/<name>.ts` | `../tools/` |\n| `docs/<page>.md` | | `../nowhere/` |\n")
    assert _found(repo, table, path="docs/meta/where.md", extra={"docs/a.md": "# A\n"}) == [("DL001", "../nowhere/")]


def test_pages_of_an_api_reference_a_generator_writes(repo):
    config = "export default { entryPoints: ['src'], out: 'docs/api' };\n"
    doc = "# Docs\n\nSee [the API](/api/), [a class](./api/classes/Controller.md) and [gone](./gone.md).\n"
    root = repo({"doclint.toml": 'docs = ["docs/**/*.md"]\nsite = "vitepress"\n', "typedoc.config.mjs": config,
                 "docs/.vitepress/config.ts": "export default { srcDir: '.' }\n", "docs/index.md": doc})
    run = installed(["check", "--format", "json"], root)
    assert [(f["code"], f["target"]) for f in json.loads(run.stdout)["findings"]] == [("DL006", "./gone.md")]


def test_an_extension_less_path_under_a_folder_that_exists_is_not_definite(repo):
    found = _found(repo, "# X\n\nRetry `tools/call` requests; the notes in `tools/old/notes` and `tools/gone/` moved.\n")
    assert found == [("DL001", "tools/old/notes"), ("DL001", "tools/gone/")]


def test_root_relative_links_of_a_generator_that_serves_a_folder(repo):
    root = repo({"doclint.toml": 'docs = ["**/*.md"]\n',
                 "docs/src/network.md": "# Network\n", "docs/src/api-js.md": "# API\n",
                 "docs/src/guide.md": "[n](/network.md) [a](/api.md) [x](/nothing.md) [p](./class-xxx.md)\n"})
    run = installed(["check", "--format", "json"], root)
    assert [(f["code"], f["target"]) for f in json.loads(run.stdout)["findings"]] == [("DL006", "/nothing.md")]


def test_a_source_with_a_comment_finding_counts_in_the_summary(repo):
    root = repo({"src/a.ts": "// See docs/missing.md\nexport const a = 1;\n", "docs/a.md": "# A\n"})
    run = installed(["check"], root)
    assert run.returncode == 1 and "1 error, 0 warnings in 2 files" in run.stdout


def test_module_specifiers_and_agent_links_from_the_root(repo):
    root = repo({"packages/evals/ADDING.md": "# Adding\n",
                 ".roo/skills/evals/SKILL.md": "See [adding](packages/evals/ADDING.md), [gone](packages/evals/GONE.md).\n"
                                               "Import `./internal` and `../transform/babelBundle`; `./src/gone.ts` is gone.\n"})
    run = installed(["check", "--format", "json"], root)
    assert sorted((f["code"], f["target"]) for f in json.loads(run.stdout)["findings"]) == \
        [("DL001", "./src/gone.ts"), ("DL006", "packages/evals/GONE.md")]


def test_explain_says_what_is_not_a_claim(tmp_path):
    run = installed(["explain", "missing-file"], tmp_path)
    assert run.returncode == 0 and "Claims: Only a definite claim" in run.stdout and "(new)" in run.stdout
    assert "Claims:" not in installed(["explain", "DL011"], tmp_path).stdout


def test_a_name_before_its_range_is_tied_to_it(repo):
    root = repo({"src/io/writer.ts": "export function other() {}\n\n\n\nexport function flushBuffers(): void {\n  return;\n}\n",
                 "docs/t.md": "# T\n\nThe `flushBuffers()` function is at `src/io/writer.ts:1-2`.\n"
                              "The `other()` function lives in `src/io/writer.ts:1`.\n"})
    run = installed(["check", "--format", "json"], root)
    found = [(f["code"], f["line"], f["suggestion"]) for f in json.loads(run.stdout)["findings"]]
    assert found == [("DL003", 3, "5-7")]


WRITER = "".join(f"export const slot{n} = {n};\n" for n in range(1, 60)) + \
    "export function flushBuffers(): void {\n  return;\n}\n"


@pytest.mark.parametrize("line, numbers", [
    ("The `flushBuffers()` function is at `src/io/writer.ts:40-52`.", "40-52"),
    ("- `flushBuffers()` — `src/io/writer.ts:40-52`", "40-52"),
    ("- `flushBuffers()`: `src/io/writer.ts:40-52`", "40-52"),
    ("- `flushBuffers()` → `src/io/writer.ts#L40-L52`", "40-L52"),
    ("The `flushBuffers()` helper, at `src/io/writer.ts:40-52`, drains them.", "40-52"),
    ("`flushBuffers()` is defined at lines 40-52 of `src/io/writer.ts`.", "40-52"),
    ("`flushBuffers()` spans lines 40-52 in `src/io/writer.ts`.", "40-52"),
    ("| Function | Where |\n|---|---|\n| `flushBuffers()` | `src/io/writer.ts:40-52` |", "40-52"),
])
def test_a_name_before_its_range_in_any_of_the_usual_forms(repo, line, numbers):
    root = repo({"src/io/writer.ts": WRITER, "docs/t.md": f"# T\n\n{line}\n"}, with_runtime=False)
    run = installed(["check", "--format", "json"], root)
    found = [(f["code"], f["target"], f["suggestion"]) for f in json.loads(run.stdout)["findings"]]
    assert found == [("DL003", "src/io/writer.ts", "60-62")]
    installed(["fix"], root)
    assert numbers.replace("40", "60").replace("52", "62") in (root / "docs/t.md").read_text()


@pytest.mark.parametrize("line", [
    "- `flushBuffers()` — see `src/io/writer.ts` for the rest",  # a dash ties a name to a range only
    "| `flushBuffers()` | `slot1` | `src/io/writer.ts:40-52` |",  # two names in the row: which one?
    "`flushBuffers()` is called by lines 40-52 of `src/io/writer.ts`.",  # calls, not the declaration
])
def test_a_range_is_not_tied_to_a_name_the_words_do_not_tie_it_to(repo, line):
    text = f"# T\n\n| a | b | c |\n|---|---|---|\n{line}\n" if line.startswith("|") else f"# T\n\n{line}\n"
    root = repo({"src/io/writer.ts": WRITER, "docs/t.md": text}, with_runtime=False)
    run = installed(["check", "--format", "json"], root)
    assert json.loads(run.stdout)["findings"] == []
