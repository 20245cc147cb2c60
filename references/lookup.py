"""Sources looked up by identifier: Crossref for DOIs, PubMed (NCBI E-utilities) for PMIDs.

``crossref(doi)`` and ``pubmed(pmid)`` each return a CSL-JSON item (``references.csl``), or raise
one of the ``LookupFailed`` errors below, whose message is a sentence for the editor waiting in
the admin. Nothing here touches the database.

Both services are asked through one urllib3 pool, with an identifying User-Agent (Crossref's
"polite pool" and NCBI ask for a contact address: ``CLONUS_CONTACT_EMAIL``), short timeouts and
few retries: an editor is waiting for the answer, so a look-up gives up after about fifteen
seconds at worst. Where each service is comes from ``CLONUS_CROSSREF_API`` and
``CLONUS_PUBMED_API``, read on every request, so that tests can point them at a local fake.

Journal names: Vancouver references use the NLM abbreviation ("Anesth Analg"). PubMed gives it
(``MedlineTA``). Crossref does not; it has the abbreviation the publisher deposited, usually the
ISO 4 one ("Anesth. Analg."), which without its full stops is most often NLM's too. So a DOI
look-up fills that, and the full title only when there is no abbreviation; the editor checks it.
"""

import html.parser
import json
import re
from urllib.parse import quote
from xml.etree.ElementTree import ParseError

import urllib3
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as parse_xml
from django.conf import settings
from urllib3.exceptions import HTTPError, InvalidHeader, MaxRetryError, ReadTimeoutError, ResponseError
from urllib3.util import Retry, Timeout

from .identifiers import normalize_doi, normalize_pmid

VERSION = "1.0"
#: Per attempt: connecting, then waiting for each part of the answer.
TIMEOUT = Timeout(connect=2.0, read=5.0)
#: The longest Retry-After worth waiting for; a service asking for longer is answered "busy".
MAX_RETRY_AFTER = 2.0
#: No work record or PubMed article comes near this; anything longer is not one.
MAX_BYTES = 5 * 1024 * 1024
#: Answers worth asking again for: rate limits and server trouble.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class LookupFailed(Exception):
    """A look-up that gave nothing; the message says why, in a sentence for an editor."""


class NotFound(LookupFailed):
    """The service answered, and has no such record."""


class Unreachable(LookupFailed):
    """The service could not be reached, did not answer in time, or was too busy to."""


class BadAnswer(LookupFailed):
    """The service answered something that is not a record."""


class PoliteRetry(Retry):
    """urllib3's ``Retry`` that gives up at once when asked to wait longer than ``MAX_RETRY_AFTER``,
    rather than ask again before the service wants: the editor hears it is busy instead."""

    def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):
        if response is not None and response.headers.get("Retry-After"):
            try:
                wait = self.get_retry_after(response)
            except InvalidHeader:
                wait = None
            if wait is not None and wait > MAX_RETRY_AFTER:
                raise MaxRetryError(_pool, url, ResponseError(f"asked to wait {wait:g} seconds"))
        return super().increment(method, url, response, error, _pool, _stacktrace)


#: One more try after a refused or timed-out connection or a 429/5xx answer (at once, or after
#: the Retry-After asked for), never after a slow answer: a second wait as long is not worth it.
RETRIES = PoliteRetry(
    total=2,
    connect=1,
    read=0,
    status=1,
    other=0,
    redirect=2,
    status_forcelist=RETRY_STATUSES,
    allowed_methods={"GET"},
    backoff_factor=0.5,
    backoff_max=MAX_RETRY_AFTER,
    raise_on_status=False,
)
POOL = urllib3.PoolManager(num_pools=4, maxsize=4)


def user_agent():
    """``Clonus/1.0 (+mailto:editors@example.org)``: who is asking, and how to reach them."""
    email = settings.CLONUS_CONTACT_EMAIL
    return f"Clonus/{VERSION} (+mailto:{email})" if email else f"Clonus/{VERSION}"


