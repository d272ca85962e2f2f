"""The calculator's inputs: parsed, bounded and converted into the engine's plain values.

The form is built against one assumption-set snapshot because its choices (markets,
instances, stacks, languages) come from that set.
"""

from __future__ import annotations

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.utils.datastructures import MultiValueDict
from django.utils.html import escape
from django.utils.safestring import mark_safe

from costcalc import engine
from costcalc.engine.notes import MAX_PEAK_RPS
from costcalc.text import Display

from . import mix
from .fields import NO_LINE, PLATFORM_DEFAULTS, number
from .set_fields import snapshot_fields
from .your_figures import YOURS_PREFIX

MIX_HELP = (
    "One hybrid to compare: stack:share pairs adding up to 100, e.g. "
    "“go:60, fastapi:30, express:10”. Give a service its own workload as "
    "stack:share:cpu_ms:io_ms."
)

# Fields the calculator gained after scenarios were first saved, with the value that gives what
# the model computed before them. A saved scenario stores every field it had (normalized_query),
# so one without these fields reads them as these values and keeps its figures; a new link
# takes the field's default.
ADDED_LATER = {
    "separation_months": "0",
    "current_stack": "",
    "mix_engineers": "",
    "hires_per_year": "0",
    "discount_rate_pct": "0",
    "currency": "USD",
    # The platform lines (docs/model.md section 7b), each off; their sizes take the defaults.
    "database": "none",
    "cache": "off",
    "load_balancers": "0",
    "egress": "off",
    "observability": "none",
    # The pricing and hosting models (sections 7d and 7e): on demand, on instances; the sizes
    # (containers, functions) take their defaults, which instances do not read.
    "pricing": "on_demand",
    "hosting": "instances",
}
# Fields of the hosting models that only containers or functions read.
ADDED_HOSTING = ("container_vcpu", "container_gb", "function_memory_mb", "cold_start_pct")
ON_OFF = [("on", "On"), ("off", "Off")]
ADDED_PLATFORM = (
    "database",
    "db_multi_az",
    "db_replicas",
    "db_storage_gb",
    "cache",
    "cache_gb",
    "cache_ecpu_per_request",
    "load_balancers",
    "request_kb",
    "response_kb",
    "new_connections_per_request",
    "egress",
    "observability",
    "log_kb_per_request",
    "log_retention_months",
)


