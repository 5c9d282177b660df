"""Heading ids as each renderer makes them. The GitHub cases follow the character classes
github-slugger keeps and drops; each is written here in this project's own strings."""

from doclint.mdrefs import scan_markdown
from doclint.slugs import custom_id, dialect_anchors, github_slug, mkdocs_slug, vitepress_slug


def test_github_keeps_connector_punctuation_and_letter_numbers():
    assert github_slug("tie\u203fbreak") == "tie\u203fbreak"  # ‿ is Pc
    assert github_slug("chapter \u2163") == "chapter-\u2173"  # Ⅳ is Nl, lower-cased
    assert github_slug("half \u00bd") == "half-"  # ½ is No: dropped
    assert github_slug("\u24b7adge") == "\u24d1adge"  # Ⓑ is a symbol but alphabetic


def test_github_drops_symbols_and_other_separators_but_never_trims():
    assert github_slug("price \u20ac and \u00a7") == "price--and-"
    assert github_slug("no\u00a0break") == "nobreak"
    assert github_slug(" x ") == "-x-"


def test_non_latin_heading_links_resolve_in_a_scanned_doc():
    scan = scan_markdown("# Вступление: основы\n\n## 设置 ① 步骤\n\n## a&#x20;\n")
    assert {"вступление-основы", "设置--步骤", "a-"} <= scan.anchors


def test_vitepress_folds_separators_and_guards_a_leading_digit():
    assert vitepress_slug("What's new in v2.0?") == "what-s-new-in-v2-0"
    assert vitepress_slug("2 ways") == "_2-ways"
    assert vitepress_slug("Café déjà vu") == "cafe-deja-vu"


def test_mkdocs_drops_non_ascii_and_keeps_underscores():
    assert mkdocs_slug("Café: the_setup -- now") == "cafe-the_setup-now"
    assert mkdocs_slug("设置") == ""


def test_repeats_and_custom_ids_per_dialect():
    titles = ["Setup", "Setup", "Options {#opts}", "Setup"]
    assert dialect_anchors(titles, "github") == {"setup", "setup-1", "options-opts", "setup-2"}
    assert dialect_anchors(titles, "docusaurus") == {"setup", "setup-1", "opts", "setup-2"}
    assert dialect_anchors(titles, "vitepress") == {"setup", "setup-1", "opts", "setup-2"}
    assert dialect_anchors(titles, "mkdocs") == {"setup", "setup_1", "opts", "setup_2"}
    assert dialect_anchors(["Empty", "!!"], "mkdocs") == {"empty", "_1"}
    assert custom_id("Title {: #tid .wide}") == ("Title", "tid")
