"""The OpenAPI 3.1 document, built from the routing table and what each view declares with @operation.

A view's query parameters are declared once, here, and read through Param.parse: the document and the
checks on a request are the same data, so they cannot disagree.
"""
import json
import re
from dataclasses import dataclass, field

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from pb.api.examples import examples
from pb.api.http import ApiError
from pb.api.monitoring_schemas import monitoring_components
from pb.api.schemas import components, enum, integer

PREFIX = "/api/v1"
VERSION = "1.0.0"
MAX_PER_PAGE, DEFAULT_PER_PAGE, MAX_PAGE = 200, 50, 100000
_RULE_ARG = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


@dataclass(frozen=True)
class Param:
    """A query parameter: its name, what it means, and its JSON Schema (an integer range or a list of values)."""

    name: str
    description: object
    schema: dict

    def parse(self, raw):
        """The value sent, or the default; ApiError (400) for anything the schema does not allow."""
        if raw is None:
            return self.schema.get("default")
        if "enum" in self.schema:
            if raw not in self.schema["enum"]:
                raise ApiError.bad_parameter(self.name, _l("%(name)s: use one of %(values)s.", name=self.name,
                                                           values=", ".join(self.schema["enum"])))
            return raw
        low, high = self.schema.get("minimum", 0), self.schema.get("maximum", MAX_PAGE)
        if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
            raise ApiError.bad_parameter(self.name, _l("%(name)s: enter a whole number from %(low)d to %(high)d.",
                                                       name=self.name, low=low, high=high))
        return int(raw)

    def as_dict(self):
        return {"name": self.name, "in": "query", "required": False, "description": self.description,
                "schema": self.schema}


PAGE = Param("page", _l("Which page of the list, from 1."), {**integer(minimum=1), "maximum": MAX_PAGE, "default": 1})
PER_PAGE = Param("per_page", _l("How many items per page, at most %(n)d.", n=MAX_PER_PAGE),
                 {**integer(minimum=1), "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE})


def choice(name, values, description):
    return Param(name, description, enum(values))


def number(name, description):
    return Param(name, description, {**integer(minimum=1), "maximum": 2**31 - 1})


@dataclass(frozen=True)
class Operation:
    """What a GET route returns: its group (tag), a summary, the schema of the answer, its query parameters."""

    tag: str
    summary: object
    schema: str
    example: str  # a request path under PREFIX, for the documentation page
    description: object = None
    paged: bool = False
    query: tuple = ()
    not_found: bool = True
    params: tuple = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "params", ((PAGE, PER_PAGE) if self.paged else ()) + tuple(self.query))

    def read(self, args):
        """{name: value} of the request's query; ApiError (400) for an unknown, repeated or bad parameter."""
        known = {param.name: param for param in self.params}
        for name in args:
            if name not in known:
                raise ApiError.bad_parameter(name, _l("Unknown query parameter: %(name)s.", name=name))
            if len(args.getlist(name)) > 1:
                raise ApiError.bad_parameter(name, _l("%(name)s: give it once.", name=name))
        return {name: param.parse(args.get(name)) for name, param in known.items()}


def operation(tag, summary, schema, example, **kwargs):
    """Declare a view as a documented API operation (the view then reads its query with view.openapi.read)."""

    def decorator(view):
        view.openapi = Operation(tag, summary, schema, example, **kwargs)
        return view

    return decorator


def tags():
    return [
        {"name": "Municipalities", "description": _l("Municipalities and their villages")},
        {"name": "Budgets", "description": _l("Public budgets, their totals, versions and lines")},
        {"name": "Proposals", "description": _l("Residents' proposals and their status")},
        {"name": "Voting", "description": _l("Voting rounds, turnout and results")},
        {"name": "Monitoring", "description": _l("Execution against plan, funded projects and monitoring reports")},
        {"name": "Documentation", "description": _l("This description of the API")},
    ]


def _path_params():
    return {
        "slug": _l("The municipality's short name, e.g. ak-dobo."),
        "budget_id": _l("The budget's number."),
        "proposal_id": _l("The proposal's number."),
        "round_id": _l("The voting round's number."),
        "implementation_id": _l("The funded project's number."),
        "report_id": _l("The monitoring report's number."),
    }


def openapi_path(rule):
    """Flask's /api/v1/budgets/<int:budget_id> as OpenAPI's /budgets/{budget_id}, and its path parameters."""
    path = _RULE_ARG.sub(lambda m: "{" + m.group(2) + "}", rule[len(PREFIX):]) or "/"
    descriptions = _path_params()
    params = [{"name": name, "in": "path", "required": True, "description": descriptions.get(name, name),
               "schema": integer(minimum=1) if converter == "int" else {"type": "string"}}
              for converter, name in _RULE_ARG.findall(rule)]
    return path, params


def _list_schema(name):
    page = integer(minimum=1)
    link = {"type": ["string", "null"], "format": "uri"}
    return {"type": "object", "description": _l("A page of a list; follow next until it is null."),
            "required": ["items", "total", "page", "per_page", "pages", "next", "previous"],
            "properties": {"items": {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}},
                           "total": integer(_l("Items in the whole list.")), "page": page, "per_page": page,
                           "pages": integer(), "next": link, "previous": link}}


