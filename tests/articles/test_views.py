import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Revision
from references.models import Citation
from tests.factories import make_article, make_section, make_source, make_user, publish

pytestmark = pytest.mark.django_db


def test_draft_is_404_for_readers(client):
    assert client.get(make_article().get_absolute_url()).status_code == 404


def test_expired_article_is_404_for_readers(client):
    article = make_article()
    publish(article)
    Article.objects.filter(pk=article.pk).update(expire_at=timezone.now())
    assert client.get(article.get_absolute_url()).status_code == 404


def test_draft_is_404_for_logged_in_non_staff(client):
    client.force_login(make_user())
    assert client.get(make_article().get_absolute_url()).status_code == 404


def test_staff_preview_a_draft_marked_noindex_and_uncached(staff_client):
    draft = make_article(title="Work in progress")
    for url in (draft.get_absolute_url(), reverse("articles:article-preview", args=[draft.slug])):
        response = staff_client.get(url)
        assert response.status_code == 200
        assert b"Preview of the draft" in response.content
        assert b'<meta name="robots" content="noindex">' in response.content
        assert response["Cache-Control"] == "private, no-store"


def test_draft_preview_is_for_staff_only(client):
    url = reverse("articles:article-preview", args=[make_article().slug])
    assert client.get(url).status_code == 302  # to the admin login
    client.force_login(make_user())
    assert client.get(url).status_code == 302


def test_readers_see_the_live_revision_not_later_edits(client):
    article = make_article(title="Live title")
    make_section(article, "Live text.", heading="Live heading?")
    publish(article)
    article.title = "Draft title"
    article.save()
    make_section(article, "Draft text.", heading="Draft heading?")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Live title" in html and "Live heading?" in html
    assert "Draft" not in html


def test_home_lists_published_articles_newest_first(client):
    older, newer = make_article(title="Older"), make_article(title="Newer")
    make_article(title="Secret draft")
    publish(older)
    publish(newer)
    Article.objects.filter(pk=older.pk).update(published_at=timezone.now() - timezone.timedelta(days=3))
    response = client.get(reverse("articles:article-list"))
    assert list(response.context["article_list"]) == [newer, older]
    assert b"Secret draft" not in response.content


def test_home_shows_live_titles_not_draft_titles(client):
    article = make_article(title="Published title")
    publish(article)
    Article.objects.filter(pk=article.pk).update(title="Unpublished title")
    html = client.get(reverse("articles:article-list")).content.decode()
    assert "Published title" in html and "Unpublished title" not in html


def test_home_is_paginated(client):
    for _ in range(25):
        publish(make_article())
    first = client.get(reverse("articles:article-list"))
    second = client.get(reverse("articles:article-list"), {"page": 2})
    assert len(first.context["article_list"]) == 20
    assert len(second.context["article_list"]) == 5
    assert b'rel="next"' in first.content


def test_article_page_shows_contents_sections_and_reference_list(client):
    make_source(
        "elwes1985",
        title="Prognosis after a first untreated tonic-clonic seizure",
        doi="10.1016/S0140-6736(85)90641-3",
        pmid="2864496",
    )
    article = make_article(title="Clonus explained", summary="What it is.")
    make_section(article, "Sustained beats matter [@elwes1985].", heading="What is clonus?")
    publish(article)
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<a href="#what-is-clonus">What is clonus?</a>' in html
    assert '<section id="what-is-clonus"' in html
    assert '<li id="ref-1">' in html
    assert 'href="https://doi.org/10.1016/s0140-6736(85)90641-3"' in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/2864496/"' in html


def test_reference_list_shows_sources_as_they_were_when_published(client):
    source = make_source("elwes1985", title="Title when published")
    article = make_article()
    make_section(article, "Claim [@elwes1985].")
    publish(article)
    source.title = "Title corrected later"
    source.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Title when published" in html and "Title corrected later" not in html


def test_source_page_lists_only_live_articles_citing_it(client):
    source = make_source("elwes1985")
    live = make_article(title="Live article")
    make_section(live, "[@elwes1985]", heading="Where live cites it")
    publish(live)
    draft = make_article(title="Draft article")
    make_section(draft, "[@elwes1985]", heading="Where draft cites it")
    make_section(live, "[@elwes1985]", heading="Added to the live article's draft")
    html = client.get(source.get_absolute_url()).content.decode()
    assert "Live article" in html and "Where live cites it" in html
    assert "Draft article" not in html and "Where draft cites it" not in html
    assert "Added to the live article's draft" not in html


def test_unknown_source_is_404(client):
    assert client.get(reverse("articles:source-detail", args=["nosuch"])).status_code == 404


