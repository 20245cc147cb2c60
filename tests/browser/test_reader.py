import html
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils.html import strip_tags
from playwright.sync_api import expect

from articles.models import Article, Review
from references.models import Citation
from tests.factories import make_article, make_section, make_source, make_user, publish, ready_article

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

TARGET_HIGHLIGHT = "rgb(255, 243, 196)"  # site.css: --target, the background of :target
TARGET_RING = "rgb(138, 90, 0)"  # site.css: --target-ring, its outline
MARKS = 'a[role="doc-noteref"]'
POPOVER = "#reference-popover"


@pytest.fixture
def demo_article():
    call_command("load_demo", stdout=StringIO())
    return Article.objects.get(slug="clonus")


def fragment(page):
    return page.evaluate("location.hash")


def reference_text(article, number):
    """Reference ``number`` as readers see it: from the live revision, not the draft."""
    reference = next(ref for ref in article.live_revision.page().references if ref.number == number)
    return html.unescape(strip_tags(reference.source.reference_html()))


def number_of(mark):
    return int(mark.get_attribute("href").removeprefix("#ref-"))


def tab_until(page, locator, limit=200):
    """Press Tab until ``locator`` has the focus, as someone with a keyboard would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"Tab never reached {locator}")


# Following a citation


def test_reader_follows_a_citation_to_its_reference_and_back(page, demo_article):
    page.goto(demo_article.get_absolute_url())
    mark = page.locator(f"section sup.citation {MARKS}").first
    mark_id = mark.get_attribute("id")
    number = number_of(mark)
    reference = page.locator(f"li#ref-{number}")
    expect(reference).not_to_be_in_viewport()

    mark.click()
    page.locator(POPOVER).get_by_role("link", name=f"Go to reference {number} in the list").click()

    assert fragment(page) == f"#ref-{number}"
    expect(reference).to_be_in_viewport()
    assert reference.evaluate("li => li.matches(':target')")
    expect(reference).to_have_css("background-color", TARGET_HIGHLIGHT)
    expect(reference).to_contain_text(reference_text(demo_article, number))
    expect(page.locator(POPOVER)).to_be_hidden()

    expect(mark).not_to_be_in_viewport()

    reference.locator(f'.backlinks a[href="#{mark_id}"]').click()

    assert fragment(page) == f"#{mark_id}"
    expect(mark).to_be_in_viewport()


def test_reader_jumps_to_a_section_from_the_contents(page, demo_article):
    page.goto(demo_article.get_absolute_url())
    contents = page.get_by_role("navigation", name="Contents")
    causes = page.get_by_role("heading", name="What causes clonus?", level=2)
    references = page.get_by_role("heading", name="References", level=2)
    expect(causes).not_to_be_in_viewport()

    contents.get_by_role("link", name="What causes clonus?").click()

    assert fragment(page) == "#what-causes-clonus"
    expect(causes).to_be_in_viewport()

    contents.get_by_role("link", name="References").click()

    assert fragment(page) == "#references"
    expect(references).to_be_in_viewport()


def test_a_followed_mark_or_reference_is_highlighted_below_the_top_edge(page, demo_article):
    page.emulate_media(reduced_motion="reduce")  # no smooth scrolling: measure where it lands
    page.goto(demo_article.get_absolute_url())
    mark = page.locator(f"section#what-causes-clonus sup.citation {MARKS}").first
    number = number_of(mark)

    page.goto(f"{demo_article.get_absolute_url()}#ref-{number}")
    reference = page.locator(f"li#ref-{number}")
    expect(reference).to_have_css("background-color", TARGET_HIGHLIGHT)
    expect(reference).to_have_css("outline", f"{TARGET_RING} solid 2px")
    expect(reference).to_have_css("scroll-margin-top", "80px")
    assert reference.evaluate("li => li.getBoundingClientRect().top") >= 79

    reference.locator(f'.backlinks a[href="#{mark.get_attribute("id")}"]').click()

    expect(mark).to_have_css("background-color", TARGET_HIGHLIGHT)
    expect(mark).to_have_css("outline-style", "solid")
    assert mark.evaluate("a => a.getBoundingClientRect().top") >= 79


def test_without_javascript_a_mark_jumps_to_the_list(browser, live_server, demo_article):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_article.get_absolute_url())
    mark = page.locator(f"section sup.citation {MARKS}").first

    mark.click()

    assert fragment(page) == f"#ref-{number_of(mark)}"
    expect(page.locator(f"li#ref-{number_of(mark)}")).to_be_in_viewport()
    context.close()


# When the page was checked


def test_reader_sees_when_the_page_was_last_reviewed_and_when_it_is_next_due(page, settings):
    settings.CLONUS_REVIEW_INTERVAL = timedelta(days=365)
    article = ready_article(title="Ankle clonus")
    reviewer = make_user("Medical reviewers", first_name="Ada", last_name="Lovelace")
    Review.objects.filter(revision__article_pk=article.pk).update(reviewed_on=date(2026, 3, 3), reviewer=reviewer)
    article.publish(article.latest_revision, None)

    page.goto(article.get_absolute_url())

    review = page.locator("article .page-review")
    expect(review.get_by_role("term")).to_have_text(["Page last reviewed", "Next review due"])
    expect(review.get_by_role("definition")).to_have_text(["3 March 2026 by Ada Lovelace", "3 March 2027"])
    expect(review.locator("time").first).to_have_attribute("datetime", "2026-03-03")
    expect(review.locator("time").last).to_have_attribute("datetime", "2027-03-03")
    expect(page.locator(".article-meta")).not_to_contain_text("review")


def test_reader_is_told_plainly_when_no_clinician_has_reviewed_the_page(page, demo_article):
    page.goto(demo_article.get_absolute_url())

    expect(page.locator("article .page-review")).to_have_text("This page has not yet been reviewed by a clinician.")


# The reference at the mark


def test_keyboard_user_reads_a_reference_at_its_mark_and_closes_it_with_escape(page, demo_article):
    page.goto(demo_article.get_absolute_url())
    mark = page.locator(f"section sup.citation {MARKS}").first
    number = number_of(mark)
    popover = page.locator(POPOVER)
    expect(popover).to_be_hidden()

    tab_until(page, mark)

    expect(popover).to_be_visible()
    expect(popover).to_contain_text(reference_text(demo_article, number))
    expect(mark).to_have_attribute("aria-expanded", "true")
    expect(mark).to_have_attribute("aria-controls", "reference-popover")

    page.keyboard.press("Tab")
    expect(popover.get_by_role("link", name=f"Go to reference {number} in the list")).to_be_focused()

    page.keyboard.press("Escape")

    expect(popover).to_be_hidden()
    expect(mark).to_be_focused()
    expect(mark).to_have_attribute("aria-expanded", "false")
    assert fragment(page) == ""


def test_reader_clicks_a_mark_and_moves_the_pointer_into_its_reference(page, demo_article):
    page.goto(demo_article.get_absolute_url())
    mark = page.locator(f"section#what-causes-clonus sup.citation {MARKS}").first
    number = number_of(mark)
    popover = page.locator(POPOVER)

    mark.click()

    expect(popover).to_be_visible()
    expect(popover).to_contain_text(reference_text(demo_article, number))
    assert fragment(page) == ""  # the click opened the reference; it did not jump to the list
    # The pointer travels from the mark into the popover, across whatever lies between.
    start, end = mark.bounding_box(), popover.get_by_role("link").last.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.move(end["x"] + 5, end["y"] + end["height"] / 2, steps=15)
    expect(popover).to_be_visible()

    page.mouse.click(end["x"] + 5, end["y"] + end["height"] / 2)

    assert fragment(page) == f"#ref-{number}"
    expect(popover).to_be_hidden()
    expect(page.locator(f"li#ref-{number}")).to_be_in_viewport()


def test_a_click_elsewhere_or_a_second_click_closes_the_reference(page, demo_article):
    page.goto(demo_article.get_absolute_url())
    mark = page.locator(f"section sup.citation {MARKS}").first
    popover = page.locator(POPOVER)

    mark.click()
    expect(popover).to_be_visible()
    page.get_by_role("heading", level=1).click()
    expect(popover).to_be_hidden()

    mark.click()
    expect(popover).to_be_visible()
    mark.click()
    expect(popover).to_be_hidden()


def test_sources_for_a_whole_section_are_marks_with_references_too(page):
    make_source("marked2001", title="A marked study")
    whole = make_source("whole2002", title="A whole study")
    article = make_article(title="Ankle clonus")
    section = make_section(article, "The foot beats [@marked2001, p. 4].", heading="What causes clonus?")
    Citation.objects.create(section=section, source=whole)
    publish(article)

    page.goto(article.get_absolute_url())

    expect(page.locator(f"sup.citation {MARKS}")).to_have_accessible_name("reference 1, page 4")
    sources = page.locator(".section-sources")
    expect(sources.locator(MARKS)).to_have_accessible_name("reference 2")
    expect(page.locator("#references")).to_have_attribute("role", "doc-endnotes")
    backlink = page.locator('#ref-2 a[role="doc-backlink"]')
    expect(backlink).to_have_accessible_name("Back to mention 1 in ‘What causes clonus?’")
    expect(backlink).to_have_attribute("href", "#cite-what-causes-clonus-whole2002")

    sources.locator(MARKS).click()

    expect(page.locator(POPOVER)).to_contain_text("A whole study")


def test_marks_and_backlinks_are_named_for_screen_readers(page, demo_article):
    page.goto(demo_article.get_absolute_url())

    marks = page.locator(f"sup.citation {MARKS}")
    expect(marks.first).to_have_accessible_name(f"reference {number_of(marks.first)}")
    located = page.locator(f'{MARKS}:has-text("(p485)")')
    expect(located).to_have_accessible_name(f"reference {number_of(located)}, page 485")
    # Reference 1 is cited three times in the first section and again further on.
    backlinks = page.locator('#ref-1 a[role="doc-backlink"]')
    expect(backlinks.nth(0)).to_have_accessible_name("Back to mention 1 in ‘What is clonus?’")
    expect(backlinks.nth(1)).to_have_accessible_name("Back to mention 2 in ‘What is clonus?’")
    expect(backlinks.nth(3)).to_have_accessible_name("Back to mention 4 in ‘How do doctors examine for clonus?’")


# Keyboard, pointer and screen


def test_keyboard_reaches_the_header_search_and_every_link_of_the_article_in_order(page, demo_article):
    page.goto(demo_article.get_absolute_url())
    # Everything focusable, in document order, numbered; the popover's copies are not counted.
    expected = page.evaluate(
        """() => {
            const focusable = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';
            const elements = [...document.querySelectorAll(focusable)]
                .filter(element => !element.closest('#reference-popover'));
            elements.forEach((element, n) => { element.dataset.order = n; });
            return elements.map(element => element.textContent.trim() || element.id || element.name);
        }"""
    )
    reached = []
    for _ in range(len(expected) * 4):
        page.keyboard.press("Tab")
        order = page.evaluate(
            """() => {
                const element = document.activeElement;
                if (element === document.body) return 'body';
                return element.closest('#reference-popover') ? null : element.dataset.order;
            }"""
        )
        if order == "body" or (order is not None and reached and int(order) == 0):
            break
        if order is not None:
            reached.append(int(order))

    assert [(n, expected[n]) for n in reached] == list(enumerate(expected))
    assert expected[:7] == ["Skip to content", "Clonus", "Articles", "Topics", "Sources", "site-search-q", "Search"]


def test_marks_and_backlinks_are_big_enough_to_tap_without_spacing_the_lines(page, demo_article):
    page.goto(demo_article.get_absolute_url())

    small = page.evaluate(
        """() => [...document.querySelectorAll('a[role="doc-noteref"], a[role="doc-backlink"]')]
            .map(link => [link.textContent, link.getBoundingClientRect()])
            .filter(([, box]) => box.width < 24 || box.height < 24)"""
    )
    assert small == []
    # A paragraph with marks is as many lines high as one without.
    uneven = page.evaluate(
        """() => [...document.querySelectorAll('section p:has(sup.citation), section li:has(sup.citation)')]
            .map(block => block.getBoundingClientRect().height / parseFloat(getComputedStyle(block).lineHeight))
            .filter(lines => Math.abs(lines - Math.round(lines)) > 0.05)"""
    )
    assert uneven == []


def test_article_lines_are_about_seventy_characters_long(page, demo_article):
    page.goto(demo_article.get_absolute_url())

    # Characters on each full line (every line of a paragraph but its last), marks left out.
    lengths = page.evaluate(
        """() => [...document.querySelectorAll('section p')].flatMap(paragraph => {
            const lines = new Map();
            const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
            for (let text = walker.nextNode(); text; text = walker.nextNode()) {
                if (text.parentElement.closest('sup')) continue;
                for (let n = 0; n < text.length; n++) {
                    const range = document.createRange();
                    range.setStart(text, n);
                    range.setEnd(text, n + 1);
                    const box = range.getClientRects()[0];
                    if (box) lines.set(Math.round(box.bottom / 10), (lines.get(Math.round(box.bottom / 10)) || 0) + 1);
                }
            }
            return [...lines.values()].slice(0, -1);
        })"""
    )
    lengths.sort()
    assert len(lengths) > 20
    assert 60 <= lengths[len(lengths) // 2] <= 80


def test_a_printed_article_is_black_on_white_with_the_references_addresses(page, demo_article):
    page.goto(demo_article.get_absolute_url())
    page.locator(f"section sup.citation {MARKS}").first.click()
    expect(page.locator(POPOVER)).to_be_visible()

    page.emulate_media(media="print")

    for chrome in (".skip-link", ".site-header nav", ".site-search", POPOVER, ".download-references", ".source-link"):
        expect(page.locator(chrome).first).to_be_hidden()
    expect(page.locator("body")).to_have_css("color", "rgb(0, 0, 0)")
    expect(page.locator("body")).to_have_css("background-color", "rgb(255, 255, 255)")
    link = page.locator('#references .reference-text a[href^="http"]').first
    written = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert written == f'" <{link.get_attribute("href")}>"'
    mark = page.locator(f"section sup.citation {MARKS}").first
    assert mark.evaluate("a => getComputedStyle(a, '::after').content") == "none"
