"""Instance prices from AWS's EC2 price list (CSV form) or from a plain instance table.

AWS's bulk price list for EC2 (the offer file's ``index.csv``, one region's or every region's)
opens with five two-column metadata lines ("FormatVersion", "Disclaimer", "Publication Date",
"Version", "OfferCode"), then a header row and one row per SKU and term. The price of an
instance type is the row that is On Demand (``TermType``), per hour (``Unit`` "Hrs"), Linux
with no pre-installed software (``Operating System``, ``Pre Installed S/W`` "NA"), on shared
tenancy (``Tenancy``), for a running instance (``CapacityStatus`` "Used", not a capacity
reservation), and where the file has them, the plain ``RunInstances`` operation and the
``Marketoption`` "OnDemand" (not a capacity block), in the region (``Region Code``; a file
without that column must hold one ``Location`` only). Two such rows with different prices are
an error, never a silent choice.

The plain table has the columns ``slug, vcpu, memory_gb, price_per_hour`` (and optionally
``price_per_hour_low``, ``price_per_hour_high``), one row per instance type of the set.
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass, field
from pathlib import Path

from . import BadFile, Figure, numbers, read_table, require_columns

AWS_COLUMNS = (
    "TermType",
    "Unit",
    "PricePerUnit",
    "Instance Type",
    "Tenancy",
    "Operating System",
    "Pre Installed S/W",
    "CapacityStatus",
)
# Columns used when present; older files lack some of them.
AWS_OPTIONAL = ("Region Code", "Location", "operation", "Marketoption", "vCPU", "Memory", "SKU")
AWS_FILTERS = {
    "TermType": "OnDemand",
    "Unit": "Hrs",
    "Tenancy": "Shared",
    "Operating System": "Linux",
    "Pre Installed S/W": "NA",
    "CapacityStatus": "Used",
    "operation": "RunInstances",
    "Marketoption": "OnDemand",
}
TABLE_COLUMNS = ("slug", "vcpu", "memory_gb", "price_per_hour")


@dataclass(frozen=True)
class Price:
    figure: Figure
    vcpu: float | None
    memory_gb: float | None
    line: int


@dataclass
class PriceList:
    kind: str  # "aws" or "table"
    prices: dict[str, Price] = field(default_factory=dict)  # AWS instance type, or slug
    published: datetime.date | None = None
    version: str = ""
    region: str = ""


def read(path: str | Path, *, region: str = "us-east-1") -> PriceList:
    """The prices in the file at ``path``, in either layout; BadFile when it is malformed."""
    preamble = _preamble(path)
    if preamble.get("FormatVersion"):
        return _read_aws(path, preamble, region)
    return _read_table(path)


def _preamble(path) -> dict[str, str]:
    """AWS's metadata lines, {name: value} with the header's line number under "_header"."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as file:
            meta: dict[str, str] = {}
            for number, row in enumerate(csv.reader(file), start=1):
                if len(row) != 2 or number > 10:
                    meta["_header"] = str(number)
                    return meta if "FormatVersion" in meta else {}
                meta[row[0]] = row[1]
    except FileNotFoundError:
        raise BadFile(path, "file", "no such file") from None
    except (UnicodeDecodeError, csv.Error) as error:
        raise BadFile(path, "file", f"not a readable CSV file ({error})") from None
    return meta if "FormatVersion" in meta else {}


def _read_aws(path, meta: dict[str, str], region: str) -> PriceList:
    import pandas as pd

    header_line = int(meta.get("_header", 0))
    if not header_line:
        raise BadFile(path, "header", "the metadata lines are not followed by a header row")
    header = read_table(path, skiprows=header_line - 1, nrows=0).columns.tolist()
    require_columns(path, header, AWS_COLUMNS, where=f"header (line {header_line})")
    wanted = [c for c in (*AWS_COLUMNS, *AWS_OPTIONAL) if c in header]
    kept = []
    # The whole-region file runs to millions of rows: read it in chunks of the columns we use.
    for chunk in read_table(path, skiprows=header_line - 1, usecols=wanted, chunksize=200_000):
        keep = pd.Series(True, index=chunk.index)
        for column, value in AWS_FILTERS.items():
            if column in chunk:
                keep &= chunk[column] == value
        if "Region Code" in chunk:
            keep &= chunk["Region Code"] == region
        kept.append(chunk[keep])
    rows = pd.concat(kept) if kept else pd.DataFrame(columns=wanted)
    if "Region Code" not in header and rows.get("Location", pd.Series()).nunique() > 1:
        raise BadFile(
            path,
            f"header (line {header_line})",
            "no Region Code column and several Locations: use one region's price list",
        )
    first = header_line + 1  # the file's line of data row 0
    prices = numbers(path, rows, "PricePerUnit", first)
    out = PriceList(
        kind="aws",
        published=_published(path, meta.get("Publication Date", "")),
        version=meta.get("Version", ""),
        region=region,
    )
    for name, group in rows.groupby("Instance Type"):
        distinct = sorted(set(prices[group.index]))
        if len(distinct) > 1:
            lines = ", ".join(str(first + i) for i in group.index)
            raise BadFile(
                path,
                f"instance type {name}",
                f"{len(distinct)} different On Demand Linux prices in {region} (lines {lines})",
            )
        row = group.iloc[0]
        out.prices[str(name)] = Price(
            figure=Figure(distinct[0]),
            vcpu=_float(row.get("vCPU")),
            memory_gb=_float(str(row.get("Memory", "")).replace("GiB", "")),
            line=first + int(group.index[0]),
        )
    return out


def _read_table(path) -> PriceList:
    frame = read_table(path)
    columns = [c.strip() for c in frame.columns]
    frame.columns = columns
    require_columns(path, columns, TABLE_COLUMNS)
    first = 2
    values = {c: numbers(path, frame, c, first) for c in TABLE_COLUMNS[1:]}
    for end in ("low", "high"):
        column = f"price_per_hour_{end}"
        if column in frame:
            values[column] = numbers(path, frame, column, first, blank_ok=True)
    out = PriceList(kind="table")
    for i, slug in frame["slug"].str.strip().items():
        if not slug:
            raise BadFile(path, f"line {first + i}", "no slug")
        if slug in out.prices:
            raise BadFile(path, f"line {first + i}", f"{slug} is listed twice")
        low, high = (values.get(f"price_per_hour_{end}") for end in ("low", "high"))
        out.prices[slug] = Price(
            figure=Figure(
                values["price_per_hour"][i],
                None if low is None or low.isna()[i] else float(low[i]),
                None if high is None or high.isna()[i] else float(high[i]),
            ),
            vcpu=float(values["vcpu"][i]),
            memory_gb=float(values["memory_gb"][i]),
            line=first + i,
        )
    if not out.prices:
        raise BadFile(path, "file", "no instance rows")
    return out


def aws_name(slug: str) -> str:
    """The AWS instance type a set's slug stands for: the first hyphen is the dot,
    c7i-xlarge -> c7i.xlarge."""
    return slug.replace("-", ".", 1)


def _published(path, text: str) -> datetime.date | None:
    if not text:
        return None
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise BadFile(path, "Publication Date", f"{text!r} is not a date") from None


def _float(text) -> float | None:
    try:
        return float(str(text).strip())
    except ValueError:
        return None
