"""Which recovery work brings money back: by officer, area (office, commune or former
province) and stage, and by action."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Agency, User
from arrears.balances import scope_sql
from arrears.models import EventKind, Reminder, Stage
from reports.queries.base import (
    AREA_JOINS,
    AREA_PARAMS,
    STAGE_ORDER,
    area_label,
    area_order,
    area_sql,
    employers_for,
    fetch,
    share,
)

# The case events counted as actions.
ACTION_EVENTS = (EventKind.WORKING_SESSION, EventKind.INSPECTION, EventKind.PENALTY_DECISION)
# The actions in the report's order: reminders sent (notices and monthly requests), working-
# session invitations sent, then the events; referrals follow, one row per agency.
ACTION_KINDS = ("reminder", Reminder.Kind.INVITATION.value, *(e.value for e in ACTION_EVENTS))
# The section of the cases' area, by grouping.
AREA_SECTIONS = {
    "office": gettext_lazy("Theo BHXH cơ sở"),
    "commune": gettext_lazy("Theo xã/phường"),
    "former_province": gettext_lazy("Theo tỉnh cũ"),
}
# Days after an action within which payment in full is measured (paid_in_full_30, _90).
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
           coalesce(c.officer_id::text, '') AS officer, {area} AS area, c.stage
    FROM arrears_recoverycase c
    JOIN participants_employer e ON e.id = c.employer_id{joins}
    WHERE c.opened_on <= %(on)s AND (%(start)s::date IS NULL OR c.opened_on >= %(start)s::date)
      AND {case_scope}
),
actions AS (
    SELECT CASE WHEN r.kind = %(invitation)s THEN %(invitation)s ELSE 'reminder' END AS kind,
           r.employer_id, coalesce((r.sent_at AT TIME ZONE %(tz)s)::date, r.as_of) AS start
    FROM arrears_reminder r WHERE r.status = %(sent)s
    UNION ALL
    SELECT ev.kind, c.employer_id, ev.occurred_on
    FROM arrears_caseevent ev JOIN arrears_recoverycase c ON c.id = ev.case_id
    WHERE ev.kind = ANY(%(events)s)
    UNION ALL
    SELECT 'referral:' || r.agency_id, c.employer_id, r.sent_on
    FROM arrears_referral r JOIN arrears_recoverycase c ON c.id = r.case_id
    WHERE r.sent_on IS NOT NULL
),
-- Each employer's first action of each kind: what it did to an employer not yet reached.
firsts AS (
    SELECT DISTINCT ON (kind, employer_id) kind, employer_id, start
    FROM actions a
    WHERE a.start <= %(on)s AND (%(start)s::date IS NULL OR a.start >= %(start)s::date)
      AND {action_scope}
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
    UNION ALL SELECT 'area', area, employer_id, start, arrears FROM cases
    UNION ALL SELECT 'stage', stage, employer_id, start, arrears FROM cases
    UNION ALL SELECT 'action', kind, employer_id, start, arrears FROM acted WHERE arrears > 0
),
measured AS (
    SELECT u.section, u.key, u.start, u.arrears,
           coalesce(pay.after, 0) AS after, coalesce(pay.in_short, 0) AS in_short,
           coalesce(pay.in_long, 0) AS in_long
    FROM units u
    LEFT JOIN LATERAL (
        SELECT sum(p.amount) AS after,
               sum(p.amount) FILTER (WHERE p.paid_on <= u.start + %(short)s) AS in_short,
               sum(p.amount) FILTER (WHERE p.paid_on <= u.start + %(long)s) AS in_long
        FROM arrears_payment p
        WHERE p.employer_id = u.employer_id AND p.paid_on > u.start AND p.paid_on <= %(on)s
    ) AS pay ON TRUE
)
SELECT section, key, count(*), sum(arrears), sum(least(arrears, after)),
       count(*) FILTER (WHERE arrears > 0 AND start + %(short)s <= %(on)s),
       count(*) FILTER (WHERE arrears > 0 AND start + %(short)s <= %(on)s
                        AND in_short >= arrears),
       count(*) FILTER (WHERE arrears > 0 AND start + %(long)s <= %(on)s),
       count(*) FILTER (WHERE arrears > 0 AND start + %(long)s <= %(on)s
                        AND in_long >= arrears)
FROM measured
GROUP BY section, key
"""


def effectiveness(
    *,
    on: date,
    user: User | None,
    by: str = "office",
    start: date | None = None,
    **filters: Any,
) -> list[EffectivenessRow]:
    """What recovery work brought back, and which actions work.

    Cases opened by ``on``, by officer, area (``by``: managing office, commune or former
    province) and (current) stage: arrears at opening and
    recovered since (rule 8 from the opening date). Then each kind of action (a reminder
    notice or monthly request sent, a working-session invitation sent, a working session,
    an inspection, a sanction decision, a referral to each agency), counted once per
    employer at its first such action while the employer was in arrears: the arrears that
    day, recovered since, and the share of those employers whose payments within 30 (90)
    days after it covered those arrears in full, among those for which 30 (90) days have
    passed by ``on``. Cases opened with no arrears count as cases but not in the shares.
    For a period from ``start`` to ``on``: the cases opened and the first actions taken in
    it, what came back up to ``on``.
    """
    employers = employers_for(user, **filters)
    sql = _EFFECTIVENESS_SQL.format(
        area=area_sql(by),
        joins=AREA_JOINS.rstrip(),
        case_scope=scope_sql(employers, "c.employer_id"),
        action_scope=scope_sql(employers, "a.employer_id"),
    )
    short, long = WINDOWS
    params = {
        "on": on,
        "start": start,
        "tz": settings.TIME_ZONE,
        "invitation": Reminder.Kind.INVITATION.value,
        "sent": Reminder.Status.SENT.value,
        "events": [kind.value for kind in ACTION_EVENTS],
        "short": short,
        "long": long,
        **AREA_PARAMS,
    }
    found = fetch(sql, params)
    officers = _officer_names({int(r[1]) for r in found if r[0] == "officer" and r[1]})
    agencies = dict(Agency.objects.values_list("pk", "name"))
    stages = dict(Stage.choices)
    actions = {
        "reminder": _("Thông báo đôn đốc"),
        Reminder.Kind.INVITATION.value: _("Giấy mời làm việc"),
        EventKind.WORKING_SESSION.value: _("Buổi làm việc"),
        EventKind.INSPECTION.value: _("Thanh tra, kiểm tra"),
        EventKind.PENALTY_DECISION.value: _("Quyết định xử phạt"),
    }
    sections = {
        "officer": _("Theo cán bộ"),
        "area": AREA_SECTIONS[by],
        "stage": _("Theo bước"),
        "action": _("Theo biện pháp"),
    }

    def label(section: str, key: str) -> tuple[Any, str]:
        """The row's order within its section, and its label."""
        if section == "officer":
            name = officers.get(int(key)) if key else None
            return (name is None, name or ""), name or _("Chưa phân công")
        if section == "area":
            return area_order(key), area_label(key)
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
