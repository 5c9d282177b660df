"""Reading a union's members from TypeScript (doclint/unions.py), and what a pack says when it cannot."""

from __future__ import annotations

import json

from conftest import check_json, invoke, write_tree
from doclint.globs import GlobSet
from doclint.tree import FileTree
from doclint.unions import read_union

SHAPES_TS = """\
import type { Polygon } from './polygon';
import { Star as FiveStar } from './more/index';

export type Circle = { kind: 'circle'; radius: number };

export interface Square {
  readonly kind: 'square';
  side: number;
}

interface Marker {
  kind: 'marker';
}

export interface Pin extends Marker {
  x: number;
}

export type Shape =
  | Circle
  | Square
  | { kind: "line"; length: number }
  | (Polygon)
  | ({ 'kind': 'arc' } & Styled)
  | FiveStar;

export type Annotation = Pin | { kind: 'note' | 'callout' };
export type Drawable = Shape | Annotation | undefined;
export type Mode = 'fill' | 'stroke';
interface Styled { colour: string }
"""

POLYGON_TS = "export interface Polygon {\n  readonly kind: 'polygon';\n  points: number[];\n}\n"
STAR_TS = "export * from './star';\n"
STAR_IMPL_TS = "export type Star = { kind: 'star'; arms: number };\n"


def tree(tmp_path, shapes=SHAPES_TS):
    root = write_tree(tmp_path, {"src/shapes.ts": shapes, "src/polygon.ts": POLYGON_TS,
                                 "src/more/index.ts": STAR_TS, "src/more/star.ts": STAR_IMPL_TS})
    return FileTree(root, GlobSet([]))


def members(read):
    return [(f.literal, f.path, f.line, f.alias) for f in read.members]


def test_every_form_of_alternative_is_read(tmp_path):
    read = read_union(tree(tmp_path), "src/shapes.ts", "Drawable", "kind")
    assert read.unreadable == []
    assert members(read) == [
        ("circle", "src/shapes.ts", 4, "Circle"),          # an alias of an inline object type
        ("square", "src/shapes.ts", 6, "Square"),          # an interface
        ("line", "src/shapes.ts", 22, None),               # an object type written in the union
        ("polygon", "src/polygon.ts", 1, "Polygon"),       # imported, in parentheses
        ("arc", "src/shapes.ts", 24, None),                # an intersection; a quoted property name
        ("star", "src/more/star.ts", 1, "FiveStar"),       # imported under another name, re-exported with *
        ("marker", "src/shapes.ts", 15, "Pin"),            # the discriminant inherited from an interface
        ("note", "src/shapes.ts", 27, None),               # one object, two literals: no alias
        ("callout", "src/shapes.ts", 27, None),
    ]


def test_a_string_union_has_its_strings_as_members(tmp_path):
    read = read_union(tree(tmp_path), "src/shapes.ts", "Mode", "kind")
    assert members(read) == [("fill", "src/shapes.ts", 29, None), ("stroke", "src/shapes.ts", 29, None)]


def test_an_interface_named_as_the_union_is_one_alternative(tmp_path):
    read = read_union(tree(tmp_path), "src/shapes.ts", "Square", "kind")
    assert members(read) == [("square", "src/shapes.ts", 6, None)]


def test_missing_type_is_none(tmp_path):
    assert read_union(tree(tmp_path), "src/shapes.ts", "Hexagon", "kind") is None


BAD_TS = """\
import type { Remote } from 'some-package';
type Circle = { kind: 'circle' };
type Loop = Circle | Again;
type Again = Loop;
export type Bad =
  | Circle
  | Missing
  | { kind: string }
  | number
  | Remote
  | Loop
  | Partial<Circle>
  | null;
"""


def test_each_unreadable_alternative_is_named(tmp_path):
    read = read_union(tree(tmp_path, BAD_TS), "src/shapes.ts", "Bad", "kind")
    assert read.unreadable == [
        "`Missing` (src/shapes.ts:7) is declared neither in that file nor in a module it imports by a relative path",
        "`{ kind: string }` (src/shapes.ts:8) has no `kind` property typed with string literals",
        "`number` (src/shapes.ts:9) is not an interface, a type alias, an object type or a string literal",
        "`Remote` (src/shapes.ts:10) is declared neither in that file nor in a module it imports by a relative path",
        "`Loop` (src/shapes.ts:4) refers back to a union that contains it",
        "`Partial<Circle>` (src/shapes.ts:12) is declared neither in that file nor in a module it imports by a "
        "relative path (doclint does not compute generic types)",
    ]


PACK = """\
[pack]
name = "drawing"

[[union]]
name = "shape"
file = "src/shapes.ts"
type = "{type}"
docs = ["docs/shapes.md"]
"""


def pack_repo(tmp_path, type_name, doc, shapes=SHAPES_TS):
    return write_tree(tmp_path / "repo", {
        "doclint.toml": 'docs = ["docs/**/*.md"]\nrules = ["rules/drawing.toml"]\n',
        "rules/drawing.toml": PACK.replace("{type}", type_name),
        "src/shapes.ts": shapes, "src/polygon.ts": POLYGON_TS, "src/more/index.ts": STAR_TS,
        "src/more/star.ts": STAR_IMPL_TS, "docs/shapes.md": doc,
    })


def test_coverage_of_a_union_of_inline_objects_and_aliases(tmp_path):
    doc = "# Shapes\n\nA `Circle`, a `'square'`, a `{ kind: 'line' }` and a `Polygon`.\n"
    root = pack_repo(tmp_path, "Shape", doc)
    data = json.loads(invoke("coverage", "--root", str(root), "--format", "json").stdout)
    documented = {m["name"]: bool(m["documented"]) for m in data["sets"][0]["members"]}
    assert documented == {"circle": True, "square": True, "line": True, "polygon": True, "arc": False,
                          "star": False}
    assert data["sets"][0]["documented_pct"] == 66.7


def test_a_union_that_cannot_be_read_stops_the_run_naming_it(tmp_path):
    root = pack_repo(tmp_path, "Bad", "# Shapes\n", shapes=BAD_TS)
    for command in ("check", "coverage"):
        run = invoke(command, "--root", str(root))
        assert run.exit_code == 2 and run.stdout == ""
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 6
        assert lines[0] == (
            "doclint: rules/drawing.toml: key 'union[0].type': cannot read union Bad: `Missing` (src/shapes.ts:7) "
            "is declared neither in that file nor in a module it imports by a relative path (expected interfaces, "
            "type aliases or object types whose `kind` is a string literal)")


def test_a_union_that_was_read_as_empty_before_is_now_read(tmp_path):
    # `type Shape = {…} | {…}` used to give "0 members, 100% documented"
    shapes = "export type Shape = { kind: 'circle'; r: number } | { kind: 'square'; s: number };\n"
    root = pack_repo(tmp_path, "Shape", "# Shapes\n\nOnly `circle`.\n", shapes=shapes)
    run = check_json(root)
    [finding] = run.json["findings"]
    assert (finding["code"], finding["path"], finding["line"]) == ("DL011", "docs/shapes.md", 1)
    assert finding["message"] == ("shape member `square` (declared in src/shapes.ts:1) is not mentioned in "
                                  "docs/shapes.md")


def test_comments_between_alternatives_are_not_alternatives(tmp_path):
    shapes = ("export type Shape =\n  // round ones\n  | { kind: 'circle' }\n  /* square ones */\n"
              "  | { kind: 'square' };\n")
    read = read_union(tree(tmp_path, shapes), "src/shapes.ts", "Shape", "kind")
    assert (read.unreadable, [f.literal for f in read.members]) == ([], ["circle", "square"])
