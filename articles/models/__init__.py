from .articles import Article, ArticleQuerySet, PublishRefused, TimeStampedModel, Topic
from .audit import AuditEntry
from .reviews import Review
from .revisions import Revision
from .sections import Section

__all__ = [
    "Article", "ArticleQuerySet", "AuditEntry", "PublishRefused", "Review", "Revision",
    "Section", "TimeStampedModel", "Topic",
]  # fmt: skip
