#!/usr/bin/env python3
"""Measure doclint's precision and recall on the labelled corpus of public repositories.

    python benchmarks/corpus/run.py                         # the table, every repository, both modes
    python benchmarks/corpus/run.py --repo colinhacks/zod   # one repository
    python benchmarks/corpus/run.py --unlabelled            # also list every finding no label covers
    python benchmarks/corpus/run.py --sample 60 --seed 1    # a seeded sample to label (agent files: all)
    python benchmarks/corpus/run.py --check                 # exit 1 below the thresholds

`repos.toml` pins each repository at a commit. Its tree is exported from a local bare git
mirror (`--mirrors`, default /work/.mirror/<owner>+<repo>/repo) into `--trees` (default
/work/corpus-trees/<owner>+<repo>) the first time it is needed; doclint never runs on a
directory holding anything but that commit's files. Each tree is checked twice: "bare"
(no config, what a new user gets) and "config" (`<owner>__<repo>/doclint.toml`, what a
maintainer would write). Findings are matched to `<owner>__<repo>/labels.jsonl` by
(path, line, target), the rule code breaking ties; a label applies to both modes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent.parent
MODES = ("bare", "config")
LABEL_KEYS = ("path", "line", "code", "target", "verdict", "reason")
# Export leaves out what export-tree.sh leaves out: dependencies and the top-level build output.
SKIPPED_PARTS = ("node_modules",)
# The agent instruction files of SPEC section 1; wider than what doclint checks today on purpose,
# so a file the product should cover but does not yet shows up as missed recall.
AGENT_GLOBS = (
    "**/CLAUDE.md", "**/CLAUDE.local.md", "**/AGENTS.md", "**/GEMINI.md",
    ".github/copilot-instructions.md", ".github/instructions/*.instructions.md",
    "**/.cursor/rules/**", "**/.cursorrules", "**/.clinerules", "**/.clinerules/**",
    "**/.windsurfrules", "**/.windsurf/rules/**", "**/.continue/rules/**", "**/.roo/rules*/**",
    "**/.claude/**",
)
THRESHOLDS = {"overall": 0.97, "repo": 0.90, "recall": 0.95}

try:
    from doclint.config import Config, load_config
    from doclint.errors import DoclintError
    from doclint.globs import GlobSet
except ImportError:  # run with a Python that lacks doclint: use the project's venv (`make venv`)
    venv_python = PROJECT / ".venv" / "bin" / "python"
    if venv_python.is_file() and Path(sys.executable).resolve() != venv_python.resolve():
        os.execv(str(venv_python), [str(venv_python), __file__, *sys.argv[1:]])
    sys.exit("run.py: doclint is not importable; run `make venv` in the project root first")


AGENT_FILES = GlobSet(AGENT_GLOBS)


class CorpusError(Exception):
    """A problem with the corpus files or the machine; one line, exit 2."""


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Repo:
    name: str  # owner/repo
    commit: str

    @property
    def key(self) -> str:
        return self.name.replace("/", "__")

    @property
    def mirror_key(self) -> str:
        return self.name.replace("/", "+")


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    column: int
    code: str
    severity: str
    target: str
    message: str


@dataclass(frozen=True)
class Label:
    path: str
    line: int
    code: str
    target: str
    verdict: bool
    reason: str


@dataclass(frozen=True)
class Score:
    findings: int
    errors: int
    labelled_errors: int
    true: int
    false: int
    unlabelled_errors: int
    recall_found: int
    recall_total: int

    @property
    def precision(self) -> float | None:
        return self.true / self.labelled_errors if self.labelled_errors else None

    @property
    def recall(self) -> float | None:
        return self.recall_found / self.recall_total if self.recall_total else None

    def __add__(self, other: Score) -> Score:
        return Score(*(a + b for a, b in zip(self.fields(), other.fields(), strict=True)))

    def fields(self) -> tuple[int, ...]:
        return (self.findings, self.errors, self.labelled_errors, self.true, self.false,
                self.unlabelled_errors, self.recall_found, self.recall_total)


ZERO = Score(0, 0, 0, 0, 0, 0, 0, 0)


# --------------------------------------------------------------------------- matching and scoring (pure)


def is_agent_file(path: str) -> bool:
    return AGENT_FILES.match(path)


def match(finding: Finding, labels: Sequence[Label]) -> Label | None:
    """The label for a finding: same (path, line, target); the one with the same code if several."""
    candidates = [lb for lb in labels if (lb.path, lb.line, lb.target) == (finding.path, finding.line, finding.target)]
    for label in candidates:
        if label.code == finding.code:
            return label
    return candidates[0] if candidates else None


def score(findings: Sequence[Finding], labels: Sequence[Label], in_scope=lambda path: True) -> Score:
    """Error-level precision over labelled errors; recall over the labelled-true problems in scope.

    A labelled-true problem counts as found while it is reported at all (a bare name is a
    warning by design); one in a file the mode does not check (`in_scope` false) counts
    neither way.
    """
    errors = [f for f in findings if f.severity == "error"]
    verdicts = [match(f, labels) for f in errors]
    true = sum(1 for lb in verdicts if lb is not None and lb.verdict)
    false = sum(1 for lb in verdicts if lb is not None and not lb.verdict)
    found = {lb for lb in (match(f, labels) for f in findings) if lb is not None and lb.verdict}
    wanted = [lb for lb in labels if lb.verdict and in_scope(lb.path)]
    return Score(
        findings=len(findings), errors=len(errors), labelled_errors=true + false, true=true, false=false,
        unlabelled_errors=sum(1 for lb in verdicts if lb is None),
        recall_found=sum(1 for lb in wanted if lb in found), recall_total=len(wanted),
    )


def unlabelled(findings: Iterable[Finding], labels: Sequence[Label]) -> list[Finding]:
    return [f for f in findings if match(f, labels) is None]


def sample(findings: Sequence[Finding], labels: Sequence[Label], size: int, seed: str) -> list[Finding]:
    """Every unlabelled agent-file finding, and the unlabelled among a seeded sample of the other errors.

    The sample is drawn from all non-agent errors, labelled or not, so it stays the same while
    labels are added: labelling it to the end leaves `size` labelled findings of that draw.
    """
    ordered = sorted(set(findings), key=sort_key)
    agent = [f for f in ordered if is_agent_file(f.path)]
    others = [f for f in ordered if f.severity == "error" and not is_agent_file(f.path)]
    drawn = random.Random(seed).sample(others, min(size, len(others)))
    return unlabelled(agent + sorted(drawn, key=sort_key), labels)


def sort_key(f: Finding) -> tuple:
    return (f.path, f.line, f.column, f.code, f.target)


def check_thresholds(rows: dict[tuple[str, str], Score]) -> list[str]:
    """The ways the table falls short of the targets of issue 13 (empty when it meets them)."""
    failures = []
    for (repo, mode), s in sorted(rows.items()):
        limit = THRESHOLDS["overall"] if repo == "overall" else THRESHOLDS["repo"]
        if s.precision is not None and s.precision < limit:
            failures.append(f"{repo} {mode}: precision {s.precision:.1%} < {limit:.0%}")
        if repo == "overall" and s.recall is not None and s.recall < THRESHOLDS["recall"]:
            failures.append(f"{repo} {mode}: recall {s.recall:.1%} < {THRESHOLDS['recall']:.0%}")
    return failures


# --------------------------------------------------------------------------- files


def load_repos(path: Path) -> list[Repo]:
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CorpusError(f"{path}: {exc}") from None
    repos = []
    for i, entry in enumerate(table.get("repo", [])):
        name, commit = entry.get("name"), entry.get("commit")
        if not isinstance(name, str) or name.count("/") != 1:
            raise CorpusError(f"{path}: repo #{i + 1}: 'name' must be \"owner/repo\"")
        if not isinstance(commit, str) or len(commit) != 40 or any(c not in "0123456789abcdef" for c in commit):
            raise CorpusError(f"{path}: {name}: 'commit' must be 40 lowercase hex digits")
        repos.append(Repo(name, commit))
    return repos


def parse_labels(lines: Iterable[str], where: str) -> list[Label]:
    labels = []
    for number, text in enumerate(lines, 1):
        if not text.strip():
            continue
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CorpusError(f"{where}:{number}: not JSON ({exc.msg})") from None
        if not isinstance(raw, dict) or set(raw) != set(LABEL_KEYS):
            raise CorpusError(f"{where}:{number}: a label has exactly the keys {', '.join(LABEL_KEYS)}")
        if raw["verdict"] not in ("true", "false") or not isinstance(raw["line"], int):
            raise CorpusError(f"{where}:{number}: 'verdict' is \"true\" or \"false\" and 'line' an integer")
        if not all(isinstance(raw[k], str) for k in ("path", "code", "target", "reason")) or not raw["reason"]:
            raise CorpusError(f"{where}:{number}: 'path', 'code', 'target' and a non-empty 'reason' are strings")
        labels.append(Label(raw["path"], raw["line"], raw["code"], raw["target"], raw["verdict"] == "true",
                            raw["reason"]))
    return labels


def label_line(label: Label) -> str:
    raw = {"path": label.path, "line": label.line, "code": label.code, "target": label.target,
           "verdict": "true" if label.verdict else "false", "reason": label.reason}
    return json.dumps(raw, ensure_ascii=False)


def label_sort_key(label: Label) -> tuple:
    return (label.path, label.line, label.code, label.target)


def load_labels(repo: Repo) -> list[Label]:
    path = HERE / repo.key / "labels.jsonl"
    if not path.is_file():
        return []
    return parse_labels(path.read_text(encoding="utf-8").splitlines(), str(path.relative_to(PROJECT)))


def normalise_labels(repo: Repo) -> int:
    """Rewrite labels.jsonl sorted, one label per (path, line, code, target); returns the count."""
    path = HERE / repo.key / "labels.jsonl"
    unique = {label_sort_key(lb): lb for lb in load_labels(repo)}
    text = "".join(label_line(unique[k]) + "\n" for k in sorted(unique))
    tmp = path.with_suffix(".jsonl.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return len(unique)


def ensure_tree(repo: Repo, trees: Path, mirrors: Path) -> Path:
    """The exported tree of the pinned commit, exported from the mirror the first time."""
    out = trees / repo.mirror_key
    stamp = out / ".corpus-commit"
    if stamp.is_file() and stamp.read_text().strip() == repo.commit:
        return out
    git_dir = mirrors / repo.mirror_key / "repo"
    if not git_dir.is_dir():
        raise CorpusError(
            f"no mirror of {repo.name} at {git_dir}: bring it with the fetch tool (github:{repo.name}) "
            f"or `git clone --bare https://github.com/{repo.name} {git_dir}`"
        )
    if out.exists():
        raise CorpusError(f"{out} exists but is not an export of {repo.commit}; remove it to re-export")
    listing = _git(git_dir, "ls-tree", "-r", "-z", repo.commit)
    blobs = []
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, path = entry.split(b"\t", 1)
        mode, kind, sha = meta.split()
        name = path.decode("utf-8", "surrogateescape")
        parts = name.split("/")
        if kind != b"blob" or mode == b"120000" or any(p in SKIPPED_PARTS for p in parts) or parts[0] == "dist":
            continue
        blobs.append((sha.decode(), name))
    tmp = Path(tempfile.mkdtemp(prefix=f".{repo.mirror_key}.", dir=trees))
    tmp.chmod(0o755)  # mkdtemp's 0700 would hide the tree from other labellers on the machine
    written = _export_blobs(git_dir, blobs, tmp)
    (tmp / ".corpus-commit").write_text(repo.commit + "\n")
    tmp.rename(out)
    print(f"exported {written} files of {repo.name}@{repo.commit[:12]} to {out}", file=sys.stderr, flush=True)
    return out


def _export_blobs(git_dir: Path, blobs: list[tuple[str, str]], out: Path) -> int:
    """Write each blob with one `cat-file --batch`; blobs a partial mirror lacks are skipped."""
    proc = subprocess.Popen(["git", f"--git-dir={git_dir}", "cat-file", "--batch"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert proc.stdin and proc.stdout
    written = 0
    for sha, name in blobs:
        proc.stdin.write(sha.encode() + b"\n")
        proc.stdin.flush()
        header = proc.stdout.readline().split()
        if len(header) < 3 or header[1] == b"missing":
            continue
        data = proc.stdout.read(int(header[2]))
        proc.stdout.read(1)
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written += 1
    proc.stdin.close()
    proc.wait()
    return written


def _git(git_dir: Path, *args: str) -> bytes:
    result = subprocess.run(["git", f"--git-dir={git_dir}", *args], capture_output=True)
    if result.returncode != 0:
        raise CorpusError(f"git {' '.join(args[:2])} in {git_dir}: {result.stderr.decode().strip()}")
    return result.stdout


# --------------------------------------------------------------------------- running doclint


def run_doclint(tree: Path, config: Path | None) -> list[Finding]:
    # The console script of this interpreter's doclint: `python -m doclint` would import a
    # `doclint/` folder in the working directory (another checkout) ahead of the installed one.
    script = Path(sys.executable).parent / "doclint"
    command = [str(script) if script.is_file() else "doclint", "check", "--root", str(tree), "--format", "json",
               "--no-cache", "--exit-zero"]
    if config is not None:
        command += ["--config", str(config)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=tree)
    if result.returncode != 0:
        raise CorpusError(f"doclint on {tree} exited {result.returncode}: {result.stderr.strip()[-400:]}")
    return [
        Finding(f["path"], f["line"], f["column"], f["code"], f["severity"], f.get("target") or "", f["message"])
        for f in json.loads(result.stdout)["findings"]
    ]


def scope_of(config: Path | None):
    """Which labelled paths a mode checks: the config's docs and sources (doclint's defaults with no
    config), and agent files always."""
    try:
        cfg = Config() if config is None else load_config(config.parent, config)
    except DoclintError as exc:
        raise CorpusError(f"{config}: {exc}") from None
    selected = GlobSet(cfg.docs + cfg.sources)
    excluded = cfg.exclude_globs
    return lambda path: not excluded.match(path) and (selected.match(path) or is_agent_file(path))


# --------------------------------------------------------------------------- output


def table(rows: dict[tuple[str, str], Score]) -> str:
    header = ("repository", "mode", "findings", "errors", "labelled", "true", "false", "precision", "recall",
              "unlabelled")
    body = []
    for (repo, mode), s in rows.items():
        body.append((repo, mode, str(s.findings), str(s.errors), str(s.labelled_errors), str(s.true),
                     str(s.false), _pct(s.precision),
                     f"{_pct(s.recall)} ({s.recall_found}/{s.recall_total})", str(s.unlabelled_errors)))
    widths = [max(len(r[i]) for r in (header, *body)) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))
             for r in (header, *body)]
    return "\n".join(lines[:1] + ["-" * len(lines[0])] + lines[1:])


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def describe(f: Finding, repo: Repo, mode: str) -> str:
    agent = " [agent]" if is_agent_file(f.path) else ""
    raw = {"repo": repo.name, "mode": mode, "path": f.path, "line": f.line, "code": f.code, "target": f.target,
           "severity": f.severity, "message": f.message}
    return json.dumps(raw, ensure_ascii=False) + agent


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", action="append", help="owner/repo (repeatable; default: every repository)")
    parser.add_argument("--trees", type=Path, default=Path("/work/corpus-trees"), help="where exports live")
    parser.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"), help="bare git mirrors")
    parser.add_argument("--mode", choices=MODES, action="append", help="bare or config (default: both)")
    parser.add_argument("--unlabelled", action="store_true", help="list every finding no label covers")
    parser.add_argument("--sample", type=int, metavar="N", help="list a seeded sample of N unlabelled errors")
    parser.add_argument("--seed", default="13", help="seed of --sample (default 13)")
    parser.add_argument("--normalise", action="store_true", help="rewrite labels.jsonl sorted and deduplicated")
    parser.add_argument("--check", action="store_true", help="exit 1 when below the thresholds of issue 13")
    args = parser.parse_args(argv)
    try:
        return _main(args)
    except CorpusError as exc:
        print(f"run.py: {exc}", file=sys.stderr)
        return 2


def _main(args: argparse.Namespace) -> int:
    repos = load_repos(HERE / "repos.toml")
    if args.repo:
        unknown = set(args.repo) - {r.name for r in repos}
        if unknown:
            raise CorpusError(f"not in repos.toml: {', '.join(sorted(unknown))}")
        repos = [r for r in repos if r.name in args.repo]
    if args.normalise:
        for repo in repos:
            if (HERE / repo.key / "labels.jsonl").is_file():
                print(f"{repo.name}: {normalise_labels(repo)} labels")
        return 0
    modes = args.mode or list(MODES)
    args.trees.mkdir(parents=True, exist_ok=True)
    rows: dict[tuple[str, str], Score] = {}
    totals = {mode: ZERO for mode in modes}
    for repo in repos:
        tree = ensure_tree(repo, args.trees, args.mirrors)
        labels = load_labels(repo)
        for mode in modes:
            config = HERE / repo.key / "doclint.toml" if mode == "config" else None
            if config is not None and not config.is_file():
                raise CorpusError(f"{config.relative_to(PROJECT)} is missing")
            findings = run_doclint(tree, config)
            s = score(findings, labels, scope_of(config))
            rows[(repo.name, mode)] = s
            totals[mode] = totals[mode] + s
            listed = []
            if args.unlabelled:
                listed = sorted(unlabelled(findings, labels), key=sort_key)
            elif args.sample is not None:
                listed = sample(findings, labels, args.sample, f"{args.seed}:{repo.name}:{mode}")
            for f in listed:
                print(describe(f, repo, mode))
    for mode in modes:
        rows[("overall", mode)] = totals[mode]
    print(table(rows))
    if args.check:
        failures = check_thresholds(rows)
        for failure in failures:
            print(f"below target: {failure}")
        return 1 if failures else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
