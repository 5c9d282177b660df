"""The language server (`doclint lsp`): pygls over stdio, answering from one warm Session.

Each handler turns LSP positions into the engine's 1-based code-point spans and back; the
findings come from `Session.check_doc` / `check_source`, the places from `navigate`.
"""

from __future__ import annotations

import asyncio
import logging
import posixpath
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urlparse

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path

from doclint import __version__
from doclint.errors import DoclintError
from doclint.findings import Finding, Span
from doclint.linter import Options
from doclint.lsp import navigate
from doclint.session import Session, relative_to
from doclint.tree import decode, text_lines

# Diagnostics wait this long after a change for the next one (typing), then go out.
DEBOUNCE_SECONDS = 0.015
ADD_TO_BASELINE = "doclint.addToBaseline"
_SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning}


class DoclintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("doclint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.session: Session | None = None
        self.options: Options | None = None
        self.findings: dict[str, list[Finding]] = {}  # uri -> what was last published
        self.pending: dict[str, asyncio.TimerHandle] = {}

    # ------------------------------------------------------------------ files and positions

    def rel(self, uri: str) -> str | None:
        """A document's root-relative path, or None for anything outside the root."""
        if self.session is None or urlparse(uri).scheme != "file":
            return None
        return relative_to(self.session.root, Path(unquote(urlparse(uri).path)))

    def absolute(self, path: str | Path) -> Path:
        """A root-relative path (or an absolute one, as the navigation's places are) made absolute."""
        if isinstance(path, Path) or self.session is None:
            return Path(path)
        return self.session.root / path

    def uri(self, path: str | Path) -> str:
        return from_fs_path(str(self.absolute(path))) or ""

    def lines_of(self, path: str | Path) -> list[str]:
        """A file's lines as the editor has them when it is open, else as saved."""
        uri = self.uri(path)
        document = self.workspace.text_documents.get(uri)
        if document is not None:
            return text_lines(document.source)
        try:
            return text_lines(decode(self.absolute(path).read_bytes()))  # as the engine reads it
        except OSError:
            return []

    def to_range(self, lines: list[str], span: Span) -> types.Range:
        codec = self.workspace.position_codec
        return codec.range_to_client_units(lines, types.Range(
            types.Position(max(span.line - 1, 0), max(span.column - 1, 0)),
            types.Position(max(span.end_line - 1, 0), max(span.end_column - 1, 0))))

    def from_position(self, lines: list[str], position: types.Position) -> tuple[int, int]:
        """The 1-based (line, column) of an LSP position."""
        server = self.workspace.position_codec.position_from_client_units(lines, position)
        return server.line + 1, server.character + 1

    def place_location(self, place: navigate.Place) -> types.Location:
        lines = self.lines_of(place.file)
        if place.column:
            span = Span(place.line, place.column, place.end_line, place.end_column)
        elif place.line == place.end_line == 1:
            span = Span(1, 1, 1, 1)  # the file, or its first line: the cursor goes to its start
        else:  # whole lines
            last = len(lines[place.end_line - 1]) + 1 if 0 < place.end_line <= len(lines) else 1
            span = Span(place.line, 1, place.end_line, last)
        return types.Location(self.uri(place.file), self.to_range(lines, span))

    # ------------------------------------------------------------------ diagnostics

    def start_session(self, root: Path) -> None:
        self.options = Options(root=root)
        try:
            self.session = Session(self.options)
        except DoclintError as exc:
            self.session = None
            self.window_show_message(types.ShowMessageParams(types.MessageType.Error, f"doclint: {exc}"))
            return
        for notice in self.session.notices:
            self.window_log_message(types.LogMessageParams(types.MessageType.Info, f"doclint: {notice}"))

    def schedule(self, uri: str) -> None:
        """Check a document once its changes pause for DEBOUNCE_SECONDS."""
        waiting = self.pending.pop(uri, None)
        if waiting is not None:
            waiting.cancel()
        loop = asyncio.get_running_loop()
        self.pending[uri] = loop.call_later(DEBOUNCE_SECONDS, self.publish_open, uri)

    def publish_open(self, uri: str) -> None:
        """Check an open document's text and publish; then the docs whose links it may break."""
        self.pending.pop(uri, None)
        document = self.workspace.text_documents.get(uri)
        path = self.rel(uri)
        if document is None or path is None or self.session is None:
            return
        session = self.session
        if session.is_doc(path):
            before = session.ws.doc_scans.get(path)
            anchors = set(before.anchors) if before is not None else None
            self.publish(path, session.check_doc(path, document.source), document.version)
            after = session.ws.doc_scans.get(path)
            if anchors is not None and after is not None and after.anchors != anchors:
                self.recheck(_linking_docs(session, path))
        elif session.is_source(path):
            self.publish(path, session.check_source(path, document.source), document.version)

    def recheck(self, docs: list[str]) -> None:
        """Check docs again (their open text, else the saved one) and publish."""
        session = self.session
        if session is None:
            return
        for doc in docs:
            document = self.workspace.text_documents.get(self.uri(doc))
            self.publish(doc, session.check_doc(doc, document.source if document else None),
                         document.version if document else None)

    def publish(self, path: str, findings: list[Finding], version: int | None) -> None:
        uri = self.uri(path)
        self.findings[uri] = findings
        lines = self.lines_of(path)
        diagnostics = [types.Diagnostic(
            range=self.to_range(lines, f.span), message=f.message, severity=_SEVERITY.get(f.severity),
            code=f.code, source="doclint", data={"name": f.name}) for f in findings]
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, diagnostics, version))


