import hashlib
from functools import cache

from django.conf import settings
from django.db import models, transaction
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from clonus import pagecache

from ..snapshots import Page, apply, take
from .audit import AuditEntry
from .publishing import PublishingMixin, PublishingQuerySet
from .reviews import Review
from .revisions import HEAVY_FIELDS, Revision

#: A live article's entry in the lists (``Article.list_entries()``).
ENTRY_TEMPLATE = "includes/_article_entry.html"
#: What an entry is made of besides the live revision: the article's address and dates.
LISTED_FIELDS = ["slug", "published_at", "live_since", "live_revision", "listing", "listed_by"]


@cache
def entry_renderer():
    """What an entry's making depends on besides its article: its template and the time zone
    its dates are shown in."""
    return get_template(ENTRY_TEMPLATE).template.source + settings.TIME_ZONE


def same_topic_of(topic_id, lookup):
    """Whether ``lookup`` (a topic) is the topic ``topic_id``, as a value to order by."""
    same = models.Q(**{lookup: topic_id}) if topic_id else models.Value(False)
    return models.ExpressionWrapper(same, output_field=models.BooleanField())


def time_element(moment):
    """``<time>`` of a local time, to the second, shown as a day: 7 December 2026."""
    return format_html(
        '<time datetime="{}">{} {} {}</time>',
        moment.strftime("%Y-%m-%dT%H:%M:%S%z"),
        moment.day,
        MONTHS[moment.month],
        moment.year,
    )


class TimeStampedModel(models.Model):
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class TopicQuerySet(models.QuerySet):
    def with_live_articles(self):
        """Topics that live articles are filed under, with how many (``live_count``) and when
        the latest of them went live (``last_live_since``)."""
        filed = Article.objects.published().filter(live_revision__topic=models.OuterRef("pk"))
        filed = filed.order_by().values("live_revision__topic")
        return self.annotate(
            live_count=models.Subquery(filed.annotate(n=models.Count("pk")).values("n")),
            last_live_since=models.Subquery(filed.annotate(latest=models.Max("live_since")).values("latest")),
        ).filter(live_count__gt=0)


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    description = models.TextField(
        blank=True, help_text="One or two plain sentences about the topic, for its page and for search engines."
    )

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        pagecache.invalidate([self.cache_tag, "topics"])

    def get_absolute_url(self):
        return reverse("articles:topic-detail", kwargs={"slug": self.slug})

    @property
    def cache_tag(self):
        """Carried by kept pages that show this topic's name or address (``clonus.pagecache``)."""
        return f"topic-{self.pk}"


