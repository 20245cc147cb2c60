"""The one way Markdown becomes HTML in Clonus, for the public page and the editor preview alike.

``render(text)`` turns a section's Markdown into sanitized HTML in which each citation mark
(``[@elwes1985]`` or ``[@elwes1985; @smith2001]``) is a placeholder element. Sections store that
HTML when saved. Numbers depend on the whole article (Vancouver numbering follows the order of
first citation), so ``link_citations()`` fills them in when a page is shown: a single regular
expression pass, not a Markdown render.
"""

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import markdown
import nh3
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

from references.models import KEY_PATTERN, Source

MARK_PATTERN = rf"\[(@{KEY_PATTERN}(?:\s*[;,]\s*@{KEY_PATTERN})*)\]"
# Leading white space goes with the mark: the superscript number sits right after the claim.
PLACEHOLDER = re.compile(r'[ \t]*<sup class="citation-mark" data-cite="([^"<>]*)">[^<]*</sup>')

ALLOWED_TAGS = set(
    "a abbr b blockquote br code dd del dl dt em h3 h4 h5 h6 hr i img ins li ol p pre strong "
    "sub sup table tbody td th thead tr ul".split()
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "sup": {"data-cite"},
    "td": {"align"},
    "th": {"align"},
}
ALLOWED_CLASSES = {"sup": {"citation-mark"}}
URL_SCHEMES = {"http", "https", "mailto"}
#: How deep blocks may nest (a list level counts twice, a quote once); see NestingLimitExtension.
MAX_NESTING = 20


@dataclass
class Rendered:
    html: str
    #: The keys of each citation mark, in the order the marks stand in the text.
    marks: list = field(default_factory=list)

    @property
    def keys(self):
        """Every cited key once, in order of first citation."""
        return list(dict.fromkeys(key for mark in self.marks for key in mark))


class CitationMarkProcessor(InlineProcessor):
    def handleMatch(self, match, data):
        keys = list(dict.fromkeys(re.findall(rf"@({KEY_PATTERN})", match.group(1))))
        self.md.citation_marks.append(keys)
        element = etree.Element("sup", {"class": "citation-mark", "data-cite": " ".join(keys)})
        element.text = match.group(0)
        return element, match.start(0), match.end(0)


class CitationExtension(Extension):
    def extendMarkdown(self, md):
        md.citation_marks = []
        # Above links (160) so that [@key] is never read as a link; below code spans (190) so
        # that a mark shown in `code` stays code.
        md.inlinePatterns.register(CitationMarkProcessor(MARK_PATTERN, md), "citation_mark", 175)

    def reset(self):
        pass


class NestingLimitExtension(Extension):
    """Stop nesting blocks (lists, quotes) at MAX_NESTING levels.

    Python-Markdown parses each nested block by recursion: a few hundred levels of list raise
    RecursionError, and deep quotes cost time quadratic in their depth. No article needs more
    than a handful of levels; text nested deeper than the limit stays a plain paragraph.
    """

    def extendMarkdown(self, md):
        parse_blocks = md.parser.parseBlocks
        depth = 0

        def parse_limited(parent, blocks):
            nonlocal depth
            if depth >= MAX_NESTING:
                etree.SubElement(parent, "p").text = "\n\n".join(blocks)
                blocks.clear()
                return
            depth += 1
            try:
                parse_blocks(parent, blocks)
            finally:
                depth -= 1

        # Block processors call md.parser.parseBlocks for every nested block.
        md.parser.parseBlocks = parse_limited


def render(text):
    """Markdown → sanitized HTML with citation placeholders, and the marks found."""
    md = markdown.Markdown(
        extensions=["tables", "fenced_code", "sane_lists", CitationExtension(), NestingLimitExtension()],
        extension_configs={"tables": {"use_align_attribute": True}},
    )
    # A str can hold lone surrogates (json.loads('"\\ud800"') makes one), which nh3 refuses.
    html = md.convert((text or "").encode("utf-8", "replace").decode())
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        strip_comments=True,
    )
    return Rendered(html=clean, marks=md.citation_marks)


def link_citations(html, numbers, anchor):
    """Replace each placeholder with superscript numbers linking to the reference list.

    ``numbers`` maps keys to reference numbers; each link gets the id
    ``cite-<anchor>-<key>-<n>`` (the n-th mark of that key in the section) for the reference
    list to link back to.
    """
    seen = {}

    def link(key):
        seen[key] = seen.get(key, 0) + 1
        return format_html(
            '<a href="#ref-{n}" id="{id}"><span class="visually-hidden">reference </span>{n}</a>',
            n=numbers[key],
            id=citation_anchor(anchor, key, seen[key]),
        )

    def replace(match):
        keys = sorted((key for key in match.group(1).split() if key in numbers), key=numbers.get)
        if not keys:
            return ""
        return f'<sup class="citation">{",".join(link(key) for key in keys)}</sup>'

    return mark_safe(PLACEHOLDER.sub(replace, html))


def citation_anchor(section_anchor, key, nth):
    return f"cite-{section_anchor}-{key}-{nth}"


def render_preview(text):
    """The editor's live preview: the public rendering, with keys in place of numbers."""
    rendered = render(text)
    known = set(Source.objects.filter(key__in=rendered.keys).values_list("key", flat=True))

    def replace(match):
        return format_html(
            '<sup class="citation">[{}]</sup>',
            format_html_join(
                "; ",
                '<span class="{}" title="{}">{}</span>',
                (
                    ("", "", key) if key in known else ("citation-unknown", "No source has this key", key)
                    for key in match.group(1).split()
                ),
            ),
        )

    return PLACEHOLDER.sub(replace, rendered.html)
