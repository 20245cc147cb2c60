"""Publishing state and actions: what readers see of an article, and how that changes.

As Wagtail's ``DraftStateMixin``, one abstract model holds the fields and the actions, and one
QuerySet the lists; ``Article`` takes both. Each action locks the article row, re-reads the
publishing state and makes its checks inside one transaction, so two people publishing at once
queue up, and a refused or failed action leaves the row exactly as it was. The instance is only
updated once the change is made.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format

from clonus import pagecache

from .audit import AuditEntry
from .reviews import Review
from .search import SearchEntry

#: What publishing, unpublishing and scheduling change.
PUBLISHING_FIELDS = [
    "live_revision",
    "live_since",
    "published_at",
    "scheduled_revision",
    "publish_at",
    "expire_at",
]


class PublishRefused(Exception):
    """Publishing would put unchecked content live; ``reasons`` says why, for the editor."""

    def __init__(self, reasons):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


class Status(models.TextChoices):
    """Where an article stands, as the admin list, its filter and every workflow page say it."""

    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted for review"
    SCHEDULED = "scheduled", "Scheduled"
    LIVE = "live", "Live"
    CHANGED = "changed", "Live, with unpublished changes"
    EXPIRED = "expired", "Expired"

    @property
    def is_live(self):
        return self in (Status.LIVE, Status.CHANGED)


class PublishingQuerySet(models.QuerySet):
    def published(self):
        """What readers see: articles with a live revision that has not expired."""
        return self.filter(live_revision__isnull=False).exclude(expire_at__lte=timezone.now())

    def with_status(self, status):
        """The articles whose ``status`` is ``status``: the property's rules, in SQL."""
        live = models.Q(live_revision__isnull=False)
        expired = live & models.Q(expire_at__lte=timezone.now())
        unchanged = models.Q(latest_revision=models.F("live_revision"))
        scheduled = ~live & models.Q(publish_at__isnull=False)
        submitted = ~live & ~scheduled & models.Q(latest_revision__submitted_at__isnull=False)
        condition = {
            Status.EXPIRED: expired,
            Status.LIVE: live & ~expired & unchanged,
            Status.CHANGED: live & ~expired & ~unchanged,
            Status.SCHEDULED: scheduled,
            Status.SUBMITTED: submitted,
            Status.DRAFT: ~live & ~scheduled & ~submitted,
        }[Status(status)]
        return self.filter(condition)

    def next_expiry(self):
        """When the next live article is due to expire, or None."""
        live = self.filter(live_revision__isnull=False, expire_at__gt=timezone.now())
        return live.aggregate(next=models.Min("expire_at"))["next"]

    def schedule_due(self, now):
        """Articles with a scheduled publish or expiry whose time has come by ``now``."""
        return self.filter(models.Q(publish_at__lte=now) | models.Q(expire_at__lte=now)).select_related(
            "scheduled_revision"
        )


