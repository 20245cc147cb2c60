"""The editor's desk: locators at their marks, problems shown while editing, the preview numbered
within the article, and the citation picker's search."""

import json
import time

import pytest
from django.urls import reverse

from articles.models import Article, PublishRefused, Revision, Section
from tests.articles.test_admin import article_form
from tests.articles.test_sanitizing import Inspector
from tests.factories import make_article, make_section, make_source, make_user, publish, sign_off

pytestmark = pytest.mark.django_db
PREVIEW = reverse("articles:editor-preview")
SOURCES = reverse("articles:editor-sources")


# Locators belong to their mark.


def test_one_source_cited_at_two_pages_keeps_one_number_and_shows_each_page_at_its_mark(client):
    make_source("chou2004")
    article = make_article()
    make_section(article, "First claim [@chou2004, p. 150].", position=1)
    make_section(article, "Second claim [@Chou2004, pp. 160-2].", position=2)
    publish(article)

    html = client.get(article.get_absolute_url()).text

    assert html.count('id="ref-1"') == 1 and 'id="ref-2"' not in html
    assert 'aria-label="reference 1, page 150">1(p150)</a></sup>' in html
    assert 'aria-label="reference 1, pages 160-2">1(pp160-2)</a></sup>' in html


def test_locators_other_than_pages_and_prefixes_show_in_words(client):
    make_source("lance1980"), make_source("boyraz2015")
    article = make_article()
    make_section(article, "Claim [see @lance1980, ch. 2; @boyraz2015, fig. 3].")
    publish(article)

    html = client.get(article.get_absolute_url()).text

    assert "see <a" in html and ">1(ch 2)</a>" in html and ">2(fig 3)</a>" in html
    assert 'aria-label="reference 1, chapter 2"' in html and 'aria-label="reference 2, figure 3"' in html


def test_the_locator_is_in_the_snapshot_and_the_compare_view(superuser_client):
    make_source("chou2004")
    article = make_article()
    section = make_section(article, "Claim [@chou2004, p. 150].")
    first = Revision.objects.record(article)
    section.body = "Claim [@chou2004, p. 152]."
    section.save()
    second = Revision.objects.record(article)

    (saved,) = first.data["sections"]
    assert "[@chou2004, p. 150]" in saved["body"] and "&quot;150&quot;" in saved["body_html"]
    url = reverse("admin:articles_article_compare", args=[article.pk]) + f"?a={first.pk}&b={second.pk}"
    diff = superuser_client.get(url).text
    assert "150" in diff and "152" in diff and "<del" in diff and "<ins" in diff


# Nothing that looks like a mark is silently text.


def test_a_malformed_mark_is_a_form_error_quoting_it_and_nothing_is_saved(superuser_client):
    make_source("nice2012")

    response = superuser_client.post(
        reverse("admin:articles_article_add"), article_form(**{"sections-0-body": "Treat it [@nice 2012]."})
    )

    assert response.status_code == 200
    assert "“[@nice 2012]”: a key has no spaces" in response.text
    assert "Treat it [@nice 2012]." in response.text  # the editor's text is still there
    assert not Article.objects.exists()


def test_a_section_reports_every_malformed_mark_up_to_a_limit():
    section = Section(article=make_article(), heading="Why?", body=" ".join(f"[@k {n}]" for n in range(25)))

    with pytest.raises(Exception) as error:
        section.full_clean()

    messages = error.value.message_dict["body"]
    assert len(messages) == 11 and messages[-1] == "… and 15 more marks like these."


def test_a_body_over_the_limit_is_refused_with_its_length_before_it_is_parsed():
    section = Section(article=make_article(), heading="Why?", body="[" * 100_001)

    with pytest.raises(Exception) as error:
        section.full_clean()

    assert "at most 100,000 characters and this one has 100,001" in str(error.value)


