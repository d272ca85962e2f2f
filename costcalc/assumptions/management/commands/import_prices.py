"""Instance prices from AWS's EC2 price list (CSV) or a plain instance table, into a draft set.

    manage.py import_prices independent-2026@3 index.csv [--region us-east-1]
    manage.py import_prices independent-2026@3 instances.csv --source-date 2026-12-01

The layouts and the rows chosen are costcalc.assumptions.importers.prices's; docs/assumptions.md,
"Importing figures", says how to use it.
"""

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from costcalc import text
from costcalc.assumptions.importers import ImportProblem, prices, write

AWS_URL = (
    "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/{version}/{region}/index.csv"
)


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
        parser.add_argument("--source-title", default="", help="the source's title")
        parser.add_argument("--source-url", default="", help="where the file was published")
        parser.add_argument(
            "--source-date",
            type=datetime.date.fromisoformat,
            help="the file's date (default: AWS's Publication Date; a table's modification day)",
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
        region = options["region"]
        found = prices.read(path, region=region)
        if found.kind == "aws":
            # Only the set's AWS instances in that region; the slug names the instance type.
            targets = {
                prices.aws_name(i.slug): i
                for i in aset.instance_types.filter(region=region)
                if i.provider.lower() == "aws"
            }
            key = f"aws-ec2-{region}-{found.version or path.stem}"
            title = f"AWS EC2 price list, {region}: On Demand, Linux, shared tenancy"
            if found.version:
                title += f" (version {found.version})"
            url = AWS_URL.format(version=found.version, region=region) if found.version else ""
            date = found.published
            how = (
                "TermType OnDemand, Unit Hrs, Operating System Linux, Tenancy Shared, Pre "
                "Installed S/W NA, CapacityStatus Used (and operation RunInstances, Marketoption "
                f"OnDemand where the file has them), Region Code {region}."
            )
        else:
            targets = {i.slug: i for i in aset.instance_types.all()}
            key = f"prices-{path.stem}"
            title = f"Instance price table {path.name}"
            url = ""
            date = datetime.date.fromtimestamp(path.stat().st_mtime)
            how = "One row per instance type: slug, vcpu, memory_gb, price_per_hour."
        matched = {name: targets[name] for name in found.prices if name in targets}
        for name in sorted(set(found.prices) - set(targets)):
            if found.kind == "table":
                self.stdout.write(f"{name}: not an instance type of {aset}; skipped")
        for name in sorted(set(targets) - set(found.prices)):
            self.stdout.write(f"{targets[name].slug}: not in {path.name}; unchanged")
        if not matched:
            raise ImportProblem(
                f"{path.name}: none of the set's instance types"
                + (f" (AWS, {region})" if found.kind == "aws" else "")
                + " is in the file; nothing to import"
            )
        lines = []
        for name in sorted(matched):
            price = found.prices[name]
            lines.append(f"{name}: ${text.number_text(price.figure.base, 6)}/h (line {price.line})")
        cited = write.source(
            aset,
            slugify(f"{write.PREFIX}{key}")[:60],
            title=options["source_title"] or title,
            url=options["source_url"] or url,
            publisher="Amazon Web Services" if found.kind == "aws" else "",
            date=options["source_date"] or date,
            note=f"Imported from {path.name}. {how}\n" + "\n".join(lines),
        )
        for name, instance in sorted(matched.items()):
            price = found.prices[name]
            write.put(instance, "price_per_hour", price.figure, cited)
            if found.kind == "table":
                instance.vcpu, instance.memory_gb = price.vcpu, price.memory_gb
            write.save(instance, f"instance type {instance.slug} ({path.name} line {price.line})")
            self.stdout.write(f"{instance.slug}: ${text.number_text(price.figure.base, 6)} an hour")
            for label, theirs, ours in (
                ("vCPU", price.vcpu, instance.vcpu),
                ("memory (GB)", price.memory_gb, instance.memory_gb),
            ):
                if theirs is not None and theirs != ours:
                    self.stdout.write(
                        f"  warning: the file gives {instance.slug} {text.number_text(theirs)} "
                        f"{label}, the set {text.number_text(ours)}"
                    )
        for key_ in write.drop_unused_sources(aset):
            self.stdout.write(f"source {key_}: no longer cited; deleted")
        self.stdout.write(f"{aset}: wrote {len(matched)} prices, citing source {cited.key}")
