"""A protocol version is never edited nor deleted: the database refuses it, whatever the code does."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION results_protocolversion_frozen() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'protocol versions are never edited: % refused on results_protocolversion', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER results_protocolversion_no_update_delete
    BEFORE UPDATE OR DELETE ON results_protocolversion
    FOR EACH ROW EXECUTE FUNCTION results_protocolversion_frozen();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS results_protocolversion_no_update_delete ON results_protocolversion;
DROP FUNCTION IF EXISTS results_protocolversion_frozen();
"""


class Migration(migrations.Migration):
    dependencies = [("results", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
