"""The citation grammar (articles/marks.py) as the renderer applies it to Markdown."""

import time

import pytest

from articles.markdown import render
from articles.marks import Cite, with_keys_as_stored

# (what the editor writes, the cites it makes as (prefix, key, label, locator), or None if it
# is an error, and then a phrase the error must contain).
VALID = {
    "one key": ("[@elwes1985]", [("", "elwes1985", "", "")]),
    "two keys": ("[@elwes1985; @boyer2005]", [("", "elwes1985", "", ""), ("", "boyer2005", "", "")]),
    "three keys, no spaces": ("[@a;@b;@c]", [("", "a", "", ""), ("", "b", "", ""), ("", "c", "", "")]),
    "upper case key": ("[@Boyer2005]", [("", "boyer2005", "", "")]),
    "all capitals": ("[@NICE2012]", [("", "nice2012", "", "")]),
    "page": ("[@chou2004, p. 150]", [("", "chou2004", "p.", "150")]),
    "page without full stop": ("[@chou2004, p 150]", [("", "chou2004", "p.", "150")]),
    "page without space": ("[@chou2004,p.150]", [("", "chou2004", "p.", "150")]),
    "pages": ("[@chou2004, pp. 3-5]", [("", "chou2004", "pp.", "3-5")]),
    "pages with en dash": ("[@chou2004, pp. 3–5]", [("", "chou2004", "pp.", "3-5")]),
    "pages with Pandoc's double hyphen": ("[@chou2004, pp. 33--35]", [("", "chou2004", "pp.", "33-35")]),
    "page list": ("[@chou2004, pp. 33, 35-37]", [("", "chou2004", "pp.", "33, 35-37")]),
    "bare page number": ("[@chou2004, 150]", [("", "chou2004", "p.", "150")]),
    "bare page range": ("[@chou2004, 150-152]", [("", "chou2004", "pp.", "150-152")]),
    "chapter": ("[@lance1980, ch. 2]", [("", "lance1980", "ch.", "2")]),
    "chapter spelt out": ("[@lance1980, chapter 2]", [("", "lance1980", "ch.", "2")]),
    "figure": ("[@boyraz2015, fig. 2]", [("", "boyraz2015", "fig.", "2")]),
    "section sign": ("[@nice2012, § 1.2]", None),
    "table": ("[@nice2012, table 3]", [("", "nice2012", "table", "3")]),
    "prefix": ("[see @nice2012]", [("see", "nice2012", "", "")]),
    "two-word prefix": ("[see also @nice2012]", [("see also", "nice2012", "", "")]),
    "prefix and locator": ("[see @chou2004, p. 150]", [("see", "chou2004", "p.", "150")]),
    "prefix on the second cite": ("[@a; see @b]", [("", "a", "", ""), ("see", "b", "", "")]),
    "spaces inside the brackets": ("[ @nice2012 ]", [("", "nice2012", "", "")]),
    "suppressed author": ("[-@nice2012]", [("", "nice2012", "", "")]),
    "key with hyphen and underscore": ("[@tudur-smith_2001]", [("", "tudur-smith_2001", "", "")]),
    "the same key twice counts once": ("[@a; @A]", [("", "a", "", "")]),
    "locators per cite": ("[@a, p. 1; @b, fig. 3]", [("", "a", "p.", "1"), ("", "b", "fig.", "3")]),
}
INVALID = {
    "space inside a key": ("[@nice 2012]", "a key has no spaces"),
    "unclosed": ("[@nice2012 and more text", "not closed"),
    "unclosed at the end": ("[@nice2012", "not closed"),
    "no key": ("[@]", "a key must follow @"),
    "no key after a prefix": ("[see @]", "a key must follow @"),
    "space after @": ("[@ nice2012]", "a key must follow @"),
    "empty part": ("[@a;]", "a semicolon must separate"),
    "double semicolon": ("[@a;; @b]", "a semicolon must separate"),
    "comma between keys": ("[@a, @b]", "is not a locator"),
    "part without a key": ("[@a; b]", "names no source"),
    "Pandoc key punctuation": ("[@doe:2001]", "is not a key"),
    "unknown locator label": ("[@a, pg. 12]", "not a locator label"),
    "free-text suffix": ("[@a, p. 12 and passim]", "is not a locator"),
    "locator without a comma": ("[@a p. 12]", "a key has no spaces"),
    "label without a value": ("[@a, p.]", "is not a locator"),
    "section sign": ("[@nice2012, § 1.2]", "is not a locator"),
    "mark inside a mark": ("[@a [@b]]", "not closed"),
    "trailing full stop in the key": ("[@a.]", "is not a key"),
}
TEXT = {
    "email in brackets": "[write to editor@example.org]",
    "link": "[the review](https://example.org/)",
    "footnote-like": "[^1]",
    "escaped bracket": "\\[@elwes1985]",
    "mark in a code span": "`[@elwes1985]`",
    "plain brackets": "[sic]",
    "at sign after a word": "[a@b]",
}


