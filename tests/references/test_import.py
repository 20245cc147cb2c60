"""Importing sources: every record checked against the library, then all created or none."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from references.importing import Import
from references.models import Author, Source
from tests.factories import make_source, make_user

pytestmark = pytest.mark.django_db

BIBTEX = """
@article{Elwes:1985,
  author = {Elwes, R. D. C. and Chesterman, P. and Reynolds, E. H.},
  title = {Prognosis after a first untreated tonic-clonic seizure},
  journal = {Lancet},
  year = {1985},
  volume = {2},
  number = {8458},
  pages = {752--753},
}

@article{tudursmith2001,
  author = {Tudur Smith, C. and Marson, A. G. and Williamson, P. R.},
  title = {Phenytoin versus valproate monotherapy for partial onset seizures and generalized onset tonic-clonic seizures},
  journal = {Cochrane Database Syst Rev},
  year = {2001},
  pages = {CD001769},
  doi = {10.1002/14651858.CD001769},
  pmid = {11687121},
}

@article{elwes1985again,
  author = {Elwes, RDC},
  title = {PROGNOSIS AFTER A FIRST UNTREATED TONIC–CLONIC SEIZURE.},
  journal = {The Lancet},
  year = {1985},
}
"""


def test_records_are_checked_without_saving_anything():
    checked = Import.parse(BIBTEX, "bibtex")
    assert Source.objects.count() == 0
    assert [row.is_new for row in checked.rows] == [True, True, False]
    assert checked.rows[2].duplicate_row == 1  # the same work as the first record of the file


def test_keys_are_family_and_year_with_letters_when_taken_and_files_keys_are_kept_when_ours():
    make_source("elwes1985")
    checked = Import.parse(BIBTEX, "bibtex")
    assert [row.source.key for row in checked.new] == ["elwes1985a", "tudursmith2001"]


def test_an_editor_can_choose_the_keys():
    checked = Import.parse(BIBTEX, "bibtex", keys={1: "elwes-prognosis"})
    assert checked.rows[0].source.key == "elwes-prognosis"
    bad = Import.parse(BIBTEX, "bibtex", keys={1: "Not A Key", 2: "tudursmith2001"})
    assert "key" in bad.rows[0].error
    taken = Import.parse(BIBTEX, "bibtex", keys={1: "tudursmith2001", 2: "tudursmith2001"})
    assert "already has the key" in taken.rows[1].error
    # A key of the file's that an editor gave to another record: the record gets a key of its own.
    assert Import.parse(BIBTEX, "bibtex", keys={1: "tudursmith2001"}).rows[1].source.key == "tudursmith2001a"


def test_saving_creates_the_new_sources_with_authors_in_order_and_formatted_references():
    created = Import.parse(BIBTEX, "bibtex").save()
    assert [source.key for source in created] == ["elwes1985", "tudursmith2001"]
    elwes = Source.objects.get(key="elwes1985")
    assert [str(a) for a in elwes.authors.all()] == ["Elwes R. D. C.", "Chesterman P.", "Reynolds E. H."]
    assert (elwes.volume, elwes.issue, elwes.pages) == ("2", "8458", "752-753")
    assert "Prognosis after a first untreated tonic-clonic seizure" in elwes.reference
    assert elwes.reference_style
    tudur = Source.objects.get(key="tudursmith2001")
    assert (tudur.doi, tudur.pmid) == ("10.1002/14651858.cd001769", "11687121")


@pytest.mark.parametrize(
    "existing",
    [
        {"doi": "https://doi.org/10.1002/14651858.cd001769"},
        {"pmid": "11687121"},
        {
            "title": "Phenytoin versus valproate monotherapy for partial onset seizures and generalized onset tonic–clonic seizures",
            "year": 2001,
        },
    ],
)
def test_a_record_already_in_the_library_is_a_duplicate_and_skipped(existing):
    known = make_source("known", authors=[("Tudur Smith", "C")], **existing)
    checked = Import.parse(BIBTEX, "bibtex")
    assert checked.rows[1].duplicate_of == known
    checked.save()
    assert Source.objects.count() == 2


def test_an_import_with_one_bad_record_saves_nothing():
    broken = BIBTEX + "\n@article{bad, author = {Nobody}, year = {1999}, journal = {Nowhere}}\n"
    checked = Import.parse(broken, "bibtex")
    assert [row.number for row in checked.errors] == [4]
    with pytest.raises(Exception, match="Nothing was imported"):
        checked.save()
    assert Source.objects.count() == 0 and Author.objects.count() == 0


def test_an_invalid_identifier_is_a_named_error():
    text = BIBTEX.replace("11687121", "11687121x")
    row = Import.parse(text, "bibtex").rows[1]
    assert row.error.startswith("pmid:") and "not a PubMed ID" in row.error


def test_a_javascript_url_is_refused():
    text = BIBTEX.replace("pages = {CD001769},", "pages = {CD001769}, url = {javascript:alert(1)},")
    assert "url" in Import.parse(text, "bibtex").rows[1].error


# The command


def test_the_command_imports_and_summarises(tmp_path):
    path = tmp_path / "library.bib"
    path.write_text(BIBTEX)
    out = io.StringIO()
    call_command("import_sources", str(path), stdout=out, stderr=io.StringIO())
    assert "Created: 2." in out.getvalue() and "Duplicates skipped: 1." in out.getvalue()
    assert "Errors: 0." in out.getvalue()
    assert Source.objects.count() == 2


def test_the_command_fails_with_the_records_at_fault_and_saves_nothing(tmp_path):
    path = tmp_path / "library.bib"
    path.write_text(BIBTEX + "\n@article{bad, author = {Nobody}, year = {1999}}\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_sources", str(path), "--format", "bibtex", stdout=io.StringIO(), stderr=err)
    assert "record 4" in err.getvalue()
    assert Source.objects.count() == 0


def test_the_command_names_an_unreadable_file(tmp_path):
    path = tmp_path / "latin1.ris"
    path.write_bytes("TY  - JOUR\nTI  - Caf\xe9\nER  - \n".encode("latin-1"))
    with pytest.raises(CommandError, match="line 2"):
        call_command("import_sources", str(path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_sources", str(tmp_path / "missing.bib"), stdout=io.StringIO())


def test_the_command_shows_no_progress_bar_when_not_on_a_terminal(tmp_path):
    path = tmp_path / "library.bib"
    path.write_text(BIBTEX)
    err = io.StringIO()
    call_command("import_sources", str(path), stdout=io.StringIO(), stderr=err)
    assert "Checking" not in err.getvalue()


# The admin: upload, preview, confirm


@pytest.fixture
def editor_client(client):
    client.force_login(make_user("Editors"))
    return client


def test_the_admin_previews_then_imports_on_confirmation(editor_client):
    url = reverse("admin:references_source_import")
    upload = io.BytesIO(BIBTEX.encode())
    upload.name = "library.bib"
    preview = editor_client.post(url, {"file": upload, "format": ""})
    html = preview.content.decode()
    assert preview.status_code == 200 and "3 BibTeX records" in html
    assert "Repeats record 1: skipped" in html and 'value="elwes1985"' in html
    assert Source.objects.count() == 0  # nothing saved before the confirmation
    token = preview.context["token"]
    confirmed = editor_client.post(
        reverse("admin:references_source_import_confirm"),
        {"token": token, "format": "bibtex", "key-1": "elwes-prognosis", "key-2": "tudursmith2001"},
    )
    assert confirmed.status_code == 302
    assert sorted(Source.objects.values_list("key", flat=True)) == ["elwes-prognosis", "tudursmith2001"]
    again = editor_client.post(reverse("admin:references_source_import_confirm"), {"token": token, "format": "bibtex"})
    assert again.status_code == 302 and Source.objects.count() == 2  # the staged file is gone: no second import


def test_pasted_records_with_an_error_cannot_be_confirmed(editor_client):
    text = BIBTEX + "\n@article{bad, author = {Nobody}, year = {1999}}\n"
    preview = editor_client.post(reverse("admin:references_source_import"), {"text": text})
    html = preview.content.decode()
    assert "1 with errors" in html and "Nothing can be imported while a record has an error" in html
    assert 'value="Import' not in html
    confirmed = editor_client.post(
        reverse("admin:references_source_import_confirm"), {"token": preview.context["token"], "format": "bibtex"}
    )
    assert confirmed.status_code == 200 and Source.objects.count() == 0


def test_a_file_over_the_limit_is_refused_with_its_size(editor_client, settings):
    settings.CLONUS_IMPORT_MAX_BYTES = 1000
    upload = io.BytesIO(b"%" * 2000)
    upload.name = "huge.bib"
    response = editor_client.post(reverse("admin:references_source_import"), {"file": upload})
    assert "files of at most 1000" in response.content.decode()


def test_a_file_that_cannot_be_read_is_a_clear_form_error(editor_client):
    response = editor_client.post(reverse("admin:references_source_import"), {"text": "   "})
    assert "Choose a file or paste some records." in response.content.decode()
    response = editor_client.post(reverse("admin:references_source_import"), {"text": "just some words"})
    assert response.status_code == 200 and "errornote" in response.content.decode()


def test_someone_elses_staged_import_cannot_be_confirmed(editor_client, client):
    preview = editor_client.post(reverse("admin:references_source_import"), {"text": BIBTEX})
    client.force_login(make_user("Editors"))
    response = client.post(
        reverse("admin:references_source_import_confirm"), {"token": preview.context["token"], "format": "bibtex"}
    )
    assert response.status_code == 302 and Source.objects.count() == 0


def test_medical_reviewers_cannot_import(client):
    client.force_login(make_user("Medical reviewers"))
    assert client.get(reverse("admin:references_source_import")).status_code == 403
