"""Rule packs: loading and validation, DL005/DL008/DL009/DL011/DL012, and `doclint coverage`."""

from __future__ import annotations

import json

import pytest

from conftest import check_json, installed, invoke, write_tree

TYPES_TS = """\
export interface StepRead {
  readonly kind: 'read';
  readonly slot: number;
}

export interface StepWrite {
  readonly kind: 'write';
  readonly slot: number;
}

export interface StepFlush {
  readonly kind: 'flush';
}

export type Step = StepRead | StepWrite | StepFlush;
export type Mode = 'fast' | 'exact';
"""

EXECUTOR_TS = """\
import type { Step } from './types';

export function runSteps(steps: Step[]): void {
  for (const step of steps) {
    switch (step.kind) {
      case 'read':
        break;
      case 'write':
        break;
    }
  }
}
"""

BUILDER_TS = """\
export function build() {
  return [{ kind: 'read', slot: 0 }, { kind: 'write', slot: 1 }, { kind: 'flush' }];
}
"""

BLOCKS_TS = """\
import { registerBlock } from './registry';

registerBlock({ type: 'UnitDelay', label: 'Delay' });
registerBlock({ type: 'SampleHold', label: 'Sample and hold' });
"""

BLOCK_QUERY = '''\
query = """
(call_expression
  function: (identifier) @fn (#eq? @fn "registerBlock")
  arguments: (arguments (object (pair
    key: (property_identifier) @key (#eq? @key "type")
    value: (string (string_fragment) @member)))))
"""
'''

PACK = '''\
[pack]
name = "fixture"
description = "a fixture runtime"

[[union]]
name = "step-kind"
file = "src/types.ts"
type = "Step"
discriminant = "kind"
docs = ["docs/model.md"]
handler = { file = "src/executor.ts", function = "runSteps" }
emitters = ["src/builder.ts"]

[[union]]
name = "mode"
file = "src/types.ts"
type = "Mode"

[[domain]]
name = "block-type"
files = ["src/blocks/**/*.ts"]
''' + BLOCK_QUERY + '''
[invariants]
files = ["spec/INVARIANTS.md", "spec/SUMMARY.md"]
id = "I[0-9]+"
'''

INVARIANTS_MD = "# Invariants\n\n### I1: Time Is Monotonic\n\nText.\n\n### I7: Explicit Cycle Semantics\n\nText.\n"
SUMMARY_MD = ("| ID | Rule | Enforcement |\n|---|---|---|\n| I1 | Time never goes back | clock |\n"
              "| I7 | Cycles must cross stateful boundary | compiler |\n")

GOOD_DOC = """\
# Model

Steps: `'read'`, `StepWrite` and `flush` run in order.

Modes `fast` and `exact`. Blocks `UnitDelay` and `SampleHold` hold state.

This is **I7: Cycles must cross stateful boundary**; see also I1 (Time is monotonic).
"""


def fixture(tmp_path, doc=GOOD_DOC, pack=PACK, extra=None):
    files = {
        "doclint.toml": 'docs = ["docs/**/*.md"]\nrules = ["rules/fixture.toml"]\n',
        "rules/fixture.toml": pack,
        "src/types.ts": TYPES_TS, "src/executor.ts": EXECUTOR_TS, "src/builder.ts": BUILDER_TS,
        "src/blocks/signal.ts": BLOCKS_TS,
        "spec/INVARIANTS.md": INVARIANTS_MD, "spec/SUMMARY.md": SUMMARY_MD,
        "docs/model.md": doc,
    }
    files.update(extra or {})
    return write_tree(tmp_path / "repo", files)


def findings(root):
    run = check_json(root)
    return run, [(f["code"], f["path"], f["line"], f["severity"]) for f in run.json["findings"]]


def test_passing_fixture_only_warns_about_the_unhandled_member(tmp_path):
    run, found = findings(fixture(tmp_path))
    assert found == [("DL012", "src/executor.ts", 3, "warning")]
    assert run.exit_code == 0
    message = run.json["findings"][0]["message"]
    assert message == "step-kind member `flush` has no `case 'flush':` in `runSteps`"


