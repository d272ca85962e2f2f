"""The scenario document's schema: what a scenario JSON may hold, as pydantic models.

The bounds and defaults of the inputs are the calculator page's: they are read from
``CalculatorForm`` (and the migration's from ``MigrationForm``) rather than written again, so
the page and the API cannot drift apart. docs/api.md describes the format.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from costcalc import engine
from costcalc.calculator.forms import CalculatorForm
from costcalc.calculator.mix import MAX_MIX_SERVICES, share_sum_problem
from costcalc.calculator.your_figures import YOUR_BOUNDS
from costcalc.scenarios.forms import DESCRIPTION_MAX, TITLE_MAX, MigrationForm
from costcalc.text import CURRENCY_NAMES

from .errors import ScenarioError, pydantic_problems

FORM = CalculatorForm.base_fields
MIGRATION_FORM = MigrationForm.base_fields  # the page's "Try a migration" form: same bounds
MAX_OPTIONS = 8
OPTION_NAME_MAX = 100
DOCUMENT_DESCRIPTION_MAX = 2000

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"  # Django's SlugField
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, min_length=1, max_length=50)]


def no_nul(text: str) -> str:
    # PostgreSQL's text can't hold NUL (a saved title with one was a 500; SQLite stored it),
    # and Django's form fields refuse it: every free text of the document refuses it too.
    if "\x00" in text:
        raise PydanticCustomError(
            "nul_character", "Text can't contain the NUL character (\\u0000): remove it."
        )
    return text


Text = Annotated[str, AfterValidator(no_nul)]


def form_number(name: str) -> Any:
    """A pydantic field with the page's bounds, default and help for the form field ``name``."""
    field = FORM[name]
    unit = getattr(field, "unit", "").strip()
    return Field(
        default=field.initial,
        ge=field.min_value,
        le=field.max_value,
        allow_inf_nan=False,
        title=str(field.label),
        description=f"{field.help_text}" + (f" Unit: {unit}." if unit else ""),
    )


def form_choices(name: str) -> tuple[str, ...]:
    return tuple(value for value, _ in FORM[name].choices)


class Strict(BaseModel):
    # Strict: "8000" is not a number and 1 is not true. Unknown keys are errors, so a typo in a
    # field name is reported instead of silently falling back to the default.
    model_config = ConfigDict(strict=True, extra="forbid")


class AssumptionSetRef(Strict):
    slug: Slug = Field(description="The set's slug, e.g. independent-2026.")
    version: int | None = Field(
        default=None,
        ge=1,
        le=2**31 - 1,
        description="A published version; leave out for the newest published version.",
    )


def your_figure(name: str) -> Any:
    lo, hi, unit = YOUR_BOUNDS[name]
    words = {**engine.figures.STACK_FIGURES, **engine.figures.RATE_FIGURES}[name].words
    return Field(
        default=None,
        ge=lo,
        le=hi,
        allow_inf_nan=False,
        description=f"Your {words} ({unit.strip()}).",
    )


class YourStackFigures(Strict):
    rps_per_vcpu: float | None = your_figure("rps_per_vcpu")
    weeks_to_first_api: float | None = your_figure("weeks_to_first_api")


class YourRateFigures(Strict):
    annual_salary: float | None = your_figure("annual_salary")
    loaded_multiplier: float | None = your_figure("loaded_multiplier")
    recruiting_fee_pct: float | None = your_figure("recruiting_fee_pct")
    time_to_fill_days: float | None = your_figure("time_to_fill_days")
    ramp_up_weeks: float | None = your_figure("ramp_up_weeks")


class YourFigures(Strict):
    """Figures of yours in place of the set's (taken as exact; cited as your figure)."""

    stacks: dict[Slug, YourStackFigures] = Field(
        default_factory=dict,
        max_length=20,
        description='By stack, e.g. {"go": {"rps_per_vcpu": 5000}}.',
    )
    languages: dict[Slug, YourRateFigures] = Field(
        default_factory=dict,
        max_length=20,
        description="By language, in the scenario's market, "
        'e.g. {"go": {"annual_salary": 150000}}.',
    )

    def engine_keys(self) -> dict[str, float]:
        """The engine's flat keys (engine/yours.py) of every figure given."""
        out = {}
        for owner, rows in (("stack", self.stacks), ("rate", self.languages)):
            for name, figures in rows.items():
                for field, value in figures.model_dump(exclude_none=True).items():
                    out[engine.yours.key(owner, name, field)] = value
        return out