def _linking_docs(session: Session, doc: str) -> list[str]:
    """Docs that may link to an anchor of `doc` (a fragment, and a target named like it):
    when its headings change, only these can gain or lose a broken-anchor finding."""
    found = []
    for other in session.docs:
        scan = session.ws.doc_scans.get(other)
        if other == doc or scan is None:
            continue
        if any(link.fragment and link.target and doc.endswith(posixpath.basename(unquote(link.target)))
               for link in scan.links):
            found.append(other)
    return found


server = DoclintServer()


@server.feature(types.INITIALIZE)
def initialize(ls: DoclintServer, params: types.InitializeParams) -> None:
    folders = params.workspace_folders or []
    uri = folders[0].uri if folders else params.root_uri
    root = Path(unquote(urlparse(uri).path)) if uri else (Path(params.root_path) if params.root_path else Path.cwd())
    ls.start_session(root)


@server.feature(types.INITIALIZED)
def initialized(ls: DoclintServer, _params: types.InitializedParams) -> None:
    capabilities = ls.client_capabilities.workspace
    watching = capabilities and capabilities.did_change_watched_files
    if watching and watching.dynamic_registration:
        watchers = [types.FileSystemWatcher(glob_pattern="**/*")]
        ls.client_register_capability(types.RegistrationParams([types.Registration(
            "doclint-watch", types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            types.DidChangeWatchedFilesRegistrationOptions(watchers))]))


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: DoclintServer, params: types.DidOpenTextDocumentParams) -> None:
    ls.publish_open(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: DoclintServer, params: types.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: DoclintServer, params: types.DidSaveTextDocumentParams) -> None:
    uri = params.text_document.uri
    path = ls.rel(uri)
    if path is None or ls.session is None:
        return
    if ls.session.is_source(path):
        ls.recheck(ls.session.source_saved(path))  # the docs that point into it
    ls.publish_open(uri)  # a saved doc is checked with git history too


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: DoclintServer, params: types.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    path = ls.rel(uri)
    if path is not None and ls.session is not None and ls.session.is_doc(path):
        saved = ls.session.on_disk(path)
        if saved is not None:
            ls.session.set_doc_text(path, saved)  # other docs see the saved text again
    ls.findings.pop(uri, None)
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, []))


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched(ls: DoclintServer, params: types.DidChangeWatchedFilesParams) -> None:
    """Files created or deleted change the trees every check resolves against: start again
    (from the cache, so only what changed is parsed)."""
    if ls.options is None:
        return
    relevant = [c for c in params.changes if c.type != types.FileChangeType.Changed
                and ".doclint_cache" not in c.uri]
    if relevant:
        ls.start_session(ls.options.root)
        for uri in list(ls.workspace.text_documents):
            ls.publish_open(uri)


