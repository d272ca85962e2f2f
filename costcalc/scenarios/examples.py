"""The gallery's worked scenarios: the founding article's claims, each put to the model.

Each is a file in ``examples/``: a scenario document exactly as POST /api/v1/scenarios takes it
(``title``, ``description``, ``assumption_set``, ``inputs``, ``options``, ``migration``; see
docs/api.md) plus the gallery's own fields:

- ``slug``: its fixed link, /s/<slug>/ (never changes once published);
- ``aliases``: other names ``tco --example`` and the API docs know it by;
- ``order``: its place in the gallery;
- ``claim`` and ``narrative``: what it tests, and how its inputs were chosen;
- ``finding``: ``{"kind": ..., parameters}``, the function of findings.py that words what the model
  answers from the computed figures (so the words always match the pinned figures);
- ``reported``: figures a source reports, shown beside the modelled ones, with that source.

``load_examples`` saves each through the API's own save path (costcalc/scenarios/saving.py), so a
worked example can never be one the page cannot show; ``tco --example`` and the API docs' "Try
it out" read the document part. Figures from the article: docs/assumptions.md and the
seed-figures reference; the article is Acquaint Softtech, "FastAPI Performance Benchmarks vs
Node.js and Go: What the Numbers Actually Mean", 2026-05-01.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import orjson
from django.conf import settings
from pydantic import ValidationError

# The scenario format, its save path, and nothing else from the API: one block to move.
from .compute import Computation
from .findings import FINDINGS, reported_explanation
from .format import ScenarioError, ScenarioToSave, path_text, pydantic_problems
from .models import Scenario
from .saving import page_computation, store

ROOT = settings.BASE_DIR / "examples"
# The gallery's fields; the rest of a file is the scenario document (the title goes with it
# to save it).
GALLERY_FIELDS = ("slug", "aliases", "order", "title", "claim", "narrative", "finding", "reported")
REQUIRED = ("slug", "order", "title", "claim", "narrative", "finding")


class ExampleError(Exception):
    pass


@dataclass(frozen=True)
class Example:
    path: Path
    data: dict

    slug = property(lambda self: self.data["slug"])
    title = property(lambda self: self.data["title"])
    order = property(lambda self: self.data["order"])
    aliases = property(lambda self: list(self.data.get("aliases", [])))
    reported = property(lambda self: dict(self.data.get("reported", {})))

    def document(self) -> dict:
        """The scenario document alone, as POST /api/v1/calculate and `tco` take it."""
        return {k: v for k, v in self.data.items() if k not in GALLERY_FIELDS}

    def to_save(self) -> dict:
        """What POST /api/v1/scenarios takes: the document and its title."""
        return {**self.document(), "title": self.title}


def read(root: Path = ROOT) -> list[Example]:
    """Every example in ``root``, in the gallery's order. Raises ExampleError."""
    examples = []
    for path in sorted(root.glob("*.json")):
        try:
            data = orjson.loads(path.read_bytes())
        except orjson.JSONDecodeError as error:
            raise ExampleError(f"{path.name} is not JSON: {error}") from None
        missing = [k for k in REQUIRED if k not in data]
        if missing:
            raise ExampleError(f"{path.name} has no {', '.join(missing)}.")
        if data["slug"] != path.stem:
            raise ExampleError(f"{path.name}: its slug must be its name ('{path.stem}').")
        examples.append(Example(path, data))
    names = [n for e in examples for n in (e.slug, *e.aliases)]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ExampleError(f"More than one example is called {', '.join(twice)}.")
    return sorted(examples, key=lambda e: (e.order, e.slug))


def by_name(root: Path = ROOT) -> dict[str, Example]:
    """Each example under its slug and under each of its aliases."""
    return {n: e for e in read(root) for n in (e.slug, *e.aliases)}


# --- Loading into the gallery --------------------------------------------------------------------


def finding_text(example: Example, c: Computation) -> str:
    spec = dict(example.data["finding"])
    kind = spec.pop("kind", None)
    if kind not in FINDINGS:
        known = ", ".join(sorted(FINDINGS))
        raise ExampleError(f"{example.path.name}: finding kind '{kind}' is not one of {known}.")
    return FINDINGS[kind](c, reported=example.reported, **spec)


def document_to_save(example: Example) -> ScenarioToSave:
    try:
        return ScenarioToSave.model_validate(example.to_save())
    except ValidationError as error:
        lines = [f"{path_text(p['loc'])}: {p['msg']}" for p in pydantic_problems(error)]
        raise ExampleError(f"{example.path.name}: {'; '.join(lines)}") from None


def load(example: Example) -> Scenario | None:
    """Save one example under its fixed slug, as POST /api/v1/scenarios saves a scenario; None
    if it is already there (a saved scenario never changes)."""
    if Scenario.objects.filter(slug=example.slug).exists():
        return None
    document = document_to_save(example)
    try:
        _, _, c = page_computation(document.scenario())
    except ScenarioError as error:
        hint = " (run `manage.py load_assumptions` first)" if error.status == 404 else ""
        raise ExampleError(f"{example.path.name}: {error}{hint}") from None
    reported = example.reported
    if reported:
        reported = {
            **reported,
            "current": c.migration.current.name,
            "target": c.migration.target.name,
            "explanation": reported_explanation(c, reported),
        }
    return store(
        c,
        title=document.title,
        description=document.description.strip(),
        slug=example.slug,
        is_example=True,
        example_order=example.order,
        claim=example.data["claim"],
        narrative=example.data["narrative"],
        finding=finding_text(example, c),
        reported=reported,
    )
