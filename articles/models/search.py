"""Site search: one entry per live article, holding the plain text of its live revision.

``publish()`` writes the entry of the revision it puts live, in its transaction, and
``unpublish()`` deletes it, so the entries are always the live revisions' text; a search also
keeps to ``Article.objects.published()``, so an article past its expiry is not found even before
``publish_scheduled`` takes it down.

On PostgreSQL an entry also holds lexemes: ``vector``, of all its text (title weighted A, section
headings B, summary C, body D), under a GIN index, which finds the matches; and ``head``, of the
title, headings and summary alone, under a GIN index too, which ranks them (``ts_rank``);
matches as good as each other come newest first, and a page is read as ``RankedResults`` says. Snippets are ``ts_headline()`` of the text around the first hit. "Did you
mean" looks up each word in the vocabulary of all text indexed (``SearchTerm``) by trigram
similarity. On SQLite, behind the same methods, each term must be in some field
(``icontains``), results are ranked by where the terms are, and suggestions come from
``difflib``. docs/decisions.md says why.
"""

import difflib
import re
from collections import defaultdict
from functools import reduce
from html.parser import HTMLParser

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
    TrigramSimilarity,
)
from django.db import connections, models
from django.db.models.functions import Coalesce, Greatest, Least, NullIf, StrIndex, Substr
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .. import markdown
from ..snapshots import Page

#: The text search configuration: articles are in English.
CONFIG = "english"
#: The most body text indexed, in characters; a tsvector holds at most 1 MB.
MAX_BODY = 250_000
#: Around each hit in a snippet: private-use characters, which no stored text holds
#: (``clean()``), so that a snippet is escaped whole and only these become ``<mark>``.
START, STOP = "\ue000", "\ue001"
#: What PostgreSQL parses instead of "<", ">" and "&": its parser reads ``<b>`` as a tag and
#: skips what ``<script>`` holds, and our text is plain text, not HTML.
STAND_INS = {"<": "\ue002", ">": "\ue003", "&": "\ue004"}
TO_STAND_INS = str.maketrans(STAND_INS)
TO_HTML = str.maketrans(
    {START: "<mark>", STOP: "</mark>", **{STAND_INS[c]: escape(c) for c in STAND_INS}},
)
PRIVATE = re.compile("[\ue000-\ue004]")
#: How much text ``ts_headline()`` is given, and from how far before the first hit.
SNIPPET_TEXT, SNIPPET_LEAD = 400, 80
#: Words the vocabulary keeps, for suggestions: three letters or more.
VOCABULARY_WORD = re.compile(r"[^\W\d_]{3,50}")
#: Suggestions: how many words alike by trigrams to compare, and how alike difflib must find one.
CANDIDATES, CLOSE_ENOUGH = 5, 0.7
#: The fields word matching looks in, and their weights (in the proportions of ``ts_rank``'s).
WEIGHTS = {"title": 10, "headings": 4, "summary": 2, "body": 1}
TEXT_FIELDS = ["title", "topic", "headings", "summary", "body"]
#: The type of the text expressions here, made once.
TEXT = models.TextField()
#: HTML elements that run on within a line; the others separate words.
INLINE = {"a", "abbr", "b", "code", "del", "em", "i", "img", "ins", "strong", "sub", "sup"}


class SearchTermQuerySet(models.QuerySet):
    def add(self, texts):
        """Add the words of ``texts`` that the vocabulary lacks."""
        words = {word for text in texts for word in VOCABULARY_WORD.findall(text.lower())}
        self.bulk_create([self.model(word=word) for word in sorted(words)], batch_size=1000, ignore_conflicts=True)

    def closest(self, words):
        """``{word: the vocabulary's closest word}`` for those of ``words`` that have one close
        enough; a word the vocabulary holds is its own closest."""
        if not words:
            return {}
        if connections[self.db].vendor == "postgresql":
            # The few words of each most alike by trigrams, in one query (the "%" operator, which
            # the trigram index answers); then the closest as difflib sees it: trigrams rate
            # "clonic" as close to "clonsu" as "clonus" is.
            alike = [
                self.filter(word__trigram_similar=word)
                .annotate(similarity=TrigramSimilarity("word", word), typed=models.Value(word))
                .order_by("-similarity", "word")
                .values_list("typed", "word")[:CANDIDATES]
                for word in words
            ]
            candidates = defaultdict(list)
            for typed, word in alike[0].union(*alike[1:], all=True):
                candidates[typed].append(word)
        else:
            candidates = dict.fromkeys(words, list(self.values_list("word", flat=True)))
        return {
            word: close[0]
            for word in words
            if (close := difflib.get_close_matches(word, candidates.get(word, []), 1, CLOSE_ENOUGH))
        }


