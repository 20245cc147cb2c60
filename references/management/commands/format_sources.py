from django.core.management.base import BaseCommand

from references.models import Source


class Command(BaseCommand):
    help = (
        "Format the references of sources whose stored reference is not in the configured citation style "
        "(CLONUS_CITATION_STYLE), e.g. after changing it; --all formats every source again. Pages show the new "
        "style once their articles are published again (readers see revisions as published)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Format every source, not only those out of date.")

    def handle(self, all, **options):
        sources = Source.objects.all() if all else Source.objects.stale()
        pks = list(sources.values_list("pk", flat=True))
        for start in range(0, len(pks), 2000):  # one run of the CSL processor per batch
            Source.objects.filter(pk__in=pks[start : start + 2000]).format_references()
        self.stdout.write(f"Formatted {len(pks)} source(s).")