def test_a_pattern_with_its_own_groups_keeps_the_titles(tmp_path):
    # `(I|INV)` is the pattern's group 1: a numbered title group after it used to read "I"
    run, found = findings(fixture(tmp_path, pack=PACK.replace('id = "I[0-9]+"', 'id = "(I|INV)[0-9]+"')))
    assert found == [("DL012", "src/executor.ts", 3, "warning")]


def test_member_added_but_undocumented_and_unhandled(tmp_path):
    types = TYPES_TS.replace("export type Step = StepRead | StepWrite | StepFlush;",
                             "export interface StepSnap {\n  readonly kind: 'snap';\n}\n\n"
                             "export type Step = StepRead | StepWrite | StepFlush | StepSnap;")
    run, found = findings(fixture(tmp_path, extra={"src/types.ts": types}))
    assert ("DL011", "docs/model.md", 1, "error") in found
    assert ("DL012", "src/executor.ts", 3, "warning") in found
    [undocumented] = [f for f in run.json["findings"] if f["code"] == "DL011"]
    assert undocumented["message"] == "step-kind member `snap` (declared in src/types.ts:15) is not mentioned in docs/model.md"
    assert run.exit_code == 1


def test_misspelt_members(tmp_path):
    doc = GOOD_DOC + "\nA `'wirte'` step, and `SampleAndHold`.\n"
    run, found = findings(fixture(tmp_path, doc=doc))
    misses = [(f["code"], f["column"], f["suggestion"]) for f in run.json["findings"] if f["code"] == "DL005"]
    assert misses == [("DL005", 4, "write"), ("DL005", 24, "SampleHold")]
    assert not [f for f in found if f[0] == "DL004"]  # DL005 says it better


def test_invariants_headings_and_tables_both_count(tmp_path):
    doc = GOOD_DOC + "\n**I7: Explicit cycle semantics**, I1: Time never goes back, **I7: Single time authority**, I99.\n"
    run, found = findings(fixture(tmp_path, doc=doc))
    codes = [(f["code"], f["column"]) for f in run.json["findings"] if f["code"] in ("DL008", "DL009")]
    assert codes == [("DL009", 63), ("DL008", 92)]
    wrong = [f for f in run.json["findings"] if f["code"] == "DL009"][0]
    assert "'Explicit Cycle Semantics' (INVARIANTS.md:7)" in wrong["message"]
    assert "'Cycles must cross stateful boundary' (SUMMARY.md:4)" in wrong["message"]


@pytest.mark.parametrize(
    ("pack", "message"),
    [
        (PACK.replace('(#eq? @fn "registerBlock")', '(#eq? @fn "registerBlock"'),
         "key 'domain[0].query' does not compile (line"),
        (PACK.replace('type = "Step"', 'type = "Step"\nflavour = 1'), "unknown key 'union[0].flavour'"),
        (PACK.replace('value: (string (string_fragment) @member)', 'value: (string (string_fragment) @m)'),
         "has no @member capture"),
        ("[pack]\n", "key 'pack.name' is required"),
        (PACK.replace('id = "I[0-9]+"', 'id = "I[0-9"'), "key 'invariants.id': 'I[0-9' is not a regular expression RE2"),
        # RE2 matches in linear time; what it lacks is refused, with its reason
        (PACK.replace('id = "I[0-9]+"', "id = '(?<![A-Z])I[0-9]+'"), "invalid perl operator: (?<"),
        (PACK.replace('id = "I[0-9]+"', "id = '(I)[0-9]+\\1'"), "invalid escape sequence"),
        (PACK.replace('id = "I[0-9]+"', 'id = "I?[0-9]*"'), "matches the empty string"),
        (PACK + "deep = " + "[" * 5000 + "]" * 5000 + "\n", "rule pack is not valid TOML: arrays or tables nested too deeply"),
    ],
)
def test_broken_packs_exit_2_naming_file_and_key(tmp_path, pack, message):
    run = check_json(fixture(tmp_path, pack=pack))
    assert run.exit_code == 2
    [line] = run.stderr.strip().splitlines()
    assert line.startswith("doclint: rules/fixture.toml: ") and message in line, line


