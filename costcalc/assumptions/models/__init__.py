"""Versioned, sourced assumption sets that analysts keep current in the admin.

A set is edited as a draft and then published; a published set never changes again, so that
every figure computed with it can be reproduced. New work starts from a clone of it.
"""

from .currencies import SET_CURRENCY, ExchangeRate
from .figures import InstanceType, Market, MarketRate, PlatformPrice, Stack, figure_fields
from .sets import (
    AssumptionSet,
    InPublishedSet,
    NamedInSet,
    PublishedSetError,
    Source,
)

__all__ = [
    "AssumptionSet",
    "ExchangeRate",
    "InPublishedSet",
    "InstanceType",
    "Market",
    "MarketRate",
    "NamedInSet",
    "PlatformPrice",
    "PublishedSetError",
    "SET_CURRENCY",
    "Source",
    "Stack",
    "figure_fields",
]
