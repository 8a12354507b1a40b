"""Schema-driven fuzzing of the whole API, in process, with the rate limits on.

For every operation of the OpenAPI document (but the one serving the
document, which Schemathesis leaves out; tests/test_api_statuses.py calls
it), Schemathesis sends its coverage phase (boundary values, wrong types,
missing and extra fields, wrong content types, and the methods the path
does not list), then generated valid and invalid requests. Every answer
must have a status the document lists for the operation, or be a 405 with
Allow for a method the path does not list (which the document says once, for
every path); it must match its schema and carry the headers the document
promises, and it must never be a server error.

The rate limits are on, at their production values, so throttled answers
happen and are checked like any other. Clients are many, as they are for a
server, each with an account and an address of its own: a single client
would be throttled after its tenth post or its 20th failed authentication,
and the rest of the run would see nothing but 429. Each coverage case tests
one thing, so they go a few per client, under every limit; the generated
requests go one client per operation and mode, and are throttled where a
limit is lower than the examples. Last, one client whose address has failed
to authenticate too often calls every operation once more, as a single
fuzzer's address ends up doing on a live server.

``FLASKY_FUZZ_EXAMPLES`` sets the generated examples per operation and mode
(default 15, which keeps the run well under a minute). The coverage phase is
the same on every run and the generated one is derandomized, so a failure
reproduces.
"""

import os
import sys
import time
from collections import Counter
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from app import db
from app.api.openapi import DOCUMENT
from app.models import Comment, Post
from tests.production_limits import ProductionLimitsTestCase, address
from tests.test_api_base import API, basic

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, response_headers_conformance, unsupported_method]
EXAMPLES = int(os.environ.get("FLASKY_FUZZ_EXAMPLES", "15"))
EXISTING_IDS = [1, 2, 3]
COVERAGE = "coverage"
# Fewer than the tightest limit allows a minute (10 posts, edits or tokens).
COVERAGE_CASES_PER_CLIENT = 9
THROTTLED_EXAMPLES = 3
PHASES = (COVERAGE, GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


def deletions_last(operation) -> tuple[bool, bool]:
    """Deleting the test data first would leave every later operation a 404;
    a post goes last, as its comments go with it."""
    return operation.method.upper() == "DELETE", operation.path == "/posts/{id}"


class ApiFuzzTestCase(ProductionLimitsTestCase):
    def setUp(self) -> None:
        super().setUp()
        admin = self.create_user("admin", role="Administrator")
        author = self.create_user("john")
        unconfirmed = self.create_user("susan", confirmed=False)
        for user in (admin, author, unconfirmed):
            post = Post(body=f"A post by *{user.username}*", author=user)
            db.session.add_all([post, Comment(body="A comment", author=author, post=post),
                                Comment(body="Rude", author=user, post=post, disabled=True)])
        author.follow(admin)
        db.session.commit()
        self.schema = schemathesis.openapi.from_wsgi(f"{API}/openapi.json", self.app)
        self.clients = 0

    def test_every_answer_is_documented(self):
        statuses: Counter = Counter()
        operations = sorted((result.ok() for result in self.schema.get_all_operations()),
                            key=deletions_last)
        started = time.perf_counter()
        for operation in operations:
            for phase in PHASES:
                with self.subTest(operation=operation.label, phase=str(phase)):
                    if phase == COVERAGE:
                        self.cover(operation, statuses)
                    else:
                        self.fuzz(operation, phase, self.new_client(), statuses)
        throttled = self.throttled_client()
        for operation in operations:
            with self.subTest(operation=operation.label, phase="throttled"):
                self.fuzz(operation, GenerationMode.POSITIVE, throttled, statuses,
                          THROTTLED_EXAMPLES)
        print(f"\nAPI fuzz: {sum(statuses.values())} requests over {len(operations)} "
              f"operations in {time.perf_counter() - started:.1f} s, by status "
              f"{dict(sorted(statuses.items()))}", file=sys.stderr)
        self.assertGreater(statuses[200] + statuses[201] + statuses[204], 0)
        for status in (400, 401, 404, 405, 429):
            self.assertGreater(statuses[status], 0, status)

    def new_client(self) -> dict[str, Any]:
        """How a new client calls: as an administrator of its own (who may call
        everything, so the fuzzer reaches every view), from an address of its own."""
        self.clients += 1
        caller = self.create_user(f"fuzzer{self.clients}", role="Administrator")
        return {"headers": self.headers_for(caller),
                "environ_overrides": address(self.clients)}

    def throttled_client(self) -> dict[str, Any]:
        """A new client whose address has failed to authenticate until refused."""
        client = self.new_client()
        wrong = basic("nobody@example.com", "not-a-password")
        for _ in range(1000):
            response = self.client.get(f"{API}/posts/", headers=wrong,
                                       environ_overrides=client["environ_overrides"])
            if response.status_code == 429:
                return client
            self.assertEqual(response.status_code, 401)
        self.fail("failed authentications were never throttled")

    def check(self, case, client: dict[str, Any], statuses: Counter) -> None:
        response = case.call(**client)
        statuses[response.status_code] += 1
        self.assertDocumented(case, response)
        case.validate_response(response, checks=CHECKS, headers=client["headers"])

    def assertDocumented(self, case, response) -> None:
        """Schemathesis skips its status check for requests malformed on purpose
        (an unlisted method, a broken content type); this one skips nothing."""
        status, method = response.status_code, case.method.upper()
        request = f"{method} {case.operation.path}: {response.content[:200]!r}"
        if method != case.operation.method.upper():  # a method the path does not list
            self.assertEqual(status, 200 if method == "OPTIONS" else 405, request)
            self.assertIn("allow", response.headers, request)  # names in lower case
            return
        listed = DOCUMENT["paths"][case.operation.path][case.operation.method.lower()]
        self.assertIn(str(status), listed["responses"], request)

    def cover(self, operation, statuses: Counter) -> None:
        cases = self.schema.iter_coverage_cases(
            operation, generation_modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
            generation_config=self.schema.config.generation_for(operation=operation))
        for number, case in enumerate(cases):
            if number % COVERAGE_CASES_PER_CLIENT == 0:
                client = self.new_client()
            # A case about something else than the id is aimed at an object that exists.
            if case.path_parameters and case.meta.phase.data.parameter != "id":
                case.path_parameters["id"] = EXISTING_IDS[number % len(EXISTING_IDS)]
            self.check(case, client, statuses)

    def fuzz(self, operation, mode: GenerationMode, client: dict[str, Any],
             statuses: Counter, examples: int = EXAMPLES) -> None:
        # Half the time aim at an object that exists, to get past the 404s.
        @given(case=operation.as_strategy(generation_mode=mode),
               existing_id=st.sampled_from([None, *EXISTING_IDS]))
        # No shrinking: a failure is reported as found, which keeps a failing run short.
        @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        def run(case, existing_id):
            if existing_id is not None and "id" in (case.path_parameters or {}):
                case.path_parameters["id"] = existing_id
            self.check(case, client, statuses)

        try:
            run()
        except Unsatisfiable:
            if mode is GenerationMode.POSITIVE:
                raise  # only an operation without inputs has nothing invalid to send
