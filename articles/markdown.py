"""The one way Markdown becomes HTML in Clonus, for the public page and the editor preview alike.

``render(text)`` turns a section's Markdown (CommonMark with tables, by markdown-it-py) into
sanitized HTML in which each citation mark (see ``articles.marks``) is a placeholder element.
Sections store that HTML when saved. Numbers depend on the whole article (Vancouver numbering
follows the order of first citation), so ``link_citations()`` fills them in when a page is
shown: a single regular expression pass, not a Markdown render.

markdown-it-py rather than Python-Markdown: its parsing is linear in the length of the text,
where Python-Markdown takes seconds for a few kilobytes of unbalanced ``[`` (docs/decisions.md).
"""

import html
import json
import re
from dataclasses import dataclass, field

import nh3
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt, rules_inline

from . import marks
from .marks import MarkError

#: Placeholders for marks: ``data-cite`` holds the keys (all a revision saved before locators
#: has), ``data-items`` each cite's [prefix, key, label, locator] as JSON.
PLACEHOLDER = re.compile(
    r'[ \t]*<sup class="citation-mark" data-cite="([^"<>]*)"(?: data-items="([^"]*)")?>[^<]*</sup>'
)
#: A mark that does not parse, kept as the editor wrote it, with the reason.
ERROR_PLACEHOLDER = re.compile(r'<sup class="citation-error" data-error="([^"]*)">([^<]*)</sup>')

ALLOWED_TAGS = set(
    "a abbr b blockquote br code dd del dl dt em h3 h4 h5 h6 hr i img ins li ol p pre strong "
    "sub sup table tbody td th thead tr ul".split()
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "sup": {"data-cite", "data-items", "data-error"},
    "td": {"align"},
    "th": {"align"},
}
ALLOWED_CLASSES = {"sup": {"citation-mark", "citation-error"}}
URL_SCHEMES = {"http", "https", "mailto"}
#: How deep blocks may nest (a list level counts twice, a quote once): text nested deeper is
#: kept as a plain paragraph rather than parsed further.
MAX_NESTING = 20


@dataclass
class Rendered:
    html: str
    #: Each citation mark (``articles.marks.Mark``), in the order the marks stand in the text.
    marks: list = field(default_factory=list)
    #: Each mark that does not parse (``articles.marks.MarkError``), in order.
    errors: list = field(default_factory=list)

    @property
    def keys(self):
        """Every cited key once, in order of first citation."""
        return list(dict.fromkeys(key for mark in self.marks for key in mark.keys))


def citation_rule(state, silent):
    """markdown-it inline rule: a mark where ``[`` starts one (before links, after code spans)."""
    if state.src[state.pos] != "[":
        return False
    found = marks.match(state.src, state.pos, state.posMax)
    if found is None:
        return False
    result, end = found
    if not silent:
        if isinstance(result, MarkError):
            token = state.push("citation_error", "sup", 0)
            state.env.setdefault("mark_errors", []).append(result)
        else:
            token = state.push("citation_mark", "sup", 0)
            state.env.setdefault("citation_marks", []).append(result)
        token.meta = {"result": result}
        token.content = state.src[state.pos : end]
    state.pos = end
    return True


def render_mark(renderer, tokens, idx, options, env):
    mark = tokens[idx].meta["result"]
    items = [[c.prefix, c.key, c.label, c.locator] for c in mark.cites]
    return format_html(
        '<sup class="citation-mark" data-cite="{}"{}>{}</sup>',
        " ".join(mark.keys),
        format_html(' data-items="{}"', json.dumps(items)) if any(c.prefix or c.locator for c in mark.cites) else "",
        tokens[idx].content,
    )


def render_error(renderer, tokens, idx, options, env):
    return format_html(
        '<sup class="citation-error" data-error="{}">{}</sup>', tokens[idx].meta["result"].reason, tokens[idx].content
    )


def align_attribute(state):
    """Table cells say ``align="right"``, which the sanitizer keeps, instead of a style."""
    for token in state.tokens:
        style = token.attrGet("style") if token.type in ("th_open", "td_open") else None
        if style and style.startswith("text-align:"):
            del token.attrs["style"]
            token.attrSet("align", style.removeprefix("text-align:"))


def limit_nesting(parser):
    """Keep text nested deeper than MAX_NESTING as one paragraph.

    markdown-it drops it (its own limit is a guard against recursion, not a way to keep text);
    an editor's words are never dropped.
    """
    tokenize = parser.tokenize

    def limited(state, start, end):
        if state.level < MAX_NESTING:
            return tokenize(state, start, end)
        line = start
        while line < end and (state.isEmpty(line) or state.sCount[line] >= state.blkIndent):
            line += 1
        text = state.getLines(start, line, state.blkIndent, False).strip()
        if text:
            state.push("paragraph_open", "p", 1).map = [start, line]
            inline = state.push("inline", "", 0)
            inline.content, inline.map, inline.children = text, [start, line], []
            state.push("paragraph_close", "p", -1)
        state.line = line

    parser.tokenize = limited


