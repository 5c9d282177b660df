"""Every rule of `doclint check`, with a failing and a passing case on a fixture repository."""

from __future__ import annotations

from conftest import check_json


def findings(root, *args):
    run = check_json(root, *args)
    return run, run.json["findings"]


def only(found, code):
    return [f for f in found if f["code"] == code]


# ---------------------------------------------------------------- DL001 missing-file


def test_missing_file_in_inline_code(repo):
    root = repo({"docs/a.md": "The loop is in `src/runtime/loop.ts`.\n"})
    run, found = findings(root)
    assert run.exit_code == 1
    [f] = found
    assert (f["code"], f["name"], f["line"], f["column"]) == ("DL001", "missing-file", 1, 17)
    assert f["target"] == "src/runtime/loop.ts"
    assert f["end_column"] == 17 + len("src/runtime/loop.ts")


def test_existing_paths_resolve_every_way(repo):
    root = repo({
        "docs/guide/a.md": (
            "Root: `src/runtime/executor.ts`. Suffix: `runtime/executor.ts`. Basename: `executor.ts`.\n"
            "Dir: `src/runtime/`. Doc-relative: `b.md` and `../guide/b.md`.\n"
        ),
        "docs/guide/b.md": "# B\n",
    })
    run, found = findings(root)
    assert found == [] and run.exit_code == 0


def test_spans_that_are_not_paths_are_skipped(repo):
    root = repo({"docs/a.md": (
        "Globs `src/**/*.ts`, home `~/notes.md`, alias `@/runtime/x.ts`, url `https://x.org/a.md`,\n"
        "extension `.types.ts`, placeholder `src/<name>.ts`, expression `input = 5.0`, `state[i]`,\n"
        "fraction `1/2`, package `lodash/fp`, elided `design-docs/.../x.md`, absolute `/etc/passwd`.\n"
    )})
    _run, found = findings(root)
    assert found == []


def test_placeholder_file_names_are_never_reported(repo):
    root = repo({"docs/a.md": "Forms: `path.ts:120`, `path.ts:120-140`, `x.ts`, `foo.md`, `src/x.ts`.\n"
                              "Still checked: `loop.ts` and `src/runtime/loop.ts`.\n"})
    _run, found = findings(root)
    assert [(f["code"], f["line"], f["target"]) for f in found] == [
        ("DL001", 2, "loop.ts"), ("DL001", 2, "src/runtime/loop.ts")]


def test_hypothetical_paths_only_need_their_directory(repo):
    root = repo({"docs/a.md": (
        "Create `src/runtime/newPass.ts` for the pass; avoid names like `01-intro.md`.\n"
        "Create `src/gone/other.ts` too.\n"
    )})
    _run, found = findings(root)
    assert [(f["code"], f["line"], f["target"]) for f in found] == [("DL001", 2, "src/gone/")]


# ---------------------------------------------------------------- DL002 renamed-file


def test_renamed_file_found_by_unique_basename(repo):
    root = repo({"docs/a.md": "See `src/old/executor.ts` for details.\n"})
    _run, found = findings(root)
    [f] = found
    assert f["code"] == "DL002" and f["suggestion"] == "src/runtime/executor.ts"
    assert f["fix"]["edits"] == [{"line": 1, "column": 6, "end_line": 1, "end_column": 6 + len("src/old/executor.ts"),
                                  "replacement": "src/runtime/executor.ts"}]


def test_link_to_moved_file_gets_a_relative_fix(repo):
    root = repo({"docs/a.md": "See [the executor](../src/old/executor.ts#L3).\n"})
    _run, found = findings(root)
    [f] = found
    assert f["code"] == "DL002"
    assert f["fix"]["edits"][0]["replacement"] == "../src/runtime/executor.ts#L3"


def test_moved_file_behind_a_reference_link_is_fixed_in_the_definition(repo):
    doc = "See [the executor][x] twice: [x].\n\n[x]: <../src/old/executor.ts?plain=1#L3> \"title\"\n"
    root = repo({"docs/a.md": doc})
    _run, found = findings(root)
    [f] = found  # one finding for the definition, not one per use
    assert (f["code"], f["line"], f["column"]) == ("DL002", 3, 6)
    written = "<../src/old/executor.ts?plain=1#L3>"
    assert f["fix"]["edits"] == [{"line": 3, "column": 6, "end_line": 3, "end_column": 6 + len(written),
                                  "replacement": "<../src/runtime/executor.ts?plain=1#L3>"}]


