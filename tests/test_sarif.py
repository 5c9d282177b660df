"""SARIF output, validated against the official SARIF 2.1.0 JSON schema.

The schema is not copied into this repository: the test takes it from the npm package
that publishes it (@microsoft/jest-sarif, MIT), cached for the session, and is skipped
with the reason when neither npm nor the registry is available.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile

import pytest

from conftest import doclint

jsonschema = pytest.importorskip("jsonschema")

SCHEMA_PACKAGE = "@microsoft/jest-sarif@1.0.0-beta.0"
SCHEMA_MEMBER = "package/lib/schemas/sarif-2.1.0-rtm.5.json"


@pytest.fixture(scope="session")
def sarif_schema(tmp_path_factory):
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed: cannot fetch the official SARIF schema")
    where = tmp_path_factory.mktemp("sarif-schema")
    try:
        out = subprocess.run([npm, "pack", SCHEMA_PACKAGE, "--silent", "--pack-destination", str(where)],
                             capture_output=True, text=True, timeout=180, check=True).stdout.strip().splitlines()
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"the npm registry did not supply {SCHEMA_PACKAGE}: {exc}")
    with tarfile.open(where / out[-1]) as archive:
        schema = json.load(archive.extractfile(SCHEMA_MEMBER))
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    return schema


def test_sarif_validates_and_carries_rules_results_and_fixes(repo, sarif_schema):
    root = repo({"docs/a.md": "`src/old/executor.ts` and `src/gone.ts` and `FrameRunnerz`.\n"})
    run = doclint(root, "--format", "sarif")
    assert run.exit_code == 1
    log = json.loads(run.stdout)
    jsonschema.validate(log, sarif_schema)
    [sarif_run] = log["runs"]
    rules = sarif_run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules][:3] == ["DL001", "DL002", "DL003"]
    results = sarif_run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [("DL002", "error"), ("DL001", "error"),
                                                           ("DL004", "warning")]
    assert rules[results[0]["ruleIndex"]]["id"] == "DL002"
    [change] = results[0]["fixes"][0]["artifactChanges"]
    assert change["replacements"][0]["insertedContent"]["text"] == "src/runtime/executor.ts"
    location = results[1]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "docs/a.md", "uriBaseId": "ROOT"}
    assert location["region"]["startColumn"] == 28


def test_empty_sarif_is_valid(repo, sarif_schema):
    log = json.loads(doclint(repo({"docs/a.md": "fine\n"}), "--format", "sarif").stdout)
    jsonschema.validate(log, sarif_schema)
    assert log["runs"][0]["results"] == []


def test_sarif_uris_are_percent_encoded(repo):
    root = repo({"docs/my doc#1 é%.md": "See `src/gone.ts`.\n"})
    log = json.loads(doclint(root, "--format", "sarif").stdout)
    [result] = log["runs"][0]["results"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "docs/my%20doc%231%20%C3%A9%25.md"  # a URI reference (RFC 3986), relative to ROOT
