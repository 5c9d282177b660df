"""Configuration: `doclint.toml`, `.doclint.toml` or `[tool.doclint]` in `pyproject.toml`."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal  # Any: parsed TOML, whose values are whatever the file holds

from doclint.confine import contains, inside_root
from doclint.errors import ConfigError
from doclint.globs import GlobError, GlobSet
from doclint.registry import lookup
from doclint.slugs import Dialect
from doclint.tsindex import SOURCE_EXTENSIONS

CONFIG_FILES = ("doclint.toml", ".doclint.toml")
Level = Literal["error", "warning", "off"]  # a rule's severity as config sets it
SEVERITIES: tuple[Level, ...] = ("error", "warning", "off")
DEFAULT_DOCS = ("**/*.md", "**/*.mdx")
DEFAULT_SOURCES = tuple(f"**/*{ext}" for ext in SOURCE_EXTENSIONS)
# Never worth walking, whatever the config says.
ALWAYS_EXCLUDED_DIRS = frozenset({".git", "node_modules", ".venv", "__pycache__", ".doclint_cache"})
# Agent instruction files are always checked, wherever they are in the tree.
AGENT_FILES = (
    "**/CLAUDE.md", "**/CLAUDE.local.md", "**/AGENTS.md", "**/GEMINI.md", "**/.claude/**/*.md",
    "**/.github/copilot-instructions.md", "**/.github/instructions/**/*.instructions.md",
    "**/.cursor/rules/**/*.mdc", "**/.cursor/rules/**/*.md", "**/.cursorrules",
    "**/.clinerules", "**/.clinerules/**/*.md", "**/.windsurfrules", "**/.windsurf/rules/**/*.md",
    "**/.continue/rules/**/*.md", "**/.roo/**/*.md", "**/.agents/**/*.md",
)

MAX_PARSE_SECONDS = 86_400  # a day: beyond it, and for inf or nan, a timer cannot be set
KEYS = {"docs", "sources", "exclude", "rules", "lock", "baseline", "severity", "max-file-size",
        "max-parse-seconds", "respect-gitignore", "repository", "site"}
SITES: tuple[Dialect, ...] = ("github", "docusaurus", "mkdocs", "vitepress", "starlight")


@dataclass
class Config:
    path: Path | None = None
    docs: tuple[str, ...] = DEFAULT_DOCS
    sources: tuple[str, ...] = DEFAULT_SOURCES
    exclude: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    lock: str | None = None
    baseline: str | None = None  # None: doclint-baseline.json when the root has one
    severity: dict[str, Level] = field(default_factory=dict)  # rule code -> severity
    max_file_size: int = 2_000_000
    max_parse_seconds: float = 10.0
    respect_gitignore: bool = True  # files .gitignore names are neither docs nor sources
    repository: str | None = None  # "github.com/owner/name"; None: from the origin remote
    site: Dialect | None = None  # how links and heading ids resolve; None: detected from the tree

    @property
    def where(self) -> str:
        """How errors name this config."""
        return _display(self.path) if self.path else "config"

    @property
    def docs_globs(self) -> GlobSet:
        return GlobSet(self.docs)

    @property
    def sources_globs(self) -> GlobSet:
        return GlobSet(self.sources)

    @property
    def exclude_globs(self) -> GlobSet:
        return GlobSet(self.exclude)


def find_root(start: Path) -> Path:
    """The nearest ancestor holding a config file or `.git`; `start` itself if none does."""
    start = start.resolve()
    for candidate in (start, *start.parents):
        if any((candidate / name).is_file() for name in CONFIG_FILES):
            return candidate
        pyproject = candidate / "pyproject.toml"
        inside = contains(os.path.realpath(candidate), os.path.realpath(pyproject))  # else not read
        if inside and _pyproject_table(pyproject, required=False) is not None:
            return candidate
        if (candidate / ".git").exists():
            return candidate
    return start


def load_config(root: Path, explicit: Path | None = None) -> Config:
    """The root's config; `explicit` (from `--config`) is the user's choice and read wherever it is.
    A config file of the root's own that leads outside it stops the run."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError("config file not found", str(explicit))
        table = _read_toml(explicit)
        if explicit.name == "pyproject.toml":
            tool = table.get("tool")
            table = tool.get("doclint", {}) if isinstance(tool, dict) else {}
            if not isinstance(table, dict):
                raise ConfigError("[tool.doclint] must be a table", str(explicit))
        return _parse(table, explicit, root)
    for name in (*CONFIG_FILES, "pyproject.toml"):
        candidate = root / name
        if not os.path.lexists(candidate):
            continue
        real = inside_root(root, name, _display(candidate))
        if name == "pyproject.toml":
            tool_table = _pyproject_table(real, required=True)
            return _parse(tool_table, candidate, root) if tool_table is not None else Config()
        if real.is_file():
            return _parse(_read_toml(real), candidate, root)
    return Config()


