"""Is a reported span a claim about this repository's tree today? The claim model.

A check finds a span that does not resolve; whether that is worth an error depends on
more than the span. This module judges each problem of a doc by

- the doc's role: a changelog records history (a renamed or removed name is the point of
  the entry), and a plan or to-do list names things that do not exist yet;
- the span's context on its line: an example ("e.g.", "for example", "such as"), a plan
  ("(new)", "(planned)", "- [ ]" items), the reader's own project ("in your project"), a
  comparison or history ("instead of", "vs", "not", "deprecated"), a file the reader or
  the program makes ("creates", "writes", "save as": then only its folder is claimed);
- the target's shape, where the checks cannot see it: a bare file name in a source
  comment (`summary.md` is something a program writes, `docs/x.md` is a doc).

A problem that is not a definite claim is dropped: precision comes first. Which forms
count is documented in the README under "What is and is not a claim".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

from doclint.findings import Problem

Role = Literal["guide", "changelog", "plan", "fixture"]

# What `doclint explain` says of the claim model, for the rules it applies to.
EXPLAINED = ("Only a definite claim about this repository is reported: nothing in plans or to-do "
             "lists or test fixtures, only links to today's docs in changelogs; not examples "
             "(\"e.g.\", \"such as\"), comparisons or history (\"instead of\", \"not\", \"deprecated\", "
             "a list after \"Gone:\"), the reader's own project or another repository, a plan marker such "
             "as \"(new)\" or a verdict such as \"→ FORBIDDEN\", or a "
             "question whether it exists (\"check if `x` exists\"); for a file something creates, only "
             "its folder. A bare file name found nowhere is a warning.")

# Rules whose problems say "this reference does not hold": the ones a non-claim silences.
# Structural checks (pack coverage, invariants, excerpts) keep their own judgement.
CLAIM_RULES = frozenset({"DL001", "DL002", "DL003", "DL004", "DL006", "DL007", "DL013"})

_CHANGELOG_NAME = re.compile(r"(?:change[-_ ]?log|changes|history|releases?|release[-_ ]notes|news)"
                             r"(?:[-_.][\w.-]*)?\.mdx?", re.IGNORECASE)
_CHANGELOG_DIRS = frozenset({"changelog", "changelogs", ".changeset", ".changesets", "release-notes", "releases"})
_PLAN_NAME = re.compile(r"(?:plan|plans|todo|roadmap|backlog|proposal|draft|wip|scratch|notes)"
                        r"(?:[-_.][\w.-]*)?\.mdx?"
                        r"|[\w.-]+[-_.](?:plan|plans|todo|roadmap|backlog|proposal|draft|wip)\.mdx?",  # a-plan.md, a.plan.md
                        re.IGNORECASE)
_PLAN_DIRS = frozenset({".agent_planning", "planning", "plans", ".plans", "proposals", "rfcs", "drafts",
                        "scratch", "todo", ".scratch"})
# Test inputs: a doc in a fixture folder describes the made-up project a test runs on.
_FIXTURE_DIRS = frozenset({"fixtures", "fixture", "__fixtures__", "test-fixtures", "__snapshots__"})

# Words in the span's clause, before it, that make it an example, a comparison, history or
# the reader's own project: nothing about this tree is claimed.
_NOT_HERE = re.compile(
    r"(?:\be\.\s?g\b|\bfor\s+(?:example|instance)\b|\bsuch\s+as\b|\blike\b|\b(?:an\s+)?examples?(?=\W{0,3}:)|"
    r"\bsay\b|\bsuppose\b|\bimagine\b|\bhypothetical\b|"
    r"\b(?:in|to|from|into)\s+(?:your|the\s+user'?s|their)\s+(?:own\s+)?"
    r"(?:project|repo|repository|app|application|workspace|codebase|package)\b|"
    r"\byour\s+(?:own\s+)?(?:project|repo|repository|app|application|workspace|codebase)'?s?\b|"
    r"\b(?:remove|removes|removed|removing|delete|deletes|deleted|deleting|deprecate|deprecated|"
    r"instead\s+of|rather\s+than|vs\.?|versus|not|never|avoid|don'?t|no\s+longer|formerly|previously|gone(?=:)|"
    r"used\s+to\s+be|legacy)\b)",
    re.IGNORECASE,
)
# ... or something the reader or the program makes: only the folder it goes in is claimed.
_PRODUCT = re.compile(
    r"\b(?:create|creates|created|creating|generate|generates|generated|generating|write|writes|writing|"
    r"produce|produces|output|outputs|emit|emits|save|saves|saved|saving|dump|dumps|scaffold|scaffolds)\b",
    re.IGNORECASE,
)
# The reader's own project named after the span, on the same line.
_USER_PROJECT_AFTER = re.compile(
    r"\b(?:in|to|of|from)\s+(?:your|the\s+user'?s|their)\s+(?:own\s+)?"
    r"(?:project|repo|repository|app|application|workspace|codebase|package)\b"
    # "(in the project's repo)", "in another repo": a repository other than the one the doc is in
    r"|\bin\s+(?:the\s+(?:project|user|consumer|app|site)['’]s|another|other|a\s+(?:separate|different))\s+"
    r"(?:repo|repository|repos|repositories)\b",
    re.IGNORECASE,
)
_AFTER = re.compile(
    r"^\W{0,3}\s*\((?:new|planned|proposed|to\s+be\s+(?:created|added|written)|recommended|optional|"
    r"suggested|example|e\.\s?g\.|not\s+yet\s+\w+|tbd|todo|future|draft|generated|created\s+by\s+\w+)\b"
    r"|^\W{0,3}\s*(?:—|–|-|:)?\s*(?:new|will\s+be|to\s+be\s+created|planned)\b"
    # "`x.ts` → FORBIDDEN", "`x.ts` (wrong)": a counter-example
    r"|^\W{0,3}\s*(?:→|->|=>|—|–|-|:)?\s*\(?\s*(?:forbidden|not\s+allowed|disallowed|wrong|incorrect|invalid)\b"
    # "read `x` if it exists", "`x` (if present)": whether it exists is the question
    r"|^\W{0,3}\s*\(?\s*(?:if|when)\s+(?:it\s+|one\s+|the\s+file\s+)?(?:exists|is\s+present|present|any)\b",
    re.IGNORECASE,
)
# "Check if `x` exists": whether the path exists is the question, not a claim.
_EXISTENCE_ASKED = re.compile(r"\b(?:if|whether|unless)\s+(?:the\s+(?:file|folder|directory|path)\s+)?[`*_]*$",
                              re.IGNORECASE)
_EXISTS_AFTER = re.compile(r"^[`*_]*\s*(?:exists?|is\s+there|is\s+present)\b", re.IGNORECASE)
_WHERE_WORK_HAPPENS = re.compile(r"\b(?:in|into|to|from|at|of|under|inside|within|beside)\s+(?:the\s+)?[`*_]*$",
                                 re.IGNORECASE)
_CLAUSE_END = re.compile(r"[.;:!?|]\s")
_CODE_OR_DESTINATION = re.compile(r"`[^`]*`|\]\([^)]*\)")  # what a clause quotes, not says
_ABBREVIATION = re.compile(r"\b(?:e\.\s?g|i\.\s?e|vs|cf|viz)\.\s", re.IGNORECASE)  # not a sentence end
_LABEL = re.compile(r"(?:^|\W)\w+:$")  # a one-word label: "Gone:", "Removed:"
_BLOCK_START = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|#|\||>|```|~~~|<)")  # not a paragraph's next line
# A title whose last word (before a subtitle) says the doc is a plan.
_PLAN_TITLE = re.compile(r"#\s+(?:.*\s)?(?:plan|proposal|roadmap|rfc)\s*(?:[:(—–-].*)?$", re.IGNORECASE)
# A capitalised word right before a span: "Rspack `x()`", "Vite's `y`".
_LIBRARY_BEFORE = re.compile(r"(?:^|[\s(])([A-Z][\w.-]*?)(?:['’]s)?\s+`?$")
_TODO_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\[[ xX]?\]\s")
_PLAN_LINE = re.compile(r"^\s*(?:[-*+]|\d+[.)])?\s*(?:\*\*)?(?:todo|planned|proposal|next steps?|phase\s+\d+)\b",
                        re.IGNORECASE)


def role(path: str) -> Role:
    """What a doc is, from where it lives and what it is called."""
    parts = path.lower().split("/")
    name = parts[-1]
    if _CHANGELOG_NAME.fullmatch(name) or any(p in _CHANGELOG_DIRS for p in parts[:-1]):
        return "changelog"
    if _PLAN_NAME.fullmatch(name) or any(p in _PLAN_DIRS for p in parts[:-1]):
        return "plan"
    if any(p in _FIXTURE_DIRS for p in parts[:-1]):
        return "fixture"
    return "guide"


def is_claim(problem: Problem, line: str, doc_role: Role, previous: str = "") -> bool:
    """Does this problem's span, read on its line, claim something about today's tree?
    `previous` is the paragraph's line before, when the span's line continues it."""
    if problem.code not in CLAIM_RULES:
        return True
    if doc_role == "changelog" and problem.code == "DL007":
        # an entry's link to a section of today's docs is followed today; a bare `#id` like
        # none of the file's headings was written for the page the entry was copied from
        return not (problem.target or "").startswith("#") or problem.suggestion is not None
    if doc_role != "guide":
        return False
    start, end = problem.span.column - 1, len(line) if problem.span.end_line > problem.span.line \
        else problem.span.end_column - 1
    if start > 0 and line[start - 1] == "`" and "`" in line[end:]:
        end = line.index("`", end)  # the rest of the inline code the span is part of
    before = _sentence_before(line[:start] if previous == "" or _CLAUSE_END.search(line[:start])
                              else f"{previous} {line[:start]}")
    after = line[end:]
    if (_TODO_ITEM.match(line) or _PLAN_LINE.match(line)) and not _WHERE_WORK_HAPPENS.search(before):
        return False  # "- [ ] Add `f()`": the thing to make; "- [ ] Update it in `x.ts`": where, a claim
    prose = _CODE_OR_DESTINATION.sub("``", before)  # `generate-text.ts` is a name, not the verb "generate"
    if _NOT_HERE.search(prose) or _USER_PROJECT_AFTER.search(_clause_after(after)):
        return False
    if _AFTER.match(after.lstrip("`*_)] ")):
        return False
    if _EXISTENCE_ASKED.search(before) and _EXISTS_AFTER.match(after):
        return False
    return not _PRODUCT.search(prose) or (problem.target or "").endswith("/")


def _clause_after(text: str) -> str:
    cut = min((i for i in (text.find(". "), text.find("; "), text.find("|")) if i >= 0), default=len(text))
    return text[:cut]


def _sentence_before(text: str) -> str:
    """The part of the line before a span that belongs to its clause: back to the last
    sentence end or opening of a new item, so an "e.g." two sentences earlier does not count.
    A label before a colon says what the list after it is ("Removed: `a`, `b`"): it counts."""
    text = _ABBREVIATION.sub(lambda m: m.group(0).replace(". ", ".\u00a0"), text)  # "e.g. `x`" is one clause
    cut = max(text.rfind(". "), text.rfind("; "), text.rfind(": "), text.rfind("! "), text.rfind("? "),
              text.rfind("|"))
    clause = text[cut + 1 :] if cut >= 0 else text
    label = _LABEL.search(text[: cut + 1]) if cut >= 0 and text[cut] == ":" else None
    return ((label.group(0) if label else "") + clause)[-120:]


def filter_doc(path: str, problems: list[Problem], lines: list[str],
               libraries: Callable[[], frozenset[str]] = frozenset) -> list[Problem]:
    """The problems of one doc that are claims; `lines` are the doc's lines as checked;
    `libraries` gives how prose names the packages the repository depends on (`rspack`)."""
    if not problems:
        return problems
    doc_role = role(path)
    if doc_role == "guide" and _titled_as_a_plan(lines):
        doc_role = "plan"
    kept = []
    for problem in problems:
        number = problem.span.line
        line = lines[number - 1] if 1 <= number <= len(lines) else ""
        previous = lines[number - 2] if 2 <= number <= len(lines) else ""
        # a list that runs on from the line above ("Gone: `a`,\n`b`") is read with its start
        continues = previous.rstrip().endswith(",") and not _BLOCK_START.match(line)
        if not is_claim(problem, line, doc_role, previous if continues else ""):
            continue
        if problem.code == "DL004" and problem.span.end_line == problem.span.line:
            named = _LIBRARY_BEFORE.search(line[: problem.span.column - 1])
            if named and named.group(1).lower() in libraries():
                continue  # "Rspack `MultiCompiler.run()`": the API of a package the repository uses
        kept.append(problem)
    return kept


def _titled_as_a_plan(lines: list[str]) -> bool:
    """`# Performance Improvements Plan`, `# RFC: ...`: the doc's title says it is a plan."""
    for line in lines[:40]:
        if line.startswith("# "):
            return bool(_PLAN_TITLE.match(line))
    return False


def comment_path_is_claim(written: str, fragment: str | None, before: str) -> bool:
    """A doc path in a source comment: a claim when it points somewhere (a folder, a `./`
    path, an anchor) and is not a pattern or a product the code makes."""
    if before.endswith(("*", "*.", ".")):
        return False  # `*.cron.md`: a pattern
    if "/" not in written and fragment is None:
        return False  # `summary.md`, `MEMORY.md`: a file name the code reads or writes, not a doc here
    clause = _sentence_before(before.rsplit("\n", 1)[-1])
    return not (_NOT_HERE.search(clause) or _PRODUCT.search(clause))

