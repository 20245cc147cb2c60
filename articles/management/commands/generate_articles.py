"""Make many live articles of plausible medical text, for benchmarks and for trying search.

    DJANGO_DEBUG=1 .venv/bin/python manage.py generate_articles 10000 --sections 9 [--seed 1]

Articles are ``generated-1`` … ``generated-N``; those that exist already are left alone, so the
command can be run again. Each has sections of Markdown citing generated sources
(``generated1`` …), rendered by the one renderer (``articles.markdown``), its citation rows as
``Section.save()`` would sync them, a revision whose snapshot is what ``snapshots.take()`` makes
of it (a test holds the two together), and is live as ``publish()`` leaves an article, with its
search entry. Rows are written in bulk, 200 articles at a time, each batch in one transaction.
"""

import random
from collections import defaultdict
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.text import slugify

from articles import markdown
from articles.models import Article, AuditEntry, Revision, SearchEntry, Section, Topic
from articles.snapshots import CITATION_FIELDS, SCHEMA, SECTION_FIELDS, article_fields
from references.models import Author, Citation, Source

BATCH = 200

CONDITIONS = [
    "clonus", "spasticity", "stroke", "multiple sclerosis", "cerebral palsy", "spinal cord injury",
    "serotonin syndrome", "epilepsy", "myoclonus", "hyperreflexia", "migraine", "peripheral neuropathy",
    "dystonia", "parkinsonism", "essential tremor", "ataxia", "motor neurone disease", "hydrocephalus",
    "traumatic brain injury", "restless legs", "narcolepsy", "meningitis", "encephalitis", "vertigo",
]  # fmt: skip
TREATMENTS = [
    "baclofen", "tizanidine", "botulinum toxin", "dantrolene", "gabapentin", "diazepam", "physiotherapy",
    "stretching", "splinting", "serial casting", "levetiracetam", "clonazepam", "occupational therapy",
    "intrathecal baclofen", "selective dorsal rhizotomy", "hydrotherapy", "orthoses", "cyproheptadine",
]  # fmt: skip
PARTS = ["ankle", "knee", "wrist", "jaw", "calf", "hamstring", "forearm", "elbow", "hip", "foot", "shoulder"]
PEOPLE = [
    "adults", "children", "older people", "athletes", "pregnant women", "carers", "nurses", "surgeons",
    "general practitioners", "physiotherapists", "neurologists", "young people",
]  # fmt: skip
FINDINGS = [
    "rhythmic contractions", "brisk reflexes", "muscle stiffness", "sustained beats", "involuntary jerks",
    "reduced range of movement", "painful spasms", "weakness", "fatigue", "poor balance", "falls",
    "sleep disturbance", "difficulty walking", "contractures", "tremor", "numbness", "tingling",
]  # fmt: skip
TESTS = [
    "a neurological examination", "electromyography", "magnetic resonance imaging", "blood tests",
    "nerve conduction studies", "a lumbar puncture", "the modified Ashworth scale", "gait analysis",
    "computed tomography", "video recording of the episodes",
]  # fmt: skip
#: Words that appear in about one article in a thousand: a search for one finds a handful. One
#: paragraph in 3,000 names one of them; an article of 9 sections has about 22 paragraphs.
RARE = ["opsoclonus", "hyperekplexia", "stiff-person", "paramyotonia", "neuromyotonia", "tetanus"]
RARE_IN_PARAGRAPHS = 1 / 3000

TITLES = [
    "{C}: causes, diagnosis and treatment", "{T} for {c}", "Living with {c}", "{C} in {people}",
    "What to expect from {t}", "{C} and the {part}", "Understanding {c}", "{T} after {c}",
]  # fmt: skip
HEADINGS = [
    "What is {c}?", "What causes {c}?", "How is {c} diagnosed?", "How is {c} treated?",
    "When should you see a doctor about {c}?", "Can {t} help?", "What is the outlook?",
    "How common is {c} in {people}?", "What are the side effects of {t}?", "Is {c} dangerous?",
    "How does {c} affect the {part}?", "What can {people} do at home?", "Which tests are used?",
    "What does the evidence say about {t}?", "How long does {t} take to work?",
]  # fmt: skip
SENTENCES = [
    "{C} often shows as {finding} in the {part}.",
    "Many patients with {c} notice {finding} before anything else.",
    "In {people}, {c} is usually found on {test}.",
    "Doctors confirm it with {test} and a careful history from patients.",
    "{T} reduces {finding} in most patients within weeks.",
    "Trials of {t} in {people} report fewer episodes of {finding}.",
    "Side effects of {t} include {finding} and drowsiness, so patients start with a low dose.",
    "Patients and {people} should know that {finding} can come and go.",
    "**{T}** is not suitable for everyone: it is combined with {t2} when {finding} persists.",
    "Follow-up with {test} helps to judge whether {t} is working.",
    "Several patients in the cohort described {finding} at night.",
    "The risk of {c} is higher after {c2}, and patients may need {t}.",
]  # fmt: skip


