"""The API's description: OpenAPI for programs, a page for people (no scripts)."""

from flask import render_template, url_for

from app.api import bp
from app.api.openapi import DOCUMENT


@bp.get("/openapi.json")
def openapi_document():
    return DOCUMENT


@bp.get("/docs")
def documentation():
    document_url = url_for("api.openapi_document", _external=True)
    return render_template("api/docs.html", document=DOCUMENT, document_url=document_url,
                           base_url=document_url.removesuffix("/openapi.json"), title="API")
