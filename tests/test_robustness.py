"""Hostile input never crashes doclint, and nothing outside the root is read or written."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import RUNTIME_TS, check_json, invoke, write_tree

from doclint.findings import Edit, Span
from doclint.fixer import rewrite
from doclint.mdrefs import scan_markdown
from doclint.slugs import Slugger, github_slug
from doclint.tree import decode, text_lines
from doclint.tsindex import scan_typescript

# Markdown made of the pieces that stress a parser: fences, lists, quotes, tables, code spans.
PIECES = ["```", "~~~", "`", "``", "> ", ">>>", "- ", "1. ", "    ", "\t", "|", "|---|", "# ", "[", "](", ")",
          "<!--", "-->", "<a id='x'>", "\r\n", "\n", "\r", "\x00", "\ufeff", "src/a.ts:12-40", "#L3-L9",
          "`f()`", "`A.b`", "(lines 1-2)", "é", "\u2028", " ", "*", "_", "\\"]
markdown_text = st.lists(st.sampled_from(PIECES) | st.text(max_size=8), max_size=80).map("".join)
TS_PIECES = ["export ", "function f(", ") {", "}", "class C {", "interface I {", "type T = ", "'a' | 'b'", ";",
             "enum E { A, B }", "namespace N {", "const x = {", "a: 1,", "/* ", " */", "// ", "\n", "<div>",
             "\x00", "`", "${", "(", ")", "=>", "switch (k) { case 'a': }"]
typescript_text = st.lists(st.sampled_from(TS_PIECES) | st.text(max_size=6), max_size=60).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markdown_text)
def test_markdown_scan_never_raises_and_spans_are_in_the_file(text):
    scan = scan_markdown(text)
    lines = text_lines(text)
    for ref in [*scan.paths, *scan.symbols, *scan.links]:
        assert 1 <= ref.span.line <= max(len(lines), 1)
        assert ref.span.column >= 1


# Plain prose, headings, setext headings and table cells (where the inline pass is skipped),
# emphasis-only paragraphs, links, and the characters the text rule no longer stops at.
PLAIN_PIECES = ["Plain words", " ", "  ", "\n", "\n\n", "# ", "## ", "\n===\n", "\n---\n", "| a | b |\n|---|---|\n",
                "| x | y |\n", "\t", "  \n", ":", "#", "$", "%", "-", "é", "I7 ", "`x`", "*", "_", "[", "<b>", "&amp;",
                "]", "](", ")", "+", "=", "@", "^", "{", "}", ">", "~~", "\\", "!", "[a]", "\n[a]: /b.md\n", "![i](x.png)",
                "[t](src/a.ts#L1-L2)", "<http://a.b>", "**b**", "`a:b`", "[x`]`](y)", "<!-- doclint-disable DL001 -->",
                "```", "~~~", "    ", "> ", "- ", "1. ", "\r\n", "\r", "=\r", "-\r\n", "<div>", "]:", "[b]:\n/c.md"]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PLAIN_PIECES) | st.text(alphabet="ab \n|#=->`~[]:<", max_size=6), max_size=40)
       .map("".join), st.booleans())
def test_the_parser_shortcuts_change_nothing(text, mdx):
    """scan_markdown leaves out the block rules a text cannot trigger and markdown-it's
    inline parser for plain-text blocks and emphasis-only paragraphs, and lets the text rule
    run past characters no enabled rule uses; the scan must be exactly what the stock
    parser gives."""
    from markdown_it import MarkdownIt

    from doclint import destinations, mdrefs, serial

    fast = serial.encode_doc(scan_markdown(text, mdx=mdx))
    full_parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    destinations.install(full_parser)  # not a shortcut: where destinations are written
    if mdx:
        full_parser.disable("code")
    original = mdrefs._parser_for
    mdrefs._parser_for = lambda _text, _mdx: full_parser
    try:
        full = serial.encode_doc(scan_markdown(text, mdx=mdx))
    finally:
        mdrefs._parser_for = original
    assert fast == full


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_markdown_scan_of_arbitrary_bytes(data):
    scan_markdown(decode(data))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_slugs_are_stable_and_unique(title):
    slug = github_slug(title)
    assert slug == github_slug(title) and " " not in slug
    slugger = Slugger()
    produced = [slugger.slug(title) for _ in range(4)]
    assert len(set(produced)) == 4


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=30) | st.text(max_size=30))
def test_ascii_slugs_follow_the_character_rule(title):
    """ASCII titles take a shortcut; it must keep exactly the characters the general rule keeps."""
    from doclint.slugs import _kept

    rule = "".join(c for c in title.lower() if _kept(c)).replace(" ", "-")
    assert github_slug(title) == rule


@settings(max_examples=200, deadline=None)
@given(typescript_text)
def test_typescript_index_never_raises(text):
    scan = scan_typescript(text.encode("utf-8", "surrogatepass"))
    for symbol in scan.symbols:
        assert 1 <= symbol.line <= symbol.end_line


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_typescript_index_of_arbitrary_bytes(data):
    scan_typescript(data)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab`:-é\t ", min_size=0, max_size=12), min_size=1, max_size=6),
       st.sampled_from(["\n", "\r\n", "\r"]), st.booleans(), st.booleans(), st.data())
def test_fixing_changes_exactly_the_edited_spans(lines, newline, bom, final_newline, data):
    text = newline.join(lines) + (newline if final_newline else "")
    raw = (b"\xef\xbb\xbf" if bom else b"") + text.encode()
    row = data.draw(st.integers(1, len(lines)))
    line = lines[row - 1]
    start = data.draw(st.integers(0, len(line)))
    end = data.draw(st.integers(start, len(line)))
    replacement = data.draw(st.text(alphabet="xyz0-9", max_size=5))
    new, applied = rewrite(raw, [Edit(Span(row, start + 1, row, end + 1), replacement)])
    expected_lines = list(lines)
    expected_lines[row - 1] = line[:start] + replacement + line[end:]
    expected = newline.join(expected_lines) + (newline if final_newline else "")
    assert applied == 1
    assert new == (b"\xef\xbb\xbf" if bom else b"") + expected.encode()


def test_fuzz_corpus_through_the_cli(tmp_path):
    """Thousands of generated docs and sources, one subprocess run: no traceback, no hang."""
    rng = random.Random(1234)
    files: dict[str, str | bytes] = {"doclint.toml": 'docs = ["**/*.md"]\n', "src/runtime/executor.ts": RUNTIME_TS}
    for i in range(2000):
        pieces = [rng.choice(PIECES) if rng.random() < 0.7 else chr(rng.randrange(1, 0x3000)) for _ in range(60)]
        body = "".join(pieces)
        files[f"docs/f{i % 37}/doc{i}.md"] = body.encode("utf-8", "surrogatepass") if i % 11 else bytes(
            rng.randrange(256) for _ in range(200))
    for i in range(300):
        files[f"src/gen/m{i}.ts"] = "".join(rng.choice(TS_PIECES) for _ in range(40))
    files["docs/huge-line.md"] = "`src/a.ts` " * 50_000 + "\n"
    files["docs/deep.md"] = "> " * 500 + "- " * 500 + "`x`\n"
    root = write_tree(tmp_path / "fuzz", files)
    proc = subprocess.run([sys.executable, "-m", "doclint", "check", "--format", "json", "--no-cache"], cwd=root,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    assert json.loads(proc.stdout)["summary"]["docs"] >= 2000


def test_size_cap_skips_with_one_notice(repo):
    root = repo({"doclint.toml": "max-file-size = 1000\n", "docs/big.md": "`src/gone.ts` " * 200 + "\n",
                 "docs/small.md": "`src/gone.ts`\n"})
    run = check_json(root)
    assert [f["path"] for f in run.json["findings"]] == ["docs/small.md"]
    assert run.stderr.count("docs/big.md: skipped, larger than max-file-size (1000 bytes)") == 1


def test_nothing_outside_the_root_is_followed(tmp_path):
    secret = write_tree(tmp_path / "outside", {"secret.md": "# Secret heading\n", "secret.ts": "export function leaked() {}\n"})
    root = write_tree(tmp_path / "repo", {
        "doclint.toml": "",
        "docs/a.md": ("[up](../../outside/secret.md#secret-heading) [etc](../../../../../../etc/passwd) "
                      "[abs](/etc/passwd) `../../outside/secret.ts` `/etc/passwd` `leaked()` "
                      "[link](linked/secret.md#secret-heading)\n"),
    })
    os.symlink(secret, root / "docs" / "linked")
    os.symlink(secret / "secret.ts", root / "leak.ts")
    run = check_json(root)
    assert run.exit_code in (0, 1)
    text = json.dumps(run.json)
    assert "Secret heading" not in text and "leaked" not in [f.get("suggestion") for f in run.json["findings"]]
    # `leaked()` is unknown: the symlinked source outside the root was never indexed
    assert any(f["code"] == "DL004" and f["target"] == "leaked" for f in run.json["findings"])
    # and no anchor inside the linked-out file was read to judge the fragment
    assert not any(f["code"] == "DL007" for f in run.json["findings"])


def test_fix_never_writes_through_a_symlink(tmp_path):
    outside = write_tree(tmp_path / "outside", {"doc.md": "See `src/old/executor.ts`.\n"})
    root = write_tree(tmp_path / "repo", {"doclint.toml": "", "src/runtime/executor.ts": RUNTIME_TS})
    (root / "docs").mkdir()
    os.symlink(outside / "doc.md", root / "docs" / "doc.md")
    invoke("fix", "--unsafe-fixes", "--root", str(root))
    assert (outside / "doc.md").read_text() == "See `src/old/executor.ts`.\n"


def test_user_errors_exit_2_with_one_line(tmp_path):
    missing = invoke("check", "--root", str(tmp_path / "nope"))
    assert missing.exit_code == 2 and "no such directory" in missing.stderr
    root = write_tree(tmp_path / "r", {"doclint.toml": 'rules = ["rules/bad.toml"]\n', "rules/bad.toml": "[pack\n"})
    bad = invoke("check", "--root", str(root))
    assert bad.exit_code == 2 and "rules/bad.toml: rule pack is not valid TOML" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1


def test_two_runs_at_once_share_the_cache_and_agree(repo):
    root = repo({f"docs/d{i}.md": f"`src/gone{i}.ts` and `executeFrame()`\n" for i in range(120)})

    def run_once(_):
        proc = subprocess.run([sys.executable, "-m", "doclint", "check", "--format", "json"], cwd=root,
                              capture_output=True, text=True, timeout=300)
        return proc.returncode, json.loads(proc.stdout)["findings"]

    with ThreadPoolExecutor(max_workers=2) as pool:
        (code_a, found_a), (code_b, found_b) = pool.map(run_once, range(2))
    assert code_a == code_b == 1 and found_a == found_b and len(found_a) == 120
    assert run_once(0)[1] == found_a  # and the cache they wrote is sound


def test_corrupt_cache_is_rebuilt(repo):
    root = repo({"docs/a.md": "`src/gone.ts`\n"})
    first = check_json(root).json["findings"]
    for path in (root / ".doclint_cache").glob("*.sqlite*"):
        path.write_bytes(b"this is not a database" * 100)
    assert check_json(root).json["findings"] == first
    assert check_json(root, "--no-cache").json["findings"] == first


def test_interrupted_fix_leaves_the_old_file_and_no_debris(repo, monkeypatch):
    root = repo({"docs/a.md": "See `src/old/executor.ts`.\n"})
    before = (root / "docs/a.md").read_bytes()

    def crash(*_args):
        raise OSError(5, "simulated I/O error")

    monkeypatch.setattr(os, "replace", crash)
    run = invoke("fix", "--unsafe-fixes", "--root", str(root))
    assert "docs/a.md: not fixed: cannot write (simulated I/O error)" in run.stderr
    assert (root / "docs/a.md").read_bytes() == before
    assert sorted(p.name for p in (root / "docs").iterdir()) == ["a.md"]


def test_missing_config_file_exits_2(repo):
    root = repo({"docs/a.md": "x\n"})
    run = invoke("check", "--root", str(root), "--config", str(root / "nope.toml"))
    assert run.exit_code == 2 and "--config: no such file" in run.stderr


def test_parse_time_budget_skips_a_slow_file_with_a_notice(repo):
    slow = "".join(f"- `a{i}` [x](#y) > `b` *c* _d_\n  " * 1 for i in range(6000))
    root = repo({"doclint.toml": "max-parse-seconds = 0.01\n", "docs/slow.md": slow})
    run = check_json(root, "--jobs", "1", "--no-cache")
    assert "docs/slow.md: skipped, parsing took longer than 0.01 s (max-parse-seconds)" in run.stderr
    assert run.exit_code in (0, 1)


def test_loading_a_parser_is_not_the_first_files_parse_time(tmp_path):
    """A worker process loads markdown-it and tree-sitter on its first file; that must not
    count against the file's max-parse-seconds (a fresh interpreter takes ~25 ms to import
    markdown-it; a tiny doc parses in well under a millisecond)."""
    script = ("from doclint.scanning import _scan_batch\n"
              "items = [(0, 'md', 'a.md', b'# A\\n\\nSee `x.ts`.\\n', False), (0, 'ts', 'x.ts', b'export const x = 1;', False)]\n"
              "print([text is not None for _n, _p, text, _s in _scan_batch(items, False, 0.01)])\n")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert run.stdout.strip() == "[True, True]", run.stderr


def test_fix_leaves_a_doc_changed_since_it_was_read(repo):
    from doclint.fixer import apply_fixes
    from doclint.linter import Options, run_check

    root = repo({"docs/a.md": "See `src/old/executor.ts`.\n"})
    result = run_check(Options(root=root, no_cache=True))
    (root / "docs/a.md").write_text("See `src/old/executor.ts`, edited meanwhile.\n")
    outcome = apply_fixes(root, result.findings, result.digests, write=True, unsafe=True)
    assert outcome.problems == ["docs/a.md: not fixed: it changed since doclint read it; run again"]
    assert (root / "docs/a.md").read_text() == "See `src/old/executor.ts`, edited meanwhile.\n"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab-c1 ", max_size=8), st.frozensets(st.text(alphabet="ab-c1 ", max_size=8), max_size=6),
       st.sampled_from([0.6, 0.8, 0.88]))
def test_memoised_suggestions_are_difflibs(word, candidates, cutoff):
    """Anchor suggestions keep difflib.get_close_matches' answer, ties included."""
    import difflib

    from doclint.workspace import did_you_mean

    expected = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=cutoff)
    assert did_you_mean(word, candidates, cutoff) == (expected[0] if expected else None)
