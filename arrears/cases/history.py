"""A case's history as its page shows it: the changes of the case, its referrals and
commitments and its employer, as the database triggers (pghistory) recorded them, set-based
writes included, with who made them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from pghistory.models import Events

from accounts.models import User
from arrears.models import Commitment, RecoveryCase, Referral
from arrears.templatetags.cases import person

HISTORY_ROWS = 40  # the latest changes shown on a case


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    at: datetime
    who: str
    what: str
    created: bool
    changes: list[Change] = field(default_factory=list)


_HIDDEN = {"id", "created_at", "updated_at", "search_text"}


def _what(obj: models.Model) -> str:
    if isinstance(obj, RecoveryCase):
        return _("Hồ sơ")
    if isinstance(obj, Referral):
        return _("Chuyển %(agency)s") % {"agency": obj.agency.name}
    if isinstance(obj, Commitment):
        return str(obj)
    return _("Đơn vị")


def case_history(
    case: RecoveryCase, referrals: list[Referral], commitments: list[Commitment]
) -> list[HistoryEntry]:
    """The latest changes of the case, of the referrals and commitments shown with it and of
    its employer, newest first, with who made them and each field's old and new value."""
    return tracked_changes([[case], list(referrals), list(commitments), [case.employer]], _what)


def tracked_changes(
    tracked: list[list[models.Model]],
    what: Callable[[models.Model], str],
    rows: int = HISTORY_ROWS,
) -> list[HistoryEntry]:
    """The latest ``rows`` changes of the tracked objects (groups of one model each), newest
    first, each named by ``what``, with who made them and each field's old and new value."""
    found: list[tuple[models.Model, Any]] = []
    for objects in tracked:
        if not objects:
            continue
        by_pk = {str(obj.pk): obj for obj in objects}
        events = Events.objects.tracks(*objects).order_by("-pgh_created_at", "-pgh_id")
        found += [(by_pk[e.pgh_obj_id], e) for e in events[:rows]]
    found.sort(key=lambda pair: (pair[1].pgh_created_at, pair[1].pgh_id), reverse=True)
    found = found[:rows]

    # Names for the users and the other rows the changes point to, one query per model.
    wanted: dict[type[models.Model], set[Any]] = {User: set()}
    for obj, event in found:
        user_id = (event.pgh_context or {}).get("user")
        if user_id:
            wanted[User].add(user_id)
        fields = _fields(type(obj))
        for name, pair in (event.pgh_diff or {}).items():
            target = fields.get(name)
            if target is not None and target.is_relation:
                wanted.setdefault(target.related_model, set()).update(v for v in pair if v)
    named = {model: model.objects.in_bulk(ids) for model, ids in wanted.items() if ids}

    entries = []
    for obj, event in found:
        user_id = (event.pgh_context or {}).get("user")
        who = person(named.get(User, {}).get(user_id)) if user_id else _("Hệ thống")
        fields = _fields(type(obj))
        changes = [
            Change(
                str(fields[name].verbose_name),
                _shown(fields[name], old, named),
                _shown(fields[name], new, named),
            )
            for name, (old, new) in sorted((event.pgh_diff or {}).items())
            if name in fields and name not in _HIDDEN
        ]
        created = event.pgh_label == "insert"
        if created or changes:
            entries.append(HistoryEntry(event.pgh_created_at, who, what(obj), created, changes))
    return entries


def _fields(model: type[models.Model]) -> dict[str, models.Field]:
    return {f.attname: f for f in model._meta.concrete_fields}


def _shown(model_field: models.Field, value: Any, named: dict[type, dict[Any, Any]]) -> str:
    """A recorded value as the page shows it (the history keeps database values)."""
    if value is None or value == "":
        return "–"
    if model_field.is_relation:
        target = named.get(model_field.related_model, {}).get(value)
        if isinstance(target, User):
            return person(target)
        return str(target) if target is not None else f"#{value}"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return _("Có") if value else _("Không")
    if isinstance(model_field, models.DateTimeField):
        moment = datetime.fromisoformat(str(value))
        return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")
    if isinstance(model_field, models.DateField):
        return date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    if isinstance(model_field, models.IntegerField):
        return f"{int(value):,}".replace(",", ".")
    text = str(value)
    return text if len(text) <= 160 else f"{text[:157]}…"
