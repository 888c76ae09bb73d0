"""Property-based tests of the whole API against its own OpenAPI schema.

schemathesis loads ``/api/schema/`` from the Django app in-process (WSGI) and
generates 100 requests per operation -- valid and invalid bodies, query strings
and path parameters, about half of the latter the ids and slugs of real rows in
a small, realistic alliance (tests/api/conftest.py). Each request is sent twice:
anonymously, then with the API token of a member who holds every role, so
writes really happen. Every response must be documented (status code, content
type, body shape), and none may be a server error.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Only the property-based phase: 100 examples per operation. The "coverage"
# phase would add hundreds of boundary-value requests per operation.
CONFIG = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": False}}})
# Real path parameters of the current test's world, for the hook below.
CURRENT: dict = {}

# The schema exactly as the app serves it (its generation reads no rows).
schema = schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler(), config=CONFIG)


def _real_value(path: str, index: int) -> dict:
    """Return one set of real path parameters for ``path`` (by the longest
    matching prefix), or an empty dict if there are none."""
    path_values = CURRENT.get("path_values", {})
    prefixes = [prefix for prefix in path_values if path.startswith(prefix)]
    if not prefixes:
        return {}
    values = path_values[max(prefixes, key=len)]
    return values[index % len(values)]


@schema.hook
def before_generate_path_parameters(context, strategy):
    """Mix generated path parameters with the ids and slugs of real rows. The rows
    exist only once the test's ``world`` does, so they are looked up when drawn."""
    path = context.operation.path
    real = st.integers(min_value=0, max_value=99).map(
        lambda index: _real_value(path, index)
    )
    return st.one_of(strategy, real.filter(bool))


# schemathesis asks for gzip but its WSGI transport does not decompress the answer;
# compression has its own test (tests/alliance/core/test_compression.py).
UNCOMPRESSED = {"Accept-Encoding": "identity"}


@pytest.fixture
def member_headers(world):
    """Ada's API token; keep the test's database connection (and transaction)
    across requests, as Django's test client does."""
    CURRENT["path_values"] = world.path_values
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield {"Authorization": f"Bearer {world.token}"}
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
    CURRENT.clear()


@schema.parametrize()
@settings(
    max_examples=100,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_documented(case, member_headers):
    case.call_and_validate(headers=UNCOMPRESSED, checks=CHECKS)
    case.call_and_validate(headers={**UNCOMPRESSED, **member_headers}, checks=CHECKS)
