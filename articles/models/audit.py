from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    """Who did what to which article, and when. Entries outlive the article they name.

    A merge of two sources that no article cites names no article.
    """

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
        MERGE = "merge", "Merged duplicate sources"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=20, choices=Action)
    article = models.ForeignKey("Article", on_delete=models.SET_NULL, null=True, related_name="audit_entries")
    article_pk = models.PositiveBigIntegerField(db_index=True, null=True, blank=True)
    article_title = models.CharField(max_length=200, blank=True)
    revision = models.ForeignKey("Revision", on_delete=models.SET_NULL, null=True, related_name="+")
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit log"

    def __str__(self):
        about = f"“{self.article_title}”" if self.article_pk is not None else self.detail
        return f"{self.at:%Y-%m-%d %H:%M} {self.user or '—'}: {self.get_action_display()} {about}"

    @classmethod
    def record(cls, action, user, article, revision=None, detail=""):
        return cls.objects.create(
            action=action,
            user=user if user and user.is_authenticated else None,
            article=article if article and article.pk else None,
            article_pk=(article.pk or 0) if article else None,
            article_title=article.title if article else "",
            revision=revision,
            detail=detail,
        )
