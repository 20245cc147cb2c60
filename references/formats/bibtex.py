"""BibTeX and biblatex, as Zotero, JabRef and people's own ``.bib`` files write them.

bibtexparser 2 splits a file into blocks, resolves ``@string`` macros and removes the outer
braces; what a block means is read here. A block bibtexparser could not parse (a brace left open,
a key used twice) is kept as a failed block, and becomes an entry with the reason, in the file's
order, so that the records after it still import.

LaTeX is decoded here too: accents (``{\\"u}``, ``\\'e``), escaped characters (``\\&``), dashes
(``--``) and protecting braces (``{T}he``) by a small table, and anything else (math, ``\\emph``)
by pylatexenc, which is exact but slow (about a millisecond a field). URLs, DOIs and other
identifiers are taken as written: ``%`` and ``_`` mean nothing special there.

Writing follows Zotero's BibTeX export, which Zotero, JabRef, BibTeX and biblatex all read:
``month = oct``, ``pages = {752--3}``, organisations in braces, capitalised words of titles in
braces so that styles keep their case, and the identifiers Zotero reads back (``doi``, ``pmid``,
``pmcid``, ``isbn``, ``url``, ``urldate``). The day of a full date goes in ``day``, which Zotero
reads and BibTeX ignores. A web site's name goes in ``titleaddon``, as Zotero's biblatex export
writes it. Books, reports and theses have no field for a container ("journal or book"), so theirs
is not written; their issue goes in ``issue``, as their ``number`` is a report or series number.
"""

import re
import unicodedata

import bibtexparser
from bibtexparser import model
from bibtexparser.middlewares import (
    AddEnclosingMiddleware,
    RemoveEnclosingMiddleware,
    ResolveStringReferencesMiddleware,
)
from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names
from pylatexenc.latex2text import LatexNodes2Text

from references import csl

from . import common

LABEL = "BibTeX"

#: Entry types → CSL types. A ``misc`` entry with a URL is a web page: Zotero writes them so.
TYPES = {
    "article": "article-journal",
    "book": "book",
    "booklet": "book",
    "collection": "book",
    "proceedings": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "inreference": "chapter",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "techreport": "report",
    "report": "report",
    "manual": "report",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "webpage": "webpage",
    "unpublished": "manuscript",
    "dataset": "dataset",
    "misc": "document",
}
#: Source kinds → entry types, for writing; other CSL types are written as ``misc``.
ENTRY_TYPES = {
    "article-journal": "article",
    "book": "book",
    "chapter": "incollection",
    "report": "techreport",
    "webpage": "online",
    "paper-conference": "inproceedings",
    "thesis": "phdthesis",
}
#: Where each kind keeps its container, in order of preference: the journal's short form first
#: (Source keeps the NLM abbreviation), the book's title, the web site's name.
CONTAINERS = {
    "article-journal": ("shortjournal", "journaltitle", "journal"),
    "chapter": ("booktitle", "maintitle"),
    "paper-conference": ("booktitle", "eventtitle"),
    "webpage": ("titleaddon",),
}
#: The publisher's field, by kind: an institution for reports, a school for theses.
PUBLISHERS = {"report": "institution", "thesis": "school"}
#: Kinds whose ``number`` is a report or series number rather than an issue.
NUMBERED = {"report", "book", "chapter", "thesis"}
#: ``note`` lines Zotero writes for identifiers it has no field for: ``PMID: 2863441``.
NOTE_IDENTIFIER = re.compile(r"^\s*(PMID|PMCID):\s*(\S+)", re.IGNORECASE | re.MULTILINE)
#: The word that joins names, where no brace can hide it.
AND = re.compile(r"\s+and\s+", re.IGNORECASE)

PARSE_STACK = [
    ResolveStringReferencesMiddleware(allow_inplace_modification=True),
    RemoveEnclosingMiddleware(allow_inplace_modification=True),
]


def detect(text):
    """Whether ``text`` holds a BibTeX entry: a line starting ``@article{`` or similar."""
    return re.search(r"^\s*@\w+\s*[{(]", text, re.MULTILINE) is not None


# Reading.


def parse(text):
    """Every entry of a BibTeX file, in order; comments, ``@string`` and ``@preamble`` are not
    records. ``FormatError`` if the file has no entry at all."""
    library = bibtexparser.parse_string(text, parse_stack=PARSE_STACK)
    blocks = [block for block in library.blocks if isinstance(block, model.Entry | model.ParsingFailedBlock)]
    if not blocks:
        raise common.FormatError("there is no BibTeX entry in this file: an entry starts with “@article{” or similar")
    return [common.checked(number, block.start_line + 1, item_of, block) for number, block in enumerate(blocks, 1)]


