"""Where each of a scenario's values sits: in the document, on the calculator page, in the engine.

One row per input, read by both directions of the conversion between the two encodings of a
scenario (query.py: the document to the page's query, and the page's form back to the
document) and by resolve.py, which builds the engine's values from the document. A mapping
is written here once; nothing else spells out a field name or a unit change.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from costcalc import engine
from costcalc.calculator.forms import ADDED_PLATFORM
from costcalc.calculator.your_figures import your_field_name

from .schema import MigrationIn, ServiceIn

SHARE_DECIMALS = 9  # what a saved scenario's export keeps of a share
KNOWS_PREFIX = "knows_"  # the page's field for a language: knows_python, ...

NUMBER, CHOICE, FLAG, COUNTS, YOURS = "number", "choice", "flag", "counts", "yours"
LINE = "line"  # a platform line's choice, whose "none" is the engine's "" (no line)
PLATFORM = "platform."  # an engine name so prefixed is a field of engine.Platform
PLATFORM_KINDS = {"database": LINE, "observability": LINE}
PLATFORM_KINDS |= {"db_multi_az": FLAG, "cache": FLAG, "egress": FLAG}


def number_text(x: float | int) -> str:
    """A number as the page's fields read it back exactly: 8000, 23456.5, 0.00001 (no exponent,
    which the hybrid field does not read)."""
    if isinstance(x, int):
        return str(x)
    if x.is_integer():
        return str(int(x))
    return format(Decimal(repr(x)), "f")  # repr is the shortest text float() reads back


@dataclass(frozen=True)
class Input:
    """One input: ``name`` in the document and on the page, ``engine`` in engine.Inputs ("" for
    what only the display reads)."""

    name: str
    engine: str
    kind: str = NUMBER  # number; choice (a slug); flag (the page's on/off); counts (by language)
    percent: bool = False  # the document and the page say 70 (%), the engine 0.7

    def engine_value(self, value: Any) -> Any:
        if self.kind == YOURS:
            return value.engine_keys()
        if self.kind == CHOICE and value is None:
            return ""  # an optional choice left out (the current stack: none)
        if self.kind == LINE:
            return "" if value == "none" else value
        return value / 100 if self.percent else value

    def query(self, value: Any) -> dict[str, list[str]]:
        """The page's query parameters for the document's ``value``."""
        if self.kind == COUNTS:
            return {f"{KNOWS_PREFIX}{language}": [str(n)] for language, n in value.items()}
        if self.kind == FLAG:
            return {self.name: ["on" if value else "off"]}
        if self.kind in (CHOICE, LINE):
            return {self.name: [value or ""]}
        if self.kind == YOURS:
            return {
                your_field_name(name, field): [number_text(v)]
                for k, v in value.engine_keys().items()
                for _, name, field in [k.split(":")]
            }
        return {self.name: [number_text(value)]}

    def from_page(self, form) -> Any:
        """The document's value from the page's valid form."""
        cleaned = form.cleaned_data
        if self.kind == COUNTS:
            return {name.removeprefix(KNOWS_PREFIX): cleaned[name] for name in form.language_fields}
        if self.kind == FLAG:
            return cleaned[self.name] == "on"
        if self.kind == YOURS:
            given: dict[str, dict[str, dict[str, float]]] = {"stacks": {}, "languages": {}}
            for field_name, key in form.your_fields.items():
                if cleaned.get(field_name) is not None:
                    owner, name, field = key.split(":")
                    rows = given["stacks" if owner == "stack" else "languages"]
                    rows.setdefault(name, {})[field] = cleaned[field_name]
            return given
        if self.kind == CHOICE:
            return cleaned[self.name] or None
        return cleaned[self.name]


INPUTS = (  # in the document's order, which is the query's
    Input("peak_rps", "peak_rps"),
    Input("avg_to_peak_pct", "avg_to_peak", percent=True),
    Input("growth_pct", "growth_pct"),
    Input("horizon_months", "horizon_months"),
    Input("app_cpu_ms", "app_cpu_ms"),
    Input("io_wait_ms", "io_wait_ms"),
    Input("team_size", "team_size"),
    Input("market", "market", CHOICE),
    Input("knows", "known", COUNTS),
    Input("policy", "policy", CHOICE),
    Input("separation_months", "separation_months"),
    Input("hires_per_year", "hires_per_year"),
    Input("current_stack", "current_stack", CHOICE),
    Input("your_figures", "your_figures", YOURS),
    Input("instance", "instance", CHOICE),
    Input("pricing", "pricing", CHOICE),
    Input("discount_pct", "commitment_discount_pct"),
    Input("hosting", "hosting", CHOICE),
    Input("container_vcpu", "container_vcpu"),
    Input("container_gb", "container_gb"),
    Input("function_memory_mb", "function_memory_mb"),
    Input("cold_start_pct", "cold_start_pct"),
    Input("utilisation_pct", "target_utilisation_pct"),
    Input("min_replicas", "min_replicas"),
    Input("autoscaling", "autoscaling", FLAG),
    # The platform lines' fields (forms.ADDED_PLATFORM), each a field of engine.Platform.
    *(
        Input(name, f"{PLATFORM}{name}", PLATFORM_KINDS.get(name, NUMBER))
        for name in ADDED_PLATFORM
    ),
    Input("cost_of_delay", "cost_of_delay"),
    Input("discount_rate_pct", "discount_rate_pct"),
    Input("currency", "", CHOICE),  # display only: no engine input (engine="")
)

# A migration's figures: the same names in the document, the page's form and engine.Migration.
MIGRATION_FIGURES = ("effort_weeks", "rewrite_months", "overlap_months")


def engine_inputs(inputs) -> engine.Inputs:
    """The engine's inputs for the document's (filled) inputs, as the page builds them."""
    values = {f.engine: f.engine_value(getattr(inputs, f.name)) for f in INPUTS if f.engine}
    platform = {
        name.removeprefix(PLATFORM): values.pop(name)
        for name in [n for n in values if n.startswith(PLATFORM)]
    }
    return engine.Inputs(**values, platform=engine.Platform(**platform))


def document_inputs(form) -> dict[str, Any]:
    """The document's inputs from the page's valid form."""
    return {f.name: f.from_page(form) for f in INPUTS}


def engine_service(s: ServiceIn) -> engine.Service:
    return engine.Service(
        stack=s.stack,
        share=s.share / 100,
        app_cpu_ms=s.app_cpu_ms,
        io_wait_ms=s.io_wait_ms,
        label=s.label or s.stack,
        engineers=s.engineers,
    )


def document_service(s: engine.Service) -> ServiceIn:
    return ServiceIn(
        stack=s.stack,
        share=round(s.share * 100, SHARE_DECIMALS),
        app_cpu_ms=s.app_cpu_ms,
        io_wait_ms=s.io_wait_ms,
        label=s.label,
        engineers=s.engineers,
    )


def engine_migration(given: MigrationIn, current: str, target: str) -> engine.Migration:
    figures = {name: getattr(given, name) for name in MIGRATION_FIGURES}
    return engine.Migration(current=current, target=target, **figures)


def document_migration(m: engine.Migration, names: list[str]) -> MigrationIn:
    """The document's migration, naming its options by index in ``names``."""
    figures = {name: getattr(m, name) for name in MIGRATION_FIGURES}
    return MigrationIn.model_validate(
        {"from": names.index(m.current), "to": names.index(m.target), **figures}
    )
