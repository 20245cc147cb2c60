import hashlib
import secrets
from functools import cache

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.functions import Lower
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from clonus import pagecache
from references.models import Source

from .. import structured_data
from ..snapshots import Page, content_problems, take
from .audit import AuditEntry
from .reviews import Review

#: The parts of an article's page that depend on its live revision alone.
BODY_TEMPLATE = "articles/_article_body.html"
REFERENCES_TEMPLATE = "articles/_article_references.html"
#: Raised whenever code that shapes those parts changes (``citations``, the JSON-LD's
#: ``of_revision()``), so that they are made again; their templates are followed by themselves.
PRERENDER_VERSION = "1"


@cache
def renderer():
    """A fingerprint of what ``Revision.prerender()`` makes: its templates and code version."""
    sources = [get_template(name).template.source for name in (BODY_TEMPLATE, REFERENCES_TEMPLATE)]
    source = "".join(sources) + PRERENDER_VERSION
    return hashlib.sha256(source.encode()).hexdigest()[:16]


#: What lists of revisions (and of live articles) leave out.
HEAVY_FIELDS = ["data", "body_html", "references_html", "structured_data", "cited_source_ids", "page_html", "page_meta"]


#: What a reader's page of a live article is made with, besides the parts above.
PAGE_TEMPLATES = ["articles/article_detail.html", "base.html", "includes/_header.html"]
#: How many related articles an article's page suggests.
RELATED_ARTICLES = 5


@cache
def page_renderer():
    """A fingerprint of what ``Revision.make_page()`` makes: its templates and the static files'
    addresses, which change with their contents."""
    sources = [get_template(name).template.source for name in PAGE_TEMPLATES]
    assets = [static(name) for name in ("css/site.css", "js/reader.js", "favicon.svg")]
    return hashlib.sha256("".join([*sources, *assets, renderer()]).encode()).hexdigest()[:16]


class RevisionQuerySet(models.QuerySet):
    @transaction.atomic
    def record(self, article, user=None, message=""):
        """Snapshot ``article`` with its sections, citations and cited sources as it is now."""
        data = take(article)
        number = article.version + 1
        revision = self.create(
            article=article,
            article_pk=article.pk,
            number=number,
            created_by=user if user and user.is_authenticated else None,
            message=message,
            title=article.title,
            slug=article.slug,
            summary=article.summary,
            byline=article.byline,
            topic_id=article.topic_id,
            data=data,
        )
        revision.sources.through.objects.bulk_create(
            revision.sources.through(revision=revision, source_id=int(pk)) for pk in data["sources"]
        )
        type(article).objects.filter(pk=article.pk).update(version=number, latest_revision=revision)
        article.version, article.latest_revision = number, revision
        return revision

    def readers_page(self, slug):
        """``(page_html, page_meta)`` of the live article at ``slug`` as stored, or None if none
        is live there: what an article's page costs when nothing it shows has changed."""
        live = self.filter(article__slug=slug, article__live_revision=models.F("pk")).order_by()
        for html, meta, expire_at in live.values_list("page_html", "page_meta", "article__expire_at")[:1]:
            if expire_at is None or expire_at > timezone.now():  # as live() says, in fewer steps
                return html, meta
        return None

    def without_content(self):
        """Revisions without their snapshots and prerendered parts: for lists and titles."""
        return self.defer(*HEAVY_FIELDS)

    def live(self):
        """The revisions readers see: each live article's live revision."""
        live = models.Q(article__live_revision=models.F("pk"))
        return self.filter(live).exclude(article__expire_at__lte=timezone.now())

    def published_sources(self, source_ids):
        """``{source pk: (source as published, [revisions citing it])}`` for those of
        ``source_ids`` that these revisions cite; the source as the newest of them recorded it."""
        revisions = self.filter(sources__in=source_ids).select_related("article").order_by("-created_at").distinct()
        published = {}
        for revision in revisions:
            page = revision.page()
            for pk in source_ids:
                if source := page.source(pk):
                    published.setdefault(pk, (source, []))[1].append(revision)
        return published

    def of_deleted_articles(self):
        """The latest revision of each deleted article: what a recovery starts from."""
        latest = (
            self.filter(article__isnull=True, article_pk=models.OuterRef("article_pk"))
            .order_by("-number")
            .values("pk")[:1]
        )
        return self.filter(article__isnull=True, pk=models.Subquery(latest)).order_by("-created_at")

    def signed_off_before(self, revision):
        """The latest revision before ``revision`` that a medical reviewer signed off, or None."""
        earlier = self.filter(number__lt=revision.number, reviews__outcome=Review.Outcome.SIGNED_OFF)
        return earlier.order_by("-number").first()

    def for_recovery(self):
        """Revisions of deleted articles as the recover page lists them, without their
        snapshots: with their author, and when and by whom the article was deleted."""
        deletions = AuditEntry.objects.filter(
            action=AuditEntry.Action.DELETE, article_pk=models.OuterRef("article_pk")
        ).order_by("-at")
        return (
            self.without_content()
            .select_related("created_by")
            .annotate(
                deleted_at=models.Subquery(deletions.values("at")[:1]),
                deleted_by=models.Subquery(deletions.values("user__username")[:1]),
            )
        )

    def for_history(self):
        """Revisions as the history page lists them, without their snapshots: with author and
        reviews, whether each was ever published, and the revision before each to compare with."""
        earlier = self.model.objects.filter(
            article_pk=models.OuterRef("article_pk"), number__lt=models.OuterRef("number")
        ).order_by("-number")
        published = AuditEntry.objects.filter(revision=models.OuterRef("pk"), action=AuditEntry.Action.PUBLISH)
        return (
            self.without_content()
            .select_related("created_by")
            .prefetch_related(models.Prefetch("reviews", queryset=Review.objects.select_related("reviewer")))
            .annotate(was_published=models.Exists(published), previous_pk=models.Subquery(earlier.values("pk")[:1]))
        )


