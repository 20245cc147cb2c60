import pytest
from django.urls import reverse
from django.utils import timezone

from references.models import Citation
from tests.factories import make_article, make_section, make_source, make_user

pytestmark = pytest.mark.django_db


def test_draft_is_404_for_readers(client):
    draft = make_article(published=False)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_future_article_is_404_for_readers(client):
    later = make_article(published_at=timezone.now() + timezone.timedelta(hours=1))
    assert client.get(later.get_absolute_url()).status_code == 404


def test_draft_is_404_for_logged_in_non_staff(client):
    client.force_login(make_user())
    assert client.get(make_article(published=False).get_absolute_url()).status_code == 404


def test_staff_preview_a_draft_marked_noindex_and_uncached(staff_client):
    draft = make_article(title="Work in progress", published=False)
    response = staff_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert b"Preview: readers cannot see this article" in response.content
    assert b'<meta name="robots" content="noindex">' in response.content
    assert response["Cache-Control"] == "private, no-store"


def test_home_lists_published_articles_newest_first(client):
    older = make_article(title="Older", published_at=timezone.now() - timezone.timedelta(days=3))
    newer = make_article(title="Newer", published_at=timezone.now() - timezone.timedelta(days=1))
    make_article(title="Secret draft", published=False)
    response = client.get(reverse("articles:article-list"))
    assert list(response.context["article_list"]) == [newer, older]
    assert b"Secret draft" not in response.content


def test_home_is_paginated(client, settings):
    for _ in range(25):
        make_article()
    first = client.get(reverse("articles:article-list"))
    second = client.get(reverse("articles:article-list"), {"page": 2})
    assert len(first.context["article_list"]) == 20
    assert len(second.context["article_list"]) == 5
    assert b'rel="next"' in first.content


def test_article_page_shows_contents_sections_and_reference_list(client):
    make_source("elwes1985", title="Prognosis after a first untreated tonic-clonic seizure", doi="10.1016/S0140-6736(85)90641-3", pmid="2864496")
    article = make_article(title="Clonus explained", summary="What it is.")
    make_section(article, "Sustained beats matter [@elwes1985].", heading="What is clonus?")
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<a href="#what-is-clonus">What is clonus?</a>' in html
    assert '<section id="what-is-clonus"' in html
    assert '<li id="ref-1">' in html
    assert 'href="https://doi.org/10.1016/S0140-6736(85)90641-3"' in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/2864496/"' in html


def test_review_is_shown_only_when_set(client):
    reviewer = make_user(first_name="Ada", last_name="Okafor")
    reviewed = make_article(medical_reviewer=reviewer, last_reviewed=timezone.localdate())
    unreviewed = make_article()
    assert b"by Ada Okafor on" in client.get(reviewed.get_absolute_url()).content
    assert b"Medically reviewed" not in client.get(unreviewed.get_absolute_url()).content


def test_source_page_lists_only_published_articles_citing_it(client):
    source = make_source("elwes1985")
    live = make_article(title="Live article")
    draft = make_article(title="Draft article", published=False)
    make_section(live, "[@elwes1985]", heading="Where live cites it")
    make_section(draft, "[@elwes1985]", heading="Where draft cites it")
    html = client.get(source.get_absolute_url()).content.decode()
    assert "Live article" in html and "Where live cites it" in html
    assert "Draft article" not in html and "Where draft cites it" not in html


def test_unknown_source_is_404(client):
    assert client.get(reverse("references:source-detail", args=["nosuch"])).status_code == 404


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

    with django_assert_num_queries(4):
        response = client.get(article.get_absolute_url())
    assert response.content.count(b'<li id="ref-') == 40
    assert response.content.count(b'<sup class="citation">') == 90

    small = make_article()
    make_section(small, "One claim [@s0].")
    with django_assert_num_queries(4):
        client.get(small.get_absolute_url())


def test_page_shows_the_html_stored_at_save_time_without_rendering_again(client):
    article = make_article()
    section = make_section(article, "Written *once*.")
    type(section).objects.filter(pk=section.pk).update(body_html="<p>Stored copy</p>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<p>Stored copy</p>" in html and "Written" not in html
