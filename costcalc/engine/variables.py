"""The scenario's uncertain assumptions: each figure's range and where the model reads it.

What the Monte Carlo draws and the tornado swings (docs/insight.md, "The uncertain
assumptions").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from costcalc.text import and_list, language_name

from .assumptions import Assumptions, Figure
from .figures import RATE_FIGURES, STACK_FIGURES
from .kernel import (
    PRICE,
    _languages,
    _stacks,
    hosting_slugs,
    platform_slugs,
    prices_platform,
    pricing_slugs,
)
from .model import Inputs, Option

DEFAULT_SPREAD = 0.10  # ±10% for estimated figures whose source gives a single value

# field: (words, unit) of the figures that vary, from figures.py. Units drive value_text().
STACK_FIELDS = {n: (f.words, f.unit) for n, f in STACK_FIGURES.items() if f.varies}
RATE_FIELDS = {n: (f.words, f.unit) for n, f in RATE_FIGURES.items() if f.varies}


# --- The uncertain assumptions ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Variable:
    """One uncertain assumption: its range, and every place in the model that uses it.

    ``targets`` are keys of the parameter table :func:`base_params` builds:
    ``("stack", slug, field)``, ``("rate", language, field)`` (in the scenario's market),
    ``("price",)`` or ``("platform", slug)``. One variable can feed several targets: a market
    figure that the set gives once for every language (the same number, source and range) is
    one uncertain quantity, drawn once, not one per language.
    """

    key: str  # stable identifier; variables are always taken in the order of their keys
    label: str  # words for a sentence: "FastAPI's requests per second per vCPU"
    unit: str
    low: float
    base: float
    high: float
    sourced: bool  # True: the source's range; False: the default spread around one value
    targets: tuple[tuple[str, ...], ...]
    basis: str = ""  # Source.basis: what the figure rests on when it is not a measurement

    @classmethod
    def of(
        cls, fig: Figure, key: str, label: str, unit: str, targets: tuple, a: Assumptions,
        default_spread: float,
    ) -> Variable:  # fmt: skip
        """The variable for ``fig``: its own range, else base ± ``default_spread``."""
        low, high, sourced = figure_range(fig, default_spread)
        source = a.sources.get(fig.source)
        basis = source.basis if source is not None else ""
        return cls(key, label, unit, low, fig.base, high, sourced, targets, basis)

    @property
    def title(self) -> str:
        return self.label[:1].upper() + self.label[1:]


def figure_range(fig: Figure, default_spread: float) -> tuple[float, float, bool]:
    """(low, high, sourced) for a figure: its own range, else base ± default_spread."""
    if fig.has_range:
        # A base outside its own range is a data slip; widen the range rather than refuse.
        return min(fig.low, fig.base), max(fig.high, fig.base), True
    return fig.base * (1 - default_spread), fig.base * (1 + default_spread), False


def variables(
    inputs: Inputs,
    options: Sequence[Option],
    a: Assumptions,
    default_spread: float = DEFAULT_SPREAD,
) -> list[Variable]:
    """The scenario's uncertain assumptions, ordered by key.

    Included: every figure the scenario's formulas read, except those that are fixed by
    definition or cannot change a result here (docs/insight.md lists the rules): workers per
    vCPU (a deployment choice), a CPU multiplier of exactly 1 without a range (the reference
    stack, Go = 1 by definition), an instance price without a range (a list price is known
    exactly), weeks to first API when there is no cost of delay or nothing to compare, the
    hiring figures under the retrain policy and the ramp-up under the hire policy.
    """
    out: list[Variable] = []
    delay_matters = inputs.cost_of_delay > 0 and len(options) > 1
    for slug in _stacks(options):
        stack = a.stack(slug)
        for name, (words, unit) in STACK_FIELDS.items():
            fig = getattr(stack, name)
            if name == "weeks_to_first_api" and not delay_matters:
                continue
            if name == "cpu_multiplier" and not fig.has_range and fig.base == 1:
                continue
            key, targets = f"stack/{slug}/{name}", (("stack", slug, name),)
            label = f"{stack.name}'s {words}"
            out.append(Variable.of(fig, key, label, unit, targets, a, default_spread))
    market = a.markets.get(inputs.market)
    market_name = market.name if market else inputs.market
    skip = (
        {"ramp_up_weeks"}
        if inputs.policy == "hire"
        else {"recruiting_fee_pct", "time_to_fill_days"}
    )
    for name, (words, unit) in RATE_FIELDS.items():
        if name in skip:
            continue
        groups: dict[tuple, list[str]] = {}
        for language in _languages(options, a):
            fig = getattr(a.rate(inputs.market, language), name)
            groups.setdefault((fig.base, fig.low, fig.high, fig.source), []).append(language)
        for langs in groups.values():
            fig = getattr(a.rate(inputs.market, langs[0]), name)
            key = f"rate/{inputs.market}/{name}/{'+'.join(langs)}"
            who = and_list(language_name(x) for x in langs)
            label = f"the {words} of {who} engineers in {market_name}"
            targets = tuple(("rate", x, name) for x in langs)
            out.append(Variable.of(fig, key, label, unit, targets, a, default_spread))
    inst = a.instance(inputs.instance)
    if inst.price_per_hour.has_range:
        key, label = f"instance/{inst.slug}/price_per_hour", f"the price of {inst.name}"
        price = inst.price_per_hour
        out.append(Variable.of(price, key, label, "USD/h", (PRICE,), a, default_spread))
    # A platform price varies by the same rule: only when its source gives a range.
    for slug in platform_slugs(inputs.platform) if prices_platform(inputs, a) else ():
        price = a.platform_price(slug)
        if price.value.has_range:
            unit = "USD/h" if price.unit == "USD per hour" else ""
            targets = (("platform", slug),)
            label = f"the price of {price.name}"
            out.append(Variable.of(price.value, f"platform/{slug}", label, unit, targets, a,
                                   default_spread))  # fmt: skip
    # And a pricing or hosting model's figures (sections 7d and 7e), by the same rule.
    for slug in pricing_slugs(inputs, a) + hosting_slugs(inputs, options):
        figure = a.platform_price(slug)
        if figure.value.has_range:
            label = f"the {figure.name[:1].lower()}{figure.name[1:]}"
            unit = "%" if figure.kind == "pricing" else ""
            out.append(Variable.of(figure.value, f"{figure.kind}/{slug}", label, unit,
                                   (("platform", slug),), a, default_spread))  # fmt: skip
    return sorted(out, key=lambda v: v.key)
