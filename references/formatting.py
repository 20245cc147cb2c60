"""References as HTML, formatted by a real CSL processor: Pandoc's citeproc.

Sources are formatted when they change (the admin formats one on save, an import thousands at
once) and the HTML is stored; pages never format. ``format_items()`` turns CSL-JSON items
(``references.csl.item()``) into ``{id: html}`` in the style the setting names.

Why Pandoc rather than citeproc-py (figures in docs/decisions.md): with the preparation below,
Pandoc's citeproc renders our table of references exactly in the three styles, where
citeproc-py still got a quarter to a third of them wrong (the number glued to the entry, dates
as "2024Mar5", "752-3" where AMA and APA write pages in full, "& others"), made no links and
copied ``<script>`` in a title into its HTML; and Pandoc was 6–14 times faster in batches. It
runs as a subprocess, ``pandoc -f csljson``, which reads the items as a document citing all of
them; we read each ``csl-entry`` back. A run costs 50–75 ms, which the admin's save pays once;
batches of 1,000 keep its memory near 200 MB for an import of any size, and a large import
runs one Pandoc per processor side by side.

What we do around the processor, each for a reason the tests name:

- Initials stored as "RDC" are written "R. D. C." for the processor, which would otherwise
  take them for a given name and keep its first letter.
- An author list Scholar cut short (``custom.authors-incomplete``) ends in the literal name
  "others", which Pandoc renders as the style's "et al.", after at most as many names as the
  style shows before its own "et al.": six in Citing Medicine, three in AMA. APA 7 lists up
  to 20 authors and has no form for an unknown remainder (its "…" needs the last author): we
  show the names known and "et al.", without "&", so that the list does not pass for complete.
- APA only: the publisher is left out when it is the author, and the first word of a subtitle
  takes a capital (APA's sentence case). AMA only: a web page without a site name takes its
  publisher as one (AMA names the website).
- A URL other than http(s) is dropped (the model forbids them; the formatter does not rely on it).
- The citation number is dropped (our page numbers the list), so is a full stop after an
  ellipsis (Scholar's truncated "Disability and …" would give "Disability and …. 2005"), and
  the entry is sanitised with nh3: a few inline tags, links to http(s) only.

The style files in ``styles/`` are the official ones with small patches, listed in their README.
"""

import json
import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nh3
import pypandoc
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

STYLES_DIR = Path(__file__).resolve().parent / "styles"
#: The setting's possible values, and their style files.
STYLES = {
    "nlm-citation-sequence": STYLES_DIR / "nlm-citation-sequence.csl",  # Vancouver: Citing Medicine, 2nd ed.
    "american-medical-association": STYLES_DIR / "american-medical-association.csl",  # AMA 11th ed.
    "apa": STYLES_DIR / "apa.csl",  # APA 7th ed.
}
#: How many names a style shows before "et al." when an author list was cut short.
NAMED_BEFORE_ET_AL = {"nlm-citation-sequence": 6, "american-medical-association": 3, "apa": 19}

BATCH = 1000
#: Seconds for one batch, which takes 1–3 s.
TIMEOUT = 120

ALLOWED_TAGS = {"a", "b", "em", "i", "strong", "sub", "sup"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https"}

INITIALS = re.compile(r"[A-Z]{2,4}")
LOWER_CASE_SUBTITLE = re.compile(r"(:\s+)([a-z])(?=[a-z]*\b)")
#: Pandoc's wrapping of an entry: the opening of its div, and the number in a left margin.
ENTRY_START = re.compile(r'<div id="ref-(i\d+)" class="csl-entry"[^>]*>')
CITATION_NUMBER = re.compile(r'<div class="csl-left-margin">.*?</div>', re.DOTALL)
FULL_STOP_AFTER_ELLIPSIS = re.compile(r"…((?:</\w+>)*)\.")
#: Pandoc links PMIDs to PubMed's address before 2020, which only redirects now.
OLD_PUBMED_LINK = re.compile(r'href="https://www\.ncbi\.nlm\.nih\.gov/pubmed/(\d+)"')


class FormattingError(Exception):
    """The CSL processor failed; the message says how."""


def current_style():
    """The style ``CLONUS_CITATION_STYLE`` names."""
    style = settings.CLONUS_CITATION_STYLE
    if style not in STYLES:
        raise ImproperlyConfigured(
            f"CLONUS_CITATION_STYLE is {style!r}, which is not a citation style Clonus has; "
            f"use one of: {', '.join(STYLES)}."
        )
    return style


def check_style(app_configs=None, **kwargs):
    """A system check: an unknown CLONUS_CITATION_STYLE stops ``manage.py`` before any source
    is formatted, rather than at the first save."""
    try:
        current_style()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="references.E001")]
    return []


