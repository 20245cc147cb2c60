import pytest
from django.db import IntegrityError
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def test_published_excludes_drafts_and_future_articles():
    live = make_article()
    make_article(published=False)
    make_article(published_at=timezone.now() + timezone.timedelta(days=1))
    assert list(Article.objects.published()) == [live]


def test_publishing_without_a_date_sets_it_to_now():
    article = make_article(published=False)
    article.status = Article.Status.PUBLISHED
    article.save()
    assert article.published_at is not None and article.is_public


def test_database_refuses_a_published_article_without_date():
    article = make_article()
    with pytest.raises(IntegrityError):
        Article.objects.filter(pk=article.pk).update(published_at=None)


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
