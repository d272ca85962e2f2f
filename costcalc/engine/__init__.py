"""The cost model as a pure package: plain inputs in, a result out. No Django here."""

from . import yours  # noqa: F401  (engine.yours)
from .assumptions import (
    Assumptions,
    ExchangeRate,
    Figure,
    InstanceType,
    Market,
    MarketRate,
    MissingAssumption,
    ModelError,
    PlatformPrice,
    Source,
    Stack,
)
from .checks import function_memory_problem, hosting_problem, pricing_problem
from .figures import HOSTING_MODELS, PRICING_MODELS
from .kernel import hosting_slugs, pricing_slugs
from .migration import MIGRATION_LABELS, MIGRATION_LINES, Migration, MigrationResult, migrate
from .model import (
    CATEGORIES,
    CATEGORY_LABELS,
    HOURS_PER_MONTH,
    SEPARATION_MONTHS,
    Inputs,
    Option,
    OptionResult,
    Platform,
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
    "HOSTING_MODELS",
    "PRICING_MODELS",
    "SEPARATION_MONTHS",
    "Assumptions",
    "ExchangeRate",
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
    "PlatformPrice",
    "OptionResult",
    "Platform",
    "Result",
    "Service",
    "Source",
    "Stack",
    "Step",
    "break_even_month",
    "compute",
    "migrate",
    "function_memory_problem",
    "hosting_problem",
    "hosting_slugs",
    "pricing_problem",
    "pricing_slugs",
]
