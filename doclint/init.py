"""`doclint init`: a first doclint.toml chosen from what the tree holds.

It looks for the places a maintainer would name by hand: workspace packages (package.json
`workspaces`, pnpm-workspace.yaml), source folders, documentation folders, a docs site's
config, agent instruction files and changelogs; and writes each choice with a comment
saying why, so the file explains itself.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from doclint.config import CONFIG_FILES, KEYS, _pyproject_table
from doclint.errors import DoclintError
from doclint.globs import GlobSet
from doclint.packages import workspace_patterns
from doclint.tree import FileTree

SOURCE_FOLDERS = ("src", "lib", "app", "source", "server", "client")
DOC_FOLDERS = ("docs", "doc", "documentation", "website/docs", "guides")
SITE_CONFIGS = {  # also how doclint/sites.py recognises a site
    "docusaurus": tuple(f"docusaurus.config.{e}" for e in ("js", "ts", "mjs", "cjs", "mts")),
    "mkdocs": ("mkdocs.yml", "mkdocs.yaml"),
    "vitepress": tuple(f".vitepress/config.{e}" for e in ("js", "ts", "mts", "mjs", "cjs", "cts")),
    "starlight": tuple(f"astro.config.{e}" for e in ("mjs", "ts", "js", "mts", "cjs")),
}
_TS = (".ts", ".tsx", ".mts", ".cts")
_JS = (".js", ".jsx", ".mjs", ".cjs")  # listed only where such files exist


@dataclass
class Proposal:
    docs: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    site: str | None = None
    site_file: str | None = None
    packages: list[str] = field(default_factory=list)
    agent_files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def existing_config(root: Path) -> Path | None:
    for name in CONFIG_FILES:
        if (root / name).exists():
            return root / name
    if _pyproject_table(root / "pyproject.toml", required=False) is not None:
        return root / "pyproject.toml"
    return None


def propose(root: Path) -> Proposal:
    from doclint.config import AGENT_FILES

    tree = FileTree(root, GlobSet([]))
    found = Proposal()
    found.packages = _workspace_packages(root, tree)
    code_roots = found.packages or [d for d in SOURCE_FOLDERS if tree.is_dir(d)]
    extensions = _TS + _JS
    for folder in code_roots or [""]:
        prefix = f"{folder}/" if folder else ""
        for ext in extensions:
            pattern = f"{prefix}**/*{ext}"
            if any(GlobSet([pattern]).match(p) for p in tree.files):
                found.sources.append(pattern)
    for folder in DOC_FOLDERS:
        if tree.is_dir(folder):
            for ext in (".md", ".mdx"):
                if any(p.startswith(folder + "/") and p.endswith(ext) for p in tree.files):
                    found.docs.append(f"{folder}/**/*{ext}")
    agents = GlobSet(AGENT_FILES)
    for name in sorted(p for p in tree.files if "/" not in p and p.lower().endswith(".md")):
        if not name.lower().startswith(("changelog", "history")) and not agents.match(name):
            found.docs.append(name)
    for package in found.packages:
        found.docs.append(f"{package}/README.md")
    if any(re.search(r"(^|/)(CHANGELOG|HISTORY)\.mdx?$", p, re.IGNORECASE) for p in tree.files):
        found.exclude.append("**/CHANGELOG.md")
        found.notes.append("changelogs are history, not claims about today's tree: excluded")
    for site, names in SITE_CONFIGS.items():
        for name in names:
            hit = next((p for p in sorted(tree.files) if p == name or p.endswith("/" + name)), None)
            if hit and (site != "starlight" or "starlight" in (tree.read_text(hit) or "")):
                found.site, found.site_file = site, hit
                break
        if found.site:
            break
    if found.site_file:  # the site's own content folder, when it is not one of the usual ones
        site_docs = posixpath.join(posixpath.dirname(found.site_file), "docs")
        for ext in (".md", ".mdx"):
            pattern = f"{site_docs}/**/*{ext}"
            if pattern not in found.docs and any(p.startswith(site_docs + "/") and p.endswith(ext)
                                                 for p in tree.files):
                found.docs.insert(0, pattern)
    found.agent_files = sorted(p for p in tree.files if agents.match(p))
    return found


def _workspace_packages(root: Path, tree: FileTree) -> list[str]:
    """The package folder patterns of a JavaScript monorepo, as its own config lists them."""
    patterns = workspace_patterns(tree)
    kept = []
    for pattern in patterns:
        pattern = pattern.strip().removeprefix("./").rstrip("/")
        if pattern and not pattern.startswith("!") and ".." not in pattern and pattern not in kept:
            kept.append(pattern.replace("/**", "/*"))
    return kept


def render(found: Proposal) -> str:
    def listing(values: list[str]) -> str:
        return "[\n" + "".join(f'    "{v}",\n' for v in values) + "]"

    out = ["# doclint configuration, written by `doclint init`. Every key is optional.",
           "# Reference: doclint's README (Configuration); `doclint rules` lists the rules.", ""]
    if found.docs:
        out += ["# Docs to check. Agent instruction files (CLAUDE.md, AGENTS.md, .cursor/rules, ...)",
                "# are always checked as well, wherever they are.", f"docs = {listing(found.docs)}", ""]
    else:
        out += ["# No docs folder found: every Markdown and MDX file is checked (the default).", ""]
    if found.sources:
        why = (f"the workspace packages ({', '.join(found.packages)})" if found.packages else
               "the source folders found")
        out += [f"# Code to index: {why}.", f"sources = {listing(found.sources)}", ""]
    if found.exclude:
        out += ["# Changelogs record renames and removals: history, not claims about today's tree.",
                f"exclude = {listing(found.exclude)}", ""]
    if found.site:
        line = f'site = "{found.site}"'
        if "site" not in KEYS:
            line = "# " + line + "   (this doclint does not read site dialects yet)"
        out += [f"# Links and heading ids resolve as on the docs site ({found.site_file}).", line, ""]
    out += ["# Start with what exists today: `doclint baseline` records the current findings,",
            "# and checks report only new ones.",
            '# baseline = "doclint-baseline.json"', "",
            "# Rule packs declare unions and domains the docs must cover; see the README.",
            '# rules = ["rules/my-pack.toml"]', "",
            "# [severity]",
            '# unknown-symbol = "warning"', ""]
    return "\n".join(out)


def write(root: Path) -> tuple[Path, Proposal]:
    present = existing_config(root)
    if present is not None:
        raise DoclintError(f"{os.path.relpath(present)} already configures doclint; `doclint init` never overwrites")
    found = propose(root)
    destination = root / "doclint.toml"
    try:
        with open(destination, "x", encoding="utf-8") as handle:  # never over a file made meanwhile
            handle.write(render(found))
    except FileExistsError:
        raise DoclintError("doclint.toml already exists; `doclint init` never overwrites") from None
    except OSError as exc:
        raise DoclintError(f"cannot write doclint.toml: {exc.strerror}") from None
    return destination, found
