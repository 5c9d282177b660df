"""Code names in docs (DL004): what a reader means by a name the configured sources do not
declare, or declare only through a module namespace. Each family was seen on real repositories;
the fixtures are our own."""

from __future__ import annotations

import json

from conftest import installed


def _found(root, *args: str) -> list[tuple[str, str]]:
    run = installed(["check", "--format", "json", *args], root)
    assert "Traceback" not in run.stderr, run.stderr
    return [(f["code"], f["target"]) for f in json.loads(run.stdout)["findings"]]


def test_members_of_a_module_namespace_resolve_through_the_module(repo):
    root = repo({
        "src/core/util.ts": "export function clone<T>(x: T): T { return x; }\nexport const isPlain = 1;\n",
        "src/core/all.ts": 'export * from "./util.js";\n',
        "src/core/index.ts": 'export * as util from "./util.js";\nexport * as everything from "./all.js";\n'
                             "export interface util { legacy: number }\n",
        "docs/x.md": "# X\n\n`util.clone()` and `util.isPlain` and `util.legacy`; `everything.anything`.\n"
                     "But `util.cloneDeep()` is gone.\n",
    })
    assert _found(root) == [("DL004", "util.cloneDeep")]


def test_a_name_only_a_module_namespace_declares_may_be_any_value(repo):
    # `export * as server from ...` in the sources; the doc's `server` is a test fixture object
    root = repo({
        "src/core/server.ts": "export function start(): void {}\n",
        "src/index.ts": 'export * as server from "./core/server";\n',
        "docs/x.md": "# X\n\nRead `server.PREFIX` and call `server.setRoute()`.\n",
    })
    assert _found(root) == []


OUTSIDE = {
    "doclint.toml": 'docs = ["docs/**/*.md"]\nsources = ["src/**/*.ts"]\nexclude = ["test/**"]\n',
    "src/app.ts": "export function createApp(): void {}\n",
    "test/helpers.ts": "export function createFixture(): void {}\nexport const makeRoute = () => 1;\n"
                       "// oldHelper() was removed; see createApp\n",
    "test/matchers.ts": "expect.extend({\n  toHaveStatus(received: number) { return received; },\n});\n",
    "scripts/build.js": "function assertBundle() {}\nassertBundle();\n",
    # another project (its own package.json): an example app's names are not this repository's
    "examples/app/package.json": "{}\n",
    "examples/app/src/gone.ts": "export function goneHelper(): void {}\n",
    "test/render.test.ts": "it('renders', () => ({ component: function lostHelper() {} }));\n",
}


def test_names_declared_in_code_the_sources_leave_out_are_this_repositorys(repo):
    root = repo({**OUTSIDE, "docs/testing.md": "# Testing\n\nUse `createFixture()`, `makeRoute()` and "
                 "`toHaveStatus()`; the build runs `assertBundle()`.\n"
                 "`oldHelper()`, `goneHelper()` and `lostHelper()` are gone.\n"})
    # a word in a comment or a function expression declares nothing
    assert _found(root, "--no-cache") == [("DL004", "oldHelper"), ("DL004", "goneHelper"), ("DL004", "lostHelper")]


def test_a_cached_result_follows_the_code_outside_the_sources(repo):
    root = repo({**OUTSIDE, "docs/testing.md": "# Testing\n\nCall `goneHelper()`.\n"})
    assert _found(root) == [("DL004", "goneHelper")]
    assert _found(root) == [("DL004", "goneHelper")]  # from the cache
    (root / "test" / "helpers.ts").write_text("export function goneHelper(): void {}\n")  # now it is ours
    assert _found(root) == []


def test_a_doc_that_imports_another_package_describes_its_api(repo):
    files = {
        "packages/lib/package.json": '{"name": "@ours/lib"}\n',
        "packages/lib/src/index.ts": "export function createClient(): void {}\n",
        "docs/theirs.md": "# Theirs\n\n```ts\nimport { createClient } from '@ours/lib';\n"
                          "import { createSearchTools } from '@them/sdk/tools';\n```\n\n"
                          "It also exports `createOracleTool()` and `Oracle.stream()`; ours is `createClent()`.\n",
        "docs/ours.md": "# Ours\n\n```ts\nimport { createClient } from '@ours/lib';\nimport fs from 'node:fs';\n"
                        "import path from 'path';\n```\n\nThen call `createOracleTool()`.\n",
    }
    run = installed(["check", "--format", "json"], repo(files))
    found = [(f["path"], f["target"]) for f in json.loads(run.stdout)["findings"]]
    # a typo of one of ours is still ours; a doc importing only our packages and the runtime's speaks of ours
    assert found == [("docs/ours.md", "createOracleTool"), ("docs/theirs.md", "createClent")]


