"""Load the shipped assumption sets that the database does not have yet.

Unlike a bare loaddata, it never touches a set that is already there, so running it again
(as `make run` does every time) cannot undo an analyst's work.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from costcalc.assumptions.models import AssumptionSet


class Command(BaseCommand):
    help = "Load each fixtures/*.json assumption set that is not in the database yet."

    def handle(self, *args, **options):
        files = []
        for path in Path(settings.FIXTURE_DIRS[0]).glob("*.json"):
            objects = json.loads(path.read_text())
            keys = [
                (o["fields"]["version"], o["fields"]["slug"])
                for o in objects
                if o["model"] == "assumptions.assumptionset"
            ]
            if keys:
                files.append((min(keys), path, objects, keys))
        # Earlier versions first: a later version names the one it was cloned from.
        for _, path, objects, keys in sorted(files):
            if all(AssumptionSet.objects.filter(slug=s, version=v).exists() for v, s in keys):
                self.stdout.write(f"{path.name}: already loaded")
                continue
            call_command("loaddata", str(path), verbosity=0)
            self.stdout.write(f"{path.name}: loaded {len(objects)} objects")