def test_publishing_refuses_a_revision_holding_a_malformed_mark():
    source = make_source("nice2012")
    article = make_article()
    make_section(article, f"Fine [@{source.key}]. Broken [@nice2012, pg. 3].")  # save() does not validate
    revision = Revision.objects.record(article)
    sign_off(revision)

    with pytest.raises(PublishRefused) as refused:
        article.publish(revision, make_user("Site admins"))

    assert any("“[@nice2012, pg. 3]”" in problem for problem in refused.value.reasons)


def test_a_revision_saved_before_the_grammar_accepted_its_marks_is_refused():
    source = make_source("boyer2005")
    article = make_article()
    section = make_section(article, f"Fine [@{source.key}].", heading="Why?")
    # As an older renderer stored it: the mark it did not know is text, beside a real one.
    Section.objects.filter(pk=section.pk).update(
        body_html=f'<p>Fine <sup class="citation-mark" data-cite="{source.key}">[@{source.key}]</sup>. '
        "Also [@Boyer2005, p. 3]. Code <code>[@Boyer2005]</code> is fine.</p>"
    )

    problems = Revision.objects.record(article).content_problems()

    assert problems == [
        "“[@Boyer2005, p. 3]” in “Why?” shows as text, not as a citation: save the article again to have the mark checked."
    ]


def test_upper_case_keys_cite_the_lower_case_source():
    make_source("boyer2005")

    section = make_section(make_article(), "Claim [@Boyer2005].")

    assert [c.source.key for c in section.citations.all()] == ["boyer2005"]


# Problems are shown while editing.


def test_the_change_page_lists_failing_checks_beside_the_section_concerned(superuser_client):
    make_source("a")
    article = make_article()
    fine = make_section(article, "Claim [@a].", heading="What is it?")
    bare = make_section(article, "No source at all.", heading="Who gets it?")
    Revision.objects.record(article)

    html = superuser_client.get(reverse("admin:articles_article_change", args=[article.pk])).text

    assert "Publishing would be refused" in html
    assert f'href="#section-checks-{bare.pk}">Section “Who gets it?” cites no source.' in html
    assert f'id="section-checks-{bare.pk}"' in html and f'id="section-checks-{fine.pk}"' not in html
    assert "has no sign-off from a medical reviewer" in html


def test_the_submit_page_lists_failing_checks_and_still_submits(client):
    editor = make_user("Editors")
    client.force_login(editor)
    article = make_article()
    make_section(article, "Nothing cited.", heading="Why?")
    revision = Revision.objects.record(article, editor)
    url = reverse("admin:articles_article_submit", args=[article.pk])

    page = client.get(url).text
    response = client.post(url)

    assert "Section “Why?” cites no source." in page and "You can submit it as it is" in page
    assert response.status_code == 302
    revision.refresh_from_db()
    assert revision.submitted_at is not None


@pytest.mark.parametrize(
    "images, undescribed",
    [("![](/m/a.png)", 1), ("![A foot held up](/m/a.png) ![](/m/b.png) ![ ](/m/c.png)", 2), ("![A foot](/m/a.png)", 0)],
    ids=["empty", "two of three", "described"],
)
def test_images_without_a_description_are_counted_by_the_publish_checks(images, undescribed):
    source = make_source()
    article = make_article()
    make_section(article, f"Claim [@{source.key}].\n\n{images}", heading="Signs?")

    problems = Revision.objects.record(article).content_problems()

    assert [p for p in problems if "no description" in p] == (
        [
            f"{undescribed} image{'s' if undescribed > 1 else ''} in “Signs?” {'have' if undescribed > 1 else 'has'} no "
            f"description for readers who cannot see {'them' if undescribed > 1 else 'it'}: write it between the brackets of ![…](…)."
        ]
        if undescribed
        else []
    )


def test_an_uploaded_image_must_be_described_before_publishing():
    source = make_source()
    article = make_article()
    make_section(article, f"Claim [@{source.key}].\n\n![Describe this image for readers who cannot see it](/m/x.png)")

    problems = Revision.objects.record(article).content_problems()

    assert problems == [
        f"1 image in “{article.sections.get().heading}” has no description for readers who cannot see it: "
        "write it between the brackets of ![…](…)."
    ]


