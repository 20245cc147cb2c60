from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from clonus import pagecache

from .audit import AuditEntry


class ReviewQuerySet(models.QuerySet):
    def signed_off(self):
        return self.filter(outcome=Review.Outcome.SIGNED_OFF)

    def verdict(self):
        """The review recorded last: a later "changes requested" withdraws an earlier sign-off."""
        return self.select_related("reviewer").order_by("-created", "-pk").first()

    @transaction.atomic
    def record(self, revision, reviewer, outcome, comment="", reviewed_on=None):
        """Record ``reviewer``'s verdict on ``revision`` in the audit log too; raise
        ``ValidationError`` if the review breaks a rule of ``Review.clean()``."""
        review = self.model(
            revision=revision,
            reviewer=reviewer,
            outcome=outcome,
            comment=comment.strip(),
            reviewed_on=reviewed_on or timezone.localdate(),
        )
        review.full_clean()
        review.save()
        detail = review.get_outcome_display() + (f": {review.comment}" if review.comment else "")
        AuditEntry.record(AuditEntry.Action.REVIEW, reviewer, revision.article, revision, detail)
        if revision.article:  # a live page shows its latest sign-off
            pagecache.invalidate([revision.article.cache_tag])
        return review


class Review(models.Model):
    """A medical reviewer's verdict on one revision.

    A reviewer may not sign off a revision they saved themselves: clinical review is a second
    pair of eyes. They may still ask for changes to it.
    """

    class Outcome(models.TextChoices):
        SIGNED_OFF = "signed-off", "Signed off"
        CHANGES_REQUESTED = "changes", "Changes requested"

    revision = models.ForeignKey("Revision", on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField(default=timezone.localdate)
    outcome = models.CharField(max_length=20, choices=Outcome)
    comment = models.TextField(blank=True, help_text="Required when asking for changes: say what must change.")
    created = models.DateTimeField(auto_now_add=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_on", "-id"]

    def __str__(self):
        return f"{self.get_outcome_display()} by {self.reviewer_name} on {self.reviewed_on}"

    def clean(self):
        errors = {}
        if self.outcome == self.Outcome.CHANGES_REQUESTED and not self.comment.strip():
            errors["comment"] = "Say what has to change."
        saved_on = timezone.localdate(self.revision.created_at) if self.revision_id else None
        if self.reviewed_on and self.reviewed_on > timezone.localdate():
            errors["reviewed_on"] = "A review cannot be dated in the future."
        elif self.reviewed_on and saved_on and self.reviewed_on < saved_on:
            errors["reviewed_on"] = "This revision did not exist yet on that day."
        if self.outcome == self.Outcome.SIGNED_OFF and self.is_by_author:
            errors["outcome"] = "You saved this revision yourself: another reviewer must sign it off."
        if errors:
            raise ValidationError(errors)

    @property
    def is_by_author(self):
        return bool(self.revision_id and self.reviewer_id) and self.revision.created_by_id == self.reviewer_id

    @property
    def reviewer_name(self):
        return self.reviewer.get_full_name() or self.reviewer.get_username()

    @property
    def next_review_due(self):
        return self.reviewed_on + settings.CLONUS_REVIEW_INTERVAL