def test_broken_query_names_the_line_in_the_pack(tmp_path):
    bad = PACK.replace("arguments: (arguments", "arguments: (argumentz")
    run = check_json(fixture(tmp_path, pack=bad))
    expected_line = bad.splitlines().index("  arguments: (argumentz (object (pair") + 1
    assert f"(line {expected_line})" in run.stderr


def test_a_query_that_compiled_is_remembered_and_a_broken_one_is_said_every_run(tmp_path):
    """With a cache, a pack's query is compiled once (a doc edit does not load the grammar
    again); an edit that breaks it is a new query, refused, and refused again on the next run."""
    root = fixture(tmp_path)
    assert check_json(root).exit_code == 0
    (root / "docs/model.md").write_text(GOOD_DOC + "\nMore.\n")
    assert check_json(root).exit_code == 0
    bad = PACK.replace("arguments: (arguments", "arguments: (argumentz")
    (root / "rules/fixture.toml").write_text(bad)
    for _run in range(2):
        run = check_json(root)
        assert run.exit_code == 2 and "does not compile" in run.stderr


def test_unknown_bundled_pack(tmp_path):
    root = fixture(tmp_path)
    (root / "doclint.toml").write_text('rules = ["nope"]\n')
    run = check_json(root)
    assert run.exit_code == 2 and "no bundled rule pack 'nope' (bundled: oscilla)" in run.stderr


def test_coverage_report_shapes(tmp_path):
    root = fixture(tmp_path)
    data = json.loads(invoke("coverage", "--root", str(root), "--format", "json").stdout)
    step = data["sets"][0]
    assert (step["name"], step["kind"], step["documented_pct"]) == ("step-kind", "union", 100.0)
    write = next(m for m in step["members"] if m["name"] == "write")
    assert write == {
        "name": "write",
        "declared": {"path": "src/types.ts", "line": 6},
        "emitted": [{"path": "src/builder.ts", "line": 2}],
        "handled": [{"path": "src/executor.ts", "line": 8}],
        "documented": [{"path": "docs/model.md", "line": 3}],
    }
    blocks = data["sets"][2]
    assert blocks["kind"] == "domain" and blocks["members"][0]["emitted"] is None
    assert [m["name"] for m in blocks["members"]] == ["UnitDelay", "SampleHold"]
    text = invoke("coverage", "--root", str(root)).stdout
    assert "step-kind (union): 3 members, 100.0% documented" in text
    markdown = invoke("coverage", "--root", str(root), "--format", "markdown").stdout
    assert "| `write` | `src/types.ts:6` | src/builder.ts:2 | src/executor.ts:8 | docs/model.md:3 |" in markdown


def test_coverage_fail_under_and_output_file(tmp_path):
    root = fixture(tmp_path, doc="# Model\n\nOnly `read`.\n")
    run = invoke("coverage", "--root", str(root), "--fail-under", "90", "--format", "html",
                 "--output", str(root / "coverage.html"))
    assert run.exit_code == 1 and "under --fail-under 90%" in run.stderr
    page = (root / "coverage.html").read_text()
    assert page.startswith("<!doctype html>") and "http" not in page
    assert "✗</span>missing" in page and "✓</span>yes" in page
    assert invoke("coverage", "--root", str(root), "--fail-under", "10").exit_code == 0


