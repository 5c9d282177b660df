"""The one lookup interface: every method recorded, and replayed with the same answer."""

from __future__ import annotations

import difflib
import json
import shutil
from pathlib import Path

from conftest import RUNTIME_TS, installed, write_tree
from hypothesis import given, settings
from hypothesis import strategies as st

from doclint import lookups, workspace
from doclint.lookups import LOOKUPS, IndexLookups, Lookups, Recorder, Replayed
from doclint.tsindex import SymbolIndex, scan_typescript

# Questions for every lookup: each one that finds something, and one that does not.
# A method of the interface with no questions here fails the test below.
QUESTIONS: dict[str, list[tuple[object, ...]]] = {
    "declared": [("executeFrame",), ("clamp",), ("nothingLikeIt",)],
    "is_literal": [("evalSig",), ("executeFrame",)],
    "file_uses": [("src/runtime/executor.ts", "clamp"), ("src/runtime/executor.ts", "absentWord"), ("src/x.ts", "a")],
    "declared_elsewhere": [("RuntimeState.values",), ("FrameRunner",), ("Nope.nope",)],
    "declarations": [("FrameRunner.run",), ("Phase",), ("Nope",)],
    "names_in_file": [("src/runtime/executor.ts",), ("src/absent.ts",)],
    "containers": [("RuntimeState",), ("DEFAULT_BUDGET",), ("executeFrame",)],
    "member_names": [("RuntimeState",), ("Child",), ("Open",), ("executeFrame",)],
    "in_file": [("src/runtime/executor.ts", "FrameRunner.run"), ("src/runtime/executor.ts", "run"),
                ("src/runtime/other.ts", "executeFrame")],
    "files_declaring": [("run",), ("executeFrame",), ("nope",)],
    "closest_name": [("executFrame", 0.75), ("zzzz", 0.8)],
    "is_indexed": [("src/runtime/executor.ts",), ("docs/x.md",)],
    "line_count": [("src/runtime/other.ts",), ("docs/x.md",)],
}

OTHER_TS = """\
import { RuntimeState } from './executor';
export interface Child extends RuntimeState { extra: number }
export type Open = Record<string, number> & { fixed: 1 };
"""


def live() -> IndexLookups:
    scans = {"src/runtime/executor.ts": scan_typescript(RUNTIME_TS.encode()),
             "src/runtime/other.ts": scan_typescript(OTHER_TS.encode())}
    return IndexLookups(SymbolIndex(scans))


def test_the_interface_is_what_every_answerer_implements():
    def public(cls: type) -> set[str]:  # its own methods and those it inherits (not object's or typing's)
        return {n for c in cls.__mro__ if c.__module__ == "doclint.lookups" for n, v in vars(c).items()
                if not n.startswith("_") and callable(v)}
    assert set(LOOKUPS) == public(Lookups) and len(LOOKUPS) == 13
    for answerer in (IndexLookups, Recorder, Replayed):
        assert public(answerer) == set(LOOKUPS), answerer  # no query around the interface, none missing
    assert set(Replayed._NOTHING) == set(lookups.KINDS) == set(LOOKUPS)


def test_every_lookup_is_recorded_and_a_replay_of_the_record_answers_the_same():
    assert set(QUESTIONS) == set(LOOKUPS), "every lookup needs questions here"
    recorder = Recorder(live())
    answers = {}
    for method in LOOKUPS:
        for args in QUESTIONS[method]:
            answers[(method, args)] = getattr(recorder, method)(*args)
    assert set(recorder.asked) == set(answers)  # each method notes what it was asked
    assert any(answers.values()) and not all(answers.values())
    # through JSON, as the lock keeps it
    kept = json.loads(json.dumps([[m, list(a), lookups.encode(v)] for (m, a), v in recorder.asked.items()]))
    replayed = Replayed({(m, tuple(a)): lookups.decode_answer(m, v) for m, a, v in kept})
    for (method, args), answer in answers.items():
        assert getattr(replayed, method)(*args) == answer, (method, args)
    # and the per-doc record: unchanged answers hold, a changed one does not
    record = lookups.record_of(recorder.asked)
    assert lookups.still_answered(record, live())
    changed = IndexLookups(SymbolIndex({"src/runtime/executor.ts": scan_typescript(RUNTIME_TS.encode())}))
    assert not lookups.still_answered(record, changed)


