"""Throughput per vCPU of each stack from a TechEmpower run's results.json, into a draft set.

    manage.py import_techempower independent-2026@3 results.json --cpus 56 [--test json]
        [--map go=go,go=go-pgx-easyjson ...]

The method (best concurrency level per framework, median over a stack's frameworks, divided
by the run's CPUs) is costcalc.assumptions.importers.techempower's; docs/assumptions.md,
"Importing figures", says how to use it.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from costcalc import text
from costcalc.assumptions.importers import ImportProblem, techempower, write


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
            help="the TechEmpower frameworks a stack stands for; a stack named here loses its "
            "default list; repeat a stack for several frameworks",
        )

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                self._import(options)
        except (ImportProblem, ValueError) as problem:
            raise CommandError(str(problem)) from None

    def _import(self, options):
        aset = write.draft(options["set"])
        mapping = {**techempower.DEFAULT_MAP, **techempower.parse_map(options["map"])}
        stacks = {s.slug: s for s in aset.stacks.all()}
        unknown = sorted(set(techempower.parse_map(options["map"])) - set(stacks))
        if unknown:
            raise ImportProblem(f"--map names stacks {aset} does not have: {', '.join(unknown)}")
        wanted = {slug: mapping[slug] for slug in stacks if slug in mapping}
        run = techempower.read(
            options["file"], stacks=wanted, cpus=options["cpus"], test=options["test"]
        )
        for slug in sorted(set(stacks) - set(wanted)):
            self.stdout.write(f"{slug}: no TechEmpower framework maps to it (--map); unchanged")
        for slug, frameworks in run.missing.items():
            if slug in techempower.parse_map(options["map"]):
                raise ImportProblem(
                    f"{Path(options['file']).name}: rawData.{run.test}: no framework "
                    f"{', '.join(frameworks)} (named by --map for {slug})"
                )
        if not run.figures:
            raise ImportProblem(
                f"{Path(options['file']).name}: rawData.{run.test}: none of the frameworks of "
                f"{', '.join(wanted)} ran; nothing to import"
            )
        lines = [
            f"{slug}: {v.framework} {text.number_text(v.rps, 0)} req/s at {v.level} connections"
            for slug, variants in run.variants.items()
            for v in variants
        ]
        cited = write.source(
            aset,
            f"{write.PREFIX}tfb-{run.uuid[:8]}-{run.test}".lower(),
            title=f"TechEmpower Framework Benchmarks run {run.name} ({run.test} test)"[:300],
            url=run.url,
            publisher="TechEmpower",
            date=run.date,
            note=(
                f"Imported from {Path(options['file']).name} (run {run.uuid}"
                + (f", {run.environment}" if run.environment else "")
                + f"). Successful requests per second at each framework's best concurrency "
                f"level, divided by {text.number_text(options['cpus'])} logical CPUs (given "
                "with --cpus: results.json does not record them); base the median over a "
                "stack's frameworks, low and high the slowest and fastest.\n" + "\n".join(lines)
            ),
        )
        for slug, figure in run.figures.items():
            stack = stacks[slug]
            write.put(stack, "rps_per_vcpu", figure, cited)
            write.save(stack, f"stack {slug}")
            self.stdout.write(
                f"{slug}: {text.number_text(figure.base, 1)} req/s per vCPU "
                f"(low {text.number_text(figure.low, 1)}, high {text.number_text(figure.high, 1)})"
                f" from {', '.join(v.framework for v in run.variants[slug])}"
            )
        for slug, frameworks in run.missing.items():
            self.stdout.write(f"{slug}: not in this run: {', '.join(frameworks)}")
        for key in write.drop_unused_sources(aset):
            self.stdout.write(f"source {key}: no longer cited; deleted")
        self.stdout.write(f"{aset}: wrote {len(run.figures)} stacks, citing source {cited.key}")
