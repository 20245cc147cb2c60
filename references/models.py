import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator, URLValidator
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils.safestring import mark_safe

from clonus import pagecache

from . import csl, formatting, identifiers
from .identifiers import normalize_doi, normalize_pmid
from .signals import source_merged

#: A citation key as editors type it in a mark: ``[@elwes1985]``.
KEY_PATTERN = r"[a-z0-9][a-z0-9_-]*"

#: Words of a search beyond these are ignored: each adds a condition on every source.
MAX_SEARCH_WORDS = 6

#: The URL schemes a source's link may have: anything else (``javascript:``, ``data:``) could
#: run or show something on a public page. Held by a database constraint as well as the form.
URL_SCHEMES = ("http://", "https://")


def title_key(title):
    """A title as duplicates are compared: letters and digits only, accents and case dropped.

    "Prognosis after a first untreated tonic–clonic seizure." and "PROGNOSIS AFTER A FIRST
    UNTREATED TONIC-CLONIC SEIZURE" have the same key.
    """
    letters = "".join(c for c in unicodedata.normalize("NFKD", title) if not unicodedata.combining(c))
    return " ".join(re.findall(r"[^\W_]+", letters.casefold()))


def initials(given):
    """``"Richard D. C."`` → ``"RDC"``; initials already written as such are kept."""
    given = given.strip()
    if not given or re.fullmatch(r"[A-Z]{1,4}", given):
        return given
    return "".join(part[0].upper() for part in re.split(r"[\s.\-]+", given) if part)


def set_references(sources, style, records=None):
    """Format the references of ``sources`` in ``style`` in one call of the CSL processor and set
    them on the instances, unsaved. ``records`` stand in for sources not saved yet, whose
    authors are not rows (``Source.record(authors, editors)``)."""
    records = records or [source.record() for source in sources]
    references = formatting.format_items([csl.item(record) for record in records], style)
    for source in sources:
        source.reference, source.reference_style = references[source.key], style


class SourceQuerySet(models.QuerySet):
    def current(self):
        """Sources that have not been merged into another: those to cite, list and search."""
        return self.filter(merged_into=None)

    def cited_in(self, article):
        return self.filter(citations__section__article=article).distinct()

    def by_key(self, keys):
        """``{key: source}`` for those of ``keys`` that name a source. The key of a source merged
        into another names the survivor, so that a mark written before the merge still cites."""
        found = self.filter(key__in=keys).select_related("merged_into")
        return {source.key: source.merged_into or source for source in found}

    def for_picker(self):
        """What the picker shows of each source (``picker_label()``) and no more: sorting whole
        rows, abstracts and formatted references included, costs more than the search."""
        return self.only("key", "title", "year", "container_title").prefetch_related("authors")

    def duplicates(self, doi="", pmid="", title="", year=None, family=""):
        """Current sources that are the same work: the same DOI, the same PMID, or the same title
        (compared by ``title_key``), year and first author's family name."""
        same = models.Q(pk__in=[])
        if doi := normalize_doi(doi):
            same |= models.Q(doi=doi)
        if pmid := normalize_pmid(pmid):
            same |= models.Q(pmid=pmid)
        if title and year and family:
            first_authors = Author.objects.filter(role=Author.Role.AUTHOR, family__iexact=family.strip())
            same |= models.Q(year=year, pk__in=first_authors.values("source"))
        key = title_key(title)
        return [
            source
            for source in self.current().filter(same).prefetch_related("authors")
            if (doi and source.doi == doi)
            or (pmid and source.pmid == pmid)
            or (title_key(source.title) == key and source.first_family().casefold() == family.strip().casefold())
        ]

    def with_references(self, style=None):
        """These sources, authors prefetched, each with its reference in ``style``: as stored, or
        formatted now where the stored one is missing or in another style, without saving it
        (for reading, as the editor's preview does; a save of the article stores it)."""
        style = style or formatting.current_style()
        sources = list(self.prefetch_related("authors"))
        if stale := [source for source in sources if source.reference_style != style or not source.reference]:
            set_references(stale, style)
        return sources

    def stale(self, style=None):
        """Sources whose stored reference is not in ``style`` (the setting's, by default)."""
        style = style or formatting.current_style()
        return self.filter(~models.Q(reference_style=style) | models.Q(reference=""))

    def format_references(self, style=None):
        """Format these sources' references in ``style`` in one run of the CSL processor, and
        store them. Sources are formatted when they change, never when a page is read."""
        style = style or formatting.current_style()
        sources = list(self.prefetch_related("authors"))
        set_references(sources, style)
        with transaction.atomic():
            # One plain UPDATE a row: bulk_update()'s CASE statements cost more than the rows.
            for source in sources:
                Source.objects.filter(pk=source.pk).update(reference=source.reference, reference_style=style)
        return sources

    def search(self, text):
        """Sources matching every word of ``text`` in their key, title, authors' family names,
        year, DOI or PMID; those whose key starts with the first word come first. With no words
        (the picker before anything is typed), the sources added last."""
        words = text.replace("@", " ").split()[:MAX_SEARCH_WORDS]
        queryset = self.current()
        if not words:
            return queryset.order_by("-created", "-pk")
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


