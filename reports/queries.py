"""One function per report, each returning plain rows for the screens and the exporters.

Every figure is aggregated by PostgreSQL in one statement (or a few), never a query per row.
Scope: ``user`` limits the employers to ``Employer.objects.in_scope(user)``; ``user=None`` is
the whole province (commands and tasks run by the office itself). The filters every report
takes (``district``, ``ownership``, ``industrial_zone``, ``status``) narrow the employers.

Two identities of the ledger (DOMAIN.md rules 2-3) let several reports skip the per-
contribution allocation of ``arrears.balances``: payments settle the oldest period first and
due dates rise with the period, so the contributions past due on D are the first ones in
period order and

- an employer's arrears on D are ``max(0, due(D) - paid(D))``, with ``due(D)`` the total of
  its contributions due before D and ``paid(D)`` of its payments dated on or before D;
- the unpaid part of its *latest* past-due contributions (those due since some date) is the
  smaller of their total and the employer's arrears.

The tests check both against ``balances_as_of`` on the samples.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Agency, User
from arrears.balances import BalanceRow, current_balances, current_balances_sql, scope_sql
from arrears.jobs.services import week_cycle
from arrears.law import EVASION_DAYS
from arrears.ledger import Bucket
from arrears.models import Balance, Contribution, EventKind, Referral, Reminder, Stage
from desk.collation import vietnamese_key
from participants.models import District, Employer
from reports.coverage import share

# The filters every report page offers, as Employer fields.
FILTERS = ("district", "ownership", "industrial_zone", "status")
HARD_TO_COLLECT = tuple(str(status) for status in Employer.HARD_TO_COLLECT)
AGING_BUCKETS = (Bucket.UNDER_3, Bucket.FROM_3_TO_6, Bucket.FROM_6_TO_12, Bucket.OVER_12)
# Their labels, as the Balance table names them.
BUCKET_LABELS = dict(Balance._meta.get_field("bucket").flatchoices)


def employers_for(user: User | None, **filters: Any) -> QuerySet[Employer] | None:
    """The employers a report covers: ``user``'s scope narrowed by the filters given (empty
    values ignored). None for the whole province unfiltered, so that SQL can skip the test."""
    chosen = {
        name: value
        for name, value in filters.items()
        if name in FILTERS and value not in (None, "")
    }
    if user is None and not chosen:
        return None
    employers = Employer.objects.all() if user is None else Employer.objects.in_scope(user)
    return employers.filter(**chosen)


def _fetch(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --------------------------------------------------------------------------------------------
# employer_balances


def employer_balances(
    *,
    on: date,
    user: User | None,
    district: District | int | None = None,
    ownership: str | None = None,
    industrial_zone: str | None = None,
    status: str | None = None,
) -> list[BalanceRow]:
    """Every employer's arrears, months, oldest unpaid period, interest and bucket on ``on``,
    as the ledger has them (``current_balances``: the Balance table when it holds that
    day's figures), largest arrears first. Scoped to what ``user`` may see; ``user=None`` is
    the whole province (commands run by the office itself)."""
    employers = employers_for(
        user,
        district=district,
        ownership=ownership,
        industrial_zone=industrial_zone,
        status=status,
    )
    return current_balances(on, employers=employers)


def employer_count(*, user: User | None, **filters: Any) -> int:
    """How many rows an employer-level report may have: for the page's choice between a
    direct download and a background export."""
    employers = employers_for(user, **filters)
    return (Employer.objects if employers is None else employers).count()


# --------------------------------------------------------------------------------------------
# aging


@dataclass(frozen=True)
class AgingRow:
    group: str
    employers_in_arrears: int
    workers: int  # rule 7, of the employers in arrears
    under_3: int
    from_3_to_6: int
    from_6_to_12: int
    over_12: int
    arrears: int
    interest: int  # of every employer of the group, as employer_balances sums it
    is_total: bool = False


AGING_GROUPS = ("district", "ownership", "industrial_zone", "status")

_AGING_SQL = """
SELECT {key}, count(*) FILTER (WHERE b.arrears > 0),
       coalesce(sum(b.employees) FILTER (WHERE b.arrears > 0), 0),
       coalesce(sum(b.arrears) FILTER (WHERE b.bucket = %(under_3)s), 0),
       coalesce(sum(b.arrears) FILTER (WHERE b.bucket = %(from_3_to_6)s), 0),
       coalesce(sum(b.arrears) FILTER (WHERE b.bucket = %(from_6_to_12)s), 0),
       coalesce(sum(b.arrears) FILTER (WHERE b.bucket = %(over_12)s), 0),
       coalesce(sum(b.arrears), 0), coalesce(sum(b.interest), 0)
FROM ({balances}) AS b (employer_id, unit_code, name, district, status, employees, arrears,
                        months, oldest, interest, bucket)
JOIN participants_employer e ON e.id = b.employer_id
GROUP BY 1
"""


def _group_labels(by: str) -> tuple[dict[str, str], list[str]]:
    """Labels of an aging grouping's values and their order (choices in their own order)."""
    if by == "ownership":
        choices = Employer.Ownership.choices
    elif by == "status":
        choices = Employer.Status.choices
    else:
        return {}, []
    return {value: str(label) for value, label in choices}, [value for value, _l in choices]


def aging(*, on: date, user: User | None, by: str = "district", **filters: Any) -> list[AgingRow]:
    """Arrears on ``on`` by age (rule 6) per district, or per ownership, industrial zone or
    status (``by``): employers in arrears, their workers, arrears in each bucket, total and
    interest. Summed over the groups they equal employer_balances' totals."""
    if by not in AGING_GROUPS:
        raise ValueError(f"aging by {by!r}")
    key = {"district": "b.district", "status": "b.status"}.get(by, f"e.{by}")
    balances = current_balances_sql(on, employers_for(user, **filters))
    sql = _AGING_SQL.format(key=key, balances=balances)
    params = {
        "on": on,
        "under_3": Bucket.UNDER_3.value,
        "from_3_to_6": Bucket.FROM_3_TO_6.value,
        "from_6_to_12": Bucket.FROM_6_TO_12.value,
        "over_12": Bucket.OVER_12.value,
    }
    labels, order = _group_labels(by)
    found = _fetch(sql, params)
    if order:
        found.sort(key=lambda r: order.index(r[0]) if r[0] in order else len(order))
    else:
        found.sort(key=lambda r: (r[0] == "", vietnamese_key(r[0] or "")))
    outside = _("Ngoài khu công nghiệp")
    return [
        AgingRow(labels.get(value, value or outside), *map(int, figures))
        for value, *figures in found
    ]


def aging_totals(rows: Sequence[AgingRow]) -> AgingRow | None:
    if not rows:
        return None
    figures = [f.name for f in fields(AgingRow)][1:-1]
    return AgingRow(
        _("Tổng cộng"), *(sum(getattr(r, name) for r in rows) for name in figures), is_total=True
    )


# --------------------------------------------------------------------------------------------
# recovery_by_agency


@dataclass(frozen=True)
class AgencyRecovery:
    agency: str  # its code
    agency_name: str
    units: int
    workers: int
    arrears_at_referral: int
    recovered: int
    recovery_rate: Decimal | None
    is_total: bool = False


_RECOVERY_SQL = """
WITH sent AS (
    SELECT r.id, r.agency_id, c.employer_id, r.sent_on,
           coalesce(r.arrears_at_referral, 0) AS arrears,
           coalesce(r.employees_at_referral, 0) AS workers
    FROM arrears_referral r
    JOIN arrears_recoverycase c ON c.id = r.case_id
    WHERE r.sent_on IS NOT NULL AND r.sent_on <= %(on)s AND {agency} AND {scope}
),
recovered AS (
    SELECT s.id, least(s.arrears, coalesce(sum(p.amount), 0)) AS amount
    FROM sent s
    LEFT JOIN arrears_payment p ON p.employer_id = s.employer_id
                               AND p.paid_on > s.sent_on AND p.paid_on <= %(on)s
    GROUP BY s.id, s.arrears
),
-- Each employer's workers once per agency: those of its latest referral there.
workers AS (
    SELECT DISTINCT ON (agency_id, employer_id) agency_id, workers
    FROM sent ORDER BY agency_id, employer_id, sent_on DESC, id DESC
)
SELECT a.code, a.name, count(DISTINCT s.employer_id),
       (SELECT coalesce(sum(w.workers), 0) FROM workers w WHERE w.agency_id = a.id),
       sum(s.arrears), sum(rec.amount)
FROM sent s
JOIN recovered rec ON rec.id = s.id
JOIN accounts_agency a ON a.id = s.agency_id
GROUP BY a.id, a.code, a.name
ORDER BY a.name
"""


def recovery_by_agency(*, on: date, user: User | None, **filters: Any) -> list[AgencyRecovery]:
    """DOMAIN.md rule 8 per agency, for the referrals sent by ``on``: units (distinct
    employers), workers (each employer's workers at its latest referral to the agency),
    arrears at referral, recovered (per referral the smaller of its arrears at referral and
    the employer's payments after the referral date up to ``on``, then summed) and
    recovered / arrears at referral. A liaison sees their own agency only."""
    agency = "TRUE"
    if user is not None and user.is_liaison:
        agency = f"r.agency_id = {int(user.agency_id)}"
    sql = _RECOVERY_SQL.format(
        agency=agency, scope=scope_sql(employers_for(user, **filters), "c.employer_id")
    )
    return [
        AgencyRecovery(
            code,
            name,
            units,
            workers,
            int(arrears),
            int(recovered),
            share(int(recovered), int(arrears)),
        )
        for code, name, units, workers, arrears, recovered in _fetch(sql, {"on": on})
    ]


def recovery_totals(rows: Sequence[AgencyRecovery]) -> AgencyRecovery | None:
    """All agencies: units and workers are added up (an employer referred to two agencies
    counts in both)."""
    if not rows:
        return None
    arrears = sum(r.arrears_at_referral for r in rows)
    recovered = sum(r.recovered for r in rows)
    return AgencyRecovery(
        "",
        _("Tổng cộng"),
        sum(r.units for r in rows),
        sum(r.workers for r in rows),
        arrears,
        recovered,
        share(recovered, arrears),
        is_total=True,
    )


# --------------------------------------------------------------------------------------------
# case_pipeline

STAGE_ORDER = list(Stage.values)


@dataclass(frozen=True)
class PipelineRow:
    district: str
    stage: str  # its code
    stage_name: str
    cases: int
    arrears_at_opening: int
    recovered: int
    recovery_rate: Decimal | None
    is_total: bool = False


_PIPELINE_SQL = """
SELECT d.name, c.stage, count(*), coalesce(sum(c.arrears_at_opening), 0),
       coalesce(sum(least(c.arrears_at_opening, coalesce(paid.amount, 0))), 0)
FROM arrears_recoverycase c
JOIN participants_employer e ON e.id = c.employer_id
JOIN participants_district d ON d.id = e.district_id
LEFT JOIN LATERAL (
    SELECT sum(p.amount) AS amount FROM arrears_payment p
    WHERE p.employer_id = c.employer_id AND p.paid_on > c.opened_on AND p.paid_on <= %(on)s
) AS paid ON TRUE
WHERE c.opened_on <= %(on)s AND {scope}
GROUP BY d.name, c.stage
"""


def case_pipeline(*, on: date, user: User | None, **filters: Any) -> list[PipelineRow]:
    """Cases opened by ``on`` by district and stage (the stage they are at now): how many,
    their arrears at opening, and what came back since (rule 8 from the opening date: per
    case the smaller of its arrears at opening and the payments after it up to ``on``)."""
    sql = _PIPELINE_SQL.format(scope=scope_sql(employers_for(user, **filters), "c.employer_id"))
    labels = dict(Stage.choices)
    found = sorted(
        _fetch(sql, {"on": on}), key=lambda r: (vietnamese_key(r[0]), STAGE_ORDER.index(r[1]))
    )
    return [
        PipelineRow(
            name,
            stage,
            str(labels[stage]),
            cases,
            int(opening),
            int(recovered),
            share(int(recovered), int(opening)),
        )
        for name, stage, cases, opening, recovered in found
    ]


def pipeline_totals(rows: Sequence[PipelineRow]) -> PipelineRow | None:
    if not rows:
        return None
    opening = sum(r.arrears_at_opening for r in rows)
    recovered = sum(r.recovered for r in rows)
    return PipelineRow(
        _("Tổng cộng"),
        "",
        "",
        sum(r.cases for r in rows),
        opening,
        recovered,
        share(recovered, opening),
        is_total=True,
    )


# --------------------------------------------------------------------------------------------
# reminders


@dataclass(frozen=True)
class ReminderRow:
    cycle: str
    unit_code: str
    name: str
    district: str
    kind: str
    channel: str
    status: str
    arrears: int
    months_in_arrears: int
    interest: int
    sent_on: date | None  # the day it went out, in the province


def _week_reminders(on: date, user: User | None, filters: dict[str, Any]) -> QuerySet[Reminder]:
    found = Reminder.objects.filter(
        cycle=week_cycle(on), kind__in=[Reminder.Kind.NOTICE, Reminder.Kind.INVITATION]
    )
    employers = employers_for(user, **filters)
    return found if employers is None else found.filter(employer__in=employers)


def reminders(*, on: date, user: User | None, **filters: Any) -> list[ReminderRow]:
    """The notices and working-session invitations of the ISO week holding ``on``, by
    district and unit code, with the figures they stated."""
    kinds, channels = dict(Reminder.Kind.choices), dict(Reminder.Channel.choices)
    statuses = dict(Reminder.Status.choices)
    found = (
        _week_reminders(on, user, filters)
        .order_by("employer__district__name", "employer__unit_code", "kind")
        .values_list(
            "cycle",
            "employer__unit_code",
            "employer__name",
            "employer__district__name",
            "kind",
            "channel",
            "status",
            "arrears",
            "months_in_arrears",
            "interest",
            "sent_at",
        )
    )
    return [
        ReminderRow(
            *values[:4],
            str(kinds[values[4]]),
            str(channels[values[5]]),
            str(statuses[values[6]]),
            *values[7:10],
            timezone.localdate(values[10]) if values[10] else None,
        )
        for values in found
    ]


def reminder_count(*, on: date, user: User | None, **filters: Any) -> int:
    return _week_reminders(on, user, filters).count()


# --------------------------------------------------------------------------------------------
# publication: late and evading employers

# Rule 10 over every employer at once (law.evasion_periods one employer at a time): the past-
# due contributions still unpaid on D more than 60 days after their deadline, after a
# reminder sent between that deadline and D, outside any accepted force-majeure claim. A
# reminder's date is the day it was sent in the province (or its as-of date).
_EVASION_SQL = """
WITH paid AS (
    SELECT p.employer_id, sum(p.amount) AS amount FROM arrears_payment p
    WHERE p.paid_on <= %(on)s AND {payment_scope}
    GROUP BY p.employer_id
),
dues AS (
    SELECT c.employer_id, c.period, c.due_on, c.total,
           sum(c.total) OVER (PARTITION BY c.employer_id ORDER BY c.period
                              ROWS UNBOUNDED PRECEDING) - c.total AS before
    FROM arrears_contribution c
    WHERE c.due_on < %(on)s AND {contribution_scope}
),
reminded AS (
    SELECT r.employer_id,
           coalesce((r.sent_at AT TIME ZONE %(tz)s)::date, r.as_of) AS day
    FROM arrears_reminder r
    WHERE r.status = 'sent' AND {reminder_scope}
)
SELECT d.employer_id, count(*), min(d.period)
FROM dues d
LEFT JOIN paid ON paid.employer_id = d.employer_id
WHERE d.due_on < %(on)s::date - %(days)s
  AND d.total - least(d.total, greatest(0, coalesce(paid.amount, 0) - d.before)) > 0
  AND EXISTS (SELECT 1 FROM reminded r WHERE r.employer_id = d.employer_id
                                         AND r.day > d.due_on AND r.day <= %(on)s)
  AND NOT EXISTS (SELECT 1 FROM arrears_forcemajeureclaim f
                  WHERE f.employer_id = d.employer_id AND f.decision = 'accepted'
                    AND d.period BETWEEN f.first_period AND f.last_period)
GROUP BY d.employer_id
"""


def evasion_by_employer(
    on: date, employers: QuerySet[Employer] | None = None
) -> dict[int, tuple[int, date]]:
    """Rule 10 for many employers in one query: employer id -> (how many periods are evasion
    on ``on``, the earliest of them); employers with none are absent."""
    sql = _EVASION_SQL.format(
        payment_scope=scope_sql(employers, "p.employer_id"),
        contribution_scope=scope_sql(employers, "c.employer_id"),
        reminder_scope=scope_sql(employers, "r.employer_id"),
    )
    params = {"on": on, "tz": settings.TIME_ZONE, "days": EVASION_DAYS}
    return {employer: (count, first) for employer, count, first in _fetch(sql, params)}


@dataclass(frozen=True)
class PublicationRow:
    unit_code: str
    name: str
    tax_code: str
    address: str
    district: str
    arrears: int
    months_in_arrears: int
    oldest_unpaid_period: date | None
    violation: str  # "Chậm đóng" or "Trốn đóng"
    evasion_months: int


_PUBLICATION_SQL = """
SELECT b.employer_id, b.unit_code, b.name, e.tax_code, e.address, b.district, b.arrears,
       b.months, b.oldest
FROM ({balances}) AS b (employer_id, unit_code, name, district, status, employees, arrears,
                        months, oldest, interest, bucket)
JOIN participants_employer e ON e.id = b.employer_id
WHERE b.arrears > 0
ORDER BY b.arrears DESC, b.unit_code
"""


def publication(*, on: date, user: User | None, **filters: Any) -> list[PublicationRow]:
    """The employers in arrears on ``on`` as the office publishes them on its portal
    (Decree 274 Art. 35): name, tax code, address, amount, months, and whether it is late
    payment or evasion (rule 10: at least one period is evasion), largest first."""
    employers = employers_for(user, **filters)
    evasion = evasion_by_employer(on, employers)
    late, evading = _("Chậm đóng"), _("Trốn đóng")
    rows = []
    for employer_id, *values in _fetch(
        _PUBLICATION_SQL.format(balances=current_balances_sql(on, employers)), {"on": on}
    ):
        periods = evasion.get(employer_id, (0, None))[0]
        rows.append(
            PublicationRow(*values, violation=evading if periods else late, evasion_months=periods)
        )
    return rows


# --------------------------------------------------------------------------------------------
# late_rate, and the year's figures the dashboard shares


@dataclass(frozen=True)
class YearFigures:
    """An area's figures on D for the year of D, all whole đồng.

    - ``receivable``: contributions whose deadline passed in the year up to D (deadlines from
      31/12 of the year before, which passes on 1/1, to the day before D);
    - ``arrears``: rule 3 on D; ``hard_to_collect`` those of employers suspended, awaiting
      dissolution, dissolved, bankrupt or absconded (Employer.HARD_TO_COLLECT);
    - ``under_one_month``: of the other employers, the unpaid part of contributions whose
      deadline was less than a calendar month before D (due on or after D - 1 month);
    - ``opening_arrears``: rule 3 on 31/12 of the year before; ``recovered``: per employer
      the smaller of those and its payments from 1/1 to D (rule 8 from 31/12), summed.
    """

    receivable: int = 0
    arrears: int = 0
    under_one_month: int = 0
    hard_to_collect: int = 0
    opening_arrears: int = 0
    recovered: int = 0
    employers_in_arrears: int = 0

    def __add__(self, other: YearFigures) -> YearFigures:
        return YearFigures(
            *(getattr(self, f.name) + getattr(other, f.name) for f in fields(YearFigures))
        )

    @property
    def actionable(self) -> int:
        """Ho Chi Minh City's "actionable arrears": the total less debt under one month and
        hard-to-collect debt."""
        return self.arrears - self.under_one_month - self.hard_to_collect

    @property
    def late_rate(self) -> Decimal | None:
        return share(self.arrears, self.receivable)

    @property
    def recovery_rate(self) -> Decimal | None:
        return share(self.recovered, self.opening_arrears)


def year_opening(on: date) -> date:
    """31/12 of the year before ``on``'s: the close the year's recovery is counted from."""
    return date(on.year - 1, 12, 31)


_YEAR_SQL = """
WITH dues AS (
    SELECT c.employer_id,
           sum(c.total) AS due,
           coalesce(sum(c.total) FILTER (WHERE c.due_on < %(opening)s), 0) AS due_at_opening,
           coalesce(sum(c.total) FILTER (WHERE c.due_on >= %(opening)s), 0) AS receivable,
           coalesce(sum(c.total) FILTER (WHERE c.due_on >= %(month_ago)s), 0) AS recent
    FROM arrears_contribution c
    WHERE c.due_on < %(on)s AND {contribution_scope}
    GROUP BY c.employer_id
),
paid AS (
    SELECT p.employer_id, sum(p.amount) AS paid,
           coalesce(sum(p.amount) FILTER (WHERE p.paid_on <= %(opening)s), 0) AS at_opening
    FROM arrears_payment p
    WHERE p.paid_on <= %(on)s AND {payment_scope}
    GROUP BY p.employer_id
),
positions AS (
    SELECT d.employer_id, d.receivable, d.recent,
           greatest(0, d.due - coalesce(p.paid, 0)) AS arrears,
           greatest(0, d.due_at_opening - coalesce(p.at_opening, 0)) AS opening,
           coalesce(p.paid, 0) - coalesce(p.at_opening, 0) AS paid_in_year
    FROM dues d LEFT JOIN paid p ON p.employer_id = d.employer_id
)
SELECT e.district_id,
       sum(x.receivable),
       sum(x.arrears),
       coalesce(sum(least(x.arrears, x.recent)) FILTER (WHERE NOT e.status = ANY(%(hard)s)), 0),
       coalesce(sum(x.arrears) FILTER (WHERE e.status = ANY(%(hard)s)), 0),
       sum(x.opening),
       sum(least(x.opening, x.paid_in_year)),
       count(*) FILTER (WHERE x.arrears > 0)
FROM positions x
JOIN participants_employer e ON e.id = x.employer_id
GROUP BY e.district_id
"""


def year_figures(on: date, employers: QuerySet[Employer] | None = None) -> dict[int, YearFigures]:
    """``YearFigures`` per district id on ``on``, for the employers given (all by default)."""
    sql = _YEAR_SQL.format(
        contribution_scope=scope_sql(employers, "c.employer_id"),
        payment_scope=scope_sql(employers, "p.employer_id"),
    )
    params = {
        "on": on,
        "opening": year_opening(on),
        "month_ago": _months_before(on, 1),
        "hard": list(HARD_TO_COLLECT),
    }
    return {
        district: YearFigures(*(int(v) for v in values))
        for district, *values in _fetch(sql, params)
    }


def _months_before(on: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the month's last day if shorter)."""
    year, month = divmod(on.year * 12 + on.month - 1 - months, 12)
    month += 1
    last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(on.day, last))


@dataclass(frozen=True)
class LateRateRow:
    area: str
    receivable: int
    arrears: int
    late_rate: Decimal | None
    under_one_month: int
    hard_to_collect: int
    actionable: int
    actionable_rate: Decimal | None
    is_total: bool = False

    @classmethod
    def of(cls, area: str, figures: YearFigures, *, is_total: bool = False) -> LateRateRow:
        return cls(
            area,
            figures.receivable,
            figures.arrears,
            figures.late_rate,
            figures.under_one_month,
            figures.hard_to_collect,
            figures.actionable,
            share(figures.actionable, figures.receivable),
            is_total=is_total,
        )


def late_rate(*, on: date, user: User | None, **filters: Any) -> list[LateRateRow]:
    """The late-payment rate as the national figures are reported (arrears over contributions
    receivable) and actionable arrears, per district on ``on``; ``late_rate_totals`` adds
    them up (the province, when every district is shown). ``YearFigures`` has the rules."""
    by_district = year_figures(on, employers_for(user, **filters))
    names = dict(District.objects.filter(pk__in=by_district).values_list("pk", "name"))
    return sorted(
        (LateRateRow.of(names[pk], figures) for pk, figures in by_district.items()),
        key=lambda r: r.area,
    )


def late_rate_totals(rows: Sequence[LateRateRow]) -> LateRateRow | None:
    if not rows:
        return None
    total = sum(
        (
            YearFigures(
                receivable=r.receivable,
                arrears=r.arrears,
                under_one_month=r.under_one_month,
                hard_to_collect=r.hard_to_collect,
            )
            for r in rows
        ),
        YearFigures(),
    )
    return LateRateRow.of(_("Tổng cộng"), total, is_total=True)


# --------------------------------------------------------------------------------------------
# effectiveness: which actions work

ACTION_KINDS = ("reminder", "invitation", "working_session", "inspection", "penalty_decision")
WINDOWS = (30, 90)


@dataclass(frozen=True)
class EffectivenessRow:
    section: str
    group: str
    units: int
    arrears_at_start: int
    recovered: int
    recovery_rate: Decimal | None
    paid_in_full_30: Decimal | None
    paid_in_full_90: Decimal | None


_EFFECTIVENESS_SQL = """
WITH
cases AS (
    SELECT c.employer_id, c.opened_on AS start, c.arrears_at_opening AS arrears,
           coalesce(c.officer_id::text, '') AS officer, e.district_id::text AS district,
           c.stage
    FROM arrears_recoverycase c
    JOIN participants_employer e ON e.id = c.employer_id
    WHERE c.opened_on <= %(on)s AND {case_scope}
),
actions AS (
    SELECT CASE WHEN r.kind = 'invitation' THEN 'invitation' ELSE 'reminder' END AS kind,
           r.employer_id, coalesce((r.sent_at AT TIME ZONE %(tz)s)::date, r.as_of) AS start
    FROM arrears_reminder r WHERE r.status = 'sent'
    UNION ALL
    SELECT ev.kind, c.employer_id, ev.occurred_on
    FROM arrears_caseevent ev JOIN arrears_recoverycase c ON c.id = ev.case_id
    WHERE ev.kind IN ('working_session', 'inspection', 'penalty_decision')
    UNION ALL
    SELECT 'referral:' || r.agency_id, c.employer_id, r.sent_on
    FROM arrears_referral r JOIN arrears_recoverycase c ON c.id = r.case_id
    WHERE r.sent_on IS NOT NULL
),
-- Each employer's first action of each kind: what it did to an employer not yet reached.
firsts AS (
    SELECT DISTINCT ON (kind, employer_id) kind, employer_id, start
    FROM actions a
    WHERE a.start <= %(on)s AND {action_scope}
    ORDER BY kind, employer_id, start
),
-- Arrears on the day of the action: max(0, due before it - paid by it).
acted AS (
    SELECT f.kind, f.employer_id, f.start,
           greatest(0, coalesce(due.amount, 0) - coalesce(paid.amount, 0)) AS arrears
    FROM firsts f
    LEFT JOIN LATERAL (
        SELECT sum(c.total) AS amount FROM arrears_contribution c
        WHERE c.employer_id = f.employer_id AND c.due_on < f.start
    ) AS due ON TRUE
    LEFT JOIN LATERAL (
        SELECT sum(p.amount) AS amount FROM arrears_payment p
        WHERE p.employer_id = f.employer_id AND p.paid_on <= f.start
    ) AS paid ON TRUE
),
units AS (
    SELECT 'officer' AS section, officer AS key, employer_id, start, arrears FROM cases
    UNION ALL SELECT 'district', district, employer_id, start, arrears FROM cases
    UNION ALL SELECT 'stage', stage, employer_id, start, arrears FROM cases
    UNION ALL SELECT 'action', kind, employer_id, start, arrears FROM acted WHERE arrears > 0
),
measured AS (
    SELECT u.section, u.key, u.start, u.arrears,
           coalesce(pay.after, 0) AS after, coalesce(pay.in_30, 0) AS in_30,
           coalesce(pay.in_90, 0) AS in_90
    FROM units u
    LEFT JOIN LATERAL (
        SELECT sum(p.amount) AS after,
               sum(p.amount) FILTER (WHERE p.paid_on <= u.start + 30) AS in_30,
               sum(p.amount) FILTER (WHERE p.paid_on <= u.start + 90) AS in_90
        FROM arrears_payment p
        WHERE p.employer_id = u.employer_id AND p.paid_on > u.start AND p.paid_on <= %(on)s
    ) AS pay ON TRUE
)
SELECT section, key, count(*), sum(arrears), sum(least(arrears, after)),
       count(*) FILTER (WHERE arrears > 0 AND start + 30 <= %(on)s),
       count(*) FILTER (WHERE arrears > 0 AND start + 30 <= %(on)s AND in_30 >= arrears),
       count(*) FILTER (WHERE arrears > 0 AND start + 90 <= %(on)s),
       count(*) FILTER (WHERE arrears > 0 AND start + 90 <= %(on)s AND in_90 >= arrears)
FROM measured
GROUP BY section, key
"""


def effectiveness(*, on: date, user: User | None, **filters: Any) -> list[EffectivenessRow]:
    """What recovery work brought back, and which actions work.

    Cases opened by ``on``, by officer, district and (current) stage: arrears at opening and
    recovered since (rule 8 from the opening date). Then each kind of action (a reminder
    notice or monthly request sent, a working-session invitation sent, a working session,
    an inspection, a sanction decision, a referral to each agency), counted once per
    employer at its first such action while the employer was in arrears: the arrears that
    day, recovered since, and the share of those employers whose payments within 30 (90)
    days after it covered those arrears in full, among those for which 30 (90) days have
    passed by ``on``. Cases opened with no arrears count as cases but not in the shares.
    """
    employers = employers_for(user, **filters)
    sql = _EFFECTIVENESS_SQL.format(
        case_scope=scope_sql(employers, "c.employer_id"),
        action_scope=scope_sql(employers, "a.employer_id"),
    )
    found = _fetch(sql, {"on": on, "tz": settings.TIME_ZONE})
    officers = _officer_names({int(r[1]) for r in found if r[0] == "officer" and r[1]})
    districts = dict(
        District.objects.filter(
            pk__in={int(r[1]) for r in found if r[0] == "district"}
        ).values_list("pk", "name")
    )
    agencies = dict(Agency.objects.values_list("pk", "name"))
    stages = dict(Stage.choices)
    actions = {
        "reminder": _("Thông báo đôn đốc"),
        "invitation": _("Giấy mời làm việc"),
        EventKind.WORKING_SESSION.value: _("Buổi làm việc"),
        EventKind.INSPECTION.value: _("Thanh tra, kiểm tra"),
        EventKind.PENALTY_DECISION.value: _("Quyết định xử phạt"),
    }
    sections = {
        "officer": _("Theo cán bộ"),
        "district": _("Theo quận/huyện"),
        "stage": _("Theo bước"),
        "action": _("Theo biện pháp"),
    }

    def label(section: str, key: str) -> tuple[Any, str]:
        """The row's order within its section, and its label."""
        if section == "officer":
            name = officers.get(int(key)) if key else None
            return (name is None, name or ""), name or _("Chưa phân công")
        if section == "district":
            return districts[int(key)], districts[int(key)]
        if section == "stage":
            return STAGE_ORDER.index(key), str(stages[key])
        if key.startswith("referral:"):
            name = agencies[int(key.split(":", 1)[1])]
            return (len(ACTION_KINDS), name), _("Chuyển %(agency)s") % {"agency": name}
        return (ACTION_KINDS.index(key), ""), actions[key]

    rows = []
    for section, key, units, arrears, recovered, m30, p30, m90, p90 in found:
        order, name = label(section, key)
        rows.append(
            (
                (list(sections).index(section), order),
                EffectivenessRow(
                    str(sections[section]),
                    str(name),
                    units,
                    int(arrears),
                    int(recovered),
                    share(int(recovered), int(arrears)),
                    share(p30, m30),
                    share(p90, m90),
                ),
            )
        )
    return [row for _order, row in sorted(rows, key=lambda r: r[0])]


def _officer_names(ids: set[int]) -> dict[int, str]:
    return {
        user.pk: user.get_full_name() or user.username for user in User.objects.filter(pk__in=ids)
    }


# --------------------------------------------------------------------------------------------
# The dashboard


@dataclass(frozen=True)
class MonthFigures:
    """One month of the trend: arrears at its end (at D for the current month), the payments
    dated in it, and what they recovered (per employer the smaller of its arrears at the end
    of the month before and its payments in the month, rule 8)."""

    end: date
    arrears: int = 0
    payments: int = 0
    recovered: int = 0

    def __add__(self, other: MonthFigures) -> MonthFigures:
        return replace(
            self,
            arrears=self.arrears + other.arrears,
            payments=self.payments + other.payments,
            recovered=self.recovered + other.recovered,
        )


def trend_points(on: date, months: int = 12) -> list[date]:
    """The last day of each of the ``months`` months before ``on``'s, then ``on``: the
    first point is the base the first month's payments are measured from."""
    first_of_month = on.replace(day=1)
    ends = []
    for back in range(months, 0, -1):
        start = _months_before(first_of_month, back - 1)
        ends.append(start - timedelta(days=1))
    return [*ends, on]


_TREND_SQL = """
WITH
due_steps AS (
    -- Each contribution counts from the first point it is due before.
    SELECT c.employer_id, width_bucket(c.due_on, %(points)s::date[]) + 1 AS k,
           sum(c.total) AS amount
    FROM arrears_contribution c
    WHERE c.due_on < %(on)s AND {contribution_scope}
    GROUP BY 1, 2
),
paid_steps AS (
    -- Each payment from the first point on or after its date.
    SELECT p.employer_id, width_bucket(p.paid_on - 1, %(points)s::date[]) + 1 AS k,
           sum(p.amount) AS amount
    FROM arrears_payment p
    WHERE p.paid_on <= %(on)s AND {payment_scope}
    GROUP BY 1, 2
),
payers AS (SELECT employer_id FROM due_steps UNION SELECT employer_id FROM paid_steps),
grid AS (
    SELECT y.employer_id, pt.k,
           sum(coalesce(ds.amount, 0)) OVER w AS due,
           sum(coalesce(ps.amount, 0)) OVER w AS paid
    FROM payers y
    CROSS JOIN generate_series(1, %(count)s) AS pt (k)
    LEFT JOIN due_steps ds ON ds.employer_id = y.employer_id AND ds.k = pt.k
    LEFT JOIN paid_steps ps ON ps.employer_id = y.employer_id AND ps.k = pt.k
    WINDOW w AS (PARTITION BY y.employer_id ORDER BY pt.k)
),
levels AS (
    SELECT employer_id, k, greatest(0, due - paid) AS arrears,
           paid - lag(paid) OVER w AS paid_in,
           lag(greatest(0, due - paid)) OVER w AS arrears_before
    FROM grid
    WINDOW w AS (PARTITION BY employer_id ORDER BY k)
)
SELECT e.district_id, l.k, sum(l.arrears), coalesce(sum(l.paid_in), 0),
       coalesce(sum(least(l.arrears_before, l.paid_in)), 0)
FROM levels l
JOIN participants_employer e ON e.id = l.employer_id
GROUP BY e.district_id, l.k
"""


def arrears_trend(
    on: date, employers: QuerySet[Employer] | None = None, months: int = 12
) -> dict[int, list[MonthFigures]]:
    """Per district id, the ``months`` months up to ``on``: ``MonthFigures`` in date order,
    from one query over the whole history (arrears at each point by the identity in the
    module docstring)."""
    points = trend_points(on, months)
    sql = _TREND_SQL.format(
        contribution_scope=scope_sql(employers, "c.employer_id"),
        payment_scope=scope_sql(employers, "p.employer_id"),
    )
    params = {"points": points, "on": on, "count": len(points)}
    trend: dict[int, list[MonthFigures]] = defaultdict(
        lambda: [MonthFigures(end) for end in points[1:]]
    )
    for district, k, arrears, paid_in, recovered in _fetch(sql, params):
        if k == 1:
            continue  # the base point: only the months after it are shown
        trend[district][k - 2] = MonthFigures(
            points[k - 1], int(arrears), int(paid_in), int(recovered)
        )
    return dict(trend)


@dataclass(frozen=True)
class Slice:
    """One part of a whole: a bucket, a district."""

    label: str
    employers: int
    arrears: int


@dataclass(frozen=True)
class DistrictFigures:
    """One district's dashboard figures for one refresh of the Balance table: today's from
    the table (per bucket: employers in arrears and arrears), the year's and the trend from
    the ledger. Plain values, kept as JSON in a DashboardSnapshot."""

    name: str
    employers_in_arrears: int
    arrears: int
    interest: int
    workers_affected: int
    hard_to_collect: int
    buckets: dict[str, tuple[int, int]]
    year: YearFigures
    trend: list[tuple[int, int, int]]  # per month: arrears at its end, payments, recovered

    def as_json(self) -> dict[str, Any]:
        return {**self.__dict__, "year": self.year.__dict__}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DistrictFigures:
        return cls(
            **{
                **data,
                "buckets": {k: tuple(v) for k, v in data["buckets"].items()},
                "year": YearFigures(**data["year"]),
                "trend": [tuple(m) for m in data["trend"]],
            }
        )


@dataclass(frozen=True)
class Dashboard:
    as_of: date
    refreshed_at: datetime.datetime
    arrears: int
    employers_in_arrears: int
    workers_affected: int
    interest: int
    hard_to_collect: int
    year: YearFigures  # from the ledger, as of the same day
    aging: list[Slice]
    by_district: list[Slice]
    trend: list[MonthFigures]

    @property
    def actionable(self) -> int:
        return self.arrears - self.year.under_one_month - self.hard_to_collect

    @property
    def late_rate(self) -> Decimal | None:
        return share(self.arrears, self.year.receivable)

    @property
    def hard_to_collect_share(self) -> Decimal | None:
        return share(self.hard_to_collect, self.arrears)


def district_figures(as_of: date) -> dict[int, DistrictFigures]:
    """Every district's dashboard figures on ``as_of``: one aggregate of the Balance table,
    then ``year_figures`` and ``arrears_trend`` from the ledger (together about 2 s for a
    province of 20,000 employers, hence computed once per refresh)."""
    found: dict[int, dict[str, Any]] = {}
    grouped = (
        Balance.objects.values("employer__district_id", "employer__district__name", "bucket")
        .annotate(
            in_arrears=Count("pk", filter=Q(arrears__gt=0)),
            owed=Sum("arrears"),
            accrued=Sum("interest"),
            workers=Sum("workers_affected", filter=Q(arrears__gt=0)),
            hard=Sum("arrears", filter=Q(employer__status__in=HARD_TO_COLLECT)),
        )
        .order_by()
    )
    for g in grouped:
        district = found.setdefault(
            g["employer__district_id"],
            {
                "name": g["employer__district__name"],
                "employers_in_arrears": 0,
                "arrears": 0,
                "interest": 0,
                "workers_affected": 0,
                "hard_to_collect": 0,
                "buckets": {b.value: (0, 0) for b in AGING_BUCKETS},
            },
        )
        district["employers_in_arrears"] += g["in_arrears"]
        district["arrears"] += g["owed"] or 0
        district["interest"] += g["accrued"] or 0
        district["workers_affected"] += g["workers"] or 0
        district["hard_to_collect"] += g["hard"] or 0
        if g["bucket"] in district["buckets"]:
            district["buckets"][g["bucket"]] = (g["in_arrears"], g["owed"] or 0)
    years = year_figures(as_of)
    trends = arrears_trend(as_of)
    return {
        pk: DistrictFigures(
            **values,
            year=years.get(pk, YearFigures()),
            trend=[(m.arrears, m.payments, m.recovered) for m in trends.get(pk, [])],
        )
        for pk, values in found.items()
    }


def _snapshot(as_of: date, refreshed_at: datetime.datetime) -> dict[int, DistrictFigures]:
    """The figures of this refresh: stored by the first dashboard to ask (the others wait
    for it rather than compute them again), read by every later one."""
    from reports.models import DashboardSnapshot

    def stored() -> dict[str, Any] | None:
        return (
            DashboardSnapshot.objects.filter(as_of=as_of, refreshed_at=refreshed_at)
            .values_list("figures", flat=True)
            .first()
        )

    figures = stored()
    if figures is None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('reports.dashboard'))")
            figures = stored()
            if figures is None:
                figures = {
                    str(pk): district.as_json() for pk, district in district_figures(as_of).items()
                }
                DashboardSnapshot.objects.all().delete()
                DashboardSnapshot.objects.create(
                    as_of=as_of, refreshed_at=refreshed_at, figures=figures
                )
    return {int(pk): DistrictFigures.from_json(data) for pk, data in figures.items()}


