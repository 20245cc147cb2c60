from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Section, Topic
from references.models import Author, Citation, Source
from tests.factories import make_article, make_source

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed"

NBSP = "\u00a0"

ARTICLE = f"""A Short Guide To Ankle Jerks

Ankle Jerks In Brief: a tap below the calf makes the foot twitch.
Doctors use it to test a nerve loop.

Why Does The Foot Twitch?

The tendon stretches the calf muscle, and the spinal cord answers by tightening it.

A Short Guide To Ankle Jerks - at ExampleHealth.org

The whole loop takes a few hundredths of a second.

Things That Dull The Reflex:

Several things can make the twitch weak, among them:

Cold feet and tight shoes.

Old age and some nerve diseases.

When Should Someone See A Doctor?

If one foot twitches far more than the other, or keeps beating after the tap.
A Short Guide To Ankle Jerks - - ExampleHealth.org

Sources & references used in this article:

Reflex timing in healthy adults by AB Ward, CD Lowe{NBSP}– Journal of Reflexes, 1998 – Elsevier

A tendon hammer trial by EF Grant, GH Hale…{NBSP}– Clinical Notes of{NBSP}…, 2003 – example.org
"""

HEADINGS = [
    "Why Does The Foot Twitch?",
    "Things That Dull The Reflex",
    "When Should Someone See A Doctor?",
]