class SearchTerm(models.Model):
    """A word of some text that was indexed, for "did you mean". Words are never removed: a
    suggestion is only offered if it finds live articles."""

    word = models.CharField(max_length=50, primary_key=True)

    objects = SearchTermQuerySet.as_manager()

    def __str__(self):
        return self.word


class SearchEntryQuerySet(models.QuerySet):
    def index(self, article, revision=None):
        """Make ``article``'s entry hold ``revision`` (by default its live revision). Called by
        ``publish()``, in its transaction."""
        self.index_revisions([revision or article.live_revision])

    def index_revisions(self, revisions):
        """Write (or rewrite) the entry of each of ``revisions``, each the live revision of its
        article (whose row already says so), and add their words to the vocabulary."""
        postgresql = connections[self.db].vendor == "postgresql"
        entries = []
        for revision in revisions:
            text = document(Page(revision.data))
            vectors = weighted_vectors(text) if postgresql else {}
            entries.append(self.model(article_id=revision.article_id, revision=revision, **text, **vectors))
        self.bulk_create(
            entries,
            batch_size=100,
            update_conflicts=True,
            unique_fields=["article"],
            update_fields=["revision", *TEXT_FIELDS, "head", "vector"],
        )
        # As the article row has it now: publish() has just written it.
        published_at = articles().filter(pk=models.OuterRef("article"))
        self.filter(article__in=[entry.article_id for entry in entries]).update(
            published_at=models.Subquery(published_at.values("published_at"))
        )
        SearchTerm.objects.add(getattr(entry, field) for entry in entries for field in WEIGHTS)

    def remove(self, article):
        """Forget ``article``: it is no longer live. Called by ``unpublish()``."""
        self.filter(article=article).delete()

    def published(self):
        """The entries of the articles readers see now (``Article.objects.published()``).

        An entry exists only while its article has a live revision (``publish()`` writes it,
        ``unpublish()`` deletes it), so what is left to check is expiry. Asked this way,
        PostgreSQL reads the few expired articles once, by their index, rather than every
        match's article.
        """
        expired = articles().filter(expire_at__lte=timezone.now())
        return self.exclude(article__in=expired.values("pk"))

    def search(self, query):
        """The entries of published articles that match every term of ``query`` (an
        ``articles.search.Query``), best first, each with a ``snippet``: on PostgreSQL a
        ``RankedResults``, elsewhere a QuerySet; both sliced by a paginator and counted with
        ``count_up_to()``."""
        if not query:
            return self.none()
        if connections[self.db].vendor == "postgresql":
            return RankedResults(self.published(), query)
        return (
            self.matching(query)
            .published()
            .prefetch_related(models.Prefetch("article", articles().only("slug")))  # for the addresses
            .order_by("-rank", "-published_at", "-pk")
        )

    def count_up_to(self, limit):
        """How many entries there are, counting no further than ``limit``."""
        return self.order_by().values("pk")[:limit].count()

    def suggest(self, query):
        """``query`` with each word respelled as the vocabulary's closest, if that changes it and
        it finds published articles; None otherwise."""
        suggestion = query.corrected(SearchTerm.objects.closest(query.spelled_words))
        if suggestion.terms != query.terms and self.search(suggestion).exists():
            return suggestion
        return None

    def matching(self, query):
        """Word matching, for databases without full-text search: each term in some field, in
        any case; ranked by where the terms are, title first."""
        terms, entries = query.terms, self
        for term in terms:
            entries = entries.filter(reduce(models.Q.__or__, (models.Q(**{f"{f}__icontains": term}) for f in WEIGHTS)))
        # Sums and joins written flat: SQLite's parser refuses expressions nested 40 deep.
        rank = flat(
            " + ",
            *(
                models.Case(models.When(**{f"{field}__icontains": term}, then=weight), default=0)
                for term in terms
                for field, weight in WEIGHTS.items()
            ),
            output_field=models.IntegerField(),
        )
        hits = flat(
            " || ",
            *(
                models.Case(
                    models.When(
                        models.Q(summary__icontains=term) | models.Q(body__icontains=term),
                        then=models.Value(f"{term}\n"),
                    ),
                    default=models.Value(""),
                )
                for term in terms
            ),
            output_field=models.TextField(),
        )
        return entries.annotate(rank=rank, hits=hits).defer("headings", "head", "vector")


