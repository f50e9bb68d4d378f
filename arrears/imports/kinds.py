"""The kinds of statement file the upload page takes: each one's import and layout."""

from collections.abc import Callable

from arrears.imports.contributions import CONTRIBUTIONS, import_contributions
from arrears.imports.payments import PAYMENTS, import_payments
from arrears.imports.referrals import REFERRALS, import_referrals
from desk.statements.results import ImportResult, Layout
from participants.imports.communes import LAYOUT as COMMUNES
from participants.imports.communes import import_communes
from participants.imports.coverage import LAYOUT as COVERAGE
from participants.imports.coverage import import_coverage
from participants.imports.employers import LAYOUT as EMPLOYERS
from participants.imports.employers import import_employers
from participants.imports.persons import LAYOUT as PERSONS
from participants.imports.persons import import_persons

IMPORTERS: dict[str, Callable[..., ImportResult]] = {
    "employers": import_employers,
    "communes": import_communes,
    "contributions": import_contributions,
    "payments": import_payments,
    "persons": import_persons,
    "coverage": import_coverage,
    "referrals": import_referrals,
}
COLUMNS: dict[str, Layout] = {
    "employers": EMPLOYERS,
    "communes": COMMUNES,
    "contributions": CONTRIBUTIONS,
    "payments": PAYMENTS,
    "persons": PERSONS,
    "coverage": COVERAGE,
    "referrals": REFERRALS,
}