def test_pack_facts_survive_the_lock(tmp_path):
    root = fixture(tmp_path, doc=GOOD_DOC + "\nA `'wirte'` step; **I7: Single time authority**.\n")
    (root / "doclint.toml").write_text('docs = ["docs/**/*.md"]\nrules = ["rules/fixture.toml"]\nlock = "doclint.lock"\n')
    live = [(f["code"], f["line"]) for f in check_json(root).json["findings"]]
    assert invoke("lock", "--root", str(root)).exit_code == 0
    import shutil
    shutil.rmtree(root / "src")
    shutil.rmtree(root / "spec")
    replayed = [(f["code"], f["line"]) for f in check_json(root).json["findings"]]
    assert replayed == live and ("DL005", 9) in live and ("DL009", 9) in live
    data = json.loads(invoke("coverage", "--root", str(root), "--format", "json").stdout)
    assert data["sets"][0]["members"][1]["handled"] == [{"path": "src/executor.ts", "line": 8}]


def test_every_problem_of_a_pack_is_reported_in_one_run(tmp_path):
    bad = (PACK.replace('description = "a fixture runtime"', 'description = 1')
           .replace('type = "Step"', 'type = "Step"\nflavour = 1')
           .replace('name = "block-type"\n', "")
           .replace('id = "I[0-9]+"', 'id = "I[0-9"')
           .replace('name = "mode"\nfile = "src/types.ts"',
                    'name = "mode"\nfile = "../src/types.ts"\nhandler = "src/executor.ts"'))
    run = check_json(fixture(tmp_path, pack=bad))
    assert run.exit_code == 2 and run.stdout == ""
    assert run.stderr.splitlines() == [
        "doclint: rules/fixture.toml: key 'pack.description' must be a string",
        "doclint: rules/fixture.toml: unknown key 'union[0].flavour' (known: discriminant, docs, emitters, file, "
        "handler, name, type)",
        "doclint: rules/fixture.toml: key 'union[1].file' must be a path relative to the root, without `..`",
        "doclint: rules/fixture.toml: key 'union[1].handler' must be { file = \"<path relative to the root>\", "
        "function = \"...\" }",
        "doclint: rules/fixture.toml: key 'domain[0].name' is required (a non-empty string)",
        "doclint: rules/fixture.toml: key 'invariants.id': 'I[0-9' is not a regular expression RE2 accepts "
        "(missing ]: [0-9)",
    ]


def test_a_pack_that_does_not_fit_the_tree_names_each_key(tmp_path):
    pack = (PACK.replace('function = "runSteps"', 'function = "runAll"')
            .replace('emitters = ["src/builder.ts"]', 'emitters = ["src/build/*.ts"]')
            .replace('docs = ["docs/model.md"]', 'docs = ["docs/steps.md"]')
            .replace('type = "Mode"', 'type = "Speed"')
            .replace('files = ["src/blocks/**/*.ts"]', 'files = ["src/nodes/**/*.ts"]')
            .replace('"spec/SUMMARY.md"]', '"spec/SUMMARY.md"]'.replace("spec/", "specs/"))
            .replace('files = ["spec/INVARIANTS.md", ', 'files = ['))
    run = invoke("coverage", "--root", str(fixture(tmp_path, pack=pack)))
    assert run.exit_code == 2
    where = "doclint: rules/fixture.toml: key "
    assert run.stderr.splitlines() == [
        where + "'union[0].emitters': no source file matches src/build/*.ts",
        where + "'union[0].handler': no function runAll in src/executor.ts (expected a function declaration "
        "or a method)",
        where + "'union[1].type': no type Speed in src/types.ts (expected `type Speed = A | B | ...` or an interface)",
        where + "'domain[0].files': no source file matches src/nodes/**/*.ts",
        where + "'invariants.files': no spec file matches specs/SUMMARY.md",
        where + "'union[0].docs': no checked doc matches docs/steps.md (expected docs that the config's `docs` "
        "selects)",
    ]


SECTIONED_DOC = """\
# Runtime

An overview: each frame runs the `'read'` steps first.

## Steps

| kind | does |
|---|---|
| read | reads a slot |
| `write` | writes a slot |

## Blocks

`UnitDelay` and `SampleHold`.
"""


