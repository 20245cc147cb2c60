"""The citation picker's search on PostgreSQL: titles and family names are found through trigram
indexes, not by reading every row (references/migrations/0002_search_trigram_indexes.py)."""

import pytest
from django.db import connection

from references.models import Source
from tests.factories import make_source

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="PostgreSQL only (run with DATABASE_URL=postgres://…): SQLite has no trigram indexes",
    ),
]


def plan(queryset):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the few test rows would be read in full
    return queryset.explain()


def test_family_names_are_searched_through_their_trigram_index():
    make_source("boyer2005", authors=[("Boyer", "EW")])

    assert "references_author_family_trgm" in plan(Source.objects.search("boye"))
    assert [s.key for s in Source.objects.search("boye")] == ["boyer2005"]


def test_titles_are_searched_through_their_trigram_index():
    make_source("boyer2005", title="The serotonin syndrome")

    assert "references_source_title_trgm" in plan(Source.objects.filter(title__icontains="serotonin").order_by())
