"""Imports every model so that metadata (and Alembic) sees the whole schema."""
from pb.accounts.models import MunicipalRole, User  # noqa: F401
from pb.audit.models import AuditEntry  # noqa: F401
from pb.budgets.execution_models import ExecutionFigure  # noqa: F401
from pb.budgets.models import Budget, BudgetApproval, BudgetLine, BudgetVersion, PhaseChange  # noqa: F401
from pb.comments.models import Comment, CommentReport, ModerationAction  # noqa: F401
from pb.groups.models import CivicGroup, GroupMember  # noqa: F401
from pb.places.models import Municipality, Village  # noqa: F401
from pb.proposals.models import Proposal, ProposalAuthor, ProposalPhoto, ProposalStatusChange, ProposalSupport  # noqa: F401
from pb.notifications.models import Follow, Notification  # noqa: F401
from pb.hearings.models import (  # noqa: F401
    AgendaItem, Attendance, Hearing, HearingDecision, HearingProposal, HearingQuestion, MinutesRevision,
)
from pb.voting.models import (  # noqa: F401
    Ballot, BallotChoice, CodeBatch, Kiosk, PaperEntry, RefusedBallot, RoundProposal, RoundVoter, VotingCode,
    VotingLocation, VotingRound,
)
from pb.monitoring.models import Implementation, Milestone, MonitoringPhoto, MonitoringReport  # noqa: F401