# The preview is numbered within the whole article.


def post_preview(client, sections, **extra):
    return client.post(PREVIEW, json.dumps({"sections": sections, **extra}), content_type="application/json")


def test_the_preview_formats_a_reference_out_of_date_without_writing_it(staff_client, settings):
    source = make_source("a", title="Prognosis after a first seizure")
    source.format_reference("nlm-citation-sequence")
    settings.CLONUS_CITATION_STYLE = "apa"  # the stored reference is now in another style

    preview = post_preview(staff_client, [{"body": "A claim [@a]."}]).json()["previews"][0]

    assert "(2" in preview  # APA's "(year)." after the authors
    source.refresh_from_db()
    assert source.reference_style == "nlm-citation-sequence"  # the preview reads; a save stores


def test_the_preview_numbers_marks_in_the_order_of_the_whole_article_as_typed(staff_client):
    make_source("a"), make_source("b")

    response = post_preview(staff_client, [{"body": "First [@b]."}, {"body": "Then [@a; @b, p. 7]."}])

    first, second = response.json()["previews"]
    assert 'href="#preview-s0-ref-1"' in first
    assert "#preview-s1-ref-2" in second and "#preview-s1-ref-1" in second
    assert ">1</a>(p7)" in second  # b is 1 throughout, with its locator here
    assert '<li value="2" id="preview-s1-ref-2">' in second  # the reference list under it
    assert "Elwes RDC, Reynolds EH." in second


def test_a_sections_own_page_previews_it_among_the_saved_sections(staff_client):
    make_source("a"), make_source("b")
    article = make_article()
    make_section(article, "Saved first [@a].", position=1)
    second = make_section(article, "Saved second.", position=2)

    response = post_preview(staff_client, [{"id": second.pk, "body": "Edited [@b; @a]."}], article=article.pk)

    (preview,) = response.json()["previews"]
    assert "#preview-s1-ref-2" in preview and "#preview-s1-ref-1" in preview


def test_the_preview_flags_unknown_and_malformed_marks_in_words(staff_client):
    response = post_preview(staff_client, [{"body": "One [@nosuch2099]. Two [@a b]."}])

    (preview,) = response.json()["previews"]
    page = Inspector(preview)
    assert [attrs for tag, attrs in page.elements if tag == "mark"] == [{"class": "citation-problem"}] * 2
    assert "no source has the key “nosuch2099”" in page.text_content()
    assert "a key has no spaces" in page.text_content()


def test_the_preview_shows_the_reference_when_a_mark_is_focused(staff_client):
    make_source("a", title="Clonus at the ankle")

    (preview,) = post_preview(staff_client, [{"body": "Claim [@a]."}]).json()["previews"]

    page = Inspector(preview)
    link = next(attrs for tag, attrs in page.elements if tag == "a" and "aria-describedby" in attrs)
    tip = next(attrs for tag, attrs in page.elements if tag == "span" and attrs.get("role") == "tooltip")
    assert link["aria-describedby"] == tip["id"]
    assert "Clonus at the ankle" in preview


@pytest.mark.parametrize(
    "body",
    ["Clonus is rhythmic. " * 260_000, "[" * 50_000, " ".join(f"C [@k{n % 50}, {n}]." for n in range(5_000))],
    ids=["5 MB", "50,000 [", "5,000 marks"],
)
def test_hostile_bodies_get_a_preview_or_a_clear_error_within_two_seconds(staff_client, body):
    for n in range(50):
        make_source(f"k{n}")
    start = time.process_time()

    response = post_preview(staff_client, [{"body": body}])

    assert time.process_time() - start < 2
    assert response.status_code == 200
    (preview,) = response.json()["previews"]
    if len(body) > 100_000:
        assert "A section holds at most 100,000 characters and this one has 5,200,000" in preview
    elif "@" in body:
        assert preview.count('<sup class="citation">') == 5_000
        assert '<li value="50"' in preview  # the reference list under it


