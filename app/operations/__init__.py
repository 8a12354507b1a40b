"""What operators need to run Flasky: health and readiness probes and
Prometheus metrics (``endpoints``, ``readiness``, ``metrics``), the
machinery's figures the dashboard shows too (``health``), and consistent
backups of the database while the site runs (``backup``, ``flask backup``).
docs/operations.md and docs/deploy.md say how they are used."""

from flask import Flask


def init_operations(app: Flask) -> None:
    """Register the probes and the metrics, and check the metrics' addresses
    at start-up rather than on the first scrape."""
    import ipaddress

    from app.operations.endpoints import bp
    from config import ConfigError

    for entry in app.config["FLASKY_METRICS_ALLOWED_ADDRESSES"]:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ConfigError([f"FLASKY_METRICS_ALLOWED_ADDRESSES: {entry!r} is not an "
                               "address or a network such as 10.0.0.0/8"]) from None
    app.register_blueprint(bp)
