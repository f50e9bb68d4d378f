"""arrears' models, one module per concern: money (the ledger's rows), cases (recovery work),
jobs (scheduled notices and their runs), policy (the office's thresholds), sessions (the
working-session calendar, bookings, minutes), workload (hand-overs, stage moves awaiting
approval), partners (liaisons' notices), register (numbered documents), imports (statement
files imported in the background), plan (what each office is to collect)."""

from arrears.models.cases import (
    ENDINGS,
    LADDER,
    Attachment,
    CaseEvent,
    Commitment,
    CommitmentKind,
    Decision,
    DocumentTemplate,
    EventKind,
    ForceMajeureClaim,
    Instalment,
    RecoveryCase,
    Referral,
    ReferralPurpose,
    ReferralStatus,
    Stage,
)
from arrears.models.imports import StatementUpload
from arrears.models.jobs import Hold, JobRun, Reminder
from arrears.models.money import (
    Balance,
    BalanceChange,
    BalancePiece,
    BalancePrefix,
    BalanceState,
    Contribution,
    CreditMove,
    InterestRate,
    LedgerStamp,
    Payment,
)
from arrears.models.partners import ReferralNotice
from arrears.models.plan import CollectionPlan
from arrears.models.policy import Policy
from arrears.models.register import DocumentKind, IssuedDocument, RegisterCounter
from arrears.models.sessions import (
    SEATED,
    UPCOMING,
    Agreement,
    Booking,
    BookingStatus,
    LadderProposal,
    ProposalCause,
    ProposalStatus,
    SessionMinutes,
    SessionPattern,
    SessionSlot,
)
from arrears.models.totals import BalanceTotal, BalanceTotalState
from arrears.models.workload import HandOver, StageRequest

__all__ = [
    "ENDINGS",
    "LADDER",
    "SEATED",
    "UPCOMING",
    "Agreement",
    "Attachment",
    "Balance",
    "BalanceChange",
    "BalancePiece",
    "BalancePrefix",
    "BalanceState",
    "BalanceTotal",
    "BalanceTotalState",
    "Booking",
    "BookingStatus",
    "CaseEvent",
    "CollectionPlan",
    "Commitment",
    "CommitmentKind",
    "Contribution",
    "CreditMove",
    "Decision",
    "DocumentKind",
    "DocumentTemplate",
    "EventKind",
    "ForceMajeureClaim",
    "HandOver",
    "Hold",
    "Instalment",
    "InterestRate",
    "IssuedDocument",
    "JobRun",
    "LadderProposal",
    "LedgerStamp",
    "Payment",
    "Policy",
    "ProposalCause",
    "ProposalStatus",
    "RecoveryCase",
    "Referral",
    "ReferralNotice",
    "ReferralPurpose",
    "ReferralStatus",
    "RegisterCounter",
    "Reminder",
    "SessionMinutes",
    "SessionPattern",
    "SessionSlot",
    "Stage",
    "StageRequest",
    "StatementUpload",
]