def test_undocumented_member_is_reported_at_the_section_that_lists_its_siblings(tmp_path):
    run, found = findings(fixture(tmp_path, doc=SECTIONED_DOC))
    [missing] = [f for f in run.json["findings"] if f["code"] == "DL011"]
    assert (missing["path"], missing["line"], missing["target"]) == ("docs/model.md", 5, "flush")
    assert missing["message"] == ("step-kind member `flush` (declared in src/types.ts:11) is not mentioned in "
                                  "docs/model.md")


def test_a_doc_that_mentions_no_member_gets_them_at_its_first_heading(tmp_path):
    doc = "Intro without a heading.\n\n# Model\n\nNothing yet.\n"
    run, found = findings(fixture(tmp_path, doc=doc))
    assert sorted((f["line"], f["target"]) for f in run.json["findings"] if f["code"] == "DL011") == [
        (3, "flush"), (3, "read"), (3, "write")]


def test_a_member_documented_in_any_of_the_sets_docs_is_documented(tmp_path):
    pack = PACK.replace('docs = ["docs/model.md"]', 'docs = ["docs/steps/*.md"]')
    extra = {"docs/steps/reading.md": "# Reading\n\n`read` and `write` steps.\n",
             "docs/steps/flushing.md": "# Flushing\n\nThe `flush` step.\n",
             "docs/other.md": "# Other\n\n`snap` is mentioned here, outside the step docs.\n",
             "src/types.ts": TYPES_TS.replace("| StepFlush;", "| StepFlush | { kind: 'snap' };")}
    run, found = findings(fixture(tmp_path, pack=pack, extra=extra))
    [missing] = [f for f in run.json["findings"] if f["code"] == "DL011"]
    assert (missing["path"], missing["line"], missing["target"]) == ("docs/steps/reading.md", 1, "snap")
    assert missing["message"].endswith("is not mentioned in any of the 2 docs docs/steps/*.md selects")


MENTIONS_PACK = '''\
[pack]
name = "fixture"

[[domain]]
name = "block-type"
files = ["src/blocks/**/*.ts"]
docs = ["docs/blocks.md"]
''' + BLOCK_QUERY

MENTIONS_BLOCKS_TS = "".join(f"registerBlock({{ type: '{name}' }});\n" for name in (
    "Code", "Quoted", "Inside", "Heading", "Cell", "Listed", "Fenced", "Prose", "Word", "Call", "Other"))

MENTIONS_DOC = """\
# Blocks

`Code`, `'Quoted'`, and `registerBlock({ type: 'Inside' })`.

## Heading: a block with a heading

| block | note |
|---|---|
| Cell | a table cell |

```text
 3 Listed    out -> slot 2
const made = make("Fenced");
const xs = new Word(3);
```

Prose mentions a Prose block without code marks, and `Call()` calls one.
"""


def test_only_forms_that_mean_the_member_document_it(tmp_path):
    root = write_tree(tmp_path / "repo", {
        "doclint.toml": 'docs = ["docs/**/*.md"]\nrules = ["rules/fixture.toml"]\n',
        "rules/fixture.toml": MENTIONS_PACK, "src/blocks/all.ts": MENTIONS_BLOCKS_TS,
        "docs/blocks.md": MENTIONS_DOC, "docs/elsewhere.md": "# Elsewhere\n\n`Other` is not in the block doc.\n",
    })
    data = json.loads(invoke("coverage", "--root", str(root), "--format", "json").stdout)
    documented = {m["name"]: [w["line"] for w in m["documented"]] for m in data["sets"][0]["members"]}
    assert documented == {"Code": [3], "Quoted": [3], "Inside": [3], "Heading": [5], "Cell": [9], "Listed": [12],
                          "Fenced": [13], "Prose": [], "Word": [], "Call": [], "Other": []}