class Revision(models.Model):
    """An article as it was at one save: its fields, ordered sections, their citations and the
    cited sources' bibliographic records, in one JSON document (see ``articles.snapshots``).

    ``article_pk`` outlives the article, so a deleted article can be recovered from here.
    """

    article = models.ForeignKey("Article", on_delete=models.SET_NULL, null=True, related_name="revisions")
    article_pk = models.PositiveBigIntegerField()
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    message = models.CharField(max_length=300, blank=True)
    submitted_at = models.DateTimeField(
        "submitted for review", null=True, blank=True, help_text="When an editor asked for a medical review."
    )
    # Copies of the snapshot's title, slug, summary, byline and topic, so that lists, feeds and
    # topic pages read columns (and indexes) rather than every revision's ``data``.
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    summary = models.TextField(blank=True)
    byline = models.CharField(max_length=200, blank=True)
    topic = models.ForeignKey("Topic", on_delete=models.SET_NULL, null=True, blank=True, related_name="revisions")
    data = models.JSONField(encoder=DjangoJSONEncoder)
    #: The sources the revision cites, so that source pages find live articles by a join.
    sources = models.ManyToManyField(Source, related_name="revisions", blank=True)
    # What readers are shown of the revision, worked out once from ``data`` when it first goes
    # live (``prerender()``): a live article's page is these, the article's dates and its review.
    body_html = models.TextField(blank=True, editable=False)
    references_html = models.TextField(blank=True, editable=False)
    structured_data = models.JSONField(default=dict, blank=True, editable=False, encoder=DjangoJSONEncoder)
    #: The ids of the sources the page shows, in the order of its reference list.
    cited_source_ids = models.JSONField(default=list, blank=True, editable=False)
    #: The topic as the snapshot names it, which outlives the topic.
    topic_name = models.CharField(max_length=100, blank=True, editable=False)
    # The whole page readers are shown of the article while this revision is live, made at its
    # first view (``make_page()``) and again whenever something it shows changes, as
    # ``page_meta`` says: its cache tags, when it was made, and by which renderer.
    page_html = models.TextField(blank=True, editable=False)
    page_meta = models.JSONField(default=dict, blank=True, editable=False)
    #: Which renderer made them (``renderer()``): a deploy with another template makes them again.
    rendered_by = models.CharField(max_length=16, blank=True, editable=False)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        get_latest_by = "number"
        constraints = [models.UniqueConstraint(fields=["article_pk", "number"], name="one_revision_number_per_article")]
        indexes = [
            # A topic's page, A to Z: its live articles are found along this in order, by their
            # live revisions, rather than all of them sorted for each page.
            models.Index(models.F("topic"), Lower("title"), "article_pk", name="revision_topic_title"),
        ]

    def __str__(self):
        return f"Revision {self.number} of “{self.title}”"

    def get_absolute_url(self):
        return reverse("admin:articles_article_revision_preview", args=[self.article_pk, self.pk])

    def page(self):
        return Page(self.data)

    def prerender(self):
        """Render what readers see of this revision (unless this renderer already has) and
        store it; the snapshot is read here, and never again for its public page."""
        if self.rendered_by == renderer():
            return
        context = {"page": self.page(), "slug": self.slug}
        self.body_html = render_to_string(BODY_TEMPLATE, context)
        self.references_html = render_to_string(REFERENCES_TEMPLATE, context)
        self.structured_data = structured_data.of_revision(context["page"])
        self.cited_source_ids = [reference.source.id for reference in context["page"].references]
        self.topic_name = context["page"].topic
        self.rendered_by = renderer()
        fields = ["body_html", "references_html", "structured_data", "cited_source_ids", "topic_name", "rendered_by"]
        type(self).objects.filter(pk=self.pk).update(**{name: getattr(self, name) for name in fields})

    def make_page(self, article):
        """Make and store the page readers are shown of ``article``, live as this revision, with
        its latest sign-off and related articles; return ``(page_html, page_meta)``. The site's
        address (scheme and host) is left as ``page_meta["marker"]``, for each request's own."""
        made_at = pagecache.now()  # before anything is read: a change committed after is newer
        self.prerender()
        review = article.last_review(up_to=self)
        related = type(article).objects.related_to(article, RELATED_ARTICLES)
        marker = f"clonus-origin-{secrets.token_hex(8)}"
        context = {
            "article": article,
            "object": article,
            "page": self,
            "revision": self,
            "topic": self.topic,
            "topic_name": self.topic_name,
            "review": review,
            "related": related,
            "origin": marker,
            "structured_data": structured_data.script(structured_data.medical_web_page(article, self, review, marker)),
        }
        self.page_html = render_to_string("articles/article_detail.html", context)
        self.page_meta = {
            "marker": marker,
            "tags": sorted(self.page_tags(article, related)),
            "made_at": made_at,
            "epoch": pagecache.epoch(),
            "renderer": page_renderer(),
        }
        type(self).objects.filter(pk=self.pk).update(page_html=self.page_html, page_meta=self.page_meta)
        return self.page_html, self.page_meta

    def cited_pks(self):
        """The pks of the sources it cites: stored when it was prerendered, else read."""
        return self.cited_source_ids if self.rendered_by else list(self.sources.values_list("pk", flat=True))

    @staticmethod
    def page_is_current(html, meta):
        """Whether a stored page (``readers_page()``) may be served as it is."""
        return (
            bool(html)
            and meta.get("renderer") == page_renderer()
            and pagecache.fresh(meta["tags"], meta["made_at"], meta["epoch"])
        )

    def page_tags(self, article, related):
        """What the page shows: the article, its topic and sources (names and addresses), and
        what could change its related articles, which are articles going live on its topic or
        citing its sources."""
        tags = {article.cache_tag, *(other.cache_tag for other in related)}
        if self.topic_id:
            tags.update([f"topic-{self.topic_id}", f"topic-{self.topic_id}-articles"])
        for pk in self.cited_source_ids:
            tags.update([f"source-{pk}", f"source-{pk}-citers"])
        return tags

    def prerendered_body(self):
        self.prerender()
        return mark_safe(self.body_html)

    def prerendered_references(self):
        self.prerender()
        return mark_safe(self.references_html)

    def content_problems(self):
        """What in this revision's content would mislead readers, as sentences."""
        return content_problems(self.data)
