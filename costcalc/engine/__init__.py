"""The cost model as a pure package: plain inputs in, a result out. No Django here."""

from . import yours  # noqa: F401  (engine.yours)
from .assumptions import (
    Assumptions,
    Figure,
    InstanceType,
    Market,
    MarketRate,
    MissingAssumption,
    ModelError,
    Source,
    Stack,
)
from .migration import MIGRATION_LABELS, MIGRATION_LINES, Migration, MigrationResult, migrate
from .model import (
    CATEGORIES,
    CATEGORY_LABELS,
    HOURS_PER_MONTH,
    SEPARATION_MONTHS,
    Inputs,
    Option,
    OptionResult,
    Result,
    Service,
    Step,
    break_even_month,
    compute,
)

__all__ = [
    "CATEGORIES",
    "CATEGORY_LABELS",
    "HOURS_PER_MONTH",
    "MIGRATION_LABELS",
    "MIGRATION_LINES",
    "SEPARATION_MONTHS",
    "Assumptions",
    "Figure",
    "Inputs",
    "InstanceType",
    "Market",
    "MarketRate",
    "Migration",
    "MigrationResult",
    "MissingAssumption",
    "ModelError",
    "Option",
    "OptionResult",
    "Result",
    "Service",
    "Source",
    "Stack",
    "Step",
    "break_even_month",
    "compute",
    "migrate",
]