def test_coverage_counts_only_sets_with_docs_and_says_so(tmp_path):
    root = fixture(tmp_path, doc="# Model\n\nOnly `read` and `write`; blocks `UnitDelay`, modes `fast`.\n")
    data = json.loads(invoke("coverage", "--root", str(root), "--format", "json").stdout)
    assert (data["documented_pct"], data["counted"], data["no_docs"]) == (66.7, ["step-kind"], ["mode", "block-type"])
    blocks = data["sets"][2]
    assert blocks["documented_pct"] is None and blocks["members"][0]["documented"] is None  # not "0%"
    overall = ("66.7% of members documented (2 of 3 members of step-kind; no docs configured, not counted: "
               "mode (2 members), block-type (2 members))")
    assert invoke("coverage", "--root", str(root)).stdout.endswith(f"overall: {overall}\n")
    text = invoke("coverage", "--root", str(root)).stdout
    assert "block-type (domain): 2 members, no docs configured: not counted" in text
    assert "step-kind (union): 3 members, 66.7% documented in docs/model.md" in text
    markdown = invoke("coverage", "--root", str(root), "--format", "markdown").stdout
    assert "## mode (union): 2 members, no docs configured: not counted" in markdown
    page = invoke("coverage", "--root", str(root), "--format", "html").stdout
    assert "<h1>doclint coverage: 66.7% of members documented</h1>" in page
    assert page.count("no docs configured</td>") == 4
    failed = invoke("coverage", "--root", str(root), "--fail-under", "66.8")
    assert failed.exit_code == 1 and "coverage 66.7% is under --fail-under 66.8%" in failed.stderr
    assert invoke("coverage", "--root", str(root), "--fail-under", "66.7").exit_code == 0


def test_fail_under_without_any_docs_configured_is_a_usage_error(tmp_path):
    root = fixture(tmp_path, pack=PACK.replace('docs = ["docs/model.md"]\n', ""))
    run = invoke("coverage", "--root", str(root), "--fail-under", "100")
    assert run.exit_code == 2
    assert run.stderr.startswith("doclint: --fail-under: no union or domain has `docs` configured")
    assert "no member counted (no union or domain has docs configured: step-kind (3 members)" in \
        invoke("coverage", "--root", str(root)).stdout


def test_each_unhandled_member_is_reported(tmp_path):
    executor = EXECUTOR_TS.replace("      case 'write':\n        break;\n", "")
    run, found = findings(fixture(tmp_path, extra={"src/executor.ts": executor}))
    assert sorted(f["target"] for f in run.json["findings"] if f["code"] == "DL012") == ["flush", "write"]


@pytest.mark.parametrize("pattern", ["(?<![A-Z])I[0-9]+", ["I[0-9]+"]])
def test_a_tampered_lock_pattern_is_refused_naming_the_lock(tmp_path, pattern):
    root = fixture(tmp_path)
    assert invoke("lock", "--root", str(root)).exit_code == 0
    lock = json.loads((root / "doclint.lock").read_text())
    lock["packs"]["invariant_pattern"] = pattern
    (root / "doclint.lock").write_text(json.dumps(lock))
    import shutil
    shutil.rmtree(root / "src")
    for command in ("check", "coverage"):
        run = invoke(command, "--root", str(root))
        [line] = run.stderr.strip().splitlines()
        assert run.exit_code == 2 and line.startswith(f"doclint: {root / 'doclint.lock'}: ")
        assert "key 'packs.invariant_pattern': " in line


def _evaluate_with_cache(root):
    from doclint import packs
    from doclint.cache import Cache
    from doclint.globs import GlobSet
    from doclint.tree import FileTree

    cache = Cache(root)
    try:
        loaded = packs.load_packs(("rules/fixture.toml",), root, "doclint.toml")
        facts = packs.evaluate(loaded, FileTree(root, GlobSet([])), cache)
        cache.flush()
    finally:
        cache.close()
    return packs.facts_to_json(facts), facts.invariants


