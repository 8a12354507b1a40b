"""gunicorn settings for Flasky: ``gunicorn -c gunicorn.conf.py flasky:app``.

On its own, gunicorn believes ``X-Forwarded-Proto`` (and PROXY protocol
headers) from 127.0.0.1 and ::1, so any program on the machine could make
Flasky build https links, or claim another client address. Flasky believes
forwarded headers only when FLASKY_TRUSTED_PROXIES says proxies are in front
of it (docs/security.md), and with this file gunicorn agrees: it believes
nobody while that is 0, and otherwise the proxies in FLASKY_PROXY_IPS
(comma-separated addresses or networks; by default this machine).

Each worker starts Flasky's embedded job threads as it boots (app/jobs/), so
queued work (mail retries, exports) runs with no request and no extra
process; with REDIS_URL set, ``flask worker`` runs jobs instead.

Other settings (workers, bind address) stay on the command line.
"""

import os

LOOPBACK = "127.0.0.1,::1"


def _trusted_proxies() -> int:
    """FLASKY_TRUSTED_PROXIES (not a number: 0 here; the app then refuses to start)."""
    try:
        return int(os.environ.get("FLASKY_TRUSTED_PROXIES") or 0)
    except ValueError:
        return 0


def proxy_addresses() -> str:
    """Whose forwarded headers to believe: nobody ("") without trusted proxies."""
    if _trusted_proxies() <= 0:
        return ""
    return os.environ.get("FLASKY_PROXY_IPS", "").strip() or LOOPBACK


forwarded_allow_ips = proxy_addresses()
proxy_allow_ips = proxy_addresses()


def post_worker_init(worker) -> None:
    """Start the job threads of the app this worker serves."""
    from app.jobs.backends import start_in_process_workers

    if hasattr(worker.wsgi, "extensions"):  # a Flask app (the benchmark serves others)
        start_in_process_workers(worker.wsgi)
