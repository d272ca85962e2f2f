"""Each import from file to draft set, in one transaction: what the commands (and any admin
action) call. Each returns the lines of its report; an ImportProblem leaves the set untouched.

``aset`` is an AssumptionSet or what names one ("slug@version", or its id); it is locked and
checked to be a draft inside the transaction.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from costcalc import text
from costcalc.assumptions.models import AssumptionSet, MarketRate

from . import ImportProblem, prices, salaries, techempower, write

AWS_URL = (
    "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/{version}/{region}/index.csv"
)


@dataclass(frozen=True)
class GivenSource:
    """What the person importing says of the file's source (the commands' --source-* options);
    each field left blank takes what the importer finds in the file."""

    title: str = ""
    url: str = ""
    publisher: str = ""
    date: datetime.date | None = None

    @classmethod
    def named(cls, values) -> GivenSource:
        """From the source_title, source_url, ... of an import form or an import command."""
        return cls(**{f.name: values[f"source_{f.name}"] for f in fields(cls)})

    def over(self, **found) -> dict:
        """write.source()'s title, url, publisher and date: each given one, else ``found``'s."""
        return {name: value or found.get(name, value) for name, value in asdict(self).items()}


def _key(text_: str) -> str:
    return slugify(f"{write.PREFIX}{text_}")[:60]


def _file_day(path: Path) -> datetime.date:
    return datetime.date.fromtimestamp(path.stat().st_mtime)


def _ref(aset: AssumptionSet | str) -> str:
    return str(aset.pk) if isinstance(aset, AssumptionSet) else str(aset)


@transaction.atomic
def import_techempower(
    aset: AssumptionSet | str,
    path: str | Path,
    *,
    cpus: float,
    test: str = "json",
    mapping: dict[str, tuple[str, ...]] | None = None,
) -> list[str]:
    """Each stack's requests per second per vCPU from a TechEmpower results.json."""
    say: list[str] = []
    aset, path, given = write.draft(_ref(aset)), Path(path), mapping or {}
    stacks = {s.slug: s for s in aset.stacks.all()}
    unknown = sorted(set(given) - set(stacks))
    if unknown:
        raise ImportProblem(f"--map names stacks {aset} does not have: {', '.join(unknown)}")
    mapping = {**techempower.DEFAULT_MAP, **given}
    wanted = {slug: mapping[slug] for slug in stacks if slug in mapping}
    run = techempower.read(path, stacks=wanted, cpus=cpus, test=test)
    for slug in sorted(set(stacks) - set(wanted)):
        say.append(f"{slug}: no TechEmpower framework maps to it (--map); unchanged")
    for slug, frameworks in run.missing.items():
        if slug in given:
            raise ImportProblem(
                f"{path.name}: rawData.{test}: no framework {', '.join(frameworks)} "
                f"(named by --map for {slug})"
            )
    if not run.figures:
        raise ImportProblem(
            f"{path.name}: rawData.{test}: none of the frameworks of {', '.join(wanted)} ran; "
            "nothing to import"
        )
    levels = [
        f"{slug}: {v.framework} {text.number_text(v.rps, 0)} req/s at {v.level} connections"
        for slug, variants in run.variants.items()
        for v in variants
    ]
    cited = write.source(
        aset,
        _key(f"tfb-{run.uuid[:8]}-{test}"),
        title=f"TechEmpower Framework Benchmarks run {run.name} ({test} test)"[:300],
        url=run.url,
        publisher="TechEmpower",
        date=run.date,
        note=(
            f"Imported from {path.name} (run {run.uuid}"
            + (f", {run.environment}" if run.environment else "")
            + "). Successful requests per second at each framework's best concurrency level, "
            f"divided by {text.number_text(cpus)} logical CPUs (given with --cpus: "
            "results.json does not record them); base the median over a stack's frameworks, "
            "low and high the slowest and fastest.\n" + "\n".join(levels)
        ),
    )
    for slug, figure in run.figures.items():
        stack = stacks[slug]
        write.put(stack, "rps_per_vcpu", figure, cited)
        write.save(stack, f"stack {slug}")
        say.append(
            f"{slug}: {text.number_text(figure.base, 1)} req/s per vCPU "
            f"(low {text.number_text(figure.low, 1)}, high {text.number_text(figure.high, 1)}) "
            f"from {', '.join(v.framework for v in run.variants[slug])}"
        )
    for slug, frameworks in run.missing.items():
        say.append(f"{slug}: not in this run: {', '.join(frameworks)}")
    say += [f"source {key}: no longer cited; deleted" for key in write.drop_unused_sources(aset)]
    wrote = text.plural(len(run.figures), "stack")
    say.append(f"{aset}: wrote {wrote}, citing source {cited.key}")
    return say