def test_article_page_query_count_is_constant(client, django_assert_num_queries):
    """30 sections and 100 citations cost the same queries as one section and one citation."""
    sources = [make_source(f"s{n}") for n in range(40)]
    article = make_article()
    for position in range(30):
        keys = [sources[(position + k) % 40].key for k in range(3)]
        make_section(article, " ".join(f"Claim [@{key}]." for key in keys), position=position)
    sections = list(article.sections.all())
    for n in range(10):  # ten citations of whole sections bring the total to 100
        Citation.objects.create(section=sections[n], source=sources[30 + n])
    assert Citation.objects.filter(section__article=article).count() == 100
    publish(article)

    # Made at the first view (the stored page, the article, its sign-off, related articles, the
    # page stored), then read whole.
    with django_assert_num_queries(5):
        client.get(article.get_absolute_url())
    with django_assert_num_queries(1):
        response = client.get(article.get_absolute_url())
    assert response.content.count(b'<li id="ref-') == 40
    assert response.content.count(b'<sup class="citation">') == 90

    small = make_article()
    make_section(small, "One claim [@s0].")
    publish(small)
    with django_assert_num_queries(5):
        client.get(small.get_absolute_url())
    with django_assert_num_queries(1):
        client.get(small.get_absolute_url())


def test_page_shows_the_html_stored_at_save_time_without_rendering_again(client):
    article = make_article()
    make_section(article, "Written *once*.")
    revision = publish(article)
    revision.data["sections"][0]["body_html"] = "<p>Stored copy</p>"
    revision.rendered_by = ""  # as after a deploy with another renderer: the page is made again
    revision.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<p>Stored copy</p>" in html and "Written" not in html


def test_live_page_is_made_once_when_it_goes_live_not_from_the_snapshot_on_each_view(client):
    article = make_article()
    make_section(article, "Written *once*.")
    revision = publish(article)
    revision.data["sections"][0]["body_html"] = "<p>Changed behind the page's back</p>"
    revision.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Written <em>once</em>." in html and "behind the page" not in html


def test_the_stored_page_names_each_requests_own_site_in_its_addresses(client, settings):
    settings.ALLOWED_HOSTS = ["testserver", "clonus.example"]
    article = make_article()
    make_section(article, "A claim.")
    publish(article)
    client.get(article.get_absolute_url())  # made and stored
    html = client.get(article.get_absolute_url(), HTTP_HOST="clonus.example").content.decode()
    assert f'<link rel="canonical" href="http://clonus.example{article.get_absolute_url()}">' in html
    assert '"url": "http://clonus.example/articles/' in html and "clonus-origin-" not in html


def test_a_stored_page_made_by_another_renderer_is_made_again(client, django_assert_num_queries):
    make_source("lance1980")
    article = make_article()
    make_section(article, "A claim [@lance1980].")
    revision = publish(article)
    client.get(article.get_absolute_url())
    revision.refresh_from_db()
    Revision.objects.filter(pk=revision.pk).update(page_meta={**revision.page_meta, "renderer": "an older deploy"})
    with django_assert_num_queries(5):  # made again, not read
        client.get(article.get_absolute_url())
    revision.refresh_from_db()
    assert revision.page_meta["renderer"] != "an older deploy"


# Lists show stored entries, made again when what they show changes


def test_a_list_entry_follows_the_articles_new_address(client):
    article = make_article(title="Moving", slug="old-address")
    publish(article)
    assert 'href="/articles/old-address/"' in client.get(reverse("articles:article-list")).content.decode()
    article.slug = "new-address"
    article.save()
    html = client.get(reverse("articles:article-list")).content.decode()
    assert 'href="/articles/new-address/"' in html and "old-address" not in html


def test_a_list_entry_shows_the_revision_put_live_since(client):
    article = make_article(title="First title")
    publish(article)
    assert "First title" in client.get(reverse("articles:article-list")).content.decode()
    article.title = "Second title"
    article.save()
    publish(article)
    html = client.get(reverse("articles:article-list")).content.decode()
    assert "Second title" in html and "First title" not in html


def test_a_list_entry_made_by_another_template_is_made_again(client):
    publish(make_article(title="Listed"))
    client.get(reverse("articles:article-list"))
    Article.objects.update(listing="<li>an older deploy's entry</li>")  # its key still matches
    assert "older deploy" in client.get(reverse("articles:article-list")).content.decode()
    Article.objects.update(listed_by="olderdeploy")
    html = client.get(reverse("articles:article-list")).content.decode()
    assert "older deploy" not in html and "Listed" in html


def test_the_remembered_count_follows_articles_coming_down(client, settings):
    articles = [make_article(title=f"Article {n}") for n in range(settings.ARTICLES_PER_PAGE + 1)]
    for article in articles:
        publish(article)
    assert "Page 1 of 2" in client.get(reverse("articles:article-list")).content.decode()
    articles[-1].unpublish(None)
    html = client.get(reverse("articles:article-list")).content.decode()
    assert "Page 1 of" not in html and f"Article {settings.ARTICLES_PER_PAGE}" not in html
    assert client.get(reverse("articles:article-list"), {"page": 2}).status_code == 404
