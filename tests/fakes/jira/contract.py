"""Validate JSON against component schemas of Atlassian's OpenAPI 3.0 descriptions.

The spec files live outside the repository (``../shared/jira-openapi/``) and are read at test
time, never copied. OpenAPI 3.0 is JSON Schema draft 4 plus ``nullable``; this module rewrites
``nullable`` into draft-4 terms and resolves ``$ref``s within the whole spec document.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator  # type: ignore[import-untyped]
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

CLOUD_SPEC = "jira-cloud-platform-v3.swagger-v3.v3.json"
DC_SPEC = "jira-software-dc-10.3.24.swagger.v3.json"


def spec_dir() -> Path:
    """``<repo>/../shared/jira-openapi``: the repo root is three levels above this package."""
    return Path(__file__).resolve().parents[3].parent / "shared" / "jira-openapi"


def _denullable(node: Any) -> Any:
    if isinstance(node, list):
        return [_denullable(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _denullable(value) for key, value in node.items()}
    if converted.pop("nullable", False) is True:
        if isinstance(converted.get("type"), str):
            converted["type"] = [converted["type"], "null"]
            if "enum" in converted:
                converted["enum"] = [*converted["enum"], None]
        else:
            return {"anyOf": [converted, {"type": "null"}]}
    return converted


#: Known defects of Atlassian's generated Data Center spec that contradict what DC answers
#: (see the source repository's contracts/COMPATIBILITY.md); applied in memory only.
DC_OVERRIDES: dict[str, Callable[[dict[str, Any]], None]] = {
    # "IssueBean.fields is declared as all-objects": summary is a string, labels an array.
    "IssueBean.fields": lambda s: s["IssueBean"]["properties"]["fields"].update(
        additionalProperties={}
    ),
    # EntityPropertyBean.value is declared a string; the REST answer is any JSON value.
    "EntityPropertyBean.value": lambda s: s["EntityPropertyBean"]["properties"].update(value={}),
}


class SpecSchemas:
    """Validators for ``#/components/schemas/<Name>`` of one spec document."""

    def __init__(self, document: dict[str, Any], uri: str) -> None:
        self.uri = uri
        self.document = document
        resource = Resource.from_contents(document, default_specification=DRAFT4)
        self.registry: Registry[Any] = Registry().with_resource(uri, resource)

    def names(self) -> set[str]:
        return set(self.document["components"]["schemas"])

    def errors(self, instance: Any, name: str, *, array: bool = False) -> list[str]:
        """Every violation of the named component schema (or an array of it), as text."""
        ref: dict[str, Any] = {"$ref": f"{self.uri}#/components/schemas/{name}"}
        schema = {"type": "array", "items": ref} if array else ref
        validator = Draft4Validator(schema, registry=self.registry)
        return [
            f"{name}{''.join(f'[{p!r}]' for p in error.absolute_path)}: {error.message}"
            for error in validator.iter_errors(instance)
        ]


@cache
def load(spec_file: str) -> SpecSchemas:
    raw = json.loads((spec_dir() / spec_file).read_text(encoding="utf-8"))
    document = _denullable(raw)
    if spec_file == DC_SPEC:
        document = copy.deepcopy(document)
        for patch in DC_OVERRIDES.values():
            patch(document["components"]["schemas"])
    return SpecSchemas(document, f"urn:jira-openapi:{spec_file}")
