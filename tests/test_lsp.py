"""`doclint lsp`, driven over stdio by a real LSP client (pytest-lsp's), on fixture repositories."""

from __future__ import annotations

import asyncio
import json
import sys
import threading
from pathlib import Path

import pytest
from lsprotocol import types as t
from pygls.protocol import default_converter
from pytest_lsp import LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from conftest import RUNTIME_TS, installed, write_tree

DOCLINT = str(Path(sys.executable).with_name("doclint"))

PACK = '''\
[pack]
name = "fixture"
description = "the fixture runtime"

[[union]]
name = "step-kind"
file = "src/runtime/executor.ts"
type = "Step"
discriminant = "kind"

[invariants]
files = ["spec/INVARIANTS.md"]
id = "I[0-9]+"
'''

GUIDE = """\
# Guide

The loop is `executeFrame()` in `src/runtime/executor.ts:24-41`.
State lives in `RuntimeState.values`; see `src/runtime/executor.ts#FrameRunner`.
Steps of kind `'stateWrite'` write last (see I7).
See [the runner](../src/runtime/executor.ts#L43-L51) and [details](notes.md#the-details).

## Local section

Back to [top](#local-section).
"""

NOTES = """\
# Notes

## The Details

Text.
"""


def runtime_line(needle: str) -> int:
    """1-based line of the fixture runtime that holds `needle`."""
    return next(n for n, line in enumerate(RUNTIME_TS.splitlines(), 1) if needle in line)


MORE = "# More\n\nAlso `executeFrame()`; unrelated `FrameRunner.run`.\n[again](notes.md#the-details) and " \
       "[other](notes.md#notes)\n"
WITHDOC = "/**\n * Clamps a frame budget.\n */\nexport function budgetFor(n: number): number {\n  return n;\n}\n"
HOVER = "# Hover\n\n`budgetFor()` and `src/runtime/executor.ts:53-56` and `'evalSig'`.\n"


def make_project(root: Path, extra: dict[str, str] | None = None) -> Path:
    return write_tree(root, {
        "doclint.toml": 'docs = ["docs/**/*.md"]\nsources = ["src/**/*.ts"]\nrules = ["packs/fixture.toml"]\n',
        "packs/fixture.toml": PACK,
        "src/runtime/executor.ts": RUNTIME_TS,
        "spec/INVARIANTS.md": "# Invariants\n\n### I7: Explicit Cycle Semantics\n\nText.\n",
        "docs/guide.md": GUIDE,
        "docs/notes.md": NOTES,
        **(extra or {}),
    })


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "repo")


@pytest.fixture(scope="module")
def navigation(tmp_path_factory):
    """One server for the requests that change nothing, on a project with every doc they read."""
    root = make_project(tmp_path_factory.mktemp("navigation") / "repo",
                        {"docs/more.md": MORE, "docs/hover.md": HOVER, "src/runtime/withdoc.ts": WITHDOC})
    server = Server(root)
    server.run(open_doc(server.client, root, "docs/guide.md"))
    yield root, server
    server.close()


def at(text: str, needle: str, offset: int = 0) -> t.Position:
    """The LSP position `offset` characters into the first `needle` of `text`."""
    index = text.index(needle) + offset
    line = text.count("\n", 0, index)
    return t.Position(line, index - (text.rfind("\n", 0, index) + 1))


class Server:
    """`doclint lsp` as a subprocess under a real LSP client, whose loop runs in a thread of
    its own: `run(coroutine)` waits for a step of the conversation."""

    def __init__(self, root: Path):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.client = self.run(self._start(root))

    @staticmethod
    async def _start(root: Path) -> LanguageClient:
        client = LanguageClient(converter_factory=default_converter)
        client.published = {}

        def publish(params):  # every publication, in order: a test waits for the one it caused
            client.published.setdefault(params.uri, []).append(params)

        def register(_params):  # the server asks to watch files: accept
            return None

        register_lsp_features(client, {**DEFAULT_CLIENT_FEATURES, t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: publish,
                                       t.CLIENT_REGISTER_CAPABILITY: register})
        await client.start_io(DOCLINT, "lsp")
        await client.initialize_session(t.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"), root_uri=root.as_uri(),
            workspace_folders=[t.WorkspaceFolder(root.as_uri(), "repo")]))
        return client

    def run(self, awaitable, timeout: float = 60):
        async def step():
            return await awaitable

        return asyncio.run_coroutine_threadsafe(step(), self.loop).result(timeout)

    def close(self) -> None:
        try:
            self.run(self.client.shutdown_session(), 20)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(10)


