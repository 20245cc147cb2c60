from .articles import Article, ArticleQuerySet, TimeStampedModel, Topic
from .audit import AuditEntry
from .publishing import PublishingMixin, PublishingQuerySet, PublishRefused, Status
from .reviews import Review
from .revisions import Revision
from .search import SearchEntry, SearchEntryQuerySet, SearchTerm
from .sections import Section

__all__ = [
    "Article",
    "ArticleQuerySet",
    "AuditEntry",
    "PublishRefused",
    "PublishingMixin",
    "PublishingQuerySet",
    "Review",
    "Revision",
    "SearchEntry",
    "SearchEntryQuerySet",
    "SearchTerm",
    "Section",
    "Status",
    "TimeStampedModel",
    "Topic",
]
