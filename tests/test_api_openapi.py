import re
from html.parser import HTMLParser

from openapi_spec_validator import validate

from app.api.openapi import DOCUMENT
from tests.test_api_base import API, ApiTestCase

AUTOMATIC_METHODS = {"HEAD", "OPTIONS"}


def described_operations() -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, operations in DOCUMENT["paths"].items()
            for method in operations}


class ScriptFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and attributes.get("rel") == "alternate":  # named, not loaded
            return
        if tag in ("script", "link", "img"):
            self.sources.append(attributes.get("src") or attributes.get("href") or "")


class OpenApiTestCase(ApiTestCase):
    def test_document_is_valid_openapi_3_1(self):
        document = self.client.get(f"{API}/openapi.json").json
        self.assertEqual(document["openapi"], "3.1.0")
        validate(document)

    def test_every_route_is_described_and_nothing_else(self):
        routes = set()
        for rule in self.app.url_map.iter_rules():
            if rule.rule.startswith(f"{API}/"):
                path = re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"{\1}", rule.rule[len(API):])
                routes |= {(method, path) for method in rule.methods - AUTOMATIC_METHODS}
        self.assertEqual(routes, described_operations())

    def test_operation_ids_are_the_view_endpoints(self):
        endpoints = {rule.endpoint.removeprefix("api.") for rule in self.app.url_map.iter_rules()
                     if rule.endpoint.startswith("api.")}
        operation_ids = {operation["operationId"] for operations in DOCUMENT["paths"].values()
                         for operation in operations.values()}
        self.assertEqual(endpoints, operation_ids)

    def test_authenticated_operations_document_401_and_403(self):
        for path, operations in DOCUMENT["paths"].items():
            for method, operation in operations.items():
                if operation.get("security") == []:
                    continue
                with self.subTest(method=method, path=path):
                    self.assertLessEqual({"401", "403"}, set(operation["responses"]))
                    if "{id}" in path:
                        self.assertIn("404", operation["responses"])
                    if "requestBody" in operation:
                        self.assertLessEqual({"400", "413", "415"}, set(operation["responses"]))

    def test_every_operation_lists_what_any_call_can_answer_and_its_headers(self):
        always_sent = {"401": "WWW-Authenticate", "429": "Retry-After", "503": "Retry-After",
                       "201": "Location"}
        for path, operations in DOCUMENT["paths"].items():
            for method, operation in operations.items():
                responses = operation["responses"]
                with self.subTest(method=method, path=path):
                    self.assertLessEqual({"400", "429", "503"}, set(responses))
                    for status, header in always_sent.items():
                        if status in responses:
                            self.assertTrue(responses[status]["headers"][header]["required"])
                    for status, response in responses.items():
                        if status >= "400" and status != "412":
                            schema = response["content"]["application/json"]["schema"]
                            self.assertEqual(schema, {"$ref": "#/components/schemas/Error"})
                    if method == "get" and "application/json" in responses["200"]["content"]:
                        self.assertLessEqual({"304", "412"}, set(responses))
                        self.assertTrue(responses["200"]["headers"]["ETag"]["required"])

    def test_documentation_page_lists_every_operation_and_works_offline(self):
        response = self.client.get(f"{API}/docs")
        self.assertEqual(response.status_code, 200)
        page = response.get_data(as_text=True)
        for method, path in described_operations():
            with self.subTest(method=method, path=path):
                pattern = rf">{method.lower()}</span>\s*<code>{re.escape(path)}</code>"
                self.assertRegex(page, pattern)
        for name in DOCUMENT["components"]["schemas"]:
            self.assertIn(f'id="schema-{name}"', page)
        finder = ScriptFinder()
        finder.feed(page)
        self.assertTrue(finder.sources)
        for source in finder.sources:
            self.assertFalse(source.startswith(("http:", "https:", "//")), source)
