from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from markdownx.models import MarkdownxField

from references.models import Citation, Source

from . import markdown
from .citations import ReferenceList


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


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def visible_to(self, user):
        """What ``user`` may read: everything for staff (preview), published articles otherwise."""
        return self.all() if user.is_staff else self.published()


class Article(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

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
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publication date",
        null=True,
        blank=True,
        help_text="Set when the article is first published; a future date keeps it hidden until then.",
    )
    medical_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_articles",
        help_text="The clinician who checked the article. Readers see their full name.",
    )
    last_reviewed = models.DateField(
        null=True, blank=True, help_text="When the medical reviewer last checked the article."
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="published_article_has_date",
                violation_error_message="A published article needs a publication date.",
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        # Before constraints are validated: publishing without a date means "now".
        self.set_publication_date()

    def save(self, *args, **kwargs):
        self.set_publication_date()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:article-detail", kwargs={"slug": self.slug})

    def set_publication_date(self):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def reviewer_name(self):
        reviewer = self.medical_reviewer
        return (reviewer.get_full_name() or reviewer.get_username()) if reviewer else ""

    def reference_list(self):
        """The article's sections, citation marks linked, and its numbered references."""
        citations = Citation.objects.select_related("source").prefetch_related("source__authors")
        sections = self.sections.prefetch_related(Prefetch("citations", queryset=citations))
        return ReferenceList(sections)


class Section(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(
        "order", default=0, help_text="Sections are shown from the lowest number up."
    )
    heading = models.CharField(
        max_length=200, help_text="Phrase it as the reader's question: “What causes clonus?”"
    )
    anchor = models.SlugField(
        max_length=80,
        blank=True,
        help_text="The #fragment that links to this section; made from the heading if empty.",
    )
    body = MarkdownxField(
        blank=True,
        help_text=(
            "Markdown. Cite a source right after the claim it supports: [@elwes1985], or "
            "several at once: [@elwes1985; @smith2001]. Use ### for sub-headings."
        ),
    )
    body_html = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            # Blank anchors are filled in from the heading on save; leaving them out of the
            # constraint lets a form hold several new sections that have none yet.
            models.UniqueConstraint(
                fields=["article", "anchor"],
                condition=~models.Q(anchor=""),
                name="unique_anchor_per_article",
                violation_error_message="Another section of this article has this anchor.",
            )
        ]

    def __str__(self):
        return self.heading

    def clean(self):
        rendered = markdown.render(self.body)
        known = set(Source.objects.filter(key__in=rendered.keys).values_list("key", flat=True))
        unknown = [key for key in rendered.keys if key not in known]
        if unknown:
            raise ValidationError(
                {
                    "body": ValidationError(
                        "No source has the key %(keys)s. Add the source first, or correct the mark.",
                        params={"keys": ", ".join(f"“{key}”" for key in unknown)},
                        code="unknown_citation_key",
                    )
                }
            )

    def save(self, *args, **kwargs):
        if not self.anchor:
            self.anchor = self.unique_anchor()
        rendered = markdown.render(self.body)
        self.body_html = rendered.html
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.sync_citations(rendered.marks)

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    def unique_anchor(self):
        base = slugify(self.heading)[:70] or "section"
        taken = set(
            Section.objects.filter(article_id=self.article_id)
            .exclude(pk=self.pk)
            .values_list("anchor", flat=True)
        )
        anchor, n = base, 1
        while anchor in taken:
            n += 1
            anchor = f"{base}-{n}"
        return anchor

    def sync_citations(self, marks):
        """Make this section's in-text citations exactly those its marks name.

        Citations added by hand (the section as a whole) are kept; a hand-made citation whose
        source gets a mark becomes an in-text one, keeping its locator and note.
        """
        order = list(dict.fromkeys(key for mark in marks for key in mark))
        counts = {key: sum(key in mark for mark in marks) for key in order}
        sources = Source.objects.in_bulk(order, field_name="key")
        existing = {c.source_id: c for c in self.citations.all()}
        keep = set()
        for position, key in enumerate(order):
            source = sources.get(key)
            if source is None:  # clean() reports unknown keys; a bare save() skips them.
                continue
            keep.add(source.pk)
            citation = existing.get(source.pk) or Citation(section=self, source=source)
            wanted = (True, position, counts[key])
            if citation.pk and (citation.in_text, citation.position, citation.mark_count) == wanted:
                continue
            citation.in_text, citation.position, citation.mark_count = wanted
            citation.save()
        stale = [c.pk for c in existing.values() if c.in_text and c.source_id not in keep]
        Citation.objects.filter(pk__in=stale).delete()

    def rendered_body(self, numbers):
        return markdown.link_citations(self.body_html, numbers, self.anchor)
