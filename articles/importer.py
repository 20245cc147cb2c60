"""Importing a plain-text article: ``parse()`` reads the text, ``save()`` writes a draft.

The text has the shape of an article saved from a web page, paragraphs separated by blank lines::

    Everything You Should Know About Clonus        ← the title: the first non-empty line
    Clonus Definition: A condition where …         ← text before the first heading: the summary
    What Causes Clonus?                            ← a heading
    The exact cause …                              ← paragraphs: the section's body
    Sources & references used in this article:     ← then one Google Scholar result per line

A paragraph of a single line is a heading when it

* ends in "?" and reads as one short question: at most 15 words, no sentence break inside; or
* ends in ":", is Title Case (every word capitalised; "of", "and", … may stay lower case after
  the first), has at most 12 words, and is followed by text rather than another heading or the
  end. Lead-in sentences such as "Specific treatment may include:" are not Title Case and stay
  in the body. The colon is dropped from the heading; the question mark is kept.

Page furniture, the title repeated with a short site name after a dash or bar ("Title - at
Example.com", "Title - - Example.com", "Title | Example"), is dropped wherever it stands.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from references import scholar
from references.importing import Library, key_stem
from references.models import Author, Source

from .models import Article, Revision, Section, Topic

MAX_QUESTION_WORDS = 15
MAX_LABEL_WORDS = 12
MAX_SITE_WORDS = 6
MINOR_WORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to"}
SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z]")
SOURCES_HEADING = re.compile(
    r"(?:sources|references|sources\s*(?:&|and)\s*references)(?:\s+used in this article)?\s*:",
    re.IGNORECASE,
)
SITE_SEPARATOR = r"\s*[-–—|][-–—|\s]*"


class ArticleImportError(Exception):
    """Why a file cannot be imported; ``line`` is the 1-based line at fault, if there is one."""

    def __init__(self, message, line=None):
        super().__init__(f"line {line}: {message}" if line else message)
        self.line = line


@dataclass(frozen=True)
class ParsedSection:
    line: int
    heading: str
    body: str  # Markdown


@dataclass(frozen=True)
class ParsedSource:
    line: int
    reference: scholar.ScholarReference


@dataclass(frozen=True)
class ParsedArticle:
    title: str
    title_line: int
    summary: str
    sections: tuple
    sources: tuple


@dataclass
class NewSource:
    source: Source
    authors: list
    authors_truncated: bool


@dataclass
class ImportResult:
    article: Article
    sections: list
    created: list
    reused: list
    #: Created sources whose author list Scholar cut short with "…".
    truncated: list


# Reading and parsing: no database.


def read(path):
    """The file's text; a missing, unreadable or non-UTF-8 file is an ``ArticleImportError``."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise ArticleImportError("no such file") from None
    except OSError as error:
        raise ArticleImportError(f"cannot read the file: {error.strerror}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ArticleImportError("not UTF-8 text; save the file as UTF-8", line) from None


def parse(text):
    lines = [(n, line.strip()) for n, line in enumerate(re.split(r"\r\n|\r|\n", text), 1)]
    title_line, title = next(((n, line) for n, line in lines if line), (None, ""))
    check_title(title, title_line)
    rest = [(n, line) for n, line in lines[title_line:] if not is_furniture(line, title)]
    body, source_lines = split_at_sources(rest)
    summary, sections = sectionize(paragraphs(body))
    if not sections:
        raise ArticleImportError(
            "no headings found: a heading is a question line ending in “?”, or a short "
            "Title Case line ending in “:” followed by text"
        )
    return ParsedArticle(title, title_line, summary, sections, parse_sources(source_lines))


def check_title(title, line):
    limit = Article._meta.get_field("title").max_length
    if not title:
        raise ArticleImportError("the file is empty")
    if SOURCES_HEADING.fullmatch(title):
        raise ArticleImportError("no title: the file starts with its list of sources", line)
    if len(title) > limit:
        raise ArticleImportError(
            f"no title: the first line is a paragraph of {len(title)} characters, not a title (at most {limit})",
            line,
        )


def is_furniture(line, title):
    """Is ``line`` the title followed by a dash and a short site name?"""
    title_words = r"\s+".join(re.escape(word) for word in title.split())
    match = re.fullmatch(rf"{title_words}{SITE_SEPARATOR}(.*)", line, re.IGNORECASE)
    # A sentence after the dash is text about the subject, not the name of a site.
    return bool(match) and (len(match[1].split()) <= MAX_SITE_WORDS and not match[1].endswith((".", "?", "!")))


def split_at_sources(lines):
    for index, (_, line) in enumerate(lines):
        if SOURCES_HEADING.fullmatch(line):
            return lines[:index], [(n, line) for n, line in lines[index + 1 :] if line]
    return lines, []


def paragraphs(lines):
    """Runs of non-blank lines, as (number of the first line, [lines])."""
    runs, previous = [], ""
    for number, line in lines:
        if line and previous:
            runs[-1][1].append(line)
        elif line:
            runs.append((number, [line]))
        previous = line
    return runs


def sectionize(runs):
    """The summary (the text before the first heading) and the sections."""
    summary, sections = [], []
    for index, (number, lines) in enumerate(runs):
        following = runs[index + 1][1] if index + 1 < len(runs) else None
        heading = heading_of(lines, following)
        if heading:
            sections.append((number, heading, []))
        elif sections:
            sections[-1][2].append(as_markdown(" ".join(lines)))
        else:
            summary.append(" ".join(lines))
    return " ".join(summary), tuple(
        ParsedSection(number, heading, "\n\n".join(body)) for number, heading, body in sections
    )


def heading_of(lines, following):
    """The heading this paragraph is (see the module docstring), or None."""
    line = " ".join(lines[0].split())
    if len(lines) > 1:
        return None
    if is_question(line):
        return line
    if is_label(line) and following and not (len(following) == 1 and is_heading(following[0])):
        return line[:-1].rstrip()
    return None


def is_heading(line):
    return is_question(line) or is_label(line)


def is_question(line):
    return line.endswith("?") and len(line.split()) <= MAX_QUESTION_WORDS and not SENTENCE_BREAK.search(line[:-1])


def is_label(line):
    words = line[:-1].split()
    return (
        line.endswith(":")
        and 0 < len(words) <= MAX_LABEL_WORDS
        and all(is_capitalised(word, first=index == 0) for index, word in enumerate(words))
    )


def is_capitalised(word, first):
    letter = next((char for char in word if char.isalpha()), None)
    return letter is None or letter.isupper() or (not first and word.lower() in MINOR_WORDS)


def as_markdown(text):
    """Plain text as Markdown that shows it as written.

    The renderer sanitizes HTML anyway; this keeps imported text from becoming markup that
    sanitizing lets through: tags that would apply instead of showing, remote images, and
    citation marks (the importer must not decide which source a section cites).
    """
    text = re.sub(r"<(?=[A-Za-z/!?])", "&lt;", text)
    return text.replace("![", r"!\[").replace("[@", r"\[@")


def parse_sources(lines):
    parsed = []
    for number, line in lines:
        try:
            parsed.append(ParsedSource(number, scholar.parse(line)))
        except scholar.ScholarFormatError as error:
            shown = line if len(line) <= 60 else line[:59] + "…"
            message = f"not a Google Scholar result ({error}): “{shown}”"
            raise ArticleImportError(message, number) from None
    return tuple(parsed)


# Saving: all or nothing.


def save(parsed, *, slug="", topic=""):
    """Write ``parsed`` as a draft article, validating every object before the first write.

    Sources already in the library (same DOI, PMID, or title, year and first author) are reused. New
    sources are cited nowhere: which section a source supports is an editor's call.
    """
    with transaction.atomic():
        article = new_article(parsed, slug)
        sections = [new_section(article, n, part) for n, part in enumerate(parsed.sections, 1)]
        reused, new_sources = plan_sources(parsed.sources)
        article.topic = topic_named(topic) if topic else None
        article.save()
        for section in sections:
            section.save()  # Renders the Markdown.
        for new in new_sources:
            new.source.save()
            Author.objects.bulk_create(new.authors)
        Source.objects.filter(pk__in=[new.source.pk for new in new_sources]).format_references()
        Revision.objects.record(article, message="Imported from a plain-text article")
    return ImportResult(
        article,
        sections,
        created=[new.source for new in new_sources],
        reused=reused,
        truncated=[new.source for new in new_sources if new.authors_truncated],
    )


def new_article(parsed, slug):
    slug = slug or slugify(parsed.title)[: Article._meta.get_field("slug").max_length]
    if not slug:
        raise ArticleImportError("no slug can be made from the title; give one with --slug")
    if Article.objects.filter(slug=slug).exists():
        raise ArticleImportError(f"an article with the slug “{slug}” already exists; choose another with --slug")
    article = Article(title=parsed.title, slug=slug, summary=parsed.summary)
    return validated(article, parsed.title_line, exclude=["topic"])


def new_section(article, position, parsed):
    section = Section(article=article, position=position, heading=parsed.heading, body=parsed.body)
    return validated(section, parsed.line, exclude=["article"])


def plan_sources(parsed_sources):
    """Existing sources to reuse, and new ones (unsaved, with their authors) to create.

    A source is the same as one in the library, or listed earlier, as an import of sources
    sees it (``references.importing.Library``): same title, year and first author.
    """
    library, reused, new_sources = Library(), [], []
    for item in parsed_sources:
        reference = item.reference
        source = Source(
            kind=Source.Kind.JOURNAL_ARTICLE,
            title=reference.title,
            container_title=reference.container_title,
            year=reference.year,
            publisher=reference.publisher,
            authors_incomplete=reference.authors_truncated,
        )
        family = reference.authors[0][0] if reference.authors else ""
        if same := library.same_work(source, family):
            if same.pk and same not in reused:
                reused.append(same)
            continue  # listed twice, or known
        source.key = library.free_key(key_stem(family, reference.year))
        new_sources.append(new_source(source, reference, item.line))
        library.add(source, family)
    return reused, new_sources


def new_source(source, reference, line):
    validated(source, line)
    authors = [
        validated(Author(source=source, position=n, family=family, given=given), line, ["source"])
        for n, (family, given) in enumerate(reference.authors)
    ]
    return NewSource(source, authors, reference.authors_truncated)


def topic_named(name):
    """The topic with this name (or its slug), created if there is none."""
    slug = slugify(name)
    topic = Topic.objects.filter(Q(slug=slug) | Q(name__iexact=name)).first()
    if topic is None:
        if not slug:
            raise ArticleImportError(f"no slug can be made from the topic name “{name}”")
        topic = validated(Topic(name=name, slug=slug), line=None)
        topic.save()
    return topic


def validated(instance, line, exclude=None):
    """``instance``, once ``full_clean()`` passes; its errors become an ``ArticleImportError``."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        problems = [
            " ".join(messages) if name == NON_FIELD_ERRORS else f"{name}: {' '.join(messages)}"
            for name, messages in error.message_dict.items()
        ]
        raise ArticleImportError("; ".join(problems), line) from None
    return instance