def dashboard(user: User) -> Dashboard | None:
    """The manager's dashboard (an officer's: their districts): today's figures from the
    Balance table and the year's from the ledger on the same day, per district for each
    refresh of the table (``_snapshot``), added up over the districts of the user's
    employers. None before the first refresh."""
    stamp = Balance.objects.aggregate(as_of=Max("as_of"), at=Max("refreshed_at"))
    if stamp["as_of"] is None:
        return None
    figures = _snapshot(stamp["as_of"], stamp["at"])
    visible = set(
        Employer.objects.in_scope(user).order_by().values_list("district_id", flat=True).distinct()
    )
    mine = [district for pk, district in figures.items() if pk in visible]
    points = trend_points(stamp["as_of"])[1:]
    return Dashboard(
        as_of=stamp["as_of"],
        refreshed_at=stamp["at"],
        arrears=sum(d.arrears for d in mine),
        employers_in_arrears=sum(d.employers_in_arrears for d in mine),
        workers_affected=sum(d.workers_affected for d in mine),
        interest=sum(d.interest for d in mine),
        hard_to_collect=sum(d.hard_to_collect for d in mine),
        year=sum((d.year for d in mine), YearFigures()),
        aging=[
            Slice(
                str(BUCKET_LABELS[bucket]),
                sum(d.buckets[bucket][0] for d in mine),
                sum(d.buckets[bucket][1] for d in mine),
            )
            for bucket in AGING_BUCKETS
        ],
        by_district=sorted(
            (Slice(d.name, d.employers_in_arrears, d.arrears) for d in mine),
            key=lambda s: (-s.arrears, s.label),
        ),
        trend=[
            MonthFigures(
                end,
                sum(d.trend[i][0] for d in mine if d.trend),
                sum(d.trend[i][1] for d in mine if d.trend),
                sum(d.trend[i][2] for d in mine if d.trend),
            )
            for i, end in enumerate(points)
        ],
    )