def item_of(block):
    """The CSL-JSON item of an entry block; ``RecordError`` for a block that failed to parse."""
    if isinstance(block, model.ParsingFailedBlock):
        raise common.RecordError(failure(block))
    fields = {field.key.lower(): field.value for field in reversed(block.fields) if isinstance(field.value, str)}
    entry_type = block.entry_type.lower()
    csl_type = TYPES.get(entry_type, "document")
    if entry_type == "misc" and url(fields):
        csl_type = "webpage"
    kind = csl.kind(csl_type)

    def text(*names):
        """The first of these fields that has a value, decoded."""
        return next((decode(fields[name]).strip() for name in names if fields.get(name, "").strip()), "")

    authors, incomplete = names(fields.get("author", ""))
    editors, _ = names(fields.get("editor", ""))  # No convention says an editor list is incomplete.
    return common.item(
        csl_type,
        {
            "title": text("title"),
            "container-title": text(*CONTAINERS.get(kind, ())),
            "volume": text("volume"),
            "issue": text("issue") if kind in NUMBERED else text("issue", "number"),
            "number": text("number") if kind in NUMBERED else "",
            "page": pages(text("pages")),
            "publisher": text("publisher", "institution", "school", "organization"),
            "publisher-place": text("address", "location"),
            "DOI": common.clean(fields.get("doi")),
            "PMID": identifier(fields, "pmid"),
            "PMCID": identifier(fields, "pmcid"),
            "ISBN": common.isbn(fields.get("isbn")) or common.clean(fields.get("isbn")),
            "URL": url(fields),
            "abstract": text("abstract"),
            "language": common.language(text("language", "langid")),
        },
        authors=authors,
        editors=editors,
        issued=issued(fields),
        accessed=common.iso_date(fields.get("urldate") or fields.get("lastchecked"), "access date"),
        key=block.key,
        incomplete=incomplete,
    )


def url(fields):
    """``url``, or ``howpublished`` when it holds a link (older BibTeX's place for one), bare or
    as ``\\url{…}``."""
    howpublished = re.sub(r"^\\url\{(.*)\}$", r"\1", common.clean(fields.get("howpublished")))
    return common.clean(fields.get("url")) or (howpublished if howpublished.startswith(("http://", "https://")) else "")


def failure(block):
    """Why bibtexparser could not read a block, in an editor's words."""
    if isinstance(block, model.DuplicateBlockKeyBlock):
        return f"the key {block.key} is already used by the entry on line {block.previous_block.start_line + 1}"
    if isinstance(block, model.DuplicateFieldKeyBlock):
        return f"the field {', '.join(sorted(block.duplicate_keys))} is given twice"
    reason = getattr(block.error, "abort_reason", str(block.error))
    stopped = block.start_line + 1 + (block.raw or "").count("\n")  # The line bibtexparser gave up on.
    if "still looking for" in reason:  # It met the next entry, on the line after the block's last.
        return f"a closing brace is missing: this entry is still open where the next one starts, on line {stopped + 1}"
    if "end of file" in reason:
        return "a closing brace is missing: the file ends before this entry does"
    if "comma after entry key" in reason:
        return "there is no comma after the key: write “@article{key,” before the fields"
    if "Expected a `=`" in reason:
        return f"a field has no “=” between its name and its value (line {stopped})"
    if "after a closed entry field value" in reason:
        return f"a comma is missing between two fields (line {stopped})"
    return f"this entry is not valid BibTeX ({reason.strip()})"


def names(value):
    """CSL names from a BibTeX name list, and whether it ends "and others".

    A name in braces, ``{World Health Organization}``, is an organisation; the others are split
    into their parts as BibTeX does, the "von" part joining the family name ("van Gogh").
    """
    people = [name.strip() for name in split_names(value) if name.strip()]
    others = bool(people) and people[-1].lower() == "others"
    return [name_of(name) for name in (people[:-1] if others else people)], others


def split_names(value):
    """The names of a list joined by "and"; bibtexparser's splitter (slow, exact) when braces
    may hide an "and"."""
    return split_multiple_persons_names(value) if "{" in value else AND.split(value.strip())


