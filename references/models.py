import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower

from .vancouver import format_reference, initials

#: A citation key as editors type it in a mark: ``[@elwes1985]``.
KEY_PATTERN = r"[a-z0-9][a-z0-9_-]*"

#: Words of a search beyond these are ignored: each adds a condition on every source.
MAX_SEARCH_WORDS = 6

DOI_PREFIXES = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def normalize_doi(value):
    """Reduce any common spelling of a DOI (a link, ``doi:…``) to the bare DOI.

    The case is kept as the publisher wrote it; DOIs are case-insensitive, so uniqueness is
    held on the lower-cased value.
    """
    return DOI_PREFIXES.sub("", value.strip()).strip()


class SourceQuerySet(models.QuerySet):
    def cited_in(self, article):
        return self.filter(citations__section__article=article).distinct()

    def search(self, text):
        """Sources matching every word of ``text`` in their key, title, authors' family names,
        year, DOI or PMID; those whose key starts with the first word come first. With no words
        (the picker before anything is typed), the sources added last."""
        words = text.replace("@", " ").split()[:MAX_SEARCH_WORDS]
        if not words:
            return self.order_by("-created", "-pk")
        queryset = self
        for word in words:
            match = models.Q(key__istartswith=word) | models.Q(title__icontains=word)
            if not any(c.isdigit() for c in word):  # years, PMIDs and DOIs: no family name has digits
                # An uncorrelated subquery: the database reads the authors once, not once a source.
                match |= models.Q(pk__in=Author.objects.filter(family__icontains=word).values("source"))
            if word.isdigit():
                match |= models.Q(pmid=word) | (models.Q(year=int(word)) if len(word) == 4 else models.Q())
            if (doi := normalize_doi(word)).startswith("10."):
                match |= models.Q(doi__istartswith=doi)
            queryset = queryset.filter(match)
        first_in_key = models.Case(models.When(key__istartswith=words[0], then=0), default=1)
        return queryset.order_by(first_in_key, "key")


class Source(models.Model):
    class Kind(models.TextChoices):
        # Values are CSL types, so that CSL-JSON import and export map one to one.
        JOURNAL_ARTICLE = "article-journal", "Journal article"
        BOOK = "book", "Book"
        CHAPTER = "chapter", "Book chapter"
        REPORT = "report", "Guideline or report"
        WEBPAGE = "webpage", "Web page"

    key = models.CharField(
        "citation key",
        max_length=64,
        unique=True,
        validators=[
            RegexValidator(
                f"^{KEY_PATTERN}$",
                "Use lower-case letters, digits, hyphens and underscores, e.g. elwes1985.",
            )
        ],
        help_text="What editors type to cite this source: [@elwes1985]. Lower case, no spaces.",
    )
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.JOURNAL_ARTICLE)
    title = models.CharField(max_length=500)
    container_title = models.CharField(
        "journal or book",
        max_length=300,
        blank=True,
        help_text="Journal (NLM abbreviation, e.g. “Lancet”) or the book a chapter is in.",
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    volume = models.CharField(max_length=30, blank=True)
    issue = models.CharField(max_length=30, blank=True)
    pages = models.CharField(max_length=30, blank=True, help_text="For example 752-3.")
    publisher = models.CharField(max_length=200, blank=True, help_text="For books and reports: “Place: Publisher”.")
    doi = models.CharField(
        "DOI",
        max_length=200,
        blank=True,
        help_text="Bare (10.1016/…) or as a link; stored bare.",
    )
    pmid = models.CharField(
        "PMID",
        max_length=12,
        blank=True,
        validators=[RegexValidator(r"^\d+$", "A PubMed ID is digits only.")],
    )
    authors_incomplete = models.BooleanField(
        "author list is incomplete",
        default=False,
        help_text="Tick when only the first authors are known: the reference then ends them with “et al”.",
    )
    url = models.URLField("URL", max_length=500, blank=True)
    accessed = models.DateField(null=True, blank=True, help_text="For web pages: when the page was last checked.")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(
                Lower("doi"),
                condition=~models.Q(doi=""),
                name="unique_doi_when_set",
                violation_error_message="Another source already has this DOI.",
            ),
            models.UniqueConstraint(
                fields=["pmid"],
                condition=~models.Q(pmid=""),
                name="unique_pmid_when_set",
                violation_error_message="Another source already has this PMID.",
            ),
        ]

    def __str__(self):
        return f"{self.key}: {self.title}"

    def save(self, *args, **kwargs):
        self.doi = normalize_doi(self.doi)
        super().save(*args, **kwargs)

    def clean(self):
        # Normalise before validate_constraints() compares DOIs.
        self.doi = normalize_doi(self.doi)
        if self.pk and self.citations.filter(in_text=True).exclude(source__key=self.key).exists():
            # Marks in section texts name the key; renaming it would orphan them.
            raise ValidationError({"key": "Sections cite this source by its key, so the key cannot change."})

    @property
    def doi_url(self):
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self):
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""

    def picker_label(self):
        """How the citation picker lists the source: "Elwes RDC · 1985 · Title · Journal"."""
        authors = list(self.authors.all())
        first = f"{authors[0].family} {initials(authors[0].given)}".strip() if authors else ""
        if len(authors) > 1:
            first += " et al"
        return " · ".join(str(part) for part in (first, self.year, self.title, self.container_title) if part)

    def vancouver(self):
        """The reference as HTML in the NLM/Vancouver style (authors must be prefetched)."""
        return format_reference(self)


class Author(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="authors")
    position = models.PositiveSmallIntegerField(default=0)
    family = models.CharField(max_length=200, help_text="Family name, or an organisation's full name.")
    given = models.CharField(max_length=100, blank=True, help_text="Initials without full stops (RDC), or given names.")

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.family} {self.given}".strip()


class Citation(models.Model):
    """A source backing one section of an article.

    Rows with ``in_text`` come from the section's citation marks and are kept in sync with them
    when the section is saved; the others cite the section as a whole and are listed after it.
    """

    section = models.ForeignKey("articles.Section", on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    locator = models.CharField(max_length=50, blank=True, help_text="Pages or figure cited, e.g. p. 753.")
    note = models.CharField(max_length=300, blank=True, help_text="Shown to editors only.")
    in_text = models.BooleanField(
        "cited in the text",
        default=False,
        editable=False,
        help_text="Set from the citation marks in the section's text.",
    )
    position = models.PositiveIntegerField(default=0, editable=False)
    mark_count = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["section", "-in_text", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "source"],
                name="one_citation_per_source_and_section",
                violation_error_message="This section already cites that source.",
            )
        ]

    def __str__(self):
        return f"{self.source.key} in “{self.section}”"