class ScenarioInputs(Strict):
    """The page's inputs, under the page's field names, with the page's bounds and defaults."""

    peak_rps: float = form_number("peak_rps")
    avg_to_peak_pct: float = form_number("avg_to_peak_pct")
    growth_pct: float = form_number("growth_pct")
    horizon_months: int = form_number("horizon_months")
    app_cpu_ms: float = form_number("app_cpu_ms")
    io_wait_ms: float = form_number("io_wait_ms")
    team_size: int = form_number("team_size")
    market: Slug | None = Field(
        default=None,
        description="A hiring market of the set, e.g. us. Default: the page's (us).",
    )
    knows: dict[Slug, Annotated[int, Field(ge=0, le=FORM["team_size"].max_value)]] | None = Field(
        default=None,
        max_length=20,
        description=(
            'Engineers who already know each language, e.g. {"python": 4}. A language '
            "left out takes the page's default (python 4, javascript 4, go 1, others 0), "
            "capped at team_size. No count may exceed team_size."
        ),
    )
    policy: Literal[form_choices("policy")] = Field(  # type: ignore[valid-type]
        default=FORM["policy"].initial,
        description=str(FORM["policy"].help_text),
    )
    separation_months: float = form_number("separation_months")
    hires_per_year: float = form_number("hires_per_year")
    current_stack: Slug | None = Field(
        default=None,
        description=f"{FORM['current_stack'].help_text} A stack of the set; leave out for none.",
    )
    your_figures: YourFigures = Field(default_factory=YourFigures)
    instance: Slug | None = Field(
        default=None,
        description="An instance type of the set, e.g. c7i-xlarge. Default: the page's.",
    )
    pricing: Literal[form_choices("pricing")] = Field(  # type: ignore[valid-type]
        default=FORM["pricing"].initial,
        description=f"{FORM['pricing'].help_text} on_demand, commit_1yr, commit_3yr or spot "
        "(docs/model.md section 7d).",
    )
    discount_pct: float = form_number("discount_pct")
    hosting: Literal[form_choices("hosting")] = Field(  # type: ignore[valid-type]
        default=FORM["hosting"].initial,
        description=f"{FORM['hosting'].help_text} instances, containers or functions.",
    )
    container_vcpu: float = form_number("container_vcpu")
    container_gb: float = form_number("container_gb")
    function_memory_mb: float = form_number("function_memory_mb")
    cold_start_pct: float = form_number("cold_start_pct")
    utilisation_pct: float = form_number("utilisation_pct")
    min_replicas: int = form_number("min_replicas")
    autoscaling: bool = Field(
        default=FORM["autoscaling"].initial == "on",
        description=str(FORM["autoscaling"].help_text),
    )
    # The platform lines (docs/model.md section 7b), each on by default at a stated size.
    database: Slug | None = Field(
        default=None,
        description=f'{FORM["database"].help_text} A "database" platform price of the set, '
        'e.g. rds-pg-r8g-large, or "none". Default: the page\'s.',
    )
    db_multi_az: bool = Field(default=True, description=str(FORM["db_multi_az"].help_text))
    db_replicas: int = form_number("db_replicas")
    db_storage_gb: float = form_number("db_storage_gb")
    cache: bool = Field(default=True, description=str(FORM["cache"].help_text))
    cache_gb: float = form_number("cache_gb")
    cache_ecpu_per_request: float = form_number("cache_ecpu_per_request")
    load_balancers: int = form_number("load_balancers")
    request_kb: float = form_number("request_kb")
    response_kb: float = form_number("response_kb")
    new_connections_per_request: float = form_number("new_connections_per_request")
    egress: bool = Field(default=True, description=str(FORM["egress"].help_text))
    observability: Literal[form_choices("observability")] = Field(  # type: ignore[valid-type]
        default=FORM["observability"].initial,
        description=f"{FORM['observability'].help_text} per_host, per_host_apm, logs or none.",
    )
    log_kb_per_request: float = form_number("log_kb_per_request")
    log_retention_months: float = form_number("log_retention_months")
    cost_of_delay: float = form_number("cost_of_delay")
    discount_rate_pct: float = form_number("discount_rate_pct")
    currency: Literal[tuple(CURRENCY_NAMES)] = Field(  # type: ignore[valid-type]
        default="USD",
        description=f"{FORM['currency'].help_text} One the set has a rate for (its "
        "exchange_rates); every answer names the rate and its date under `display`.",
    )


def service_time(name: str) -> Any:
    field = FORM[name]
    return Field(
        default=None,
        ge=field.min_value,
        le=field.max_value,
        allow_inf_nan=False,
        description=f"This service's own {name} (ms); leave out for the scenario's.",
    )


class ServiceIn(Strict):
    stack: Slug = Field(description="A stack of the set, e.g. go.")
    share: float = Field(
        gt=0,
        le=100,
        allow_inf_nan=False,
        description="Percent of all requests this service serves; a mix's shares add to 100.",
    )
    app_cpu_ms: float | None = service_time("app_cpu_ms")
    io_wait_ms: float | None = service_time("io_wait_ms")
    label: Text = Field(default="", max_length=60, description="What it serves, e.g. payments.")
    engineers: float | None = Field(
        default=None,
        ge=0,
        le=FORM["team_size"].max_value,
        allow_inf_nan=False,
        description="Engineers working on this service; leave out for the team by request share.",
    )


