import pytest

from tests.media_accreditation.helpers import build_media


@pytest.fixture
def media(country):
    return build_media(country)