def import_text(tmp_path, text, *args, name="article.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("import_article", str(path), *args, stdout=out)
    return out.getvalue()


def counts():
    models = (Article, Section, Source, Author, Topic)
    return {model.__name__: model.objects.count() for model in models}


def test_import_creates_a_draft_with_sections_in_order(tmp_path):
    import_text(tmp_path, ARTICLE)
    article = Article.objects.get()
    assert article.title == "A Short Guide To Ankle Jerks"
    assert article.slug == "a-short-guide-to-ankle-jerks"
    assert not article.is_live and article.latest_revision.number == 1
    sections = list(article.sections.all())
    assert [s.heading for s in sections] == HEADINGS
    assert [s.position for s in sections] == [1, 2, 3]


def test_text_before_the_first_heading_becomes_the_summary(tmp_path):
    import_text(tmp_path, ARTICLE)
    assert Article.objects.get().summary == (
        "Ankle Jerks In Brief: a tap below the calf makes the foot twitch. Doctors use it to test a nerve loop."
    )


def test_paragraphs_become_markdown_paragraphs_and_lead_in_sentences_stay_text(tmp_path):
    import_text(tmp_path, ARTICLE)
    section = Section.objects.get(heading="Things That Dull The Reflex")
    assert section.body == (
        "Several things can make the twitch weak, among them:\n\n"
        "Cold feet and tight shoes.\n\n"
        "Old age and some nerve diseases."
    )
    assert section.body_html.count("<p>") == 3


def test_page_furniture_repeating_the_title_is_dropped(tmp_path):
    import_text(tmp_path, ARTICLE)
    bodies = " ".join(Section.objects.values_list("body", flat=True))
    assert "ExampleHealth" not in bodies
    assert Section.objects.get(heading="When Should Someone See A Doctor?").body == (
        "If one foot twitches far more than the other, or keeps beating after the tap."
    )


def test_sentence_after_the_title_and_a_dash_is_not_furniture(tmp_path):
    sentence = "A Short Guide To Ankle Jerks - why they matter to doctors."
    text = ARTICLE.replace("The whole loop", f"{sentence}\n\nThe whole loop")
    import_text(tmp_path, text)
    assert "why they matter" in Section.objects.get(heading="Why Does The Foot Twitch?").body


def test_title_case_line_ending_in_colon_before_another_heading_is_not_a_heading(tmp_path):
    text = ARTICLE.replace("Why Does The Foot Twitch?", "Overview:\n\nWhy Does The Foot Twitch?")
    import_text(tmp_path, text)
    assert list(Section.objects.values_list("heading", flat=True)) == HEADINGS
    assert Article.objects.get().summary.endswith("nerve loop. Overview:")


def test_long_question_paragraph_is_body_text_not_a_heading(tmp_path):
    question = "Have you ever noticed that your foot twitches on its own when a doctor taps just below the calf?"
    import_text(tmp_path, ARTICLE.replace("The whole loop", f"{question}\n\nThe whole loop"))
    assert list(Section.objects.values_list("heading", flat=True)) == HEADINGS


def test_imported_text_cannot_inject_html_images_or_citation_marks(tmp_path):
    make_source("ward1998")
    text = ARTICLE.replace(
        "Cold feet and tight shoes.",
        "Cold feet <b>and</b> <script>alert(1)</script> ![x](https://tracker.example/p.png) [@ward1998]",
    )
    import_text(tmp_path, text)
    section = Section.objects.get(heading="Things That Dull The Reflex")
    assert "&lt;b&gt;and&lt;/b&gt;" in section.body_html
    assert "<script" not in section.body_html and "<img" not in section.body_html
    assert "[@ward1998]" in section.body_html and not section.citations.exists()


def test_sources_are_created_with_scholar_fields_and_left_uncited(tmp_path):
    import_text(tmp_path, ARTICLE)
    ward = Source.objects.get(key="ward1998")
    assert (ward.title, ward.container_title, ward.year, ward.publisher, ward.kind) == (
        "Reflex timing in healthy adults", "Journal of Reflexes", 1998, "Elsevier",
        Source.Kind.JOURNAL_ARTICLE,
    )  # fmt: skip
    assert [(a.family, a.given) for a in ward.authors.all()] == [("Ward", "AB"), ("Lowe", "CD")]
    assert not Citation.objects.exists()


def test_truncated_author_list_and_journal_are_saved_as_scholar_shows_them(tmp_path):
    output = import_text(tmp_path, ARTICLE)
    grant = Source.objects.get(key="grant2003")
    assert grant.container_title == "Clinical Notes of …"
    assert [(a.family, a.given) for a in grant.authors.all()] == [("Grant", "EF"), ("Hale", "GH")]
    assert grant.authors_incomplete and not Source.objects.get(key="ward1998").authors_incomplete
    assert "shortened the author lists of grant2003" in output


def test_output_counts_sections_and_sources_and_says_sources_are_not_cited(tmp_path):
    output = import_text(tmp_path, ARTICLE)
    assert "with 3 sections" in output
    assert "Sources created: 2 (ward1998, grant2003)" in output
    assert "None of these sources is cited in the article yet" in output


def test_output_of_a_one_section_import_says_section_in_the_singular(tmp_path):
    text = "Knee Jerks\n\nWhy Does The Knee Jerk?\n\nA tap below the kneecap stretches the thigh muscle.\n"
    output = import_text(tmp_path, text)
    assert Section.objects.count() == 1
    assert "with 1 section." in output


def test_existing_source_with_same_title_year_and_first_author_is_reused(tmp_path):
    known = make_source("wardtiming", title="REFLEX TIMING IN HEALTHY ADULTS.", year=1998, authors=[("Ward", "AB")])
    output = import_text(tmp_path, ARTICLE)
    assert Source.objects.filter(title__istartswith="reflex timing in healthy adults").get() == known
    assert "reused: 1 (wardtiming)" in output


def test_same_title_in_another_year_is_a_new_source(tmp_path):
    make_source("wardold", title="Reflex timing in healthy adults", year=1988)
    import_text(tmp_path, ARTICLE)
    assert Source.objects.filter(title="Reflex timing in healthy adults").count() == 2


def test_taken_citation_keys_get_letter_suffixes(tmp_path):
    make_source("ward1998", title="Another paper", year=1998)
    line = "Reflex timing in older adults by AB Ward – Journal of Reflexes, 1998 – Elsevier"
    text = ARTICLE + f"\n{line}\n"
    import_text(tmp_path, text)
    assert set(Source.objects.filter(key__startswith="ward").values_list("key", flat=True)) == {
        "ward1998", "ward1998a", "ward1998b"
    }  # fmt: skip


def test_source_listed_twice_is_created_once(tmp_path):
    line = "Reflex timing in healthy adults by AB Ward – Journal of Reflexes, 1998 – Elsevier"
    import_text(tmp_path, ARTICLE + f"\n{line}\n")
    assert Source.objects.filter(title="Reflex timing in healthy adults").count() == 1


def test_topic_option_gets_or_creates_the_topic(tmp_path):
    Topic.objects.create(name="Reflexes", slug="reflexes")
    import_text(tmp_path, ARTICLE, "--topic", "reflexes")
    import_text(tmp_path, ARTICLE, "--topic", "Nerve Tests", "--slug", "ankle-jerks-2")
    assert Article.objects.get(slug="a-short-guide-to-ankle-jerks").topic.slug == "reflexes"
    assert Article.objects.get(slug="ankle-jerks-2").topic.slug == "nerve-tests"
    assert Topic.objects.count() == 2


def test_slug_option_allows_a_second_import_of_the_same_title(tmp_path):
    import_text(tmp_path, ARTICLE)
    import_text(tmp_path, ARTICLE, "--slug", "ankle-jerks-again")
    assert Article.objects.filter(title="A Short Guide To Ankle Jerks").count() == 2


def test_windows_line_endings_and_byte_order_mark_are_accepted(tmp_path):
    path = tmp_path / "windows.txt"
    path.write_bytes(("\ufeff" + ARTICLE).replace("\n", "\r\n").encode("utf-8"))
    call_command("import_article", str(path), stdout=StringIO())
    assert Article.objects.get().title == "A Short Guide To Ankle Jerks"


# Bad input: a clear error, and nothing saved.


def write(tmp_path, content):
    path = tmp_path / "bad.txt"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return str(path)


BAD_FILES = {
    "not-utf8": (ARTICLE.encode("utf-8") + "Caf\xe9\n".encode("latin-1"), "line 32: not UTF-8"),
    "empty": ("\n  \n\n", "the file is empty"),
    "no-title": ("References:\n\nA by B – C, 2000\n", "line 1: no title"),
    "paragraph-as-title": ("word " * 60 + "\n\nWhy?\n\nBecause.\n", "line 1: no title"),
    "no-headings": ("A Title\n\nJust a paragraph of text.\n\nAnd another.\n", "no headings"),
    "bad-source-line": (
        ARTICLE + "\nA tendon hammer trial, EF Grant – Clinical Notes, 2003\n",
        "line 33: not a Google Scholar result",
    ),
    "source-without-year": (
        ARTICLE + "\nA tendon hammer trial by EF Grant – Clinical Notes – example.org\n",
        r"line 33: not a Google Scholar result \(no year",
    ),
    "overlong-source-title": (
        ARTICLE + "\n" + "Long " * 120 + "by EF Grant – Clinical Notes, 2003\n",
        "line 33: title: Ensure this value has at most 500 characters",
    ),
}  # fmt: skip


@pytest.mark.parametrize("content, message", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_bad_file_is_refused_with_a_clear_message_and_saves_nothing(tmp_path, content, message):
    make_article(slug="unrelated")
    before = counts()
    with pytest.raises(CommandError, match=message) as error:
        call_command("import_article", write(tmp_path, content), "--topic", "New Topic")
    assert str(error.value).startswith("Nothing was imported from ")
    assert counts() == before


def test_missing_file_is_refused_by_name(tmp_path):
    with pytest.raises(CommandError, match="from .*missing.txt: no such file"):
        call_command("import_article", str(tmp_path / "missing.txt"))
    assert counts()["Article"] == 0


def test_existing_slug_is_refused_and_nothing_is_saved(tmp_path):
    make_article(slug="a-short-guide-to-ankle-jerks")
    before = counts()
    with pytest.raises(CommandError, match="slug “a-short-guide-to-ankle-jerks” already exists"):
        import_text(tmp_path, ARTICLE, "--topic", "New Topic")
    assert counts() == before


def test_invalid_slug_option_is_refused(tmp_path):
    with pytest.raises(CommandError, match="slug"):
        import_text(tmp_path, ARTICLE, "--slug", "not a slug!")
    assert counts()["Article"] == 0


# The sample article this importer was written for.


@pytest.fixture
def sample():
    if not SEED.is_dir():
        pytest.skip(f"the sample folder {SEED} is not on this machine")
    return SEED / "000_7f99ccf9ccadeabc.txt"


def test_sample_article_imports_with_all_headings_and_sources(sample):
    output = StringIO()
    call_command("import_article", str(sample), stdout=output)
    article = Article.objects.get()
    assert not article.is_live
    assert article.summary.startswith("Clonus Definition: A condition where")
    assert list(article.sections.values_list("heading", flat=True)) == [
        "What Causes Clonus?",
        "Causes Of Hyperreflexia And Myoclonus",
        "How Is Clonus Treated?",
        "How Is Clonus Prevented?",
        "What Are The Similarities Between Clonus And Myoclonus?",
        "What Are The Differences Between Clonus And Myoclonus?",
        "What Is The Connection Between Clonus And Spasticity?",
    ]
    bodies = " ".join(article.sections.values_list("body", flat=True))
    assert "MedicalsNews" not in bodies and "Scholar" not in bodies and " by RDC" not in bodies
    assert "Sources created: 5" in output.getvalue()


def test_sample_sources_are_saved_with_their_scholar_fields(sample):
    call_command("import_article", str(sample), stdout=StringIO())
    fields = ("key", "title", "container_title", "year", "publisher")
    sources = {source.key: source for source in Source.objects.prefetch_related("authors")}
    assert sorted(sources) == [
        "armelisasso2004", "elwes1985", "haber2001", "smith2001", "vandevel2014"
    ]  # fmt: skip
    assert [getattr(sources["smith2001"], name) for name in fields] == [
        "smith2001",
        "Phenytoin versus valproate monotherapy for partial onset seizures and generalized "
        "onset tonic-clonic seizures",
        "Cochrane Database of …", 2001, "cochranelibrary.com",
    ]  # fmt: skip
    assert [getattr(sources["vandevel2014"], name) for name in fields[2:]] == [
        "Epilepsy & Behavior", 2014, "Elsevier",
    ]  # fmt: skip
    authors = {key: [(a.family, a.given) for a in s.authors.all()] for key, s in sources.items()}
    assert authors == {
        "elwes1985": [("Elwes", "RDC"), ("Chesterman", "P"), ("Reynolds", "EH")],
        "smith2001": [("Smith", "CT"), ("Marson", "AG")],
        "haber2001": [("Haber", "GW"), ("Litman", "RS")],
        "armelisasso2004": [("Armelisasso", "C"), ("Vaccario", "ML")],
        "vandevel2014": [("Van de Vel", "A"), ("Verhaert", "K"), ("Ceulemans", "B")],
    }
    assert {s.publisher for s in sources.values()} == {
        "Elsevier", "cochranelibrary.com", "cdn.journals.lww.com", "journals.sagepub.com"
    }  # fmt: skip
    assert not Citation.objects.exists()