def serve(root: Path, scenario):
    """Start the server on `root`, run `scenario(client)`, shut it down."""
    server = Server(root)
    try:
        return server.run(scenario(server.client))
    finally:
        server.close()


def uri(root: Path, rel: str) -> str:
    return (root / rel).as_uri()


async def open_doc(client, root: Path, rel: str, text: str | None = None):
    """Open a file with its text (default: as saved) and wait for its diagnostics."""
    text = (root / rel).read_text() if text is None else text
    client.text_document_did_open(t.DidOpenTextDocumentParams(t.TextDocumentItem(uri(root, rel), "markdown", 1, text)))
    return await diagnostics_for(client, uri(root, rel))


async def diagnostics_for(client, wanted: str, version: int | None = None):
    """The next diagnostics published for `wanted` (for that version of its text, if given)."""
    while True:
        for params in client.published.get(wanted, []):
            if version is None or params.version == version:
                client.published[wanted] = []
                return params.diagnostics
        await asyncio.sleep(0.005)


def change(client, root: Path, rel: str, version: int, text: str) -> None:
    client.text_document_did_change(t.DidChangeTextDocumentParams(
        t.VersionedTextDocumentIdentifier(version=version, uri=uri(root, rel)),
        [t.TextDocumentContentChangeWholeDocument(text=text)]))


def found(diagnostics) -> list[tuple[str, int]]:
    return sorted((d.code, d.range.start.line + 1) for d in diagnostics)


# --------------------------------------------------------------------------- diagnostics


def test_diagnostics_on_open_are_the_findings_of_doclint_check(project):
    write_tree(project, {"docs/broken.md": "# Broken\n\nSee `src/runtime/gone.ts` and `executeFrames()`.\n"
                                          "Also [notes](notes.md#no-such) and `src/runtime/executor.ts:400`.\n"})
    checked = json.loads(installed(["check", "--root", str(project), "--format", "json"], project).stdout)
    expected = sorted((f["code"], f["line"], f["column"], f["message"]) for f in checked["findings"]
                      if f["path"] == "docs/broken.md")
    assert len(expected) == 4

    async def scenario(client):
        return await open_doc(client, project, "docs/broken.md")

    published = serve(project, scenario)
    shown = sorted((d.code, d.range.start.line + 1, d.range.start.character + 1, d.message) for d in published)
    assert shown == expected
    assert all(d.source == "doclint" for d in published)


def test_changes_are_checked_from_the_editors_text_debounced(project):
    async def scenario(client):
        first = await open_doc(client, project, "docs/guide.md")
        broken = GUIDE + "\nThen `runFrames()` and `src/runtime/nowhere.ts`.\n"
        for version in range(2, 6):  # typing: only the last text is checked
            change(client, project, "docs/guide.md", version, broken[: len(GUIDE) + version] if version < 5 else broken)
        await asyncio.sleep(0.3)
        versions = [p.version for p in client.published[uri(project, "docs/guide.md")]]
        after_edit = await diagnostics_for(client, uri(project, "docs/guide.md"), 5)
        suppressed = GUIDE + "\n<!-- doclint-disable-next-line DL004 -->\nThen `runFrames()`.\n"
        change(client, project, "docs/guide.md", 6, suppressed)
        after_suppression = await diagnostics_for(client, uri(project, "docs/guide.md"))
        return first, versions, after_edit, after_suppression

    first, versions, after_edit, after_suppression = serve(project, scenario)
    assert list(first) == []
    assert versions == [5]  # debounced: the texts typed in between were not checked
    assert found(after_edit) == [("DL001", 12), ("DL004", 12)]
    assert list(after_suppression) == []
    assert (project / "docs/guide.md").read_text() == GUIDE  # nothing was written


