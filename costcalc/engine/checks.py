"""The checks a scenario passes before the model costs it: options, engineers, the set's
figures and platform prices; and after, that no total overflowed. Each raises ModelError with
a reason a person can act on."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from . import kernel
from .assumptions import Assumptions, ModelError
from .figures import HOSTING_MODELS, INSTANCE_PRICE, PRICING_MODELS, RATE_FIGURES, STACK_FIGURES

if TYPE_CHECKING:
    from .model import Inputs, Option, OptionResult

SHARE_TOLERANCE = 1e-6


def check_option(option: Option, assumptions: Assumptions) -> None:
    if not option.services:
        raise ModelError(f"option '{option.name}' has no services")
    total = 0.0
    for service in option.services:
        assumptions.stack(service.stack)
        if not 0 < service.share <= 1:
            raise ModelError(f"each share in '{option.name}' must be above 0% and at most 100%")
        for t in (service.app_cpu_ms, service.io_wait_ms):
            if t is not None and not (t >= 0 and math.isfinite(t)):
                raise ModelError(f"times per request in '{option.name}' must be 0 or more")
        n = service.engineers
        if n is not None and not (n >= 0 and math.isfinite(n)):
            raise ModelError(f"engineers per service in '{option.name}' must be 0 or more")
        total += service.share
    if abs(total - 1) > SHARE_TOLERANCE:
        raise ModelError(f"the shares of '{option.name}' add up to {total:.0%}, not 100%")


def check_engineers(option: Option, team: int) -> None:
    given = [s.engineers for s in option.services if s.engineers is not None]
    if not given:
        return
    if sum(given) > team + 1e-9:
        raise ModelError(
            f"the engineers given to the services of '{option.name}' ({sum(given):g}) are more "
            f"than the team ({team:g})"
        )
    if len(given) == len(option.services) and abs(sum(given) - team) > 1e-9:
        raise ModelError(
            f"the engineers given to every service of '{option.name}' add up to {sum(given):g}, "
            f"not the team's {team:g}: leave one service out to give it the rest"
        )


def _require(value: float, what: str, *, positive: bool = False) -> None:
    ok = math.isfinite(value) and (value > 0 if positive else value >= 0)
    if not ok:
        bound = "above zero" if positive else "zero or more"
        raise ModelError(f"{what} must be a finite number {bound}, not {value!r}")


# Stacks, instance types and market rates are frozen, and the site reuses a published set's
# snapshot across requests, so each of these objects needs its figures checked once, not on
# every recalculation. Only objects that passed are remembered, so a bad figure raises the same
# error every time. The value is the object itself: holding it keeps its id from being reused.
_FIGURES_CHECKED: dict[int, object] = {}
_FIGURES_CHECKED_MAX = 1024  # a few published sets hold a few dozen objects; tests make more


def _figures_checked(obj: object) -> bool:
    return _FIGURES_CHECKED.get(id(obj)) is obj


def _remember_checked(obj: object) -> None:
    if len(_FIGURES_CHECKED) >= _FIGURES_CHECKED_MAX:
        _FIGURES_CHECKED.clear()
    _FIGURES_CHECKED[id(obj)] = obj


def check_figures(option: Option, inputs: Inputs, a: Assumptions) -> None:
    """Every assumption the option uses must be a finite number in its range.

    A NaN, an infinity or a negative figure in the set would otherwise flow silently into every
    month's cost; a zero-vCPU or zero-memory instance would divide by zero.
    """
    inst = a.instance(inputs.instance)
    if not _figures_checked(inst):
        _require(inst.vcpu, f"{inst.name}'s vCPU count", positive=True)
        _require(inst.memory_gb, f"{inst.name}'s memory", positive=True)
        _require(inst.price_per_hour.base, f"{inst.name}'s {INSTANCE_PRICE.check_words}")
        _remember_checked(inst)
    for service in option.services:
        stack = a.stack(service.stack)
        if not _figures_checked(stack):
            for spec in STACK_FIGURES.values():
                value = getattr(stack, spec.name).base
                _require(value, f"{stack.name}'s {spec.check_words}", positive=spec.positive)
            _remember_checked(stack)
        rate = a.rate(inputs.market, stack.language)
        if not _figures_checked(rate):
            for spec in RATE_FIGURES.values():
                _require(
                    getattr(rate, spec.name).base,
                    f"the {spec.check_words} of {stack.language} engineers in '{inputs.market}'",
                )
            _remember_checked(rate)


def check_platform(inputs: Inputs, a: Assumptions) -> None:
    """The platform prices the scenario's lines read: in the set, finite and not negative."""
    if not kernel.prices_platform(inputs, a):
        return
    database = inputs.platform.database
    if database and a.platform_price(database).kind != "database":
        raise ModelError(f"'{database}' is not a managed database instance type of the set")
    for slug in kernel.platform_slugs(inputs.platform):
        price = a.platform_price(slug)  # MissingAssumption names it
        _require(price.value.base, f"the {price.name} price")


