"""Pages that show a record's history and a duplicate's evidence in the reader's language."""

import pytest

from tests.factories import make_voter
from tests.pages import EN
from voters import services
from voters.models import DuplicateCandidate

pytestmark = pytest.mark.django_db


def test_history_names_fields_in_the_readers_language(country, clients):
    voter = make_voter(country.precincts["A1-1"], surname="Aliyev")
    services.voter_update(
        actor=country.users["district"],
        voter=voter,
        data={"surname": "Aliev", "street": "Bobur"},
        expected_version=voter.version,
        reason="passport check",
    )
    body = clients["district"].get(f"/voters/{voter.pk}/", **EN).content.decode()
    assert "<strong>surname</strong>: Aliyev → Aliev" in body
    assert "passport check" in body
    body_ru = clients["district"].get(f"/voters/{voter.pk}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Aliyev → Aliev" in body_ru and "<strong>surname</strong>" not in body_ru


def test_duplicate_review_shows_evidence_and_needs_a_choice(country, clients):
    a = make_voter(country.precincts["A1-1"], surname="Abdullayev", given_name="Jasur")
    b = make_voter(country.precincts["A1-1"], surname="Абдуллаев", given_name="Жасур")
    low, high = sorted([a, b], key=lambda v: v.pk)
    cand = DuplicateCandidate.objects.create(voter_a=low, voter_b=high, score=0.97, evidence={})
    page = clients["district"].get(f"/voters/duplicates/{cand.pk}/", **EN)
    assert page.status_code == 200
    assert "one Latin, one Cyrillic" in page.content.decode()
    # a post without a choice merges nothing
    clients["district"].post(f"/voters/duplicates/{cand.pk}/", {})
    cand.refresh_from_db()
    assert cand.decision == "open"
    clients["district"].post(f"/voters/duplicates/{cand.pk}/", {"decision": "keep_a", "reason": "Same passport", "confirm": "1"})
    cand.refresh_from_db()
    high.refresh_from_db()
    assert cand.decision == "confirmed" and high.merged_into_id == low.pk
