"""When two sources are merged (``Source.merge_into()``), the articles that cited the merged one.

Marks that name the merged key are rewritten to the survivor's, and each article concerned gets
a new revision saying so: a draft, so live pages stay as published until someone publishes
again. The merge goes into the audit log once for each article it touched.
"""

from .marks import with_key_renamed
from .models import Article, AuditEntry, Revision, Section


def rewrite_merged_marks(sender, source, into, sections, user=None, **kwargs):
    """Receiver of ``references.signals.source_merged``."""
    # Sections citing the source, and any whose text names its key without a citation yet (a
    # bare save() skips unknown keys; a key can also have been typed since).
    concerned = Section.objects.filter(pk__in=sections) | Section.objects.filter(body__icontains=f"@{source.key}")
    articles = set()
    for section in concerned.select_related("article"):
        body = with_key_renamed(section.body, source.key, into.key)
        if body != section.body:
            section.body = body
            section.save()
        elif section.pk not in sections:
            continue  # "@key" only began a longer key, or stood in code
        articles.add(section.article_id)
    message = f"Source “{source.key}” merged into “{into.key}”"
    for article in Article.objects.filter(pk__in=articles).order_by("pk"):
        revision = Revision.objects.record(article, user, message=message)
        AuditEntry.record(AuditEntry.Action.MERGE, user, article, revision, detail=message)
    if not articles:
        AuditEntry.record(AuditEntry.Action.MERGE, user, None, detail=f"{message}; no article cited it")
