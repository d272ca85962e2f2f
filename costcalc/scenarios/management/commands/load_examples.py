"""Load the gallery's worked scenarios (examples/*.json) that the database does not have yet.

Each is saved as POST /api/v1/scenarios saves a scenario, under its fixed slug (its link never
changes) against the set version its file pins; like every saved scenario it is never changed
afterwards, so running the command again adds and changes nothing.
"""

from django.core.management.base import BaseCommand, CommandError

from costcalc.scenarios.examples import ExampleError, load, read
from costcalc.text import plural


class Command(BaseCommand):
    help = "Save each worked scenario of the gallery (/scenarios/, examples/*.json) not saved yet."

    def handle(self, *args, **options):
        added = 0
        try:
            examples = read()
            for example in examples:
                scenario = load(example)
                if scenario is None:
                    self.stdout.write(f"{example.slug}: already loaded")
                else:
                    added += 1
                    self.stdout.write(f"{example.slug}: saved with {scenario.assumption_set.key}")
        except ExampleError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"{plural(added, 'worked scenario')} added, {len(examples)} in the gallery."
        )