@transaction.atomic
def import_prices(
    aset: AssumptionSet | str,
    path: str | Path,
    *,
    region: str = "us-east-1",
    source: GivenSource = GivenSource(),
) -> list[str]:
    """Instance prices from AWS's EC2 price list (CSV) or an instance table."""
    say: list[str] = []
    aset, path = write.draft(_ref(aset)), Path(path)
    found = prices.read(path, region=region)
    if found.kind == "aws":
        # The set's AWS instances in that region; each slug names its instance type.
        targets = {
            prices.aws_name(i.slug): i
            for i in aset.instance_types.filter(region=region)
            if i.provider.lower() == "aws"
        }
        key = _key(f"aws-ec2-{region}-{found.version or path.stem}")
        default_title = f"AWS EC2 price list, {region}: On Demand, Linux, shared tenancy" + (
            f" (version {found.version})" if found.version else ""
        )
        default_url = AWS_URL.format(version=found.version, region=region) if found.version else ""
        default_publisher, default_date = "Amazon Web Services", found.published
        how = (
            "TermType OnDemand, Unit Hrs, Operating System Linux, Tenancy Shared, Pre Installed "
            "S/W NA, CapacityStatus Used (and operation RunInstances, Marketoption OnDemand "
            f"where the file has them), Region Code {region}."
        )
    else:
        targets = {i.slug: i for i in aset.instance_types.all()}
        key = _key(f"prices-{path.stem}")
        default_title, default_url = f"Instance price table {path.name}", ""
        default_publisher, default_date = "", _file_day(path)
        how = "One row per instance type: slug, vcpu, memory_gb, price_per_hour."
    matched = {name: targets[name] for name in found.prices if name in targets}
    if found.kind == "table":
        for name in sorted(set(found.prices) - set(targets)):
            say.append(f"{name}: not an instance type of {aset}; skipped")
    for name in sorted(set(targets) - set(found.prices)):
        say.append(f"{targets[name].slug}: not in {path.name}; unchanged")
    if not matched:
        raise ImportProblem(
            f"{path.name}: none of the set's instance types"
            + (f" (AWS, {region})" if found.kind == "aws" else "")
            + " is in the file; nothing to import"
        )
    rows = [
        f"{name}: ${text.number_text(found.prices[name].figure.base, 6)}/h "
        f"(line {found.prices[name].line})"
        for name in sorted(matched)
    ]
    cited = write.source(
        aset,
        key,
        **source.over(
            title=default_title, url=default_url, publisher=default_publisher, date=default_date
        ),
        note=f"Imported from {path.name}. {how}\n" + "\n".join(rows),
    )
    for name, instance in sorted(matched.items()):
        price = found.prices[name]
        write.put(instance, "price_per_hour", price.figure, cited)
        if found.kind == "table":
            instance.vcpu, instance.memory_gb = price.vcpu, price.memory_gb
        write.save(instance, f"instance type {instance.slug} ({path.name} line {price.line})")
        say.append(f"{instance.slug}: ${text.number_text(price.figure.base, 6)} an hour")
        for label, theirs, ours in (
            ("vCPU", price.vcpu, instance.vcpu),
            ("GB of memory", price.memory_gb, instance.memory_gb),
        ):
            if theirs is not None and theirs != ours:
                say.append(
                    f"  warning: {path.name} gives {name} {text.number_text(theirs)} {label}, "
                    f"the set {text.number_text(ours)}"
                )
    say += [f"source {k}: no longer cited; deleted" for k in write.drop_unused_sources(aset)]
    wrote = text.plural(len(matched), "price")
    say.append(f"{aset}: wrote {wrote}, citing source {cited.key}")
    return say


@transaction.atomic
def import_salaries(
    aset: AssumptionSet | str,
    path: str | Path,
    *,
    min_n: int = 30,
    markets: dict[str, tuple[str, ...]] | None = None,
    source: GivenSource = GivenSource(),
) -> list[str]:
    """Annual salary by language per market from a Stack Overflow-layout survey."""
    say: list[str] = []
    aset, path, given = write.draft(_ref(aset)), Path(path), markets or {}
    if min_n < 1:
        raise ImportProblem("--min-n must be at least 1")
    slugs = set(aset.markets.values_list("slug", flat=True))
    unknown = sorted(set(given) - slugs)
    if unknown:
        raise ImportProblem(f"--market names markets {aset} does not have: {', '.join(unknown)}")
    countries = {**salaries.DEFAULT_MARKETS, **given}
    for slug in sorted(slugs - set(countries)):
        say.append(f"{slug}: no survey countries map to it (--market); unchanged")
    rates = {
        (r.market.slug, r.language): r
        for r in MarketRate.objects.filter(market__assumption_set=aset).select_related("market")
    }
    survey = salaries.read(
        path,
        markets={m: countries[m] for m in sorted(slugs) if m in countries},
        languages=sorted({language for _, language in rates}),
        min_n=min_n,
    )
    say.append(
        f"{path.name}: {survey.respondents} respondents, {survey.counted} back-end, full time, "
        "with pay, in a mapped country"
    )
    written = [c for c in survey.cells if (c.market, c.language) in rates]
    for cell in survey.cells:
        if cell not in written:
            say.append(f"{cell.describe()}: the set has no such market rate; skipped")
    for cell in survey.skipped:
        say.append(f"skipped {cell.describe()}: fewer than {min_n}")
    if not written:
        raise ImportProblem(
            f"{path.name}: no market and language has {min_n} or more respondents (--min-n); "
            "nothing to import"
        )
    cited = write.source(
        aset,
        _key(f"survey-{path.stem}"),
        **source.over(
            title=f"Salary survey {path.name}: pay of back-end developers, full time",
            date=_file_day(path),
        ),
        note=(
            f"Imported from {path.name}: respondents whose DevType names back-end work, "
            "employed full time, with ConvertedCompYearly (USD), by the countries of each "
            f"market; base the median, low and high the quartiles; cells under {min_n} "
            "respondents are not used.\n"
            + "\n".join(c.describe() for c in written)
            + "".join(f"\nnot used: {c.describe()}" for c in survey.skipped)
        ),
    )
    for cell in written:
        rate = rates[(cell.market, cell.language)]
        write.put(rate, "annual_salary", cell.figure, cited)
        write.save(rate, f"market rate {cell.market}/{cell.language}")
        say.append(f"wrote {cell.describe()}")
    say += [f"source {key}: no longer cited; deleted" for key in write.drop_unused_sources(aset)]
    wrote = text.plural(len(written), "salary figure")
    say.append(f"{aset}: wrote {wrote}, citing source {cited.key}")
    return say
