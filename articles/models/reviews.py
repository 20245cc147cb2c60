from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class ReviewQuerySet(models.QuerySet):
    def signed_off(self):
        return self.filter(outcome=Review.Outcome.SIGNED_OFF)


class Review(models.Model):
    """A medical reviewer's verdict on one revision."""

    class Outcome(models.TextChoices):
        SIGNED_OFF = "signed-off", "Signed off"
        CHANGES_REQUESTED = "changes", "Changes requested"

    revision = models.ForeignKey("Revision", on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    reviewed_on = models.DateField(default=timezone.localdate)
    outcome = models.CharField(max_length=20, choices=Outcome)
    comment = models.TextField(
        blank=True, help_text="Required when asking for changes: say what must change."
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_on", "-id"]

    def __str__(self):
        return f"{self.get_outcome_display()} by {self.reviewer_name} on {self.reviewed_on}"

    def clean(self):
        if self.outcome == self.Outcome.CHANGES_REQUESTED and not self.comment.strip():
            raise ValidationError({"comment": "Say what has to change."})

    @property
    def reviewer_name(self):
        return self.reviewer.get_full_name() or self.reviewer.get_username()

    @property
    def next_review_due(self):
        return self.reviewed_on + settings.CLONUS_REVIEW_INTERVAL
