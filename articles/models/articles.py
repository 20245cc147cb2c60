from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from .audit import AuditEntry
from .reviews import Review


class TimeStampedModel(models.Model):
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PublishRefused(Exception):
    """Publishing would put unchecked content live; ``reasons`` says why, for the editor."""

    def __init__(self, reasons):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What readers see: articles with a live revision that has not expired."""
        return self.filter(live_revision__isnull=False).exclude(expire_at__lte=timezone.now())

    def review_overdue(self):
        cutoff = timezone.localdate() - settings.CLONUS_REVIEW_INTERVAL
        reviewed_since = models.Exists(
            Review.objects.signed_off().filter(
                revision__article_pk=models.OuterRef("pk"), reviewed_on__gt=cutoff
            )
        )
        return self.published().exclude(reviewed_since)


class Article(TimeStampedModel):
    """The working copy of an article: what editors change. Readers see ``live_revision``."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200, unique=True, help_text="The last part of the address: /articles/<slug>/."
    )
    summary = models.TextField(
        blank=True, help_text="One or two plain sentences, shown in lists and search results."
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="articles"
    )
    byline = models.CharField(
        max_length=200, blank=True, help_text="Who wrote it, as readers should see it."
    )
    published_at = models.DateTimeField(
        "first published", null=True, blank=True, editable=False
    )
    live_revision = models.ForeignKey(
        "Revision", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    live_since = models.DateTimeField(null=True, blank=True, editable=False)
    latest_revision = models.ForeignKey(
        "Revision", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    #: Bumped by every saved revision; a form holding an older number is stale.
    version = models.PositiveIntegerField(default=0, editable=False)
    scheduled_revision = models.ForeignKey(
        "Revision", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    publish_at = models.DateTimeField(null=True, blank=True, editable=False)
    expire_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created"]
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
    def is_live(self):
        return self.live_revision_id is not None and not (
            self.expire_at and self.expire_at <= timezone.now()
        )

    @property
    def has_unpublished_changes(self):
        return self.latest_revision_id != self.live_revision_id

    def draft_page(self):
        """The working copy as readers would see it, for staff preview."""
        from ..snapshots import Page, take

        return Page(take(self))

    def last_review(self, up_to=None):
        """The latest sign-off of this article (of ``up_to`` or an earlier revision)."""
        reviews = Review.objects.signed_off().filter(revision__article_pk=self.pk)
        if up_to is not None:
            reviews = reviews.filter(revision__number__lte=up_to.number)
        return reviews.select_related("reviewer", "revision").first()

    def publish_problems(self, revision):
        """Why ``revision`` may not go live, as sentences for the editor; empty if it may."""
        problems = revision.content_problems()
        if not revision.reviews.signed_off().exists():
            problems.append(f"Revision {revision.number} has no sign-off from a medical reviewer.")
        return problems

    @transaction.atomic
    def publish(self, revision, user, override_reason=""):
        """Make ``revision`` live, or raise ``PublishRefused``; a site admin may override."""
        problems = self.publish_problems(revision)
        if problems and not override_reason.strip():
            raise PublishRefused(problems)
        now = timezone.now()
        self.live_revision = revision
        self.live_since = now
        self.published_at = self.published_at or now
        self.scheduled_revision = self.publish_at = None
        if self.expire_at and self.expire_at <= now:
            self.expire_at = None
        self.save(update_fields=["live_revision", "live_since", "published_at", "scheduled_revision", "publish_at", "expire_at"])
        if problems:
            AuditEntry.record(
                AuditEntry.Action.OVERRIDE, user, self, revision,
                f"{override_reason.strip()} (checks overridden: {' '.join(problems)})",
            )
        AuditEntry.record(AuditEntry.Action.PUBLISH, user, self, revision)

    @transaction.atomic
    def unpublish(self, user):
        self.live_revision = None
        self.expire_at = None
        self.save(update_fields=["live_revision", "expire_at"])
        AuditEntry.record(AuditEntry.Action.UNPUBLISH, user, self)

    @transaction.atomic
    def schedule(self, revision, user, publish_at=None, expire_at=None):
        """Publish ``revision`` at ``publish_at`` and/or take the article down at ``expire_at``."""
        if publish_at:
            problems = self.publish_problems(revision)
            if problems:
                raise PublishRefused(problems)
        self.scheduled_revision = revision if publish_at else None
        self.publish_at = publish_at
        self.expire_at = expire_at
        self.save(update_fields=["scheduled_revision", "publish_at", "expire_at"])
        when = ", ".join(
            f"{label} {moment:%Y-%m-%d %H:%M %Z}"
            for label, moment in (("publish", publish_at), ("expire", expire_at))
            if moment
        )
        AuditEntry.record(AuditEntry.Action.SCHEDULE, user, self, revision, when)

