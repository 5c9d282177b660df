"""The command line. Every command returns an exit code: 0 clean, 1 findings, 2 usage or config error."""

from __future__ import annotations

import gc
import os
import sys
import textwrap
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from doclint import __version__
from doclint.config import find_root
from doclint.errors import DoclintError
from doclint.linter import Options, Result, run_check
from doclint.registry import RULES, lookup
from doclint import reporters

if TYPE_CHECKING:  # imported when a command needs them
    from doclint.fixer import FixOutcome

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class _Group(click.Group):
    """Usage errors exit 2 with a hint; unexpected errors are one line unless DOCLINT_DEBUG=1."""

    def main(  # type: ignore[override]  # returns the command's exit code instead of exiting
            self, args: Sequence[str] | None = None, prog_name: str | None = None, complete_var: str | None = None,
            standalone_mode: bool = True, **extra: Any) -> int | None:
        try:
            code: int | None = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
            return code  # what the command returned: None for one that returns nothing
        except click.exceptions.Exit as exc:
            return exc.exit_code
        except click.Abort:
            click.echo("doclint: aborted", err=True)
            return EXIT_USAGE
        except click.ClickException as exc:
            exc.show()
            return EXIT_USAGE
        except DoclintError as exc:
            for line in str(exc).splitlines() or [""]:  # one line per problem (a rule pack's, say)
                click.echo(f"doclint: {line}", err=True)
            return EXIT_USAGE
        except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
            if os.environ.get("DOCLINT_DEBUG") == "1":
                traceback.print_exc()
            else:
                click.echo(f"doclint: internal error: {type(exc).__name__}: {exc} "
                           "(set DOCLINT_DEBUG=1 for a traceback)", err=True)
            return EXIT_USAGE


_Command = TypeVar("_Command", bound=Callable[..., int])


def _common(func: _Command) -> _Command:
    options = [
        click.option("--root", type=click.Path(file_okay=False, path_type=Path),
                     help="Repository root (default: nearest ancestor with doclint.toml, "
                          ".doclint.toml, [tool.doclint] in pyproject.toml, or .git)."),
        click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
                     help="Configuration file to use instead of the root's."),
        click.option("--source-root", type=click.Path(file_okay=False, path_type=Path),
                     help="Where the code the docs refer to lives (default: the root)."),
        click.option("--select", multiple=True, metavar="RULES", help="Only these rules (codes or names, comma-separated)."),
        click.option("--ignore", multiple=True, metavar="RULES", help="Skip these rules (codes or names, comma-separated)."),
        click.option("--no-cache", is_flag=True, help="Do not read or write the cache."),
        click.option("--jobs", type=click.IntRange(min=1), metavar="N", help="Parallel workers (default: core count)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _options(root: Path | None, config_path: Path | None, source_root: Path | None, select: tuple[str, ...],
             ignore: tuple[str, ...], paths: tuple[str, ...] = (), strict: bool = False, no_cache: bool = False,
             jobs: int | None = None, no_baseline: bool = False, since: str | None = None) -> Options:
    if root is None:
        root = find_root(Path.cwd())
    elif not root.is_dir():
        raise DoclintError(f"--root: no such directory: {root}")
    if config_path is not None and not config_path.is_file():
        raise DoclintError(f"--config: no such file: {config_path}")
    if source_root is not None and not source_root.is_dir():
        raise DoclintError(f"--source-root: no such directory: {source_root}")
    return Options(root=root, source_root=source_root, config_path=config_path, paths=tuple(paths),
                   select=tuple(select), ignore=tuple(ignore), strict=strict, no_cache=no_cache, jobs=jobs,
                   no_baseline=no_baseline, since=since)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="doclint", message="%(prog)s %(version)s")
