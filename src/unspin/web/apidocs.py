"""The API reference page (``/api/v1/docs``), drawn on the server from the app's own OpenAPI
schema: no script, nothing loaded from another site, readable offline. The schema itself stays
at ``/api/v1/openapi.json`` for tools that generate clients."""

from __future__ import annotations

from dataclasses import dataclass, field

REF = "#/components/schemas/"
METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class Field:
    name: str
    type: str
    required: bool
    description: str = ""
    where: str = ""  # path, query, form ... for parameters


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    needs_token: bool
    parameters: list[Field] = field(default_factory=list)
    body: str = ""  # media type and schema of the request body
    responses: list[tuple[str, str, str]] = field(default_factory=list)  # status, description, schema

    @property
    def anchor(self) -> str:
        return f"{self.method}-{self.path}".replace("/", "-").replace("{", "").replace("}", "").strip("-")


@dataclass
class Model:
    name: str
    description: str
    fields: list[Field]


def type_name(schema: dict) -> str:
    """A short, readable type for a JSON schema: ``Finding``, ``list of Finding``, ``string | null``."""
    if "$ref" in schema:
        return schema["$ref"].removeprefix(REF)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            return " | ".join(type_name(s) for s in schema[key])
    if "enum" in schema:
        return " | ".join(repr(v) for v in schema["enum"])
    kind = schema.get("type", "any")
    if kind == "array":
        items = schema.get("items") or schema.get("prefixItems")
        if isinstance(items, list):
            return "[" + ", ".join(type_name(s) for s in items) + "]"
        return f"list of {type_name(items or {})}"
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return f"map of string to {type_name(schema['additionalProperties'])}"
    fmt = schema.get("format")
    return f"{kind} ({fmt})" if fmt else str(kind)


def _body(op: dict) -> str:
    content = op.get("requestBody", {}).get("content", {})
    return "; ".join(f"{media}: {type_name(spec.get('schema', {}))}" for media, spec in content.items())


def operations(schema: dict) -> list[Operation]:
    found = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            params = [
                Field(p["name"], type_name(p.get("schema", {})), bool(p.get("required")),
                      p.get("description") or p.get("schema", {}).get("description", ""), p.get("in", ""))
                for p in op.get("parameters", [])
            ]
            responses = []
            for status, spec in op.get("responses", {}).items():
                media = spec.get("content", {}).get("application/json", {})
                responses.append((status, spec.get("description", ""), type_name(media["schema"]) if media else ""))
            found.append(Operation(method.upper(), path, op.get("summary", ""), op.get("description", ""),
                                   bool(op.get("security")), params, _body(op), responses))
    return found


def models(schema: dict) -> list[Model]:
    found = []
    for name, spec in schema.get("components", {}).get("schemas", {}).items():
        required = set(spec.get("required", []))
        fields = [Field(prop, type_name(s), prop in required, s.get("description", ""))
                  for prop, s in spec.get("properties", {}).items()]
        found.append(Model(name, spec.get("description", ""), fields))
    return found
