"""Load-or-404 for the API's ``<int:id>`` routes."""

from typing import TypeVar

from flask import abort

from app.extensions import db

Model = TypeVar("Model")
# Ids beyond a signed 64-bit integer cannot exist and would overflow the driver.
MAX_ID = 2**63 - 1


def get_or_404(model: type[Model], id: int) -> Model:
    name = model.__name__.lower()
    if id > MAX_ID:
        abort(404, f"there is no {name} with id {id}")
    return db.get_or_404(model, id, description=f"there is no {name} with id {id}")
