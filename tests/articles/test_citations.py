import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from articles.citations import label
from articles.models import Section
from references.models import Citation
from tests.factories import make_article, make_section, make_source

pytestmark = pytest.mark.django_db


def keys_of(section):
    return [(c.source.key, c.in_text, c.mark_count) for c in section.citations.select_related("source")]


def test_saving_a_section_creates_a_citation_per_marked_source():
    make_source("elwes1985"), make_source("smith2001")
    section = make_section(make_article(), "Claim [@elwes1985]. Other [@smith2001; @elwes1985].")
    assert keys_of(section) == [("elwes1985", True, 2), ("smith2001", True, 1)]


def test_removing_a_mark_removes_its_citation():
    make_source("elwes1985"), make_source("smith2001")
    section = make_section(make_article(), "[@elwes1985] and [@smith2001]")
    section.body = "Only [@smith2001] now."
    section.save()
    assert keys_of(section) == [("smith2001", True, 1)]


def test_citation_of_the_whole_section_survives_a_save():
    whole = make_source("whole")
    make_source("marked")
    section = make_section(make_article(), "Text [@marked].")
    Citation.objects.create(section=section, source=whole, note="background")
    section.body = "Rewritten [@marked]."
    section.save()
    assert keys_of(section) == [("marked", True, 1), ("whole", False, 0)]


def test_marking_a_whole_section_source_keeps_its_locator():
    source = make_source("book")
    section = make_section(make_article(), "No marks yet.")
    Citation.objects.create(section=section, source=source, locator="p. 12")
    section.body = "Now marked [@book]."
    section.save()
    citation = section.citations.get()
    assert (citation.in_text, citation.locator) == (True, "p. 12")


def test_unknown_key_is_a_validation_error_on_the_body():
    make_source("known")
    section = Section(article=make_article(), heading="Why?", body="[@known] and [@nosuch]")
    with pytest.raises(ValidationError) as error:
        section.full_clean()
    assert "nosuch" in str(error.value.message_dict["body"])
    assert "known”" not in str(error.value.message_dict["body"])


def test_mark_inside_code_is_not_a_citation():
    make_source("elwes1985")
    section = make_section(make_article(), "Write `[@elwes1985]` to cite.")
    assert keys_of(section) == []
    assert "<code>[@elwes1985]</code>" in section.body_html


def test_numbers_follow_first_citation_across_the_article():
    for key in ("a", "b", "c"):
        make_source(key)
    article = make_article()
    make_section(article, "[@b] then [@a]", position=1)
    make_section(article, "[@c] and again [@b]", position=2)
    references = article.draft_page().references
    assert [(r.number, r.source.key) for r in references] == [(1, "b"), (2, "a"), (3, "c")]


def test_same_source_keeps_one_number_and_links_back_to_every_mark():
    make_source("a")
    article = make_article()
    first = make_section(article, "[@a] twice [@a]", position=1)
    second = make_section(article, "and [@a]", position=2)
    (reference,) = article.draft_page().references
    anchors = [anchor for anchor, _ in reference.backlinks]
    assert anchors == [
        f"cite-{first.anchor}-a-1",
        f"cite-{first.anchor}-a-2",
        f"cite-{second.anchor}-a-1",
    ]


def test_marks_link_to_their_numbered_reference_with_matching_ids():
    make_source("a"), make_source("b")
    article = make_article()
    section = make_section(article, "Claim [@b; @a].", position=1)
    (page,) = article.draft_page().references.pages()
    assert f'<a href="#ref-1" id="cite-{section.anchor}-b-1" role="doc-noteref"' in page.html
    assert f'<a href="#ref-2" id="cite-{section.anchor}-a-1" role="doc-noteref"' in page.html


def test_numbers_within_one_mark_are_in_ascending_order():
    make_source("a"), make_source("b")
    article = make_article()
    make_section(article, "[@a]", position=1)
    make_section(article, "[@b; @a]", position=2)
    pages = list(article.draft_page().references.pages())
    assert pages[1].html.index('href="#ref-1"') < pages[1].html.index('href="#ref-2"')


def test_whole_section_citations_are_numbered_after_the_sections_marks():
    make_source("marked")
    whole = make_source("whole")
    article = make_article()
    section = make_section(article, "Claim [@marked].", position=1)
    Citation.objects.create(section=section, source=whole)
    references = article.draft_page().references
    assert [r.source.key for r in references] == ["marked", "whole"]
    (page,) = references.pages()
    assert [(ref.number, anchor) for ref, anchor in page.cited_as_whole] == [(2, f"cite-{section.anchor}-whole")]


def test_cited_source_cannot_be_deleted():
    source = make_source("kept")
    make_section(make_article(), "[@kept]")
    with pytest.raises(ProtectedError):
        source.delete()


def test_space_before_a_mark_is_dropped_so_the_number_follows_the_claim():
    make_source("a")
    article = make_article()
    make_section(article, "A claim [@a].", position=1)
    (page,) = article.draft_page().references.pages()
    assert "claim<sup" in page.html


def test_a_source_cited_in_several_places_gets_lettered_backlinks():
    make_source("a"), make_source("b")
    article = make_article()
    make_section(article, "[@a] [@a] [@b]", position=1)
    a, b = article.draft_page().references
    assert [label for *_, label in a.labelled_backlinks()] == ["a", "b"]
    assert [label for *_, label in b.labelled_backlinks()] == ["↩"]


def test_backlink_letters_continue_past_z():
    assert [label(0), label(25), label(26), label(27)] == ["a", "z", "aa", "ab"]