def test_baseline_is_honoured_and_editing_an_anchor_rechecks_the_docs_linking_to_it(project):
    write_tree(project, {"docs/old.md": "# Old\n\nSee `src/runtime/gone.ts`.\n"})
    assert installed(["baseline", "--root", str(project)], project).returncode == 0

    async def scenario(client):
        old = await open_doc(client, project, "docs/old.md")
        await open_doc(client, project, "docs/notes.md")
        change(client, project, "docs/notes.md", 2, NOTES.replace("The Details", "Particulars"))
        edited = await diagnostics_for(client, uri(project, "docs/notes.md"))
        guide = await diagnostics_for(client, uri(project, "docs/guide.md"))  # not open: links into notes.md
        return old, edited, guide

    old, edited, guide = serve(project, scenario)
    assert list(old) == []  # accepted by the baseline
    assert list(edited) == []
    assert found(guide) == [("DL007", 6)]


def test_source_comments_are_checked_and_a_saved_source_rechecks_the_docs_that_refer_to_it(project):
    source = "src/runtime/executor.ts"
    write_tree(project, {"docs/names.md": "# Names\n\nOnly `executeFrame()` here.\n"})

    async def scenario(client):
        comment = RUNTIME_TS + "// See docs/missing.md for why.\n"
        client.text_document_did_open(t.DidOpenTextDocumentParams(
            t.TextDocumentItem(uri(project, source), "typescript", 1, comment)))
        in_comment = await diagnostics_for(client, uri(project, source))
        (project / source).write_text(RUNTIME_TS.replace("executeFrame", "runFrame"))
        client.text_document_did_save(t.DidSaveTextDocumentParams(t.TextDocumentIdentifier(uri(project, source))))
        guide = await diagnostics_for(client, uri(project, "docs/guide.md"))
        names = await diagnostics_for(client, uri(project, "docs/names.md"))  # named what the file declared
        return in_comment, guide, names

    in_comment, guide, names = serve(project, scenario)
    assert found(in_comment) == [("DL010", runtime_line("DEFAULT_BUDGET") + 1)]
    assert ("DL004", 3) in found(guide)
    assert found(names) == [("DL004", 3)]


# --------------------------------------------------------------------------- navigation


def request_at(client, method, root: Path, rel: str, position: t.Position):
    document = t.TextDocumentIdentifier(uri(root, rel))
    if method == "definition":
        return client.text_document_definition_async(t.DefinitionParams(document, position))
    if method == "hover":
        return client.text_document_hover_async(t.HoverParams(document, position))
    return client.text_document_references_async(t.ReferenceParams(
        t.ReferenceContext(include_declaration=False), document, position))


def test_definition_leads_every_kind_of_reference_to_its_place(navigation):
    project, server = navigation
    targets = {
        "path": at(GUIDE, "src/runtime/executor.ts:24", 3),
        "line range": at(GUIDE, ":24-41", 2),
        "line fragment": at(GUIDE, "#L43-L51", 2),
        "call": at(GUIDE, "executeFrame()", 2),
        "qualified": at(GUIDE, "RuntimeState.values", 14),
        "tied": at(GUIDE, "executor.ts#FrameRunner", 14),
        "anchor": at(GUIDE, "notes.md#the-details", 10),
        "own anchor": at(GUIDE, "#local-section", 3),
        "member": at(GUIDE, "'stateWrite'", 3),
        "invariant": at(GUIDE, "I7", 1),
    }

    answers = {name: server.run(request_at(server.client, "definition", project, "docs/guide.md", position))
               for name, position in targets.items()}
    places = {name: [(Path(loc.uri[len("file://"):]).relative_to(project).as_posix(), loc.range.start.line + 1,
                      loc.range.end.line + 1) for loc in locations or []] for name, locations in answers.items()}
    runtime = "src/runtime/executor.ts"
    assert places["path"] == [(runtime, 24, 41)]
    assert places["line range"] == [(runtime, 24, 41)]
    assert places["line fragment"] == [(runtime, 43, 51)]
    frame = runtime_line("export function executeFrame")
    assert places["call"] == [(runtime, frame, 41)]
    values = runtime_line("values: Float64Array")
    assert places["qualified"] == [(runtime, values, values)]
    assert places["tied"][0][:2] == (runtime, runtime_line("export class FrameRunner"))
    assert places["anchor"] == [("docs/notes.md", 3, 3)]
    assert places["own anchor"] == [("docs/guide.md", 8, 8)]
    member = runtime_line("interface StepStateWrite")
    assert places["member"] == [(runtime, member, member)]
    assert places["invariant"] == [("spec/INVARIANTS.md", 3, 3)]