def name_of(name):
    if name.startswith("{") and name.endswith("}") and balanced(name[1:-1]):
        return common.organisation(decode(name[1:-1]))
    if name.count(",") == 1 and "{" not in name:  # "Family, Given", by far the commonest: no parts to find.
        family, given = name.split(",")
        return common.person(decode(common.clean(family)), decode(common.clean(given)))
    parts = parse_single_name_into_parts(name, strict=False)
    return common.person(decode(" ".join(parts.von + parts.last)), decode(" ".join(parts.first)))


def balanced(text):
    """Whether the braces in ``text`` pair up, so that ``{A} and {B}`` is not one brace group."""
    depth = 0
    for character in text:
        depth += {"{": 1, "}": -1}.get(character, 0)
        if depth < 0:
            return False
    return depth == 0


def issued(fields):
    """The date of publication: biblatex's ``date`` (``1985-10-05``), else ``year``, ``month``
    (``oct``, ``10`` or ``October``) and Zotero's ``day``."""
    if fields.get("date"):
        return common.iso_date(fields["date"].split("/")[0], "date")
    if not fields.get("year"):
        return None
    return common.date(fields["year"], fields.get("month"), fields.get("day"))


def identifier(fields, name):
    """A PMID or PMCID from its own field, biblatex's ``eprint`` with ``eprinttype = {pubmed}``,
    or a ``PMID: …`` line of the note (Zotero's place for identifiers without a field)."""
    if fields.get(name):
        return common.clean(fields[name])
    if name == "pmid" and fields.get("eprinttype", "").lower() == "pubmed":
        return common.clean(fields.get("eprint"))
    found = {label.lower(): value for label, value in NOTE_IDENTIFIER.findall(decode(fields.get("note", "")))}
    return found.get(name, "")


def pages(text):
    """``752--753`` (or with an en dash) → ``752-753``, as Source stores page ranges."""
    return re.sub(r"\s*(?:-+|–|—)\s*", "-", common.clean(text))


# LaTeX.

#: Accents written as commands, and the combining marks Unicode composes them with: ``\"u`` → ü.
ACCENTS = {
    '"': "\u0308",
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
    "d": "\u0323",
    "b": "\u0331",
}
#: Letters, symbols and escaped characters written as commands: ``{\o}``, ``\ss``, ``\&``.
SYMBOLS = {
    "o": "ø",
    "O": "Ø",
    "ss": "ß",
    "ae": "æ",
    "AE": "Æ",
    "oe": "œ",
    "OE": "Œ",
    "aa": "å",
    "AA": "Å",
    "l": "ł",
    "L": "Ł",
    "i": "ı",
    "j": "ȷ",
    "textendash": "–",
    "textemdash": "—",
    "textquoteleft": "‘",
    "textquoteright": "’",
    "textquotedblleft": "“",
    "textquotedblright": "”",
    "textasciitilde": "~",
    "textasciicircum": "^",
    "textbackslash": "\\",
    "textunderscore": "_",
    "textbar": "|",
    "textless": "<",
    "textgreater": ">",
    "textdegree": "°",
    "textmu": "µ",
    "textpm": "±",
    "texttimes": "×",
    "&": "&",
    "%": "%",
    "$": "$",
    "#": "#",
    "_": "_",
    "{": "{",
    "}": "}",
    "\\": " ",
    " ": " ",
    ",": " ",
    "-": "",  # A place where a word may be hyphenated.
}
LATEX = re.compile(
    r"""
      \\(?P<accent>["'`^~=.]|[uvHckrdb](?=\s*\{)|[uvHckrdb]\s+(?=[A-Za-z]))\s*   # \"u, \v{c}, \c c
        (?:\{\s*(?P<braced>\\[ij]|[A-Za-z])\s*\}|(?P<letter>\\[ij](?![A-Za-z])\s*|[A-Za-z]))
    | \\(?P<word>[A-Za-z]+)(?:\{\}|\s*)    # \ss, {\o}, \textendash{}
    | \\(?P<escaped>[&%$\#_{}\\ ,-])       # \&, \%, \\
    | (?P<dash>-{2,3})                   # -- and ---
    | (?P<brace>[{}])                    # {T}he
    | (?P<tilde>~)                       # a space that does not break
    | (?P<other>\\.)                      # anything else, for pylatexenc
    """,
    re.VERBOSE,
)
DASHES = {"--": "–", "---": "—"}
NEEDS_DECODING = re.compile(r"[\\{}$~]|--")
#: Anything the table cannot decode (math, ``\emph{}``) goes to pylatexenc.
FULL_DECODER = LatexNodes2Text(math_mode="text")