def test_formats_file_names_and_runtime_globals_are_not_code_names(repo):
    root = repo({"src/DEPS.list": "allowed\n",
                 "docs/x.md": "# X\n\nVersions are `MAJOR.MINOR.PATCH`; each folder has a `DEPS.list`; call `gc()` "
                              "under `--expose-gc`. But `RELEASE.next()` is unknown.\n"})
    assert _found(root) == [("DL004", "RELEASE.next")]


def test_another_languages_binding_and_placeholder_names(repo):
    root = repo({
        "src/viewport.ts": "export interface Viewport { width: number }\n",
        "docs/runners-csharp.md": "# Runners\n\nTests run per class (`ExecutionScope.ClassLevel`).\n",
        "docs/params.md": "# Params\n\n## csharp-option-viewport\n\nUse `Viewport.NoViewport`.\n\n"
                          "## js-option-viewport\n\nUse `Viewport.Missing`; `SomeRoute.useData()` and `MyWidget()` "
                          "stand for yours, `Mystery()` is not one.\n",
    })
    assert _found(root) == [("DL004", "Viewport.Missing"), ("DL004", "Mystery")]


def test_a_list_labelled_gone_names_what_no_longer_exists(repo):
    root = repo({
        "src/controller.ts": "export class Controller {\n  getState(): number { return 1; }\n}\n",
        "docs/upgrade.md": "# Upgrade\n\nNo mechanical migration. Gone: `Controller.tasks`,\n"
                           "`Controller.taskManager`, `Controller.relatedTask`.\n\n"
                           "Kept: `Controller.getState()`,\n`Controller.stop()`.\n",
    })
    assert _found(root) == [("DL004", "Controller.stop")]


def test_a_name_that_lives_on_only_in_a_tests_title_is_still_gone(repo):
    """A type renamed in the code whose old name survives in a test's title and a comment: the
    doc that still names it is out of date (the words of prose are not uses of the name). A
    one-word string is a value the code uses."""
    root = repo({
        "src/core/fetch.ts": "export interface RenderingContext { url: string }\n",
        "src/core/fetch.test.ts": "// formerly RenderContext\nit('renders a page via RenderContext', () => {});\n"
                                  "emit('RouteData');\n",
        "docs/x.md": "# X\n\nEach request gets a `RenderContext`; routes read `RouteData`.\n",
    })
    assert _found(root) == [("DL004", "RenderContext")]


def test_what_code_outside_the_index_declares_and_takes_from_other_packages_as_its_lines_read():
    """Imports are read after no word character, method calls after a name, `$`, `)` or `]`
    (maybe with `?`): `reimport`, `_import` and a call on nothing (`(.x()`) take nothing."""
    from doclint.outside import FileFacts

    text = ("import a, { b as c, type d } from '@s/p/deep';import * as e from 'lib';\n"
            "reimport f from 'nope'; _import g from 'nope'; $import h from 'yes'\n"
            "export const run = () => x?.opt(1).then(y => y.next ()); (.bare(); arr[0].first(); f().again(\n"
            "  method(a: number) {}\n")
    facts = FileFacts.read(text)
    assert facts.imports == (("@s/p", ("a", "b", "d")), ("lib", ("e",)), ("yes", ("h",)))
    assert facts.methods == ("opt", "then", "next", "first", "again")
    assert facts.declared == ("run", "method")
    assert FileFacts.read(text, "declared") == FileFacts(facts.declared, (), ())
    assert FileFacts.read(text, "foreign") == FileFacts((), facts.imports, facts.methods)


def test_only_the_code_outside_the_index_is_read_for_what_it_declares(tmp_path, monkeypatch):
    """What an indexed source declares is the index's to say; reading it again is wasted work."""
    from conftest import write_tree

    from doclint import outside
    from doclint.cli import main

    root = write_tree(tmp_path / "repo", {
        "doclint.toml": 'docs = ["docs/*.md"]\nsources = ["src/**"]\n',
        "src/a.ts": "export function indexedOne(): void {}\n",
        "src/b.ts": "import { connect } from 'client';\nexport const b = connect();\n",
        "scripts/tool.ts": "export function helperOutside(): void {}\n",
        "docs/a.md": "# A\n\n`helperOutside()` and `connect()` and `goneThing()`.\n",
    })
    parts: list[str | None] = []
    real = outside.FileFacts.read
    monkeypatch.setattr(outside.FileFacts, "read", staticmethod(lambda text, part=None: parts.append(part)
                                                                  or real(text, part)))
    monkeypatch.chdir(root)
    assert main(["check", "-q", "--no-cache"]) == 1  # goneThing only
    assert sorted(parts, key=str) == ["declared", "foreign", "foreign", "foreign"]