def test_hover_shows_signature_and_comment_lines_and_union(navigation):
    project, server = navigation
    server.run(open_doc(server.client, project, "docs/hover.md"))
    answers = [server.run(request_at(server.client, "hover", project, "docs/hover.md", at(HOVER, needle, 2)))
               for needle in ("budgetFor", ":53-56", "'evalSig'")]
    name, lines, member = [h.contents.value for h in answers]
    assert "export function budgetFor(n: number): number" in name
    assert "Clamps a frame budget." in name
    assert "export enum Phase {" in lines and "Write = 'write'," in lines and "DEFAULT_BUDGET" not in lines
    assert "step-kind" in member and "`stateWrite`" in member


def test_references_from_a_declaration_and_from_a_heading(navigation):
    project, server = navigation
    client = server.client
    source = t.Position(runtime_line("export function executeFrame") - 1, 18)
    client.text_document_did_open(t.DidOpenTextDocumentParams(
        t.TextDocumentItem(uri(project, "src/runtime/executor.ts"), "typescript", 1, RUNTIME_TS)))
    of_function = server.run(request_at(client, "references", project, "src/runtime/executor.ts", source))
    of_heading = server.run(request_at(client, "references", project, "docs/notes.md", t.Position(2, 4)))

    def where(locations):
        return sorted((Path(loc.uri[len("file://"):]).name, loc.range.start.line + 1) for loc in locations or [])

    # the name, the range 24-41 that covers it, in guide.md; the name in more.md
    assert where(of_function) == [("guide.md", 3), ("guide.md", 3), ("more.md", 3)]
    assert where(of_heading) == [("guide.md", 6), ("more.md", 4)]


# --------------------------------------------------------------------------- edits


def apply(text: str, edits: list[t.TextEdit]) -> str:
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        start = offsets[edit.range.start.line] + edit.range.start.character
        end = offsets[edit.range.end.line] + edit.range.end.character
        text = text[:start] + edit.new_text + text[end:]
    return text


def test_code_actions_fix_suppress_and_baseline(project):
    doc = "# Moved\n\nSee [notes](old/notes.md) and `src/runtime/gone.ts`.\n"
    write_tree(project, {"docs/moved.md": doc})
    rel = "docs/moved.md"

    async def scenario(client):
        diagnostics = await open_doc(client, project, rel)
        actions = await client.text_document_code_action_async(t.CodeActionParams(
            t.TextDocumentIdentifier(uri(project, rel)), t.Range(t.Position(2, 0), t.Position(2, 10)),
            t.CodeActionContext(diagnostics=list(diagnostics))))
        by_title = {a.title: a for a in actions}
        baseline = next(a for title, a in by_title.items() if "DL001" in title and "baseline" in title)
        await client.workspace_execute_command_async(t.ExecuteCommandParams(baseline.command, baseline.arguments))
        after_baseline = await diagnostics_for(client, uri(project, rel))
        return diagnostics, by_title, after_baseline

    diagnostics, by_title, after_baseline = serve(project, scenario)
    assert found(diagnostics) == [("DL001", 3), ("DL002", 3)]
    fix = next(a for title, a in by_title.items() if title.startswith("doclint: fix DL002"))
    assert apply(doc, fix.edit.changes[uri(project, rel)]) == doc.replace("old/notes.md", "notes.md")
    suppress = by_title["doclint: suppress DL001 on this line"]
    suppressed = apply(doc, suppress.edit.changes[uri(project, rel)])
    assert suppressed.split("\n")[2] == "<!-- doclint-disable-next-line DL001 -->"
    write_tree(project, {rel: suppressed})
    assert "DL001" not in installed(["check", "--root", str(project), rel], project).stdout
    assert found(after_baseline) == [("DL002", 3)]
    entries = json.loads((project / "doclint-baseline.json").read_text())["findings"]
    assert [(e["path"], e["code"], e["text"]) for e in entries] == [(rel, "DL001", "src/runtime/gone.ts")]


