"""The OpenAPI document the running server serves is a valid OpenAPI 3.1 document.

openapi-spec-validator (pinned in run.sh) checks /api/v1/openapi.json against the OpenAPI 3.1
specification's schema and rules: every operation's parameters, request bodies, responses and
every $ref. The Swift test OpenAPIDocumentTests checks that the document and the served routes
match; this checks that the document itself is well formed, as client generators will read it.
"""

import json
import urllib.request

from openapi_spec_validator import OpenAPIV31SpecValidator

from conftest import BASE_URL


def fetch_document() -> dict:
    with urllib.request.urlopen(BASE_URL + "/api/v1/openapi.json", timeout=30) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("application/json")
        return json.load(response)


def test_the_served_openapi_document_is_valid_openapi_3_1():
    document = fetch_document()
    assert document["openapi"].startswith("3.1")
    errors = [
        f"{'/'.join(str(part) for part in error.absolute_path)}: {error.message}"
        for error in OpenAPIV31SpecValidator(document).iter_errors()
    ]
    assert errors == [], f"{len(errors)} problems:\n" + "\n".join(errors[:40])


def test_every_module_contributes_operations_and_errors_are_problem_details():
    document = fetch_document()
    prefixes = {path.split("/")[3] for path in document["paths"] if path.startswith("/api/v1/")}
    for module_path in ("blog", "groups", "cpd", "members", "moderation", "activity"):
        assert module_path in prefixes, f"no /api/v1/{module_path} operations in the document"
    assert "ProblemDetails" in document["components"]["schemas"]


def test_the_validator_catches_a_broken_document():
    """The check above can fail: a document with a bad parameter location is refused."""
    document = fetch_document()
    operation = document["paths"]["/api/v1/blog/posts"]["get"]
    operation["parameters"][0]["in"] = "body"
    assert any("body" in error.message for error in OpenAPIV31SpecValidator(document).iter_errors())
