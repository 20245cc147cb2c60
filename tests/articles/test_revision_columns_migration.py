"""Revisions saved before they had byline and topic columns get them from their snapshots."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("articles", "0008_search")]


@pytest.mark.django_db(transaction=True)
def test_revisions_written_before_the_columns_get_byline_and_topic_from_their_snapshots():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Topic, Article, Revision = (apps.get_model("articles", name) for name in ("Topic", "Article", "Revision"))
    neurology = Topic.objects.create(name="Neurology", slug="neurology")
    article = Article.objects.create(title="Clonus", slug="clonus", topic=neurology, byline="Now")
    for number, fields in enumerate(
        [
            {"byline": "Clonus editorial team", "topic_id": neurology.pk},
            {"byline": "", "topic_id": 999},  # a topic deleted since
            {},  # a snapshot older than both fields
        ],
        start=1,
    ):
        Revision.objects.create(
            article=article,
            article_pk=article.pk,
            number=number,
            title="Clonus",
            slug="clonus",
            data={"article": fields},
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(latest)

    Revision = executor.loader.project_state(latest).apps.get_model("articles", "Revision")
    revisions = Revision.objects.order_by("number")
    assert [(r.byline, r.topic_id) for r in revisions] == [
        ("Clonus editorial team", neurology.pk),
        ("", None),
        ("", None),
    ]
