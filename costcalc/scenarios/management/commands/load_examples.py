"""Load the gallery's worked scenarios that the database does not have yet.

Each is saved under a fixed slug (its link never changes) against the newest published
version of its assumption set; like every saved scenario it is never changed afterwards, so
running the command again only adds what is missing.
"""

from django.core.management.base import BaseCommand, CommandError

from costcalc.scenarios.examples import EXAMPLES, ExampleError, load


class Command(BaseCommand):
    help = "Save each worked scenario of the gallery (/scenarios/) that is not saved yet."

    def handle(self, *args, **options):
        added = 0
        for order, example in enumerate(EXAMPLES, start=1):
            try:
                scenario = load(example, order)
            except ExampleError as error:
                raise CommandError(str(error)) from None
            if scenario is None:
                self.stdout.write(f"{example.slug}: already loaded")
            else:
                added += 1
                self.stdout.write(f"{example.slug}: saved with {scenario.assumption_set.key}")
        self.stdout.write(f"{added} worked scenario(s) added, {len(EXAMPLES)} in the gallery.")
