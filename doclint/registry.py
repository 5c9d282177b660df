"""Every rule doclint knows: the one source of truth for `rules`, `explain`, config and reports.

A rule's failing and passing examples are tests: tests/test_rule_examples.py writes each into
the example repository (tests/fixtures/rule-examples: a small runtime, its docs, a rule pack
and a spec) at its `Setting`, runs `doclint check`, and expects exactly that rule's finding
from the failing one and none from the passing one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from doclint.findings import Severity


@dataclass(frozen=True)
class Setting:
    """Where an example is written in the example repository, and how doclint is run on it."""

    file: str = "docs/guide.md"  # the example is this file's whole text
    options: tuple[str, ...] = ()  # given to `doclint check`
    committed_after: bool = False  # the repository is committed first, the example in a commit after it

    def describe(self) -> str:
        """The setting in words for `explain`; "" for a doc of its own checked plainly."""
        said = [] if self.file == Setting.file else [f"in {self.file}"]
        if self.committed_after:
            said.append("committed after the doc")
        if self.options:
            said.append("with " + " ".join(self.options))
        return ", ".join(said)


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity  # the default
    fixable: bool
    summary: str
    why: str
    failing: str  # an example the rule reports
    passing: str  # the same example, corrected
    fix: str  # how to fix or silence it
    setting: Setting = field(default_factory=Setting)


# The handler in the example repository (src/runtime/ScheduleExecutor.ts), whole.
_HANDLER = """import type { Step } from '../compiler/ir/types';

