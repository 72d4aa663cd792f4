"""The JSON Schemas (OpenAPI 3.1 components) of what the API returns, each with an example.

Kept next to serializers.py by hand; tests/integration/test_api.py validates every response and every
example against these schemas, so the two cannot drift apart unnoticed.
"""
from flask_babel import lazy_gettext as _l

from pb.allocation import REASON_KINDS
from pb.budgets.states import Category, LineKind, Phase
from pb.places.models import MunicipalityKind, Oblast
from pb.proposals.states import Status
from pb.voting.quotas import BASES
from pb.voting.rules import RULES
from pb.voting.states import Channel, Eligibility, Method, RoundStatus

# --- building blocks ------------------------------------------------------------------


def text(description=None, **extra):
    return _described({"type": "string", **extra}, description)


def integer(description=None, minimum=0):
    return _described({"type": "integer", "minimum": minimum}, description)


def boolean(description=None):
    return _described({"type": "boolean"}, description)


def enum(values, description=None):
    return _described({"type": "string", "enum": [getattr(v, "value", v) for v in values]}, description)


def ref(name, description=None):
    return _described({"$ref": f"#/components/schemas/{name}"}, description)


def array(items, description=None):
    return _described({"type": "array", "items": items}, description)


def nullable(schema):
    """The schema, or null."""
    if "$ref" in schema:
        return {"oneOf": [{"$ref": schema["$ref"]}, {"type": "null"}],
                **{k: v for k, v in schema.items() if k != "$ref"}}
    schema = {**schema, "type": [schema["type"], "null"]}
    if "enum" in schema:
        schema["enum"] = [*schema["enum"], None]
    return schema


def obj(description=None, /, optional=(), **properties):
    """An object whose properties are all present (nullable ones may be null) except the optional ones."""
    schema = {"type": "object", "properties": properties,
              "required": [name for name in properties if name not in optional]}
    return _described(schema, description)


def _described(schema, description):
    return {**schema, "description": description} if description is not None else schema


def money(description=None):
    return text(description, pattern=r"^-?[0-9]+\.[0-9]{2}$", examples=["2750000.00"])


def utc(description=None):
    return text(description, format="date-time", examples=["2027-02-14T04:00:00Z"])


def local(description=None):
    return text(description, format="date-time", examples=["2027-02-14T10:00:00+06:00"])


def url(description=None):
    return text(description, format="uri")


def day(description=None):
    return text(description, format="date", examples=["2026-12-24"])


# --- components ------------------------------------------------------------------------

ERROR_CODES = ("bad_request", "not_found", "results_hidden", "method_not_allowed", "rate_limited", "server_error")
PUBLIC_PHASES = [phase for phase in Phase if phase != Phase.DRAFT]
PUBLIC_ROUND_STATUSES = [RoundStatus.OPEN, RoundStatus.CLOSED]
COUNT_BY_CHANNEL = {"type": "object", "propertyNames": {"enum": [c.value for c in Channel]},
                    "additionalProperties": {"type": "integer", "minimum": 0}}