def test_a_destination_not_located_for_certain_is_reported_without_a_fix(repo):
    """markdown-it reads a NUL as U+FFFD, so this line's text is not found where the parser
    says it is: the finding stays, the fix (which would be a guess at the span) does not."""
    root = repo({"docs/a.md": "  a\x00b [x](../src/old/executor.ts)\n"})
    _run, found = findings(root)
    [f] = found
    assert (f["code"], f["suggestion"], f["fix"]) == ("DL002", "../src/runtime/executor.ts", None)


# ---------------------------------------------------------------- DL003 stale-line


def test_line_past_end_of_file(repo):
    root = repo({"docs/a.md": (
        "Bad: `src/runtime/executor.ts:500`, `src/runtime/executor.ts:10-900`,\n"
        "[link](../src/runtime/executor.ts#L700-L710), `src/runtime/executor.ts` (lines 400-420).\n"
        "Good: `src/runtime/executor.ts:24-45`, [ok](../src/runtime/executor.ts#L1-L3).\n"
    )})
    _run, found = findings(root)
    assert [(f["code"], f["line"]) for f in found] == [("DL003", 1), ("DL003", 1), ("DL003", 2), ("DL003", 2)]
    assert "past the end of the file" in found[0]["message"]


def test_range_no_longer_covering_named_symbol_is_fixable(repo):
    root = repo({"docs/a.md": (
        "`executeFrame` in `src/runtime/executor.ts:2-8` runs one frame.\n"
        "`FrameRunner.run` (`src/runtime/executor.ts:48-51`) drives it.\n"
    )})
    _run, found = findings(root)
    [f] = found
    assert f["code"] == "DL003" and f["line"] == 1
    assert f["suggestion"] == "24-41"
    [edit] = f["fix"]["edits"]
    assert (edit["column"], edit["end_column"], edit["replacement"]) == (44, 47, "24-41")


def test_line_after_path_in_prose(repo):
    root = repo({"docs/a.md": "`executeFrame` in `src/runtime/executor.ts` (lines 1-3) is wrong.\n"})
    _run, found = findings(root)
    [f] = found
    assert f["code"] == "DL003" and f["suggestion"] == "24-41"
    assert f["fix"]["edits"][0]["replacement"] == "24-41"


# ---------------------------------------------------------------- DL004 unknown-symbol


def test_unknown_symbols_by_form(repo):
    root = repo({"docs/a.md": (
        "Calls `executFrame()` each frame.\n"  # typo: error with a suggestion
        "Reads `RuntimeState.eventScalar`.\n"  # missing member: error
        "Bare `FrameRunnerz` is suspicious.\n"  # bare: warning
        "`executeFrame` in `src/runtime/other.ts` is tied to a missing file.\n"
    )})
    run, found = findings(root)
    symbols = only(found, "DL004")
    assert [(f["line"], f["severity"]) for f in symbols] == [(1, "error"), (2, "error"), (3, "warning")]
    assert symbols[0]["suggestion"] == "executeFrame"
    assert symbols[1]["suggestion"] == "RuntimeState.eventScalars"
    assert run.exit_code == 1


def test_known_symbols_pass(repo):
    root = repo({"docs/a.md": (
        "`executeFrame()`, `executeFrame(steps, state)`, `RuntimeState`, `RuntimeState.eventScalars`,\n"
        "`FrameRunner.run`, `FrameRunner.run()`, `Phase.Write`, `DEFAULT_BUDGET`, `StepStateWrite`,\n"
        "`src/runtime/executor.ts#executeFrame`, `executeFrame` in `src/runtime/executor.ts`,\n"
        "`Math.max()`, `state.values`, `clamp()`, `stateWrite`, `localName` = `state[0]`.\n\n"
        "```ts\nconst localName = 1; helperFromExample();\n```\n\n"
        "And `helperFromExample()` is known from the block above.\n"
    )})
    _run, found = findings(root)
    assert found == []


def test_symbol_tied_to_wrong_file(repo):
    root = repo({
        "src/other.ts": "export const unrelated = 1;\n",
        "docs/a.md": "`executeFrame` in `src/other.ts` and `src/other.ts#executeFrame`.\n",
    })
    _run, found = findings(root)
    assert [f["code"] for f in found] == ["DL004", "DL004"]
    assert found[0]["suggestion"] == "src/runtime/executor.ts"


# ---------------------------------------------------------------- DL006 / DL007 links and anchors


