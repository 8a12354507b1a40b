"""``column IN (a list)`` in the statements asked on every page (a page's comment
counts, its posts with images, who to follow and the people it shows), as fixed
parameters.

An expanding IN (``bindparam(..., expanding=True)``, or ``in_`` given a list) is
rendered again on each run, one parameter at a time: about half of a small
query's cost. ``ListedIn`` builds its statement once for each size of list (the
next of ``SIZES``, the last value repeated to fill it, which changes no answer
of an IN) and runs it as it is; a longer list uses one expanding IN.
"""

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, bindparam
from sqlalchemy.engine import Result
from sqlalchemy.sql import Executable

from app.database import plain_rows
from app.extensions import db

SIZES = (8, 32, 64)


class ListedIn:
    """The statement ``build(column IN (...))``, run as plain rows (app/database.py)."""

    def __init__(self, column: ColumnElement[Any],
                 build: Callable[[ColumnElement[bool]], Executable]) -> None:
        self.column, self.build = column, build
        self.statements: dict[int, Executable] = {}

    def statement(self, size: int) -> Executable:
        """The statement for lists of up to ``size`` values (0: of any length)."""
        found = self.statements.get(size)
        if found is None:
            listed = ([bindparam(f"listed_{position}") for position in range(size)]
                      if size else bindparam("listed", expanding=True))
            found = self.statements[size] = self.build(self.column.in_(listed))
        return found

    def bound(self, values: Sequence[Any],
              parameters: dict[str, Any] | None = None) -> tuple[Executable, dict[str, Any]]:
        """The statement for ``values`` and its parameters (the statement's other
        ``parameters`` with them)."""
        size = next((size for size in SIZES if len(values) <= size), 0) if values else 0
        if size:
            filled = [*values, *[values[-1]] * (size - len(values))]
            listed = {f"listed_{position}": value for position, value in enumerate(filled)}
        else:
            listed = {"listed": list(values)}
        return self.statement(size), {**(parameters or {}), **listed}

    def rows(self, values: Sequence[Any], parameters: dict[str, Any] | None = None) -> Result:
        """The rows for ``values``, as plain rows."""
        return plain_rows(*self.bound(values, parameters))

    def models(self, values: Sequence[Any], parameters: dict[str, Any] | None = None) -> list[Any]:
        """The models for ``values`` of a statement that selects one model, loaded
        into the session."""
        return list(db.session.scalars(*self.bound(values, parameters)))
