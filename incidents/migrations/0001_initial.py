# Incident and IncidentPhoto, moved here from the observers app without copying a row.
#
# The tables stay where the observers app created them (observers_incident, observers_incidentphoto, named in
# the models' Meta.db_table), with their indexes, foreign keys and the check constraint: this migration only
# takes the models over in Django's state (the database side is empty), after observers 0002 gave them up in
# the state.  The content types move too (app_label observers -> incidents), so permission rows and anything
# that refers to a model by content type keep pointing at the same rows.  Backwards, both steps are undone:
# the content types go back to observers and observers 0002 gives the models back to the observers app.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import IntegrityError, migrations, models, transaction

MOVED_MODELS = ('incident', 'incidentphoto')


def _move_content_types(apps, schema_editor, *, old, new):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    db = schema_editor.connection.alias
    for model in MOVED_MODELS:
        try:
            with transaction.atomic(using=db):
                ContentType.objects.using(db).filter(app_label=old, model=model).update(app_label=new)
        except IntegrityError:
            # A content type of the new label exists already (left from an earlier run): keep both, as Django's
            # own RenameContentType does; `manage.py remove_stale_contenttypes` deals with the stale one.
            pass
    ContentType.objects.clear_cache()


def content_types_to_incidents(apps, schema_editor):
    _move_content_types(apps, schema_editor, old='observers', new='incidents')


def content_types_to_observers(apps, schema_editor):
    _move_content_types(apps, schema_editor, old='incidents', new='observers')


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('elections', '0002_deadline_objections_close'),
        ('observers', '0002_move_incidents_to_incidents_app'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Incident',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('category', models.CharField(choices=[('voter_list', 'voter list problems'), ('ballot_box', 'ballot box or ballots'), ('procedure', 'voting procedure'), ('pressure', 'pressure on voters or campaigning'), ('obstruction', 'observers or journalists obstructed'), ('counting', 'counting'), ('other', 'other')], max_length=16, verbose_name='category')),
                        ('description', models.TextField(max_length=5000, verbose_name='description')),
                        ('occurred_at', models.DateTimeField(verbose_name='time of the incident')),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='reported')),
                        ('status', models.CharField(choices=[('open', 'open'), ('answered', 'answered'), ('closed', 'closed')], db_index=True, default='open', max_length=10, verbose_name='status')),
                        ('answer', models.TextField(blank=True, verbose_name='answer of the commission')),
                        ('answered_at', models.DateTimeField(blank=True, null=True, verbose_name='answered')),
                        ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed')),
                        ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='answered by')),
                        ('election', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='incidents', to='elections.election', verbose_name='election')),
                        ('precinct', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='incidents', to='elections.precinct', verbose_name='precinct')),
                        ('reporter', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='incidents', to=settings.AUTH_USER_MODEL, verbose_name='reported by')),
                    ],
                    options={
                        'verbose_name': 'incident',
                        'verbose_name_plural': 'incidents',
                        'db_table': 'observers_incident',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='IncidentPhoto',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('file', models.FileField(upload_to='incident-photos/%Y/%m/', verbose_name='photo')),
                        ('content_type', models.CharField(max_length=20, verbose_name='content type')),
                        ('size', models.PositiveIntegerField(verbose_name='size')),
                        ('sha256', models.CharField(max_length=64)),
                        ('uploaded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='uploaded')),
                        ('incident', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='photos', to='incidents.incident', verbose_name='incident')),
                    ],
                    options={
                        'verbose_name': 'incident photo',
                        'verbose_name_plural': 'incident photos',
                        'db_table': 'observers_incidentphoto',
                        'ordering': ['incident', 'id'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='incident',
                    constraint=models.CheckConstraint(condition=models.Q(('status', 'open'), models.Q(('answer', ''), _negated=True), _connector='OR'), name='incident_answered_has_answer'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_incidents, content_types_to_observers),
    ]