def pricing_problem(inputs: Inputs, a: Assumptions) -> str:
    """Why the set cannot price the scenario's pricing model ("" when it can): it lacks the
    figures for the instance type's provider, as versions 1 to 3 of the shipped sets do."""
    if inputs.instance not in a.instances or inputs.pricing not in PRICING_MODELS:
        return ""  # said by their own checks
    if all(slug in a.platform for slug in kernel.pricing_slugs(inputs, a)):
        return ""
    return (
        f"{a.name} v{a.version} has no {PRICING_MODELS[inputs.pricing]} figures for "
        f"{a.instance(inputs.instance).provider}: choose version 4 or later, on demand, or a "
        "further discount of your own"
    )


def check_pricing(inputs: Inputs, a: Assumptions) -> None:
    """The pricing model's figures: in the set, finite, a discount from 0 to under 100%."""
    problem = pricing_problem(inputs, a)
    if problem:
        raise ModelError(problem)
    for slug in kernel.pricing_slugs(inputs, a):
        price = a.platform_price(slug)
        _require(price.value.base, f"the {price.name}")
        if slug != "spot-overhead" and not price.value.base < 100:
            raise ModelError(f"the {price.name} must be under 100%")


def hosting_problem(inputs: Inputs, options, a: Assumptions) -> str:
    """Why the set cannot price the scenario's hosting model ("" when it can)."""
    if inputs.hosting == "instances" or inputs.instance not in a.instances:
        return ""
    what = HOSTING_MODELS.get(inputs.hosting, "")
    provider = a.instance(inputs.instance).provider
    if provider != "AWS":
        return (
            f"{what.capitalize()} are priced on AWS only (Fargate, Lambda): choose an AWS "
            f"instance type (it names the provider), or instances; {provider} is not priced yet"
        )
    if not all(slug in a.platform for slug in kernel.hosting_slugs(inputs, options)):
        return (
            f"{a.name} v{a.version} has no prices for {what}: choose version 4 or later, "
            "or instances"
        )
    return ""


def check_hosting(inputs: Inputs, options, a: Assumptions) -> None:
    """The hosting model's figures, and a function's memory: enough for one of each stack's
    processes with one request in flight."""
    problem = hosting_problem(inputs, options, a)
    if problem:
        raise ModelError(problem)
    for slug in kernel.hosting_slugs(inputs, options):
        price = a.platform_price(slug)
        _require(price.value.base, f"the {price.name}", positive=slug.endswith("mb-per-vcpu"))
    problem = function_memory_problem(inputs, options, a)
    if problem:
        raise ModelError(problem)


def function_memory_problem(inputs: Inputs, options, a: Assumptions) -> str:
    """Why the function's memory cannot run a stack of the options ("" when it can): it must
    hold one of the stack's processes with one request in flight."""
    if inputs.hosting != "functions":
        return ""
    for slug in kernel._stacks(options):
        stack = a.stack(slug)
        needed = stack.memory_per_process_mb.base + stack.memory_per_inflight_kb.base / 1024
        if inputs.function_memory_mb < needed:
            return (
                f"a function of {inputs.function_memory_mb:g} MB cannot hold {stack.name} "
                f"({needed:.1f} MB: a process and one request); give it more memory"
            )
    return ""


def check_finite(results: list[OptionResult], requests: np.ndarray) -> None:
    # Inputs and figures are finite, but their products can still overflow (say 10^300 RPS).
    # An infinity or a NaN in any month of any line, or of any instance count (priced into the
    # infrastructure line), carries through the sums into the option's running total: checking
    # the running totals checks everything they are built from.
    arrays = [requests, *(r.cumulative for r in results)]
    summaries = [
        x
        for r in results
        for x in (
            r.infra_per_100k_rps,
            r.infra_per_million_requests,
            r.cost_per_million_requests,
            r.saving_vs_baseline,
            r.saving_pct,
        )
    ]
    if not (np.isfinite(np.concatenate(arrays)).all() and all(map(math.isfinite, summaries))):
        raise ModelError("the numbers grow past what can be computed; check traffic and growth")
