"""Google Scholar result lines, pasted one a line; ``references.scholar`` reads each.

A line is a journal article, as the article importer takes it: Scholar shows the title, the
authors (cut short with "…", which marks the list incomplete), the journal as Scholar shows it
("Cochrane Database of …" included: Scholar shortens it and the editor completes it), the year,
and the publisher or host, kept as the publisher. Scholar lines have no citation key.
"""

from references import scholar

from . import common

LABEL = "Google Scholar lines"
#: How many of the first lines ``detect`` tries.
SAMPLE = 5


def detect(text):
    lines = [line for line in text.split("\n") if line.strip()][:SAMPLE]
    return any(is_result(line) for line in lines)


def is_result(line):
    try:
        scholar.parse(line)
    except scholar.ScholarFormatError:
        return False
    return True


def parse(text):
    """Every non-blank line as a record."""
    lines = [(number, line) for number, line in enumerate(text.split("\n"), 1) if line.strip()]
    if not lines:
        raise common.FormatError("there is no Google Scholar result in this file")
    return [common.checked(number, line, item_of, text) for number, (line, text) in enumerate(lines, 1)]


def item_of(line):
    try:
        reference = scholar.parse(line)
    except scholar.ScholarFormatError as error:
        raise common.RecordError(f"it is not a Google Scholar result ({error})") from None
    return common.item(
        "article-journal",
        {
            "title": reference.title,
            "container-title": reference.container_title,
            "publisher": reference.publisher,
        },
        authors=[
            common.person(family, given) if given else common.organisation(family)
            for family, given in reference.authors
        ],
        issued=common.date(reference.year),
        incomplete=reference.authors_truncated,
    )
