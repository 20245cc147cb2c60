"""An article frozen as JSON, and everything done with one: reading it, checking it, restoring it.

A snapshot holds the article's own fields, its sections in order (with the HTML rendered when
they were saved) and their citations, and every cited source's bibliographic record with its
formatted reference. Readers are served from the live revision's snapshot alone, so what they
see cannot change until someone publishes, and a page costs the same few queries at any size.

Fields are written and read by name from the models' ``_meta``, and every read has a default:
a snapshot taken before a migration added a field still shows, compares and restores (the field
keeps the value it has now, or its default on a recovered article).
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe

from references.models import Author, Citation, Links, Source

from . import markdown
from .citations import ReferenceList
from .marks import with_key_renamed
from .problems import Problem, html_problems

SCHEMA = 1
SECTION_FIELDS = ["position", "heading", "anchor", "body", "body_html"]
CITATION_FIELDS = ["locator", "note", "in_text", "position", "mark_count"]


def model_fields(model):
    """The fields a snapshot keeps: all but the key and the timestamps the database keeps."""
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and not getattr(f, "auto_now", False) and not getattr(f, "auto_now_add", False)
    ]


def article_fields(article):
    return [f for f in model_fields(type(article)) if f.editable]


def take(article):
    # Plain values where no model behaviour is needed: a save of a 30-section article should
    # not build hundreds of model instances. Sources are models, for their formatted reference.
    sections = {s["id"]: {**s, "citations": []} for s in article.sections.values("id", *SECTION_FIELDS)}
    citations = Citation.objects.filter(section__article=article).order_by("-in_text", "position", "id")
    for c in citations.values("section_id", "source_id", *CITATION_FIELDS):
        section_id, source_id = c.pop("section_id"), c.pop("source_id")
        sections[section_id]["citations"].append({"source": source_id, **c})
    cited = {c["source"] for section in sections.values() for c in section["citations"]}
    Source.objects.filter(pk__in=cited).stale().format_references()  # after a change of style
    sources = Source.objects.filter(pk__in=cited).prefetch_related("authors")
    return {
        "schema": SCHEMA,
        "article": {f.attname: f.value_from_object(article) for f in article_fields(article)},
        "topic": article.topic.name if article.topic_id else "",
        "sections": list(sections.values()),
        "sources": {str(source.pk): source.record() for source in sources},
    }


# Reading a snapshot: light objects with the attributes templates and ReferenceList use.


@dataclass
class SnapshotSource(Links):
    """A source as a revision recorded it (``Source.record()``)."""

    id: int
    record: dict

    @classmethod
    def read(cls, pk, record):
        return cls(int(pk), record)

    def __getattr__(self, name):  # key, title, doi, pmid, …: the record's fields, "" if missing
        if name.startswith("_"):
            raise AttributeError(name)
        return self.record.get(name) or ""

    def reference_html(self):
        return mark_safe(self.record.get("reference", ""))

    def get_kind_display(self):
        return dict(Source.Kind.choices).get(self.kind, self.kind)

    def get_absolute_url(self):
        return reverse("articles:source-detail", args=[self.key])


@dataclass
class SnapshotCitation:
    source: SnapshotSource
    in_text: bool
    position: int
    mark_count: int


@dataclass
class SnapshotSection:
    id: int
    position: int
    heading: str
    anchor: str
    body: str
    body_html: str
    citations: list = field(default_factory=list)


class Page:
    """One revision as readers see it."""

    def __init__(self, data):
        self.data = data
        article = data["article"]
        self.title = article.get("title", "")
        self.summary = article.get("summary", "")
        self.byline = article.get("byline", "")
        self.topic = data.get("topic", "")
        sources = {int(pk): SnapshotSource.read(pk, record) for pk, record in data.get("sources", {}).items()}
        self.sections = [
            SnapshotSection(
                id=s.get("id"),
                **section_fields(s),
                citations=[
                    SnapshotCitation(
                        sources[c["source"]], c.get("in_text", False), c.get("position", 0), c.get("mark_count", 0)
                    )
                    for c in s.get("citations", [])
                    if c.get("source") in sources
                ],
            )
            for s in data.get("sections", [])
        ]

    @cached_property
    def references(self):
        return ReferenceList(self.sections)

    def source(self, source_id):
        """The source ``source_id`` as this revision cites it, or None."""
        record = self.data.get("sources", {}).get(str(source_id))
        return SnapshotSource.read(source_id, record) if record else None

    def cited_records(self):
        """The records of the sources the article cites, in the order of its reference list."""
        return [reference.source.record for reference in self.references]

    def sections_citing(self, source_id):
        return [s for s in self.sections if any(c.source.id == source_id for c in s.citations)]


def section_fields(record):
    fields = {name: record.get(name, "") for name in SECTION_FIELDS}
    if "body_html" not in record:  # a snapshot older than stored HTML is rendered now
        fields["body_html"] = markdown.render(fields["body"]).html
    return fields


def content_problems(data):
    """Sentences (``Problem``) naming sections that cite nothing, marks that do not parse or
    point at nothing, and images with no description."""
    sources = data.get("sources", {})
    problems = []
    for section in data.get("sections", []):
        heading = section.get("heading", "")
        citations = section.get("citations", [])
        if not citations:
            problems.append(Problem(f"Section “{heading}” cites no source.", section.get("id")))
        cited = {sources.get(str(c["source"]), {}).get("key") for c in citations}
        html = section["body_html"] if "body_html" in section else markdown.render(section.get("body", "")).html
        problems += html_problems(heading, html, cited, section.get("id"))
    return problems


# Restoring a snapshot into the working copy.


def apply(data, article, keep_slug=False):
    """Make ``article`` and its sections exactly as in ``data``; return notices for the editor.

    Sections added since are deleted (they stay in history); deleted ones come back. A cited
    source deleted since is recreated from the snapshot; one changed since is kept as it is
    now, with a notice. No other article is touched. Callers hold a transaction: a snapshot
    that fails halfway leaves everything as it was.
    """
    notices = []
    for f in article_fields(article):
        if f.attname in data["article"] and not (keep_slug and f.attname == "slug"):
            setattr(article, f.attname, f.to_python(data["article"][f.attname]))
    if article.topic_id and not type(article).topic.field.related_model.objects.filter(pk=article.topic_id).exists():
        article.topic_id = None
        notices.append(f"The topic “{data.get('topic')}” no longer exists; the article has none.")
    article.save()

    sources = {int(pk): resolve_source(record, notices) for pk, record in data.get("sources", {}).items()}
    records = data.get("sections", [])
    keep = [s["id"] for s in records if "id" in s]
    article.sections.exclude(pk__in=keep).delete()
    existing = article.sections.in_bulk(keep)
    Section = article.sections.model
    # A section moved to another article since keeps its id there; this one comes back as a copy.
    elsewhere = Section.objects.filter(pk__in=keep).exclude(article=article).in_bulk()
    # Anchors must stay unique while sections are rewritten one by one.
    article.sections.update(anchor="")
    for record in records:
        section = existing.get(record.get("id"))
        if section is None:  # deleted since: it comes back under its old id
            moved = elsewhere.get(record.get("id"))
            section = Section(pk=None if moved else record.get("id"), article=article)
            if moved:
                notices.append(
                    f"The section “{moved.heading}” has moved to the article “{moved.article}” since; "
                    "a copy of it was restored here."
                )
        for name in SECTION_FIELDS:
            if name in record:
                setattr(section, name, record[name])
        section.body = rekey(section.body, record, sources, data.get("sources", {}))
        section.save()  # its in-text citations follow the restored marks
        restore_citations(section, record.get("citations", []), sources)
    return notices


def restore_citations(section, records, sources):
    """Give ``section`` the citations in ``records``: in-text ones were made from its marks on
    save and get their locator and note back; the others cite the section as a whole."""
    section.citations.filter(in_text=False).delete()
    marked = {c.source_id: c for c in section.citations.all()}
    whole = []
    for record in records:
        source = sources[record["source"]]
        locator, note = record.get("locator", ""), record.get("note", "")
        citation = marked.get(source.pk)
        if citation is None:
            whole.append(Citation(section=section, source=source, locator=locator, note=note))
        elif (citation.locator, citation.note) != (locator, note):
            citation.locator, citation.note = locator, note
            citation.save(update_fields=["locator", "note"])
    Citation.objects.bulk_create(whole)


#: Fields a source's record keeps that are not part of the work it describes.
BOOKKEEPING = {"merged_into_id", "reference", "reference_style"}


def resolve_source(record, notices):
    """The source a snapshot's record refers to now: the one it was merged into since, if any,
    or recreated if it was deleted."""
    source = Source.objects.filter(pk=record["id"]).select_related("merged_into").first()
    fields = {
        f.attname: record[f.attname]
        for f in model_fields(Source)
        if f.attname in record and f.attname not in BOOKKEEPING
    }
    if source is not None and source.merged_into:
        notices.append(
            f"The source “{source.key}” has been merged into “{source.merged_into.key}” since; the article cites that."
        )
        return source.merged_into
    if source is None:
        source = Source.objects.filter(key=record["key"]).first()
        if source is None:
            source = Source(id=record["id"], **fields)
            source.save()
            people = [(Author.Role.AUTHOR, pair) for pair in record.get("authors", [])]
            people += [(Author.Role.EDITOR, pair) for pair in record.get("editors", [])]
            Author.objects.bulk_create(
                Author(source=source, position=n, role=role, family=family, given=given)
                for n, (role, (family, given)) in enumerate(people)
            )
            source.format_reference()
            notices.append(f"The source “{record['key']}” had been deleted; it was recreated as it was then.")
            return source
    changed = [name for name, value in fields.items() if str(getattr(source, name)) != str(value)]
    if changed:
        notices.append(
            f"The source “{source.key}” has changed since this revision ({', '.join(changed)}); "
            "the article cites it as it is now."
        )
    return source


def rekey(body, record, sources, records):
    """Marks name sources by key; follow a key that changed since the snapshot (or a merge)."""
    for citation in record["citations"]:
        old = records.get(str(citation["source"]), {}).get("key")
        new = sources[citation["source"]].key
        if old and old != new:
            body = with_key_renamed(body, old, new)
    return body
