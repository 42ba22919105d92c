"""Schemathesis hooks for the full CLI run (test_api_schemathesis.py): a body for creating an
indicator names a real initiative of the key's organisation now and then, so the run reaches
a 201 (random ids are all another organisation's or nobody's, a 400)."""

import os

import schemathesis


@schemathesis.hook
def map_body(context, body):
    operation = context.operation
    initiative = os.environ.get("IH_SCHEMATHESIS_INITIATIVE")
    if (
        initiative
        and operation is not None
        and operation.method.upper() == "POST"
        and operation.path.rstrip("/").endswith("/indicators")
        and isinstance(body, dict)
        and "initiative" in body
    ):
        body = {**body, "initiative": int(initiative)}
    return body
