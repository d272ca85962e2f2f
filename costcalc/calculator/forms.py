"""The calculator's inputs: parsed, bounded and converted into the engine's plain values.

The form is built against one assumption-set snapshot because its choices (markets,
instances, stacks, languages) come from that set.
"""

from __future__ import annotations

import copy
import math
import re
from dataclasses import replace
from typing import NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.html import escape
from django.utils.safestring import mark_safe

from costcalc import engine
from costcalc.assumptions.snapshot import derived
from costcalc.engine.model import SHARE_TOLERANCE
from costcalc.text import language_name, number_text

MIX_HELP = (
    "One hybrid to compare: stack:share pairs adding up to 100, e.g. "
    "“go:60, fastapi:30, express:10”. Give a service its own workload as "
    "stack:share:cpu_ms:io_ms."
)
MIX_PART = re.compile(
    r"^\s*(?P<stack>[a-z0-9][a-z0-9_-]*)\s*:\s*(?P<share>[0-9]+(?:\.[0-9]+)?)\s*%?"
    r"(?::\s*(?P<cpu>[0-9]+(?:\.[0-9]+)?))?(?::\s*(?P<io>[0-9]+(?:\.[0-9]+)?))?\s*$"
)
MAX_MIX_SERVICES = 10
ENGINEERS_PART = re.compile(
    r"^\s*(?P<stack>[a-z0-9][a-z0-9_-]*)\s*:\s*(?P<n>[0-9]{1,5}(?:\.[0-9]+)?)\s*$"
)
# The engine's tolerance on a mix's shares (a fraction of all requests), in percentage points:
# the page and the API accept what the engine accepts, docs/model.md's ± 0.0001 %.
SHARE_TOLERANCE_PCT = SHARE_TOLERANCE * 100
# Decimals enough to show any total outside the tolerance as other than 100 (with :g,
# 100.00001 read "The shares add up to 100%; make them add up to 100%").
SHARE_SUM_DECIMALS = 6


def share_sum_problem(total_pct: float) -> str | None:
    """What is wrong with shares adding up to ``total_pct`` (None if nothing), for the page's
    hybrid field and the API alike."""
    if abs(total_pct - 100) <= SHARE_TOLERANCE_PCT:
        return None
    total = number_text(total_pct, SHARE_SUM_DECIMALS)
    return f"The shares add up to {total}%; make them add up to 100%."


def number(label, *, lo, hi, initial, help_text, step="any", unit="", integer=False):
    field_class = forms.IntegerField if integer else forms.FloatField
    field = field_class(
        label=label,
        min_value=lo,
        max_value=hi,
        initial=initial,
        help_text=help_text,
        error_messages={
            "required": f"Enter {label}.",
            "invalid": f"{label} must be a number.",
            # Django fills these with %-formatting: a literal % must be doubled.
            "min_value": f"{label} must be at least {lo:,}{unit}.".replace("%", "%%"),
            "max_value": f"{label} must be at most {hi:,}{unit}.".replace("%", "%%"),
        },
    )
    field.widget.attrs.update({"step": "1" if integer else step, "inputmode": "decimal"})
    field.unit = unit
    return field


DEFAULT_KNOWS = {"python": 4, "javascript": 4, "go": 1}

# Fields the calculator gained after scenarios were first saved, with the value that gives what
# the model computed before them. A saved scenario stores every field it had (normalized_query),
# so one without these fields reads them as these values and keeps its figures; a new link
# takes the field's default.
ADDED_LATER = {"separation_months": "0", "current_stack": "", "mix_engineers": ""}


class OrderedMultipleChoiceField(forms.MultipleChoiceField):
    def choices_order(self, values):
        """The chosen values in the order the form lists them, so the baseline is stable."""
        chosen = set(values)
        return [value for value, _ in self.choices if value in chosen]


