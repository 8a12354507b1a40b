"""gunicorn settings for Flasky: ``gunicorn -c gunicorn.conf.py flasky:app``.

On its own, gunicorn believes ``X-Forwarded-Proto`` (and PROXY protocol
headers) from 127.0.0.1 and ::1, so any program on the machine could make
Flasky build https links, or claim another client address. Flasky believes
forwarded headers only when FLASKY_TRUSTED_PROXIES says proxies are in front
of it (docs/security.md), and with this file gunicorn agrees: it believes
nobody while that is 0, and otherwise the proxies in FLASKY_PROXY_IPS
(comma-separated addresses or networks; by default this machine).

Other settings (workers, bind address) stay on the command line.
"""

import os

LOOPBACK = "127.0.0.1,::1"


def _trusted_proxies() -> int:
    """FLASKY_TRUSTED_PROXIES read as config.py reads it (not a number: 0)."""
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
