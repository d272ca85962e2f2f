"""Throughput per vCPU of each stack from a TechEmpower run's results.json, into a draft set.

    manage.py import_techempower independent-2026@3 results.json --cpus 56 [--test json]
        [--map go=go,go=go-pgx-easyjson ...]

The method is costcalc.assumptions.importers.techempower's; docs/assumptions.md, "Importing
figures", says how to use it.
"""

from costcalc.assumptions.importers import apply, techempower

from ..importing import ImportCommand


class Command(ImportCommand):
    help = "Write each stack's requests per second per vCPU from a TechEmpower results.json."
    file_help = "the run's results.json"

    def add_options(self, parser):
        parser.add_argument("--test", default="json", choices=techempower.TESTS)
        parser.add_argument(
            "--cpus",
            type=float,
            required=True,
            help="logical CPUs of the run's application server (results.json does not say; "
            "Round 23's physical servers have 56)",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="STACK=FRAMEWORK,...",
            help="the TechEmpower frameworks a stack stands for, replacing its default list; "
            "repeat a stack for several frameworks",
        )

    def run_import(self, aset, path, options):
        return apply.import_techempower(
            aset,
            path,
            cpus=options["cpus"],
            test=options["test"],
            mapping=techempower.parse_map(options["map"]),
        )