class CalculatorForm(forms.Form):
    assumptions = forms.ChoiceField(
        label="Assumption set",
        help_text="Which benchmark, prices and salaries to believe. Each version is frozen.",
        error_messages={"invalid_choice": "Choose one of the published assumption sets."},
    )

    # Traffic
    peak_rps = number(
        "Peak RPS",
        lo=1,
        hi=10_000_000,
        initial=10_000,
        help_text="Requests per second at the busiest minute of a typical day.",
    )
    avg_to_peak_pct = number(
        "Average load",
        lo=1,
        hi=100,
        initial=50,
        unit="%",
        help_text="Average requests per second as a share of the peak.",
    )
    growth_pct = number(
        "Monthly growth",
        lo=-50,
        hi=100,
        initial=3,
        unit="%",
        help_text="Traffic growth per month, compounded.",
    )
    horizon_months = number(
        "Horizon",
        lo=1,
        hi=60,
        initial=24,
        integer=True,
        unit=" months",
        help_text="How many months to add up.",
    )

    # Workload
    app_cpu_ms = number(
        "Business-logic CPU",
        lo=0,
        hi=10_000,
        initial=2,
        unit=" ms",
        help_text="CPU time your own code spends per request, as Go would run it.",
    )
    io_wait_ms = number(
        "I/O wait",
        lo=0,
        hi=60_000,
        initial=30,
        unit=" ms",
        help_text="Time per request spent waiting on databases and other services.",
    )

    # Team
    team_size = number(
        "Team size",
        lo=1,
        hi=10_000,
        initial=8,
        integer=True,
        help_text="Backend engineers working on this system.",
    )
    market = forms.ChoiceField(label="Hiring market", help_text="Where the team is hired and paid.")
    policy = forms.ChoiceField(
        label="Missing skills",
        choices=[("hire", "Hire engineers who know the language"), ("retrain", "Retrain the team")],
        initial="hire",
        help_text="What happens when an option needs more engineers in a language than know it.",
    )
    current_stack = forms.ChoiceField(
        label="Current stack",
        required=False,
        help_text="What the team runs today: the other options are measured against it.",
    )
    separation_months = number(
        "Separation pay",
        lo=0,
        hi=24,
        initial=engine.SEPARATION_MONTHS,
        unit=" months of salary",
        help_text="Paid to each engineer a new hire replaces (severance and notice). "
        "No source gives it: a stated default, put in your own.",
    )

    # Hosting
    instance = forms.ChoiceField(label="Instance type", help_text="What each replica runs on.")
    discount_pct = number(
        "Commitment discount",
        lo=0,
        hi=90,
        initial=0,
        unit="%",
        help_text="Savings plan or committed-use discount off list price.",
    )
    utilisation_pct = number(
        "Target CPU utilisation",
        lo=5,
        hi=100,
        initial=60,
        unit="%",
        help_text="How busy you let each vCPU get before adding capacity.",
    )
    min_replicas = number(
        "Minimum replicas",
        lo=0,
        hi=1_000,
        initial=2,
        integer=True,
        help_text="The fewest instances each service runs, for redundancy.",
    )
    autoscaling = forms.ChoiceField(
        label="Autoscaling",
        choices=[("on", "On: pay for average load"), ("off", "Off: pay for peak load")],
        initial="on",
        help_text="With autoscaling, billed instances follow average load.",
    )

    # Business
    cost_of_delay = number(
        "Cost of delay",
        lo=0,
        hi=1_000_000_000,
        initial=0,
        unit=" USD per month",
        help_text="What each month of later launch costs you (0 leaves it out).",
    )

    # Options
    stacks = OrderedMultipleChoiceField(
        label="Single stacks",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="The first option chosen is the baseline that savings are measured against.",
    )
    mix = forms.CharField(label="Hybrid", required=False, max_length=300, help_text=MIX_HELP)
    mix_engineers = forms.CharField(
        label="Engineers per service",
        required=False,
        max_length=200,
        help_text="For the hybrid, e.g. express:1, fastapi:2. Services left out share the rest "
        "of the team by their share of requests (the default for all of them).",
    )

    html_id = "calc-form"  # the page's <form>, whose message slots error_slots() fills
    groups = {
        "Traffic": ["peak_rps", "avg_to_peak_pct", "growth_pct", "horizon_months"],
        "Workload": ["app_cpu_ms", "io_wait_ms"],
        # + one "knows <language>" per language, after policy
        "Team": ["team_size", "market", "current_stack", "policy", "separation_months"],
        "Hosting": ["instance", "discount_pct", "utilisation_pct", "min_replicas", "autoscaling"],
        "Business": ["cost_of_delay"],
        "Options to compare": ["stacks", "mix", "mix_engineers"],
        "Your figures": [],  # one per figure a user may give, for the set's stacks and languages
    }

    def __init__(self, *args, snapshot: engine.Assumptions, set_choices, **kwargs):
        # Django deep-copies every declared field into each form; with the choices and
        # language fields a snapshot adds, that cost 0.25 ms per recalculation. The fields
        # depend only on the snapshot and the list of sets, so they are built once and
        # shared, read-only: a form's own state lives in its data, errors and bound fields.
        self.base_fields = {}
        super().__init__(*args, **kwargs)
        self.snapshot = snapshot
        shared = snapshot_fields(snapshot, tuple(set_choices))
        self.fields = dict(shared.fields)
        self.language_fields = shared.language_fields
        self.your_fields = shared.your_fields
        self.defaults = shared.defaults

    @classmethod
    def from_query(cls, query, *, shown: bool = False, **kwargs) -> CalculatorForm:
        """A form bound to the query string, every field it leaves out at its default.

        So `/?peak_rps=80000` is a complete link, while a field the user cleared (present but
        empty) is still reported as missing. "Your figures" are a field per figure of the set
        (21 in the shipped sets); unless the form is ``shown`` or the query gives one of them,
        they are left out, since cleaning them cost a recalculation 0.2 ms (a seventh of the
        in-process time) to learn that each is blank.
        """
        form = cls(query, **kwargs)
        if not shown and not any(key.startswith(YOURS_PREFIX) for key in query):
            for name in form.your_fields:
                del form.fields[name]
            form.your_fields = {}
        # A shallow copy: QueryDict.copy() deep-copies every value, and nothing here changes
        # the query's own lists.
        data = QueryDict(mutable=True)
        for key, values in query.lists():
            data.setlist(key, values)
        # An unticked checkbox sends nothing; the hybrid field always comes with the form, so
        # its presence says whether the absent stacks were unticked or just left out.
        skip = {"stacks"} if "mix" in query else set()
        for name, values in form.defaults.items():
            if name not in query and name not in skip:
                data.setlist(name, list(values))
        form.data = data
        return form

    def error_slots(self) -> str:
        """The fields' error messages, for htmx to swap into the form out of band.

        The first element empties every message slot (the previous response's messages); each
        field with errors then fills its own. Built here rather than by looping over the form
        in the template, which costs a millisecond per recalculation.
        """
        slots = [f'<div hx-swap-oob="innerHTML:#{self.html_id} .field-error"></div>']
        slots += [
            f'<p class="field-error" id="err-{name}" hx-swap-oob="true">'
            f"{escape(' '.join(messages))}</p>"
            for name, messages in self.errors.items()
            if name in self.fields
        ]
        return mark_safe("".join(slots))  # noqa: S308 - messages escaped here

    def fieldsets(self):
        for title, names in self.groups.items():
            if title == "Team":
                names = names + self.language_fields
            if title == "Your figures":
                names = list(self.your_fields)
            yield title, [self[name] for name in names]

    def clean_mix(self) -> engine.Option | None:
        text = self.cleaned_data["mix"].strip()
        if not text:
            return None
        parts = [p for p in re.split(r"[,;]", text) if p.strip()]
        if len(parts) > MAX_MIX_SERVICES:
            raise ValidationError(
                "A hybrid can have at most %(n)d services.",
                code="mix_too_many",
                params={"n": MAX_MIX_SERVICES},
            )
        services = []
        seen = set()
        for part in parts:
            match = MIX_PART.match(part.lower())
            if not match:
                raise ValidationError(
                    "Write each service as stack:share, e.g. go:60 (not “%(part)s”).",
                    code="mix_syntax",
                    params={"part": part.strip()[:40]},
                )
            slug = match["stack"]
            if slug not in self.snapshot.stacks:
                raise ValidationError(
                    "“%(slug)s” is not a stack in this assumption set (it has %(known)s).",
                    code="mix_unknown_stack",
                    params={"slug": slug[:40], "known": ", ".join(sorted(self.snapshot.stacks))},
                )
            if slug in seen:
                raise ValidationError(
                    "Name %(slug)s once in the hybrid.", code="mix_repeated", params={"slug": slug}
                )
            seen.add(slug)
            share = float(match["share"])
            if not 0 < share <= 100:
                raise ValidationError(
                    "Each share must be above 0 and at most 100.", code="mix_share_range"
                )
            cpu = float(match["cpu"]) if match["cpu"] else None
            io = float(match["io"]) if match["io"] else None
            for value in (cpu, io):
                if value is not None and not (math.isfinite(value) and value <= 60_000):
                    raise ValidationError(
                        "Times per request must be at most 60,000 ms.", code="mix_time_range"
                    )
            services.append(
                engine.Service(
                    stack=slug, share=share / 100, app_cpu_ms=cpu, io_wait_ms=io, label=slug
                )
            )
        problem = share_sum_problem(sum(s.share for s in services) * 100)
        if problem:
            raise ValidationError(problem, code="mix_share_sum")
        if len(services) == 1:
            raise ValidationError(
                "A hybrid needs at least two stacks; tick single stacks above.", code="mix_single"
            )
        name = " + ".join(
            f"{self.snapshot.stacks[s.stack].name.split(' ')[0]} {s.share * 100:g}%"
            for s in services
        )
        return engine.Option(name=f"Hybrid: {name}", services=tuple(services))

    def clean_mix_engineers(self) -> dict[str, float]:
        """{stack: engineers} for the hybrid's services, checked against it in clean()."""
        out: dict[str, float] = {}
        for part in (p for p in re.split(r"[,;]", self.cleaned_data["mix_engineers"]) if p.strip()):
            match = ENGINEERS_PART.match(part.lower())
            if not match:
                raise ValidationError(
                    "Write each as stack:engineers, e.g. express:1 (not “%(part)s”).",
                    code="engineers_syntax",
                    params={"part": part.strip()[:40]},
                )
            out[match["stack"]] = float(match["n"])
        return out

    def clean(self):
        data = super().clean()
        self._place_engineers(data)
        if not data.get("stacks") and not data.get("mix") and not self.has_error("mix"):
            self.add_error(
                "stacks",
                ValidationError(
                    "Choose at least one stack or describe a hybrid.", code="no_options"
                ),
            )
        team = data.get("team_size")
        if team is not None:
            for name in self.language_fields:
                knows = data.get(name)
                if knows is not None and knows > team:
                    self.add_error(
                        name,
                        ValidationError(
                            "This can't be more than the team size (%(team)d).",
                            code="more_than_team",
                            params={"team": team},
                        ),
                    )
        return data

    def _place_engineers(self, data) -> None:
        given, mix, team = data.get("mix_engineers"), data.get("mix"), data.get("team_size")
        if not given or self.has_error("mix") or self.has_error("mix_engineers"):
            return
        if mix is None:
            self.add_error(
                "mix_engineers",
                ValidationError("Describe a hybrid first.", code="engineers_no_mix"),
            )
            return
        stacks = [s.stack for s in mix.services]
        unknown = [slug for slug in given if slug not in stacks]
        if unknown:
            self.add_error(
                "mix_engineers",
                ValidationError(
                    "%(slug)s is not a service of the hybrid (it has %(stacks)s).",
                    code="engineers_unknown",
                    params={"slug": unknown[0][:40], "stacks": ", ".join(stacks)},
                ),
            )
            return
        if team is not None and sum(given.values()) > team:
            self.add_error(
                "mix_engineers",
                ValidationError(
                    "These add up to %(n)s, more than the team of %(team)d.",
                    code="engineers_more_than_team",
                    params={"n": f"{sum(given.values()):g}", "team": team},
                ),
            )
            return
        if team is not None and len(given) == len(stacks) and sum(given.values()) != team:
            self.add_error(
                "mix_engineers",
                ValidationError(
                    "Every service is given engineers, %(n)s in all, but the team has %(team)d: "
                    "leave one out to give it the rest.",
                    code="engineers_not_the_team",
                    params={"n": f"{sum(given.values()):g}", "team": team},
                ),
            )
            return
        data["mix"] = replace(
            mix,
            services=tuple(replace(s, engineers=given.get(s.stack)) for s in mix.services),
        )

    def inputs(self) -> engine.Inputs:
        d = self.cleaned_data
        return engine.Inputs(
            peak_rps=d["peak_rps"],
            avg_to_peak=d["avg_to_peak_pct"] / 100,
            growth_pct=d["growth_pct"],
            horizon_months=d["horizon_months"],
            app_cpu_ms=d["app_cpu_ms"],
            io_wait_ms=d["io_wait_ms"],
            team_size=d["team_size"],
            market=d["market"],
            known={name.removeprefix("knows_"): d[name] for name in self.language_fields},
            policy=d["policy"],
            separation_months=d["separation_months"],
            current_stack=d["current_stack"],
            your_figures={
                key: d[name] for name, key in self.your_fields.items() if d.get(name) is not None
            },
            instance=d["instance"],
            commitment_discount_pct=d["discount_pct"],
            target_utilisation_pct=d["utilisation_pct"],
            min_replicas=d["min_replicas"],
            autoscaling=d["autoscaling"] == "on",
            cost_of_delay=d["cost_of_delay"],
        )

    def options(self) -> list[engine.Option]:
        d = self.cleaned_data
        chosen = [
            engine.Option.single(slug, name=self.snapshot.stacks[slug].name)
            for slug in self.fields["stacks"].choices_order(d["stacks"])
        ]
        if d.get("mix"):
            chosen.append(d["mix"])
        return chosen