# ---------------------------------------------------------------------- navigation


class _At(NamedTuple):
    """A request's position: the session, the file's root-relative path and current lines,
    and the 1-based line and column."""

    session: Session
    path: str
    lines: list[str]
    line: int
    column: int


def _at(ls: DoclintServer, uri: str, position: types.Position, doc_only: bool = False) -> _At | None:
    path = ls.rel(uri)
    session = ls.session
    if path is None or session is None or doc_only and not session.is_doc(path):
        return None
    lines = ls.lines_of(path)
    line, column = ls.from_position(lines, position)
    return _At(session, path, lines, line, column)


def _under(ls: DoclintServer, uri: str, position: types.Position) -> tuple[_At, navigate.Under] | None:
    at = _at(ls, uri, position, doc_only=True)
    scan = at.session.ws.doc_scans.get(at.path) if at else None
    target = navigate.under(at.session, scan, at.line, at.column) if at and scan else None
    return (at, target) if at and target else None


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
def definition(ls: DoclintServer, params: types.DefinitionParams) -> list[types.Location] | None:
    found = _under(ls, params.text_document.uri, params.position)
    if found is None:
        return None
    at, target = found
    return [ls.place_location(place) for place in navigate.definition(at.session, at.path, target)] or None


@server.feature(types.TEXT_DOCUMENT_HOVER)
def hover(ls: DoclintServer, params: types.HoverParams) -> types.Hover | None:
    found = _under(ls, params.text_document.uri, params.position)
    if found is None:
        return None
    at, target = found
    text = navigate.hover(at.session, at.path, target)
    return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, text), ls.to_range(at.lines, target.span)) \
        if text else None


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
def references(ls: DoclintServer, params: types.ReferenceParams) -> list[types.Location] | None:
    at = _at(ls, params.text_document.uri, params.position)
    if at is None:
        return None
    session, path, lines, line, column = at
    spans: list[tuple[str, Span]] = []
    if session.is_doc(path):
        scan = session.ws.doc_scans.get(path)
        heading = next((h for h in scan.headings if h[0] == line), None) if scan else None
        if heading is None:
            return None
        spans = [(doc, link.span) for doc, link in navigate.links_to_anchor(session, path, heading[2])]
    elif path in session.ws.index.files:
        symbols = navigate.symbols_at(session, path, "\n".join(lines), line, column)
        spans = navigate.references_to_symbols(session, path, symbols) if symbols else []
    return [types.Location(ls.uri(doc), ls.to_range(ls.lines_of(doc), span)) for doc, span in spans] or None


@server.feature(types.TEXT_DOCUMENT_COMPLETION,
                types.CompletionOptions(trigger_characters=["`", "/", "#", ".", "("]))
def completion(ls: DoclintServer, params: types.CompletionParams) -> types.CompletionList | None:
    at = _at(ls, params.text_document.uri, params.position, doc_only=True)
    if at is None:
        return None
    session, path, lines, line, column = at
    before = lines[line - 1][: column - 1] if line <= len(lines) else ""
    candidates, replaced = navigate.complete(session, path, before)
    if not candidates:
        return None
    kinds = {"file": types.CompletionItemKind.File, "folder": types.CompletionItemKind.Folder,
             "anchor": types.CompletionItemKind.Reference, "member": types.CompletionItemKind.Field,
             "symbol": types.CompletionItemKind.Reference}
    where = ls.to_range(lines, Span(line, column - replaced, line, column))
    items = [types.CompletionItem(label, kind=kinds.get(kind), text_edit=types.TextEdit(where, label))
             for label, kind in candidates]
    return types.CompletionList(is_incomplete=False, items=items)


# ---------------------------------------------------------------------- edits


def _edit(ls: DoclintServer, changes: list[navigate.Change]) -> types.WorkspaceEdit:
    edits: dict[str, list[types.TextEdit]] = {}
    for change in changes:
        lines = ls.lines_of(change.doc)
        edits.setdefault(ls.uri(change.doc), []).append(types.TextEdit(ls.to_range(lines, change.span),
                                                                       change.replacement))
    return types.WorkspaceEdit(changes=edits)


