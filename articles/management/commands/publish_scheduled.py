from django.core.management.base import BaseCommand
from django.utils import timezone

from articles.models import Article


class Command(BaseCommand):
    help = (
        "Publish the scheduled revisions whose time has come (checking each again first) and "
        "take down articles whose expiry has passed. Safe to run as often as you like: run it "
        "every few minutes from cron. Refusals are written to stderr even with -v0."
    )

    def handle(self, *args, verbosity=1, **options):
        now = timezone.now()
        did_anything = False
        for article in Article.objects.schedule_due(now):
            done, refused = article.carry_out_schedule(now)
            did_anything = did_anything or bool(done)
            for line in done:
                if verbosity >= 1:
                    self.stdout.write(line)
            for line in refused:
                self.stderr.write(line)
        if not did_anything and verbosity >= 2:
            self.stdout.write("Nothing was due.")