@pytest.mark.parametrize(
    "payload",
    [
        "{not json",
        "[]",
        '{"sections": []}',
        '{"sections": [{"id": "x", "body": ""}]}',
        json.dumps({"sections": [{"body": ""}] * 501}),
    ],
    ids=["not JSON", "not an object", "no sections", "a bad id", "too many sections"],
)
def test_a_broken_preview_request_is_a_clear_error(staff_client, payload):
    response = staff_client.post(PREVIEW, payload, content_type="application/json")

    assert response.status_code == 400 and "reload the page" in response.text


@pytest.mark.parametrize("endpoint", [PREVIEW, SOURCES])
def test_the_editor_endpoints_refuse_readers(client, endpoint):
    client.force_login(make_user())

    assert client.post(endpoint).status_code == 403 or client.get(endpoint).status_code == 403


# The picker's search.


@pytest.fixture
def library():
    return {
        "elwes": make_source("elwes1985", title="Prognosis after a first seizure", container_title="Lancet", year=1985),
        "boyer": make_source(
            "boyer2005",
            authors=[("Boyer", "EW"), ("Shannon", "M")],
            title="The serotonin syndrome",
            container_title="N Engl J Med",
            year=2005,
            doi="10.1056/NEJMra041867",
            pmid="15784664",
        ),
        "nice": make_source("nice2012", authors=[("National Institute for Health and Care Excellence", "")], year=2012),
    }


@pytest.mark.parametrize(
    "query, keys",
    [
        ("elw", ["elwes1985"]),
        ("serotonin", ["boyer2005"]),
        ("shannon", ["boyer2005"]),
        ("2005", ["boyer2005"]),
        ("10.1056/nejmra041867", ["boyer2005"]),
        ("https://doi.org/10.1056/NEJMra041867", ["boyer2005"]),
        ("15784664", ["boyer2005"]),
        ("national excellence", ["nice2012"]),
        ("boyer serotonin", ["boyer2005"]),
        ("boyer seizure", []),
        ("@Boy", ["boyer2005"]),
    ],
)
def test_the_picker_finds_sources_by_key_title_author_year_doi_and_pmid(staff_client, library, query, keys):
    response = staff_client.get(SOURCES, {"q": query})

    assert [s["key"] for s in response.json()["sources"]] == keys


def test_the_picker_lists_author_year_title_and_journal(staff_client, library):
    (found,) = staff_client.get(SOURCES, {"q": "boyer"}).json()["sources"]

    assert found == {"key": "boyer2005", "label": "Boyer EW et al · 2005 · The serotonin syndrome · N Engl J Med"}


def test_keys_starting_with_the_query_come_first(staff_client):
    make_source("zeta", title="Ankle clonus in stroke")
    make_source("ankle2020", title="Something else")

    keys = [s["key"] for s in staff_client.get(SOURCES, {"q": "ankle"}).json()["sources"]]

    assert keys == ["ankle2020", "zeta"]


def test_an_empty_search_lists_the_sources_added_last(staff_client, library):
    keys = [s["key"] for s in staff_client.get(SOURCES).json()["sources"]]

    assert keys == ["nice2012", "boyer2005", "elwes1985"]


def test_the_picker_lists_at_most_ten_and_costs_two_queries(staff_client, django_assert_num_queries):
    for n in range(15):
        make_source(f"clonus{n:02}")
    staff_client.get(SOURCES, {"q": "x"})  # the session and user, read once

    with django_assert_num_queries(4):  # session, user, sources, their authors
        response = staff_client.get(SOURCES, {"q": "clonus"})

    assert len(response.json()["sources"]) == 10


def test_a_preview_request_over_the_upload_limit_is_refused_with_a_clear_message(staff_client):
    response = post_preview(staff_client, [{"body": "Clonus is rhythmic. " * 300_000}])

    assert response.status_code == 413
    assert "too long to preview: a section holds at most 100,000 characters" in response.text
