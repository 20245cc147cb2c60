"""Site search, on SQLite and on PostgreSQL: what readers find, in what order, and how a query
that is not one is answered."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from articles import search
from articles.models import Article, Revision, SearchEntry
from articles.search import Query
from tests.factories import make_article, make_section, make_source, ready_article, save_draft

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's full-text search")
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the word matching used without PostgreSQL")


def live_article(title="An article", summary="", sections=(("What is it?", "Some text."),), **fields):
    """An article put live by ``publish()``, each section citing a source."""
    source = make_source()
    article = make_article(title=title, summary=summary, **fields)
    for heading, body in sections:
        make_section(article, f"{body} [@{source.key}]", heading=heading)
    return publish(article)


def publish(article):
    article.publish(Revision.objects.record(article), None, override_reason="Checked elsewhere.")
    return article


def search_page(client, q, **params):
    response = client.get(reverse("articles:search"), {"q": q, **params})
    assert response.status_code == 200
    return response


def titles(client, q):
    return [result.title for result in search_page(client, q).context["results"]]


# What is found, and in what order


def test_title_ranks_above_headings_above_summary_above_body(client):
    live_article("In the body", sections=[("What is it?", "Spasticity is stiffness.")])
    live_article("In the summary", summary="About spasticity.")
    live_article("In a heading", sections=[("What is spasticity?", "Stiffness.")])
    live_article("Spasticity")
    assert titles(client, "spasticity") == ["Spasticity", "In a heading", "In the summary", "In the body"]


def test_pages_run_on_from_the_ranked_matches_to_those_found_only_in_bodies(client, settings):
    settings.SEARCH_RESULTS_PER_PAGE = 2
    for n in range(3):
        live_article(f"Body {n}", sections=[("What is it?", "Spasticity is stiffness.")])
    live_article("In a heading", sections=[("What is spasticity?", "Stiffness.")])
    live_article("Spasticity")
    pages = [[r.title for r in search_page(client, "spasticity", page=n).context["results"]] for n in (1, 2, 3)]
    # The body-only matches rank alike: newest first.
    assert pages == [["Spasticity", "In a heading"], ["Body 2", "Body 1"], ["Body 0"]]
    assert search_page(client, "spasticity", page=2).context["paginator"].count == 5


@postgresql_only
def test_with_many_matches_postgresql_reads_the_newest_first_in_the_same_order():
    for n in range(6):
        live_article(f"Body {n}", sections=[("What is it?", "Spasticity is stiffness.")])
    live_article("Spasticity")
    query = Query.parse("spasticity")
    few, many = SearchEntry.objects.search(query), SearchEntry.objects.search(query)
    assert few.count_up_to(100) == 7 and not few.crowded
    assert many.count_up_to(3) == 3 and many.crowded  # more than the count goes to: walk by date
    for start, stop in [(0, 3), (2, 5), (4, 7)]:
        expected = [entry.title for entry in few[start:stop]]
        assert [entry.title for entry in many[start:stop]] == expected
    assert [entry.title for entry in few[0:7]] == ["Spasticity", *(f"Body {n}" for n in range(5, -1, -1))]


def test_every_word_must_match(client):
    live_article("Clonus at the ankle")
    live_article("Clonus at the knee")
    assert titles(client, "ankle clonus") == ["Clonus at the ankle"]


def test_only_live_content_is_found(client):
    live_article("Live zebra")
    make_article(title="Draft zebra")
    live_article("Unpublished zebra").unpublish(None)
    expired = live_article("Expired zebra")
    Article.objects.filter(pk=expired.pk).update(expire_at=timezone.now() - timezone.timedelta(minutes=1))
    scheduled = ready_article(title="Scheduled zebra")
    scheduled.schedule(scheduled.latest_revision, None, publish_at=timezone.now() + timezone.timedelta(days=1))
    assert titles(client, "zebra") == ["Live zebra"]


def test_a_new_live_revision_replaces_the_old_text(client):
    article = live_article("Old title", sections=[("What is it?", "Walrus text.")])
    article.sections.update(body="Narwhal text.")  # the draft's text: not live yet
    save_draft(article, title="New title")
    assert titles(client, "walrus") == ["Old title"] and titles(client, "narwhal") == []
    section = article.sections.get()
    section.body = "Narwhal text."
    section.save()
    publish(article)
    assert titles(client, "walrus") == [] and titles(client, "narwhal") == ["New title"]


def test_unpublishing_takes_the_article_out_of_search(client):
    article = live_article("Okapi facts")
    article.unpublish(None)
    assert titles(client, "okapi") == []
    assert not SearchEntry.objects.exists()


def test_citation_marks_are_not_searched_as_text(client):
    source = make_source("elwes1985")
    article = make_article(title="Seizures")
    make_section(article, "First seizures [@elwes1985].")
    publish(article)
    assert titles(client, source.key) == []
    assert SearchEntry.objects.get().body == "First seizures."


def test_a_phrase_matches_its_words_in_that_order(client):
    live_article("In order", sections=[("What is it?", "Look for signs of clonus at the ankle.")])
    live_article("Out of order", sections=[("What is it?", "Clonus signs: look at the ankle.")])
    assert titles(client, '"signs of clonus"') == ["In order"]
    assert sorted(titles(client, "signs clonus")) == ["In order", "Out of order"]


def test_a_word_ending_in_a_star_finds_words_beginning_with_it(client):
    live_article("Clonus explained")
    live_article("Spasticity explained")
    assert titles(client, "clon*") == ["Clonus explained"]


@postgresql_only
def test_postgresql_matches_the_beginnings_of_words_only(client):
    live_article("Myoclonus")
    live_article("Clonus")
    assert titles(client, "clon*") == ["Clonus"]


@postgresql_only
def test_postgresql_matches_other_forms_of_a_word(client):
    live_article("Jerks", sections=[("What is it?", "The foot was jerking.")])
    assert titles(client, "jerk") == ["Jerks"]


@sqlite_only
def test_sqlite_matches_words_anywhere_in_the_text(client):
    live_article("Myoclonus")
    assert titles(client, "clonus") == ["Myoclonus"]


# Snippets


def test_the_snippet_marks_the_words_found(client):
    live_article("Reflexes", sections=[("What is it?", "A long text before. The ankle beats when stretched.")])
    html = search_page(client, "ankle").content.decode()
    assert '<p class="snippet">' in html
    assert "<mark>ankle</mark>" in html


def test_the_snippet_shows_a_hit_far_into_a_long_article(client):
    filler = "Nothing to see in this sentence at all. " * 200
    live_article("Long", sections=[("What is it?", filler), ("And then?", f"{filler} The okapi appears here.")])
    snippet = search_page(client, "okapi").context["results"][0].snippet
    assert "The <mark>okapi</mark> appears here" in snippet


def test_the_snippet_finds_a_capitalised_hit_and_the_first_of_several_terms(client):
    filler = "Nothing to see in this sentence at all. " * 200
    live_article("Long", sections=[("What is it?", f"{filler} Okapis live here. {filler} A zebra too, and okapis.")])
    assert "<mark>Okapis</mark> live here" in search_page(client, "okapi").context["results"][0].snippet
    assert "<mark>Okapis</mark> live here" in search_page(client, "zebra okapi").context["results"][0].snippet


def test_text_that_looks_like_html_is_shown_as_text(client):
    live_article("Charts", sections=[("What is it?", "Never type `<script>alert(1)</script>` into a chart.")])
    html = search_page(client, "chart").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html
    assert "<mark>chart</mark>" in html


def test_the_snippet_keeps_to_the_summary_and_body(client):
    live_article("Clonus", summary="What it is.", sections=[("What is clonus?", "Rhythmic beats.")])
    snippet = search_page(client, "clonus").context["results"][0].snippet
    assert "What it is." in snippet and "Rhythmic beats." in snippet and "<mark>" not in snippet


@postgresql_only
def test_postgresql_snippets_come_from_ts_headline_with_only_our_marks(client):
    live_article("Marks", sections=[("What is it?", "Text with &lt;b&gt; and \ue000 private marks, then clonus.")])
    snippet = search_page(client, "clonus").context["results"][0].snippet
    assert snippet.count("<mark>") == 1 and "<mark>clonus</mark>" in snippet
    assert "\ue000" not in snippet and "&lt;b&gt;" in snippet


# Did you mean


def test_a_misspelling_gets_a_suggestion_that_finds_articles(client):
    live_article("Clonus explained", sections=[("What is clonus?", "Rhythmic beats.")])
    response = search_page(client, "clonsu")
    assert response.context["results"] == [] or not list(response.context["results"])
    assert response.context["suggestion"].text == "clonus"
    html = response.content.decode()
    assert '<p class="suggestion">Did you mean <a href="/search/?q=clonus">clonus</a>?</p>' in html


def test_a_suggestion_is_the_closest_word_not_any_word_alike(client):
    live_article("Clonic seizures")
    live_article("Clonus at the ankle")
    assert search_page(client, "clonsu").context["suggestion"].text == "clonus"


def test_a_suggestion_is_only_offered_if_it_finds_live_articles(client):
    live_article("Tizanidine").unpublish(None)  # its words stay in the vocabulary
    assert search_page(client, "tizanidin").context["suggestion"] is None


def test_a_suggestion_corrects_words_in_phrases_too(client):
    live_article("Signs", sections=[("What is it?", "Look for signs of clonus.")])
    assert search_page(client, '"signs of clonsu"').context["suggestion"].text == '"signs of clonus"'


def test_no_suggestion_when_something_matches(client):
    live_article("Clonus")
    assert search_page(client, "clonus").context["suggestion"] is None


# Queries that are not queries


@pytest.mark.parametrize(
    ("q", "sentence"),
    [
        ("", search.TYPE_A_WORD),
        ("   ", search.TYPE_A_WORD),
        ("?!.,;", search.NO_WORDS),
        ("clonus " * 1500, search.TOO_LONG),
        ("' OR 1=1 --", search.SYNTAX),
        ("title:foo AND (bar OR", search.SYNTAX),
        ("foo & | ! <->", search.SYNTAX),
        (":*", search.NO_WORDS),
        ("x*", search.SHORT_PREFIX),
        ("a b c d e f g h i j k l", search.TOO_MANY),
        ("\x00clonus\x00", "1 article matches your search."),
        ("zzz", "No articles match your search."),
        ("🙂 ☃", search.NO_WORDS),
        ("北京 клонус", "No articles match your search."),
        ("x" * 300, search.TOO_LONG),
        ("\\'\\\\'' ::* !!( )", search.NO_WORDS),
    ],
)
def test_a_query_that_is_not_a_search_gets_a_sentence_saying_what_happened(client, q, sentence):
    live_article("Clonus")
    response = search_page(client, q)
    assert sentence in response.content.decode().replace("&#x27;", "'")


def test_an_empty_query_asks_for_a_word_without_searching(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = search_page(client, "")
    assert "<title>Search · Clonus</title>" in response.content.decode()


def test_the_query_is_shown_back_escaped_in_the_title_heading_and_search_box(client):
    html = search_page(client, "<b>clonus</b>").content.decode()
    assert "<title>Search results for “&lt;b&gt;clonus&lt;/b&gt;” · Clonus</title>" in html
    assert "<h1>Search results for “&lt;b&gt;clonus&lt;/b&gt;”</h1>" in html
    assert 'name="q" value="&lt;b&gt;clonus&lt;/b&gt;"' in html
    assert "<b>" not in html


def test_search_pages_are_not_indexed(client):
    assert '<meta name="robots" content="noindex">' in search_page(client, "clonus").content.decode()


def test_query_parsing_keeps_only_letters_and_digits_in_terms():
    query = Query.parse("""clon* "signs of" 'x' AND ankle:* a&b""")
    assert query.prefixes == ("clon",)
    assert query.phrases == (("signs", "of"),)
    assert query.words == ("x", "ankle", "a", "b")
    assert query.tsquery() == "'x' & 'ankle' & 'a' & 'b' & 'signs of' & 'clon':*"


# Pages and cost


def test_results_are_paginated_and_page_links_keep_the_query(client, settings):
    settings.SEARCH_RESULTS_PER_PAGE = 2
    for n in range(5):
        live_article(f"Ibis {n}")
    first = search_page(client, "ibis")
    assert first.context["paginator"].count == 5 and len(first.context["results"]) == 2
    assert 'href="?q=ibis&amp;page=2"' in first.content.decode()
    last = search_page(client, "ibis", page=3)
    assert len(last.context["results"]) == 1
    assert 'href="?q=ibis&amp;page=2"' in last.content.decode()
    assert '<ol class="search-results" start="5">' in last.content.decode()


def test_a_search_that_finds_very_many_counts_and_pages_through_the_first_of_them(client, settings, monkeypatch):
    settings.SEARCH_RESULTS_PER_PAGE = 2
    monkeypatch.setattr(search, "MAX_RESULTS", 3)
    for n in range(5):
        live_article(f"Ibis {n}")
    response = search_page(client, "ibis", page=2)
    assert "More than 3 articles match your search: add a word to find fewer." in response.content.decode()
    assert response.context["paginator"].num_pages == 2
    assert client.get(reverse("articles:search"), {"q": "ibis", "page": 3}).status_code == 404


@pytest.mark.parametrize("articles", [3, 30])
def test_the_search_page_costs_the_same_queries_however_many_articles_match(
    client, django_assert_num_queries, settings, articles
):
    for n in range(articles):
        live_article(f"Clonus {n}", summary="About clonus.", sections=[("What is clonus?", "Beats.")] * 3)
    with django_assert_num_queries(3):  # the count, the page of results, what is shown of them
        assert len(search_page(client, "clonus").context["results"]) == min(articles, settings.SEARCH_RESULTS_PER_PAGE)
    with django_assert_num_queries(3):  # the count, the closest words, whether the suggestion finds any
        assert search_page(client, "clonsu").context["suggestion"].text == "clonus"


# Entries for articles live before search


@pytest.mark.django_db(transaction=True)
def test_the_migration_indexes_articles_that_were_live_already(client):
    live_article("Okapi facts")
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([("articles", "0007_topic_description")])
    executor.loader.build_graph()
    executor.migrate(latest)
    assert titles(client, "okapi") == ["Okapi facts"]
