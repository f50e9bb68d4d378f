"""One module per report, each returning plain rows for the screens and the exporters.

Every figure is aggregated by PostgreSQL in one statement (or a few), never a query per row.
Scope: ``user`` limits the employers to ``Employer.objects.in_scope(user)``; ``user=None`` is
the whole province (commands and tasks run by the office itself). The filters every report
takes (``office``, ``ownership``, ``industrial_zone``, ``status``) narrow the employers.
What the reports share (the employers a report covers, the balance columns, the year's
figures) is ``base``.
"""