class PublishingMixin(models.Model):
    """A live revision for readers, a schedule, and the actions that change them."""

    published_at = models.DateTimeField("first published", null=True, blank=True, editable=False)
    live_revision = models.ForeignKey(
        "Revision", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    live_since = models.DateTimeField(null=True, blank=True, editable=False)
    scheduled_revision = models.ForeignKey(
        "Revision", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    publish_at = models.DateTimeField(null=True, blank=True, editable=False)
    expire_at = models.DateTimeField(null=True, blank=True, editable=False)

    Status = Status

    class Meta:
        abstract = True

    @property
    def is_live(self):
        return self.live_revision_id is not None and not (self.expire_at and self.expire_at <= timezone.now())

    @property
    def has_unpublished_changes(self):
        return self.latest_revision_id != self.live_revision_id

    @property
    def status(self):
        """The article's ``Status``; ``PublishingQuerySet.with_status()`` finds it in SQL."""
        if self.is_live:
            return Status.CHANGED if self.has_unpublished_changes else Status.LIVE
        if self.live_revision_id is not None:
            return Status.EXPIRED
        if self.publish_at is not None:
            return Status.SCHEDULED
        if self.latest_revision_id and self.latest_revision.submitted_at:
            return Status.SUBMITTED
        return Status.DRAFT

    def lock(self):
        """Lock this article's row until the transaction ends and reload its publishing state."""
        self.refresh_from_db(
            fields=PUBLISHING_FIELDS,
            from_queryset=type(self).objects.select_for_update(of=("self",)),
        )

    def publish_problems(self, revision):
        """Why ``revision`` may not go live, as sentences for the editor; empty if it may."""
        if revision.article_pk != self.pk:
            raise ValueError(f"{revision} is not a revision of “{self}”.")
        problems = revision.content_problems()
        verdict = revision.reviews.verdict()
        if verdict is None:
            problems.append(f"Revision {revision.number} has no sign-off from a medical reviewer.")
        elif verdict.outcome != Review.Outcome.SIGNED_OFF:
            problems.append(
                f"Revision {revision.number} was returned by {verdict.reviewer_name} on "
                f"{date_format(verdict.reviewed_on, 'j F Y')} with changes requested: “{verdict.comment}”"
            )
        return problems

    def publish(self, revision, user, override_reason="", detail=""):
        """Make ``revision`` live now, replacing any scheduled publish, or raise
        ``PublishRefused`` with the reasons. With an ``override_reason`` it goes live despite
        them, and the reason is recorded; who may override is the caller's to check."""
        override_reason = override_reason.strip()
        with transaction.atomic():
            self.lock()
            problems = self.publish_problems(revision)
            if problems and not override_reason:
                raise PublishRefused(problems)
            now = timezone.now()
            changes = self._write(
                live_revision=revision,
                live_since=now,
                published_at=self.published_at or now,
                scheduled_revision=None,
                publish_at=None,
                # An expiry that has passed would hide what is being published.
                expire_at=self.expire_at if self.expire_at and self.expire_at > now else None,
            )
            SearchEntry.objects.index(self, revision)
            revision.prerender()
            self.pages_changed(self.live_revision, revision)
            if problems:
                overridden = f"{override_reason} (checks overridden: {' '.join(problems)})"
                AuditEntry.record(AuditEntry.Action.OVERRIDE, user, self, revision, overridden)
            AuditEntry.record(AuditEntry.Action.PUBLISH, user, self, revision, detail)
        self._set(changes)

    def unpublish(self, user, detail=""):
        """Take the article off the site; return False if it was not on it."""
        with transaction.atomic():
            self.lock()
            revision = self.live_revision
            if revision is None:
                return False
            changes = self._write(live_revision=None, live_since=None, expire_at=None)
            SearchEntry.objects.remove(self)
            self.pages_changed(revision)
            AuditEntry.record(AuditEntry.Action.UNPUBLISH, user, self, revision, detail)
        self._set(changes)
        return True

    def check_schedule(self, publish_at, expire_at, now=None):
        """Raise ``ValidationError`` (by field) unless the times make a schedule that can happen."""
        now = now or timezone.now()
        errors = {}
        if publish_at is None and expire_at is None:
            raise ValidationError("Give a time to publish, a time to expire, or both.")
        if publish_at is not None and publish_at <= now:
            errors["publish_at"] = "Choose a time in the future."
        if expire_at is not None and expire_at <= now:
            errors["expire_at"] = "Choose a time in the future."
        elif expire_at is not None and publish_at is not None and expire_at <= publish_at:
            errors["expire_at"] = "The article would expire before it is published: choose a later time."
        elif expire_at is not None and publish_at is None and self.live_revision_id is None:
            errors["expire_at"] = "The article is not live, so there is nothing to expire: give a time to publish too."
        if errors:
            raise ValidationError(errors)

    def schedule(self, revision, user, publish_at=None, expire_at=None):
        """Replace the schedule: publish ``revision`` at ``publish_at`` and/or take the article
        down at ``expire_at``. Raises ``ValidationError`` for impossible times and
        ``PublishRefused`` if the revision could not be published now (it is checked again
        when its time comes)."""
        with transaction.atomic():
            self.lock()
            self.check_schedule(publish_at, expire_at)
            if publish_at and revision is None:
                raise ValidationError({"revision": "Choose the revision to publish."})
            if publish_at and (problems := self.publish_problems(revision)):
                raise PublishRefused(problems)
            scheduled = revision if publish_at else None
            changes = self._write(scheduled_revision=scheduled, publish_at=publish_at, expire_at=expire_at)
            self.pages_changed(self.live_revision)  # kept no longer than its new expiry
            when = ", ".join(
                f"{label} at {timezone.localtime(moment):%Y-%m-%d %H:%M %Z}"
                for label, moment in (("publish", publish_at), ("expire", expire_at))
                if moment
            )
            AuditEntry.record(AuditEntry.Action.SCHEDULE, user, self, scheduled, when)
        self._set(changes)

    def cancel_schedule(self, user):
        with transaction.atomic():
            self.lock()
            if not (self.publish_at or self.expire_at):
                return False
            changes = self._write(scheduled_revision=None, publish_at=None, expire_at=None)
            self.pages_changed(self.live_revision)
            AuditEntry.record(AuditEntry.Action.SCHEDULE, user, self, None, "schedule cancelled")
        self._set(changes)
        return True

    def carry_out_schedule(self, now):
        """Do what the schedule says should have happened by ``now``.

        The scheduled revision is checked again before it goes live; a refused one stays
        scheduled, so that it is tried again once fixed. Returns two lists of sentences: what
        was done, and what was refused.
        """
        done, refused = [], []
        with transaction.atomic():
            self.lock()
            publish_due = self.publish_at is not None and self.publish_at <= now
            expire_due = self.expire_at is not None and self.expire_at <= now
            revision = self.scheduled_revision
            if publish_due and revision is None:  # cannot happen unless rows were deleted by hand
                self._set(self._write(publish_at=None))
                publish_due = False
                refused.append(f"Dropped the scheduled publish of “{self}”: its revision no longer exists.")
            if publish_due and expire_due:
                # Both times passed while nothing ran: the revision's time on the site is over.
                self._set(self._write(scheduled_revision=None, publish_at=None))
                skipped = f"Skipped publishing revision {revision.number} of “{self}”: its expiry has passed too."
                AuditEntry.record(AuditEntry.Action.SCHEDULE, None, self, revision, skipped)
                done.append(skipped)
            elif publish_due:
                try:
                    self.publish(revision, None, detail="as scheduled")
                    done.append(f"Published revision {revision.number} of “{self}”.")
                except PublishRefused as refusal:
                    refused.append(f"Refused to publish revision {revision.number} of “{self}”: {refusal}")
            if expire_due and self.unpublish(None, detail="expired as scheduled"):
                done.append(f"Unpublished “{self}”: it expired.")
            elif expire_due:
                self._set(self._write(expire_at=None))
        return done, refused

    def pages_changed(self, *revisions):
        """Drop the kept pages that show this article as any of ``revisions`` shows it (once the
        transaction commits): its own, the lists, its topic's, its sources', and articles whose
        related articles it may be among; and keep no page past the next expiry."""
        tags = {self.cache_tag, "articles", "sources"}
        for revision in filter(None, revisions):
            if revision.topic_id:
                tags.add(f"topic-{revision.topic_id}-articles")
            tags.update(f"source-{pk}-citers" for pk in revision.cited_pks())
        pagecache.invalidate(tags)
        pagecache.set_deadline(type(self).objects.next_expiry())

    def _write(self, **changes):
        """Write ``changes`` to the locked row; the caller sets them on the instance once the
        transaction has committed them (``_set``)."""
        type(self).objects.filter(pk=self.pk).update(**changes)
        return changes

    def _set(self, changes):
        for name, value in changes.items():
            setattr(self, name, value)
