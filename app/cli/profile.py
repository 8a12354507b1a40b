"""``flask profile``: serve Flasky with every request run under cProfile.

Each request prints its slowest functions (and, with ``--profile-dir``,
leaves a ``.prof`` file for snakeviz or ``python -m pstats``), which shows
where a slow page spends its time before anything is changed.
"""

import sys
from typing import IO

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from werkzeug.middleware.profiler import ProfilerMiddleware


def profiled(app: Flask, length: int = 25, profile_dir: str | None = None,
             stream: IO[str] | None = None) -> None:
    """Wrap ``app`` so that each request is profiled."""
    app.wsgi_app = ProfilerMiddleware(app.wsgi_app, stream=stream or sys.stdout,
                                      restrictions=[length], profile_dir=profile_dir)


@click.command("profile")
@click.option("--length", default=25, show_default=True,
              help="How many functions each request's report lists.")
@click.option("--profile-dir", type=click.Path(file_okay=False, writable=True), default=None,
              help="Also save each request's profile data in this directory.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@with_appcontext
def profile_command(length: int, profile_dir: str | None, host: str, port: int) -> None:
    """Serve the application with every request profiled (not for production)."""
    app = current_app._get_current_object()
    profiled(app, length, profile_dir)
    app.run(host=host, port=port, debug=False, use_reloader=False)
