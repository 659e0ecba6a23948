"""A district export is the official's own and stays inside their scope: once they leave the district's
commission, its page and file are 404 like the district itself."""

import pytest
from django.core.files.base import ContentFile

from elections.models import CommissionMember
from voters.models import ExportJob

pytestmark = pytest.mark.django_db


def test_an_export_is_gone_with_the_scope(country, clients):
    user = country.users["district"]
    job = ExportJob.objects.create(created_by=user, district=country.districts["A1"], format="csv",
                                   status=ExportJob.Status.DONE)
    job.file.save("voters-test.csv", ContentFile(b"pinfl,surname\n"), save=True)
    client = clients["district"]
    download = client.get(f"/voters/exports/{job.pk}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"pinfl,surname\n"
    CommissionMember.objects.filter(user=user).delete()  # no longer on any commission
    assert client.get(f"/geography/districts/{country.districts['A1'].pk}/").status_code == 404
    assert client.get(f"/voters/exports/{job.pk}/").status_code == 404
    assert client.get(f"/voters/exports/{job.pk}/download/").status_code == 404
