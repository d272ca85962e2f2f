"""A scenario's problems: each a message and the JSON path (loc) of the value at fault."""

from __future__ import annotations

from pydantic import ValidationError

NOT_EXPRESSIBLE = "not_expressible"  # a valid scenario the calculator page can't show


class ScenarioError(Exception):
    """Problems with a scenario, each with the JSON path (loc) of the value at fault."""

    def __init__(self, errors: list[dict], status: int = 422):
        self.errors = errors
        self.status = status
        super().__init__("; ".join(f"{path_text(e['loc'])}: {e['msg']}" for e in errors))


def problem(loc, msg: str, type_: str) -> dict:
    return {"loc": list(loc), "msg": msg, "type": type_}


def path_text(loc) -> str:
    """["options", 1, "services", 0, "share"] -> "options[1].services[0].share"."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(the scenario)"


def pydantic_problems(error: ValidationError | list[dict]) -> list[dict]:
    """pydantic's errors in our format, without the values sent (they can be large)."""
    errors = error.errors() if isinstance(error, ValidationError) else error
    return [problem(e["loc"], e["msg"], e["type"]) for e in errors]


def not_in_set(loc, what: str, value: str, known) -> dict:
    return problem(
        loc,
        f"'{value}' is not {what} in this assumption set (it has {', '.join(sorted(known))}).",
        "not_in_set",
    )