class Command(BaseCommand):
    help = "Make COUNT live articles of generated medical text, with their sources and search entries."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--sections", type=int, default=9, help="Sections per article (default 9).")
        parser.add_argument("--seed", type=int, default=1, help="The same seed makes the same articles.")
        parser.add_argument("--sources", type=int, default=40, help="Sources the articles cite (default 40).")

    def handle(self, count, sections, seed, sources, **options):
        writer = Writer(random.Random(seed), sections, make_sources(sources))
        taken = set(Article.objects.filter(slug__startswith="generated-").values_list("slug", flat=True))
        slugs = [slug for n in range(1, count + 1) if (slug := f"generated-{n}") not in taken]
        for start in range(0, len(slugs), BATCH):
            writer.publish(slugs[start : start + BATCH])
            if options["verbosity"] > 1:
                self.stdout.write(f"{start + len(slugs[start : start + BATCH])} of {len(slugs)}")
        if options["verbosity"]:
            made = f"{len(slugs)} live article{pluralize(len(slugs))}"
            self.stdout.write(f"Made {made}; {len(taken)} {'was' if len(taken) == 1 else 'were'} there already.")


def make_sources(count):
    """``count`` sources ``generated1`` …, with authors and formatted references; existing ones
    are reused."""
    keys = [f"generated{n}" for n in range(1, count + 1)]
    rng = random.Random(count)
    Source.objects.bulk_create(
        [
            Source(
                key=key,
                title=f"{rng.choice(TREATMENTS).capitalize()} for {rng.choice(CONDITIONS)}: a randomised trial",
                container_title=rng.choice(["Lancet", "BMJ", "N Engl J Med", "J Neurol", "Brain"]),
                year=1990 + n % 35,
                volume=str(10 + n),
                pages=f"{100 + n}-{110 + n}",
            )
            for n, key in enumerate(keys)
        ],
        ignore_conflicts=True,
    )
    made = Source.objects.filter(key__in=keys, authors__isnull=True)
    Author.objects.bulk_create(
        Author(source=source, position=position, family=family, given="AB")
        for source in made
        for position, family in enumerate(rng.sample(["Smith", "Patel", "Okafor", "Nguyen", "Garcia", "Kowalski"], 3))
    )
    Source.objects.filter(key__in=keys).stale().format_references()
    return list(Source.objects.filter(key__in=keys).prefetch_related("authors"))