@server.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
def code_action(ls: DoclintServer, params: types.CodeActionParams) -> list[types.CodeAction | types.Command] | None:
    uri = params.text_document.uri
    path = ls.rel(uri)
    if path is None or ls.session is None:
        return None
    lines = ls.lines_of(path)
    first, _c = ls.from_position(lines, params.range.start)
    last, _c = ls.from_position(lines, params.range.end)
    actions: list[types.CodeAction | types.Command] = []
    for finding in ls.findings.get(uri, []):
        if finding.span.end_line < first or finding.span.line > last:
            continue
        diagnostic = [d for d in params.context.diagnostics if d.code == finding.code] or None
        if finding.fix is not None:
            changes = [navigate.Change(path, edit.span, edit.replacement) for edit in finding.fix.edits]
            guess = "" if finding.fix.safe else ", a guess: check it"
            actions.append(types.CodeAction(f"doclint: fix {finding.code} ({finding.suggestion or 'apply'}{guess})",
                                            kind=types.CodeActionKind.QuickFix, diagnostics=diagnostic,
                                            edit=_edit(ls, changes), is_preferred=finding.fix.safe))
        line_text = lines[finding.span.line - 1] if finding.span.line <= len(lines) else ""
        indent = line_text[: len(line_text) - len(line_text.lstrip())]
        comment = f"<!-- doclint-disable-next-line {finding.code} -->" if ls.session.is_doc(path) \
            else f"// doclint-disable-next-line {finding.code}"
        insert = navigate.Change(path, Span(finding.span.line, 1, finding.span.line, 1), f"{indent}{comment}\n")
        actions.append(types.CodeAction(f"doclint: suppress {finding.code} on this line",
                                        kind=types.CodeActionKind.QuickFix, diagnostics=diagnostic,
                                        edit=_edit(ls, [insert])))
        # A bare Command: code-action lists may hold them, and every client runs them.
        actions.append(types.Command(title=f"doclint: add this {finding.code} finding to the baseline",
                                     command=ADD_TO_BASELINE,
                                     arguments=[uri, finding.span.line, finding.span.column, finding.code]))
    return actions or None


@server.command(ADD_TO_BASELINE)
def add_to_baseline(ls: DoclintServer, uri: str, line: int, column: int, code: str) -> str | None:
    path = ls.rel(uri)
    match = [f for f in ls.findings.get(uri, []) if (f.span.line, f.span.column, f.code) == (line, column, code)]
    if path is None or ls.session is None or not match:
        return None
    document = ls.workspace.text_documents.get(uri)
    try:
        written = ls.session.baseline_add(match[0], document.source if document else None)
    except DoclintError as exc:
        ls.window_show_message(types.ShowMessageParams(types.MessageType.Error, f"doclint: {exc}"))
        return None
    ls.publish_open(uri)
    return str(written)


@server.feature(types.TEXT_DOCUMENT_RENAME)
def rename(ls: DoclintServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
    at = _at(ls, params.text_document.uri, params.position, doc_only=True)
    if at is None:
        return None
    changes = navigate.rename_heading(at.session, at.path, "\n".join(at.lines), at.line, params.new_name, ls.lines_of)
    return _edit(ls, changes) if changes else None


@server.feature(types.WORKSPACE_WILL_RENAME_FILES,
                types.FileOperationRegistrationOptions(filters=[types.FileOperationFilter(
                    pattern=types.FileOperationPattern(glob="**/*"))]))
def will_rename_files(ls: DoclintServer, params: types.RenameFilesParams) -> types.WorkspaceEdit | None:
    if ls.session is None:
        return None
    moves = {}
    for rename_ in params.files:
        old, new = ls.rel(rename_.old_uri), ls.rel(rename_.new_uri)
        if old and new:
            moves[old] = new
    changes = navigate.renamed_files(ls.session, moves, ls.lines_of) if moves else []
    return _edit(ls, changes) if changes else None


def main() -> int:
    logging.basicConfig(level=logging.WARNING)
    server.start_io()
    return 0
