from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    """Who did what to which article, and when. Entries outlive the article they name."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "Submitted for review"
        REVIEW = "review", "Reviewed"
        PUBLISH = "publish", "Published"
        UNPUBLISH = "unpublish", "Unpublished"
        SCHEDULE = "schedule", "Scheduled"
        RESTORE = "restore", "Restored a revision"
        RECOVER = "recover", "Recovered a deleted article"
        DELETE = "delete", "Deleted"
        OVERRIDE = "override", "Overrode publishing checks"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=20, choices=Action)
    article = models.ForeignKey("Article", on_delete=models.SET_NULL, null=True, related_name="audit_entries")
    article_pk = models.PositiveBigIntegerField(db_index=True)
    article_title = models.CharField(max_length=200)
    revision = models.ForeignKey("Revision", on_delete=models.SET_NULL, null=True, related_name="+")
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit log"

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user or '—'}: {self.get_action_display()} “{self.article_title}”"

    @classmethod
    def record(cls, action, user, article, revision=None, detail=""):
        return cls.objects.create(
            action=action,
            user=user if user and user.is_authenticated else None,
            article=article if article.pk else None,
            article_pk=article.pk or 0,
            article_title=article.title,
            revision=revision,
            detail=detail,
        )
