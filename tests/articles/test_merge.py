"""Merging duplicate sources: citations and marks move to the survivor through new draft
revisions, live pages stay as published, the merged key leads on, and nothing is lost."""

import pytest
from django.urls import reverse

from articles.models import AuditEntry, Revision
from references.models import Citation, Source
from tests.factories import make_article, make_section, make_source, make_user, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def duplicates():
    kept = make_source("elwes1985", title="Prognosis after a first untreated tonic-clonic seizure", year=1985)
    copy = make_source(
        "elwes1985a",
        title="Prognosis after a first untreated tonic–clonic seizure.",
        doi="10.1016/s0140-6736(85)90633-2",
        year=1985,
        volume="2",
    )
    return kept, copy


def test_marks_citing_the_merged_key_are_rewritten_in_a_new_draft_revision(duplicates):
    kept, copy = duplicates
    article = make_article()
    section = make_section(article, "First [@elwes1985a, p. 752]. Both [@elwes1985; @Elwes1985a]. `[@elwes1985a]`")
    live = publish(article)
    user = make_user("Site admins")

    copy.merge_into(kept, user)

    section.refresh_from_db()
    assert section.body == "First [@elwes1985, p. 752]. Both [@elwes1985]. `[@elwes1985a]`"  # not in code
    assert list(section.citations.values_list("source__key", flat=True)) == ["elwes1985"]
    article.refresh_from_db()
    assert article.latest_revision != live and article.live_revision == live  # a draft: live unchanged
    assert article.latest_revision.message == "Source “elwes1985a” merged into “elwes1985”"
    assert article.latest_revision.created_by == user
    entry = AuditEntry.objects.get(action=AuditEntry.Action.MERGE)
    assert (entry.article, entry.revision, entry.user) == (article, article.latest_revision, user)


def test_the_live_page_keeps_the_merged_source_until_published_again(client, duplicates):
    kept, copy = duplicates
    article = make_article()
    make_section(article, "A claim [@elwes1985a].")
    publish(article)
    copy.merge_into(kept)
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'href="/sources/elwes1985a/"' in html
    # The merged key still has its page while a live revision cites it…
    assert client.get("/sources/elwes1985a/").status_code == 200
    article.refresh_from_db()  # the merge saved a revision since
    publish(article)
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'href="/sources/elwes1985/"' in html
    # …and leads to the survivor once none does.
    response = client.get("/sources/elwes1985a/")
    assert response.status_code == 301 and response["Location"] == "/sources/elwes1985/"


def test_nothing_is_lost(duplicates):
    kept, copy = duplicates
    whole = make_section(make_article(), "No marks here.")
    Citation.objects.create(section=whole, source=copy, locator="p. 753", note="the key table")
    filled = copy.merge_into(kept)
    kept.refresh_from_db()
    copy.refresh_from_db()
    assert set(filled) >= {"doi", "volume"}
    assert (kept.doi, kept.volume) == ("10.1016/s0140-6736(85)90633-2", "2")  # blanks filled from the copy
    assert copy.merged_into == kept and copy.title.endswith("seizure.")  # the merged record stays whole
    assert whole.citations.get().source == kept and whole.citations.get().locator == "p. 753"


def test_articles_that_only_name_a_longer_key_get_no_revision(duplicates):
    kept, copy = duplicates
    make_source("elwes1985ab")
    article = make_article()
    make_section(article, "Another source [@elwes1985ab], and `[@elwes1985a]` in code.")
    before = Revision.objects.record(article)
    copy.merge_into(kept)
    article.refresh_from_db()
    assert article.latest_revision == before


def test_a_section_citing_both_keeps_one_citation_with_both_notes(duplicates):
    kept, copy = duplicates
    section = make_section(make_article(), "Nothing marked.")
    Citation.objects.create(section=section, source=kept)
    Citation.objects.create(section=section, source=copy, locator="p. 2", note="from the copy")
    copy.merge_into(kept)
    citation = section.citations.get()
    assert (citation.source, citation.locator, citation.note) == (kept, "p. 2", "from the copy")


def test_a_mark_typed_with_the_merged_key_later_cites_the_survivor(duplicates):
    kept, copy = duplicates
    copy.merge_into(kept)
    section = make_section(make_article(), "Typed in an old tab [@elwes1985a].")
    section.full_clean()
    assert list(section.citations.values_list("source", flat=True)) == [kept.pk]


def test_a_section_naming_both_keys_after_a_merge_cites_the_survivor_once(duplicates):
    kept, copy = duplicates
    copy.merge_into(kept)
    section = make_section(make_article(), "Old tab [@elwes1985a, p. 3]; and again [@elwes1985].")
    citation = section.citations.get()
    assert (citation.source, citation.mark_count) == (kept, 2)


def test_merged_sources_leave_the_picker_and_the_library_lists(duplicates):
    kept, copy = duplicates
    copy.merge_into(kept)
    assert list(Source.objects.search("elwes")) == [kept]
    assert copy not in Source.objects.current()


def test_merging_a_source_into_itself_or_twice_is_refused(duplicates):
    kept, copy = duplicates
    with pytest.raises(ValueError):
        kept.merge_into(kept)
    copy.merge_into(kept)
    with pytest.raises(ValueError):
        copy.merge_into(make_source())


def test_restoring_a_revision_that_cited_the_merged_source_cites_the_survivor(duplicates):
    kept, copy = duplicates
    article = make_article()
    section = make_section(article, "A claim [@elwes1985a].")
    old = Revision.objects.record(article)
    copy.merge_into(kept)
    _, notices = article.restore(old, make_user("Site admins"))
    section.refresh_from_db()
    assert section.body == "A claim [@elwes1985]."
    assert any("merged into “elwes1985”" in notice for notice in notices)


def test_a_merge_no_article_concerns_is_audited_too(duplicates):
    kept, copy = duplicates
    copy.merge_into(kept, make_user("Site admins"))
    entry = AuditEntry.objects.get(action=AuditEntry.Action.MERGE)
    assert entry.article is None and "elwes1985a" in entry.detail


# The admin screen


def test_site_admins_merge_from_the_source_list(client, duplicates):
    kept, copy = duplicates
    make_section(make_article(), "[@elwes1985a]")
    client.force_login(make_user("Site admins"))
    changelist = reverse("admin:references_source_changelist")
    response = client.post(changelist, {"action": "merge_sources", "_selected_action": [kept.pk, copy.pk]})
    page = client.get(response["Location"])
    assert page.status_code == 200 and b"Keep <code>elwes1985a</code>" in page.content
    assert b"do not look like the same work" not in page.content  # same title, year and first author
    response = client.post(response["Location"], {"keep": kept.pk})
    assert response["Location"] == reverse("admin:references_source_change", args=[kept.pk])
    assert Source.objects.get(pk=copy.pk).merged_into == kept


def test_merging_two_different_works_is_warned_against(client):
    first, second = make_source(title="One study", doi="10.1000/one"), make_source(title="Another study")
    client.force_login(make_user("Site admins"))
    page = client.get(reverse("admin:references_source_merge", args=[first.pk, second.pk]))
    assert b"do not look like the same work" in page.content


def test_editors_cannot_merge(client, duplicates):
    kept, copy = duplicates
    client.force_login(make_user("Editors"))
    page = client.get(reverse("admin:references_source_changelist"))
    assert b"merge_sources" not in page.content
    response = client.post(reverse("admin:references_source_merge", args=[kept.pk, copy.pk]), {"keep": kept.pk})
    assert response.status_code == 403
    assert Source.objects.get(pk=copy.pk).merged_into is None