def cli() -> None:
    """Keep Markdown documentation true to a TypeScript codebase.

    \b
    doclint check            check every doc the config selects
    doclint check FILE...    check these docs, and the docs that refer into these sources
    doclint rules            list the rules; `doclint explain RULE` for one in full
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@_common
@click.option("--format", "output_format", type=click.Choice(reporters.FORMATS),
              help="Output format (default: text; github under GitHub Actions).")
@click.option("--strict", is_flag=True, help="Warnings fail the run too; report unused suppressions.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--statistics", is_flag=True, help="Count findings per rule.")
@click.option("--quiet", "-q", is_flag=True, help="Print findings only, no summary.")
@click.option("--fix", is_flag=True, help="Apply safe fixes (renamed paths, moved line ranges) first.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix: also apply fixes chosen by a guess (a unique file name).")
@click.option("--no-baseline", is_flag=True, help="Report the findings the baseline accepts too.")
@click.option("--since", metavar="REF", help="Only findings on doc lines changed since REF, or broken by changes since.")
def check(paths: tuple[str, ...], root: Path | None, config_path: Path | None, source_root: Path | None,
          select: tuple[str, ...], ignore: tuple[str, ...], no_cache: bool, jobs: int | None, output_format: str | None,
          strict: bool, exit_zero: bool, statistics: bool, quiet: bool, fix: bool, unsafe_fixes: bool, no_baseline: bool,
          since: str | None) -> int:
    """Check docs for references that no longer hold.

    With PATH arguments (as pre-commit passes them), reports on those docs and on every
    doc that refers into a given TypeScript file.
    """
    options = _options(root, config_path, source_root, select, ignore, paths, strict, no_cache, jobs, no_baseline,
                       since)
    result = _run_with_progress(options, quiet)
    if fix:
        result = _fix_and_recheck(options, result, quiet, unsafe_fixes)
    if output_format is None:
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    _emit(result, output_format, statistics, quiet)
    failing = result.errors + (result.warnings if strict else 0)
    return EXIT_FINDINGS if failing and not exit_zero else EXIT_CLEAN


def _run_with_progress(options: Options, quiet: bool) -> Result:
    from dataclasses import replace

    from doclint.progress import Progress

    progress = Progress.for_terminal(quiet)
    try:
        return run_check(replace(options, progress=progress))
    finally:
        if progress is not None:
            progress.close()


def _emit(result: Result, output_format: str, statistics: bool, quiet: bool) -> None:
    if not quiet:
        for notice in result.notices:
            click.echo(f"doclint: {reporters.printable(notice)}", err=True)
    if os.environ.get("DOCLINT_DEBUG") == "1":
        whole = "; the whole result came from the cache" if result.whole else ""
        click.echo(f"doclint: debug: {result.checked} of {result.docs} docs checked, the rest from the cache{whole}",
                   err=True)
    if output_format == "json":
        text = reporters.render_json(result)
    elif output_format == "sarif":
        text = reporters.render_sarif(result)
    elif output_format == "github":
        text = reporters.render_github(result)
        if not quiet:
            text += reporters.summary_line(result) + "\n"
    elif output_format == "full":
        text = reporters.render_full(result, statistics, quiet, reporters.use_colour(sys.stdout))
    else:
        text = reporters.render_text(result, statistics, quiet)
    click.echo(text, nl=False)


def _apply_fixes(options: Options, result: Result, write: bool, unsafe: bool = False) -> tuple[Result, FixOutcome]:
    """Apply the fixes. A doc whose bytes are not the ones checked (changed meanwhile, or
    changed keeping its size and mtime, so the cache's stat said unchanged) is checked
    again, read afresh, and fixed once more."""
    from doclint.cache import Cache
    from doclint.fixer import apply_fixes

    outcome = apply_fixes(result.root, result.findings, result.digests, write, unsafe)
    if not outcome.stale:
        return result, outcome
    cache = Cache(options.root.resolve(), enabled=not options.no_cache)
    cache.forget(os.path.join(result.root, path) for path in outcome.stale)
    cache.close()
    result = run_check(options)
    stale = set(outcome.stale)
    again = apply_fixes(result.root, [f for f in result.findings if f.path in stale], result.digests, write,
                        unsafe)
    return result, outcome.then(again)


def _fix_and_recheck(options: Options, result: Result, quiet: bool, unsafe: bool = False) -> Result:
    result, outcome = _apply_fixes(options, result, write=True, unsafe=unsafe)
    for problem in outcome.problems:
        click.echo(f"doclint: {problem}", err=True)
    if outcome.total:
        if not quiet:
            click.echo(f"fixed {outcome.total} finding{'s' if outcome.total != 1 else ''} "
                       f"in {len(outcome.fixed)} file{'s' if len(outcome.fixed) != 1 else ''}", err=True)
        result = run_check(options)
    return result


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@_common
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; write nothing.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes chosen by a guess (a unique file name).")
@click.option("--quiet", "-q", is_flag=True, help="Print only what is left, no summary.")
def fix(paths: tuple[str, ...], root: Path | None, config_path: Path | None, source_root: Path | None,
        select: tuple[str, ...], ignore: tuple[str, ...], no_cache: bool, jobs: int | None, diff: bool, unsafe_fixes: bool,
        quiet: bool) -> int:
    """Apply safe fixes: renamed paths (DL002) and moved line ranges (DL003).

    Only the fixed spans change; writes are atomic and keep encoding, line endings and
    permissions. A second run changes nothing. Exit 1 if findings remain (with --diff:
    if there is anything to fix).
    """
    options = _options(root, config_path, source_root, select, ignore, paths, no_cache=no_cache, jobs=jobs)
    result = _run_with_progress(options, quiet)
    if diff:
        _result, outcome = _apply_fixes(options, result, write=False, unsafe=unsafe_fixes)
        for problem in outcome.problems:
            click.echo(f"doclint: {problem}", err=True)
        click.echo("".join(outcome.diffs), nl=False)
        _say_guesses(result, unsafe_fixes)
        return EXIT_FINDINGS if outcome.diffs else EXIT_CLEAN
    result = _fix_and_recheck(options, result, quiet, unsafe_fixes)
    _emit(result, "text", False, quiet)
    return EXIT_FINDINGS if result.errors else EXIT_CLEAN


def _say_guesses(result: Result, included: bool) -> None:
    """Which fixes are guesses: listed on stderr, in the diff or left out of it."""
    guesses = [f for f in result.findings if f.unsafe_fixable]
    if not guesses:
        return
    head = ("of these fixes are guesses; check them" if included else
            "fixes are guesses, left out of the diff (--unsafe-fixes includes them)")
    click.echo(f"doclint: {len(guesses)} {head}:", err=True)
    for finding in guesses:
        click.echo(f"  {reporters.printable(finding.path)}:{finding.span.line}:{finding.span.column}: "
                   f"`{finding.target}` -> `{finding.suggestion}`", err=True)


@cli.command("baseline")
@_common
def baseline_command(root: Path | None, config_path: Path | None, source_root: Path | None, select: tuple[str, ...],
                     ignore: tuple[str, ...], no_cache: bool, jobs: int | None) -> int:
    """Accept today's findings: write them to the baseline (doclint-baseline.json).

    `doclint check` then reports only findings the baseline does not hold. Entries name
    the doc, the rule, the target and the reference's text, not line numbers, so edits
    elsewhere in a doc keep them. Run it again to drop the entries that were fixed.
    """
    from doclint.linter import run_baseline

    path, total, added, fixed = run_baseline(
        _options(root, config_path, source_root, select, ignore, no_cache=no_cache, jobs=jobs))
    click.echo(f"wrote {path.name}: {total} finding{'s' if total != 1 else ''} accepted "
               f"({added} new, {fixed} fixed since the last baseline)")
    return EXIT_CLEAN


@cli.command("init")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write doclint.toml (default: the repository's top, or here).")
def init_command(root: Path | None) -> int:
    """Write a commented doclint.toml chosen from the tree; never overwrites.

    Looks for workspace packages, source and docs folders, a docs site's config, agent
    files and changelogs, writes what it chose with the reason, then runs a first check.
    """
    from doclint.init import write

    if root is not None and not root.is_dir():
        raise DoclintError(f"--root: no such directory: {root}")
    root = (root or find_root(Path.cwd())).resolve()
    destination, found = write(root)
    click.echo(f"wrote {os.path.relpath(destination)}")
    click.echo(f"  docs:    {', '.join(found.docs) or 'every Markdown and MDX file (default)'}")
    click.echo(f"  sources: {', '.join(found.sources) or 'every TypeScript and JavaScript file (default)'}")
    if found.exclude:
        click.echo(f"  exclude: {', '.join(found.exclude)}")
    if found.site:
        click.echo(f"  site:    {found.site} ({found.site_file})")
    if found.agent_files:
        shown = ", ".join(found.agent_files[:6]) + (f", and {len(found.agent_files) - 6} more"
                                                    if len(found.agent_files) > 6 else "")
        click.echo(f"  agent files (always checked): {shown}")
    result = run_check(Options(root=root))
    click.echo(f"first check: {reporters.summary_line(result)}")
    if result.findings:
        click.echo("run `doclint check` to see them, or `doclint baseline` to accept today's and check only new ones")
    return EXIT_CLEAN


@cli.command("lock")
@_common
def lock_command(root: Path | None, config_path: Path | None, source_root: Path | None, select: tuple[str, ...],
                 ignore: tuple[str, ...], no_cache: bool, jobs: int | None) -> int:
    """Write the lock: what every doc reference resolved to, with content hashes.

    Commit it; `doclint check` then verifies the docs against it when the sources are
    absent, and reports code-drift (DL013) for referenced code that changed since.
    """
    from doclint.linter import run_lock

    destination, payload = run_lock(_options(root, config_path, source_root, select, ignore, jobs=jobs))
    click.echo(f"wrote {destination.name}: {len(payload['files'])} files, {len(payload['lookups'])} lookups, "
               f"{len(payload['references'])} fingerprinted references")
    return EXIT_CLEAN


@cli.command()
@_common
@click.option("--format", "output_format", type=click.Choice(["text", "markdown", "json", "html"]), default="text",
              help="Report format.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to FILE.")
@click.option("--fail-under", type=click.FloatRange(0, 100), metavar="PCT",
              help="Exit 1 when less than PCT percent of the members of sets with docs are documented.")
def coverage(root: Path | None, config_path: Path | None, source_root: Path | None, select: tuple[str, ...],
             ignore: tuple[str, ...], no_cache: bool, jobs: int | None, output_format: str, output: Path | None,
             fail_under: float | None) -> int:
    """Union and domain coverage: which members are declared, emitted, handled, documented.

    Needs rule packs (`rules = [...]` in the config). Exit 1 with --fail-under when the
    documented share is below PCT: it counts the members of the sets that name `docs`; a set
    without docs is shown as "no docs configured" and not counted.
    """
    from doclint import coverage as report_module
    from doclint.linter import run_coverage

    data = run_coverage(_options(root, config_path, source_root, select, ignore, no_cache=no_cache, jobs=jobs))
    pct = data["documented_pct"]
    if fail_under is not None and pct is None:
        raise DoclintError("--fail-under: no union or domain has `docs` configured, so no share is documented "
                           "(add `docs = [...]` to a [[union]] or [[domain]] of the rule pack)")
    text = report_module.RENDERERS[output_format](data)
    if output is not None:
        from doclint.writing import write_text

        target = output if output.is_absolute() else Path.cwd() / output
        if not target.parent.is_dir():
            raise DoclintError(f"--output: no such directory: {target.parent}")
        write_text(target, text)
        click.echo("wrote {} ({}: {})".format(output, *report_module.headline(data)), err=True)
    else:
        click.echo(text, nl=False)
    if fail_under is not None and pct is not None and pct < fail_under:
        click.echo(f"doclint: coverage {pct}% is under --fail-under {fail_under:g}% "
                   f"({report_module.headline(data)[1]})", err=True)
        return EXIT_FINDINGS
    return EXIT_CLEAN


@cli.command("rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "markdown"]), default="text",
              help="Output format.")
def list_rules(output_format: str) -> None:
    """List every rule: code, name, default severity, fixable, summary."""
    rules = list(RULES.values())
    if output_format == "json":
        import json

        click.echo(json.dumps([{"code": r.code, "name": r.name, "severity": r.severity,
                                "fixable": r.fixable, "summary": r.summary} for r in rules], indent=2))
    elif output_format == "markdown":
        click.echo("| code | name | default | fixable | summary |")
        click.echo("|---|---|---|---|---|")
        for r in rules:
            click.echo(f"| {r.code} | {r.name} | {r.severity} | {'yes' if r.fixable else 'no'} | {r.summary} |")
    else:
        width = max(len(r.name) for r in rules)
        for r in rules:
            fix = "fixable" if r.fixable else "       "
            click.echo(f"{r.code}  {r.name:<{width}}  {r.severity:<7}  {fix}  {r.summary}")


@cli.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Explain one rule (RULE = code or name) with a failing and a passing example."""
    found = lookup(rule)
    if found is None:
        raise click.UsageError(f"unknown rule '{rule}' (see `doclint rules`)")

    def indent(text: str) -> str:
        return textwrap.indent(text, "    ")

    click.echo(f"{found.code} {found.name}\n")
    click.echo(f"Default severity: {found.severity}. Fixable: {'yes' if found.fixable else 'no'}.\n")

    def fill(text: str, subsequent_indent: str = "") -> str:
        return textwrap.fill(text, 88, break_on_hyphens=False, break_long_words=False, subsequent_indent=subsequent_indent)

    click.echo(fill(found.summary) + "\n")
    click.echo(fill(found.why) + "\n")
    setting = found.setting.describe()
    where = f" ({setting})" if setting else ""
    click.echo(f"Fails{where}:\n" + indent(found.failing) + "\n")
    click.echo(f"Passes{where}:\n" + indent(found.passing) + "\n")
    click.echo(fill("Fix: " + found.fix, subsequent_indent="     "))
    from doclint.claims import CLAIM_RULES, EXPLAINED

    if found.code in CLAIM_RULES:
        click.echo(fill("Claims: " + EXPLAINED, subsequent_indent="        "))
    click.echo(fill(
        f"Suppress: <!-- doclint-disable-next-line {found.code} --> on the line before, or "
        f'[severity] {found.name} = "off" in doclint.toml.'))


@cli.command("lsp")
@click.option("--stdio", is_flag=True, help="Talk over stdin/stdout (the only transport; accepted for clients that pass it).")
def lsp_command(stdio: bool) -> int:
    """Run the language server over stdio (diagnostics, definition, references, hover, actions, completion, rename)."""
    from doclint.lsp.server import main as serve

    gc.enable()
    return serve()


def run() -> None:
    """The `doclint` command: `main`, then a prompt exit. A big run leaves millions of objects
    whose one-by-one teardown would add a tenth of a second; the cache is already closed and
    written, so only the output streams need flushing."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe (`doclint check | head`): nothing more to say
        pass
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    # A run builds millions of short-lived, acyclic objects (tokens, spans), freed as they go
    # by their counts; the default collector thresholds spend a fifth of a cold run walking
    # them, and even a threshold of 100,000 puts a pass of about 20 ms, by chance, into a run
    # that re-checks one edited file. A command runs once and exits, so it does not collect
    # cycles at all (its peak memory is the same: benchmarks/vs_remark.py measures it); the
    # language server, which runs for hours, collects them, rarely (`lsp_command`).
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)
    gc.disable()
    code = cli.main(args=argv, prog_name="doclint")
    return EXIT_CLEAN if code is None else code  # as click has it: a command that returns nothing succeeded