def test_pack_facts_come_from_the_cache_until_a_file_they_read_changes(tmp_path, monkeypatch):
    from doclint.tree import FileTree

    root = fixture(tmp_path)
    reads: list[str] = []
    read_text = FileTree.read_text
    monkeypatch.setattr(FileTree, "read_text", lambda self, path: reads.append(path) or read_text(self, path))
    first = _evaluate_with_cache(root)
    assert "src/types.ts" in reads and "spec/INVARIANTS.md" in reads
    reads.clear()
    (root / "src/other.ts").write_text("export const unrelated = 1;\n", encoding="utf-8")  # listing changed
    assert _evaluate_with_cache(root) == first and reads  # a new file could be a module a union imports
    reads.clear()
    (root / "src/other.ts").write_text("export const unrelated = 2;\n", encoding="utf-8")  # read by no pack
    assert _evaluate_with_cache(root) == first and reads == []
    (root / "src/types.ts").write_text(TYPES_TS.replace("'flush'", "'drain'"), encoding="utf-8")
    facts, _invariants = _evaluate_with_cache(root)
    assert reads and "drain" in [m["name"] for m in facts["sets"][0]["members"]]


def test_a_check_with_cached_pack_facts_reports_what_a_fresh_one_does(tmp_path):
    from conftest import installed

    root = fixture(tmp_path, extra={"src/util.ts": "export const unrelated = 1;\n"})
    fresh = installed(["check", "--format", "json", "--no-cache"], cwd=root)
    assert installed(["check", "--format", "json"], cwd=root).stdout == fresh.stdout  # cold, fills the cache
    (root / "src/util.ts").write_text("export const unrelated = 2;\n", encoding="utf-8")  # read by no pack
    again = installed(["check", "--format", "json"], cwd=root)  # not replayed: the facts come from the cache
    assert again.stdout == fresh.stdout and json.loads(fresh.stdout)["findings"]
    (root / "src/types.ts").write_text(TYPES_TS.replace("'flush'", "'drain'"), encoding="utf-8")
    renamed = installed(["check", "--format", "json"], cwd=root)
    assert renamed.stdout == installed(["check", "--format", "json", "--no-cache"], cwd=root).stdout
    assert "`drain`" in renamed.stdout


def _many_docs(count: int = 60) -> dict[str, str]:
    """Enough docs for a cold run's process pool, citing the pack's members and invariants."""
    return {f"docs/more/d{n}.md": f"# More {n}\n\nStep `StepWrite` and `'flsh'`; **I7: Cycles must cross stateful "
                                  f"boundary**, I{n} too; `runSteps()` in `src/executor.ts`.\n" for n in range(count)}


def test_the_parse_pool_starts_before_the_packs_are_read_and_agrees_with_one_process(tmp_path, monkeypatch):
    """A cold run starts its workers before it reads the rule packs; the copy of the workspace
    the packs make uses the index the workers' scans build (built once), and finds what one
    process finds."""
    from doclint import tsindex

    root = fixture(tmp_path, extra=_many_docs())
    serial = check_json(root, "--no-cache", "--jobs", "1")
    built: list[int] = []
    real = tsindex.SymbolIndex.__init__
    monkeypatch.setattr(tsindex.SymbolIndex, "__init__", lambda self, *a, **k: built.append(1) or real(self, *a, **k))
    parallel = check_json(root, "--no-cache", "--jobs", "2")
    assert parallel.json["findings"] == serial.json["findings"] and parallel.exit_code == serial.exit_code
    assert {f["code"] for f in serial.json["findings"]} >= {"DL005", "DL008", "DL012"}
    assert built == [1]


def test_a_broken_pack_stops_a_cold_run_whose_workers_have_started(tmp_path):
    """The workers are parsing when the packs are read: a pack that does not fit stops the run
    with exit 2 and one line, as before the pool starts."""
    root = fixture(tmp_path, pack=PACK.replace('type = "Step"', 'type = "Stepp"'), extra=_many_docs())
    run = installed(["check", "--jobs", "2"], cwd=root)
    assert run.returncode == 2, run.stderr
    [line] = run.stderr.strip().splitlines()
    assert line.startswith("doclint: rules/fixture.toml: ") and "Stepp" in line, line
