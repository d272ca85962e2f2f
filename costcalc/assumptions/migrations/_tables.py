"""The figure tables as 0001_initial created them, for that migration and 0004's history of them.

Frozen like the migrations that import it: never edit what is here (a later change to a model
goes in its own migration, as makemigrations writes it). Django's migration loader passes over
a module whose name starts with "_".

Why it exists: each figure is stored as a value, its low and high ends and the source it cites,
and django-simple-history's tables copy every field again. Written out by makemigrations, that
was some 120 lines of near-identical fields in 0001 and 0004, and duplicate code the tree's
`duplicates` check counted as six pairs.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.deletion import CASCADE, DO_NOTHING, RESTRICT, SET_NULL

# --- Columns that are not figures ----------------------------------------------------------------


def _language():
    return models.SlugField(
        help_text="Lower case, e.g. python, javascript, go: stacks of one language share salaries.",
        max_length=30,
    )


def source_columns():
    return [
        (
            "key",
            models.SlugField(
                help_text="A short handle, unique within the set (e.g. tfb-r23).", max_length=60
            ),
        ),
        ("title", models.CharField(max_length=300)),
        ("url", models.URLField(blank=True, max_length=500, verbose_name="URL")),
        ("publisher", models.CharField(blank=True, max_length=200)),
        (
            "date",
            models.DateField(
                blank=True,
                help_text="When the source was published (or retrieved, if it carries no date).",
                null=True,
            ),
        ),
        (
            "note",
            models.TextField(
                blank=True, help_text="How figures were taken or derived from it, and caveats."
            ),
        ),
    ]


def stack_columns():
    return [
        (
            "slug",
            models.SlugField(help_text="Names the stack in links, e.g. fastapi.", max_length=40),
        ),
        ("name", models.CharField(help_text="e.g. FastAPI on Uvicorn", max_length=80)),
        ("language", _language()),
    ]


def instance_columns():
    return [
        ("slug", models.SlugField(help_text="e.g. c7i-xlarge", max_length=40)),
        ("name", models.CharField(help_text="e.g. AWS c7i.xlarge", max_length=80)),
        ("provider", models.CharField(max_length=40)),
        ("region", models.CharField(max_length=40)),
        ("vcpu", models.FloatField(validators=[MinValueValidator(0.25)], verbose_name="vCPU")),
        (
            "memory_gb",
            models.FloatField(validators=[MinValueValidator(0.25)], verbose_name="memory (GB)"),
        ),
    ]


def rate_columns():
    return [("language", _language())]


# --- Figures: (name, verbose name, help text, whether it has a low and high end) ----------------

STACK_FIGURES = (
    (
        "rps_per_vcpu",
        "Requests per second per vCPU",
        "Framework-only throughput (no business logic) per vCPU, from a benchmark.",
        True,
    ),
    (
        "cpu_multiplier",
        "CPU multiplier vs Go",
        "Business-logic CPU time relative to Go doing the same work (Go = 1).",
        True,
    ),
    (
        "memory_per_process_mb",
        "Memory per process (MB)",
        "Resident memory of one idle server process.",
        True,
    ),
    (
        "memory_per_inflight_kb",
        "Memory per in-flight request (KB)",
        "Extra memory each request holds while it is being served.",
        True,
    ),
    (
        "workers_per_vcpu",
        "Worker processes per vCPU",
        "0 means one process per instance using every core (Go).",
        False,
    ),
    (
        "weeks_to_first_api",
        "Weeks to first production API",
        "How long a team takes to put its first production API live on this stack.",
        True,
    ),
)
RATE_FIGURES = (
    ("annual_salary", "Annual salary (USD)", "Gross pay of a mid-senior backend engineer.", True),
    (
        "loaded_multiplier",
        "Loaded-cost multiplier",
        "Employer cost per unit of salary (benefits, payroll taxes).",
        True,
    ),
    (
        "recruiting_fee_pct",
        "Recruiting fee (% of salary)",
        "Agency fee as a percentage of first-year salary.",
        True,
    ),
    ("time_to_fill_days", "Time to fill (days)", "Days from opening a role to a start.", True),
    (
        "ramp_up_weeks",
        "Ramp-up (weeks)",
        "Full-time weeks of output an engineer loses learning this language.",
        True,
    ),
)
INSTANCE_FIGURES = (("price_per_hour", "Price per hour (USD)", "On-demand list price.", True),)


def figure_values(figures):
    """Each figure's value and, where it has them, its low and high ends."""
    fields = []
    for name, label, help_text, ranged in figures:
        fields.append(
            (
                name,
                models.FloatField(
                    help_text=help_text, validators=[MinValueValidator(0)], verbose_name=label
                ),
            )
        )
        for end in ("low", "high") if ranged else ():
            fields.append(
                (
                    f"{name}_{end}",
                    models.FloatField(
                        blank=True,
                        null=True,
                        validators=[MinValueValidator(0)],
                        verbose_name=f"{label}: {end}",
                    ),
                )
            )
    return fields


def figure_sources(figures, *, historical=False):
    """Each figure's source, in name order (as makemigrations wrote them)."""
    return [
        (
            f"{name}_source",
            foreign_key(
                "assumptions.source",
                historical=historical,
                verbose_name=f"source of {label.lower()}",
            ),
        )
        for name, label, _, _ in sorted(figures)
    ]


def foreign_key(to, *, historical=False, **options):
    """A figure table's key: RESTRICT to a source, else CASCADE; a history row's constrains none."""
    if historical:
        options.pop("related_name", None)
        return models.ForeignKey(
            blank=True,
            db_constraint=False,
            null=True,
            on_delete=DO_NOTHING,
            related_name="+",
            to=to,
            **options,
        )
    on_delete = RESTRICT if to == "assumptions.source" else CASCADE
    options.setdefault("related_name", "+")
    return models.ForeignKey(on_delete=on_delete, to=to, **options)


# --- django-simple-history's columns, as its 3.x writes them ------------------------------------


def history_columns():
    return [
        ("history_id", models.AutoField(primary_key=True, serialize=False)),
        ("history_date", models.DateTimeField(db_index=True)),
        ("history_change_reason", models.CharField(max_length=100, null=True)),
        (
            "history_type",
            models.CharField(
                choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
            ),
        ),
    ]


def history_user():
    return (
        "history_user",
        models.ForeignKey(
            null=True, on_delete=SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL
        ),
    )


def historical_id():
    return (
        "id",
        models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
    )
