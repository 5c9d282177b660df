"""`doclint coverage`: per union and domain, which members are declared, emitted, handled, documented."""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from typing import TypedDict

from doclint.checks import Doc
from doclint.checks.members import documented_in
from doclint.packs import PackFacts

FORMATS = ("text", "markdown", "json", "html")


# The report, as `--format json` writes it.
class Place(TypedDict):
    path: str
    line: int


class MemberRow(TypedDict):
    name: str
    declared: Place | None
    emitted: list[Place] | None  # None: the set names no emitters (handler, docs: likewise)
    handled: list[Place] | None
    documented: list[Place] | None


class SetRow(TypedDict):
    name: str
    kind: str
    docs: list[str]
    members: list[MemberRow]
    documented_pct: float | None


class Report(TypedDict):
    version: int
    sets: list[SetRow]
    documented_pct: float | None
    counted: list[str]
    no_docs: list[str]


def report(facts: PackFacts, docs: list[Doc]) -> Report:
    """Per set, where each member is declared, emitted, handled and documented. A set without
    `docs` has `documented` and `documented_pct` null: it is reported, and not counted in the
    overall share (`documented_pct` at the top, over the sets listed in `counted`)."""
    sets: list[SetRow] = []
    for member_set in facts.sets:
        documented = documented_in(member_set, docs)
        members: list[MemberRow] = []
        for member in member_set.members.values():
            members.append({
                "name": member.name,
                "declared": _place(member.declared) if member.declared else None,
                "emitted": [_place(w) for w in member.emitted] if member_set.has_emitters else None,
                "handled": [_place(w) for w in member.handled] if member_set.has_handler else None,
                "documented": None if documented is None else
                [_place(w) for w in sorted(set(documented.get(member.name, [])))],
            })
        sets.append({
            "name": member_set.name, "kind": member_set.kind, "docs": list(member_set.docs), "members": members,
            "documented_pct": None if documented is None else _pct(members),
        })
    counted = [s for s in sets if s["documented_pct"] is not None]
    return {"version": 1, "sets": sets,
            "documented_pct": _pct([m for s in counted for m in s["members"]]) if counted else None,
            "counted": [s["name"] for s in counted],
            "no_docs": [s["name"] for s in sets if s["documented_pct"] is None]}


def _pct(members: list[MemberRow]) -> float:
    return round(100.0 * sum(bool(m["documented"]) for m in members) / len(members), 1) if members else 100.0


def _place(pair: tuple[str, int]) -> Place:
    return {"path": pair[0], "line": pair[1]}


def headline(data: Report) -> tuple[str, str]:
    """The overall figure and what it counts, in words: the same on every format and for --fail-under."""
    counted = [s for s in data["sets"] if s["documented_pct"] is not None]
    skipped = ", ".join(f"{s['name']} ({len(s['members'])} members)" for s in data["sets"]
                        if s["documented_pct"] is None)
    if not counted:
        return "no member counted", "no union or domain has docs configured" + (f": {skipped}" if skipped else "")
    total = sum(len(s["members"]) for s in counted)
    done = sum(bool(m["documented"]) for s in counted for m in s["members"])
    detail = f"{done} of {total} members of {', '.join(s['name'] for s in counted)}"
    if skipped:
        detail += f"; no docs configured, not counted: {skipped}"
    return f"{data['documented_pct']}% of members documented", detail


def _set_summary(member_set: SetRow) -> str:
    size = f"{len(member_set['members'])} members"
    if member_set["documented_pct"] is None:
        return f"{size}, no docs configured: not counted"
    return f"{size}, {member_set['documented_pct']}% documented in {', '.join(member_set['docs'])}"


def _cell(places: list[Place] | None, limit: int = 3) -> str:
    if places is None:
        return "n/a"
    if not places:
        return "-"
    shown = ", ".join(f"{p['path']}:{p['line']}" for p in places[:limit])
    return shown + (f" (+{len(places) - limit})" if len(places) > limit else "")