def cites(markdown):
    rendered = render(markdown)
    return rendered, [(c.prefix, c.key, c.label, c.locator) for mark in rendered.marks for c in mark.cites]


@pytest.mark.parametrize(
    "markdown, expected", [v for v in VALID.values() if v[1]], ids=[k for k, v in VALID.items() if v[1]]
)
def test_valid_marks_parse(markdown, expected):
    rendered, found = cites(f"Claim {markdown}.")

    assert found == expected
    assert rendered.errors == []
    assert 'class="citation-mark"' in rendered.html


@pytest.mark.parametrize("markdown, phrase", INVALID.values(), ids=INVALID.keys())
def test_malformed_marks_are_errors_that_quote_the_mark_and_say_how_to_write_it(markdown, phrase):
    rendered, found = cites(f"Claim {markdown} end")

    assert found == [] or markdown.startswith("[@a [@b")  # [@b] inside still parses
    (error, *_) = rendered.errors
    assert phrase in error.reason
    assert markdown.startswith(error.text)
    assert str(error).startswith(f"“{error.text}”")
    assert 'class="citation-error"' in rendered.html


@pytest.mark.parametrize("markdown", TEXT.values(), ids=TEXT.keys())
def test_text_that_starts_no_mark_stays_text(markdown):
    rendered, found = cites(markdown)

    assert found == [] and rendered.errors == []
    assert "citation-" not in rendered.html


def test_a_mark_in_a_fenced_code_block_is_code():
    rendered, found = cites("```\n[@elwes1985] and [@broken\n```")

    assert found == [] and rendered.errors == []
    assert "<code>[@elwes1985] and [@broken" in rendered.html


def test_a_mark_across_a_line_break_parses():
    _, found = cites("Claim [@a;\n@b].")

    assert found == [("", "a", "", ""), ("", "b", "", "")]


def test_the_placeholder_carries_locators_and_prefixes():
    html = render("Claim [see @a, p. 12].").html

    assert 'data-cite="a"' in html
    assert "data-items=" in html and "&quot;p.&quot;, &quot;12&quot;" in html


def test_a_plain_mark_keeps_the_placeholder_of_earlier_revisions():
    assert render("Claim [@a].").html == '<p>Claim <sup class="citation-mark" data-cite="a">[@a]</sup>.</p>'


def test_cite_says_its_locator():
    assert Cite("a", "p.", "12").located == "p. 12"


# Hostile sizes: a rendered preview or a clear error, quickly, for each.

BAD_INPUT = {
    "5 MB of text": "Clonus is a rhythmic contraction. " * 150_000,
    "50,000 [": "[" * 50_000,
    "50,000 [@": "[@" * 25_000,
    "5,000 marks": " ".join(f"Claim [@key{n}, p. {n}]." for n in range(5_000)),
    "5,000 broken marks": " ".join(f"Claim [@key {n}]." for n in range(5_000)),
    "unclosed marks to the end": "[@a " * 20_000,
}


@pytest.mark.parametrize("markdown", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_hostile_sizes_render_within_two_seconds(markdown):
    start = time.process_time()

    rendered = render(markdown)

    assert time.process_time() - start < 2
    assert rendered.html


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Claim [@Chou2004, p. 150; see @NICE2012].", "Claim [@chou2004, p. 150; see @nice2012]."),
        ("Code `[@Chou2004]` and [@Chou2004].", "Code `[@Chou2004]` and [@chou2004]."),
        ("```\n[@Chou2004]\n```\n\n[@Chou2004]", "```\n[@Chou2004]\n```\n\n[@chou2004]"),
        ("Broken [@Chou 2004] stays.", "Broken [@Chou 2004] stays."),
        ("Mail [Editor@Example.org] stays.", "Mail [Editor@Example.org] stays."),
        ("[@A] [x] [@B]", "[@a] [x] [@b]"),
    ],
    ids=["marks", "code span", "fenced code", "malformed", "not a mark", "several"],
)
def test_keys_are_written_as_stored_outside_code(text, expected):
    assert with_keys_as_stored(text) == expected
