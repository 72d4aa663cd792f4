"""What the /api page shows besides the endpoints: the fields of each object and the meaning of coded values."""
from flask_babel import lazy_gettext as _l

from pb.budgets.states import Category, Phase
from pb.monitoring.states import ProjectStatus, Rating
from pb.proposals.states import Status
from pb.voting.states import Channel, Eligibility, Method

OBJECTS = ("Municipality", "Village", "MunicipalityRef", "VillageRef", "Budget", "Totals", "CategoryTotal",
           "Approval", "Line", "Proposal", "Round", "Location", "Turnout", "Results", "Execution",
           "LineExecution", "Project", "MonitoringReport", "Error")


def type_label(schema):
    """A short, language-free notation of a JSON Schema: string, integer | null, [Village], "0.00"."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[1]
    if "oneOf" in schema:
        return " | ".join(type_label(option) for option in schema["oneOf"])
    kind = schema.get("type", "object")
    if isinstance(kind, list):
        return " | ".join(type_label({**schema, "type": k}) for k in kind)
    if kind == "array":
        return f"[{type_label(schema['items'])}]"
    if kind == "string" and "pattern" in schema:
        return '"0.00"'
    if kind == "string" and schema.get("format") == "date-time":
        return "date-time"
    if kind == "string" and schema.get("format") == "date":
        return "date"
    return kind


def fields(schema, prefix=""):
    """(name, type, description, always present) of an object's properties; inline objects are spelled out
    with dotted names (links.self, proposals[].decision.funded)."""
    rows = []
    required = set(schema.get("required", ()))
    for name, prop in schema.get("properties", {}).items():
        rows.append((prefix + name, type_label(prop), prop.get("description", ""), name in required))
        inner = prop["items"] if prop.get("type") == "array" else prop
        if inner.get("type") == "object" and "properties" in inner:
            rows.extend(fields(inner, prefix + name + ("[]." if inner is not prop else ".")))
    return rows


def objects(document):
    schemas = document["components"]["schemas"]
    return [(name, schemas[name].get("description", ""), fields(schemas[name])) for name in OBJECTS]


def coded_values():
    """The coded values clients meet most, with their meaning in the page's language."""
    return [
        (_l("Budget phases"), Phase.choices()),
        (_l("Categories"), Category.choices()),
        (_l("Proposal statuses"), Status.choices()),
        (_l("Ballot methods"), Method.choices()),
        (_l("Voting channels"), Channel.choices()),
        (_l("Who may vote"), Eligibility.choices()),
        (_l("Project statuses"), ProjectStatus.choices()),
        (_l("Monitoring ratings"), Rating.choices()),
    ]