# --------------------------------------------------------------------------------------------
# union_suits: the list the labour federation needs to sue on workers' behalf


@dataclass(frozen=True)
class UnionSuitRow:
    unit_code: str
    name: str
    tax_code: str
    address: str
    reference: str
    sent_on: date
    workers: int
    amount_due: int
    arrears: int
    months_in_arrears: int
    oldest_unpaid_period: date | None
    interest: int


def union_suits(*, on: date, user: User | None, **filters: Any) -> list[UnionSuitRow]:
    """DOMAIN.md "Unions": for each employer referred to the labour federation (sent on or
    before ``on``), the amount due (contributions past their deadline), the amount late
    (rule 3), the duration (months in arrears, from the oldest unpaid period) and the interest
    (rule 5), as of ``on``. A federation liaison sees the list of its own referrals."""
    if user is not None and user.is_liaison and user.agency.code != Agency.Code.LABOUR_FEDERATION:
        return []
    referrals = {
        r.case.employer_id: r
        for r in Referral.objects.filter(
            agency__code=Agency.Code.LABOUR_FEDERATION, sent_on__lte=on
        )
        .select_related("case")
        .order_by("sent_on", "id")
    }
    if not referrals:
        return []
    scoped = employers_for(user, **filters)
    employers = (scoped if scoped is not None else Employer.objects.all()).filter(
        pk__in=referrals.keys()
    )
    due = dict(
        Contribution.objects.filter(employer__in=employers, due_on__lt=on)
        .values("employer_id")
        .annotate(total=Sum("total"))
        .values_list("employer_id", "total")
    )
    details = {e.pk: e for e in employers.only("tax_code", "address")}
    return [
        UnionSuitRow(
            unit_code=row.unit_code,
            name=row.name,
            tax_code=details[row.employer_id].tax_code,
            address=details[row.employer_id].address,
            reference=referrals[row.employer_id].reference,
            sent_on=referrals[row.employer_id].sent_on,
            workers=row.employees,
            amount_due=due.get(row.employer_id, 0),
            arrears=row.arrears,
            months_in_arrears=row.months_in_arrears,
            oldest_unpaid_period=row.oldest_unpaid_period,
            interest=row.interest,
        )
        for row in current_balances(on, employers=employers)
    ]
