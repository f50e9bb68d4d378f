"""Statement files in: what the employer, contribution and payment imports share.

A statement is CSV (UTF-8, with or without BOM) or XLSX, its first row the header, columns in
any order (DOMAIN.md, "Statement files"). Python only reads the file's structure here: it
sniffs the kind, decodes, checks the header and counts cells, and streams every row, with
its row number, into a TEMP staging table of text columns through psycopg's COPY. Each
import then checks the values with one set-based query over that table (``refuse_bad_rows``)
and writes with a few set-based statements: no Python work per row beyond reading it, and a
bad file is refused whole, with every reason, before anything is written. A first load into
an empty table checks and writes in one pass instead (``write_checked``), and a bad file is
taken back before its reasons are given.

Row numbers are those a spreadsheet shows: the header is row 1. A column the importer does
not know is refused (not ignored), so a misspelt header cannot silently drop a column; one
the layout calls optional may be left out, and is staged as '' on every row.

By job: ``results`` (the counts, the refusal and its reasons, the layout), ``reading`` (file
kind, decoding, rows, the header), ``staging`` (COPY into the staging table, the statement
lock), ``checks`` (the set-based checks), ``writing`` (upsert, a first load checked as it is
written) and ``command`` (the ``manage.py import_<kind>`` commands).
"""
