"""Flasky's entry point: the app object and the shell context.

The commands (``flask test``, ``deploy``, ``fake``, ``profile``, ``mail``)
live in app/cli/ and are registered by ``create_app``.
"""

import os

# Coverage must start before the app package is imported to see its imports
# (``flask test --coverage`` runs again with FLASK_COVERAGE set).
if os.environ.get("FLASK_COVERAGE"):
    import coverage

    coverage.Coverage(branch=True, include="app/*").start()

from app import create_app, db  # noqa: E402
from app.jobs.backends import run_jobs_in_this_process  # noqa: E402
from app.models import Comment, Follow, Permission, Post, Role, User  # noqa: E402

app = create_app(os.getenv("FLASK_CONFIG") or "default")
run_jobs_in_this_process(app)  # the embedded job workers start with the first request


@app.shell_context_processor
def make_shell_context() -> dict:
    return {"db": db, "User": User, "Role": Role, "Permission": Permission,
            "Follow": Follow, "Post": Post, "Comment": Comment}
