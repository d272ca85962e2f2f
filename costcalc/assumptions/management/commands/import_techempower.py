"""Throughput per vCPU of each stack from a TechEmpower run's results.json, into a draft set.

    manage.py import_techempower independent-2026@3 results.json --cpus 56 [--test json]
        [--map go=go,go=go-pgx-easyjson ...]

The method is costcalc.assumptions.importers.techempower's; docs/assumptions.md, "Importing
figures", says how to use it.
"""

from django.core.management.base import BaseCommand, CommandError

from costcalc.assumptions.importers import ImportProblem, apply, techempower


class Command(BaseCommand):
    help = "Write each stack's requests per second per vCPU from a TechEmpower results.json."

    def add_arguments(self, parser):
        parser.add_argument("set", help="the draft set: slug@version, or its id")
        parser.add_argument("file", help="the run's results.json")
        parser.add_argument(
            "--cpus",
            type=float,
            required=True,
            help="logical CPUs of the run's application server (results.json does not say; "
            "Round 23's physical servers have 56)",
        )
        parser.add_argument("--test", default="json", choices=techempower.TESTS)
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="STACK=FRAMEWORK,...",
            help="the TechEmpower frameworks a stack stands for, replacing its default list; "
            "repeat a stack for several frameworks",
        )

    def handle(self, *args, **options):
        try:
            report = apply.import_techempower(
                options["set"],
                options["file"],
                cpus=options["cpus"],
                test=options["test"],
                mapping=techempower.parse_map(options["map"]),
            )
        except (ImportProblem, ValueError) as problem:
            raise CommandError(str(problem)) from None
        self.stdout.write("\n".join(report))
