"""A source's authors put in order in its admin form: by dragging or Move up / Move down, which
set the hidden position inputs that these tests post."""

import pytest
from django.urls import reverse

from references.models import Source
from tests.factories import make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    return make_source("elwes1985", authors=[("Elwes", "RDC"), ("Reynolds", "EH"), ("Shorvon", "SD")])


def source_form(source, order, new=(), **overrides):
    """The source's change form as the browser posts it, its saved authors shown in ``order``
    (family names) and numbered 1, 2, 3… as the page numbers them, then ``new`` rows (family,
    given) filled in, whose position input keeps its initial value."""
    authors = {author.family: author for author in source.authors.all()}
    rows = [
        {"id": authors[family].pk, "position": n, "family": family, "given": authors[family].given, "role": "author"}
        for n, family in enumerate(order, start=1)
    ]
    rows += [{"id": "", "position": 0, "family": family, "given": given, "role": "author"} for family, given in new]
    data = {
        "key": source.key,
        "kind": source.kind,
        "title": source.title,
        "container_title": source.container_title,
        "year": source.year,
        **dict.fromkeys(["volume", "issue", "pages", "publisher", "doi", "pmid", "url", "accessed"], ""),
        "authors-TOTAL_FORMS": len(rows),
        "authors-INITIAL_FORMS": len(order),
        "authors-MIN_NUM_FORMS": 0,
        "authors-MAX_NUM_FORMS": 1000,
    }
    for n, row in enumerate(rows):
        data |= {f"authors-{n}-{name}": value for name, value in row.items()} | {f"authors-{n}-source": source.pk}
    return data | overrides


def save(client, source, data):
    return client.post(reverse("admin:references_source_change", args=[source.pk]), data)


def saved_order(source):
    return [(author.position, author.family) for author in source.authors.all()]


def test_authors_posted_in_a_new_order_are_saved_and_cited_in_it(superuser_client, source):
    assert save(superuser_client, source, source_form(source, ["Reynolds", "Shorvon", "Elwes"])).status_code == 302

    assert saved_order(source) == [(1, "Reynolds"), (2, "Shorvon"), (3, "Elwes")]
    assert Source.objects.get(pk=source.pk).reference.startswith("Reynolds EH, Shorvon SD, Elwes RDC.")


def test_a_new_author_goes_after_the_last_one(superuser_client, source):
    data = source_form(source, ["Shorvon", "Elwes", "Reynolds"], new=[("Sander", "JW")])
    assert save(superuser_client, source, data).status_code == 302

    assert saved_order(source) == [(1, "Shorvon"), (2, "Elwes"), (3, "Reynolds"), (4, "Sander")]


def test_the_blank_author_row_is_not_saved(superuser_client, source):
    data = source_form(source, ["Elwes", "Reynolds", "Shorvon"], new=[("", "")])
    assert save(superuser_client, source, data).status_code == 302

    assert saved_order(source) == [(1, "Elwes"), (2, "Reynolds"), (3, "Shorvon")]


def test_deleting_an_author_leaves_the_others_numbered_from_one_in_order(superuser_client, source):
    data = source_form(source, ["Shorvon", "Elwes", "Reynolds"], **{"authors-0-DELETE": "on"})
    assert save(superuser_client, source, data).status_code == 302

    assert saved_order(source) == [(1, "Elwes"), (2, "Reynolds")]


def test_the_source_form_orders_authors_by_dragging_or_by_buttons_not_by_typing_numbers(superuser_client, source):
    html = superuser_client.get(reverse("admin:references_source_change", args=[source.pk])).content.decode()

    assert 'class="module sortable"' in html
    assert 'type="hidden" name="authors-0-position" value="0" class="_reorder_"' in html
    assert "adminsortable2/js/adminsortable2.min.js" in html and "articles/admin/keyboard-ordering.js" in html
