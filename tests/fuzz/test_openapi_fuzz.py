"""Schemathesis over the app's own OpenAPI: no 5xx, no undocumented status, bodies as declared."""

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

SEED = 20261201
EXAMPLES_PER_OPERATION = 12
# A stream that never ends (tests/fuzz/test_live_fuzz.py covers it), and the fuzzer's own sign-out.
NOT_FUZZED = ("event_stream", "sign_out")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def test_every_operation_answers_as_documented(served, account):
    config = SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
            "headers": {"Authorization": f"Bearer {account['access_token']}"},
            "request-timeout": 60,
        }
    )
    api = schemathesis.openapi.from_url(f"{served}/openapi.json", config=config)
    operations = [
        result.ok() for result in api.exclude(operation_id=list(NOT_FUZZED)).get_all_operations()
    ]
    assert len(operations) > 10
    for operation in operations:
        fuzz(operation, account["user"]["id"])


def fuzz(operation, user_id: str) -> None:
    """Up to EXAMPLES_PER_OPERATION generated requests, valid and invalid, from a fixed seed.

    `user_id` in a path is the caller's own, or every request would stop at the 403.
    """
    own = {"user_id": user_id} if "{user_id}" in operation.path else None
    cases = st.one_of(
        operation.as_strategy(mode, path_parameters=own)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    )

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases)
    def call(case) -> None:
        case.call_and_validate(checks=CHECKS)

    call()
