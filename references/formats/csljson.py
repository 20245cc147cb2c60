"""CSL-JSON, as Zotero, Better BibTeX, Pandoc and citeproc-js write it: a list of items.

CSL-JSON is the shape every format is read into, so its items are kept as they are, variables
Source has no field for included (a CSL processor may use them), with three conventions of the
other formats applied:

- a journal article's container is its short title (``container-title-short``, or Zotero's
  ``journalAbbreviation``) when it has one, as Source keeps the NLM abbreviation;
- the citation key is ``custom["citation-key"]``, taken from CSL 1.0.2's ``citation-key`` or
  from an ``id`` that looks like one (Zotero's ids are links, not keys);
- PMIDs and PMCIDs written in the note (``PMID: 2863441``, as Zotero and citeproc-js do for
  variables older CSL lacked) become variables, and languages two-letter tags (``eng`` → ``en``).

Each item's line is found by decoding the list one item at a time, so that an entry can say
where its record starts.
"""

import json
import re

from references import csl

from . import common

LABEL = "CSL-JSON"

DECODER = json.JSONDecoder()
WHITESPACE = re.compile(r"[ \t\n\r]*")
NOTE_IDENTIFIER = re.compile(r"^\s*(PMID|PMCID):\s*(\S+)", re.IGNORECASE | re.MULTILINE)
#: An id that can be a citation key: a word, not a link or a number.
KEY_LIKE = re.compile(r"[A-Za-z][\w:.+-]*")


def detect(text):
    """A list of objects, or one object: not a Scholar line starting "[PDF]"."""
    return re.match(r"\s*(\[\s*[{\]]|\{\s*\")", text) is not None


# Reading.


def parse(text):
    """Every item of a CSL-JSON file (a list of items, or one item alone), in order."""
    values = list(decoded(text))
    if not values:
        raise common.FormatError("there is no item in this CSL-JSON file: it is an empty list")
    return [common.checked(number, line, item_of, value) for number, (line, value) in enumerate(values, 1)]


def decoded(text):
    """``(line, value)`` for each element of the file's list; ``FormatError`` where the JSON is
    not valid."""
    lines = LineCounter(text)
    position = WHITESPACE.match(text).end()
    if text.startswith("{", position):
        value, end = decode(text, position)
        yield lines.at(position), value
    elif text.startswith("[", position):
        position = WHITESPACE.match(text, position + 1).end()
        end = position + 1 if text.startswith("]", position) else None
        while end is None:
            line = lines.at(position)
            value, position = decode(text, position)
            yield line, value
            position = WHITESPACE.match(text, position).end()
            if text.startswith(",", position):
                position = WHITESPACE.match(text, position + 1).end()
            elif text.startswith("]", position):
                end = position + 1
            else:
                raise common.FormatError(f"line {lines.at(position)}: a “,” or “]” is missing after an item")
    else:
        raise common.FormatError("this is not a CSL-JSON file: CSL-JSON is a list of items, starting with “[”")
    if text[end:].strip():
        raise common.FormatError(f"line {lines.at(WHITESPACE.match(text, end).end())}: there is more after the list")


def decode(text, position):
    """The JSON value starting at ``position``, and where it ends."""
    try:
        value, end = DECODER.raw_decode(text, position)
    except json.JSONDecodeError as error:
        raise common.FormatError(
            f"line {error.lineno}, column {error.colno}: this is not valid JSON ({error.msg})"
        ) from None
    return value, end


class LineCounter:
    """Line numbers of positions met in order, counting each stretch of text once."""

    def __init__(self, text):
        self.text, self.position, self.line = text, 0, 1

    def at(self, position):
        self.line += self.text.count("\n", self.position, position)
        self.position = position
        return self.line


def item_of(value):
    """An element of the file as an item, following the other formats' conventions."""
    if not isinstance(value, dict):
        raise common.RecordError("it is not a CSL item: an item is a JSON object with a type and a title")
    for role in ("author", "editor"):
        if role in value and not (isinstance(value[role], list) and all(isinstance(n, dict) for n in value[role])):
            raise common.RecordError(f"its {role}s are not a list of names")
    item = dict(value)
    short = item.get("container-title-short") or item.get("journalAbbreviation")
    if short and csl.kind(item.get("type", "")) == "article-journal":
        item["container-title"] = short
    for label, found in NOTE_IDENTIFIER.findall(str(item.get("note", ""))):
        item.setdefault(label.upper(), found)
    if item.get("language"):
        item["language"] = common.language(item["language"])
    if key := citation_key(item):
        custom = item["custom"] if isinstance(item.get("custom"), dict) else {}
        item["custom"] = custom | {"citation-key": key}
    return item


def citation_key(item):
    """The item's own key: ``custom``'s, CSL 1.0.2's ``citation-key``, or an id that is one."""
    custom = item["custom"] if isinstance(item.get("custom"), dict) else {}
    identifier = str(item.get("id", ""))
    return str(custom.get("citation-key") or item.get("citation-key") or "") or (
        identifier if KEY_LIKE.fullmatch(identifier) else ""
    )


# Writing.


def dump(items):
    """Items as a CSL-JSON file: a list, indented, in UTF-8 rather than escapes."""
    return json.dumps(list(items), indent=2, ensure_ascii=False) + "\n"
