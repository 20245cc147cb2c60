"""What changed between two snapshots of an article, put so that an editor can read it.

Both sides are snapshot dicts (``Revision.data``, or ``snapshots.take(article)`` for the draft).
A snapshot saved before a migration lacks the fields the migration added, so everything is read
with a default: a field one side does not have compares as empty, and nothing raises.
"""

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from django.utils.html import escape
from django.utils.safestring import mark_safe

#: Words, runs of white space, and single punctuation marks: a diff of these reads as prose.
TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
#: Article fields shown on their own, first; any others (byline, slug…) follow if they changed.
MAIN_FIELDS = ("title", "summary")
#: Kept in the snapshot for restoring; the topic's name (``data["topic"]``) is what people read.
HIDDEN_FIELDS = {"topic_id"}


def text(value):
    return "" if value is None else str(value)


def word_diff(old, new):
    """``old`` → ``new`` as escaped HTML with deletions in <del> and insertions in <ins>.

    Colour alone must not carry the change (WCAG 1.4.1): the elements carry a ``title`` and
    visually hidden words for screen readers, and the admin CSS adds +/− and under/strike lines.
    """
    return mark_safe("".join(render_part(*part) for part in diff_parts(text(old), text(new))))


def diff_parts(old, new):
    """(changed, old text, new text) runs; a lone space between two changes joins them, so
    that a rewritten phrase reads as one deletion and one insertion, not word by word."""
    a, b = TOKEN.findall(old), TOKEN.findall(new)
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    parts = [(tag != "equal", "".join(a[i1:i2]), "".join(b[j1:j2])) for tag, i1, i2, j1, j2 in opcodes]
    merged = []
    for n, (changed, before, after) in enumerate(parts):
        bridge = before.isspace() and 0 < n < len(parts) - 1 and parts[n - 1][0] and parts[n + 1][0]
        if (changed or bridge) and merged and merged[-1][0]:
            merged[-1] = (True, merged[-1][1] + before, merged[-1][2] + after)
        else:
            merged.append((changed or bridge, before, after))
    return merged


def render_part(changed, before, after):
    if not changed:
        return escape(after)
    html = ""
    if before:
        html += f'<del title="deleted"><span class="visually-hidden">deleted: </span>{escape(before)}</del>'
    if after:
        html += f'<ins title="inserted"><span class="visually-hidden">inserted: </span>{escape(after)}</ins>'
    return html


@dataclass
class Change:
    """One text field on both sides."""

    label: str
    old: str
    new: str

    @property
    def changed(self):
        return self.old != self.new

    @cached_property
    def html(self):
        return word_diff(self.old, self.new)


@dataclass
class SectionChange:
    """One section, matched by its id on both sides; ``old`` or ``new`` is None when the section
    exists on one side only."""

    old: dict | None
    new: dict | None
    moved: bool = False
    citations_added: list = field(default_factory=list)
    citations_removed: list = field(default_factory=list)

    @cached_property
    def heading(self):
        return Change("heading", text((self.old or {}).get("heading")), text((self.new or {}).get("heading")))

    @cached_property
    def body(self):
        return Change("text", text((self.old or {}).get("body")), text((self.new or {}).get("body")))

    @property
    def status(self):
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        if self.heading.changed or self.body.changed or self.citations_added or self.citations_removed:
            return "changed"
        return "unchanged"


class Comparison:
    """Everything that differs between snapshot ``old`` and snapshot ``new``."""

    def __init__(self, old, new):
        self.old, self.new = old or {}, new or {}
        before, after = self.old.get("article") or {}, self.new.get("article") or {}
        self.title, self.summary = (Change(name, text(before.get(name)), text(after.get(name))) for name in MAIN_FIELDS)
        others = [name for name in {**before, **after} if name not in {*MAIN_FIELDS, *HIDDEN_FIELDS}]
        fields = [Change(name.replace("_", " "), text(before.get(name)), text(after.get(name))) for name in others]
        fields.append(Change("topic", text(self.old.get("topic")), text(self.new.get("topic"))))
        self.other_fields = [change for change in fields if change.changed]
        self.sections = compare_sections(self.old, self.new)

    @cached_property
    def counts(self):
        """How many sections were added, removed, changed, moved: for the summary line."""
        counts = Counter(section.status for section in self.sections)
        counts["moved"] = sum(section.moved for section in self.sections)
        return counts

    @property
    def has_changes(self):
        return bool(
            self.title.changed
            or self.summary.changed
            or self.other_fields
            or any(s.status != "unchanged" or s.moved for s in self.sections)
        )


def compare_sections(old, new):
    """Sections in the new order, each removed one placed after the section it used to follow.

    Of the sections on both sides, the longest run kept in the same order stays in place; the
    others are reported as moved, so moving one section up does not mark all it passed.
    """
    before, after = sections_by_id(old), sections_by_id(new)
    kept_old = [key for key in before if key in after]
    kept_new = [key for key in after if key in before]
    matcher = difflib.SequenceMatcher(None, kept_old, kept_new, autojunk=False)
    in_place = {kept_new[j + n] for _, j, size in matcher.get_matching_blocks() for n in range(size)}
    old_sources, new_sources = old.get("sources") or {}, new.get("sources") or {}

    placed = []
    for index, (key, section) in enumerate(after.items()):
        change = SectionChange(before.get(key), section, moved=key in before and key not in in_place)
        placed.append(((index, 0, 0), change))
    new_index, follows = {key: n for n, key in enumerate(after)}, -1
    for index, (key, section) in enumerate(before.items()):
        if key in after:
            follows = new_index[key]
        else:
            placed.append(((follows, 1, index), SectionChange(section, None)))
    changes = [change for _, change in sorted(placed, key=lambda pair: pair[0])]

    for change in changes:
        cited_before = cited_keys(change.old, old_sources)
        cited_after = cited_keys(change.new, new_sources)
        change.citations_added = [key for key in cited_after if key not in cited_before]
        change.citations_removed = [key for key in cited_before if key not in cited_after]
    return changes


def sections_by_id(data):
    return {section.get("id", f"position {n}"): section for n, section in enumerate(data.get("sections") or [])}


def cited_keys(section, sources):
    """The keys of the sources ``section`` cites, in citation order."""
    keys = []
    for citation in (section or {}).get("citations") or []:
        record = sources.get(str(citation.get("source"))) or {}
        keys.append(record.get("key") or f"source {citation.get('source')}")
    return list(dict.fromkeys(keys))