class SnapshotFields(NamedTuple):
    fields: dict[str, forms.Field]
    language_fields: list[str]
    defaults: dict[str, tuple[str, ...]]  # each field's initial value as a query would send it
    your_fields: dict[str, str]  # "Your figures": field name -> the engine's key (yours.py)


# "Your figures": the page's bounds for each figure a user may give (the unit as the form shows
# it). Wide on purpose: they only keep out typing slips; the engine checks the rest.
YOUR_BOUNDS = {
    "rps_per_vcpu": (0.001, 10_000_000, " req/s"),
    "weeks_to_first_api": (0, 520, " weeks"),
    "annual_salary": (0, 10_000_000, " USD"),
    "loaded_multiplier": (0, 10, "×"),
    "recruiting_fee_pct": (0, 100, "%"),
    "time_to_fill_days": (0, 3_650, " days"),
    "ramp_up_weeks": (0, 520, " weeks"),
}


YOURS_PREFIX = "yours_"


def your_field_name(slug: str, figure: str) -> str:
    """The page's field for a figure of yours: yours_go_rps_per_vcpu, yours_python_..."""
    return f"{YOURS_PREFIX}{slug}_{figure}"


def your_figure_fields(snapshot: engine.Assumptions) -> dict[str, tuple[str, forms.Field]]:
    """{field name: (engine key, field)} for every figure of the set a user may give."""
    figures = {**engine.figures.STACK_FIGURES, **engine.figures.RATE_FIGURES}
    rows = [
        ("stack", s.slug, s.name, name)
        for s in sorted(snapshot.stacks.values(), key=lambda s: s.name)
        for name in engine.yours.STACK_FIELDS
    ] + [
        ("rate", x, f"{language_name(x)} engineers", name)
        for x in snapshot.languages
        for name in engine.yours.RATE_FIELDS
    ]
    out = {}
    for owner, slug, who, name in rows:
        lo, hi, unit = YOUR_BOUNDS[name]
        field = number(
            f"{who}: {figures[name].words}",
            lo=lo,
            hi=hi,
            initial=None,
            unit=unit,
            help_text="Blank: the set's figure" + (" for the market." if owner == "rate" else "."),
        )
        field.required = False
        out[your_field_name(slug, name)] = (engine.yours.key(owner, slug, name), field)
    return out