def platform_number(label, *, hi, help_text, unit="", integer=False):
    """A platform line's size, 0 to ``hi``; its initial value, engine.Platform's default for
    the field, is set below the form (by the field's name)."""
    return number(label, lo=0, hi=hi, initial=None, help_text=help_text, unit=unit,
                  integer=integer)  # fmt: skip


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
        hi=MAX_PEAK_RPS,  # the engine's: past it, growth is warned of (engine/notes.py)
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
        help_text="Traffic growth per month, compounded. Past 10,000,000 RPS within the "
        "horizon, the results warn.",
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
        choices=[("hire", "Hire engineers who know it"), ("retrain", "Retrain the team")],
        initial="hire",
        help_text="What happens when an option needs more engineers in a language than know it.",
    )
    current_stack = forms.ChoiceField(
        label="Current stack",
        required=False,
        help_text="What the team runs today: ticked below, it is the baseline the other "
        "options are measured against.",
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
    hires_per_year = number(
        "Team growth",
        lo=0,
        hi=1_000,
        initial=0,
        unit=" engineers a year",
        help_text="Engineers added a year, hired month by month into each language as the team "
        "is split, at its recruiting fee and time to fill. 0: the team stays at its size.",
    )

    # Hosting
    instance = forms.ChoiceField(
        label="Instance type",
        help_text="What each replica runs on: its memory and price per hour (its vCPU are in "
        "the workings).",
    )
    pricing = forms.ChoiceField(
        label="Pricing",
        choices=[
            ("on_demand", "On demand (list price)"),
            ("commit_1yr", "1-year commitment"),
            ("commit_3yr", "3-year commitment"),
            ("spot", "Spot, with its interruption overhead"),
        ],
        initial="on_demand",
        help_text="How the compute is bought: each discount is the set's sourced figure for the "
        "instance type's provider (AWS or GCP), shown in the workings.",
    )
    discount_pct = number(
        "Further discount",
        lo=0,
        hi=90,
        initial=0,
        unit="%",
        help_text="Off the price the pricing model gives: an enterprise agreement, or on "
        "demand your own commitment discount.",
    )
    hosting = forms.ChoiceField(
        label="Runs on",
        choices=[
            ("instances", "Instances of the type above"),
            ("containers", "Containers (AWS Fargate)"),
            ("functions", "Functions (AWS Lambda)"),
        ],
        initial="instances",
        help_text="Containers are priced per vCPU-hour and GB-hour at the size below, functions "
        "per request and GB-second with each stack's cold start (docs/model.md section 7e).",
    )
    container_vcpu = number(
        "Container vCPU",
        lo=0.25,
        hi=16,
        initial=1,
        help_text="Each container's vCPU (Fargate: 0.25 to 16).",
    )
    container_gb = number(
        "Container memory",
        lo=0.5,
        hi=120,
        initial=2,
        unit=" GB",
        help_text="Each container's memory (Fargate: 0.5 to 120 GB, by its vCPU).",
    )
    function_memory_mb = number(
        "Function memory",
        lo=128,
        hi=10_240,
        initial=1769,
        unit=" MB",
        help_text="Each function's memory (Lambda: 128 to 10,240 MB); its CPU follows it, a "
        "full vCPU at 1,769 MB.",
    )
    cold_start_pct = number(
        "Cold starts",
        lo=0,
        hi=100,
        initial=1,
        unit="% of requests",
        help_text="Requests that start a new function, billed its stack's cold start. AWS: "
        "typically under 1%; spiky or low traffic has more.",
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

    # Platform (docs/model.md section 7b): stated sizes, not sourced figures
    database = forms.CharField(
        label="Managed database",
        max_length=40,
        widget=forms.Select,
        help_text="A managed PostgreSQL instance type of the set, the same for every option; "
        "none leaves the line out.",
    )
    db_multi_az = forms.ChoiceField(
        label="Database Multi-AZ",
        choices=ON_OFF,
        initial="on" if PLATFORM_DEFAULTS.db_multi_az else "off",
        help_text="A standby in a second zone: the instance and its storage billed twice.",
    )
    db_replicas = platform_number(
        "Read replicas",
        hi=15,
        integer=True,
        help_text="Each billed as one more database instance.",
    )
    db_storage_gb = platform_number(
        "Database storage",
        hi=65_536,
        unit=" GB",
        help_text="Provisioned storage. Your figure: no source gives a typical size.",
    )
    cache = forms.ChoiceField(
        label="Cache",
        # Short enough for the form's select (268 px of text at 14 px), as the instance's label.
        choices=[("on", "On: serverless (GB, requests)"), ("off", "Off")],
        initial="on" if PLATFORM_DEFAULTS.cache else "off",
        help_text="A managed serverless cache (ElastiCache for Valkey in the shipped sets).",
    )
    cache_gb = platform_number(
        "Cache data",
        hi=1_000,
        unit=" GB",
        help_text="Data held in the cache, billed at least the set's minimum.",
    )
    cache_ecpu_per_request = platform_number(
        "Cache units per request",
        hi=100,
        help_text="Processing units each request uses: about one per KB it reads or writes in "
        "the cache. No source: a stated default.",
    )
    load_balancers = platform_number(
        "Load balancers",
        hi=10,
        integer=True,
        help_text="Each billed by the hour, with capacity units for the traffic; 0 leaves the "
        "line out.",
    )
    request_kb = platform_number(
        "Average request size",
        hi=10_000,
        unit=" KB",
        help_text="On the wire, for the load balancer's bytes processed. No source: a stated "
        "default.",
    )
    response_kb = platform_number(
        "Average response size",
        hi=10_000,
        unit=" KB",
        help_text="On the wire, for egress and the load balancer. No source gives a typical "
        "API response: small JSON bodies are under 1 KB, large ones 50 KB.",
    )
    new_connections_per_request = platform_number(
        "New connections per request",
        hi=1,
        help_text="1 without keep-alive; fewer when clients reuse connections. No source: a "
        "stated default.",
    )
    egress = forms.ChoiceField(
        label="Internet egress",
        choices=[("on", "On: responses at the tiered price"), ("off", "Off")],
        initial="on" if PLATFORM_DEFAULTS.egress else "off",
        help_text="Responses sent to the internet, at the provider's price per GB by tier.",
    )
    observability = forms.ChoiceField(
        label="Observability",
        choices=[
            ("per_host", "Monitoring per host"),
            ("per_host_apm", "Monitoring and APM per host"),
            ("logs", "Logs per GB"),
            (NO_LINE, "None"),
        ],
        initial=PLATFORM_DEFAULTS.observability or NO_LINE,
        help_text="Per host follows each option's fleet; per GB of logs follows the traffic.",
    )
    log_kb_per_request = platform_number(
        "Logs per request",
        hi=100,
        unit=" KB",
        help_text="For observability by logs. No source: a stated default.",
    )
    log_retention_months = platform_number(
        "Log retention",
        hi=120,
        unit=" months",
        help_text="How long logs are stored, for observability by logs.",
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
    discount_rate_pct = number(
        "Discount rate",
        lo=0,
        hi=100,
        initial=0,
        unit="% a year",
        help_text="Your cost of capital, to show the totals and break-even also as present "
        "value (a month's costs paid at its start). 0 leaves them out.",
    )
    currency = forms.ChoiceField(
        label="Show money in",
        help_text="Every amount shown converted at the set's dated reference exchange rate; "
        "the model computes in US dollars, and the inputs are in them.",
    )

    # Options
    stacks = OrderedMultipleChoiceField(
        label="Single stacks",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Savings are measured against the current stack when it is ticked; otherwise "
        "against the first one ticked in this list (the hybrid when none is).",
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
        "Team": [
            "team_size",
            "market",
            "current_stack",
            "policy",
            "separation_months",
            "hires_per_year",
        ],
        "Hosting": [
            "instance",
            "pricing",
            "discount_pct",
            "hosting",
            "container_vcpu",
            "container_gb",
            "function_memory_mb",
            "cold_start_pct",
            "utilisation_pct",
            "min_replicas",
            "autoscaling",
        ],
        "Platform": list(ADDED_PLATFORM),
        "Business": ["cost_of_delay", "discount_rate_pct", "currency"],
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
        shared = snapshot_fields(snapshot, tuple(set_choices), type(self).base_fields)
        self.fields = dict(shared.fields)
        self.language_fields = shared.language_fields
        self.your_fields = shared.your_fields
        self.defaults = shared.defaults
        self.cleaned_defaults = shared.cleaned_defaults
        self.defaulted: set[str] = set()  # fields from_query() gave their default

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
        # A plain MultiValueDict, copied shallowly: the query's values are text already, and a
        # QueryDict decodes every value it is given again (QueryDict.copy() deep-copies them
        # too), which cost a recalculation 0.06 ms.
        data = MultiValueDict(dict(query.lists()))
        # An unticked checkbox sends nothing, so a query without stacks is the form's own with
        # every box unticked, or a link naming only what differs from the defaults. The form
        # (and every saved scenario's query) sends all its fields; a link naming fewer keeps
        # the default stacks, so /?mix=go:60,fastapi:40 compares the hybrid with the three.
        skip = {"stacks"} if query.keys() >= FORM_SENT else set()
        for name, values in form.defaults.items():
            if name not in query and name not in skip:
                data.setlist(name, list(values))
                form.defaulted.add(name)
        form.data = data
        return form

    def _clean_fields(self) -> None:
        """Django's, except that a field the query leaves at its default takes the value that
        default cleaned to the first time, kept with the shared fields (a recalculation's query
        names five or so of the form's 27 fields). Cleaning each field through its bound field
        was a fifth of a recalculation's in-process time (pyinstrument, stop 27).

        A default's cleaned value depends only on the field and the snapshot (``clean_mix``
        parses against it), both shared with the cache; a default that fails to clean is not
        kept, so its error is raised on every form as before.
        """
        known = self.cleaned_defaults
        for name, field in self.fields.items():
            if name in self.defaulted:
                at_default = True
            else:
                raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
                sent = tuple(raw) if isinstance(raw, list) else (raw,)
                at_default = sent == self.defaults.get(name)
            at_default = at_default and not field.disabled
            if at_default and name in known:
                value = known[name]
                # Lists and dicts are copied: clean() and the views may change their form's.
                self.cleaned_data[name] = copy.copy(value)
                continue
            try:
                self.cleaned_data[name] = field._clean_bound_field(self[name])
                if hasattr(self, f"clean_{name}"):
                    self.cleaned_data[name] = getattr(self, f"clean_{name}")()
            except ValidationError as error:
                self.add_error(name, error)
            else:
                if at_default:
                    known[name] = copy.copy(self.cleaned_data[name])

    def error_slots(self) -> str:
        """The fields' error messages, for htmx to swap into the form out of band.

        Only a field with errors gets one (its slot, filled). The slots that held the previous
        response's messages are emptied by static/js/results.js just before the swap: a
        selector matching every slot (one out-of-band element for all of them) made htmx swap
        each of some 50 slots on every keystroke. Built here rather than by looping over the
        form in the template, which costs a millisecond per recalculation.
        """
        slots = [
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
            if names:  # "Your figures" has none when the form leaves them out (from_query)
                yield title, [self[name] for name in names]

    def clean_database(self) -> str:
        """A database instance type of the set, or none; any slug when the set has no platform
        prices, which price no line (a link keeps its choice across sets)."""
        value = self.cleaned_data["database"]
        known = [p.slug for p in self.snapshot.databases]
        if value != NO_LINE and self.snapshot.platform and value not in known:
            raise ValidationError(
                "Choose one of the set's managed databases (%(known)s), or none.",
                code="unknown_database",
                params={"known": ", ".join(known) or "it has none"},
            )
        return value

    def clean_pricing(self) -> str:
        """A commitment or spot needs the set's figures for the instance type's provider."""
        value = self.cleaned_data["pricing"]
        given = engine.Inputs(peak_rps=1, instance=self.cleaned_data.get("instance"), pricing=value)
        problem = engine.pricing_problem(given, self.snapshot)
        if problem:
            raise ValidationError(
                "%(problem)s.", code="no_pricing_figures", params={"problem": problem}
            )
        return value

    def platform(self) -> engine.Platform:
        """The platform lines' sizes (docs/model.md section 7b)."""
        sizes = {name: self.cleaned_data[name] for name in ADDED_PLATFORM}  # Platform's names
        for name in ("db_multi_az", "cache", "egress"):
            sizes[name] = sizes[name] == "on"
        for name in ("database", "observability"):
            sizes[name] = "" if sizes[name] == NO_LINE else sizes[name]
        return engine.Platform(**sizes)

    def clean_mix(self) -> engine.Option | None:
        return mix.parse_mix(self.cleaned_data["mix"], self.snapshot)

    def clean_mix_engineers(self) -> dict[str, float]:
        """{stack: engineers} for the hybrid's services, checked against it in clean()."""
        return mix.parse_engineers(self.cleaned_data["mix_engineers"])

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
        self._check_hosting(data)
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

    def _check_hosting(self, data) -> None:
        """Containers and functions need the set's figures for them, and a function enough
        memory for every stack compared (section 7e): said beside the field."""
        names = ("hosting", "instance", "pricing", "function_memory_mb", "stacks", "mix")
        if data.get("hosting", "instances") == "instances" or any(map(self.has_error, names)):
            return
        given = engine.Inputs(
            peak_rps=1,
            instance=data.get("instance"),
            hosting=data["hosting"],
            function_memory_mb=data.get("function_memory_mb") or 0,
        )
        options = self.options()
        for name, problem in (
            ("hosting", engine.hosting_problem(given, options, self.snapshot)),
            ("function_memory_mb", engine.function_memory_problem(given, options, self.snapshot)),
        ):
            if problem:
                code = "no_hosting_figures" if name == "hosting" else "function_too_small"
                self.add_error(name, ValidationError("%(p)s.", code=code, params={"p": problem}))
                return
        if data["hosting"] == "functions" and data.get("pricing", "on_demand") != "on_demand":
            message = "Functions are priced on demand: choose on demand, or instances."
            self.add_error("pricing", ValidationError(message, code="functions_on_demand"))

    def _place_engineers(self, data) -> None:
        given, option, team = data.get("mix_engineers"), data.get("mix"), data.get("team_size")
        if not given or self.has_error("mix") or self.has_error("mix_engineers"):
            return
        try:
            data["mix"] = mix.place_engineers(option, given, team)
        except ValidationError as error:
            self.add_error("mix_engineers", error)

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
            hires_per_year=d["hires_per_year"],
            current_stack=d["current_stack"],
            your_figures={
                key: d[name] for name, key in self.your_fields.items() if d.get(name) is not None
            },
            instance=d["instance"],
            pricing=d["pricing"],
            commitment_discount_pct=d["discount_pct"],
            hosting=d["hosting"],
            container_vcpu=d["container_vcpu"],
            container_gb=d["container_gb"],
            function_memory_mb=d["function_memory_mb"],
            cold_start_pct=d["cold_start_pct"],
            target_utilisation_pct=d["utilisation_pct"],
            min_replicas=d["min_replicas"],
            autoscaling=d["autoscaling"] == "on",
            cost_of_delay=d["cost_of_delay"],
            discount_rate_pct=d["discount_rate_pct"],
            platform=self.platform(),
        )

    def display(self) -> Display:
        """The currency the results are shown in (US dollars while the form is invalid)."""
        code = self.cleaned_data.get("currency", "USD") if self.is_valid() else "USD"
        return self.snapshot.display(code)

    def options(self) -> list[engine.Option]:
        d = self.cleaned_data
        chosen = [
            engine.Option.single(slug, name=self.snapshot.stacks[slug].name)
            for slug in self.fields["stacks"].choices_order(d["stacks"])
        ]
        if d.get("mix"):
            chosen.append(d["mix"])
        return chosen


for _name in ADDED_PLATFORM:  # the platform sizes' defaults are engine.Platform's
    if CalculatorForm.base_fields[_name].initial is None:
        CalculatorForm.base_fields[_name].initial = getattr(PLATFORM_DEFAULTS, _name)

# What every version of the form has sent (not the fields added since, nor the per-set language
# and "Your figures" fields): a query with them all, but without stacks, unticked every stack.
FORM_SENT = frozenset(CalculatorForm.base_fields) - {
    "stacks",
    *ADDED_LATER,
    *ADDED_PLATFORM,
    *ADDED_HOSTING,
}
