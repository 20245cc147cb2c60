from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.text import slugify
from markdownx.models import MarkdownxField

from references.models import Citation, Source

from .. import markdown
from ..problems import MAX_REPORTED, Problem, html_problems

#: The longest section body, in characters: about 15,000 words, far more than any section needs.
MAX_BODY = 100_000


class Section(models.Model):
    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(
        "order", default=0, help_text="Sections are shown from the lowest number up."
    )
    heading = models.CharField(max_length=200, help_text="Phrase it as the reader's question: “What causes clonus?”")
    anchor = models.SlugField(
        max_length=80,
        blank=True,
        help_text="The #fragment that links to this section; made from the heading if empty.",
    )
    body = MarkdownxField(
        blank=True,
        help_text=(
            "Markdown. Cite a source right after the claim it supports: type [@ and pick it, or "
            "write [@elwes1985], [@elwes1985; @boyer2005], [@elwes1985, p. 752] or "
            "[see @elwes1985]. Use ### for sub-headings."
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

    def clean(self):
        if len(self.body) > MAX_BODY:
            raise ValidationError(
                {
                    "body": ValidationError(
                        "A section holds at most %(max)s characters and this one has %(length)s: split it into "
                        "several sections.",
                        params={"max": f"{MAX_BODY:,}", "length": f"{len(self.body):,}"},
                        code="too_long",
                    )
                }
            )
        rendered = markdown.render(self.body)
        errors = [
            ValidationError("%(error)s", params={"error": str(error)}, code="malformed_citation")
            for error in rendered.errors[:MAX_REPORTED]
        ]
        if len(rendered.errors) > MAX_REPORTED:
            errors.append(ValidationError(f"… and {len(rendered.errors) - MAX_REPORTED} more marks like these."))
        known = Source.objects.by_key(rendered.keys)
        unknown = [key for key in rendered.keys if key not in known]
        if unknown:
            errors.append(
                ValidationError(
                    "No source has the key %(keys)s. Add the source first, or correct the mark.",
                    params={"keys": ", ".join(f"“{key}”" for key in unknown)},
                    code="unknown_citation_key",
                )
            )
        if errors:
            raise ValidationError({"body": errors})

    def problems(self):
        """What would stop this section's article from going live, as of the last save.

        Citations are read with ``citations.all()``: prefetch ``citations__source`` for many.
        """
        cited = {citation.source.key for citation in self.citations.all()}
        problems = [] if cited else [Problem(f"Section “{self.heading}” cites no source.", self.pk)]
        return problems + html_problems(self.heading, self.body_html, cited, self.pk)

    def unique_anchor(self):
        base = slugify(self.heading)[:70] or "section"
        taken = set(
            Section.objects.filter(article_id=self.article_id).exclude(pk=self.pk).values_list("anchor", flat=True)
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
        order = list(dict.fromkeys(key for mark in marks for key in mark.keys))
        sources = Source.objects.by_key(order)  # clean() reports unknown keys; a bare save() skips them
        # Source pk → [position of its first mark, source, marks citing it]. Two keys can name one
        # source (a merged key and its survivor's): it is cited once.
        cited = {}
        for position, key in enumerate(order):
            if key in sources:
                cited.setdefault(sources[key].pk, [position, sources[key], 0])
        for mark in marks:
            for pk in {sources[key].pk for key in mark.keys if key in sources}:
                cited[pk][2] += 1
        existing = {c.source_id: c for c in self.citations.all()}
        keep = set(cited)
        for position, source, count in cited.values():
            citation = existing.get(source.pk) or Citation(section=self, source=source)
            wanted = (True, position, count)
            if citation.pk and (citation.in_text, citation.position, citation.mark_count) == wanted:
                continue
            citation.in_text, citation.position, citation.mark_count = wanted
            citation.save()
        stale = [c.pk for c in existing.values() if c.in_text and c.source_id not in keep]
        Citation.objects.filter(pk__in=stale).delete()
