"""The one access policy: who may open which page and which objects they see in it.

Every view goes through these before it reads anything. Scoping itself lives on each model's
QuerySet (``in_scope(user)``), so a page, an export and a command read the same rows; this
module says which pages a role reaches and turns "not yours" into a 404, as if the thing did
not exist (DESIGN, "Who sees what").

- ``staff(request)``: the office's own staff; a partner agency's liaison gets 404.
- ``manager(request)``: managers only (the province-wide settings and records).
- ``liaison(request)``: a partner organisation's liaison only (their inbox).
- ``approver(request)``: those who give approvals (managers, heads of grassroots offices);
  which approvals, office by office, is ``User.approves_for``.
- ``scoped(model_or_queryset, user)``: the rows this user may see.
- ``get_for_user(model_or_queryset, user, **lookup)``: one of them, or 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from accounts.models import User


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # LoginRequiredMiddleware lets no one else this far
        raise Http404
    return user


def staff(request: HttpRequest) -> User:
    """The signed-in user if they are the office's staff (officer or manager), else 404."""
    user = _user(request)
    if not user.is_staff_member:
        raise Http404
    return user


def manager(request: HttpRequest) -> User:
    """The signed-in user if they see the whole province, else 404."""
    user = _user(request)
    if not user.is_manager:
        raise Http404
    return user


def liaison(request: HttpRequest) -> User:
    """The signed-in user if they are a partner organisation's liaison, else 404."""
    user = _user(request)
    if not user.is_liaison:
        raise Http404
    return user


def approver(request: HttpRequest) -> User:
    """The signed-in user if they give approvals (a manager, or the head of a grassroots
    office, in their offices), else 404."""
    user = _user(request)
    if not user.gives_approvals:
        raise Http404
    return user


def scoped[M: Model](rows: type[M] | QuerySet[M], user: User) -> QuerySet[M]:
    """The rows of ``rows`` (a model or a queryset whose model's QuerySet has ``in_scope``)
    that this user may see."""
    queryset = rows._default_manager.all() if isinstance(rows, type) else rows
    return queryset.in_scope(user)  # type: ignore[attr-defined]


def get_for_user[M: Model](rows: type[M] | QuerySet[M], user: User, **lookup: Any) -> M:
    """The one row matching ``lookup`` among those this user may see, else 404."""
    try:
        return scoped(rows, user).get(**lookup)
    except (rows.model if isinstance(rows, QuerySet) else rows).DoesNotExist as exc:
        raise Http404 from exc
