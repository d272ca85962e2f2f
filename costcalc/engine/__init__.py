"""The cost model as a pure package: plain inputs in, a result out. No Django here."""

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
from .model import (
    CATEGORIES,
    CATEGORY_LABELS,
    HOURS_PER_MONTH,
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
    "Assumptions",
    "Figure",
    "Inputs",
    "InstanceType",
    "Market",
    "MarketRate",
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
]
