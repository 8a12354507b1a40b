"""Whether this process can do its work: the database, the cache, the job
queue and the mail server each answer. ``/readyz`` asks them all and names
those that do not, so a load balancer stops sending traffic and an operator
reads why. A part Flasky is configured not to use (no cache, mail printed to
the console) is reported as ``off`` and counts as ready.
"""

from collections.abc import Callable

import redis
from flask import current_app
from sqlalchemy import select, text

from app.caching import enabled as cache_enabled
from app.caching.stores import versions
from app.extensions import cache, db
from app.mail_delivery import server_answers
from app.models import Job

# A probe answers quickly or not at all: a load balancer waits a few seconds.
PROBE_TIMEOUT_SECONDS = 2.0

OK, OFF = "ok", "off"


class NotReady(Exception):
    """A part that did not answer; ``str()`` says how, without secrets."""


def _database() -> str:
    db.session.execute(text("SELECT 1"))
    return OK


def _cache() -> str:
    if not cache_enabled():
        return OFF
    versions().read(())  # whether an entry is fresh is asked here on every page
    cache.cache.get("flasky:readiness-probe")
    return OK


def _jobs() -> str:
    db.session.execute(select(Job.id).limit(1))  # the jobs table, for either backend
    url = current_app.config.get("REDIS_URL")
    if url:
        redis.Redis.from_url(url, socket_timeout=PROBE_TIMEOUT_SECONDS,
                             socket_connect_timeout=PROBE_TIMEOUT_SECONDS).ping()
    return OK


def _mail() -> str:
    config = current_app.config
    if (config["FLASKY_MAIL_TO_CONSOLE"] or config.get("MAIL_SUPPRESS_SEND")
            or not config.get("MAIL_SERVER")):
        return OFF
    if not server_answers(timeout=PROBE_TIMEOUT_SECONDS):
        raise NotReady("the SMTP server did not answer")
    return OK


CHECKS: dict[str, Callable[[], str]] = {
    "database": _database, "cache": _cache, "jobs": _jobs, "mail": _mail,
}


def _run(check: Callable[[], str]) -> str:
    try:
        return check()
    except NotReady as refusal:
        return f"failing: {refusal}"
    except Exception as error:  # any failure of a part is an answer here, not a 500
        return f"failing: {type(error).__name__}"
    finally:
        db.session.rollback()  # no transaction left open by a probe


def readiness() -> tuple[bool, dict[str, object]]:
    """(ready, body): the state of every part, and the names of those failing."""
    checks = {name: _run(check) for name, check in CHECKS.items()}
    failing = [name for name, state in checks.items() if state not in (OK, OFF)]
    body: dict[str, object] = {"status": "not ready" if failing else "ready",
                               "checks": checks}
    if failing:
        body["failing"] = failing
    return not failing, body