class Service:
    """A remote API: ``name`` is how editors know it, ``setting`` holds its base URL."""

    def __init__(self, name, setting, timeout=TIMEOUT, retries=RETRIES):
        self.name, self.setting, self.timeout, self.retries = name, setting, timeout, retries

    def url(self, path):
        return f"{getattr(settings, self.setting).rstrip('/')}/{path}"

    def get(self, path, not_found, **params):
        """The body of a successful answer to ``GET path?params``; ``not_found`` is the message
        of the ``NotFound`` raised for a 404."""
        try:
            response = POOL.request(
                "GET",
                self.url(path),
                fields=params or None,
                headers={"User-Agent": user_agent(), "Accept-Encoding": "gzip, deflate"},
                timeout=self.timeout,
                retries=self.retries,
                preload_content=False,
            )
            body = read_at_most(response, MAX_BYTES)
        except MaxRetryError as error:
            raise self.unreachable(error.reason) from error
        except HTTPError as error:
            raise self.unreachable(error) from error
        if body is None:
            raise self.bad_answer("an answer far longer than any record")
        if response.status == 404:
            raise NotFound(not_found)
        if response.status in RETRY_STATUSES:
            raise Unreachable(
                f"{self.name} is busy or down (it answered {response.status}); "
                "try again in a few minutes. Nothing was changed."
            )
        if response.status != 200:
            raise self.bad_answer(f"an error ({response.status})")
        return body

    def unreachable(self, error):
        if isinstance(error, ReadTimeoutError):
            seconds = self.timeout.read_timeout
            return Unreachable(
                f"{self.name} did not answer within {seconds:g} seconds; try again in a minute. Nothing was changed."
            )
        return Unreachable(f"{self.name} could not be reached (no network?); nothing was changed.")

    def bad_answer(self, what):
        return BadAnswer(f"{self.name} answered with {what}, not a record; nothing was changed.")


def read_at_most(response, limit):
    """The response's body, or ``None`` (and the connection dropped) if it is longer than ``limit``."""
    body = response.read(limit + 1)
    if len(body) > limit:
        response.close()
        return None
    response.release_conn()
    return body


CROSSREF = Service("Crossref", "CLONUS_CROSSREF_API")
PUBMED = Service("PubMed", "CLONUS_PUBMED_API")


def checked(item, service):
    """The item, without empty values, if a source can be made of it."""
    item = {name: value for name, value in item.items() if value}
    if not item.get("title"):
        raise BadAnswer(f"{service.name}'s record has no title, so no source can be made of it.")
    return item


# Crossref


#: Crossref work types (api.crossref.org/types) as CSL types; the others are "document".
CROSSREF_TYPES = {
    "journal-article": "article-journal",
    "book-chapter": "chapter",
    "book-section": "chapter",
    "book-part": "chapter",
    "reference-entry": "entry-encyclopedia",
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "reference-book": "book",
    "book-set": "book",
    "report": "report",
    "report-component": "report",
    "posted-content": "article",
    "proceedings-article": "paper-conference",
    "dissertation": "thesis",
    "dataset": "dataset",
    "standard": "standard",
    "peer-review": "review",
}


def crossref(doi, service=CROSSREF):
    """The CSL-JSON item of Crossref's record (``/works/{doi}``) of a DOI."""
    doi = normalize_doi(doi)
    body = service.get(f"works/{quote(doi, safe='/')}", not_found=f"Crossref has no record of the DOI {doi}.")
    try:
        answer = json.loads(body)
    except ValueError:
        raise service.bad_answer("something that is not JSON") from None
    if (
        not isinstance(answer, dict)
        or answer.get("message-type") != "work"
        or not isinstance(answer.get("message"), dict)
    ):
        raise service.bad_answer("something other than a work")
    return checked(work_item(answer["message"]), service)


