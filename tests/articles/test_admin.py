import json

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from articles.models import Article
from references.models import Citation
from tests.factories import make_article, make_section, make_source

pytestmark = pytest.mark.django_db


def article_form(**overrides):
    data = {
        "title": "Clonus and the ankle",
        "slug": "clonus-and-the-ankle",
        "summary": "",
        "topic": "",
        "byline": "",
        "base_version": "0",
        "revision_message": "",
        "sections-TOTAL_FORMS": "1",
        "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
        "sections-0-position": "1",
        "sections-0-heading": "How is it tested?",
        "sections-0-anchor": "",
        "sections-0-body": "Brisk dorsiflexion [@elwes1985].",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:articles_article_changelist",
        "admin:articles_article_add",
        "admin:articles_section_changelist",
        "admin:articles_topic_changelist",
        "admin:references_source_changelist",
        "admin:references_source_add",
        "admin:references_citation_changelist",
    ],
)
def test_admin_pages_open_for_a_superuser(superuser_client, url_name):
    make_section(make_article(), "")
    assert superuser_client.get(reverse(url_name)).status_code == 200


def test_slug_help_text_shows_an_example_address_as_text(superuser_client):
    response = superuser_client.get(reverse("admin:articles_article_add"))
    assertContains(
        response,
        '<div class="help" id="id_slug_helptext"><div>'
        "The last part of the address: the slug “clonus” makes /articles/clonus/."
        "</div></div>",
        html=True,
    )


def test_change_pages_open_with_markdown_editor_and_view_on_site(superuser_client):
    make_source("elwes1985")
    article = make_article(slug="clonus")
    section = make_section(article, "[@elwes1985]")
    html = superuser_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert 'class="markdownx citing-editor"' in html and "markdownx-inlines.js" in html
    assert "citing-editor.js" in html and 'type="module"' in html  # the picker's element
    assert 'data-preview-url="/editor/preview/"' in html and 'data-sources-url="/editor/sources/"' in html
    assert reverse("articles:article-preview", args=["clonus"]) in html  # "Preview draft"
    section_page = superuser_client.get(reverse("admin:articles_section_change", args=[section.pk]))
    assert section_page.status_code == 200


def test_saving_an_article_with_a_cited_section_creates_the_citation(superuser_client):
    make_source("elwes1985")
    response = superuser_client.post(reverse("admin:articles_article_add"), article_form())
    assert response.status_code == 302
    article = Article.objects.get(slug="clonus-and-the-ankle")
    section = article.sections.get()
    assert section.anchor == "how-is-it-tested"
    assert [c.source.key for c in section.citations.all()] == ["elwes1985"]


def test_unknown_citation_key_is_shown_in_the_form_and_nothing_is_saved(superuser_client):
    response = superuser_client.post(
        reverse("admin:articles_article_add"),
        article_form(**{"sections-0-body": "A claim [@nosuchkey]."}),
    )
    assert response.status_code == 200
    assert "No source has the key “nosuchkey”" in response.content.decode()
    assert not Article.objects.exists()


def test_two_inline_sections_with_one_anchor_are_refused(superuser_client):
    make_source("elwes1985")
    data = article_form(
        **{
            "sections-TOTAL_FORMS": "2",
            "sections-0-anchor": "same",
            "sections-1-position": "2",
            "sections-1-heading": "Again?",
            "sections-1-anchor": "same",
            "sections-1-body": "",
        }
    )
    response = superuser_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 200
    assert not Article.objects.exists()


@pytest.mark.parametrize("term", ["elwes1985", "Elwes", "10.1016/x", "2864496", "untreated"])
def test_source_autocomplete_finds_by_key_author_doi_pmid_and_title(superuser_client, term):
    make_source("elwes1985", title="Prognosis after a first untreated seizure", doi="10.1016/X", pmid="2864496")
    make_source("other", authors=[("Smith", "CT")], title="Unrelated")
    response = superuser_client.get(
        reverse("admin:autocomplete"),
        {"term": term, "app_label": "references", "model_name": "citation", "field_name": "source"},
    )
    results = json.loads(response.content)["results"]
    assert [r["text"] for r in results] == ["elwes1985: Prognosis after a first untreated seizure"]


def test_source_page_in_admin_shows_where_it_is_cited(superuser_client):
    source = make_source("elwes1985")
    make_section(make_article(title="Clonus basics"), "[@elwes1985]", heading="What is it?")
    html = superuser_client.get(reverse("admin:references_source_change", args=[source.pk])).content.decode()
    assert "Clonus basics</a> › What is it?" in html


def test_admin_refuses_to_delete_a_cited_source(superuser_client):
    source = make_source("elwes1985")
    make_section(make_article(), "[@elwes1985]")
    url = reverse("admin:references_source_delete", args=[source.pk])
    response = superuser_client.post(url, {"post": "yes"})
    assert "would require deleting the following protected related objects" in response.content.decode()
    assert Citation.objects.filter(source=source).exists()


def test_several_new_sections_without_anchors_are_saved_with_anchors_from_headings(superuser_client):
    make_source("elwes1985")
    data = article_form(
        **{
            "sections-TOTAL_FORMS": "2",
            "sections-1-position": "2",
            "sections-1-heading": "How is it tested?",
            "sections-1-anchor": "",
            "sections-1-body": "",
        }
    )
    assert superuser_client.post(reverse("admin:articles_article_add"), data).status_code == 302
    anchors = Article.objects.get().sections.values_list("anchor", flat=True)
    assert list(anchors) == ["how-is-it-tested", "how-is-it-tested-2"]
