"""Sections put in order in the article's admin form: by dragging or Move up / Move down, which
set the hidden position inputs that these tests post."""

import re

import pytest
from django.urls import reverse

from articles.models import Article, Revision
from tests.factories import make_article, make_section, make_source, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    make_source("elwes1985")
    article = make_article(title="Clonus", slug="clonus")
    for position, heading in enumerate(["What is clonus?", "How is it tested?", "What causes it?"], start=1):
        make_section(article, f"{heading} [@elwes1985]", heading=heading, position=position)
    Revision.objects.record(article)
    return article


def change_form(article, order, new=(), **overrides):
    """The article's change form as the browser posts it, its saved sections shown in ``order``
    (headings) and numbered 1, 2, 3… as the page numbers them, then ``new`` rows added with
    "Add another" (whose position input keeps its initial value)."""
    sections = {section.heading: section for section in article.sections.all()}
    rows = [
        {"id": sections[heading].pk, "position": n, "heading": heading, "anchor": sections[heading].anchor}
        for n, heading in enumerate(order, start=1)
    ]
    rows += [{"id": "", "position": 0, "heading": heading, "anchor": ""} for heading in new]
    data = {
        "title": article.title,
        "slug": article.slug,
        "summary": article.summary,
        "topic": "",
        "byline": article.byline,
        "base_version": article.version,
        "revision_message": "",
        "sections-TOTAL_FORMS": len(rows),
        "sections-INITIAL_FORMS": len(order),
        "sections-MIN_NUM_FORMS": 0,
        "sections-MAX_NUM_FORMS": 1000,
    }
    for n, row in enumerate(rows):
        data |= {f"sections-{n}-{name}": value for name, value in row.items()}
        data |= {f"sections-{n}-article": article.pk, f"sections-{n}-body": f"{row['heading']} [@elwes1985]"}
    return data | overrides


def save(client, article, data):
    return client.post(reverse("admin:articles_article_change", args=[article.pk]), data)


def headings_on(client, url):
    html = client.get(url).content.decode()
    return [h for h in re.findall(r'<h2 id="[^"]*-heading">(.*?)</h2>', html) if h not in ("Contents", "References")]


def saved_order(article):
    return [(section.position, section.heading) for section in article.sections.all()]


def test_sections_posted_in_a_new_order_are_shown_in_it_in_the_preview_and_after_publishing(superuser_client, article):
    order = ["What causes it?", "What is clonus?", "How is it tested?"]
    assert save(superuser_client, article, change_form(article, order)).status_code == 302

    assert saved_order(article) == list(enumerate(order, start=1))
    assert headings_on(superuser_client, reverse("articles:article-preview", args=["clonus"])) == order
    article.refresh_from_db()
    publish(article)
    assert headings_on(superuser_client, article.get_absolute_url()) == order


def test_each_save_in_a_new_order_is_recorded_as_a_revision_in_that_order(superuser_client, article):
    order = ["How is it tested?", "What causes it?", "What is clonus?"]
    save(superuser_client, article, change_form(article, order))

    latest = article.revisions.order_by("-number").first()
    assert latest.number == 2
    assert [section["heading"] for section in latest.data["sections"]] == order


def test_a_new_section_goes_after_the_last_one(superuser_client, article):
    order = ["What causes it?", "What is clonus?", "How is it tested?"]
    data = change_form(article, order, new=["Is it serious?", "Can it be treated?"])
    assert save(superuser_client, article, data).status_code == 302

    assert saved_order(article) == list(enumerate([*order, "Is it serious?", "Can it be treated?"], start=1))


def test_a_new_section_posted_without_a_position_goes_after_the_last_one(superuser_client, article):
    data = change_form(article, ["What is clonus?", "How is it tested?", "What causes it?"], new=["Is it serious?"])
    del data["sections-3-position"]
    save(superuser_client, article, data)

    assert saved_order(article)[-1] == (4, "Is it serious?")


def test_deleting_a_section_leaves_the_others_numbered_from_one_in_order(superuser_client, article):
    order = ["What causes it?", "How is it tested?", "What is clonus?"]
    data = change_form(article, order, **{"sections-1-DELETE": "on"})
    assert save(superuser_client, article, data).status_code == 302

    assert saved_order(article) == [(1, "What causes it?"), (2, "What is clonus?")]


def test_sections_never_moved_are_numbered_in_the_order_they_were_shown(superuser_client):
    make_source("elwes1985")
    article = make_article()
    for heading in ["First?", "Second?", "Third?"]:  # as every section was saved before ordering by dragging
        make_section(article, heading=heading, position=0)
    data = change_form(article, ["First?", "Second?", "Third?"], new=["Fourth?"])
    for n in range(3):
        data[f"sections-{n}-position"] = 0
    assert save(superuser_client, article, data).status_code == 302

    assert saved_order(article) == [(1, "First?"), (2, "Second?"), (3, "Third?"), (4, "Fourth?")]


def test_a_refused_save_keeps_the_chosen_order_in_the_form_and_saves_nothing(superuser_client, article):
    order = ["What causes it?", "What is clonus?", "How is it tested?"]
    data = change_form(article, order, **{"sections-2-body": "A claim [@nosuchkey]."})

    response = save(superuser_client, article, data)

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    chosen = sorted(formset.forms, key=lambda form: int(form["position"].value()))
    assert [form["heading"].value() for form in chosen] == order  # keyboard-ordering.js shows them so
    assert saved_order(Article.objects.get(pk=article.pk)) == [
        (1, "What is clonus?"),
        (2, "How is it tested?"),
        (3, "What causes it?"),
    ]


def test_the_change_form_orders_sections_by_dragging_or_by_buttons_not_by_typing_numbers(superuser_client, article):
    html = superuser_client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()

    assert 'class="module sortable"' in html
    assert 'type="hidden" name="sections-0-position" value="1" class="_reorder_"' in html
    assert "adminsortable2/js/adminsortable2.min.js" in html and "articles/admin/keyboard-ordering.js" in html
