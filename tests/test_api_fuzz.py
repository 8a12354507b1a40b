"""Schema-driven fuzzing of the whole API, in process, against the WSGI app.

Schemathesis generates valid and invalid requests for every operation of the
OpenAPI document; every response must be documented, match its schema, and
never be a server error. ``FLASKY_FUZZ_EXAMPLES`` sets the examples per
operation and generation mode (default 15, which keeps the run well under a
minute); the run is derandomized so that a failure reproduces.
"""

import os
import sys
from collections import Counter

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app import db
from app.models import Comment, Post
from tests.test_api_base import API, ApiTestCase

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, response_headers_conformance]
EXAMPLES = int(os.environ.get("FLASKY_FUZZ_EXAMPLES", "15"))


class ApiFuzzTestCase(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        # An administrator may call everything, so the fuzzer reaches every view.
        self.caller = self.create_user("admin", role="Administrator")
        author = self.create_user("john")
        unconfirmed = self.create_user("susan", confirmed=False)
        for user in (self.caller, author, unconfirmed):
            post = Post(body=f"A post by *{user.username}*", author=user)
            db.session.add_all([post, Comment(body="A comment", author=author, post=post),
                                Comment(body="Rude", author=user, post=post, disabled=True)])
        author.follow(self.caller)
        db.session.commit()
        self.schema = schemathesis.openapi.from_wsgi(f"{API}/openapi.json", self.app)

    def test_no_operation_errors_or_breaks_its_schema(self):
        statuses: Counter = Counter()
        operations = [result.ok() for result in self.schema.get_all_operations()]
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                with self.subTest(operation=operation.label, mode=mode.value):
                    self.fuzz(operation, mode, statuses)
        print(f"\nAPI fuzz: {sum(statuses.values())} requests over {len(operations)} "
              f"operations, by status {dict(sorted(statuses.items()))}", file=sys.stderr)
        self.assertGreater(statuses[200] + statuses[201] + statuses[204], 0)
        self.assertGreater(statuses[400], 0)

    def fuzz(self, operation, mode: GenerationMode, statuses: Counter) -> None:
        headers = self.headers_for(self.caller)

        # Half the time aim at an object that exists, to get past the 404s.
        @given(case=operation.as_strategy(generation_mode=mode),
               existing_id=st.sampled_from([None, 1, 2, 3]))
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case, existing_id):
            if existing_id is not None and "id" in (case.path_parameters or {}):
                case.path_parameters["id"] = existing_id
            response = case.call(headers=headers)
            statuses[response.status_code] += 1
            case.validate_response(response, checks=CHECKS, headers=headers)

        try:
            run()
        except Unsatisfiable:
            if mode is GenerationMode.POSITIVE:
                raise  # only an operation without inputs has nothing invalid to send
