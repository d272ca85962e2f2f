"""Instance prices from AWS's EC2 price list (CSV) or a plain instance table, into a draft set.

    manage.py import_prices independent-2026@3 index.csv [--region us-east-1]
    manage.py import_prices independent-2026@3 instances.csv --source-date 2026-12-01

The layouts and the rows chosen are costcalc.assumptions.importers.prices's; docs/assumptions.md,
"Importing figures", says how to use it.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from costcalc.assumptions.importers import ImportProblem, apply


def add_source_options(parser, date_help: str) -> None:
    parser.add_argument("--source-title", default="", help="the source's title")
    parser.add_argument("--source-url", default="", help="where the file was published")
    parser.add_argument("--source-publisher", default="", help="who published it")
    parser.add_argument("--source-date", type=datetime.date.fromisoformat, help=date_help)


def source_options(options) -> dict:
    return {
        "title": options["source_title"],
        "url": options["source_url"],
        "publisher": options["source_publisher"],
        "date": options["source_date"],
    }


class Command(BaseCommand):
    help = "Write the set's instance prices from an AWS EC2 price list CSV or an instance table."

    def add_arguments(self, parser):
        parser.add_argument("set", help="the draft set: slug@version, or its id")
        parser.add_argument(
            "file", help="AWS's EC2 index.csv, or a slug,vcpu,memory_gb,price_per_hour table"
        )
        parser.add_argument(
            "--region", default="us-east-1", help="AWS region code (AWS price lists only)"
        )
        add_source_options(
            parser, "the file's date (default: AWS's Publication Date; a table's modification day)"
        )

    def handle(self, *args, **options):
        try:
            report = apply.import_prices(
                options["set"], options["file"], region=options["region"], **source_options(options)
            )
        except (ImportProblem, ValueError) as problem:
            raise CommandError(str(problem)) from None
        self.stdout.write("\n".join(report))
