"""Prometheus metrics: what each request costs, and the state of the queues.

Requests are counted and timed per endpoint by two request hooks (installed
with the others by ``create_app``), and page-cache hits and misses by the
same after-request hook. Queue depths (jobs by state, the mail outbox) are
read from the database when ``/metrics`` is scraped (``QueueCollector``), so
every app process reports the same figures and none has to keep them.

Under gunicorn with several workers each process counts its own requests; set
``PROMETHEUS_MULTIPROC_DIR`` to an empty directory (docs/deploy.md) and
prometheus-client keeps the counters in files there, summed at scrape time.
"""

import os
import time
from collections.abc import Iterator

from flask import Response, g, request
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from app.operations import health

REGISTRY = CollectorRegistry(auto_describe=True)
REQUESTS = Counter("flasky_http_requests", "HTTP requests answered, by endpoint and status.",
                   ["endpoint", "method", "status"], registry=REGISTRY)
LATENCY = Histogram("flasky_http_request_duration_seconds",
                    "Time from the first request hook to the response, by endpoint.",
                    ["endpoint"], registry=REGISTRY)
PAGE_CACHE = Counter("flasky_page_cache_requests",
                     "Cacheable page requests, answered from the cache (hit) or not (miss).",
                     ["result"], registry=REGISTRY)


def start_request_timer() -> None:
    g.request_started = time.perf_counter()


def count_request(response: Response) -> Response:
    """Count the request; a page served from the cache says so in its header,
    and a cacheable page that was not leaves its pending entry in ``g``."""
    endpoint = request.endpoint or "none"
    REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
    started = g.get("request_started")
    if started is not None:
        LATENCY.labels(endpoint).observe(time.perf_counter() - started)
    if response.headers.get("X-Flasky-Cache") == "hit":
        PAGE_CACHE.labels("hit").inc()
    elif "page_cache" in g:
        PAGE_CACHE.labels("miss").inc()
    return response


class _ThisProcess(Collector):
    """This process's counters, for a scrape outside multiprocess mode."""

    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()


class QueueCollector(Collector):
    """Jobs by state and the mail outbox, read from the database per scrape."""

    def collect(self) -> Iterator[Metric]:
        jobs = GaugeMetricFamily("flasky_jobs", "Background jobs by state.", labels=["state"])
        for state, count in health.job_counts().items():
            jobs.add_metric([state], count)
        yield jobs
        outbox = health.outbox()
        mail = GaugeMetricFamily("flasky_mail_outbox", "Mails not sent, by state.",
                                 labels=["state"])
        mail.add_metric(["pending"], outbox["pending"])
        mail.add_metric(["given_up"], outbox["given_up"])
        yield mail
        oldest = outbox["oldest_pending_seconds"]
        yield GaugeMetricFamily("flasky_mail_outbox_oldest_pending_seconds",
                                "Age of the oldest mail still waiting (0: none).",
                                value=oldest or 0)


def _counters() -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    return registry


def exposition() -> bytes:
    """The metrics in Prometheus's text format."""
    registry = _counters()
    registry.register(QueueCollector())
    return generate_latest(registry)


def page_cache_counts() -> dict[str, int]:
    """Page-cache hits and misses counted so far (every worker's, in multiprocess mode)."""
    counts = {"hit": 0, "miss": 0}
    for metric in _counters().collect():
        if metric.name == "flasky_page_cache_requests":
            for sample in metric.samples:
                if sample.name.endswith("_total"):
                    counts[sample.labels["result"]] += int(sample.value)
    return counts