class RankedResults:
    """PostgreSQL's results for ``query`` among ``entries``, best first, read a page at a time.

    Results are ranked by ``ts_rank`` of the terms in the title, headings and summary
    (``head``), then newest first. A match with none of the terms there ranks zero, below every
    match with one, so a page is read in two parts, each in that order: the matches with a term
    in ``head`` (found by head's GIN index; few, for the words that are everywhere in bodies),
    then the others. When matches are many (``count_up_to()`` reached its limit), the others are
    read by walking the index on ``published_at`` and checking each row's vector, which stops
    after a page: ranking 10,000 matches to show 20 read every one of their rows (17 ms at
    10,000 articles), this reads a few dozen (0.5 ms). With few matches, the GIN index finds
    them all and PostgreSQL sorts them.
    """

    #: Whether the matches are many: found in most rows, rather than by the GIN index.
    crowded = False

    def __init__(self, entries, query):
        self.entries, self.query = entries, query
        self.every_term = tsquery(query)
        self.any_term = tsquery(query, any=True)

    def matches(self):
        return self.entries.filter(vector=self.every_term)

    def count_up_to(self, limit):
        found = self.matches().order_by().values("pk")[:limit].count()
        self.crowded = found >= limit
        return found

    def exists(self):
        return self.matches().exists()

    def __getitem__(self, page):
        """The results of the slice ``page``, with their articles' addresses and snippets."""
        start, stop = page.start or 0, page.stop
        ranked = list(self.in_head()[:stop])
        found = ranked[start:]
        if len(ranked) < stop:  # every head match is in ``ranked``: the rest come after
            skip = max(start - len(ranked), 0)
            found += self.in_body_only()[skip : skip + stop - start - len(found)]
        # What is shown of this page's results only: PostgreSQL would make the snippet of each
        # result an OFFSET skips, too.
        shown = (
            self.entries.model.objects.filter(pk__in=found)
            .select_related("article")
            .only(*SHOWN, "article__slug")
            .annotate(headline=headline(self.query))
        )
        return sorted(shown, key=lambda entry: found.index(entry.pk))

    def in_head(self):
        return (
            self.matches()
            .filter(head=self.any_term)
            .annotate(rank=SearchRank(models.F("head"), self.any_term))
            .order_by("-rank", "-published_at", "-pk")
            .values_list("pk", flat=True)
        )

    def in_body_only(self):
        entries = self.entries.exclude(head=self.any_term)
        if self.crowded:
            # The function, not its operator @@: the GIN index cannot answer it, so PostgreSQL
            # reads the entries newest first (the order's index) until it has a page.
            matches = models.Func(
                models.F("vector"), self.every_term, function="ts_match_vq", output_field=models.BooleanField()
            )
            entries = entries.filter(matches)
        else:
            entries = entries.filter(vector=self.every_term)
        return entries.order_by("-published_at", "-pk").values_list("pk", flat=True)


#: What a page of PostgreSQL's results reads of each entry: its snippet is made from the rest.
SHOWN = ["title", "topic", "published_at"]


