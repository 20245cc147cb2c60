from django.core.management.base import BaseCommand, CommandError

from references.exporting import FILES, export
from references.models import Source


class Command(BaseCommand):
    help = (
        "Write the library's sources (or those an article cites) as BibTeX, RIS or CSL-JSON, to standard "
        "output or a file. Sources merged into another are left out: their survivor stands for them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=list(FILES), required=True)
        parser.add_argument("--article", metavar="SLUG", help="Only the sources this article cites (as it is now).")
        parser.add_argument("--output", metavar="FILE", help="Write to this file instead of standard output.")

    def handle(self, format, article, output, **options):
        sources = Source.objects.current().prefetch_related("authors")
        if article:
            sources = sources.filter(citations__section__article__slug=article).distinct()
            if not sources.exists():
                raise CommandError(f"No article with the slug “{article}” cites any source.")
        text = export([source.record() for source in sources], format)
        if output:
            try:
                with open(output, "w", encoding="utf-8") as file:
                    file.write(text)
            except OSError as error:
                raise CommandError(f"Cannot write {output}: {error.strerror}.") from None
            self.stderr.write(f"Wrote {sources.count()} source(s) to {output}.")
        else:
            self.stdout.write(text, ending="" if text.endswith("\n") else "\n")
