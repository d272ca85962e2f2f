"""Annual salary by language per market from a Stack Overflow-layout survey, into a draft set.

    manage.py import_salaries independent-2026@3 survey_results_public.csv [--min-n 30]
        [--market "us=United States of America" ...] --source-title "... 2025" --source-date ...

Who counts and how a cell is computed is costcalc.assumptions.importers.salaries's;
docs/assumptions.md, "Importing figures", says how to use it.
"""

from costcalc.assumptions.importers import apply, salaries

from ..importing import ImportCommand


class Command(ImportCommand):
    help = "Write median annual salary by language per market (quartiles as range) from a survey."
    file_help = "the survey's results CSV (Stack Overflow layout)"
    source_date_help = "the survey's publication date (default: the file's day)"

    def add_options(self, parser):
        parser.add_argument(
            "--min-n",
            type=int,
            default=30,
            help="fewest respondents for a cell to be written (default 30)",
        )
        parser.add_argument(
            "--market",
            action="append",
            default=[],
            metavar="MARKET=COUNTRY;COUNTRY",
            help="the survey countries a market stands for, replacing its default list",
        )

    def run_import(self, aset, path, options):
        return apply.import_salaries(
            aset,
            path,
            min_n=options["min_n"],
            markets=salaries.parse_markets(options["market"]),
            source=self.source(options),
        )