class ArticleQuerySet(PublishingQuerySet):
    def review_overdue(self, today=None):
        """Live articles whose next review is past due: the last sign-off of the live revision
        (or of an earlier one) is more than ``CLONUS_REVIEW_INTERVAL`` old, or there is none.

        This is the date readers see as "Next review due", so the two can never disagree.
        """
        cutoff = (today or timezone.localdate()) - settings.CLONUS_REVIEW_INTERVAL
        reviewed_since = models.Exists(
            Review.objects.signed_off().filter(
                revision__article_pk=models.OuterRef("pk"),
                revision__number__lte=models.OuterRef("live_revision__number"),
                reviewed_on__gte=cutoff,
            )
        )
        return self.published().exclude(reviewed_since)

    @transaction.atomic
    def recover(self, revision, user):
        """Bring back the deleted article ``revision`` belongs to, with its content; return the
        article and notices for the editor."""
        article = self.model(pk=revision.article_pk, title=revision.title, slug=self.free_slug(revision.slug))
        article.version = Revision.objects.filter(article_pk=revision.article_pk).aggregate(models.Max("number"))[
            "number__max"
        ]
        article.save()
        Revision.objects.filter(article_pk=revision.article_pk).update(article=article)
        AuditEntry.objects.filter(article_pk=revision.article_pk).update(article=article)
        notices = apply(revision.data, article, keep_slug=True)
        if article.slug != revision.slug:
            notices.append(f"Another article has the address “{revision.slug}” now; this one is at “{article.slug}”.")
        recovered = Revision.objects.record(article, user, f"Recovered from revision {revision.number}")
        AuditEntry.record(AuditEntry.Action.RECOVER, user, article, recovered, f"from revision {revision.number}")
        return article, notices

    def free_slug(self, slug):
        """``slug``, or the first of ``slug-recovered``, ``slug-recovered-3``… no article has."""
        free, n = slug, 1
        while self.filter(slug=free).exists():
            n += 1
            free = f"{slug}-recovered-{n}" if n > 2 else f"{slug}-recovered"
        return free

    def listed(self):
        """With what their entries in lists are made of (``Article.list_entries()``) alone."""
        return self.only(*LISTED_FIELDS)

    def with_live_columns(self):
        """With each live revision's columns (title, summary…), not its content."""
        return self.select_related("live_revision").defer(*(f"live_revision__{name}" for name in HEAVY_FIELDS))

    def filed_under(self, topic_id):
        """Live articles whose live revision is filed under the topic ``topic_id``."""
        return self.published().filter(live_revision__topic=topic_id)

    def related_to(self, article, limit=5):
        """Up to ``limit`` other live articles related to ``article`` as readers see it, best
        first: those citing more of its sources (``shared_sources``), then those on its topic,
        then the most recently updated; with their live revisions' columns.

        One or two queries whatever the number of articles: those sharing sources, counted from
        the sources' side (the live citations of an article's few sources are read, not every
        live article), then the newest on its topic if fewer than ``limit`` share any.
        """
        revision = article.live_revision
        if revision is None:
            return []
        others = self.published().exclude(pk=article.pk).with_live_columns()
        cites = Revision.sources.through.objects
        # As values, not a subquery, so that the planner sees how often each is cited.
        cited = revision.cited_pks()
        topic_id = revision.topic_id
        # The best ``limit`` by the counts of their live revisions' citations of these sources,
        # grouped on the citations themselves: an article sharing sources with thousands costs
        # one pass over those citations, not a count for each of them.
        citations = cites.filter(source__in=cited, revision__article__live_revision=models.F("revision"))
        citations = citations.exclude(revision__article=article.pk).exclude(
            revision__article__expire_at__lte=timezone.now()
        )
        grouped = citations.values("revision", "revision__topic", "revision__article", "revision__article__live_since")
        grouped = grouped.annotate(n=models.Count("pk"), same=same_topic_of(topic_id, "revision__topic"))
        ranking = ["-n", "-same"] if topic_id else ["-n"]  # PostgreSQL orders by no constant
        ordered = grouped.order_by(*ranking, "-revision__article__live_since", "-revision__article")
        best = ordered.values("revision")[:limit]
        shared = cites.filter(revision=models.OuterRef("live_revision"), source__in=cited)
        sharing = (
            others.filter(live_revision__in=best)
            .annotate(
                shared_sources=models.Subquery(
                    shared.order_by().values("revision").annotate(n=models.Count("pk")).values("n")
                ),
                same_topic=same_topic_of(topic_id, "live_revision__topic"),
            )
            .order_by("-shared_sources", "-same_topic", "-live_since", "-pk")
        )
        related = list(sharing[:limit])
        if topic_id is None or len(related) == limit:
            return related
        # With room to spare, every article sharing a source is in ``related`` already.
        on_topic = others.filter(live_revision__topic=topic_id).exclude(pk__in=[other.pk for other in related])
        return related + list(on_topic.order_by("-live_since", "-pk")[: limit - len(related)])


