"""A field added to a section or a citation must be versioned, or a test fails: the snapshot
names its fields explicitly (articles/snapshots.py), so nothing goes unversioned silently."""

from articles.models import Article, Section
from articles.snapshots import CITATION_FIELDS, SECTION_FIELDS, article_fields, model_fields
from references.models import Citation, Source


def names(model, leave_out=()):
    return {f.name for f in model._meta.concrete_fields if not f.primary_key} - set(leave_out)


def test_every_section_field_is_in_the_snapshot():
    assert names(Section, leave_out={"article"}) == set(SECTION_FIELDS)


def test_every_citation_field_is_in_the_snapshot():
    assert names(Citation, leave_out={"section", "source"}) == set(CITATION_FIELDS)


def test_every_field_an_editor_sets_on_an_article_is_in_the_snapshot():
    editable = {f.name for f in Article._meta.concrete_fields if f.editable and not f.primary_key}
    assert {f.name for f in article_fields(Article())} == editable - {"created", "updated"}


def test_every_bibliographic_field_of_a_source_is_in_the_snapshot():
    kept = {f.name for f in model_fields(Source)}
    assert kept == names(Source, leave_out={"created", "updated"})
