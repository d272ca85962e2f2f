"""The admin in which analysts keep assumption sets current, each figure beside its source.

A draft is edited in one place (the set's page, with its sources, stacks, markets and instance
types inline; a market's page holds its rates); every row can also be listed, searched and
filtered on its own. Publishing and cloning are actions on the set list. A published set is
read-only everywhere: the models refuse to change it, and the admin never offers to.
"""

from . import rows  # noqa: F401  (registers the row admins)
from .sets import AssumptionSetAdmin

__all__ = ["AssumptionSetAdmin"]
