"""Coverage figures by commune as well as by office or for the province.

Going back is refused while a commune has figures: without the column they would read as the
province's, twice over.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.migrations.exceptions import IrreversibleError


def refuse_commune_figures(apps, schema_editor):
    figures = apps.get_model("participants", "CoverageFigure").objects
    if figures.filter(commune__isnull=False).exists():
        raise IrreversibleError(
            "Coverage figures of communes exist: delete them before going back."
        )


class Migration(migrations.Migration):

    dependencies = [
        ('participants', '0008_map_history_triggers'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='coveragefigure',
            options={'ordering': ['-year', '-quarter', 'office__name', 'commune__name'], 'verbose_name': 'số liệu bao phủ', 'verbose_name_plural': 'số liệu bao phủ'},
        ),
        migrations.RemoveConstraint(
            model_name='coveragefigure',
            name='coverage_one_per_area_period',
        ),
        migrations.AddField(
            model_name='coveragefigure',
            name='commune',
            field=models.ForeignKey(blank=True, help_text='Số liệu của một xã/phường (khi đó để trống BHXH cơ sở).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='coverage_figures', to='participants.commune', verbose_name='xã/phường'),
        ),
        migrations.AddConstraint(
            model_name='coveragefigure',
            constraint=models.UniqueConstraint(fields=('office', 'commune', 'year', 'quarter'), name='coverage_one_per_area_period', nulls_distinct=False),
        ),
        migrations.AddConstraint(
            model_name='coveragefigure',
            constraint=models.CheckConstraint(condition=models.Q(('office__isnull', True), ('commune__isnull', True), _connector='OR'), name='coverage_office_or_commune'),
        ),
        migrations.RunPython(migrations.RunPython.noop, refuse_commune_figures),
    ]
