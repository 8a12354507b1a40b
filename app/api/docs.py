"""The API's description: OpenAPI for programs, a page for people (no scripts)."""

from flask import render_template

from app.api import bp
from app.api.openapi import DOCUMENT


@bp.get("/openapi.json")
def openapi_document():
    return DOCUMENT


@bp.get("/docs")
def documentation():
    return render_template("api/docs.html", document=DOCUMENT, title="API")
