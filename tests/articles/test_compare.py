"""Comparing two versions of an article: word-level diffs marked by more than colour, and what
happened to each section and its citations."""

import copy

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from articles.compare import Comparison, word_diff
from articles.models import Revision
from references.models import Citation
from tests.factories import make_article, make_section, make_source, make_user, publish

pytestmark = pytest.mark.django_db


def login(client, role="Editors"):
    user = make_user(staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return user


def compare_url(article, a, b):
    return reverse("admin:articles_article_compare", args=[article.pk]) + f"?a={a}&b={b}"


def snapshot(*sections, title="Clonus", summary="", sources=None):
    """A snapshot as ``snapshots.take()`` writes it, from (id, heading, body, [source ids])."""
    return {
        "schema": 1,
        "article": {"title": title, "slug": "clonus", "summary": summary, "topic_id": None, "byline": ""},
        "topic": "",
        "sections": [
            {
                "id": pk, "position": n, "heading": heading, "anchor": f"s{pk}", "body": body,
                "body_html": "", "citations": [{"source": s, "in_text": False} for s in cites],
            }
            for n, (pk, heading, body, cites) in enumerate(sections)
        ],
        "sources": sources or {"1": {"id": 1, "key": "elwes1985"}, "2": {"id": 2, "key": "smith2001"}},
    }  # fmt: skip


# The word diff


def test_word_diff_marks_deleted_and_inserted_words():
    html = word_diff("Clonus is a rhythmic jerk.", "Clonus is an involuntary rhythmic jerk.")
    assert html.startswith("Clonus is ")
    assert '<del title="deleted"><span class="visually-hidden">deleted: </span>a</del>' in html
    assert '<ins title="inserted"><span class="visually-hidden">inserted: </span>an involuntary</ins>' in html
    assert html.endswith(" rhythmic jerk.")


def test_word_diff_joins_a_rewritten_phrase_into_one_change():
    html = word_diff("the quick brown fox", "a slow red fox")
    assert html.count("<del") == 1 and html.count("<ins") == 1
    assert ">the quick brown</del>" in html and ">a slow red</ins>" in html


def test_word_diff_of_equal_texts_marks_nothing():
    assert word_diff("Same text.\n\nTwo lines.", "Same text.\n\nTwo lines.") == "Same text.\n\nTwo lines."


def test_word_diff_escapes_html_on_both_sides():
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</ins>" in word_diff("", "<script>alert(1)</script>")
    assert "&lt;b&gt;old&lt;/b&gt;</del>" in word_diff("<b>old</b>", "")
    assert "<b>" not in word_diff("<b>old</b>", "<b>new</b>")


def test_word_diff_treats_missing_text_as_empty():
    assert word_diff(None, "new") == '<ins title="inserted"><span class="visually-hidden">inserted: </span>new</ins>'


# Comparing snapshots


def statuses(comparison):
    return [(s.heading.new or s.heading.old, s.status, s.moved) for s in comparison.sections]


def test_sections_added_removed_changed_and_unchanged_are_reported_in_the_new_order():
    old = snapshot((1, "A", "same", [1]), (2, "B", "old text", [1]), (3, "C", "going", [1]))
    new = snapshot((1, "A", "same", [1]), (2, "B", "new text", [1]), (4, "D", "coming", [2]))
    assert statuses(Comparison(old, new)) == [
        ("A", "unchanged", False),
        ("B", "changed", False),
        ("C", "removed", False),  # where it used to be, after B
        ("D", "added", False),
    ]


def test_a_section_moved_up_is_the_only_one_reported_as_moved():
    old = snapshot((1, "A", "", []), (2, "B", "", []), (3, "C", "", []), (4, "D", "", []))
    new = snapshot((4, "D", "", []), (1, "A", "", []), (2, "B", "", []), (3, "C", "", []))
    comparison = Comparison(old, new)
    assert [(s.heading.new, s.moved) for s in comparison.sections] == [
        ("D", True), ("A", False), ("B", False), ("C", False),
    ]  # fmt: skip
    assert comparison.counts["moved"] == 1 and comparison.has_changes


def test_citations_added_and_removed_are_reported_per_section_by_source_key():
    old = snapshot((1, "A", "", [1]), (2, "B", "", [1, 2]))
    new = snapshot((1, "A", "", [1, 2]), (2, "B", "", [2]))
    a, b = Comparison(old, new).sections
    assert (a.citations_added, a.citations_removed, a.status) == (["smith2001"], [], "changed")
    assert (b.citations_added, b.citations_removed) == ([], ["elwes1985"])


def test_a_renamed_section_shows_its_heading_as_a_diff():
    [section] = Comparison(snapshot((1, "What is it?", "", [])), snapshot((1, "What is clonus?", "", []))).sections
    assert "<del" in section.heading.html and ">clonus</ins>" in section.heading.html


def test_title_summary_and_other_fields_are_compared_word_by_word():
    old, new = snapshot(title="Clonus", summary="Short."), snapshot(title="Clonus of the ankle", summary="Short.")
    new["article"]["byline"] = "Dr Who"
    new["topic"] = "Neurology"
    comparison = Comparison(old, new)
    assert "> of the ankle</ins>" in comparison.title.html and not comparison.summary.changed
    assert [(c.label, c.new) for c in comparison.other_fields] == [("byline", "Dr Who"), ("topic", "Neurology")]


def test_identical_snapshots_have_no_changes():
    data = snapshot((1, "A", "text", [1]))
    comparison = Comparison(data, copy.deepcopy(data))
    assert not comparison.has_changes and statuses(comparison) == [("A", "unchanged", False)]


def test_a_snapshot_missing_fields_from_an_older_schema_still_compares():
    old = snapshot((1, "A", "text", [1]), title="Old")
    del old["article"]["summary"], old["article"]["byline"], old["topic"]
    del old["sections"][0]["heading"], old["sections"][0]["citations"]
    del old["sources"]
    new = snapshot((1, "A", "more text", [1]), title="New", summary="Now with a summary.")

    comparison = Comparison(old, new)

    assert comparison.summary.html.count("<ins") == 1
    [section] = comparison.sections
    assert (section.heading.old, section.heading.new) == ("", "A")
    assert section.citations_added == ["elwes1985"] and "<ins" in section.body.html


def test_a_citation_of_a_source_missing_from_the_snapshot_is_named_by_its_id():
    old = snapshot((1, "A", "", []))
    new = snapshot((1, "A", "", [7]))
    assert Comparison(old, new).sections[0].citations_added == ["source 7"]


# The compare page


def test_compare_page_marks_insertions_and_deletions_between_two_revisions(client):
    login(client)
    make_source("elwes1985")
    make_source("smith2001")
    article = make_article(title="Clonus")
    kept = make_section(article, "Clonus is a rhythmic jerk [@elwes1985].", heading="What is it?")
    dropped = make_section(article, "Going soon [@elwes1985].", heading="Dropped")
    old = Revision.objects.record(article)
    article.title = "Clonus of the ankle"
    article.save()
    kept.body = "Clonus is an involuntary rhythmic jerk [@smith2001]."
    kept.save()
    dropped.delete()
    make_section(article, "Fresh [@elwes1985].", heading="Added later")
    new = Revision.objects.record(article)

    response = client.get(compare_url(article, old.pk, new.pk))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<ins title="inserted"><span class="visually-hidden">inserted: </span> of the ankle</ins>' in html
    assert "deleted: </span>a</del>" in html and "inserted: </span>an involuntary</ins>" in html
    assert "Added later" in html and "Added</td>" in html and "Removed</td>" in html
    assert "inserted: </span>smith2001</ins>" in html and "deleted: </span>elwes1985</del>" in html
    assert f"from revision {old.number} to revision {new.number}" in html
    assert "Sections: 1 changed, 1 added, 1 removed, 0 moved." in html


def test_compare_with_the_live_version_and_the_draft(client):
    login(client)
    article = make_article(title="Live title")
    make_section(article, "")
    live = publish(article)
    article.title = "Draft title"
    article.save()

    response = client.get(compare_url(article, "live", "draft"))

    assert response.status_code == 200
    assert f"from the live version (revision {live.number}) to the current draft" in response.content.decode()
    assert (response.context["comparison"].title.old, response.context["comparison"].title.new) == (
        "Live title",
        "Draft title",
    )


def test_compare_reports_a_moved_section(client):
    login(client)
    article = make_article()
    first = make_section(article, heading="First", position=1)
    make_section(article, heading="Second", position=2)
    old = Revision.objects.record(article)
    first.position = 3
    first.save()
    new = Revision.objects.record(article)

    response = client.get(compare_url(article, old.pk, new.pk))

    assert "Unchanged, moved</td>" in response.content.decode()


def test_compare_of_a_revision_saved_before_a_migration_still_works(client):
    login(client)
    make_source("elwes1985")
    article = make_article(title="Clonus", byline="Dr Old")
    make_section(article, "Text [@elwes1985].", heading="What is it?")
    old = Revision.objects.record(article)
    # As if ``byline`` and a section's ``anchor`` had been added by a later migration.
    del old.data["article"]["byline"], old.data["sections"][0]["anchor"]
    old.save()
    new = Revision.objects.record(article)

    response = client.get(compare_url(article, old.pk, new.pk))

    assert response.status_code == 200
    assert "inserted: </span>Dr Old</ins>" in response.content.decode()
    assert client.get(old.get_absolute_url()).status_code == 200


def test_compare_with_a_revision_of_another_article_is_404(client):
    login(client)
    article, other = make_article(), make_article()
    mine, theirs = Revision.objects.record(article), Revision.objects.record(other)
    assert client.get(compare_url(article, mine.pk, theirs.pk)).status_code == 404
    assert client.get(compare_url(article, theirs.pk, "draft")).status_code == 404


@pytest.mark.parametrize("a, b", [("", "draft"), ("nonsense", "draft"), ("live", "draft")])
def test_compare_without_two_versions_to_compare_is_404(client, a, b):
    login(client)
    article = make_article()  # not live, so "live" names nothing
    assert client.get(compare_url(article, a, b)).status_code == 404


def test_compare_is_403_for_staff_without_permission_on_the_article(client):
    client.force_login(make_user(staff=True))
    article = make_article(title="Confidential")
    revision = Revision.objects.record(article)
    response = client.get(compare_url(article, revision.pk, "draft"))
    assert response.status_code == 403 and b"Confidential" not in response.content


def test_whole_section_citations_count_as_citations(client):
    login(client)
    article = make_article()
    section = make_section(article, "")
    old = Revision.objects.record(article)
    Citation.objects.create(section=section, source=make_source("whole2020"))
    new = Revision.objects.record(article)
    response = client.get(compare_url(article, old.pk, new.pk))
    assert response.context["comparison"].sections[0].citations_added == ["whole2020"]
