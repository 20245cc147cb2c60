"""The editor's live preview: a section as readers will see it, numbered within its article.

The article form sends every section as typed, in the order shown; a section's own page sends
one, which takes its place among the article's saved sections. Nothing is saved.
"""

from dataclasses import dataclass

from django.utils.html import format_html

from references.models import Citation, Source

from . import markdown
from .citations import ReferenceList, draft_sections, preview_html
from .models import Section
from .models.sections import MAX_BODY

#: More sections than any article has: a request with more is not the article form's.
MAX_SECTIONS = 500


@dataclass
class Typed:
    """A section as the editor sent it."""

    body: str
    id: int | None = None


class ArticlePreview:
    def __init__(self, sections, current=0, sent=None):
        self.sections = sections
        self.current = current
        #: The indexes of the sections the editor sent, whose previews it wants.
        self.sent = list(range(len(sections))) if sent is None else sent

    @classmethod
    def from_text(cls, body):
        return cls([Typed(body)])

    @classmethod
    def from_json(cls, data):
        """``{"sections": [{"id": 3, "body": "…"}, …], "article": 1}``: with ``"article"`` and
        one section, the others are read from the article as saved."""
        sections = [Typed(str(s["body"]), int(s["id"]) if s.get("id") else None) for s in data["sections"]]
        if not 0 < len(sections) <= MAX_SECTIONS:
            raise ValueError(f"A preview is of 1 to {MAX_SECTIONS} sections.")
        if data.get("article") and len(sections) == 1:
            saved = Section.objects.filter(article_id=int(data["article"])).values_list("id", "body")
            typed = sections[0]
            sections = [typed if typed.id == pk else Typed(body, pk) for pk, body in saved]
            if typed not in sections:
                sections.append(typed)
            current = sections.index(typed)
            return cls(sections, current, sent=[current])
        return cls(sections)

    def html(self):
        """The current section's preview."""
        return self.previews()[self.current]

    def sent_previews(self):
        previews = self.previews()
        return [previews[n] for n in self.sent]

    def previews(self):
        """Every section's preview, in order: one edit can renumber the sections after it."""
        rendered = [
            (f"s{n}", markdown.render(s.body if len(s.body) <= MAX_BODY else ""), s.id)
            for n, s in enumerate(self.sections)
        ]
        keys = {key for _, r, _ in rendered for key in r.keys}
        named = Source.objects.by_key(keys)  # a merged source's key names the survivor
        # With their references, formatted now (and not saved) where the stored one is out of date.
        ready = Source.objects.filter(pk__in=[source.pk for source in named.values()]).with_references()
        ready = {source.pk: source for source in ready}
        sources = {key: ready[source.pk] for key, source in named.items()}
        saved = [s.id for s in self.sections if s.id]
        whole = {}
        for citation in (
            Citation.objects.filter(section_id__in=saved, in_text=False)
            .select_related("source")
            .prefetch_related("source__authors")
        ):
            whole.setdefault(citation.section_id, []).append(citation)
        sections = draft_sections(rendered, sources, whole)
        references = ReferenceList(sections)
        return [
            preview_html(section, references) if len(typed.body) <= MAX_BODY else too_long(typed.body)
            for section, typed in zip(sections, self.sections, strict=True)
        ]


def too_long(body):
    return format_html(
        '<p class="preview-error" role="alert">A section holds at most {} characters and this one has {}: '
        "split it into several sections.</p>",
        f"{MAX_BODY:,}",
        f"{len(body):,}",
    )
