from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from articles import importer


class Command(BaseCommand):
    help = (
        "Import a plain-text article (title, question headings, paragraphs, then Google Scholar "
        "sources) as a draft. Nothing is saved if any part of the file is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The UTF-8 text file to import.")
        parser.add_argument("--slug", default="", help="The article's slug; made from the title if not given.")
        parser.add_argument("--topic", default="", help="Topic name; the topic is created if it does not exist.")

    def handle(self, path, slug, topic, **options):
        try:
            result = importer.save(importer.parse(importer.read(path)), slug=slug, topic=topic)
        except importer.ArticleImportError as error:
            raise CommandError(f"Nothing was imported from {path}: {error}") from None
        self.report(result)

    def report(self, result):
        article = result.article
        count = len(result.sections)
        sections = ngettext("%(count)d section", "%(count)d sections", count) % {"count": count}
        self.stdout.write(f"Created the draft “{article}” ({article.get_absolute_url()}) with {sections}.")
        created = ", ".join(source.key for source in result.created) or "none"
        reused = ", ".join(source.key for source in result.reused) or "none"
        self.stdout.write(f"Sources created: {len(result.created)} ({created}).")
        self.stdout.write(f"Sources already known, reused: {len(result.reused)} ({reused}).")
        if result.created or result.reused:
            self.stdout.write(
                "None of these sources is cited in the article yet: cite each in the section it supports, e.g. [@key]."
            )
        if result.truncated:
            keys = ", ".join(source.key for source in result.truncated)
            self.stdout.write(
                f"Google Scholar shortened the author lists of {keys}: the named authors were "
                "saved and the list marked incomplete (“et al”); add the others if known."
            )
