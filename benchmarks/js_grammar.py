"""Does the TSX grammar read JavaScript as faithfully as tree-sitter-javascript?

    pip install tree-sitter-javascript   # only for this measurement; doclint does not need it
    python benchmarks/js_grammar.py DIR [DIR...] [--limit N]

Parses every .js/.jsx/.mjs/.cjs file under the given folders with both grammars and
compares parse errors and the declarations each finds (functions, classes, methods,
variables, by name and line). doclint indexes JavaScript with the TSX grammar; this is
the evidence for that choice.
"""

from __future__ import annotations

import argparse
import os
import time

import tree_sitter as ts
import tree_sitter_typescript

QUERY = """
(function_declaration name: (identifier) @n)
(class_declaration name: ({class_name}) @n)
(method_definition name: (_) @n)
(variable_declarator name: (identifier) @n)
"""


def _grammar(language, class_name: str):
    lang = ts.Language(language)
    return ts.Parser(lang), ts.Query(lang, QUERY.format(class_name=class_name))


def _declarations(grammar, source: bytes) -> tuple[bool, set[tuple[bytes, int]], float]:
    parser, query = grammar
    start = time.perf_counter()
    tree = parser.parse(source)
    nodes = ts.QueryCursor(query).captures(tree.root_node).get("n", [])
    return tree.root_node.has_error, {(n.text, n.start_point[0]) for n in nodes}, time.perf_counter() - start


def main() -> None:
    import tree_sitter_javascript

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+")
    parser.add_argument("--limit", type=int, default=5000)
    args = parser.parse_args()
    files = []
    for folder in args.folders:
        for root, dirs, names in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "node_modules")
            files.extend(os.path.join(root, n) for n in sorted(names) if n.endswith((".js", ".jsx", ".mjs", ".cjs")))
    tsx = _grammar(tree_sitter_typescript.language_tsx(), "type_identifier")
    javascript = _grammar(tree_sitter_javascript.language(), "identifier")
    counts = dict.fromkeys(("files", "tsx_errors", "js_errors", "same_declarations", "js_declarations",
                            "missed_by_tsx", "extra_in_tsx"), 0)
    seconds = {"tsx": 0.0, "js": 0.0}
    for path in files[: args.limit]:
        with open(path, "rb") as handle:
            source = handle.read()
        if len(source) > 2_000_000:
            continue
        tsx_error, tsx_names, tsx_time = _declarations(tsx, source)
        js_error, js_names, js_time = _declarations(javascript, source)
        seconds["tsx"] += tsx_time
        seconds["js"] += js_time
        counts["files"] += 1
        counts["tsx_errors"] += tsx_error
        counts["js_errors"] += js_error
        counts["same_declarations"] += tsx_names == js_names
        counts["js_declarations"] += len(js_names)
        counts["missed_by_tsx"] += len(js_names - tsx_names)
        counts["extra_in_tsx"] += len(tsx_names - js_names)
    for key, value in counts.items():
        print(f"{key:20} {value}")
    print(f"{'seconds':20} tsx {seconds['tsx']:.2f}, javascript {seconds['js']:.2f}")


if __name__ == "__main__":
    main()