def snapshot_fields(
    snapshot: engine.Assumptions, set_choices: tuple[tuple[str, str], ...]
) -> SnapshotFields:
    """The calculator's fields for one snapshot and list of sets, built once per published set
    and list (kept with the set's snapshot; a draft's are built for each form)."""
    return derived(
        snapshot, ("calculator-fields", set_choices), lambda: build_fields(snapshot, set_choices)
    )


def build_fields(
    snapshot: engine.Assumptions, set_choices: tuple[tuple[str, str], ...]
) -> SnapshotFields:
    fields = copy.deepcopy(CalculatorForm.base_fields)
    fields["assumptions"].choices = list(set_choices)
    fields["assumptions"].initial = f"{snapshot.slug}@{snapshot.version}"
    fields["market"].choices = [(m.slug, m.name) for m in snapshot.markets.values()]
    fields["market"].initial = (
        "us" if "us" in snapshot.markets else next(iter(snapshot.markets), None)
    )
    fields["instance"].choices = [
        (
            i.slug,
            f"{i.name} ({i.vcpu:g} vCPU, {i.memory_gb:g} GB, ${i.price_per_hour.base:g}/h)",
        )
        for i in snapshot.instances.values()
    ]
    fields["instance"].initial = (
        "c7i-xlarge" if "c7i-xlarge" in snapshot.instances else next(iter(snapshot.instances), None)
    )
    stack_order = sorted(snapshot.stacks.values(), key=lambda s: s.name)
    fields["stacks"].choices = [(s.slug, s.name) for s in stack_order]
    fields["current_stack"].choices = [("", "None yet (a new build)")] + fields["stacks"].choices
    fields["current_stack"].initial = ""
    fields["stacks"].initial = [s.slug for s in stack_order]
    if {"fastapi", "go"} <= snapshot.stacks.keys():
        fields["mix"].initial = "fastapi:80, go:20"
    language_fields = []
    for language in snapshot.languages:
        name = f"knows_{language}"
        title = language_name(language)
        fields[name] = number(
            f"Engineers who know {title}",
            lo=0,
            hi=10_000,
            integer=True,
            initial=DEFAULT_KNOWS.get(language, 0),
            help_text=f"How many of the team already work in {title}.",
        )
        language_fields.append(name)
    your_fields = {}
    for name, (key, field) in your_figure_fields(snapshot).items():
        fields[name] = field
        your_fields[name] = key
    for name, field in fields.items():
        field.widget.attrs.setdefault("aria-describedby", f"help-{name} err-{name}")
    defaults = {}
    for name, field in fields.items():
        if isinstance(field.initial, list | tuple):
            defaults[name] = tuple(str(v) for v in field.initial)
        elif field.initial is not None:
            defaults[name] = (str(field.initial),)
    return SnapshotFields(fields, language_fields, defaults, your_fields)
