"""Instance prices from AWS's EC2 price list (CSV) or a plain instance table, into a draft set.

    manage.py import_prices independent-2026@3 index.csv [--region us-east-1]
    manage.py import_prices independent-2026@3 instances.csv --source-date 2026-12-01

The layouts and the rows chosen are costcalc.assumptions.importers.prices's; docs/assumptions.md,
"Importing figures", says how to use it.
"""

from costcalc.assumptions.importers import apply

from ..importing import ImportCommand


class Command(ImportCommand):
    help = "Write the set's instance prices from an AWS EC2 price list CSV or an instance table."
    file_help = "AWS's EC2 index.csv, or a slug,vcpu,memory_gb,price_per_hour table"
    source_date_help = (
        "the file's date (default: AWS's Publication Date; a table's modification day)"
    )

    def add_options(self, parser):
        parser.add_argument(
            "--region", default="us-east-1", help="AWS region code (AWS price lists only)"
        )

    def run_import(self, aset, path, options):
        return apply.import_prices(
            aset, path, region=options["region"], source=self.source(options)
        )