def work_item(work):
    """A Crossref work (the ``message`` of its answer) as a CSL-JSON item."""
    kind = CROSSREF_TYPES.get(work.get("type"), "document")
    url = work.get("URL") or ""
    return {
        "type": kind,
        "title": work_title(work),
        "container-title": container_title(work, kind),
        "author": crossref_names(work.get("author")),
        "editor": crossref_names(work.get("editor")),
        "issued": work_date(work),
        "volume": work.get("volume"),
        "issue": work.get("issue") or (work.get("journal-issue") or {}).get("issue"),
        "page": nlm_pages(work.get("page") or work.get("article-number") or ""),
        "publisher": work.get("publisher"),
        "publisher-place": work.get("publisher-location"),
        "DOI": work.get("DOI"),
        "ISBN": first(work.get("ISBN")),
        # Crossref's URL is the DOI's link, which the DOI already gives.
        "URL": "" if re.match(r"https?://(dx\.)?doi\.org/", url) else url,
        "language": work.get("language"),
        "abstract": abstract_text(work.get("abstract") or ""),
    }


def first(values):
    """The first of Crossref's list of titles (or ISBNs), or ''."""
    return values[0] if isinstance(values, list) and values else ""


def work_title(work):
    """The title, then its subtitle after a colon, as Citing Medicine writes them."""
    title, subtitle = plain_text(first(work.get("title"))), plain_text(first(work.get("subtitle")))
    return f"{title}: {subtitle}" if subtitle and subtitle.lower() not in title.lower() else title


def container_title(work, kind):
    """The journal's abbreviation (see the module's docstring), or the book a chapter is in."""
    if kind == "book":
        return ""  # a book's container is its series
    if kind == "article-journal" and (short := plain_text(first(work.get("short-container-title")))):
        return " ".join(short.replace(".", " ").split())
    return plain_text(first(work.get("container-title")))


def crossref_names(people):
    names = []
    for person in people or []:
        if person.get("family"):
            names.append({"family": plain_text(person["family"]), "given": plain_text(person.get("given", ""))})
        elif person.get("name"):  # an organisation
            names.append({"literal": plain_text(person["name"])})
    return names


def work_date(work):
    """The print issue's date where there is one (what volume and issue belong to), else the
    earliest date of publication."""
    for name in ("published-print", "issued"):
        parts = [part for part in ((work.get(name) or {}).get("date-parts") or [[]])[0] if part]
        if parts:
            return {"date-parts": [parts]}
    return None


def nlm_pages(pages):
    """Page ranges as Citing Medicine shortens them: ``1532-1533`` → ``1532-3``."""
    match = re.fullmatch(r"(\d+)\s*[-–]\s*(\d+)", pages.strip())
    if not match or len(match[2]) != len(match[1]):
        return pages.strip()
    start, end = match.groups()
    common = next((i for i, (a, b) in enumerate(zip(start, end, strict=True)) if a != b), len(end) - 1)
    return f"{start}-{end[common:]}"


