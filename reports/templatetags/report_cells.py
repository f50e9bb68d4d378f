"""A report's cell on screen, by its column's kind (reports.writers.Column)."""

from typing import Any

from django import template

from desk.templatetags.desk import num, percent, period, vnd
from reports.writers import Column, cell_value

register = template.Library()


@register.filter
def cell(row: Any, column: Column) -> str:
    """Money in đồng, counts grouped, rates in %, periods mm/yyyy, days dd/mm/yyyy."""
    value = column.shown(cell_value(row, column.key))
    if value is None:
        return ""
    if column.kind == "money":
        return vnd(value)
    if column.kind == "count":
        return num(value)
    if column.kind == "percent":
        return percent(value, 2)
    if column.kind == "month":
        return period(value)
    if column.kind == "date":
        return value.strftime("%d/%m/%Y")
    return str(value)


@register.filter
def numeric(column: Column) -> bool:
    return column.kind in ("money", "count", "percent")
