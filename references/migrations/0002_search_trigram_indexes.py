"""Trigram indexes for the citation picker's search, on PostgreSQL only.

``SourceQuerySet.search()`` matches words anywhere in titles and authors' family names
(``icontains``, which PostgreSQL runs as ``UPPER(column::text) LIKE UPPER('%word%')``). Without an
index every keystroke reads every title and author; a trigram index on the same expression
answers it directly. pg_trgm ships with PostgreSQL and is a trusted extension (PostgreSQL 13+):
the database's owner may create it. SQLite has no such index and needs none at this size.
"""

from django.db import migrations

INDEXES = {
    "references_source_title_trgm": ("references_source", "title"),
    "references_author_family_trgm": ("references_author", "family"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("references", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
