"""Writing imported figures into a draft set: the one place an importer touches the database.

The caller runs everything inside one ``transaction.atomic()``: an ImportProblem raised at any
step (a published set, a figure its model refuses) rolls every write back, so a malformed file
leaves the draft as it was.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from costcalc.assumptions.models import AssumptionSet, InstanceType, MarketRate, Source, Stack

from . import Figure, ImportProblem

# Every source an importer writes has a key with this prefix, so a later import can tell its
# own sources (which it may delete once nothing cites them) from an analyst's.
PREFIX = "import-"


def draft(ref: str) -> AssumptionSet:
    """The set named by ``ref`` ("slug@version", or its id), locked for the import, which must
    be a draft."""
    slug, at, version = ref.partition("@")
    try:
        if at:
            query = AssumptionSet.objects.filter(slug=slug, version=int(version))
        else:
            query = AssumptionSet.objects.filter(pk=int(ref))
    except ValueError:
        raise ImportProblem(
            f"{ref!r} names no assumption set: give slug@version (e.g. independent-2026@3) "
            "or the set's id"
        ) from None
    aset = query.select_for_update().first()
    if aset is None:
        raise ImportProblem(f"There is no assumption set {ref}.")
    if aset.is_published:
        raise ImportProblem(
            f"{aset.name} v{aset.version} is published, and a published set never changes; "
            "clone it to make a new version and import into that draft."
        )
    return aset


def source(aset: AssumptionSet, key: str, **fields) -> Source:
    """The import's source, created or (importing the same file again) brought up to date."""
    row = Source.objects.filter(assumption_set=aset, key=key).first() or Source(
        assumption_set=aset, key=key
    )
    for name, value in fields.items():
        setattr(row, name, value)
    save(row, f"source {key}")
    return row


def put(row, name: str, figure: Figure, cited: Source) -> None:
    """Set a figure (base, range and source) on a row; ``save`` checks and stores it."""
    setattr(row, name, figure.base)
    if hasattr(row, f"{name}_low"):
        setattr(row, f"{name}_low", figure.low)
        setattr(row, f"{name}_high", figure.high)
    setattr(row, f"{name}_source", cited)


def save(row, what: str) -> None:
    """Validate the row as the admin would, then save it; a refusal names the row."""
    try:
        row.full_clean()
    except ValidationError as error:
        problems = "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
        raise ImportProblem(f"{what}: {problems}") from None
    row.save()


def drop_unused_sources(aset: AssumptionSet) -> list[str]:
    """Delete the importers' sources of ``aset`` that no figure cites any more (a figure an
    import replaced cited them); an analyst's sources stay. Returns the keys deleted."""
    cited = set()
    for model in (Stack, InstanceType, MarketRate):
        rows = model.objects.filter(**{model.set_path: aset})
        for field in model.source_fields():
            cited.update(rows.values_list(f"{field}_id", flat=True))
    unused = aset.sources.filter(key__startswith=PREFIX).exclude(pk__in=cited)
    keys = list(unused.values_list("key", flat=True))
    unused.delete()
    return keys
