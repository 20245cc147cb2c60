"""The publish checks of an article's content, as sentences an editor can act on.

The same checks run on a section being edited (``Section.problems``) and on a saved revision
(``snapshots.content_problems``), so what the change page warns of is what publishing refuses.
"""

import html
import re

from .markdown import ERROR_PLACEHOLDER, PLACEHOLDER, placeholders
from .marks import START

#: How many problems of one kind a form error lists before it says how many more there are.
MAX_REPORTED = 10
#: Code, where text like a mark is meant to show, and tags, whose attributes are not text.
CODE_HTML = re.compile(r"<(code|pre)\b.*?</\1>", re.DOTALL)
TAG = re.compile(r"<[^>]*>")
#: A mark shown as text, as far as its closing bracket.
WRITTEN = re.compile(r"\[[^\]\n]{0,80}\]?")
#: What an uploaded image's description says until the editor writes one.
IMAGE_PLACEHOLDER = "Describe this image for readers who cannot see it"
#: An image with no description (or only spaces), or with the placeholder.
UNDESCRIBED_IMAGE = re.compile(rf'<img(?![^>]*\balt="(?!{IMAGE_PLACEHOLDER})[^"]*[^"\s][^"]*")[^>]*>')


class Problem(str):
    """A sentence for the editor, and the section it concerns (``None`` for the whole article).

    A ``str``, so lists of problems read, join and compare as the sentences they are.
    """

    def __new__(cls, text, section_id=None):
        problem = super().__new__(cls, text)
        problem.section_id = section_id
        return problem


def html_problems(heading, body_html, cited_keys, section_id=None):
    """Marks that do not parse, marks naming no source, and images with no description."""
    problems = []
    errors = ERROR_PLACEHOLDER.findall(body_html)
    for reason, written in errors[:MAX_REPORTED]:
        problems.append(
            Problem(
                f"A citation mark in “{heading}” does not parse: “{html.unescape(written)}”, {html.unescape(reason)}",
                section_id,
            )
        )
    if len(errors) > MAX_REPORTED:
        problems.append(
            Problem(f"… and {len(errors) - MAX_REPORTED} more marks in “{heading}” that do not parse.", section_id)
        )
    for written in literal_marks(body_html)[:MAX_REPORTED]:
        problems.append(
            Problem(
                f"“{written}” in “{heading}” shows as text, not as a citation: save the article again to have "
                "the mark checked.",
                section_id,
            )
        )
    marked = {key for placeholder in placeholders(body_html) for key in placeholder.keys}
    for key in sorted(marked - cited_keys):
        problems.append(Problem(f"A citation mark in “{heading}” names “{key}”, which is no source.", section_id))
    if undescribed := len(UNDESCRIBED_IMAGE.findall(body_html)):
        problems.append(
            Problem(
                f"{undescribed} image{'s' if undescribed > 1 else ''} in “{heading}” "
                f"{'have' if undescribed > 1 else 'has'} no description for readers who cannot see "
                f"{'them' if undescribed > 1 else 'it'}: write it between the brackets of ![…](…).",
                section_id,
            )
        )
    return problems


def literal_marks(body_html):
    """Text that starts like a mark but stands in the HTML as plain text, outside code.

    Marks are placeholders in HTML rendered now, and malformed ones are reported by their own
    placeholder; this finds those saved before the grammar accepted them (``[@Boyer2005]``,
    ``[@chou2004, p. 150]``), which readers would see with their brackets.
    """
    for element in (CODE_HTML, PLACEHOLDER, ERROR_PLACEHOLDER):
        body_html = element.sub("", body_html)
    text = html.unescape(TAG.sub("", body_html))
    return [WRITTEN.match(text, found.start()).group() for found in START.finditer(text)]
