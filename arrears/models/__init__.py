"""arrears' models, one module per concern: money (the ledger's rows), cases (recovery work),
jobs (scheduled notices and their runs), policy (the office's thresholds), partners (liaisons'
notices), register (numbered documents)."""

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
from arrears.models.jobs import Hold, JobRun, Reminder
from arrears.models.money import (
    Balance,
    BalanceState,
    Contribution,
    InterestRate,
    LedgerStamp,
    Payment,
)
from arrears.models.partners import ReferralNotice
from arrears.models.policy import Policy
from arrears.models.register import DocumentKind, IssuedDocument, RegisterCounter

__all__ = [
    "ENDINGS",
    "LADDER",
    "Attachment",
    "Balance",
    "BalanceState",
    "CaseEvent",
    "Commitment",
    "CommitmentKind",
    "Contribution",
    "Decision",
    "DocumentKind",
    "DocumentTemplate",
    "EventKind",
    "ForceMajeureClaim",
    "Hold",
    "Instalment",
    "InterestRate",
    "IssuedDocument",
    "JobRun",
    "LedgerStamp",
    "Payment",
    "Policy",
    "RecoveryCase",
    "Referral",
    "ReferralNotice",
    "ReferralPurpose",
    "ReferralStatus",
    "RegisterCounter",
    "Reminder",
    "Stage",
]
