from django.db import migrations

# The calendars statement imports validate dates and months against (desk.statements.checks).
# Tables with statistics rather than generate_series, which the planner takes for 1,000 rows
# of one value: with that guess it hashed a region's 4 million persons instead of the calendar
# and spilled them to disk.
CALENDAR = """
CREATE TABLE desk_calendar_day (spelled text PRIMARY KEY, day date NOT NULL);
INSERT INTO desk_calendar_day
SELECT to_char(d, 'YYYY-MM-DD'), d::date
FROM generate_series(date '1900-01-01', date '2099-12-31', interval '1 day') AS d;
CREATE TABLE desk_calendar_month (spelled text PRIMARY KEY, first_day date NOT NULL);
INSERT INTO desk_calendar_month
SELECT to_char(d, 'YYYY-MM'), d::date
FROM generate_series(date '1995-01-01', date '2099-12-01', interval '1 month') AS d;
ANALYZE desk_calendar_day;
ANALYZE desk_calendar_month;
"""


class Migration(migrations.Migration):
    dependencies = [("desk", "0001_search_functions")]
    operations = [
        migrations.RunSQL(
            CALENDAR, "DROP TABLE IF EXISTS desk_calendar_day, desk_calendar_month;"
        ),
    ]