def render_text(data: Report) -> str:
    out = []
    for member_set in data["sets"]:
        rows = [("member", "declared", "emitted", "handled", "documented")]
        for m in member_set["members"]:
            declared = f"{m['declared']['path']}:{m['declared']['line']}" if m["declared"] else "-"
            rows.append((m["name"], declared, _cell(m["emitted"], 2), _cell(m["handled"], 2), _cell(m["documented"], 2)))
        widths = [max(len(r[i]) for r in rows) for i in range(5)]
        out.append(f"{member_set['name']} ({member_set['kind']}): {_set_summary(member_set)}")
        for row in rows:
            out.append("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)).rstrip())
        out.append("")
    out.append("overall: {} ({})".format(*headline(data)))
    return "\n".join(out) + "\n"


def render_markdown(data: Report) -> str:
    out = []
    for member_set in data["sets"]:
        out.append(f"## {member_set['name']} ({member_set['kind']}): {_set_summary(member_set)}\n")
        out.append("| member | declared | emitted | handled | documented |")
        out.append("|---|---|---|---|---|")
        for m in member_set["members"]:
            declared = f"`{m['declared']['path']}:{m['declared']['line']}`" if m["declared"] else "-"
            out.append(f"| `{m['name']}` | {declared} | {_cell(m['emitted'])} | {_cell(m['handled'])} | "
                       f"{_cell(m['documented'])} |")
        out.append("")
    out.append("**Overall: {}** ({}).".format(*headline(data)))
    return "\n".join(out) + "\n"


def render_json(data: Report) -> str:
    return json.dumps(data, indent=2) + "\n"


_STYLE = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1f24}
h1{font-size:1.4rem;margin-bottom:.3rem}p.counts{margin-top:0;color:#57606a}h2{font-size:1.1rem;margin-top:2rem}
.bar{height:.6rem;background:#eaeef2;border-radius:.3rem;overflow:hidden;max-width:24rem}
.bar>span{display:block;height:100%;background:#1a7f37}
table{border-collapse:collapse;width:100%;margin-top:.6rem}
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.name{font-family:ui-monospace,monospace;font-weight:600}
td.ok{background:#dafbe1}td.missing{background:#ffebe9;font-weight:600}td.na{color:#57606a;background:#f6f8fa}
.mark{font-weight:700;margin-right:.35rem}small{color:#57606a;font-family:ui-monospace,monospace}
"""


def render_html(data: Report) -> str:
    figure, detail = headline(data)
    parts = ["<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">",
             "<title>doclint coverage</title><style>", _STYLE, "</style></head><body>",
             f"<h1>doclint coverage: {html.escape(figure)}</h1>", f"<p class=\"counts\">{html.escape(detail)}.</p>"]
    for member_set in data["sets"]:
        pct = member_set["documented_pct"]
        parts.append(f"<h2>{html.escape(member_set['name'])} <small>({html.escape(member_set['kind'])}, "
                     f"{html.escape(_set_summary(member_set))})</small></h2>")
        if pct is not None:
            parts.append(f"<div class=\"bar\" role=\"img\" aria-label=\"{pct}% documented\">"
                         f"<span style=\"width:{pct}%\"></span></div>")
        parts.append("<table><thead><tr><th>member</th><th>declared</th><th>emitted</th><th>handled</th>"
                     "<th>documented</th></tr></thead><tbody>")
        for m in member_set["members"]:
            parts.append(f"<tr><td class=\"name\">{html.escape(m['name'])}</td>")
            parts.append(_html_cell([m["declared"]] if m["declared"] else []))
            parts.append(_html_cell(m["emitted"]))
            parts.append(_html_cell(m["handled"]))
            parts.append(_html_cell(m["documented"], "no docs configured"))
            parts.append("</tr>")
        parts.append("</tbody></table>")
    parts.append("</body></html>\n")
    return "".join(parts)


def _html_cell(places: list[Place] | None, unconfigured: str = "not configured") -> str:
    if places is None:
        return f"<td class=\"na\"><span class=\"mark\">–</span>{unconfigured}</td>"
    if not places:
        return "<td class=\"missing\"><span class=\"mark\">✗</span>missing</td>"
    first = places[0]
    full = html.escape("\n".join(f"{p['path']}:{p['line']}" for p in places), quote=True)
    short = html.escape(f"{first['path'].rsplit('/', 1)[-1]}:{first['line']}")
    count = f" ×{len(places)}" if len(places) > 1 else ""
    return (f"<td class=\"ok\" title=\"{full}\"><span class=\"mark\">✓</span>yes{count} "
            f"<small>{short}</small></td>")


RENDERERS: dict[str, Callable[[Report], str]] = {
    "text": render_text, "markdown": render_markdown, "json": render_json, "html": render_html}
