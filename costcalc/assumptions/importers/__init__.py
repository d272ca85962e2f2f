"""Importers: figures read from the files their sources publish, written into a draft set.

Each file format has a pure module (``techempower``, ``prices``, ``salaries``) that reads a file
into plain figures, with no database; ``write`` puts them into a draft inside one transaction,
for the management commands (and any admin action) to share. pandas is imported inside the
readers' functions only, so importing this package (or the admin) never loads it in a worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class ImportProblem(Exception):
    """An import that cannot go ahead; its message says what to change."""


class BadFile(ImportProblem):
    """A file that does not have the layout or values its format promises."""

    def __init__(self, path: str | Path, where: str, what: str):
        self.path, self.where, self.what = str(path), where, what
        super().__init__(f"{Path(path).name}: {where}: {what}")


@dataclass(frozen=True)
class Figure:
    """A sourced figure as a set stores it: the base value and its range."""

    base: float
    low: float | None = None
    high: float | None = None


def read_table(path: str | Path, **options):
    """A CSV file as a DataFrame of strings (pandas parses nothing behind our back), or BadFile
    for an empty or unreadable one."""
    import pandas as pd

    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, **options)
    except FileNotFoundError:
        raise BadFile(path, "file", "no such file") from None
    except pd.errors.EmptyDataError:
        raise BadFile(path, "file", "the file is empty") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise BadFile(path, "file", f"not a readable CSV file ({error})") from None


def require_columns(path, columns, required, where="header") -> None:
    missing = [c for c in required if c not in columns]
    if missing:
        names = ", ".join(repr(c) for c in missing)
        raise BadFile(path, where, f"no column {names} (the columns are {', '.join(columns)})")


def numbers(path, frame, column: str, first_line: int, *, blank_ok: bool = False):
    """A column of strings as floats, or BadFile naming the first line that is not a number.

    The frame's index must be the row's position in the file (as read_csv numbers it) and
    ``first_line`` the file's line number of row 0, so the message points at the line an analyst
    would open. With ``blank_ok``, empty and "NA" cells are missing values (NaN), not errors.
    """
    import pandas as pd

    text = frame[column].str.strip()
    missing = text.str.upper().isin(["", "NA", "N/A", "NAN"])
    if not blank_ok:
        missing[:] = False
    values = pd.to_numeric(text.where(~missing), errors="coerce")
    for bad, why in ((values.isna() & ~missing, "is not a number"), (values < 0, "is negative")):
        if bad.any():
            index = bad.idxmax()
            raise BadFile(path, f"line {first_line + index}", f"{column} {text[index]!r} {why}")
    return values
