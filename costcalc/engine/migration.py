"""Migrating from one compared option to another: the cost of staying against that of moving.

Computed on top of :func:`costcalc.engine.compute`'s result, so both paths use exactly the
monthly figures the options already have. docs/model.md ("Migration") writes out the formulas.

Time runs in months from the start of the horizon (t = 0 at the start of month 1). The rewrite
takes R months, then both options run side by side for O months, then the current option is
switched off at T = R + O. Fractions of a month are allowed: a month is charged for the part
of it that falls within a period.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import yours
from .assumptions import Assumptions, ModelError
from .kernel import PER_HOST, PLATFORM_LINES, months_before, spread
from .model import CATEGORIES, CATEGORY_LABELS, OptionResult, Result, break_even_month

WEEKS_PER_YEAR = 52
MIGRATION_LINES = ("rewrite", *CATEGORIES)
MIGRATION_LABELS = {"rewrite": "Rewrite effort", **CATEGORY_LABELS}


@dataclass(frozen=True, slots=True)
class Migration:
    """Moving from the option named ``current`` to the one named ``target``."""

    current: str
    target: str
    effort_weeks: float  # engineer-weeks of rewriting, on top of the team's normal work
    rewrite_months: float  # how long the rewrite takes (R)
    overlap_months: float = 0.0  # months of running both after the rewrite (O)

    @property
    def cutover_months(self) -> float:
        """T = R + O: when the current option is switched off."""
        return self.rewrite_months + self.overlap_months

    def validate(self) -> None:
        if self.current == self.target:
            raise ModelError("a migration needs two different options")
        for value, what in (
            (self.effort_weeks, "rewrite effort"),
            (self.rewrite_months, "rewrite duration"),
            (self.overlap_months, "months of running both"),
        ):
            if not (math.isfinite(value) and value >= 0):
                raise ModelError(f"the {what} must be a finite number, zero or more")


@dataclass(slots=True)
class MigrationResult:
    migration: Migration
    current: OptionResult
    target: OptionResult
    weekly_rate: float  # loaded USD per engineer-week for the target's languages
    rewrite_cost: float  # effort x weekly rate (what falls after the horizon is not charged)
    lines: dict[str, np.ndarray]  # the migrating path per month, by MIGRATION_LINES
    staying: np.ndarray  # USD per month: the current option's total
    migrating: np.ndarray  # USD per month: the sum of ``lines``
    staying_cumulative: np.ndarray
    migrating_cumulative: np.ndarray
    break_even_month: int | None  # first month from which migrating stays at or below staying

    @property
    def staying_total(self) -> float:
        return float(self.staying_cumulative[-1])

    @property
    def migrating_total(self) -> float:
        return float(self.migrating_cumulative[-1])

    @property
    def saving(self) -> float:
        """Staying minus migrating over the horizon: above zero, migrating is cheaper."""
        return self.staying_total - self.migrating_total

    @property
    def totals(self) -> dict[str, float]:
        return {line: float(self.lines[line].sum()) for line in MIGRATION_LINES}


def weekly_rate(option: OptionResult, market: str, assumptions: Assumptions) -> float:
    """Loaded cost of one engineer-week in the option's languages, weighted by their shares.

    The same split as the engineering line: a language's share is the sum of the shares of the
    option's services written in it.
    """
    shares: dict[str, float] = {}
    for s in option.services:
        shares[s.language] = shares.get(s.language, 0.0) + s.service.share
    rate = 0.0
    for language, share in sorted(shares.items()):
        r = assumptions.rate(market, language)
        rate += share * r.annual_salary.base * r.loaded_multiplier.base / WEEKS_PER_YEAR
    return rate


def find_option(result: Result, name: str, role: str) -> OptionResult:
    for option in result.options:
        if option.name == name:
            return option
    names = ", ".join(f"'{o.name}'" for o in result.options)
    raise ModelError(f"the {role} option '{name}' is not one of the options compared ({names})")


def platform_line(result: Result, current, target, current_runs, target_runs) -> np.ndarray:
    """The platform lines while migrating: those that follow the fleet (per-host observability)
    as the infrastructure, both fleets while both run; the others, the same for every option,
    once (one database, one load balancer: the traffic moves, not the bill)."""
    if not target.platform:
        return np.zeros(len(result.months))
    fleet = "observability" if result.inputs.platform.observability in PER_HOST else None
    shared = [target.platform[k] for k in PLATFORM_LINES if k in target.platform and k != fleet]
    line = sum(shared) if shared else np.zeros(len(result.months))
    if fleet in target.platform:
        line = line + current.platform[fleet] * current_runs + target.platform[fleet] * target_runs
    return line


def migrate(result: Result, migration: Migration, assumptions: Assumptions) -> MigrationResult:
    """Cost staying on ``migration.current`` against moving to ``migration.target``.

    staying(m)   = current.total(m)
    migrating(m) = rewrite(m) + infrastructure(m) + engineering(m) + people(m) + delay(m), where
      rewrite(m)        = spread(E x w, R)              w: the target's loaded weekly rate
      infrastructure(m) = current.infra(m) x before(T, m) + target.infra(m) x (1 - before(R, m))
      platform(m)       = the target's shared lines + per-host lines as the infrastructure
      engineering(m)    = current.eng(m) x before(T, m) + target.eng(m) x (1 - before(T, m))
      people(m), delay(m) = the target's own lines
    """
    migration.validate()
    assumptions = yours.apply(assumptions, result.inputs.your_figures, result.inputs.market)
    current = find_option(result, migration.current, "current")
    target = find_option(result, migration.target, "target")
    horizon = len(result.months)
    rate = weekly_rate(target, result.inputs.market, assumptions)
    rewrite_cost = migration.effort_weeks * rate

    # The current option runs until the cutover T; the target from the end of the rewrite R.
    current_runs = months_before(migration.cutover_months, horizon)
    target_runs = 1.0 - months_before(migration.rewrite_months, horizon)
    # The team is paid as the current option's until it is switched off, then as the target's.
    team_moved = 1.0 - current_runs
    lines = {
        "rewrite": spread(rewrite_cost, migration.rewrite_months, horizon),
        "infrastructure": current.categories["infrastructure"] * current_runs
        + target.categories["infrastructure"] * target_runs,
        "platform": platform_line(result, current, target, current_runs, target_runs),
        "engineering": current.categories["engineering"] * current_runs
        + target.categories["engineering"] * team_moved,
        "people": target.categories["people"].copy(),
        "delay": target.categories["delay"].copy(),
    }
    migrating = sum(lines[line] for line in MIGRATION_LINES)
    staying = current.total.copy()
    staying_cumulative = np.cumsum(staying)
    migrating_cumulative = np.cumsum(migrating)
    if not (np.all(np.isfinite(migrating_cumulative)) and math.isfinite(rewrite_cost)):
        raise ModelError("the migration's costs grow past what can be computed")
    return MigrationResult(
        migration=migration,
        current=current,
        target=target,
        weekly_rate=rate,
        rewrite_cost=rewrite_cost,
        lines=lines,
        staying=staying,
        migrating=migrating,
        staying_cumulative=staying_cumulative,
        migrating_cumulative=migrating_cumulative,
        break_even_month=break_even_month(migrating_cumulative, staying_cumulative),
    )