class Links:
    """Where a source's identifiers lead, for anything with ``doi``, ``pmid`` and ``pmcid``: a
    ``Source``, or a revision's copy of one."""

    @property
    def doi_url(self):
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def pubmed_url(self):
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""

    @property
    def pmc_url(self):
        return f"https://pmc.ncbi.nlm.nih.gov/articles/{self.pmcid}/" if self.pmcid else ""


class Source(Links, models.Model):
    class Kind(models.TextChoices):
        # Values are CSL types, so that CSL-JSON import and export map one to one.
        JOURNAL_ARTICLE = "article-journal", "Journal article"
        BOOK = "book", "Book"
        CHAPTER = "chapter", "Book chapter"
        REPORT = "report", "Guideline or report"
        WEBPAGE = "webpage", "Web page"
        CONFERENCE_PAPER = "paper-conference", "Conference paper"
        THESIS = "thesis", "Thesis"

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
    month = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    day = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    volume = models.CharField(max_length=30, blank=True)
    issue = models.CharField(max_length=30, blank=True)
    pages = models.CharField(max_length=30, blank=True, help_text="For example 752-3.")
    publisher = models.CharField(max_length=200, blank=True, help_text="For books and reports.")
    publisher_place = models.CharField("place of publication", max_length=200, blank=True)
    doi = models.CharField(
        "DOI",
        max_length=200,
        blank=True,
        validators=[identifiers.validate_doi],
        help_text="Bare (10.1016/…) or as a link; stored bare, in lower case.",
    )
    pmid = models.CharField("PMID", max_length=12, blank=True, validators=[identifiers.validate_pmid])
    pmcid = models.CharField(
        "PMCID", max_length=16, blank=True, validators=[identifiers.validate_pmcid], help_text="For example PMC3531190."
    )
    isbn = models.CharField(
        "ISBN", max_length=17, blank=True, validators=[identifiers.validate_isbn], help_text="ISBN-10 or ISBN-13."
    )
    authors_incomplete = models.BooleanField(
        "author list is incomplete",
        default=False,
        help_text="Tick when only the first authors are known: the reference then ends them with “et al”.",
    )
    url = models.URLField("URL", max_length=500, blank=True, validators=[URLValidator(schemes=["http", "https"])])
    accessed = models.DateField(null=True, blank=True, help_text="For web pages: when the page was last checked.")
    abstract = models.TextField(blank=True)
    language = models.CharField(max_length=35, blank=True, help_text="A language tag, e.g. en or en-GB.")
    #: Set when a site admin merged this source into another; its key then leads there.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="merged",
        db_index=False,  # a partial index below: an index of all rows would lead "merged_into IS NULL" astray
    )
    #: The reference in ``reference_style``, as sanitised HTML: formatted when the source changes.
    reference = models.TextField(blank=True, editable=False)
    reference_style = models.CharField(max_length=100, blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["key"]
        permissions = [("merge_source", "Can merge duplicate sources")]
        indexes = [
            models.Index(fields=["merged_into"], condition=~models.Q(merged_into=None), name="source_merged_into")
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("doi"),
                condition=~models.Q(doi="") & models.Q(merged_into=None),
                name="unique_doi_when_set",
                violation_error_message="Another source already has this DOI.",
            ),
            models.UniqueConstraint(
                fields=["pmid"],
                condition=~models.Q(pmid="") & models.Q(merged_into=None),
                name="unique_pmid_when_set",
                violation_error_message="Another source already has this PMID.",
            ),
            models.CheckConstraint(
                condition=models.Q(url="")
                | models.Q(url__startswith=URL_SCHEMES[0])
                | models.Q(url__startswith=URL_SCHEMES[1]),
                name="url_is_http_or_https",
                violation_error_message="A source’s URL must start with http:// or https://.",
            ),
        ]

    def __str__(self):
        return f"{self.key}: {self.title}"

    def save(self, *args, **kwargs):
        self.normalize()
        super().save(*args, **kwargs)
        pagecache.invalidate([self.cache_tag])

    @property
    def cache_tag(self):
        """Carried by every kept page that shows this source (``clonus.pagecache``)."""
        return f"source-{self.pk}"

    def normalize(self):
        for name, normalize in identifiers.NORMALIZERS.items():
            setattr(self, name, normalize(getattr(self, name)))

    def clean_fields(self, exclude=None):
        # Identifiers are checked, and compared with other sources', as they will be stored.
        self.normalize()
        super().clean_fields(exclude)

    def clean(self):
        if self.pk and self.citations.filter(in_text=True).exclude(source__key=self.key).exists():
            # Marks in section texts name the key; renaming it would orphan them.
            raise ValidationError({"key": "Sections cite this source by its key, so the key cannot change."})

    @transaction.atomic
    def merge_into(self, survivor, user=None):
        """Let ``survivor`` stand for this source everywhere, losing nothing.

        The survivor takes this source's citations and, where its own are blank, its fields and
        authors; this source stays, marked as merged, so that its key leads to the survivor and
        revisions that cite it still read it. Receivers of ``source_merged`` rewrite the marks
        that name this key. Returns the names of the survivor's fields filled from this source.
        """
        survivor = Source.objects.select_for_update().get(pk=survivor.pk)
        merged = Source.objects.select_for_update().get(pk=self.pk)
        if merged.pk == survivor.pk:
            raise ValueError("A source cannot be merged into itself.")
        if merged.merged_into_id or survivor.merged_into_id:
            raise ValueError("One of these sources has already been merged into another.")
        # First out of the way of the survivor's unique DOI and PMID, then anything merged into
        # this source before follows it, so that a key leads to its survivor in one step.
        Source.objects.filter(pk__in=[merged.pk, *merged.merged.values_list("pk", flat=True)]).update(
            merged_into=survivor
        )
        self.merged_into = survivor
        filled = [
            field.attname
            for field in self._meta.concrete_fields
            if field.editable
            and field.attname != "key"
            and field.value_from_object(survivor) in (None, "", False)
            and field.value_from_object(merged) not in (None, "", False)
        ]
        for name in filled:
            setattr(survivor, name, getattr(merged, name))
        survivor.save()
        if not survivor.authors.exists():
            merged.authors.update(source=survivor)
        sections = list(merged.citations.values_list("section", flat=True))
        for citation in merged.citations.all():
            already = survivor.citations.filter(section=citation.section_id).first()
            if already is None:
                citation.source = survivor
                citation.save(update_fields=["source"])
            else:  # the section cited both: one citation, keeping what either says
                already.locator, already.note = already.locator or citation.locator, already.note or citation.note
                already.save(update_fields=["locator", "note"])
                citation.delete()
        source_merged.send(sender=Source, source=merged, into=survivor, sections=sections, user=user)
        survivor.format_reference()
        return filled

    def first_family(self):
        """The first author's family name, or "" (authors must be prefetched for many sources)."""
        first = next((a for a in self.authors.all() if a.role == Author.Role.AUTHOR), None)
        return first.family if first else ""

    def reference_html(self):
        """The formatted reference, as stored when the source last changed."""
        return mark_safe(self.reference)

    def format_reference(self, style=None):
        """Format and store this source's reference (after its authors are saved)."""
        (formatted,) = Source.objects.filter(pk=self.pk).format_references(style)
        self.reference, self.reference_style = formatted.reference, formatted.reference_style

    def picker_label(self):
        """How the citation picker lists the source: "Elwes RDC · 1985 · Title · Journal"."""
        authors = [a for a in self.authors.all() if a.role == Author.Role.AUTHOR]
        first = f"{authors[0].family} {initials(authors[0].given)}".strip() if authors else ""
        if len(authors) > 1:
            first += " et al"
        return " · ".join(str(part) for part in (first, self.year, self.title, self.container_title) if part)

    def record(self, authors=None, editors=None):
        """The source as plain data: every field by name, with ``authors`` and ``editors`` as
        ``[family, given]`` pairs in order (prefetch ``authors`` for many sources; a source not
        saved yet is given its ``authors`` and ``editors``).

        Revisions keep sources in this shape (``articles.snapshots``); ``references.csl`` reads it.
        """
        record = {"id": self.pk}
        for field in self._meta.concrete_fields:
            if not (field.primary_key or getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)):
                record[field.attname] = field.value_from_object(self)
        if authors is None:
            people = list(self.authors.all())
            authors = [[a.family, a.given] for a in people if a.role == Author.Role.AUTHOR]
            editors = [[a.family, a.given] for a in people if a.role == Author.Role.EDITOR]
        return {**record, "authors": authors, "editors": editors or []}


class Author(models.Model):
    """A person or organisation named on a source: as its author, or as editor of the book a
    chapter is in. Authors and editors are each listed in ``position`` order."""

    class Role(models.TextChoices):
        AUTHOR = "author", "Author"
        EDITOR = "editor", "Editor"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="authors")
    position = models.PositiveSmallIntegerField(default=0)
    role = models.CharField(max_length=10, choices=Role, default=Role.AUTHOR)
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
