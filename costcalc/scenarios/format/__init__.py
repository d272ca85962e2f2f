"""The scenario format: one JSON document in, the engine's plain values out, results JSON back.

The API, the `tco` command and a saved scenario's export all go through this package; it sits
below costcalc.api and imports nothing of it. One job per module:

- schema.py: the document's pydantic models, with the calculator page's bounds and defaults;
- errors.py: problems, each with the JSON path of the value at fault (ScenarioError);
- resolve.py: find the assumption set, check the document against it, build engine values;
- fields.py: the table of where each value sits in the document, the page and the engine;
- query.py: the document <-> the calculator page's query (share links, saved scenarios);
- results.py, results_schema.py: the results JSON, and its pydantic models;
- insight.py, insight_schema.py: the decision insight JSON (the page's panel), and its models.

docs/api.md describes the format.
"""

from .errors import NOT_EXPRESSIBLE, ScenarioError, path_text, problem, pydantic_problems
from .insight import insight_json, monte_carlo, uncertainty_json
from .insight_schema import InsightOut
from .query import form_query, page_document
from .resolve import Resolved, find_set, resolve
from .results import cents, dumps, migration_json, present_value_json, results_json, set_json
from .results_schema import CalculateOut, MigrationOut, SetRef
from .schema import (
    FORM,
    MAX_OPTIONS,
    MIGRATION_FORM,
    SLUG_PATTERN,
    AssumptionSetRef,
    MigrationIn,
    OptionIn,
    Scenario,
    ScenarioInputs,
    ScenarioToSave,
    ServiceIn,
    parse,
)

__all__ = [
    "FORM",
    "InsightOut",
    "MAX_OPTIONS",
    "MIGRATION_FORM",
    "NOT_EXPRESSIBLE",
    "SLUG_PATTERN",
    "AssumptionSetRef",
    "CalculateOut",
    "MigrationIn",
    "MigrationOut",
    "OptionIn",
    "Resolved",
    "Scenario",
    "ScenarioError",
    "ScenarioInputs",
    "ScenarioToSave",
    "ServiceIn",
    "SetRef",
    "cents",
    "dumps",
    "find_set",
    "form_query",
    "insight_json",
    "migration_json",
    "monte_carlo",
    "page_document",
    "parse",
    "path_text",
    "present_value_json",
    "problem",
    "pydantic_problems",
    "resolve",
    "results_json",
    "set_json",
    "uncertainty_json",
]