def format_items(items, style=None):
    """``{id: reference as sanitised HTML}`` for CSL-JSON ``items``, in ``style`` (by default
    the setting's). Raises ``FormattingError`` if the processor fails."""
    style = style or current_style()
    if style not in STYLES:
        raise ValueError(f"Unknown citation style {style!r}; use one of: {', '.join(STYLES)}.")
    items = list(items)
    batches = [items[start : start + BATCH] for start in range(0, len(items), BATCH)]
    if len(batches) < 2:
        return dict(pair for batch in batches for pair in format_batch(batch, style))
    # A Pandoc for each processor: the batches of a large import are formatted side by side.
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return dict(pair for pairs in pool.map(format_batch, batches, [style] * len(batches)) for pair in pairs)


def format_batch(batch, style):
    """``(id, reference)`` pairs for one batch, from one run of Pandoc."""
    # Pandoc gets ids of its own: ours could be anything an import brought.
    entries = run_pandoc([prepare(item, f"i{n}", style) for n, item in enumerate(batch)], style)
    for n, item in enumerate(batch):
        if f"i{n}" not in entries:
            raise FormattingError(f"Pandoc gave no reference for the item {item.get('id')!r}.")
    return [(item.get("id"), clean(entries[f"i{n}"])) for n, item in enumerate(batch)]


def prepare(item, pandoc_id, style):
    """The item as the processor should see it (see the module's docstring)."""
    item = {**item, "id": pandoc_id}
    for role in ("author", "editor"):
        if item.get(role):
            item[role] = [spaced_initials(name) for name in item[role]]
    if item.get("author") and (item.get("custom") or {}).get("authors-incomplete"):
        item["author"] = item["author"][: NAMED_BEFORE_ET_AL[style]] + [{"literal": "others"}]
    if not str(item.get("URL", "")).startswith(("http://", "https://")):
        item.pop("URL", None)
    if style == "apa":
        prepare_for_apa(item)
    elif style == "american-medical-association":
        prepare_for_ama(item)
    return item


def prepare_for_apa(item):
    """APA leaves out a publisher that is the author, and writes titles of works (books too, not
    journals) in sentence case, which capitalises the first word of a subtitle."""
    if item.get("publisher") and [name.get("literal") for name in item.get("author", [])] == [item["publisher"]]:
        del item["publisher"]
    for variable in ["title"] if item.get("type") == "article-journal" else ["title", "container-title"]:
        if item.get(variable):
            item[variable] = LOWER_CASE_SUBTITLE.sub(lambda match: match[1] + match[2].upper(), item[variable])


def prepare_for_ama(item):
    """AMA names the website a web page is on: failing a site name, its publisher."""
    if item.get("type") == "webpage" and not item.get("container-title") and item.get("publisher"):
        item["container-title"] = item["publisher"]


def spaced_initials(name):
    """``{"given": "RDC"}`` → ``{"given": "R. D. C."}``; other names as they are."""
    if INITIALS.fullmatch(name.get("given", "")):
        return {**name, "given": " ".join(f"{letter}." for letter in name["given"])}
    return name


def run_pandoc(items, style):
    """``{pandoc id: the entry's HTML}`` for prepared items, from one run of Pandoc."""
    try:
        done = subprocess.run(
            [
                pypandoc.get_pandoc_path(),
                "--from=csljson",
                "--to=html",
                "--wrap=none",
                "--citeproc",
                f"--csl={STYLES[style]}",
            ],
            input=json.dumps(items),
            capture_output=True,
            encoding="utf-8",
            timeout=TIMEOUT,
            check=True,
        )
    except OSError as error:
        raise FormattingError(f"Pandoc could not be run: {error}") from error
    except subprocess.TimeoutExpired as error:
        raise FormattingError(f"Pandoc took more than {TIMEOUT} s to format {len(items)} references.") from error
    except subprocess.CalledProcessError as error:
        raise FormattingError(f"Pandoc failed (exit status {error.returncode}): {error.stderr.strip()}") from error
    starts = list(ENTRY_START.finditer(done.stdout))
    ends = [match.start() for match in starts[1:]] + [len(done.stdout)]
    return {match[1]: done.stdout[match.end() : end] for match, end in zip(starts, ends, strict=True)}


def clean(entry):
    """An entry's HTML without its number, a full stop after an ellipsis, or unsafe markup, and
    with PubMed's current address."""
    entry = FULL_STOP_AFTER_ELLIPSIS.sub(r"…\1", CITATION_NUMBER.sub("", entry))
    entry = OLD_PUBMED_LINK.sub(r'href="https://pubmed.ncbi.nlm.nih.gov/\1/"', entry)
    entry = nh3.clean(
        entry,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )
    return re.sub(r"[ \t\r\n]+", " ", entry).strip()
