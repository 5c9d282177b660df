"""JavaScript sources are indexed like TypeScript, with the TSX grammar."""

from __future__ import annotations

import json

import pytest

from conftest import installed
from doclint.tsindex import scan_typescript, uses_tsx

JS = """\
import React from 'react';

export function startEngine(options) {
  return new Engine(options);
}

export class Engine {
  #speed = 0;
  constructor(options) { this.options = options; }
  accelerate(by) { this.#speed += by; }
}

export const Gauge = ({ value }) => <div className="gauge">{value}</div>;

module.exports = { startEngine };
"""


@pytest.mark.parametrize("path", ["src/engine.js", "src/engine.jsx", "src/engine.mjs", "src/engine.cjs"])
def test_javascript_declarations_are_indexed(path):
    assert uses_tsx(path)
    names = {(s.qualname, s.line) for s in scan_typescript(JS.encode(), tsx=uses_tsx(path)).symbols}
    assert {("startEngine", 3), ("Engine", 7), ("Engine.accelerate", 10), ("Gauge", 13)} <= names


def test_docs_about_javascript_code_are_checked(repo):
    root = repo({
        "src/engine.js": JS,
        "types/engine.d.ts": "export declare function stopEngine(): void;\n",
        "docs/engine.md": "Call `startEngine()`, then `Engine.accelerate()` and `stopEngine()`.\n\n"
                          "Then `Engine.brake()`; see `src/engine.js:10`.\n",
    }, with_runtime=False)
    run = installed(["check", "--format", "json"], root)
    assert [(f["code"], f["target"]) for f in json.loads(run.stdout)["findings"]] == [("DL004", "Engine.brake")]


def test_a_sources_pattern_of_files_doclint_cannot_read_is_said(repo):
    root = repo({"doclint.toml": 'sources = ["src/**/*.ts", "components/**/*.vue"]\n',
                 "components/App.vue": "<template></template>\n", "README.md": "# Hi\n"})
    run = installed(["check"], root)
    assert run.returncode == 0
    assert "`components/**/*.vue` matches 1 files, none of which doclint indexes (.vue)" in run.stderr