def _error(description):
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _operation_dict(endpoint, op, path_params, example, base):
    schema = {"$ref": f"#/components/schemas/{op.schema}List" if op.paged else f"#/components/schemas/{op.schema}"}
    if op.paged:
        example = {"items": [example], "total": 1, "page": 1, "per_page": DEFAULT_PER_PAGE, "pages": 1,
                   "next": None, "previous": None}
    ok = {"description": _l("Found."), "headers": {"ETag": {"$ref": "#/components/headers/ETag"}},
          "content": {"application/json": {"schema": schema, "example": example}}}
    responses = {"200": ok, "304": {"description": _l("Not changed since the ETag given in If-None-Match.")},
                 "400": {"$ref": "#/components/responses/BadRequest"}}
    if op.not_found:
        responses["404"] = {"$ref": "#/components/responses/NotFound"}
    responses["429"] = {"$ref": "#/components/responses/TooManyRequests"}
    result = {"operationId": endpoint.split(".", 1)[1], "tags": [op.tag], "summary": op.summary,
              "parameters": path_params + [param.as_dict() for param in op.params], "responses": responses,
              "x-example-request": base + PREFIX + op.example}
    if op.description is not None:
        result["description"] = op.description
    return result


def _description():
    return _l(
        "Read-only public data of Ashar: municipalities, budgets and their lines, residents' proposals, voting "
        "rounds and their results. No key is needed. Amounts of money are strings with two decimals "
        "(\"2750000.00\"), never numbers, so that nothing is rounded. Times are ISO 8601: UTC with Z, or local "
        "Bishkek time with +06:00. Lists come a page at a time (page, per_page). Only what the public pages show "
        "is here: drafts, hidden counts and private details never are. Within v1 fields may be added; ignore "
        "the ones you do not know.")


def build_spec(app, base):
    """The OpenAPI document of every documented route under PREFIX; strings are still lazy (see resolve)."""
    samples = examples(base)
    paths = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        op = getattr(app.view_functions.get(rule.endpoint), "openapi", None)
        if op is None or not rule.rule.startswith(PREFIX):
            continue
        path, path_params = openapi_path(rule.rule)
        example = samples.get(op.schema, {}) if op.schema != "OpenAPI" else {"openapi": "3.1.0"}
        paths.setdefault(path, {})["get"] = _operation_dict(rule.endpoint, op, path_params, example, base)
    schemas = {**components(), **monitoring_components()}
    schemas["OpenAPI"] = {"type": "object", "description": _l("This document."), "required": ["openapi"]}
    for name in ("Municipality", "Budget", "Line", "Proposal", "Round", "Project", "MonitoringReport"):
        schemas[f"{name}List"] = _list_schema(name)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Ashar API", "version": VERSION, "description": _description()},
        "servers": [{"url": base + PREFIX}],
        "tags": tags(),
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": {
                "BadRequest": _error(_l("A query parameter is unknown, repeated or out of range.")),
                "NotFound": _error(_l("There is no such object, or it is not public.")),
                "TooManyRequests": _error(_l("Too many requests from this address; wait a minute.")),
            },
            "headers": {"ETag": {"description": _l("Send it back in If-None-Match to get 304 when nothing changed."),
                                 "schema": {"type": "string"}}},
        },
    }


def resolve(value):
    """The document with every lazy string rendered in the current language (plain JSON data)."""
    if isinstance(value, LazyString):
        return str(value)
    if isinstance(value, dict):
        return {key: resolve(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [resolve(item) for item in value]
    return value


def pretty(value):
    return json.dumps(value, ensure_ascii=False, indent=2)