def test_broken_link_and_anchor(repo):
    root = repo({
        "docs/a.md": (
            "# Top\n\n## Phase 2: writes\n\n## Phase 2: writes\n\n<a id=\"custom\"></a>\n\n"
            "[ok](#phase-2-writes) [dup](#phase-2-writes-1) [html](#custom) [b](b.md#intro)\n"
            "[bad anchor](#phase-3) [bad file](missing.md) [bad other](b.md#nope)\n"
        ),
        "docs/b.md": "# Intro\n",
    })
    _run, found = findings(root)
    assert [(f["code"], f["line"]) for f in found] == [("DL007", 10), ("DL006", 10), ("DL007", 10)]
    assert found[0]["suggestion"] is None or found[0]["suggestion"].startswith("#phase-2")


def test_links_with_schemes_and_directories_pass(repo):
    root = repo({"docs/a.md": "[web](https://example.org/x) [mail](mailto:a@b.c) [dir](../src/runtime/) [root](/src)\n"})
    _run, found = findings(root)
    assert found == []


# ---------------------------------------------------------------- DL010 comment-link


def test_comment_links(repo):
    root = repo({
        "docs/model.md": "# Model\n\n## Phase two\n",
        "src/a.ts": (
            "// See docs/model.md#phase-two for why.\n"
            "// See docs/model.md#phase-three and docs/gone.md.\n"
            "// doclint-disable-next-line comment-link\n"
            "// See docs/also-gone.md\n"
            "export const a = 1; // https://example.org/docs/x.md is a URL\n"
        ),
    })
    _run, found = findings(root)
    assert [(f["code"], f["path"], f["line"]) for f in found] == [("DL010", "src/a.ts", 2), ("DL010", "src/a.ts", 2)]


# ---------------------------------------------------------------- agent files, suppressions


def test_agent_files_are_checked_even_when_docs_excludes_them(repo):
    root = repo({
        "doclint.toml": 'docs = ["docs/**/*.md"]\n',
        "docs/a.md": "ok\n",
        "CLAUDE.md": "Read `src/nowhere.ts`.\n",
        "pkg/AGENTS.md": "Read `src/nowhere.ts`.\n",
        ".claude/rules/x.md": "Read `src/nowhere.ts`.\n",
        "notes/other.md": "Read `src/nowhere.ts`.\n",
    })
    _run, found = findings(root)
    assert sorted(f["path"] for f in found) == [".claude/rules/x.md", "CLAUDE.md", "pkg/AGENTS.md"]


def test_suppression_comments(repo):
    root = repo({"docs/a.md": (
        "<!-- doclint-disable-next-line DL001 -->\n"
        "`src/gone1.ts`\n"
        "<!-- doclint-disable missing-file -->\n"
        "`src/gone2.ts`\n\n"
        "<!-- doclint-enable missing-file -->\n"
        "`src/gone3.ts` <!-- doclint-disable-line -->\n"
        "`src/gone4.ts`\n"
        "<!-- doclint-disable-next-line DL004 -->\n"
        "nothing here\n"
    )})
    run, found = findings(root)
    assert [(f["code"], f["line"]) for f in found] == [("DL001", 8)]
    strict = check_json(root, "--strict")
    assert [(f["code"], f["line"]) for f in strict.json["findings"]] == [("DL001", 8), ("DL015", 9)]


# ---------------------------------------------------------------- DL014 excerpt-mismatch


def test_excerpts_must_still_copy_their_lines(repo):
    good = (
        "```ts excerpt=src/runtime/executor.ts:24-26\n"
        "export function executeFrame(steps: Step[], state: RuntimeState): void {\n"
        "  // Phase 1: reads\n"
        "  for (const step of steps) {\n"
        "```\n\n"
        "```ts excerpt=src/runtime/executor.ts#L24-L41\n"
        "export function executeFrame(steps: Step[], state: RuntimeState): void {\n"
        "  // ...\n"
        "  // Phase 2: writes\n"
        "```\n"
    )
    stale = (
        "```ts excerpt=src/runtime/executor.ts:24-25\n"
        "export function executeFrame(steps: Step[]): void {\n"
        "  // Phase 1: reads\n"
        "```\n\n"
        "```ts excerpt=src/runtime/gone.ts:1-2\nx\n```\n\n"
        "```ts excerpt=src/runtime/executor.ts:70-90\nx\n```\n"
    )
    root = repo({"docs/good.md": good, "docs/stale.md": stale})
    _run, found = findings(root)
    assert [(f["code"], f["path"], f["line"]) for f in found] == [
        ("DL014", "docs/stale.md", 1), ("DL001", "docs/stale.md", 6), ("DL003", "docs/stale.md", 10)]
    assert "from line 2 of this doc; the source has `export function executeFrame(steps: Step[], state: " \
           "RuntimeState): void {`" in found[0]["message"]
    assert found[0]["column"] == len("```ts excerpt=") + 1
