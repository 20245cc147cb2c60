# Site search (articles/models/search.py): an entry for each live article, the vocabulary for
# "did you mean", their PostgreSQL indexes, and entries for the articles live already.

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

from articles.models.search import VOCABULARY_WORD, document, weighted_vectors
from articles.snapshots import Page

#: Made here rather than in the models' Meta: SQLite can make none of them, and needs none.
INDEXES = {
    # Without fastupdate, a publish writes its lexemes into the index at once (a millisecond or
    # two) rather than into a pending list that every search then reads through, and that
    # makes the planner cost the index so high that it reads the table instead.
    "articles_searchentry_vector_gin": "ON articles_searchentry USING gin (vector) WITH (fastupdate = off)",
    # Matches with a term in the title, headings or summary, which rank above the others.
    "articles_searchentry_head_gin": "ON articles_searchentry USING gin (head) WITH (fastupdate = off)",
    # Matches of a word found in most articles, newest first, a page at a time (RankedResults).
    "articles_searchentry_newest": "ON articles_searchentry (published_at DESC, article_id DESC)",
    # pg_trgm is there since references 0002.
    "articles_searchterm_word_trgm": "ON articles_searchterm USING gin (word gin_trgm_ops)",
    # The few articles with an expiry: a search leaves out the expired ones, and without this
    # reads every article to find them (3 ms at 10,000 articles, on every search).
    "articles_article_expire_at_set": "ON articles_article (expire_at) WHERE expire_at IS NOT NULL",
}


#: No statistics for ``vector``: with them, the planner sees that a common word is in most rows
#: and reads the table instead of the index, not counting that each row's vector must then be
#: fetched from TOAST storage (45 ms at 10,000 articles, where the index takes 2 to 8: see
#: docs/decisions.md). Without them it assumes few rows match, and always uses the index.
STATISTICS = "ALTER TABLE articles_searchentry ALTER COLUMN vector SET STATISTICS {}"


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" {definition}')
    schema_editor.execute(STATISTICS.format(0))


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
    schema_editor.execute(STATISTICS.format(-1))


def index_live_articles(apps, schema_editor):
    """An entry for each article with a live revision, as publish() would have written it."""
    Article = apps.get_model("articles", "Article")
    SearchEntry = apps.get_model("articles", "SearchEntry")
    SearchTerm = apps.get_model("articles", "SearchTerm")
    postgresql = schema_editor.connection.vendor == "postgresql"
    live = Article.objects.using(schema_editor.connection.alias).filter(live_revision__isnull=False)
    for article in live.select_related("live_revision").iterator(chunk_size=100):
        text = document(Page(article.live_revision.data))
        SearchEntry.objects.create(
            article=article,
            revision=article.live_revision,
            published_at=article.published_at,
            **text,
            **(weighted_vectors(text) if postgresql else {}),
        )
        words = {word for value in text.values() for word in VOCABULARY_WORD.findall(value.lower())}
        SearchTerm.objects.bulk_create([SearchTerm(word=word) for word in words], ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0007_topic_description'),
        ('references', '0002_search_trigram_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchTerm',
            fields=[
                ('word', models.CharField(max_length=50, primary_key=True, serialize=False)),
            ],
        ),
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('article', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_entry', serialize=False, to='articles.article')),
                ('title', models.CharField(max_length=200)),
                ('topic', models.CharField(blank=True, max_length=100)),
                ('headings', models.TextField(blank=True)),
                ('summary', models.TextField(blank=True)),
                ('body', models.TextField(blank=True)),
                ('published_at', models.DateTimeField(editable=False, null=True)),
                ('head', django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ('vector', django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ('revision', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='articles.revision')),
            ],
            options={
                'verbose_name_plural': 'search entries',
            },
        ),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
        migrations.RunPython(index_live_articles, migrations.RunPython.noop, elidable=False),
    ]
