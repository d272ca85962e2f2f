"""A set's reference exchange rates: what its USD figures are shown as in other currencies.

The model computes in the set's currency (USD); a display currency converts what is shown
(costcalc/text.py, ``Display``). Rates are stored as their source quotes them, units of the
currency per euro (the ECB's euro reference rates), each with its date and source, so that a
figure shown in euros names the rate and the day it was published.
"""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models

from costcalc.text import CURRENCY_NAMES

from .sets import AssumptionSet, InPublishedSet, InSetManager, Source

SET_CURRENCY = "USD"  # every figure of a set is in US dollars (docs/assumptions.md)


class ExchangeRateManager(InSetManager):
    key_field = "currency"


class ExchangeRate(InPublishedSet):
    assumption_set = models.ForeignKey(
        AssumptionSet,
        on_delete=models.CASCADE,
        related_name="exchange_rates",
    )
    currency = models.CharField(
        max_length=3,
        choices=[
            (code, f"{code}: {name}") for code, name in CURRENCY_NAMES.items() if code != "EUR"
        ],
        help_text="The currency quoted against the euro; the set's USD needs a rate too.",
    )
    per_euro = models.FloatField(
        "units per euro",
        validators=[MinValueValidator(1e-9)],
        help_text="How many units of the currency one euro buys, as the source quotes it.",
    )
    date = models.DateField(help_text="The day the reference rate is for.")
    source = models.ForeignKey(
        Source,
        on_delete=models.RESTRICT,  # as a figure's: it goes only with its whole set
        related_name="+",
        verbose_name="source of the rate",
    )

    set_path = "assumption_set"
    objects = ExchangeRateManager()

    class Meta:
        verbose_name = "exchange rate"
        ordering = ["assumption_set", "currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["assumption_set", "currency"], name="unique_exchange_rate"
            ),
        ]

    @classmethod
    def source_fields(cls) -> list[str]:
        return ["source"]

    def __str__(self) -> str:
        return f"1 EUR = {self.per_euro:g} {self.currency} ({self.date.isoformat()})"

    def get_absolute_url(self) -> str:
        return f"{self.assumption_set.get_absolute_url()}#rate-{self.currency.lower()}"

    def natural_key(self):
        return (*self.assumption_set.natural_key(), self.currency)

    natural_key.dependencies = ["assumptions.assumptionset", "assumptions.source"]
