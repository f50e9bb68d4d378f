"""Reminders: who gets a notice (DOMAIN.md rule 9), the reminder rows of a cycle, and the
letter a reminder carries.

Rows first, sending after: reminders are inserted with ON CONFLICT DO NOTHING (unique per
employer, cycle and kind), so a rerun inserts only what is missing and its summary counts
only that; ``arrears.jobs.delivery`` sends them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from arrears import ledger
from arrears.balances import BalanceRow, balances_as_of
from arrears.documents import letters as documents
from arrears.models import DocumentTemplate, Hold, InterestRate, Policy, Reminder
from arrears.selectors import employer_ledgers, interests_owed
from arrears.sessions.selectors import invitation_contexts
from participants.letterhead import Letterhead, letterhead
from participants.models import Employer

Kind = Reminder.Kind
Channel = Reminder.Channel
Status = Reminder.Status

# Rule 9: no notice to an employer that no longer exists.
NO_NOTICE_STATUSES = (Employer.Status.DISSOLVED, Employer.Status.BANKRUPT)

LETTER_KINDS = {
    Kind.NOTICE: DocumentTemplate.Kind.REMINDER_NOTICE,
    Kind.INVITATION: DocumentTemplate.Kind.SESSION_INVITATION,
    Kind.FORMAL_REQUEST: DocumentTemplate.Kind.FORMAL_REQUEST,
}


def notice_targets(
    on: date,
    *,
    policy: Policy | None = None,
    rows: Sequence[BalanceRow] | None = None,
    skip_held: bool = True,
) -> list[BalanceRow]:
    """Rule 9: the employers in arrears on ``on`` that get a notice, computed from the ledger
    (any date works): not dissolved or bankrupt, not on hold, not below the tolerance.
    ``skip_held`` False keeps those on hold (the weekly job applies its own settings)."""
    policy = policy or Policy.current()
    rows = balances_as_of(on, in_arrears=True) if rows is None else rows
    held = (
        set(Hold.objects.active_on(on).values_list("employer_id", flat=True))
        if skip_held
        else set()
    )
    return [
        row
        for row in rows
        if row.arrears > 0
        and row.arrears >= policy.notice_tolerance
        and row.status not in NO_NOTICE_STATUSES
        and row.employer_id not in held
    ]


_INSERT_REMINDERS = """
INSERT INTO arrears_reminder (employer_id, cycle, kind, channel, status, as_of, arrears,
                              interest, months_in_arrears, document, attempts, last_error,
                              created_at)
SELECT t.employer_id, %(cycle)s, %(kind)s,
       CASE WHEN e.email <> '' THEN %(email)s ELSE %(letter)s END,
       %(pending)s, %(on)s, t.arrears, t.interest, t.months, '', 0, '', %(now)s
FROM unnest(%(ids)s::bigint[], %(arrears)s::bigint[], %(interest)s::bigint[],
            %(months)s::integer[]) AS t (employer_id, arrears, interest, months)
JOIN participants_employer e ON e.id = t.employer_id
ON CONFLICT (employer_id, cycle, kind) DO NOTHING
RETURNING channel
"""


def create_reminders(
    *, kind: str, cycle: str, on: date, targets: Sequence[BalanceRow]
) -> Counter[str]:
    """One reminder per target for the cycle, by e-mail where the employer has an address,
    else a letter; those the cycle already has are left alone. Returns how many were
    inserted, per channel."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            _INSERT_REMINDERS,
            {
                "cycle": cycle,
                "kind": kind,
                "email": Channel.EMAIL,
                "letter": Channel.LETTER,
                "pending": Status.PENDING,
                "on": on,
                "now": timezone.now(),
                "ids": [t.employer_id for t in targets],
                "arrears": [t.arrears for t in targets],
                "interest": [t.interest for t in targets],
                "months": [t.months_in_arrears for t in targets],
            },
        )
        return Counter(channel for (channel,) in cursor.fetchall())


def reminder_letter(
    reminder: Reminder, rates: Sequence[ledger.Rate] | None = None
) -> documents.Letter:
    """The reminder's letter, with the employer's figures on its date from the ledger."""
    return reminder_letters([reminder], rates)[0]


def reminder_letters(
    reminders: Sequence[Reminder], rates: Sequence[ledger.Rate] | None = None
) -> list[documents.Letter]:
    """Each reminder's letter (``reminder_letter``), in order: the employers' ledgers, the
    interest they paid, their sessions, the wording and the letterheads are read once for
    them all, in a few queries whatever their number."""
    rates = rates or InterestRate.table()
    ledgers = employer_ledgers({r.employer_id for r in reminders})
    balances = {r.pk: ledger.balance_on(*ledgers[r.employer_id], r.as_of, rates) for r in reminders}
    paid: dict[tuple[date, int], int] = {}
    for on in {r.as_of for r in reminders}:
        charged = {r.employer_id: balances[r.pk].interest for r in reminders if r.as_of == on}
        paid |= {(on, pk): owed.paid for pk, owed in interests_owed(charged, on).items()}
    sessions: dict[tuple[str, int], dict[str, str]] = {}
    invitations = [r for r in reminders if r.kind == Kind.INVITATION]
    for cycle in {r.cycle for r in invitations}:
        invited = {r.employer_id for r in invitations if r.cycle == cycle}
        sessions |= {
            (cycle, pk): context for pk, context in invitation_contexts(invited, cycle).items()
        }
    words = {kind: documents.wording(kind) for kind in {LETTER_KINDS[r.kind] for r in reminders}}
    stated_rates = rates or ledger.DEFAULT_RATES  # as employer_context has it, read once
    heads: dict[int | None, Letterhead] = {}
    letters = []
    for reminder in reminders:
        employer = reminder.employer
        dues = ledgers[employer.pk][0]
        balance = balances[reminder.pk]
        oldest_due_on = next(
            (due.due_on for due in dues if due.period == balance.oldest_unpaid_period), None
        )
        if employer.office_id not in heads:
            heads[employer.office_id] = letterhead(employer.office if employer.office_id else None)
        context = documents.employer_context(
            employer,
            balance,
            oldest_due_on=oldest_due_on,
            rates=stated_rates,
            interest_paid=paid[(reminder.as_of, employer.pk)],
            head=heads[employer.office_id],
        )
        if reminder.kind == Kind.INVITATION:  # when, where, what to bring, whom to contact
            context |= sessions.get((reminder.cycle, employer.pk), {})
        kind = LETTER_KINDS[reminder.kind]
        letters.append(
            documents.compose(
                kind, context, on=reminder.as_of, recipient=employer.name, words=words[kind]
            )
        )
    return letters