class NotInTable(Exception):
    """A LaTeX command the table does not know."""


def decode(text):
    """LaTeX in a field as plain Unicode: ``M{\\"u}ller`` → ``Müller``."""
    if not NEEDS_DECODING.search(text):
        return text
    if "$" not in text.replace(r"\$", ""):
        try:
            return unicodedata.normalize("NFC", LATEX.sub(replacement, text))
        except NotInTable:
            pass
    return unicodedata.normalize("NFC", FULL_DECODER.latex_to_text(text))


def replacement(match):
    if accent := match["accent"]:
        letter = (match["braced"] or match["letter"]).strip().lstrip("\\")
        return letter + ACCENTS[accent.strip()]
    if (word := match["word"] or match["escaped"]) is not None:
        if word not in SYMBOLS:
            raise NotInTable(word)
        return SYMBOLS[word]
    if match["dash"]:
        return DASHES[match["dash"]]
    if match["tilde"]:
        return " "
    if match["other"]:
        raise NotInTable(match["other"])
    return ""  # A protecting brace.


# Writing.

#: Characters LaTeX gives a meaning to, escaped as Zotero escapes them.
ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
}
ESCAPED = re.compile("|".join(re.escape(character) for character in ESCAPES))
WORD = re.compile(r"[^\W_]+")
WRITE_STACK = [AddEnclosingMiddleware(reuse_previous_enclosing=False, enclose_integers=True, default_enclosing="{")]


def dump(items):
    """CSL-JSON items as a BibTeX file."""
    library = bibtexparser.Library([entry(item, number) for number, item in enumerate(items, 1)])
    return bibtexparser.write_string(library, unparse_stack=WRITE_STACK)


def entry(item, number):
    """One item as a bibtexparser entry, its fields in about Zotero's order."""
    values, authors, editors = csl.fields(item)
    kind = values["kind"]
    fields = []

    def add(name, value, enclosing=None):
        if value not in (None, ""):
            fields.append(model.Field(name, str(value), enclosing=enclosing))

    add("title", protected(escape(values["title"])))
    add("author", name_list(authors, values.get("authors_incomplete")))
    add("editor", name_list(editors))
    container = escape(values.get("container_title", ""))
    if kind == "article-journal":
        add("journal", container)
    elif kind in ("chapter", "paper-conference"):
        add("booktitle", protected(container))
    elif kind == "webpage":
        add("titleaddon", container)
    add("year", values.get("year"))
    add("month", common.MONTH_MACROS[values["month"] - 1] if values.get("month") else None, "no-enclosing")
    add("day", values.get("day") if values.get("month") else None)
    add("volume", escape(values.get("volume", "")))
    add("issue" if kind in NUMBERED else "number", escape(values.get("issue", "")))
    add("pages", values.get("pages", "").replace("-", "--"))
    add(PUBLISHERS.get(kind, "publisher"), escape(values.get("publisher", "")))
    add("address", escape(values.get("publisher_place", "")))
    for name in ("doi", "pmid", "pmcid", "isbn", "url"):
        add(name, values.get(name))
    add("urldate", values["accessed"].isoformat() if values.get("accessed") else None)
    add("abstract", escape(values.get("abstract", "")))
    add("language", escape(values.get("language", "")))
    return model.Entry(ENTRY_TYPES.get(kind, "misc"), citation_key(item, number), fields)


def name_list(pairs, incomplete=False):
    """``Family, Given and {Organisation} and others``."""
    names = [f"{{{escape(family)}}}" if not given else f"{person(family)}, {person(given)}" for family, given in pairs]
    return " and ".join(names + ["others"] * bool(incomplete and names))


def person(part):
    """A part of a person's name, with a literal "and" (Zotero's rule) kept from splitting it."""
    return re.sub(r"\band\b", "{and}", escape(part))


def escape(text):
    return ESCAPED.sub(lambda match: ESCAPES[match[0]], str(text))


def protected(text):
    """Words with a capital in braces, so that a style's lower-casing leaves ``{ILAE}`` alone;
    the first word only when a capital follows its first letter, as in Zotero's export."""

    def protect(match):
        word = match[0]
        capital = any(character.isupper() for character in (word[1:] if match.start() == 0 else word))
        return f"{{{word}}}" if capital else word

    return WORD.sub(protect, text)


def citation_key(item, number):
    """The item's key, without what BibTeX cannot have in one (spaces, commas, braces)."""
    return re.sub(r"[\s,{}()=\"#%'\\~]", "", common.key_of(item)) or f"source{number}"
