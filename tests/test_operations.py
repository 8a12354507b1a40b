"""The probes and the metrics: /healthz, /readyz naming what does not answer,
and /metrics for a token or a trusted address only."""

from app import db
from app.models import Job, OutboxMail
from tests.base import FlaskyTestCase
from tests.smtp import SMTPServer, free_port

TOKEN = "metrics-token-for-tests"


class ProbeTestCase(FlaskyTestCase):
    config = {"FLASKY_METRICS_TOKEN": TOKEN, "FLASKY_CACHE": True,
              "FLASKY_TRUSTED_HOSTS": ["flasky.example.org"], "RATELIMIT_ENABLED": True}

    def test_healthz_answers_and_is_never_cached(self):
        response = self.client.get("/healthz", headers={"Host": "10.0.0.7:8000"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json, {"status": "ok"})
        self.assertEqual(response.headers["Cache-Control"], "no-store")

    def test_other_pages_still_check_the_host_name(self):
        self.assertEqual(self.client.get("/", headers={"Host": "10.0.0.7:8000"}).status_code,
                         400)

    def test_readyz_lists_every_part(self):
        response = self.client.get("/readyz", headers={"Host": "flasky.example.org"})
        self.assertEqual(response.status_code, 200, response.json)
        self.assertEqual(response.json["status"], "ready")
        self.assertEqual(set(response.json["checks"]),
                         {"database", "cache", "jobs", "mail"})
        self.assertEqual(response.json["checks"]["cache"], "ok")
        self.assertNotIn("failing", response.json)

    def test_readyz_names_a_mail_server_that_does_not_answer(self):
        self.app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(),
                               MAIL_USE_TLS=False, MAIL_SUPPRESS_SEND=False,
                               FLASKY_MAIL_TO_CONSOLE=False)
        response = self.client.get("/readyz", headers={"Host": "flasky.example.org"})
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json["failing"], ["mail"])
        self.assertTrue(response.json["checks"]["mail"].startswith("failing"))
        self.assertEqual(response.json["checks"]["database"], "ok")

    def test_readyz_asks_a_real_mail_server(self):
        with SMTPServer() as smtp:
            self.app.config.update(smtp.app_config(), FLASKY_MAIL_TO_CONSOLE=False)
            response = self.client.get("/readyz", headers={"Host": "flasky.example.org"})
        self.assertEqual(response.status_code, 200, response.json)
        self.assertEqual(response.json["checks"]["mail"], "ok")

    def test_readyz_names_a_redis_that_does_not_answer(self):
        self.app.config["REDIS_URL"] = f"redis://127.0.0.1:{free_port()}/0"
        response = self.client.get("/readyz", headers={"Host": "flasky.example.org"})
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json["failing"], ["jobs"])

    def test_probes_are_not_rate_limited(self):
        self.app.config["FLASKY_RATELIMIT_LOGIN"] = "1 per minute"
        statuses = {self.client.get("/healthz").status_code for _ in range(30)}
        self.assertEqual(statuses, {200})


class MetricsTestCase(FlaskyTestCase):
    config = {"FLASKY_METRICS_TOKEN": TOKEN,
              "FLASKY_METRICS_ALLOWED_ADDRESSES": ["10.1.0.0/16"]}

    def scrape(self, **kwargs) -> str:
        response = self.client.get("/metrics", **kwargs)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.content_type.startswith("text/plain"))
        return response.get_data(as_text=True)

    def test_refused_without_the_token_or_a_trusted_address(self):
        self.assertEqual(self.client.get("/metrics").status_code, 403)
        wrong = {"Authorization": "Bearer not-the-token"}
        self.assertEqual(self.client.get("/metrics", headers=wrong).status_code, 403)
        elsewhere = {"REMOTE_ADDR": "10.2.0.1"}
        self.assertEqual(self.client.get("/metrics", environ_base=elsewhere).status_code, 403)

    def test_a_trusted_address_reads_them(self):
        self.assertIn("flasky_jobs", self.scrape(environ_base={"REMOTE_ADDR": "10.1.3.4"}))

    def test_requests_are_counted_by_endpoint(self):
        text = self.scrape(headers={"Authorization": f"Bearer {TOKEN}"})
        before = _sample(text, 'flasky_http_requests_total{endpoint="main.index",'
                               'method="GET",status="200"}')
        for _ in range(3):
            self.client.get("/")
        text = self.scrape(headers={"Authorization": f"Bearer {TOKEN}"})
        after = _sample(text, 'flasky_http_requests_total{endpoint="main.index",'
                              'method="GET",status="200"}')
        self.assertEqual(after - before, 3)
        self.assertIn('flasky_http_request_duration_seconds_count{endpoint="main.index"}', text)

    def test_queue_depths_and_the_outbox_come_from_the_database(self):
        db.session.add_all([Job(task="tests:nothing", state=Job.FAILED),
                            OutboxMail(recipients="a@example.com", subject="s",
                                       body_text="t", body_html="h")])
        db.session.commit()
        text = self.scrape(headers={"Authorization": f"Bearer {TOKEN}"})
        self.assertEqual(_sample(text, 'flasky_jobs{state="failed"}'), 1)
        self.assertEqual(_sample(text, 'flasky_mail_outbox{state="pending"}'), 1)
        self.assertGreaterEqual(_sample(text, "flasky_mail_outbox_oldest_pending_seconds"), 0)


class MetricsClosedTestCase(FlaskyTestCase):
    def test_with_neither_setting_nobody_reads_them(self):
        self.assertEqual(self.client.get("/metrics").status_code, 403)
        loopback = {"REMOTE_ADDR": "127.0.0.1"}
        self.assertEqual(self.client.get("/metrics", environ_base=loopback).status_code, 403)


def _sample(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


class PageCacheMetricsTestCase(FlaskyTestCase):
    config = {"FLASKY_CACHE": True}

    def test_hits_and_misses_are_counted_for_the_dashboard(self):
        from app.operations.metrics import page_cache_counts

        before = page_cache_counts()
        visitor = self.app.test_client()
        self.assertNotEqual(visitor.get("/").headers.get("X-Flasky-Cache"), "hit")
        self.assertEqual(visitor.get("/").headers.get("X-Flasky-Cache"), "hit")
        visitor.get("/healthz")  # not a cacheable page: neither
        after = page_cache_counts()
        self.assertEqual(after["hit"] - before["hit"], 1)
        self.assertEqual(after["miss"] - before["miss"], 1)
