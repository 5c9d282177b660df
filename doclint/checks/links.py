"""DL006 broken-link and DL007 broken-anchor; line fragments (`#L10-L20`) go to DL003."""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator
from functools import partial
from urllib.parse import unquote
from typing import TYPE_CHECKING

from doclint import redirects, sites
from doclint.checks import Doc
from doclint.checks.paths import line_bounds, missing
from doclint.destinations import rewrite_destination
from doclint.findings import Problem, Severity, Span
from doclint.mdrefs import LINE_FRAGMENT, SCHEME, fragment_lines
from doclint.toolids import MadeIds, made_ids
from doclint.workspace import Resolved, did_you_mean, is_markdown

if TYPE_CHECKING:
    from doclint.context import Context


def check(doc: Doc, ws: Context) -> Iterator[Problem]:
    site = sites.site_of(ws, doc.path)  # a page of a docs site: its routes and heading ids
    known_site = site is not None and site.dialect != "github"
    for link in doc.scan.links:
        likely = False
        href = link.href
        if not href or SCHEME.match(href) or href.startswith("//"):
            continue
        target, fragment = unquote(link.target), link.fragment
        if fragment is not None:
            fragment = unquote(fragment)
        if not target:
            if fragment:
                made = partial(made_ids, ws, doc.path, doc.scan, partial(ws.doc_text, doc.path), known_site)
                yield from anchor(sites.anchors(site, doc.scan), fragment, link.span, doc.path, same_file=True, made_by=made)
            continue
        resolved = ws.resolve_link(target, doc.dir)
        if site is not None and (target.startswith("/") or (resolved.status == "missing" and (
                not is_markdown(target) or site.dialect == "docusaurus"))):
            routed = sites.route(ws, site, target, doc.path)
            if routed is None or (routed.status == "missing" and target.startswith("/")):
                if routed is not None and not redirects.redirected(ws, target) and not any(
                        sites.in_generated_folder(ws, posixpath.join(c.folder, target.lstrip("/"))) for c in site.contents):
                    yield Problem("DL006", link.span, f"no page of the site at `{target}`", target=target)
                continue  # not a route the site owns: nothing to say
            if routed.status == "found":
                resolved = Resolved("found", ws.trees[0], routed.path)
        if resolved.status == "missing" and ws.is_agent_file(doc.path) and not target.startswith(("./", "../")):
            from_root = ws.resolve_link("/" + target, "")
            if from_root.status == "found":  # agents read paths from the repository's root
                resolved = from_root
        if resolved.status == "missing" and not sites.sites(ws):  # no site doclint knows: maybe one it does not
            index_page = posixpath.basename(doc.path).lower().split(".", 1)[0] in ("index", "readme")
            site_page = sites.unknown_site_page(ws, target, doc.dir, index_page)
            page = site_page.path if site_page is not None else None
            likely = site_page is not None and not site_page.exact
            if page is None and target.startswith("/"):
                page = sites.from_a_site_root(ws, target, doc.dir)
                if page == "":
                    continue  # a generated variant under a folder that serves as the site's root
                if page is None:
                    page = sites.served_asset(ws, target)
            if page is not None:
                resolved = Resolved("found", ws.trees[0], page)  # a route of a site doclint has no dialect for
            elif sites.generated_variant(ws, target, doc.dir):
                continue
        if resolved.status == "missing" and (sites.generated_by_the_site(target) or sites.in_generated_folder(
                ws, posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(doc.dir, target)))):
            continue  # `/llms.txt`, or a page of the API reference a generator writes
        if resolved.status == "missing" and redirects.redirected(ws, target):
            continue  # a route the site redirects: where it lands is the site's business
        if resolved.status == "missing":
            replacement = None
            if resolved.moved_to is not None:
                replacement = ws.relative_link(doc.dir, resolved.moved_to)
                if link.href_found:
                    replacement = rewrite_destination(link.written, path=replacement)
            problem = missing(target, link.span, resolved.moved_to, "DL006", replacement)
            if not link.href_found and problem.fix is not None:  # no certain place to write the fix
                problem = Problem(problem.code, problem.span, problem.message, problem.target, problem.suggestion)
            yield problem
            continue
        tree, found = resolved.tree, resolved.path
        if resolved.status != "found" or not fragment or tree is None or found is None or not tree.is_file(found):
            continue
        if likely:
            continue  # a page matched by the route's tail only: its ids are not the route's to judge
        if is_markdown(found):
            scan = ws.doc_scan(tree, found)
            if scan is not None:
                made = partial(made_ids, ws, found, scan, partial(ws.read_text, tree, found), known_site)
                yield from anchor(sites.anchors(site, scan), fragment, link.span, found, same_file=False, made_by=made)
        else:
            lines = fragment_lines(fragment)
            count = ws.line_count(tree, found) if lines else None
            if lines and count is not None:
                yield from line_bounds(target, lines, link.span, count)


def anchor(anchors: set[str], fragment: str, span: Span, where: str, same_file: bool,
           made_by: Callable[[], MadeIds] | None = None) -> Iterator[Problem]:
    """DL007 for a fragment that is not one of `anchors`; `made_by` tells what a docs tool may
    make besides (asked only on a miss; a miss into a page whose ids a tool makes is a warning)."""
    if fragment in anchors or fragment.lower() in {a.lower() for a in anchors}:
        return
    if LINE_FRAGMENT.fullmatch(fragment) or fragment in ("", "top"):
        return
    made = made_by() if made_by is not None else None
    if made is not None and made.makes(fragment):
        return
    guess = did_you_mean(fragment.lower(), anchors, cutoff=0.6)
    place = "this file" if same_file else f"`{where}`"
    message = f"no heading or anchor `#{fragment}` in {place}"
    if guess:
        message += f"; did you mean `#{guess}`?"
    severity: Severity | None = None
    if made is not None and made.tool_page:
        message += " (its ids are made by a docs tool doclint does not know)"
        severity = "warning"
    yield Problem("DL007", span, message, target=f"{'' if same_file else where}#{fragment}",
                  suggestion=guess and f"#{guess}", severity=severity)
