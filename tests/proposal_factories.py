"""Proposals and images for tests; every factory takes overrides."""
import io
from decimal import Decimal

from PIL import Image

from pb.budgets.states import Category
from pb.extensions import db
from pb.proposals.models import Proposal, ProposalAuthor, ProposalStatusChange, ProposalSupport
from pb.proposals.states import Status
from tests import factories as f


def make_proposal(budget, author=None, village=None, status=Status.SUBMITTED, **overrides):
    """A proposal of the budget written directly (no audit, no notification), with its author row."""
    author = author or f.make_user()
    village = village or (budget.municipality.villages[0] if budget.municipality.villages
                          else f.make_village(budget.municipality))
    values = dict(title="Арык оңдоо", description="Айылдын арыгын тазалоо жана оңдоо.", category=Category.WATER,
                  estimated_cost=Decimal("250000"), contribution_money=Decimal("20000"),
                  contribution_labour="10 киши × 5 күн")
    values.update(overrides)
    proposal = Proposal(budget_id=budget.id, municipality_id=budget.municipality_id, village_id=village.id,
                        author_id=author.id, status=status, **values)
    proposal.authors.append(ProposalAuthor(user_id=author.id))
    proposal.status_changes.append(ProposalStatusChange(from_status=None, to_status=Status.SUBMITTED,
                                                        actor_id=author.id))
    db.session.add(proposal)
    db.session.commit()
    return proposal


def add_supports(proposal, count=None, users=()):
    """Supports by the given users, or by count new ones."""
    users = list(users) or [f.make_user() for _ in range(count or 0)]
    for user in users:
        db.session.add(ProposalSupport(proposal_id=proposal.id, user_id=user.id))
    db.session.commit()
    return users


def proposal_data(village, **overrides):
    """The fields of the submission form, valid unless overridden."""
    data = dict(title="Көчө жарыгы", description="Мектепке баруучу көчөгө 12 чырак.", village_id=str(village.id),
                category="lighting", estimated_cost="180000", contribution_money="15000",
                contribution_labour="8 киши × 3 күн")
    data.update(overrides)
    return data


def image_bytes(fmt="JPEG", size=(64, 48), mode="RGB", color=(200, 30, 30), exif=None):
    """A real image made with Pillow, optionally carrying EXIF (e.g. GPS) to be removed."""
    image = Image.new(mode, size, color)
    out = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(out, fmt, **kwargs)
    return out.getvalue()


def gps_exif():
    """EXIF with a camera model and a GPS position, as phones write it."""
    exif = Image.Exif()
    exif[0x0110] = "Phone X"  # Model
    exif[0x0112] = 1  # Orientation
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (42.0, 31.0, 0.0)
    gps[3], gps[4] = "E", (72.0, 14.0, 0.0)
    return exif
