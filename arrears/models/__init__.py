"""arrears' models, one module per concern: money (the ledger's rows), cases (recovery work),
jobs (scheduled notices and their runs), policy (the office's thresholds), plan (what each
office is to collect)."""

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
    CreditMove,
    InterestRate,
    LedgerStamp,
    Payment,
)
from arrears.models.plan import CollectionPlan
from arrears.models.policy import Policy

__all__ = [
    "ENDINGS",
    "LADDER",
    "Attachment",
    "Balance",
    "BalanceState",
    "CaseEvent",
    "CollectionPlan",
    "Commitment",
    "CommitmentKind",
    "Contribution",
    "CreditMove",
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
]