def test_completion_of_paths_anchors_names_and_members(navigation):
    project, server = navigation
    lines = {"link path": "See [x](../src/ru", "anchor": "See [x](notes.md#the", "name": "Call `execute",
             "member": "Read `RuntimeState.ev", "code path": "In `src/runtime/ex"}
    text = "# Draft\n\n" + "\n".join(lines.values()) + "\n"
    server.run(open_doc(server.client, project, "docs/draft.md", text))  # in the editor only
    answers = {}
    for number, (name, line) in enumerate(lines.items()):
        result = server.run(server.client.text_document_completion_async(t.CompletionParams(
            t.TextDocumentIdentifier(uri(project, "docs/draft.md")), t.Position(2 + number, len(line)))))
        answers[name] = [item.label for item in result.items] if result else []
    assert answers["link path"] == ["runtime/"]
    assert answers["anchor"] == ["the-details"]
    assert answers["name"] == ["executeFrame"]
    assert answers["member"] == ["eventScalars"]
    assert answers["code path"] == ["executor.ts"]


def test_renaming_a_heading_updates_every_link_to_its_anchor(navigation):
    project, server = navigation
    server.run(open_doc(server.client, project, "docs/notes.md"))
    edit = server.run(server.client.text_document_rename_async(t.RenameParams(
        t.TextDocumentIdentifier(uri(project, "docs/notes.md")), t.Position(2, 5), "Fine Print")))
    changes = edit.changes
    assert apply(NOTES, changes[uri(project, "docs/notes.md")]) == NOTES.replace("The Details", "Fine Print")
    assert apply(GUIDE, changes[uri(project, "docs/guide.md")]) == GUIDE.replace("#the-details", "#fine-print")
    assert apply(MORE, changes[uri(project, "docs/more.md")]) == MORE.replace("#the-details", "#fine-print")
    assert (project / "docs/notes.md").read_text() == NOTES  # an edit for the editor to apply, not a write


def test_will_rename_files_rewrites_doc_paths_and_links(navigation):
    project, server = navigation
    edit = server.run(server.client.workspace_will_rename_files_async(t.RenameFilesParams([
        t.FileRename(uri(project, "src/runtime/executor.ts"), uri(project, "src/core/executor.ts")),
        t.FileRename(uri(project, "docs/notes.md"), uri(project, "docs/ref/notes.md"))])))
    renamed = apply(GUIDE, edit.changes[uri(project, "docs/guide.md")])
    assert renamed == (GUIDE.replace("src/runtime/executor.ts", "src/core/executor.ts")
                       .replace("(notes.md#", "(ref/notes.md#"))
    more = apply(MORE, edit.changes[uri(project, "docs/more.md")])
    assert more == MORE.replace("(notes.md#", "(ref/notes.md#").replace("`executeFrame()`", "`executeFrame()`")
    assert uri(project, "docs/notes.md") not in edit.changes  # its links are all in-file


def test_bad_config_is_one_message_not_a_crash(project):
    write_tree(project, {"doclint.toml": 'docs = ["docs/**/*.md"]\nnonsense = 1\n'})

    async def scenario(client):
        client.text_document_did_open(t.DidOpenTextDocumentParams(
            t.TextDocumentItem(uri(project, "docs/guide.md"), "markdown", 1, GUIDE)))
        await asyncio.sleep(0.2)
        return client.messages

    messages = serve(project, scenario)
    assert len(messages) == 1 and "nonsense" in messages[0].message


def test_files_outside_the_root_are_neither_checked_nor_followed(project):
    outside = write_tree(project.parent / "outside", {"x.md": "# X\n\n`src/runtime/gone.ts`\n"})
    escaping = "# Escape\n\nSee [x](../../outside/x.md) and `../../outside/x.md`.\n"
    write_tree(project, {"docs/escape.md": escaping})

    async def scenario(client):
        client.text_document_did_open(t.DidOpenTextDocumentParams(
            t.TextDocumentItem((outside / "x.md").as_uri(), "markdown", 1, (outside / "x.md").read_text())))
        escape = await open_doc(client, project, "docs/escape.md")
        followed = [await request_at(client, "definition", project, "docs/escape.md", at(escaping, needle, 2))
                    for needle in ("../../outside/x.md)", "`../../outside")]
        renamed = await client.workspace_will_rename_files_async(t.RenameFilesParams([
            t.FileRename(uri(project, "docs/notes.md"), (outside / "notes.md").as_uri())]))
        return escape, followed, renamed, client.published.get((outside / "x.md").as_uri())

    escape, followed, renamed, outside_published = serve(project, scenario)
    assert list(escape) == [] and followed == [None, None] and renamed is None
    assert outside_published is None
