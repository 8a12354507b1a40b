"""Column types and helpers shared by the models."""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """The current time as an aware UTC datetime (a callable column default)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp that is always an aware UTC datetime in Python.

    PostgreSQL stores ``timestamp with time zone``; SQLite has no time zones,
    so values are stored there as naive UTC (which also keeps them sortable)
    and made aware again on load.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value

    def result_processor(self, dialect, coltype) -> Callable[[Any], datetime | None]:
        """``process_result_value`` after the dialect's own conversion, in one call a
        value (TypeDecorator's own makes two: a page of posts loads about a hundred)."""
        convert = self.impl_instance.result_processor(dialect, coltype)

        def aware(value: Any) -> datetime | None:
            if convert is not None:
                value = convert(value)
            if value is not None and value.tzinfo is None:
                value = value.replace(tzinfo=UTC)
            return value
        return aware


class JsonRepresentable:
    """``to_json()`` and ``Model.from_json(data)``, the names the SPEC gives, for
    models that know nothing of the API: the API registers each model's JSON
    shape (``app/api/serializers.py``) and body parser (``app/api/forms.py``)
    with ``represent_as_json`` when its blueprint is imported."""

    _to_json: Callable[[Any], dict[str, Any]] | None = None
    _from_json: Callable[[Any], Any] | None = None

    def to_json(self) -> dict[str, Any]:
        if type(self)._to_json is None:
            raise RuntimeError(f"{type(self).__name__} has no JSON shape: import app.api first")
        return type(self)._to_json(self)

    @classmethod
    def from_json(cls, data: Any) -> Any:
        """A new, unsaved instance from an API body; raises ValidationError."""
        if cls._from_json is None:
            raise RuntimeError(f"{cls.__name__} has no JSON parser: import app.api first")
        return cls._from_json(data)


def represent_as_json(model: type, to_json: Callable | None = None,
                      from_json: Callable | None = None) -> None:
    if to_json is not None:
        model._to_json = staticmethod(to_json)
    if from_json is not None:
        model._from_json = staticmethod(from_json)
