# Incident and IncidentPhoto moved to the incidents app (incidents/migrations/0001_initial.py).
#
# State only: the tables observers_incident and observers_incidentphoto stay as they are, with their rows; the
# incidents app's models name them in Meta.db_table and its first migration takes them over in the state.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('observers', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='IncidentPhoto'),
                migrations.DeleteModel(name='Incident'),
            ],
            database_operations=[],
        ),
    ]
