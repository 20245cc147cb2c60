"""The citation grammar: what an editor may write between square brackets to cite a source.

It is the part of Pandoc's citation syntax that a numbered reference list needs::

    [@elwes1985]                      one source
    [@elwes1985; @boyer2005]          several, separated by semicolons
    [@elwes1985, p. 752]              a locator after a comma: p. pp. ch. fig. sec. table para. vol. line note
    [@elwes1985, 752]                 a bare number is a page
    [see @elwes1985]                  a prefix, shown before the number
    [-@elwes1985]                     Pandoc's "suppress author": with numbers it is the same as [@elwes1985]

Keys match case-insensitively (``[@Elwes1985]`` cites ``elwes1985``). What Pandoc accepts and a
numbered list has no use for (a free-text suffix after the locator, keys with ``:`` or ``.``) is
refused with a message, never shown as stray brackets: anything that starts like a mark either
parses or is an error that quotes it. A mark in code is code; ``\\[@`` writes a literal bracket.

Scanning is linear: a mark is looked for only where ``[`` is followed by ``@``, ``-@`` or a few
words and `` @``, and never further than ``MAX_MARK`` characters from its ``[``.
"""

import re
from dataclasses import dataclass

from references.models import KEY_PATTERN

#: The longest text between the brackets of one mark; longer is an unclosed mark.
MAX_MARK = 400
#: A ``[`` that starts a mark: ``[@``, ``[-@``, or up to a few words of prefix and then `` @``.
START = re.compile(r"\[\s*(?:[^\[\]@;\n]{0,40}?\s)?-?@")
#: An unclosed mark as far as its first key, to quote it.
OPENING = re.compile(r"\[[^@]*@\S{0,64}")
#: What follows ``@``: Pandoc's key characters, internal punctuation included, so that the
#: whole of a key we refuse is quoted back.
TYPED_KEY = re.compile(r"[\w]+(?:[:.#$%&+?<>~/-][\w]+)*")
ITEM = re.compile(r"\s*(?P<prefix>[^@]*?)\s*(?P<suppress>-?)@(?P<key>\S*?)(?P<rest>(?:[\s,].*)?)", re.DOTALL)
LABELS = {
    "p": "p.",
    "page": "p.",
    "pp": "pp.",
    "pages": "pp.",
    "ch": "ch.",
    "chap": "ch.",
    "chapter": "ch.",
    "fig": "fig.",
    "figs": "fig.",
    "figure": "fig.",
    "figures": "fig.",
    "sec": "sec.",
    "section": "sec.",
    "§": "sec.",
    "tbl": "table",
    "table": "table",
    "para": "para.",
    "vol": "vol.",
    "volume": "vol.",
    "l": "line",
    "line": "line",
    "lines": "line",
    "n": "note",
    "note": "note",
}
#: Numbers, Roman numerals or short codes (``S3``), in ranges (``3-5``, ``3–5``, ``3--5``) and lists.
LOCATOR_VALUE = r"[0-9A-Za-z]+(?:\s*(?:--?|–|,)\s*[0-9A-Za-z]+)*"
LOCATOR = re.compile(rf"(?:(?P<label>[A-Za-z]+|§)\.?\s*)?(?P<value>{LOCATOR_VALUE})")
VALID_KEY = re.compile(KEY_PATTERN)
EXAMPLES = "[@elwes1985], [@elwes1985; @boyer2005], [@elwes1985, p. 752] or [see @elwes1985]"


class MarkError(ValueError):
    """A mark that does not parse, with the text as written and how to write it."""

    def __init__(self, text, reason):
        self.text, self.reason = text, reason
        super().__init__(f"“{text}”: {reason}")


@dataclass(frozen=True)
class Cite:
    key: str
    #: Canonical label ("p.", "pp.", "ch."…) and value ("752", "3-5"); both empty when none.
    label: str = ""
    locator: str = ""
    prefix: str = ""

    @property
    def located(self):
        return f"{self.label} {self.locator}" if self.locator else ""


@dataclass(frozen=True)
class Mark:
    text: str
    cites: tuple

    @property
    def keys(self):
        return [cite.key for cite in self.cites]


def match(text, pos=0, end=None):
    """The mark starting at ``text[pos]``: (Mark, end) if it parses, (MarkError, end) if it
    starts like a mark but does not parse, ``None`` if ``[`` starts no mark."""
    end = len(text) if end is None else end
    if not START.match(text, pos, end):
        return None
    limit = min(end, pos + 1 + MAX_MARK)
    close = pos + 1
    while close < limit and text[close] not in "[]":
        close += 1
    if close >= limit or text[close] == "[":
        # Quote up to the first key: the rest of the paragraph is not the editor's mark.
        shown = OPENING.match(text, pos, close).group()
        return MarkError(shown, f"this mark is not closed. Write marks like {EXAMPLES}."), close
    written = text[pos : close + 1]
    try:
        return Mark(written, parse(written[1:-1], written)), close + 1
    except MarkError as error:
        return error, close + 1