class SearchEntry(models.Model):
    """What search reads of a live article: its live revision's text, as plain text."""

    article = models.OneToOneField("Article", on_delete=models.CASCADE, primary_key=True, related_name="search_entry")
    revision = models.ForeignKey("Revision", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    topic = models.CharField(max_length=100, blank=True)
    headings = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    #: The article's, copied when it is indexed: results that rank the same come newest first.
    published_at = models.DateTimeField(null=True, editable=False)
    #: PostgreSQL only: the lexemes of the title, headings and summary, weighted A, B, C, for
    #: ranking (a few hundred bytes, kept in the row) …
    head = SearchVectorField(null=True, editable=False)
    #: … and those of all the text, the body weighted D, for matching, under a GIN index that
    #: migration 0008 makes (Django has no index that SQLite would skip).
    vector = SearchVectorField(null=True, editable=False)

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "search entries"

    def __str__(self):
        return self.title

    @cached_property
    def snippet(self):
        """Where the terms are in the summary and body, as escaped text with ``<mark>`` around
        the hits; from ``search()`` only."""
        marked = getattr(self, "headline", None)  # PostgreSQL's, fetched with the entry
        if marked is None:  # word matching: made here, around the first hit
            marked = around_first_hit(f"{self.summary}\n{self.body}", self.hits.split("\n"))
        return mark_safe(escape(marked).translate(TO_HTML))


def articles():
    """``Article.objects``, which this module cannot import: ``Article`` imports it."""
    return SearchEntry.article.field.related_model.objects


def document(page):
    """The fields of the search entry of a revision's ``page`` (``articles.snapshots.Page``)."""
    return {
        "title": clean(page.title),
        "topic": clean(page.topic),
        "headings": clean("\n".join(section.heading for section in page.sections)),
        "summary": clean(page.summary),
        "body": clean(plain_text("\n".join(section.body_html for section in page.sections)))[:MAX_BODY],
    }


def weighted_vectors(text):
    """The ``head`` and ``vector`` of an entry of ``text`` (``document()``), as expressions."""
    vectors = {
        field: SearchVector(models.Value(text[field].translate(TO_STAND_INS)), weight=weight, config=CONFIG)
        for field, weight in (("title", "A"), ("headings", "B"), ("summary", "C"), ("body", "D"))
    }
    head = vectors["title"] + vectors["headings"] + vectors["summary"]
    return {"head": head, "vector": head + vectors["body"]}


def tsquery(query, any=False):
    return SearchQuery(query.tsquery(any=any), search_type="raw", config=CONFIG)


def headline(query):
    """``ts_headline()`` of the entry's summary and body for ``query``, its hits between
    ``START`` and ``STOP``.

    It marks any of the terms: given them all (``a & b``), it would show a fragment only where
    every one is, and the start of the text where the terms are far apart.
    """
    return SearchHeadline(
        around_first(query.roots),
        tsquery(query, any=True),
        config=CONFIG,
        start_sel=START,
        stop_sel=STOP,
        max_words=30,
        min_words=15,
        max_fragments=2,
        fragment_delimiter=" … ",
    )


def around_first(roots):
    """The summary and body from a little before the first of ``roots`` in them (or from the
    start), as much as a snippet can need, with ``STAND_INS`` for ``<``, ``>`` and ``&``.

    ``ts_headline()`` parses all the text it is given: 0.6 ms for a 7 KB article, 12 ms for a
    page of 20. This finds the place by the letters the terms begin with, in lower case or
    capitalised, which takes microseconds (lower-casing the text first takes a millisecond a
    page), and gives it ``SNIPPET_TEXT`` characters.
    """
    text = flat(" || ", models.F("summary"), models.Value("\n"), models.F("body"), output_field=TEXT)
    found = [NullIf(StrIndex(text, models.Value(form)), 0) for root in roots for form in {root, root.capitalize()}]
    first = Least(*found) if len(found) > 1 else found[0] if found else None  # LEAST() skips NULLs
    start = Greatest(Coalesce(first, 1) - SNIPPET_LEAD, 1) if found else 1
    return models.Func(
        Substr(text, start, SNIPPET_TEXT),
        models.Value("".join(STAND_INS)),
        models.Value("".join(STAND_INS.values())),
        function="translate",
        output_field=TEXT,
    )


def flat(operator, *expressions, output_field):
    """``expressions`` joined by ``operator`` (`` + ``, `` || ``) in one SQL expression."""
    return models.Func(*expressions, template="(%(expressions)s)", arg_joiner=operator, output_field=output_field)


def clean(text):
    """``text`` without the characters snippets use as markers."""
    return PRIVATE.sub("", text or "")


class TextOf(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag not in INLINE:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def plain_text(html):
    """The text of a section's sanitized HTML, with its citation marks left out."""
    html = markdown.ERROR_PLACEHOLDER.sub("", markdown.PLACEHOLDER.sub("", html))
    parser = TextOf()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


def around_first_hit(text, hits, before=100, after=160):
    """About 40 words of ``text`` around the first of ``hits`` (phrases in lower case), with
    every hit in them between ``START`` and ``STOP``; the start of ``text`` if none is there."""
    hits = [hit for hit in hits if hit]
    found = re.compile("|".join(rf"\w*{re.escape(hit)}\w*" for hit in hits), re.IGNORECASE) if hits else None
    first = found.search(text) if found else None
    start = first.start() if first else 0
    begin = min(text.find(" ", start - before) + 1, start) if start > before else 0
    end = text.find(" ", start + after)
    window = text[begin : end if end != -1 else len(text)].strip()
    if found:
        window = found.sub(lambda match: f"{START}{match[0]}{STOP}", window)
    return f"{'… ' if begin else ''}{window}{' …' if end != -1 else ''}"