def components():
    """Schema name -> JSON Schema; descriptions are lazy, in the language they are rendered in."""
    names = obj(slug=text(_l("The municipality's short name in addresses.")),
                name_ky=text(_l("Name in Kyrgyz.")), name_ru=text(_l("Name in Russian.")))
    links = {name: url() for name in ("self", "page")}
    return {
        "Error": obj(
            _l("What went wrong, in the language of the request (Accept-Language)."),
            error=obj(
                optional=("parameter",),
                code=enum(ERROR_CODES, _l("A stable code for programs.")),
                message=text(_l("A message for people.")),
                parameter=text(_l("The query parameter at fault, for a bad request.")),
            ),
        ),
        "MunicipalityRef": names,
        "VillageRef": obj(id=integer(minimum=1), name=text()),
        "Village": obj(
            id=integer(minimum=1), name=text(), population=integer(),
            registered_voters=integer(_l("Registered voters: one of the weights of a village's share.")),
            revenue_contribution=money(_l("The village's contribution to the local budget's revenue.")),
        ),
        "Municipality": obj(
            _l("An aiyl okmotu or a city, with its villages."),
            **names["properties"],
            kind=enum(MunicipalityKind), oblast=enum(Oblast), rayon=text(_l("District (rayon).")),
            population=integer(), villages=array(ref("Village")),
            links=obj(**links, budgets=url()),
        ),
        "CategoryTotal": obj(category=enum(Category), proposed=money(), approved_last_year=money()),
        "Totals": obj(
            _l("Sums of the budget's current lines."),
            revenue=money(_l("Proposed revenue.")),
            expenditure=money(_l("Proposed expenditure.")),
            balance=money(_l("Revenue minus expenditure; negative for a deficit.")),
            revenue_last_year=money(_l("Revenue approved last year.")),
            expenditure_last_year=money(_l("Expenditure approved last year.")),
            executed_expenditure_last_year=money(_l("Expenditure actually spent last year.")),
            expenditure_by_category=array(ref("CategoryTotal"), _l("Largest first.")),
        ),
        "Budget": obj(
            _l("The budget of a fiscal year. Drafts are not public and never appear."),
            id=integer(minimum=1), municipality=ref("MunicipalityRef"), fiscal_year=integer(minimum=2000),
            phase=enum(PUBLIC_PHASES, _l("Where the budget is in its cycle.")),
            summary_ky=text(_l("The group's plain-language summary, in Kyrgyz.")),
            summary_ru=text(_l("The group's plain-language summary, in Russian.")),
            totals=ref("Totals"),
            versions=array(obj(number=integer(minimum=1), phase=enum(Phase), published_at=utc(), comment=text()),
                           _l("Each published, unchangeable snapshot of the lines.")),
            phase_history=array(obj(**{"from": enum(Phase), "to": enum(Phase), "at": utc()}),
                                _l("Every change of phase, oldest first.")),
            approval=nullable(ref("Approval", _l("The local council's decision approving the budget; null until "
                                                 "it is approved."))),
            links=obj(**links, lines=url(), proposals=url(), rounds=url()),
        ),
        "Approval": obj(
            _l("The local council's decision approving the budget, as its minutes record it."),
            session_number=text(_l("The council's session, e.g. XXIV.")),
            session_date=day(_l("The day of the session.")),
            decision_number=text(_l("The decision's number; empty if none was given.")),
            decision_text=text(_l("The decision's text; empty if none was given.")),
            lines_added=integer(_l("Expenditure lines made from the proposals the voting selected.")),
            version=nullable(integer(_l("The number of the published version the council approved."), minimum=1)),
            recorded_at=utc(_l("When the decision was recorded on the platform.")),
        ),
        "Line": obj(
            _l("A revenue or expenditure line of the budget, by the national classification."),
            id=integer(minimum=1), kind=enum(LineKind), code=text(_l("Classification code.")),
            name_ky=text(), name_ru=text(), category=enum(Category),
            approved_last_year=money(_l("Approved last year.")),
            executed_last_year=money(_l("Executed last year.")),
            proposed=money(_l("Proposed for this year.")),
            note=text(_l("The group's plain-language note.")),
            proposal_id=nullable(integer(_l("The residents' proposal this line was made from when the council "
                                            "approved the budget; null for the other lines."), minimum=1)),
            links=obj(page=url(), proposal=nullable(url(_l("The proposal in this API, or null.")))),
        ),
        "Proposal": obj(
            _l("A residents' proposal. Authors appear by their display name only, as on the proposal's page."),
            id=integer(minimum=1), budget_id=integer(minimum=1), title=text(), description=text(),
            village=ref("VillageRef"), category=enum(Category), estimated_cost=money(),
            contribution_money=money(_l("Residents' contribution in money.")),
            contribution_labour=text(_l("Residents' contribution in labour, in words.")),
            status=enum(Status), status_reason=text(_l("Why the status was given, when a reason was required.")),
            status_history=array(obj(**{"from": nullable(enum(Status)), "to": enum(Status), "reason": text(),
                                        "at": utc()}), _l("Every change of status, oldest first.")),
            merged_into=nullable(integer(_l("The proposal this duplicate was merged into."), minimum=1)),
            support_count=integer(_l("Residents who support it.")),
            authors=array(text(), _l("Display names of the authors.")),
            submitted_at=utc(),
            photos=array(obj(url=url(), width=integer(minimum=1), height=integer(minimum=1))),
            links=obj(**links),
        ),
        "Location": obj(id=integer(minimum=1), name=text(), village_id=nullable(integer(minimum=1))),
        "Turnout": obj(
            _l("Counted ballots, live while the round is open."),
            total=integer(), by_channel=COUNT_BY_CHANNEL,
            by_location=array(obj(location=nullable(ref("Location")), total=integer(), by_channel=COUNT_BY_CHANNEL),
                              _l("Online ballots have no location (null).")),
            spoiled_papers=integer(),
            refused_submissions=integer(_l("Submissions refused and reported, not counted.")),
            codes_issued=integer(), codes_used=integer(),
        ),
        "Round": obj(
            _l("A voting round on a budget's proposals. Rounds in preparation never appear."),
            id=integer(minimum=1), budget_id=integer(minimum=1), municipality=ref("MunicipalityRef"), title=text(),
            status=enum(PUBLIC_ROUND_STATUSES), method=enum(Method),
            min_choices=nullable(integer(_l("Approval and ranking: the fewest proposals a ballot names."))),
            max_choices=nullable(integer(_l("Approval: the most proposals a ballot names."))),
            points=nullable(integer(_l("Cumulative: the points each voter spreads."))),
            rank_depth=nullable(integer(_l("Ranking: how many places a ballot ranks."))),
            amount=money(_l("The money to allocate.")), allocation_rule=enum(RULES),
            quota_basis=nullable(enum([basis for basis in BASES if basis],
                                      _l("Village quotas: what each village's share follows; null without quotas."))),
            channels=array(enum(Channel)), eligibility=enum(Eligibility),
            hide_counts=boolean(_l("Whether the counts stay hidden until the round closes.")),
            opens_at=local(), closes_at=local(), opened_at=nullable(utc()), closed_at=nullable(utc()),
            ballot=array(obj(proposal_id=integer(minimum=1), title=text(), village=ref("VillageRef"),
                             cost=money(_l("The cost as fixed when the round opened.")))),
            locations=array(ref("Location")), turnout=ref("Turnout"),
            results_published=boolean(_l("Whether the results can be read now.")),
            links=obj(**links, budget=url(), results=nullable(url())),
        ),
        "Results": obj(
            _l("The counts per proposal, highest score first (then lower cost, then id)."),
            round_id=integer(minimum=1), status=enum(PUBLIC_ROUND_STATUSES),
            final=boolean(_l("True once the round is closed; before that the counts are live.")),
            method=enum(Method), amount=money(), ballots=integer(_l("Counted ballots.")),
            proposals=array(obj(
                optional=("decision",),
                proposal=obj(id=integer(minimum=1), title=text(), village=ref("VillageRef")),
                cost=money(),
                ballots=integer(_l("Ballots that chose the proposal.")),
                score=integer(_l("Votes (approval, knapsack), points (cumulative), or ranking points.")),
                decision=obj(_l("Present once the round is closed: what its allocation rule decided."),
                             funded=boolean(_l("Whether the money goes to it.")),
                             order=nullable(integer(_l("1 for the first proposal the rule funded; null if not funded."),
                                                    minimum=1)),
                             kind=enum(REASON_KINDS, _l("The kind of reason, for programs.")),
                             reason=text(_l("Why, in plain words, with the figures, in the language asked for."))),
            )),
            links=obj(self=url(), round=url()),
        ),
    }
