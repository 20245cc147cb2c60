"""Export for Pandoc: a revision as Markdown whose marks Pandoc reads as its own citations."""

import json

import pypandoc
import pytest
from django.urls import reverse

from articles.export import csl_item, pandoc_markdown
from articles.models import Revision
from references.models import Citation
from tests.factories import make_article, make_section, make_source, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def revision():
    make_source(
        "chou2004",
        authors=[("Chou", "R"), ("Peterson", "K"), ("Helfand", "M")],
        title="Comparative efficacy and safety of skeletal muscle relaxants",
        container_title="J Pain Symptom Manage",
        year=2004,
        volume="28",
        issue="2",
        pages="140-75",
        doi="10.1016/j.jpainsymman.2004.05.002",
    )
    nice = make_source(
        "nice2012",
        kind="report",
        authors=[("National Institute for Health and Care Excellence", "")],
        title="Spasticity in under 19s: management",
        container_title="",
        year=2012,
        publisher="NICE",
        publisher_place="London",
    )
    article = make_article(title="Treating spasticity", summary="What helps.")
    section = make_section(
        article,
        "Baclofen works [@chou2004, p. 150]. So may tizanidine [see @Chou2004, pp. 160-2].",
        heading="What helps?",
        anchor="helps",
    )
    Citation.objects.create(section=section, source=nice)
    return Revision.objects.record(article)


def front_matter(text):
    head = text.split("---\n")[1]
    return {name: json.loads(value) for name, value in (line.split(": ", 1) for line in head.splitlines())}


def test_the_export_keeps_each_mark_with_its_locator_and_the_key_as_stored(revision):
    text = pandoc_markdown(revision.data)

    assert "## What helps? {#helps}" in text
    assert "Baclofen works [@chou2004, p. 150]. So may tizanidine [see @chou2004, pp. 160-2]." in text
    assert "Sources for this section: [@nice2012]." in text


def test_the_export_carries_every_cited_source_as_csl(revision):
    metadata = front_matter(pandoc_markdown(revision.data))

    assert metadata["title"] == "Treating spasticity" and metadata["abstract"] == "What helps."
    chou, nice = sorted(metadata["references"], key=lambda item: item["id"])
    assert chou == {
        "id": "chou2004",
        "type": "article-journal",
        "author": [
            {"family": "Chou", "given": "R"},
            {"family": "Peterson", "given": "K"},
            {"family": "Helfand", "given": "M"},
        ],
        "title": "Comparative efficacy and safety of skeletal muscle relaxants",
        "container-title": "J Pain Symptom Manage",
        "volume": "28",
        "issue": "2",
        "page": "140-75",
        "DOI": "10.1016/j.jpainsymman.2004.05.002",
        "issued": {"date-parts": [[2004]]},
        "custom": {"citation-key": "chou2004"},
    }
    assert nice["author"] == [{"literal": "National Institute for Health and Care Excellence"}]
    assert (nice["type"], nice["publisher-place"], nice["publisher"]) == ("report", "London", "NICE")


def test_pandoc_reads_the_export_and_resolves_every_citation_with_its_locator(revision):
    text = pandoc_markdown(revision.data)

    # Pandoc's default style is author-date: the locator shows beside the name.
    output = pypandoc.convert_text(text, "plain", format="markdown", extra_args=["--citeproc", "--wrap=none"])

    assert "Baclofen works (Chou et al. 2004, 150)." in output
    assert "So may tizanidine (see Chou et al. 2004, 160–62)." in output
    assert "National Institute for Health and Care Excellence" in output  # the whole-section source
    assert "???" not in output  # what Pandoc prints for a citation it cannot resolve


def test_an_accessed_date_becomes_csl_date_parts():
    item = csl_item({"key": "web", "kind": "webpage", "accessed": "2026-03-09", "authors": []})

    assert item["accessed"] == {"date-parts": [[2026, 3, 9]]}


def test_the_export_downloads_from_the_admin_for_those_who_may_view_the_article(client, revision):
    url = reverse("admin:articles_article_export", args=[revision.article_pk]) + f"?revision={revision.pk}"
    client.force_login(make_user("Editors"))

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{revision.article.slug}-revision-1.md"'
    assert "[@chou2004, p. 150]" in response.content.decode()
    client.force_login(make_user(staff=True))  # staff without a role may not view articles
    assert client.get(url).status_code == 403
