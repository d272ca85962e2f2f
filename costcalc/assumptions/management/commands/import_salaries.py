"""Annual salary by language per market from a Stack Overflow-layout survey, into a draft set.

    manage.py import_salaries independent-2026@3 survey_results_public.csv [--min-n 30]
        [--market "us=United States of America" ...] --source-title "... 2025" --source-date ...

Who counts and how a cell is computed is costcalc.assumptions.importers.salaries's;
docs/assumptions.md, "Importing figures", says how to use it.
"""

from django.core.management.base import BaseCommand, CommandError

from costcalc.assumptions.importers import ImportProblem, apply, salaries

from .import_prices import add_source_options, source_options


class Command(BaseCommand):
    help = "Write median annual salary by language per market (quartiles as range) from a survey."

    def add_arguments(self, parser):
        parser.add_argument("set", help="the draft set: slug@version, or its id")
        parser.add_argument("file", help="the survey's results CSV (Stack Overflow layout)")
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
        add_source_options(parser, "the survey's publication date (default: the file's day)")

    def handle(self, *args, **options):
        try:
            report = apply.import_salaries(
                options["set"],
                options["file"],
                min_n=options["min_n"],
                markets=salaries.parse_markets(options["market"]),
                **source_options(options),
            )
        except (ImportProblem, ValueError) as problem:
            raise CommandError(str(problem)) from None
        self.stdout.write("\n".join(report))
