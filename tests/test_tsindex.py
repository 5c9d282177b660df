"""The TypeScript index: declarations, their spans, qualified names, broken files."""

from __future__ import annotations

from conftest import RUNTIME_TS

from doclint.tsindex import SymbolIndex, scan_typescript


def declared(scan):
    return {(s.qualname, s.kind): (s.line, s.end_line) for s in scan.symbols}


def test_every_kind_of_declaration_with_its_span():
    scan = scan_typescript(RUNTIME_TS.encode())
    table = declared(scan)
    assert table[("executeFrame", "function")] == (24, 41)
    assert table[("RuntimeState", "interface")] == (4, 8)
    assert table[("RuntimeState.eventScalars", "property")] == (6, 6)
    assert table[("Step", "type")] == (22, 22)
    assert table[("FrameRunner", "class")][0] == 43
    assert ("FrameRunner.run", "method") in table
    assert ("FrameRunner.frames", "field") in table
    assert ("FrameRunner.state", "field") in table  # a constructor parameter property
    assert ("Phase.Read", "member") in table and ("Phase.Write", "member") in table
    assert ("DEFAULT_BUDGET", "variable") in table
    kinds = {s.container: s.literals for s in scan.symbols if s.name == "kind"}
    assert kinds == {"StepEvalSig": ("evalSig",), "StepStateWrite": ("stateWrite",)}
    step = next(s for s in scan.symbols if s.name == "Step")
    assert step.union == ("StepEvalSig", "StepStateWrite")
    literal_union = next(s for s in scan.symbols if s.name == "StepKind")
    assert literal_union.literals == ("evalSig", "stateWrite")


def test_locals_are_words_not_symbols():
    scan = scan_typescript(b"export function f() { const inner = 1; return inner; }\n")
    assert [s.name for s in scan.symbols] == ["f"]
    assert "inner" in scan.words


def test_words_in_prose_strings_and_comments_are_not_uses_but_a_one_word_string_is():
    """A test's title or an error message names things in prose, as a comment does: a name
    the code no longer declares may live on there. A string that is one word is a value."""
    scan = scan_typescript(
        b"// the old RenderContext\n"
        b"it('renders a page via RenderContext', () => {});\n"
        b"throw new Error(`failed: ${reason}`);\n"
        b"emit('pageLoaded');\n"
        b"const header = 'Content-Type';\n"
    )
    assert "RenderContext" not in scan.words
    assert {"pageLoaded", "Content", "Type", "reason", "emit"} <= scan.words


def test_namespaces_objects_and_tsx():
    scan = scan_typescript(
        b"export namespace Shapes { export function circle() {} }\n"
        b"export const registry = { add(x: number) {}, size: 1 };\n"
        b"export const View = () => <div className='x'>{1}</div>;\n",
        tsx=True,
    )
    names = {s.qualname for s in scan.symbols}
    assert {"Shapes", "Shapes.circle", "registry", "registry.add", "registry.size", "View"} <= names


def test_syntax_errors_are_indexed_as_far_as_possible():
    source = b"export function good() {}\nexport function broken( {\n  let x = ;\n}\nexport class Later { m() {} }\n"
    scan = scan_typescript(source)
    assert "good" in {s.name for s in scan.symbols}
    assert scan.line_count == 5


def test_garbage_never_raises():
    for blob in (b"", b"\x00\xff\xfe", b"{{{{{{", "é".encode() * 1000, b"\r\n" * 50):
        scan_typescript(blob)


def test_index_members_follow_inheritance_and_stop_at_the_unknown():
    files = {
        "a.ts": scan_typescript(b"interface Base { x: number }\ninterface Child extends Base { y: number }\n"
                                b"interface External extends Foreign { z: number }\n"),
    }
    index = SymbolIndex(files)
    assert index.member_names("Child") == {"x", "y"}
    assert index.member_names("External") is None
    assert index.declared("Child") and not index.declared("Nope")


def test_declarations_inside_declare_global_and_ambient_modules_are_indexed():
    from doclint.tsindex import scan_typescript

    source = (b"export {};\ndeclare global {\n  interface Window { appReady: boolean }\n  var __APP_VERSION__: string;\n"
              b"  function track(event: string): void;\n}\ndeclare module 'virtual:config' { export const config: object; }\n"
              b"function f() { const local = 1; }\n")
    names = {(s.qualname, s.line) for s in scan_typescript(source).symbols}
    assert {("Window", 3), ("Window.appReady", 3), ("__APP_VERSION__", 4), ("track", 5), ("config", 7)} <= names
    assert not any(name == "local" for name, _ in names)