class TextOnly(html.parser.HTMLParser):
    """The text of HTML or JATS markup, in blocks: one at each paragraph, section or title."""

    BLOCKS = {"p", "sec", "title", "list-item", "div", "br"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = [["", False]]  # [text, whether it is a title]

    def handle_starttag(self, tag, attrs):
        if (name := tag.rpartition(":")[2]) in self.BLOCKS:
            self.blocks.append(["", name == "title"])

    def handle_endtag(self, tag):
        if tag.rpartition(":")[2] in self.BLOCKS:
            self.blocks.append(["", False])

    def handle_data(self, data):
        self.blocks[-1][0] += data


def blocks(markup):
    """``(text, is_title)`` for each block of ``markup`` that has text, on one line."""
    parser = TextOnly()
    parser.feed(markup or "")
    parser.close()
    return [(" ".join(text.split()), title) for text, title in parser.blocks if text.strip()]


def plain_text(markup):
    """``<i>TERT</i> &amp; risk`` → ``TERT & risk``, on one line."""
    return " ".join(text for text, _ in blocks(markup))


def abstract_text(markup):
    """A JATS abstract as plain paragraphs, each section's title before its first paragraph
    ("Objectives: To review…"), as PubMed writes them; the heading "Abstract" is left out."""
    paragraphs, heading = [], ""
    for text, title in blocks(markup):
        if title:
            heading = "" if text.lower() == "abstract" else text
        else:
            paragraphs.append(f"{heading}: {text}" if heading else text)
            heading = ""
    return "\n\n".join(paragraphs)


# PubMed


MONTHS = {name: number for number, name in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
#: MEDLINE's languages (ISO 639-2) as language tags, for those sources are most often in.
LANGUAGES = {
    "eng": "en", "fre": "fr", "ger": "de", "spa": "es", "ita": "it", "por": "pt", "dut": "nl",
    "dan": "da", "swe": "sv", "nor": "no", "fin": "fi", "pol": "pl", "cze": "cs", "hun": "hu",
    "gre": "el", "tur": "tr", "rus": "ru", "heb": "he", "ara": "ar", "chi": "zh", "jpn": "ja", "kor": "ko",
}  # fmt: skip
#: PubMed publication types that make an item something other than a journal article.
PUBLICATION_TYPES = {
    "Preprint": "article",
    "Congress": "paper-conference",
    "Technical Report": "report",
    "Dataset": "dataset",
}


def pubmed(pmid, service=PUBMED):
    """The CSL-JSON item of PubMed's record of a PMID (``efetch.fcgi?db=pubmed&retmode=xml``)."""
    pmid = normalize_pmid(pmid)
    params = {"db": "pubmed", "id": pmid, "retmode": "xml", "tool": "clonus"}
    if settings.CLONUS_CONTACT_EMAIL:
        params["email"] = settings.CLONUS_CONTACT_EMAIL
    not_found = f"PubMed has no article with the PMID {pmid}."
    item = efetch_item(service.get("efetch.fcgi", not_found=not_found, **params), service)
    if item is None:
        raise NotFound(not_found)  # NCBI answers an unknown PMID with an empty set
    return item


def efetch_item(body, service=PUBMED):
    """The CSL-JSON item of the record in an efetch answer (XML), or ``None`` if it holds none."""
    root = xml_root(body, service)
    for tag, needed, item_of in RECORDS:
        if (record := root.find(tag)) is not None:
            if record.find(needed) is None:
                raise service.bad_answer(f"a <{tag}> without {needed}")
            return checked(item_of(record), service)
    return None


def xml_root(body, service):
    try:
        root = parse_xml(body)
    except (ParseError, DefusedXmlException):
        raise service.bad_answer("something that is not XML") from None
    if root.tag != "PubmedArticleSet":
        raise service.bad_answer(f"<{root.tag}>")
    return root


def text(element, path=None):
    """The text of ``element`` (or of what ``path`` finds in it), markup and all, on one line."""
    if element is not None and path:
        element = element.find(path)
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def article_item(article):
    """A ``<PubmedArticle>`` as a CSL-JSON item."""
    citation = article.find("MedlineCitation")
    body = citation.find("Article")
    journal = body.find("Journal")
    return {
        "type": publication_type(body),
        "title": text(body, "ArticleTitle").removesuffix(".") or text(body, "VernacularTitle"),
        "container-title": journal_abbreviation(citation, journal),
        "author": pubmed_names(body.find("AuthorList")),
        "issued": pubmed_date(journal.find("JournalIssue/PubDate")),
        "volume": text(journal, "JournalIssue/Volume"),
        "issue": text(journal, "JournalIssue/Issue"),
        "page": text(body, "Pagination/MedlinePgn"),
        "abstract": pubmed_abstract(body.find("Abstract")),
        "language": LANGUAGES.get(text(body, "Language"), ""),
        "PMID": text(citation, "PMID"),
        "DOI": article_id(article, "doi") or text(body, "ELocationID[@EIdType='doi']"),
        "PMCID": article_id(article, "pmc"),
    }


def book_item(article):
    """A ``<PubmedBookArticle>`` (a book or chapter on the NCBI Bookshelf) as a CSL-JSON item."""
    document = article.find("BookDocument")
    book = document.find("Book")
    chapter = text(document, "ArticleTitle").removesuffix(".")
    accession = text(document, "ArticleIdList/ArticleId[@IdType='bookaccession']")
    return {
        "type": "chapter" if chapter else "book",
        "title": chapter or text(book, "BookTitle"),
        "container-title": text(book, "BookTitle") if chapter else "",
        "author": pubmed_names(document.find("AuthorList[@Type='authors']")),
        "editor": pubmed_names(book.find("AuthorList[@Type='editors']")),
        "issued": pubmed_date(book.find("PubDate")),
        "publisher": text(book, "Publisher/PublisherName"),
        "publisher-place": text(book, "Publisher/PublisherLocation"),
        "ISBN": text(book, "Isbn"),
        "URL": f"https://www.ncbi.nlm.nih.gov/books/{accession}/" if accession else "",
        "abstract": pubmed_abstract(document.find("Abstract")),
        "language": LANGUAGES.get(text(document, "Language"), ""),
        "PMID": text(document, "PMID"),
    }


def publication_type(body):
    types = [text(element) for element in body.findall("PublicationTypeList/PublicationType")]
    return next((PUBLICATION_TYPES[name] for name in types if name in PUBLICATION_TYPES), "article-journal")


def journal_abbreviation(citation, journal):
    """NLM's abbreviation (``MedlineTA``), else the ISO one without its full stops, else the title."""
    iso = " ".join(text(journal, "ISOAbbreviation").replace(".", " ").split())
    return text(citation, "MedlineJournalInfo/MedlineTA") or iso or text(journal, "Title")


def pubmed_names(author_list):
    names = []
    for author in author_list.findall("Author") if author_list is not None else []:
        if author.get("ValidYN") == "N":
            continue
        if collective := text(author, "CollectiveName"):
            names.append({"literal": collective})
        elif family := text(author, "LastName"):
            names.append({"family": family, "given": given_name(text(author, "ForeName"), text(author, "Initials"))})
    return names


def given_name(fore_name, initials):
    """The given names where MEDLINE has them ("Edward W"), else the initials ("AG", not "A G")."""
    return fore_name if any(len(word) > 1 for word in fore_name.split()) else initials or fore_name


def pubmed_date(date):
    """``<PubDate>`` as a CSL date: Year, Month (``Mar`` or ``03``) and Day, or the year and month
    that a ``MedlineDate`` ("1998 Dec-1999 Jan", "2001 Fall") starts with."""
    if date is None:
        return None
    year, month, day = text(date, "Year"), text(date, "Month"), text(date, "Day")
    if not year and (match := re.match(r"(\d{4})(?:\s+([A-Za-z]{3}))?", text(date, "MedlineDate"))):
        year, month, day = match[1], match[2] or "", ""
    month = int(month) if month.isdigit() else MONTHS.get(month[:3].lower(), 0)
    parts = [int(year)] if year.isdigit() else []
    if parts and month:
        parts += [month, int(day)] if day.isdigit() else [month]
    return {"date-parts": [parts]} if parts else None


def pubmed_abstract(abstract):
    """The abstract's parts as paragraphs, each after its label: "OBJECTIVES: To review…"."""
    found = []
    for part in abstract.findall("AbstractText") if abstract is not None else []:
        label = part.get("Label")
        paragraph = text(part)
        found.append(f"{label}: {paragraph}" if label and label != "UNLABELLED" else paragraph)
    return "\n\n".join(paragraph for paragraph in found if paragraph)


def article_id(article, kind):
    return text(article, f"PubmedData/ArticleIdList/ArticleId[@IdType='{kind}']")


#: PubMed's records (an article, or a book or chapter on the NCBI Bookshelf): the element, the
#: part it cannot be read without, and what reads it.
RECORDS = [
    ("PubmedArticle", "MedlineCitation/Article/Journal", article_item),
    ("PubmedBookArticle", "BookDocument/Book", book_item),
]
