"""The admin in which analysts keep assumption sets current, each figure beside its source.

A draft's own fields and its markets are edited on the set's page, which links every source,
stack, instance type and market rate (with its key figures) to that row's own page, where its
figures are edited; every row can also be listed, searched and filtered on its own.
Publishing and cloning are actions on the set list. A published set is read-only everywhere:
the models refuse to change it, and the admin never offers to.
"""

from . import rows  # noqa: F401  (registers the row admins)
from .sets import AssumptionSetAdmin

__all__ = ["AssumptionSetAdmin"]