def parse(inside, written):
    cites = []
    for part in inside.split(";"):
        item = ITEM.fullmatch(part)
        if item is None:
            if not part.strip():
                raise MarkError(written, "a semicolon must separate two sources, as in [@elwes1985; @boyer2005].")
            raise MarkError(
                written, f"“{part.strip()}” names no source: every part needs an @ and a key, as in {EXAMPLES}."
            )
        cite = parse_item(item, written)
        if cite.key not in (c.key for c in cites):
            cites.append(cite)
    return tuple(cites)


def parse_item(item, written):
    prefix, key, rest = " ".join(item["prefix"].split()), item["key"], item["rest"]
    typed = TYPED_KEY.match(key)
    if not key:
        raise MarkError(written, "a key must follow @ with no space, as in [@elwes1985].")
    if not typed or typed.end() != len(key) or not VALID_KEY.fullmatch(key.lower()):
        raise MarkError(
            written, f"“{key}” is not a key: keys are letters, digits, hyphens and underscores, as in [@elwes1985]."
        )
    if "@" in prefix or "[" in prefix or "]" in prefix:
        raise MarkError(written, f"“{prefix}” cannot come before a key. Write marks like {EXAMPLES}.")
    label, value = parse_rest(rest, key, written)
    return Cite(key.lower(), label, value, prefix)


def parse_rest(rest, key, written):
    rest = rest.strip()
    if not rest:
        return "", ""
    if not rest.startswith(","):
        raise MarkError(
            written,
            f"a key has no spaces, and a locator follows a comma: [@{key}, p. 12] (or did you mean "
            f"[@{key}{rest.split()[0]}]?).",
        )
    locator = LOCATOR.fullmatch(rest[1:].strip())
    if locator is None:
        raise MarkError(
            written,
            f"“{rest[1:].strip()}” is not a locator. After the comma write a page or part: "
            f"[@{key}, p. 12], [@{key}, pp. 3-5], [@{key}, ch. 2] or [@{key}, fig. 2].",
        )
    label = locator["label"]
    if label and label.lower() not in LABELS:
        raise MarkError(
            written,
            f"“{label}” is not a locator label; use p., pp., ch., fig., sec., table, para., vol., line or note.",
        )
    value = re.sub(r"\s*(?:--?|–)\s*", "-", locator["value"])
    value = re.sub(r"\s*,\s*", ", ", value)
    return LABELS[label.lower()] if label else ("pp." if "-" in value or "," in value else "p."), value


def scan(text):
    """Every mark and error in plain text, in order (for text that is not Markdown)."""
    found, pos = [], text.find("[")
    while pos != -1:
        result = match(text, pos)
        if result is None:
            pos = text.find("[", pos + 1)
        else:
            found.append(result[0])
            pos = text.find("[", result[1])
    return found


#: Code, where nothing is a mark: fenced blocks, then inline code spans.
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,}).*?(?:^ {0,3}\1[`~]*[ \t]*$|\Z)", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
MARK_KEY = re.compile(r"(?<=@)[\w:.#$%&+?<>~/-]+")


def with_keys_as_stored(text):
    """``text`` with the keys of its marks in lower case, as stored (``[@Chou2004]`` →
    ``[@chou2004]``), for tools such as Pandoc that match keys by their exact case."""
    return rewrite_marks(text, lambda mark: MARK_KEY.sub(lambda key: key[0].lower(), mark))


def with_key_renamed(text, old, new):
    """``text`` citing ``new`` wherever its marks cite ``old`` (in any case): ``[@old, p. 3]``
    → ``[@new, p. 3]``. A mark that then cites the same thing twice keeps it once:
    ``[@new; @old]`` → ``[@new]``. Other keys, text that only looks like a key, and code stay
    as written."""

    def rename(mark):
        renamed = MARK_KEY.sub(lambda key: new if key[0].lower() == old.lower() else key[0], mark)
        if renamed == mark:
            return mark
        items = renamed[1:-1].split(";")
        kept = [
            item for n, item in enumerate(items) if item.strip().lower() not in {i.strip().lower() for i in items[:n]}
        ]
        return f"[{';'.join(kept)}]"

    return rewrite_marks(text, rename)


def rewrite_marks(text, rewrite):
    """``text`` with each of its marks (``[…]``, brackets included) replaced by ``rewrite(mark)``.
    Marks that do not parse and code are left as they are."""
    code = [m.span() for m in FENCE.finditer(text)]
    code += [m.span() for m in CODE_SPAN.finditer(text) if not any(a <= m.start() < b for a, b in code)]
    parts, done, pos = [], 0, text.find("[")
    while pos != -1:
        inside = next((b for a, b in code if a <= pos < b), None)
        found = None if inside else match(text, pos)
        if inside:
            pos = text.find("[", inside)
            continue
        if found and isinstance(found[0], Mark):
            parts += [text[done:pos], rewrite(text[pos : found[1]])]
            done = found[1]
        pos = text.find("[", found[1] if found else pos + 1)
    return "".join(parts) + text[done:]