def test_a_record_that_is_not_one_does_not_hold():
    for bad in ([["nope", [], "x"]], [["declared", [["x"]], "x"]], [["declared", [], "x"]], ["declared"]):
        assert not lookups.still_answered(bad, live())


def test_a_typo_tied_to_a_file_gets_the_same_did_you_mean_from_the_lock(tmp_path: Path):
    doc = "# Runtime\n\n`executFrame` in `src/runtime/executor.ts` runs a frame.\n"
    root = write_tree(tmp_path / "repo", {"doclint.toml": 'docs = ["docs/*.md"]\nlock = "doclint.lock"\n',
                                          "docs/runtime.md": doc, "src/runtime/executor.ts": RUNTIME_TS})
    live_run = installed(["check", "--no-cache", "--format", "json"], cwd=root)
    assert installed(["lock"], cwd=root).returncode == 0
    shutil.rmtree(root / "src")
    replay = installed(["check", "--no-cache", "--format", "json"], cwd=root)
    messages = [[f["message"] for f in json.loads(run.stdout)["findings"]] for run in (live_run, replay)]
    assert messages[0] == ["`executFrame` is not declared in `src/runtime/executor.ts`; did you mean `executeFrame`?"]
    assert messages[1] == messages[0]
    assert json.loads(replay.stdout)["summary"]["lock"] == "checked against doclint.lock, sources absent"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="abcaAB_é1", max_size=14), st.text(alphabet="abcaAB_é1", max_size=14),
       st.sampled_from([0.6, 0.7, 0.75, 0.8]))
def test_did_you_mean_scores_are_difflibs_above_the_cutoff(candidate, word, cutoff):
    """The bounds are worked out without building a matcher; the score is difflib's to the bit."""
    matcher = difflib.SequenceMatcher(None, candidate, word)
    expected = 0.0 if matcher.real_quick_ratio() < cutoff or matcher.quick_ratio() < cutoff else matcher.ratio()
    assert workspace._similarity.__wrapped__(candidate, word, cutoff) == expected


NAME = st.text(alphabet="abcdeAB_1", min_size=1, max_size=10)


@settings(max_examples=400, deadline=None)
@given(st.sets(NAME, max_size=30), st.sets(NAME, max_size=4), st.sets(NAME, max_size=6),
       st.lists(NAME, min_size=1, max_size=6), st.sampled_from([0.7, 0.8]))
def test_did_you_mean_answers_carried_over_to_new_names_are_the_answers_of_the_new_names(
        kept, removed, added, words, cutoff):
    """An answer over some names, carried over to names with some added and some removed
    (not the answer), is what comparing the word with all the new names gives."""
    before = kept | removed
    after = (kept | added) - (removed - added)
    old, new = workspace.Suggestions(before), workspace.Suggestions(after)
    for word in words:
        answer = old.closest(word, cutoff)
        if answer is not None and answer not in after:
            continue  # a removed answer is asked again, not carried over
        assert workspace.carried_over(word, cutoff, answer, sorted(after - before)) == new.closest(word, cutoff)


def test_a_tie_carried_over_goes_to_the_name_difflib_would_pick():
    """Equal ratios: `get_close_matches` takes the greater name, old or new."""
    assert workspace.Suggestions({"abce", "abcf"}).closest("abcd", 0.7) == "abcf"
    assert workspace.carried_over("abcd", 0.7, "abce", ["abcf"]) == "abcf"
    assert workspace.carried_over("abcd", 0.7, "abcf", ["abce"]) == "abcf"
