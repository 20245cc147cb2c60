"""Vancouver numbering: sources are numbered in the order the article first cites them.

Everything here works on sections read from a snapshot (``articles.snapshots.Page``), so an
article page costs the same few queries whatever its size.
"""

from dataclasses import dataclass, field

from .markdown import citation_anchor, link_citations


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