class Writer:
    def __init__(self, rng, sections, sources):
        self.rng, self.sections, self.sources = rng, sections, sources
        self.topics = [
            Topic.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
            for name in ("Neurology", "Rehabilitation", "Medicines", "Children's health")
        ]
        self.records = {source.pk: source.record() for source in sources}

    @transaction.atomic
    def publish(self, slugs):
        """Write live articles with these slugs, as publish() would leave them."""
        articles = Article.objects.bulk_create(self.article(slug) for slug in slugs)
        sections = Section.objects.bulk_create(s for article in articles for s in self.article_sections(article))
        citations = Citation.objects.bulk_create(c for section in sections for c in citations_of(section, self.sources))
        sections_of, citations_of_section = defaultdict(list), defaultdict(list)
        for section in sections:
            sections_of[section.article_id].append(section)
        for citation in citations:
            citations_of_section[citation.section_id].append(citation)
        # One INSERT a revision: in batches Django sends the snapshots as one array of text, which
        # psycopg escapes quote by quote, and that took a fifth of the command's time.
        revisions = Revision.objects.bulk_create(
            (self.revision(article, sections_of[article.pk], citations_of_section) for article in articles),
            batch_size=1,
        )
        Revision.sources.through.objects.bulk_create(
            Revision.sources.through(revision=revision, source_id=int(pk))
            for revision in revisions
            for pk in revision.data["sources"]
        )
        now = timezone.now()
        for article, revision in zip(articles, revisions, strict=True):
            article.version, article.latest_revision, article.live_revision = 1, revision, revision
            article.live_since = now
            article.published_at = now - timedelta(days=self.rng.randrange(5 * 365), minutes=self.rng.randrange(1440))
        Article.objects.bulk_update(
            articles, ["version", "latest_revision", "live_revision", "live_since", "published_at"]
        )
        AuditEntry.objects.bulk_create(
            AuditEntry(
                action=AuditEntry.Action.PUBLISH,
                article=article,
                article_pk=article.pk,
                article_title=article.title,
                revision=article.live_revision,
                detail="generated by generate_articles",
            )
            for article in articles
        )
        SearchEntry.objects.index_revisions(revisions)
        for revision in revisions:
            revision.prerender()

    def words(self):
        rng = self.rng
        c, c2 = rng.sample(CONDITIONS, 2)
        t, t2 = rng.sample(TREATMENTS, 2)
        return {
            "c": c,
            "C": c[0].upper() + c[1:],
            "c2": c2,
            "t": t,
            "T": t[0].upper() + t[1:],
            "t2": t2,
            "part": rng.choice(PARTS),
            "people": rng.choice(PEOPLE),
            "finding": rng.choice(FINDINGS),
            "test": rng.choice(TESTS),
        }

    def article(self, slug):
        words = self.words()
        return Article(
            title=self.rng.choice(TITLES).format(**words),
            slug=slug,
            summary=f"How {words['c']} shows, how it is found and what helps, including {words['t']}.",
            topic=self.rng.choice(self.topics),
            byline="Generated for testing",
        )

    def article_sections(self, article):
        headings = self.rng.sample(HEADINGS, min(self.sections, len(HEADINGS)))
        headings += [f"More about {{c}}, part {n}?" for n in range(1, self.sections - len(headings) + 1)]
        for position, heading in enumerate(headings, start=1):
            words = self.words()
            heading = heading.format(**words)
            body = "\n\n".join(self.paragraph() for _ in range(self.rng.randint(2, 3)))
            yield Section(
                article=article,
                position=position,
                heading=heading,
                anchor=slugify(heading)[:70],
                body=body,
                body_html=markdown.render(body).html,
            )

    def paragraph(self):
        rng = self.rng
        sentences = [rng.choice(SENTENCES).format(**self.words()) for _ in range(rng.randint(3, 5))]
        if rng.random() < RARE_IN_PARAGRAPHS:
            sentences.append(f"A few patients had {rng.choice(RARE)}, which is rare.")
        cited = rng.sample(self.sources, rng.randint(1, 2))
        sentences[-1] = sentences[-1][:-1] + f" [{'; '.join(f'@{source.key}' for source in cited)}]."
        return " ".join(sentences)

    def revision(self, article, sections, citations):
        """The article's first revision: ``sections`` in order, ``citations`` by section pk."""
        return Revision(
            article=article,
            article_pk=article.pk,
            number=1,
            message="Generated by generate_articles",
            title=article.title,
            slug=article.slug,
            summary=article.summary,
            byline=article.byline,
            topic_id=article.topic_id,
            data=self.snapshot(article, sections, citations),
        )

    def snapshot(self, article, sections, cited):
        """What ``snapshots.take(article)`` returns, from the rows in hand."""
        sources = {c.source_id for section in sections for c in cited[section.pk]}
        return {
            "schema": SCHEMA,
            "article": {f.attname: f.value_from_object(article) for f in article_fields(article)},
            "topic": article.topic.name if article.topic_id else "",
            "sections": [
                {
                    "id": section.pk,
                    **{name: getattr(section, name) for name in SECTION_FIELDS},
                    "citations": [
                        {"source": c.source_id, **{name: getattr(c, name) for name in CITATION_FIELDS}}
                        for c in cited[section.pk]
                    ],
                }
                for section in sections
            ],
            "sources": {str(pk): self.records[pk] for pk in sorted(sources)},
        }


def citations_of(section, sources):
    """The citation rows ``Section.sync_citations()`` makes for the section's marks."""
    by_key = {source.key: source for source in sources}
    counts = {}
    for mark in markdown.placeholders(section.body_html):
        for key in mark.keys:
            counts[key] = counts.get(key, 0) + 1
    for position, (key, count) in enumerate(counts.items()):
        yield Citation(section=section, source=by_key[key], in_text=True, position=position, mark_count=count)
