"""Invariant IDs found in a doc's texts: one search of them all joined names every text a
search of each one alone finds a citation in."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from doclint.patterns import id_patterns

# Characters that make IDs, touch them, or part them: word characters, `-`, spaces, newlines,
# punctuation, and letters of other scripts (the boundaries are Unicode-aware).
_ALPHABET = "I7x0-_ .:\n(é中"
PATTERNS = ["I[0-9]+", "I[0-9]{1,2}", "[A-Z]+-[0-9]+", "I\\s?[0-9]", "I.[0-9]", "(?i)inv[0-9]+", "[0-9]",
            "^I[0-9]+", "I[0-9]+$", "\\AI[0-9]"]


def _alone(pattern: str, texts: list[str]) -> set[int]:
    cited = id_patterns(pattern)
    return {index for index, text in enumerate(texts) if any(True for _ in cited.citations(text))}


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(PATTERNS), st.lists(st.text(alphabet=_ALPHABET, max_size=12), max_size=8))
def test_the_joined_search_names_every_text_a_search_of_each_finds(pattern, texts):
    named = id_patterns(pattern).texts_citing(texts)
    assert _alone(pattern, texts) <= set(named)
    assert named == sorted(set(named)) and all(0 <= index < len(texts) for index in named)


def test_texts_without_ids_are_not_searched_one_by_one():
    texts = ["plain words", "I7 is cited", "more words", "ends with I12", "I3x is no ID", "x-I4 neither"]
    assert id_patterns("I[0-9]+").texts_citing(texts) == [1, 3]
    assert id_patterns("^I[0-9]+").texts_citing(texts) == list(range(6))  # anchored: each alone


def test_a_match_across_the_newline_names_both_texts():
    assert id_patterns("I\\s?[0-9]").texts_citing(["a I", "7 b", "c"]) == [0, 1]