class OptionIn(Strict):
    """One way to serve the traffic: ``{"stack": ...}`` for one stack, or ``services``."""

    name: Text | None = Field(
        default=None,
        min_length=1,
        max_length=OPTION_NAME_MAX,
        description="Default: the stack's name, or 'Hybrid: Go 60% + ...' for a mix.",
    )
    stack: Slug | None = Field(default=None, description="Shorthand: one stack serving 100%.")
    services: list[ServiceIn] | None = Field(
        default=None, min_length=1, max_length=MAX_MIX_SERVICES, description="A mix."
    )

    @field_validator("services")
    @classmethod
    def _shares_add_up(cls, services):
        if services is not None:
            message = share_sum_problem(sum(s.share for s in services))
            if message:  # the page's message for the page's tolerance (the engine's)
                raise PydanticCustomError("share_sum", message)
        return services

    @model_validator(mode="after")
    def _stack_or_services(self):
        if (self.stack is None) == (self.services is None):
            raise PydanticCustomError(
                "option_shape", 'Give either "stack" (one stack) or "services" (a mix), not both.'
            )
        return self


def migration_number(name: str) -> Any:
    """A pydantic field with the bounds and help of the page's migration form field ``name``."""
    field = MIGRATION_FORM[name]
    return Field(
        ge=field.min_value,
        le=field.max_value,
        allow_inf_nan=False,
        title=str(field.label),
        description=str(field.help_text),
    )


OptionRef = (
    Annotated[int, Field(ge=0, le=MAX_OPTIONS - 1)]
    | Annotated[Text, StringConstraints(min_length=1, max_length=OPTION_NAME_MAX)]
)
OPTION_REF_HELP = (
    "An option: its 0-based index in options, or its name (as given, or "
    "the name the results give it, e.g. 'Go net/http')."
)


class MigrationIn(Strict):
    """Moving from the option run now to another, as the scenario page's migration form."""

    from_: OptionRef = Field(alias="from", description=f"What you run now. {OPTION_REF_HELP}")
    to: OptionRef = Field(description=f"The option migrated to, not the same. {OPTION_REF_HELP}")
    effort_weeks: float = migration_number("rewrite_effort_weeks")
    rewrite_months: float = migration_number("rewrite_months")
    overlap_months: float = migration_number("overlap_months")

    @field_validator("from_", "to", mode="wrap")
    @classmethod
    def _one_problem(cls, value, handler):
        # One problem at the field's path, rather than one for each branch of the union.
        try:
            return handler(value)
        except ValidationError:
            raise PydanticCustomError(
                "option_ref",
                "Name an option by its 0-based index (0 to {last}) or by its name "
                "(1 to {longest} characters).",
                {"last": MAX_OPTIONS - 1, "longest": OPTION_NAME_MAX},
            ) from None


class Scenario(Strict):
    """What to compare: inputs, options (the baseline is the current stack's option, else the
    first), and the assumption set."""

    description: Text = Field(
        default="",
        max_length=DOCUMENT_DESCRIPTION_MAX,
        description="What the scenario is about, for people.",
    )
    assumption_set: AssumptionSetRef | None = Field(
        default=None,
        description="Default: the page's default set at its newest published version.",
    )
    inputs: ScenarioInputs = Field(default_factory=ScenarioInputs)
    options: list[OptionIn] = Field(
        min_length=1,
        max_length=MAX_OPTIONS,
        description="1 to 8 options. Savings are measured against the baseline: the single "
        "stack of inputs.current_stack when it is one of them, otherwise the first.",
    )
    migration: MigrationIn | None = Field(
        default=None,
        description="Moving from one of the options to another: the cost of staying against "
        "that of migrating, month by month. Null or left out for none.",
    )


class ScenarioToSave(Scenario):
    """A scenario to save as a share link: the scenario, a title, and a shorter description."""

    title: Text = Field(
        min_length=1,
        max_length=TITLE_MAX,
        description="The link's heading, as the page's Share form asks for it; runs of white "
        "space become one space.",
    )
    description: Text = Field(
        default="",
        max_length=DESCRIPTION_MAX,
        description="What the scenario is about, shown under the title (the page's limit).",
    )

    @field_validator("title")
    @classmethod
    def _tidy_title(cls, title: str) -> str:
        title = " ".join(title.split())  # as the page's Share form tidies it
        if not title:
            raise PydanticCustomError("blank", "Give the scenario a title, not only spaces.")
        return title

    def scenario(self) -> Scenario:
        """The scenario alone, as calculate reads it (already checked: nothing to redo)."""
        return Scenario.model_validate(
            {name: getattr(self, name) for name in Scenario.model_fields}
        )


def parse(data: Any) -> Scenario:
    """Check a decoded JSON document's shape, types and bounds. Raises ScenarioError (422)."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(pydantic_problems(error)) from None
