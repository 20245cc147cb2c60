"""Vancouver numbering: sources are numbered in the order the article first cites them.

Everything here works on sections read from a snapshot (``articles.snapshots.Page``), so an
article page costs the same few queries whatever its size.
"""

from collections import Counter
from dataclasses import dataclass, field
from html import unescape

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from .markdown import ERROR_PLACEHOLDER, PLACEHOLDER, Placeholder, citation_anchor, link_citations, located


@dataclass
class Reference:
    number: int
    source: object
    #: (fragment, section) for every place in the article that cites the source.
    backlinks: list = field(default_factory=list)

    def labelled_backlinks(self):
        """(fragment, section, label): "↩" for a single place, a, b, c… for several."""
        if len(self.backlinks) == 1:
            return [(*self.backlinks[0], "↩")]
        return [(*link, label(n)) for n, link in enumerate(self.backlinks)]


def label(n):
    """0 → a, 25 → z, 26 → aa: Wikipedia's back-link letters."""
    letters = ""
    n += 1
    while n:
        n, remainder = divmod(n - 1, 26)
        letters = chr(ord("a") + remainder) + letters
    return letters


@dataclass
class SectionPage:
    section: object
    html: str
    #: References for the section as a whole (citations without a mark), in number order.
    cited_as_whole: list


def whole_section_anchor(section, key):
    return f"cite-{section.anchor}-{key}"


class ReferenceList:
    """The numbered references of an article and its sections with their marks linked.

    ``sections`` are in reading order, each with a list of ``citations`` in-text first, by
    first mark, then those of the section as a whole.
    """

    def __init__(self, sections):
        self.sections = list(sections)
        self.references = []
        self.by_key = {}
        for section in self.sections:
            for citation in section.citations:
                self._cite(section, citation)

    def __iter__(self):
        return iter(self.references)

    def __len__(self):
        return len(self.references)

    def _cite(self, section, citation):
        key = citation.source.key
        if key not in self.by_key:
            self.by_key[key] = Reference(len(self.references) + 1, citation.source)
            self.references.append(self.by_key[key])
        reference = self.by_key[key]
        if citation.in_text:
            for nth in range(1, citation.mark_count + 1):
                reference.backlinks.append((citation_anchor(section.anchor, key, nth), section))
        else:
            reference.backlinks.append((whole_section_anchor(section, key), section))

    @property
    def numbers(self):
        return {key: reference.number for key, reference in self.by_key.items()}

    def pages(self):
        numbers = self.numbers
        for section in self.sections:
            cited_as_whole = [
                (self.by_key[c.source.key], whole_section_anchor(section, c.source.key))
                for c in section.citations
                if not c.in_text
            ]
            html = link_citations(section.body_html, numbers, section.anchor)
            yield SectionPage(section, html, cited_as_whole)


# The editor's preview: one section as readers will see it, numbered within the whole article.


@dataclass
class DraftCitation:
    source: object
    in_text: bool
    mark_count: int = 0


@dataclass
class DraftSection:
    """A section as typed in the editor, not yet saved: what ``ReferenceList`` reads."""

    anchor: str
    rendered: object
    citations: list = field(default_factory=list)

    @property
    def body_html(self):
        return self.rendered.html


def draft_sections(rendered_sections, sources, whole_citations):
    """``DraftSection``s for (anchor, ``Rendered``, section id) triples: the marks' citations
    (known keys only) and, for saved sections, their citations of the section as a whole."""
    sections = []
    for anchor, rendered, section_id in rendered_sections:
        marked = [key for key in rendered.keys if key in sources]
        marks_citing = Counter(key for mark in rendered.marks for key in set(mark.keys))
        citations = [DraftCitation(sources[key], True, marks_citing[key]) for key in marked]
        citations += [
            DraftCitation(c.source, False) for c in whole_citations.get(section_id, []) if c.source.key not in marked
        ]
        sections.append(DraftSection(anchor, rendered, citations))
    return sections


def preview_html(section, references):
    """The section's HTML with numbers, locators and each reference on hover and focus; a
    mark naming no source or not parsing is flagged in words; the section's references below."""
    numbers = references.numbers
    tips = {}

    def cite_html(cite):
        if cite.key not in numbers:
            return problem_html(f"[@{cite.key}]", f"no source has the key “{cite.key}”")
        reference = references.by_key[cite.key]
        tip = escape(f"tip-{section.anchor}-{cite.key}-{len(tips)}")
        tips[tip] = reference
        # Formatted by hand, not by format_html(): a preview can hold thousands of marks.
        return (
            f"{escape(cite.prefix + ' ') if cite.prefix else ''}"
            f'<a href="#preview-{escape(section.anchor)}-ref-{reference.number}" aria-describedby="{tip}">'
            f"{reference.number}</a>{escape(located(cite))}"
            f'<span class="reference-tip" role="tooltip" id="{tip}">{reference.source.reference_html()}</span>'
        )

    def mark(match):
        cites = sorted(Placeholder.read(match).cites, key=lambda c: numbers.get(c.key, len(numbers) + 1))
        return f'<sup class="citation">{",".join(cite_html(cite) for cite in cites)}</sup>'

    html = PLACEHOLDER.sub(mark, section.body_html)
    html = ERROR_PLACEHOLDER.sub(lambda m: problem_html(unescape(m[2]), unescape(m[1])), html)
    cited = sorted(
        {c.source.key: references.by_key[c.source.key] for c in section.citations}.values(), key=lambda r: r.number
    )
    listed = format_html_join(
        "",
        '<li value="{}" id="preview-{}-ref-{}">{}</li>',
        ((r.number, section.anchor, r.number, r.source.reference_html()) for r in cited),
    )
    if cited:
        listed = format_html(
            '<h4 class="preview-references-heading">References in this section</h4><ol class="preview-references">{}</ol>',
            listed,
        )
    return mark_safe(html + listed)


def problem_html(written, reason):
    return format_html(
        '<mark class="citation-problem"><span class="problem-icon" aria-hidden="true">⚠ </span>{}'
        '<span class="problem-reason"> — {}</span></mark>',
        written,
        reason,
    )
