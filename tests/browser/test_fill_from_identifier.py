"""“Fill from DOI/PMID” in a real browser: an editor types an identifier on the source form, the
form is filled from the (fake) Crossref or PubMed, and Save stores what was filled; without a
network the editor is told so, and what they typed stays."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from references.models import Source
from tests.browser.conftest import settle
from tests.factories import make_source, make_user
from tests.fakes import closed_port

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

HABER_DOI = "10.1097/00000539-200112000-00040"


@pytest.fixture
def add_page(log_in, roles):
    page = log_in(make_user("Editors"))
    page.goto(reverse("admin:references_source_add"))
    return page


def status(page):
    return page.locator(".fill-from-identifier [role=status]")


def author_names(page):
    """``[(family, given, role)]`` of the author rows the form will save (not those marked for
    deletion, nor blank ones), top to bottom."""
    return page.locator("#authors-group tr.form-row:not(.empty-form)").evaluate_all(
        """rows => rows
            .filter((row) => !row.querySelector("input[name$='-DELETE']:checked"))
            .map((row) => ["family", "given", "role"].map((name) => row.querySelector(`[name$='-${name}']`).value))
            .filter(([family]) => family)"""
    )


def test_an_editor_fills_a_new_source_from_its_doi_and_saves_it(add_page, remote_api):
    page = add_page
    page.locator("#id_doi").fill(f"https://doi.org/{HABER_DOI}")
    page.get_by_role("button", name="Fill from DOI/PMID").click()

    expect(status(page)).to_contain_text("Filled from Crossref: Citation key, Kind, Title, Journal or book, Year")
    expect(status(page)).to_contain_text("2 authors. Check them, then press Save: nothing is saved until you do.")
    expect(page.locator("#id_key")).to_have_value("haber2001")
    expect(page.locator("#id_title")).to_have_value(
        "Generalized tonic-clonic activity after remifentanil administration"
    )
    expect(page.locator("#id_container_title")).to_have_value("Anesth Analg")
    expect(page.locator("#id_year")).to_have_value("2001")
    expect(page.locator("#id_volume")).to_have_value("93")
    expect(page.locator("#id_issue")).to_have_value("6")
    expect(page.locator("#id_doi")).to_have_value(HABER_DOI)
    assert author_names(page) == [["Haber", "G. W.", "author"], ["Litman", "R. S.", "author"]]

    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    settle(page)
    source = Source.objects.get()
    assert (source.key, source.kind, source.container_title, source.year, source.month) == (
        "haber2001",
        "article-journal",
        "Anesth Analg",
        2001,
        12,
    )
    assert (source.volume, source.issue, source.doi) == ("93", "6", HABER_DOI)
    assert [(a.family, a.given, a.role) for a in source.authors.all()] == [
        ("Haber", "G. W.", "author"),
        ("Litman", "R. S.", "author"),
    ]


def test_filling_an_existing_source_from_its_pmid_replaces_its_authors(log_in, roles, remote_api):
    source = make_source(key="boyer2005", title="Serotonin", authors=[("Boyer", "E"), ("Typo", "X"), ("Extra", "Y")])
    page = log_in(make_user(superuser=True))
    page.goto(reverse("admin:references_source_change", args=[source.pk]))
    page.locator("#id_pmid").fill("15784664")
    page.get_by_role("button", name="Fill from DOI/PMID").click()

    expect(status(page)).to_contain_text("Filled from PubMed:")
    expect(status(page)).to_contain_text("1 earlier author row is marked for deletion.")
    expect(page.locator("#id_key")).to_have_value("boyer2005")  # a key typed is never replaced
    assert author_names(page) == [["Boyer", "Edward W", "author"], ["Shannon", "Michael", "author"]]

    page.get_by_role("button", name="Save and continue editing").click()

    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    settle(page)
    source.refresh_from_db()
    assert (source.title, source.container_title, source.pages, source.pmid) == (
        "The serotonin syndrome",
        "N Engl J Med",
        "1112-20",
        "15784664",
    )
    assert [(a.family, a.given, a.position) for a in source.authors.all()] == [
        ("Boyer", "Edward W", 1),
        ("Shannon", "Michael", 2),
    ]


def test_without_network_the_editor_is_told_plainly_and_keeps_what_was_typed(add_page, settings, expected_errors):
    page = add_page
    settings.CLONUS_CROSSREF_API = f"http://127.0.0.1:{closed_port()}"
    expected_errors.add((503, reverse("admin:references_source_lookup")))
    page.locator("#id_title").fill("Remifentanil and seizures")
    page.locator("#authors-0 input[name$='-family']").fill("Haber")
    page.locator("#id_doi").fill(HABER_DOI)

    page.get_by_role("button", name="Fill from DOI/PMID").click()

    expect(status(page)).to_have_text("Crossref could not be reached (no network?); nothing was changed.")
    expect(page.locator("#id_title")).to_have_value("Remifentanil and seizures")
    expect(page.locator("#id_doi")).to_have_value(HABER_DOI)
    expect(page.locator("#authors-0 input[name$='-family']")).to_have_value("Haber")
    expect(page.locator("#id_key")).to_have_value("")