export function executeFrame(step: Step): void {
  switch (step.kind) {
    case 'evalSig': return evalSig(step);
    case 'stateWrite': return writeState(step);
    case 'evalEvent': return fireEvent(step);
  }
}"""

RULES: dict[str, Rule] = {
    rule.code: rule
    for rule in (
        Rule(
            "DL001", "missing-file", "error", False,
            "A path in inline code or a link resolves to nothing in the tree.",
            "A path in a doc is a promise that the file exists. It is resolved from the root, "
            "the source root, the doc's own directory, as a unique path suffix (`ir/types.ts`) "
            "and, for a bare file name, by basename; `./x` and `../x` also from a folder the text "
            "names for them (`**server/**` leading a list of `./har/`). Globs, `~/...`, `@/alias` imports, URLs "
            "and extension patterns such as `.types.ts` are not paths and are never reported.",
            "The frame loop is in `src/runtime/FrameLoop.ts`.",
            "The frame loop is in `src/runtime/ScheduleExecutor.ts`.",
            "Correct the path, or remove the mention if the file is gone for good.",
        ),
        Rule(
            "DL002", "renamed-file", "error", True,
            "A path is gone, but git history or a unique basename match says where it went.",
            "When a file moves, every doc that names it goes stale at once. doclint follows "
            "git's rename detection from the commit that last touched the doc line, or "
            "finds the one file in the tree with the same name, and offers the new path as a "
            "fix.",
            "The schedule is built in `src/compiler/passes/schedule.ts`.",
            "The schedule is built in `src/compiler/backend/schedule.ts`.",
            "Run `doclint fix` to rewrite the path, or edit it by hand.",
        ),
        Rule(
            "DL003", "stale-line", "error", True,
            "A line or line range is past the end of its file or no longer covers the symbol named with it.",
            "Line numbers drift with every edit above them. doclint checks `path:12`, "
            "`path:12-40`, `path#L12-L40`, \"`path` (lines 12-40)\" and \"line 12\" after a "
            "path: the lines must exist, and a range given next to a symbol "
            "(\"`run` in `src/a.ts:10-20`\") must still overlap that symbol's declaration.",
            "`executeFrame` in `src/runtime/ScheduleExecutor.ts:900-950`",
            "`executeFrame` in `src/runtime/ScheduleExecutor.ts:3-9`",
            "Run `doclint fix` where a fix is offered, or update the numbers; prefer naming "
            "the function over quoting line numbers.",
        ),
        Rule(
            "DL004", "unknown-symbol", "error", False,
            "A name in inline code is declared nowhere in the indexed sources.",
            "Call forms (`f()`), qualified names (`State.field`) and names tied to a file "
            "(`x.ts#f`, \"`f` in `x.ts`\") are errors when they do not resolve. A bare "
            "identifier that looks like code (camelCase, PascalCase with two humps, "
            "snake_case) is a warning, and only when it is a near miss of a declared name: "
            "an unknown name with no close match may well belong to a library. Names used in "
            "the doc's own code blocks, imported from packages, or built into JavaScript "
            "count as known, and so do names this repository's code declares outside the "
            "configured sources (a test helper, a build script), unless that code is another "
            "project with its own package.json (an example app). A member of a module "
            "namespace (`export * as util from './util.js'`) is looked up in that module. In a "
            "doc whose code blocks import a package this repository does not hold, an unknown "
            "name is that package's API, unless it is a typo of a declared name. Not checked: "
            "names in a doc or section for another language's binding (`x-csharp.md`, "
            "\"## Python API\"), formats (`MAJOR.MINOR.PATCH`), file names (`DEPS.list`) and "
            "placeholders (`SomeRoute.useData`, `MyWidget()`).",
            "Each frame calls `runFrame()`.",
            "Each frame calls `executeFrame()`.",
            "Rename the reference, or suppress it with "
            "`<!-- doclint-disable-next-line unknown-symbol -->` when it names something "
            "outside the indexed sources.",
        ),
        Rule(
            "DL005", "unknown-member", "error", False,
            "A literal is close to, but not, a member of a configured union or domain.",
            "Rule packs declare discriminated unions (step kinds) and string domains (block "
            "types). A quoted literal that is almost a member is almost always a typo.",
            "A `'stateWrites'` step runs in phase 2.",
            "A `'stateWrite'` step runs in phase 2.",
            "Use the member's exact spelling.",
        ),
        Rule(
            "DL006", "broken-link", "error", False,
            "A relative Markdown link points at a file or directory that does not exist.",
            "Relative links are resolved the way GitHub renders them: from the linking doc's "
            "directory, or from the repository root for a leading `/`. A docs-site route the "
            "repository's site config redirects (`vercel.json`, Netlify, Next.js `redirects()`) is not broken.",
            "See [the model](runtime/exec-model.md).",
            "See [the model](runtime/execution-model.md).",
            "Point the link at the file's current location.",
        ),
        Rule(
            "DL007", "broken-anchor", "error", False,
            "A `#fragment` matches no heading or explicit anchor in the target Markdown file.",
            "Anchors follow GitHub's slug rules: lower case, punctuation dropped, spaces to "
            "hyphens, `-1`, `-2` for repeated headings; `<a id>` and `<a name>` count too. "
            "Renaming a heading silently breaks every link to it. Ids a docs tool makes are "
            "not reported when the fragment is one it would make: on an API page whose headings "
            "name members (`## async method: Page.goto` as `#page-goto`), for the entries of a "
            "list an MDX component is given (`name: 'onEnd'` as `#on-end`), and, outside a site "
            "doclint knows, for an id set at a heading's end (`{#id}`, `[#id]`); other misses "
            "into such an API page are warnings.",
            "See [phase two](runtime/execution-model.md#phase-2).",
            "See [phase two](runtime/execution-model.md#phase-2-state-writes).",
            "Link to the heading's current slug, or add an explicit `<a id=\"...\"></a>` anchor.",
        ),
        Rule(
            "DL008", "unknown-invariant", "error", False,
            "A spec ID matching the configured pattern is not defined in the spec files.",
            "Specs number their invariants; a doc citing an ID the spec does not define is "
            "pointing at nothing.",
            "This is required by invariant `I99`.",
            "This is required by invariant `I7`.",
            "Cite an ID the spec defines.",
        ),
        Rule(
            "DL009", "invariant-title", "warning", False,
            "A spec ID is cited with a title that matches none of the spec's titles for it.",
            "A wrong title next to a right ID makes the reader trust the wrong rule.",
            "**I7: Single time authority**",
            "**I7: Cycles must cross stateful boundary**",
            "Use the title the spec gives the ID.",
        ),
        Rule(
            "DL010", "comment-link", "error", False,
            "A doc path or anchor written in a TypeScript comment is broken.",
            "Code comments send readers to docs (`// See docs/x.md#anchor`); when the doc "
            "moves or its heading changes, the comment lies.",
            "// See docs/runtime/exec-model.md",
            "// See docs/runtime/execution-model.md",
            "Fix the path or anchor in the comment, or suppress it with "
            "`// doclint-disable-next-line comment-link`.",
            Setting(file="src/runtime/frame.ts"),
        ),
        Rule(
            "DL011", "undocumented-member", "error", False,
            "A member of a configured union or domain is not mentioned in the docs configured for it.",
            "A union that grows a member nobody documents is how docs fall behind the code. "
            "A member is documented by inline code, a heading, a table cell or a code-block "
            "listing that means it, in one of the docs its set names; the finding is in the doc "
            "that mentions most of the set, at the section that lists most of its members.",
            "| Step | Does |\n|---|---|\n| `evalSig` | evaluates a signal |\n| `stateWrite` | writes a state slot |",
            "| Step | Does |\n|---|---|\n| `evalSig` | evaluates a signal |\n| `stateWrite` | writes a state slot |\n"
            "| `evalEvent` | fires an event |",
            "Document the member in one of the docs the rule pack names, next to its siblings.",
            Setting(file="docs/runtime/execution-model.md"),
        ),
        Rule(
            "DL012", "unhandled-member", "warning", False,
            "A union member has no `case` in the configured handler function.",
            "A step kind the executor never handles is silently skipped at run time.",
            _HANDLER.replace("    case 'evalEvent': return fireEvent(step);\n", ""),
            _HANDLER,
            "Handle the member in the handler, or fix the rule pack's handler setting.",
            Setting(file="src/runtime/ScheduleExecutor.ts"),
        ),
        Rule(
            "DL013", "code-drift", "warning", False,
            "Code a doc refers to changed after the doc last changed.",
            "When the lines or symbol a doc describes are rewritten, the prose about them "
            "needs a human review even if every path still resolves.",
            _HANDLER.replace("return evalSig(step)", "return evalSignal(step, 0)"),
            _HANDLER,
            "Review the doc against the code, then run `doclint lock` to acknowledge.",
            Setting(file="src/runtime/ScheduleExecutor.ts", committed_after=True),
        ),
        Rule(
            "DL014", "excerpt-mismatch", "error", False,
            "A code block marked as an excerpt of a source region no longer matches it.",
            "Copied code goes stale the moment the original changes. Mark a fenced block with "
            "`excerpt=path:12-20` (or `excerpt=path#L12-L20`) in its info string and doclint "
            "compares it with those lines, ignoring indentation and blank lines at the edges; "
            "a line holding only `...` (or `// ...`) skips source lines. Checked against the "
            "sources; with the sources absent (a lock replay) excerpts are not compared.",
            "```ts excerpt=src/runtime/ScheduleExecutor.ts:3-4\nexport function executeFrame(steps) {\n"
            "  switch (step.kind) {\n```",
            "```ts excerpt=src/runtime/ScheduleExecutor.ts:3-4\nexport function executeFrame(step: Step): void {\n"
            "  switch (step.kind) {\n```",
            "Copy the current source lines into the block, or point the excerpt at their new lines.",
        ),
        Rule(
            "DL015", "unused-suppression", "warning", False,
            "A doclint-disable comment suppresses nothing (reported under --strict).",
            "A suppression that no longer suppresses anything hides the next real problem on "
            "that line; like ruff's RUF100, it is reported when --strict is given.",
            "<!-- doclint-disable-next-line DL001 -->\nA line with no broken path.",
            "A line with no broken path.",
            "Delete the suppression comment.",
            Setting(options=("--strict",)),
        ),
    )
}

BY_NAME: dict[str, Rule] = {rule.name: rule for rule in RULES.values()}


def lookup(code_or_name: str) -> Rule | None:
    key = code_or_name.strip()
    return RULES.get(key.upper()) or BY_NAME.get(key.lower())
