"""What a card's key holds of its rows: every loaded column, and the rows loaded with
them, read from what SQLAlchemy already holds, never loading anything."""

from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm.base import instance_dict

# Columns that move without changing anything a card shows.
VOLATILE_COLUMNS = frozenset({"last_seen", "unread_notifications"})
# Relationships no card shows: a person's role (app/caching/card_audit.py refuses a
# card template that reads one). Some pages load it with the person and others not,
# so a card holding it would have two states and be rendered again at each switch.
UNSHOWN_RELATIONSHIPS = frozenset({"role"})
UNLOADED = object()


@dataclass(frozen=True)
class _Shape:
    """A model's columns (but the volatile ones) and relationships, read once, with
    a getter of all the columns at once for a row that has every one loaded."""

    columns: tuple[str, ...]
    relationships: tuple[str, ...]
    all_columns: Callable[[dict], tuple]


_SHAPES: dict[type, _Shape] = {}


def _shape_of(model: type) -> _Shape:
    mapper = inspect(model)
    columns = tuple(attr.key for attr in mapper.column_attrs
                    if attr.key not in VOLATILE_COLUMNS)
    getter = itemgetter(*columns)
    shape = _SHAPES[model] = _Shape(
        columns, tuple(relationship.key for relationship in mapper.relationships
                       if relationship.key not in UNSHOWN_RELATIONSHIPS),
        getter if len(columns) > 1 else lambda loaded: (getter(loaded),))
    return shape


def row_state(row: Any, depth: int = 2, seen: set[int] | None = None) -> tuple:
    """The loaded columns of ``row`` and, ``depth`` relationships deep, of the rows
    loaded with it (never loading anything)."""
    seen = set() if seen is None else seen
    seen.add(id(row))
    loaded = instance_dict(row)
    shape = _SHAPES.get(type(row)) or _shape_of(type(row))
    try:  # a row loaded whole: every column at once
        values = list(shape.all_columns(loaded))
    except KeyError:  # some column not loaded (deferred, expired): marked so
        values = [loaded.get(key, UNLOADED) for key in shape.columns]
    for key in shape.relationships if depth else ():
        value = loaded.get(key, UNLOADED)
        if isinstance(value, list):
            value = tuple([row_state(item, depth - 1, seen) for item in value
                           if id(item) not in seen])
        elif value is not None and value is not UNLOADED:
            value = row_state(value, depth - 1, seen) if id(value) not in seen else "seen"
        values.append(value)
    return tuple(values)