class Article(PublishingMixin, TimeStampedModel):
    """The working copy of an article: what editors change. Readers see ``live_revision``."""

    title = models.CharField(max_length=200)
    # The admin shows help text as HTML: no angle brackets, or "<slug>" disappears as a tag.
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The last part of the address: the slug “clonus” makes /articles/clonus/.",
    )
    summary = models.TextField(blank=True, help_text="One or two plain sentences, shown in lists and search results.")
    topic = models.ForeignKey(Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles")
    byline = models.CharField(max_length=200, blank=True, help_text="Who wrote it, as readers should see it.")
    latest_revision = models.ForeignKey(
        "Revision", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    #: Bumped by every saved revision; a form holding an older number is stale.
    version = models.PositiveIntegerField(default=0, editable=False)
    # The article's entry in lists while live, as HTML, made by ``list_entries()`` from what
    # ``entry_key()`` digests into ``listed_by``; made again when that changes.
    listing = models.TextField(blank=True, editable=False)
    listed_by = models.CharField(max_length=16, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created"]
        indexes = [
            # The home list, newest first, and its count: live articles only, with what
            # ``published()`` checks, so that a page's ids come from the index alone.
            models.Index(
                fields=["-published_at", "-created", "id"],
                include=["expire_at"],
                condition=models.Q(live_revision__isnull=False),
                name="article_live_newest",
            ),
            # Feeds and related articles: most recently updated first.
            models.Index(
                fields=["-live_since", "-id"],
                include=["expire_at"],
                condition=models.Q(live_revision__isnull=False),
                name="article_live_updated",
            ),
        ]
        permissions = [
            ("submit_article", "Can submit an article for medical review"),
            ("review_article", "Can sign off or return a revision as medical reviewer"),
            ("publish_article", "Can publish, unpublish and schedule articles"),
            ("restore_revision", "Can restore an earlier revision as the draft"),
            ("recover_article", "Can recover deleted articles"),
            ("override_publish_checks", "Can publish despite failed checks, giving a reason"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:article-detail", kwargs={"slug": self.slug})

    @property
    def cache_tag(self):
        """Carried by kept pages that show this article live (``clonus.pagecache``)."""
        return f"article-{self.pk}"

    @classmethod
    def list_entries(cls, articles):
        """The entries in a list of the live ``articles`` (as ``listed()`` reads them), as HTML.
        Each is stored, and made again only when what it shows has changed (a deploy with
        another template, a publish, a new address), for all of them with two queries."""
        articles = list(articles)
        stale = [article for article in articles if article.listed_by != article.entry_key()]
        if stale:
            revisions = Revision.objects.without_content().in_bulk([article.live_revision_id for article in stale])
            for article in stale:
                context = {"article": article, "revision": revisions[article.live_revision_id]}
                article.listing = render_to_string(ENTRY_TEMPLATE, context)
                article.listed_by = article.entry_key()
            cls.objects.bulk_update(stale, ["listing", "listed_by"])
        return [mark_safe(article.listing) for article in articles]

    def entry_key(self):
        """A digest of what the article's entry in lists is made of: its live revision (which
        never changes), its dates and address, and ``entry_renderer()``."""
        made_of = f"{self.live_revision_id}|{self.published_at}|{self.live_since}|{self.slug}|{entry_renderer()}"
        return hashlib.blake2b(made_of.encode(), digest_size=8).hexdigest()

    def listed_dates(self):
        """When it was first published, and when updated if on another day, as lists show it.
        Formatted here rather than by template filters: a list of twenty formatted a hundred
        dates that way, a quarter of the page's time."""
        published, updated = timezone.localtime(self.published_at), timezone.localtime(self.live_since)
        html = format_html("Published {}", time_element(published))
        if updated.date() != published.date():
            html = format_html("{}, updated {}", html, time_element(updated))
        return format_html('<p class="meta">{}</p>', html)

    def draft_page(self):
        """The working copy as readers would see it, for staff preview."""
        return Page(take(self))

    def last_review(self, up_to=None):
        """The latest sign-off of this article (of ``up_to`` or an earlier revision)."""
        reviews = Review.objects.signed_off().filter(revision__article_pk=self.pk)
        if up_to is not None:
            reviews = reviews.filter(revision__number__lte=up_to.number)
        return reviews.select_related("reviewer", "revision").first()

    def submit_for_review(self, user):
        """Ask for a medical review of the latest revision, once; return that revision."""
        with transaction.atomic():
            self.lock()
            revision = self.latest_revision or Revision.objects.record(self, user)
            if revision.submitted_at is None:
                revision.submitted_at = timezone.now()
                revision.save(update_fields=["submitted_at"])
                AuditEntry.record(AuditEntry.Action.SUBMIT, user, self, revision)
        return revision

    @transaction.atomic
    def restore(self, revision, user):
        """Make ``revision`` the draft again, as a new revision; return it and notices for the
        editor."""
        if revision.article_pk != self.pk:
            raise ValueError(f"{revision} is not a revision of “{self}”.")
        # Locked and re-read, so that the new revision's number follows any save made meanwhile.
        self.refresh_from_db(from_queryset=type(self).objects.select_for_update(of=("self",)))
        notices = apply(revision.data, self)
        restored = Revision.objects.record(self, user, f"Restored from revision {revision.number}")
        AuditEntry.record(AuditEntry.Action.RESTORE, user, self, restored, f"from revision {revision.number}")
        return restored, notices