# A `[tool.doclint]` table, one of its sub-tables, or a dotted `tool.doclint.…` key: text that
# says a pyproject.toml holds doclint's settings even when it does not parse.
_DOCLINT_TABLE = re.compile(r"""^[ \t]*(?:\[[ \t]*)?(?:tool[ \t]*\.[ \t]*)?(["']?)doclint\1[ \t]*[.=\]]""", re.MULTILINE)


def _pyproject_table(path: Path, required: bool) -> dict[str, Any] | None:
    """The `[tool.doclint]` table of a pyproject.toml, or None. As ruff does, a pyproject.toml
    that does not parse is an error when doclint would read it (`required`: the root's, with no
    doclint.toml) or when it seems to hold doclint's settings: running with the defaults instead
    would quietly ignore them. Any other broken pyproject.toml on the way up is not ours."""
    if not path.is_file():
        return None
    try:
        data = _read_toml(path)
    except ConfigError:
        if required or _mentions_doclint(path):
            raise
        return None
    tool = data.get("tool")
    table = tool.get("doclint") if isinstance(tool, dict) else None
    return table if isinstance(table, dict) else None


def _mentions_doclint(path: Path) -> bool:
    try:
        return _DOCLINT_TABLE.search(path.read_text(encoding="utf-8", errors="replace")) is not None
    except OSError:
        return False


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", str(path)) from None
    except UnicodeDecodeError:
        raise ConfigError("not valid UTF-8", str(path)) from None
    except tomllib.TOMLDecodeError as exc:  # its message ends "(at line L, column C)"
        raise ConfigError(f"invalid TOML: {exc}", str(path)) from None
    except RecursionError:
        raise ConfigError("invalid TOML: arrays or tables nested too deeply", str(path)) from None


def _parse(table: dict[str, Any], path: Path, root: Path) -> Config:
    where = _display(path)
    config = Config(path=path)
    for key in table:
        if key not in KEYS:
            raise ConfigError(f"unknown key '{key}' (known: {', '.join(sorted(KEYS))})", where)
    for key in ("docs", "sources", "exclude"):
        if key in table:
            globs = _string_list(table[key], key, where)
            for pattern in globs:
                try:
                    GlobSet([pattern])
                except GlobError as exc:
                    raise ConfigError(f"key '{key}': {exc}", where) from None
            setattr(config, key, tuple(globs))
    if "rules" in table:
        config.rules = tuple(_string_list(table["rules"], "rules", where))
    if "lock" in table:
        if not isinstance(table["lock"], str) or not table["lock"]:
            raise ConfigError("key 'lock' must be a file path string", where)
        if (root / table["lock"]).is_dir():
            raise ConfigError(f"key 'lock' names a directory ({table['lock']!r}); give the lock file's path", where)
        config.lock = table["lock"]
    if "baseline" in table:
        if not isinstance(table["baseline"], str) or not table["baseline"]:
            raise ConfigError("key 'baseline' must be a file path string", where)
        config.baseline = table["baseline"]
    if "max-file-size" in table:
        value = table["max-file-size"]
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise ConfigError("key 'max-file-size' must be a positive integer (bytes)", where)
        config.max_file_size = value
    if "max-parse-seconds" in table:
        value = table["max-parse-seconds"]
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 < value <= MAX_PARSE_SECONDS:
            raise ConfigError(f"key 'max-parse-seconds' must be a positive number of seconds, "
                              f"at most {MAX_PARSE_SECONDS}", where)
        config.max_parse_seconds = float(value)
    if "respect-gitignore" in table:
        if not isinstance(table["respect-gitignore"], bool):
            raise ConfigError("key 'respect-gitignore' must be true or false", where)
        config.respect_gitignore = table["respect-gitignore"]
    if "repository" in table:
        value = table["repository"]
        if not isinstance(value, str) or value.count("/") < 2 or "." not in value.split("://")[-1].split("/")[0]:
            raise ConfigError("key 'repository' must be \"host/owner/name\", e.g. \"github.com/owner/name\"", where)
        config.repository = value
    if "site" in table:
        if table["site"] not in SITES:
            raise ConfigError(f"key 'site' must be one of {', '.join(SITES)}, not {table['site']!r}", where)
        config.site = table["site"]
    if "severity" in table:
        overrides = table["severity"]
        if not isinstance(overrides, dict):
            raise ConfigError("key 'severity' must be a table of rule = \"error\"|\"warning\"|\"off\"", where)
        for rule_key, level in overrides.items():
            rule = lookup(rule_key)
            if rule is None:
                raise ConfigError(f"key 'severity.{rule_key}': unknown rule", where)
            if level not in SEVERITIES:
                raise ConfigError(
                    f"key 'severity.{rule_key}' must be one of {', '.join(SEVERITIES)}, not {level!r}", where
                )
            config.severity[rule.code] = level
    return config


def _string_list(value: object, key: str, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"key '{key}' must be a list of non-empty strings", where)
    return value


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
