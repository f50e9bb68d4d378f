"""How the generated employers pay: every behaviour occurs, about half are clean and the rest
fill every aging bucket."""

from __future__ import annotations

from arrears.ledger import Bucket
from demo import province as demo
from demo.behaviours import Behaviour
from tests.demo.test_province import AS_OF, balance_of


def test_behaviours_leave_about_half_clean_and_every_bucket_in_arrears() -> None:
    province = list(demo.generate(600, as_of=AS_OF))
    balances = [balance_of(rows) for rows in province]
    assert {rows.behaviour for rows in province} == set(Behaviour)
    clean = sum(b.arrears == 0 for b in balances)
    assert 0.5 <= clean / 600 <= 0.62
    assert {b.bucket for b in balances} == set(Bucket)
    by_behaviour = {
        behaviour: [
            b for rows, b in zip(province, balances, strict=True) if rows.behaviour == behaviour
        ]
        for behaviour in Behaviour
    }
    # Who pays before every deadline owes nothing; who stopped mostly does.
    assert all(b.arrears == 0 for b in by_behaviour[Behaviour.ON_TIME])
    assert all(b.arrears == 0 for b in by_behaviour[Behaviour.ADVANCE])
    stopped = by_behaviour[Behaviour.STOPPED]
    assert sum(b.arrears > 0 for b in stopped) > 0.8 * len(stopped)
