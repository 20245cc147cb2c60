"""Restoring a revision makes the draft exactly as it was, as a new revision, touching nothing
else; deleted articles and sections come back; nothing is ever lost."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from articles.models import Article, AuditEntry, Revision, Section
from references.models import Citation, Source
from tests.factories import make_article, make_section, make_source, make_user, publish

pytestmark = pytest.mark.django_db


def login(client, role):
    user = make_user(staff=True)
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return user


def restore_url(revision):
    return reverse("admin:articles_article_restore", args=[revision.article_pk, revision.pk])


def citations(section):
    return sorted((c.source.key, c.in_text, c.locator) for c in section.citations.select_related("source"))


def state(article):
    """What an editor would see of ``article``: its fields, sections and citations."""
    article.refresh_from_db()
    return (
        article.title,
        article.summary,
        [(s.pk, s.position, s.heading, s.anchor, s.body, citations(s)) for s in article.sections.all()],
    )


@pytest.fixture
def sources():
    return make_source("elwes1985"), make_source("smith2001")


@pytest.fixture
def article(sources):
    """An article at revision 1 with two sections; a mark, and a citation of a section as a whole."""
    article = make_article(title="Clonus", summary="First summary.")
    first = make_section(article, "A claim [@elwes1985].", heading="What is it?", position=1)
    Citation.objects.filter(section=first).update(locator="p. 752")
    second = make_section(article, "Another claim.", heading="How is it tested?", position=2)
    Citation.objects.create(section=second, source=sources[1], locator="fig. 2")
    Revision.objects.record(article)
    return article


def edit(article):
    """Later saves: a new title, one section rewritten, one deleted, one added."""
    article.title = "Clonus, revised"
    article.save()
    first, second = article.sections.all()
    first.body, first.heading = "Rewritten without marks.", "What is clonus?"
    first.save()
    second.delete()
    make_section(article, "Added later [@smith2001].", heading="Added later", position=3)
    return Revision.objects.record(article)


# Restoring


def test_restore_makes_the_draft_exactly_as_in_the_revision(client, article):
    login(client, "Site admins")
    before = state(article)
    original = article.revisions.get()
    edit(article)

    response = client.post(restore_url(original))

    assert response.status_code == 302
    assert response.url == reverse("admin:articles_article_change", args=[article.pk])
    assert state(article) == before


def test_restore_removes_sections_added_later_but_keeps_them_in_history(client, article):
    login(client, "Site admins")
    original = article.revisions.get()
    later = edit(article)

    client.post(restore_url(original))

    assert not article.sections.filter(heading="Added later").exists()
    later.refresh_from_db()
    assert "Added later" in [s["heading"] for s in later.data["sections"]]


def test_restore_is_a_new_revision_and_rewrites_no_history(client, article):
    site_admin = login(client, "Site admins")
    original = article.revisions.get()
    later = edit(article)
    later_data = later.data

    client.post(restore_url(original))

    article.refresh_from_db()
    assert list(article.revisions.values_list("number", flat=True)) == [3, 2, 1]
    restored = article.revisions.first()
    assert restored.created_by == site_admin and restored.message == "Restored from revision 1"
    assert article.latest_revision == restored and article.version == 3
    later.refresh_from_db()
    assert later.data == later_data
    entry = AuditEntry.objects.get(action=AuditEntry.Action.RESTORE)
    assert (entry.user, entry.article, entry.revision, entry.detail) == (
        site_admin,
        article,
        restored,
        "from revision 1",
    )


def test_restore_touches_no_other_article(client, article, sources):
    login(client, "Site admins")
    other = make_article(title="Other")
    make_section(other, "Other text [@elwes1985].", heading="Other section")
    Revision.objects.record(other)
    other_before = state(other)
    original = article.revisions.get()
    edit(article)

    client.post(restore_url(original))

    assert state(other) == other_before
    assert other.revisions.count() == 1


def test_restore_leaves_the_live_page_as_it_was(client, article):
    login(client, "Site admins")
    edit(article)
    live = publish(article)

    client.post(restore_url(article.revisions.get(number=1)))

    article.refresh_from_db()
    assert article.live_revision == live
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Clonus, revised" in html and "Added later" in html


def test_a_restore_says_the_draft_is_back_and_readers_still_see_the_live_version(client, article):
    login(client, "Site admins")
    publish(article)
    response = client.post(restore_url(article.revisions.get(number=1)), follow=True)
    [message] = [str(m) for m in response.context["messages"]]
    assert "The draft is revision 1 again, saved as revision 3." in message
    assert "Readers see the published version" in message


def test_a_section_deleted_in_the_admin_comes_back_with_its_citations(client, article):
    login(client, "Site admins")
    before = state(article)
    first, second = article.sections.all()
    data = {
        "title": article.title, "slug": article.slug, "summary": article.summary, "topic": "",
        "byline": "", "base_version": article.version, "revision_message": "Drop a section",
        "sections-TOTAL_FORMS": 2, "sections-INITIAL_FORMS": 2,
        "sections-MIN_NUM_FORMS": 0, "sections-MAX_NUM_FORMS": 1000,
    }  # fmt: skip
    for n, section in enumerate([first, second]):
        data |= {
            f"sections-{n}-id": section.pk, f"sections-{n}-article": article.pk,
            f"sections-{n}-position": section.position, f"sections-{n}-heading": section.heading,
            f"sections-{n}-anchor": section.anchor, f"sections-{n}-body": section.body,
        }  # fmt: skip
    data["sections-1-DELETE"] = "on"
    assert client.post(reverse("admin:articles_article_change", args=[article.pk]), data).status_code == 302
    assert not Section.objects.filter(pk=second.pk).exists()
    assert not Citation.objects.filter(locator="fig. 2").exists()

    client.post(restore_url(article.revisions.get(number=1)))

    assert state(article) == before
    assert citations(Section.objects.get(pk=second.pk)) == [("smith2001", False, "fig. 2")]


def test_restore_brings_back_a_source_deleted_since_with_a_notice(client, article, sources):
    login(client, "Site admins")
    original = article.revisions.get()
    edit(article)
    article.sections.filter(heading="Added later").delete()  # nothing cites smith2001 now
    Revision.objects.record(article)
    pk, title = sources[1].pk, sources[1].title
    sources[1].delete()

    response = client.post(restore_url(original), follow=True)

    recreated = Source.objects.get(key="smith2001")
    assert (recreated.pk, recreated.title) == (pk, title)
    assert [a.family for a in recreated.authors.all()] == ["Elwes", "Reynolds"]
    assert citations(article.sections.get(heading="How is it tested?")) == [("smith2001", False, "fig. 2")]
    messages = [str(m) for m in response.context["messages"]]
    assert "The source “smith2001” had been deleted; it was recreated as it was then." in messages


def test_restore_keeps_a_source_changed_since_and_says_so(client, article, sources):
    login(client, "Site admins")
    sources[0].title = "Corrected title"
    sources[0].save()

    response = client.post(restore_url(article.revisions.get()), follow=True)

    assert Source.objects.get(key="elwes1985").title == "Corrected title"
    messages = [str(m) for m in response.context["messages"]]
    assert any("“elwes1985” has changed since this revision (title)" in m for m in messages)


def test_a_restore_that_fails_halfway_changes_nothing(article):
    original = article.revisions.get()
    edit(article)
    before, versions = state(article), list(Revision.objects.values_list("pk", flat=True))
    # The second section cites a source the snapshot has no record of: it fails only after the
    # article and the first section have been written.
    original.data["sections"][1]["citations"].append({"source": 999999, "in_text": False})
    original.save()

    with pytest.raises(KeyError):
        article.restore(original, make_user())

    assert state(article) == before
    assert list(Revision.objects.values_list("pk", flat=True)) == versions
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.RESTORE).exists()


def test_restore_of_a_revision_saved_before_a_later_migration(client, article):
    login(client, "Site admins")
    article.byline = "Dr Now"
    article.save()
    original = article.revisions.get()
    # As if ``byline`` and a section's ``anchor`` had been added by a migration since.
    del original.data["article"]["byline"], original.data["sections"][0]["anchor"]
    del original.data["sections"][0]["body_html"]
    original.save()
    edit(article)

    response = client.post(restore_url(original))

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.byline) == ("Clonus", "Dr Now")  # unknown then: kept as it is now
    first = article.sections.get(heading="What is it?")
    assert first.anchor == "what-is-it" and first.body == "A claim [@elwes1985]."
    assert citations(first) == [("elwes1985", True, "p. 752")]
    assert client.get(original.get_absolute_url()).status_code == 200


def test_restore_of_a_section_moved_to_another_article_since_leaves_that_article_alone(client, article):
    login(client, "Site admins")
    other = make_article(title="Other")
    original = article.revisions.get()
    moved = article.sections.get(heading="How is it tested?")
    moved.article = other
    moved.save()

    response = client.post(restore_url(original), follow=True)

    assert Section.objects.get(pk=moved.pk).article == other
    copy = article.sections.get(heading="How is it tested?")
    assert copy.pk != moved.pk and citations(copy) == [("smith2001", False, "fig. 2")]
    assert any("has moved to the article “Other”" in str(m) for m in response.context["messages"])


@pytest.mark.parametrize("role", ["Editors", "Medical reviewers"])
def test_restore_is_refused_to_editors_and_reviewers_and_changes_nothing(client, article, role):
    login(client, role)
    original = article.revisions.get()
    edit(article)
    before = state(article)

    response = client.post(restore_url(original))

    assert response.status_code == 403
    assert state(article) == before and article.revisions.count() == 2


def test_restore_is_post_only(client, article):
    login(client, "Site admins")
    assert client.get(restore_url(article.revisions.get())).status_code == 405


def test_restore_of_a_revision_of_another_article_is_404(client, article):
    login(client, "Site admins")
    other = make_article()
    theirs = Revision.objects.record(other)
    url = reverse("admin:articles_article_restore", args=[article.pk, theirs.pk])
    assert client.post(url).status_code == 404


def test_restore_takes_back_a_locator_added_since(client, article):
    login(client, "Site admins")
    marked = Citation.objects.filter(source__key="elwes1985")
    marked.update(locator="")
    without_locator = Revision.objects.record(article)
    marked.update(locator="p. 9")

    client.post(restore_url(without_locator))

    assert marked.get().locator == ""


# Recovering deleted articles


def delete_in_admin(client, article):
    url = reverse("admin:articles_article_delete", args=[article.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302


def test_a_deleted_article_is_listed_and_recovered_with_sections_citations_and_history(client, article):
    site_admin = login(client, "Site admins")
    before = state(article)
    pk = article.pk
    delete_in_admin(client, article)
    assert not Article.objects.filter(pk=pk).exists()

    listing = client.get(reverse("admin:articles_article_recover_list"))
    [revision] = listing.context["revisions"]
    assert "Clonus" in listing.content.decode() and revision.deleted_by == site_admin.username

    response = client.post(reverse("admin:articles_article_recover", args=[revision.pk]))

    assert response.status_code == 302
    recovered = Article.objects.get(pk=pk)
    assert state(recovered) == before
    assert list(recovered.revisions.values_list("number", flat=True)) == [2, 1]
    assert recovered.live_revision is None  # a draft until published again
    assert AuditEntry.objects.filter(action=AuditEntry.Action.RECOVER, article=recovered).exists()
    assert AuditEntry.objects.get(action=AuditEntry.Action.DELETE).article == recovered
    assert not client.get(reverse("admin:articles_article_recover_list")).context["revisions"]


def test_a_recovered_article_whose_address_was_taken_gets_a_free_one(client, article):
    login(client, "Site admins")
    slug = article.slug
    delete_in_admin(client, article)
    make_article(slug=slug)
    revision = Revision.objects.of_deleted_articles().get()

    response = client.post(reverse("admin:articles_article_recover", args=[revision.pk]), follow=True)

    assert Article.objects.get(pk=revision.article_pk).slug == f"{slug}-recovered"
    assert any("Another article has the address" in str(m) for m in response.context["messages"])


def test_recovering_an_article_that_exists_is_404(client, article):
    login(client, "Site admins")
    revision = article.revisions.get()
    assert client.post(reverse("admin:articles_article_recover", args=[revision.pk])).status_code == 404


@pytest.mark.parametrize("role", ["Editors", "Medical reviewers"])
def test_recover_is_refused_to_editors_and_reviewers(client, article, role):
    Revision.objects.record(article)
    revision = article.revisions.first()
    article.delete()
    login(client, role)

    assert client.get(reverse("admin:articles_article_recover_list")).status_code == 403
    assert client.post(reverse("admin:articles_article_recover", args=[revision.pk])).status_code == 403
    assert not Article.objects.exists()


def test_changelist_links_to_recovery_for_site_admins_only(client):
    url = reverse("admin:articles_article_recover_list")
    login(client, "Editors")
    html = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert url not in html and reverse("admin:articles_article_add") in html
    login(client, "Site admins")
    html = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert url in html and reverse("admin:articles_article_add") in html
