import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_section, publish

pytestmark = pytest.mark.django_db


def test_published_means_a_live_revision_that_has_not_expired():
    live = make_article()
    publish(live)
    make_article()  # a draft
    expired = make_article()
    publish(expired)
    expired.expire_at = timezone.now() - timezone.timedelta(minutes=1)
    expired.save()
    assert list(Article.objects.published()) == [live]


def test_editing_the_draft_does_not_change_the_live_revision():
    article = make_article(title="Before")
    publish(article)
    article.title = "After"
    article.save()
    make_section(article, "New text.")
    assert article.live_revision.page().title == "Before"
    assert article.live_revision.page().sections == []
    assert article.draft_page().title == "After"


def test_section_anchor_is_made_from_heading_and_kept_unique():
    article = make_article()
    first = make_section(article, heading="What is clonus?")
    second = make_section(article, heading="What is clonus?")
    assert (first.anchor, second.anchor) == ("what-is-clonus", "what-is-clonus-2")


def test_same_anchor_is_allowed_in_different_articles():
    a = make_section(make_article(), heading="Causes")
    b = make_section(make_article(), heading="Causes")
    assert a.anchor == b.anchor == "causes"


def test_sections_are_read_in_position_order():
    article = make_article()
    make_section(article, heading="Second", position=2)
    make_section(article, heading="First", position=1)
    assert [s.heading for s in article.sections.all()] == ["First", "Second"]


def test_section_html_is_rendered_when_saved_not_when_read():
    section = make_section(make_article(), "Some **bold** claim.")
    assert section.body_html == "<p>Some <strong>bold</strong> claim.</p>"


def test_article_url_uses_its_slug():
    assert make_article(slug="clonus").get_absolute_url() == "/articles/clonus/"