def closed_later(rule):
    """``rule`` (link or image), failing at once at a "[" that no "]" follows.

    markdown-it looks for a link's label from every "[" to the end of the text, so a run of
    50,000 unclosed brackets costs seconds; without a "]" there is no label to find.
    """

    def rule_where_closed(state, silent):
        if "last ]" not in state.cache:
            state.cache["last ]"] = state.src.rfind("]")
        return state.cache["last ]"] > state.pos and rule(state, silent)

    return rule_where_closed


def make_parser():
    # Room for the paragraph limit_nesting() opens at MAX_NESTING, and no more: every level of
    # inline nesting allowed costs time on each unbalanced "[".
    md = MarkdownIt("commonmark", {"maxNesting": MAX_NESTING + 2}).enable("table")
    md.inline.ruler.before("link", "citation", citation_rule)
    md.inline.ruler.at("link", closed_later(rules_inline.link))
    md.inline.ruler.at("image", closed_later(rules_inline.image))
    md.core.ruler.push("align_attribute", align_attribute)
    md.add_render_rule("citation_mark", render_mark)
    md.add_render_rule("citation_error", render_error)
    limit_nesting(md.block)
    return md


PARSER = make_parser()


def render(text):
    """Markdown → sanitized HTML with citation placeholders, and the marks found."""
    env = {}
    # A str can hold lone surrogates (json.loads('"\\ud800"') makes one), which nh3 refuses.
    source = (text or "").encode("utf-8", "replace").decode().replace("\x00", "\ufffd")
    clean = nh3.clean(
        PARSER.render(source, env),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        strip_comments=True,
    )
    return Rendered(html=clean.strip(), marks=env.get("citation_marks", []), errors=env.get("mark_errors", []))


@dataclass(frozen=True)
class Placeholder:
    """A mark as stored in a section's HTML: its cites as (prefix, key, label, locator)."""

    cites: tuple

    @classmethod
    def read(cls, match):
        keys = match[1].split()
        try:
            items = json.loads(html.unescape(match[2])) if match[2] else [["", key, "", ""] for key in keys]
            cites = tuple(marks.Cite(key, label, locator, prefix) for prefix, key, label, locator in items)
        except (ValueError, TypeError):  # a forged placeholder: its keys alone
            cites = tuple(marks.Cite(key) for key in keys)
        return cls(cites)

    @property
    def keys(self):
        return [cite.key for cite in self.cites]


def placeholders(html_text):
    return [Placeholder.read(match) for match in PLACEHOLDER.finditer(html_text)]


def located(cite):
    """A locator in the AMA form that follows a superscript number: (p12), (pp3-5), (ch 2)."""
    if not cite.locator:
        return ""
    if cite.label in ("p.", "pp."):
        return f"({cite.label[:-1]}{cite.locator})"
    return f"({cite.label.rstrip('.')} {cite.locator})"


#: Locator labels in words, for the name a screen reader gives a mark: "reference 3, page 4".
SPOKEN_LABELS = {
    "p.": "page",
    "pp.": "pages",
    "ch.": "chapter",
    "fig.": "figure",
    "sec.": "section",
    "para.": "paragraph",
    "vol.": "volume",
}


def spoken(number, cite):
    """A mark's accessible name: "reference 3", "reference 3, page 4", "reference 3, chapter 2"."""
    if not cite.locator:
        return f"reference {number}"
    return f"reference {number}, {SPOKEN_LABELS.get(cite.label, cite.label)} {cite.locator}"


def link_citations(html_text, numbers, anchor, titles=None):
    """Replace each placeholder with superscript numbers linking to the reference list.

    ``numbers`` maps keys to reference numbers; each link gets the id
    ``cite-<anchor>-<key>-<n>`` (the n-th mark of that key in the section) for the reference
    list to link back to, and a cite's locator follows its number. ``titles`` (key → plain
    text) gives each link a tooltip, for the editor's preview. A mark that does not parse shows
    as its text.
    """
    seen = {}

    def link(cite):
        seen[cite.key] = seen.get(cite.key, 0) + 1
        # A DPUB-ARIA footnote reference named in words, "reference 3, page 4" (an aria-label:
        # text hidden by CSS would be read with stray spaces), showing "3(p4)".
        return format_html(
            '{}<a href="#ref-{n}" id="{id}" role="doc-noteref" aria-label="{name}"{title}>{n}{}</a>',
            f"{cite.prefix} " if cite.prefix else "",
            located(cite),
            n=numbers[cite.key],
            name=spoken(numbers[cite.key], cite),
            id=citation_anchor(anchor, cite.key, seen[cite.key]),
            title=format_html(' title="{}"', titles[cite.key]) if titles and cite.key in titles else "",
        )

    def replace(match):
        cites = sorted((c for c in Placeholder.read(match).cites if c.key in numbers), key=lambda c: numbers[c.key])
        if not cites:
            return ""
        return f'<sup class="citation">{",".join(link(cite) for cite in cites)}</sup>'

    linked = PLACEHOLDER.sub(replace, html_text)
    return mark_safe(ERROR_PLACEHOLDER.sub(lambda m: m[2], linked))


def citation_anchor(section_anchor, key, nth):
    return f"cite-{section_anchor}-{key}-{nth}"


def to_html(text):
    """The sanitized HTML of ``text``, for django-markdownx (MARKDOWNX_MARKDOWNIFY_FUNCTION)."""
    return render(text).html
