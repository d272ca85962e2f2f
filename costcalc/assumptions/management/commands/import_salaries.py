"""Annual salary by language per market from a Stack Overflow-layout survey, into a draft set.

    manage.py import_salaries independent-2026@3 survey_results_public.csv [--min-n 30]
        [--market "us=United States of America" ...] --source-title "... 2025" --source-date ...

Who counts and how a cell is computed is costcalc.assumptions.importers.salaries's;
docs/assumptions.md, "Importing figures", says how to use it.
"""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from costcalc.assumptions.importers import ImportProblem, salaries, write
from costcalc.assumptions.models import MarketRate


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
        parser.add_argument("--source-title", default="", help="the source's title")
        parser.add_argument("--source-url", default="", help="where the file was published")
        parser.add_argument(
            "--source-date",
            type=datetime.date.fromisoformat,
            help="the survey's publication date (default: the file's day)",
        )

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                self._import(options)
        except (ImportProblem, ValueError) as problem:
            raise CommandError(str(problem)) from None

    def _import(self, options):
        aset = write.draft(options["set"])
        path = Path(options["file"])
        if options["min_n"] < 1:
            raise ImportProblem("--min-n must be at least 1")
        given = salaries.parse_markets(options["market"])
        markets = {m.slug: m for m in aset.markets.all()}
        unknown = sorted(set(given) - set(markets))
        if unknown:
            names = ", ".join(unknown)
            raise ImportProblem(f"--market names markets {aset} does not have: {names}")
        countries = {**salaries.DEFAULT_MARKETS, **given}
        for slug in sorted(set(markets) - set(countries)):
            self.stdout.write(f"{slug}: no survey countries map to it (--market); unchanged")
        rates = {
            (r.market.slug, r.language): r
            for r in MarketRate.objects.filter(market__assumption_set=aset).select_related("market")
        }
        languages = sorted({language for _, language in rates})
        survey = salaries.read(
            path,
            markets={m: countries[m] for m in markets if m in countries},
            languages=languages,
            min_n=options["min_n"],
        )
        self.stdout.write(
            f"{path.name}: {survey.respondents} respondents, {survey.counted} back-end, "
            "full time, with pay, in a mapped country"
        )
        written = [c for c in survey.cells if (c.market, c.language) in rates]
        for cell in survey.cells:
            if cell not in written:
                self.stdout.write(f"{cell.describe()}: the set has no such market rate; skipped")
        for cell in survey.skipped:
            self.stdout.write(f"skipped {cell.describe()}: fewer than {options['min_n']}")
        if not written:
            raise ImportProblem(
                f"{path.name}: no market and language has {options['min_n']} or more "
                "respondents (--min-n); nothing to import"
            )
        cited = write.source(
            aset,
            slugify(f"{write.PREFIX}survey-{path.stem}")[:60],
            title=options["source_title"]
            or f"Developer survey results {path.name}: pay of back-end developers, full time",
            url=options["source_url"],
            publisher="Stack Overflow" if not options["source_title"] else "",
            date=options["source_date"] or datetime.date.fromtimestamp(path.stat().st_mtime),
            note=(
                f"Imported from {path.name}: respondents whose DevType names back-end work, "
                "employed full time, with ConvertedCompYearly (USD), by the countries of each "
                "market; base the median, low and high the quartiles; cells under "
                f"{options['min_n']} respondents are not used.\n"
                + "\n".join(c.describe() for c in written)
                + "".join(f"\nnot used: {c.describe()}" for c in survey.skipped)
            ),
        )
        for cell in written:
            rate = rates[(cell.market, cell.language)]
            write.put(rate, "annual_salary", cell.figure, cited)
            write.save(rate, f"market rate {cell.market}/{cell.language}")
            self.stdout.write(f"wrote {cell.describe()}")
        for key in write.drop_unused_sources(aset):
            self.stdout.write(f"source {key}: no longer cited; deleted")
        self.stdout.write(f"{aset}: wrote {len(written)} salaries, citing source {cited.key}")
