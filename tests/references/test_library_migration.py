"""The migration that brings in the library's fields leaves no row its constraints would refuse."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("references", "0002_search_trigram_indexes"), ("articles", "0005_section_body_help_text")]


@pytest.mark.django_db(transaction=True)
def test_rows_written_before_the_library_fields_are_tidied_not_refused():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("references", "Source")
    old.objects.create(key="bad", title="Written around the form", url="javascript:alert(1)")
    old.objects.create(
        key="lance1980",
        title="Symposium synopsis",
        publisher="Chicago: Year Book Medical Publishers",
        doi="10.1000/ABC",
    )
    old.objects.create(key="web", title="A page", url="https://www.nice.org.uk/guidance/cg145")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(latest)

    new = executor.loader.project_state(latest).apps.get_model("references", "Source")
    sources = {source.key: source for source in new.objects.all()}
    assert sources["bad"].url == ""  # it would have been a clickable javascript: link
    assert sources["web"].url == "https://www.nice.org.uk/guidance/cg145"
    lance = sources["lance1980"]
    assert (lance.publisher_place, lance.publisher, lance.doi) == (
        "Chicago",
        "Year Book Medical Publishers",
        "10.1000/abc",
    )
