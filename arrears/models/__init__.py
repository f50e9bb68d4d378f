"""arrears' models, one module per concern: money (the ledger's rows), cases (recovery work),
jobs (scheduled notices and their runs), imports (statement files imported in the background),
policy (the office's thresholds)."""

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
    BalanceState,
    Contribution,
    InterestRate,
    LedgerStamp,
    Payment,
)
from arrears.models.policy import Policy

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
    "DocumentTemplate",
    "EventKind",
    "ForceMajeureClaim",
    "Hold",
    "Instalment",
    "InterestRate",
    "JobRun",
    "LedgerStamp",
    "Payment",
    "Policy",
    "RecoveryCase",
    "Referral",
    "ReferralPurpose",
    "ReferralStatus",
    "Reminder",
    "Stage",
    "StatementUpload",
]
