"""Duplicate detection: planted near-duplicates are found with their evidence, look-alikes are not,
decisions stick, a second scan adds nothing, every scan is audited."""

import itertools
from datetime import date

import pytest

from core.models import AuditEvent
from core.names import normalize_name, normalize_patronymic
from core.pinfl import make_pinfl
from tests.factories import DistrictFactory, RegionFactory
from voters import dedup
from voters.dedup import scoring
from voters.models import DuplicateCandidate, Voter, VoterStatus

pytestmark = pytest.mark.django_db

_serials = itertools.count(1)


def voter(district, surname, given, patronymic, born, sex="M", **extra) -> Voter:
    n = next(_serials)
    return Voter.objects.create(
        pinfl=make_pinfl(born, sex, 1 + n // 999 % 999, 1 + n % 999),
        surname=surname,
        given_name=given,
        patronymic=patronymic,
        surname_key=normalize_name(surname),
        given_key=normalize_name(given),
        patronymic_key=normalize_patronymic(patronymic),
        birth_date=born,
        sex=sex,
        district=district,
        **extra,
    )


def pair(a: Voter, b: Voter) -> tuple[int, int]:
    return (a.pk, b.pk) if a.pk < b.pk else (b.pk, a.pk)


def candidates() -> dict[tuple[int, int], DuplicateCandidate]:
    return {(c.voter_a_id, c.voter_b_id): c for c in DuplicateCandidate.objects.all()}


@pytest.fixture
def area():
    region = RegionFactory()
    return {"region": region, "d1": DistrictFactory(region=region), "d2": DistrictFactory(region=region)}


@pytest.fixture
def planted(area):
    """Near-duplicates of each kind, and people who only look alike."""
    d1, d2 = area["d1"], area["d2"]
    born = date(1985, 3, 14)
    alisher = voter(d1, "Karimov", "Alisher", "Rustam oʻgʻli", born)
    dups = {
        "cyrillic": (alisher, voter(d2, "Каримов", "Алишер", "Рустам ўғли", born)),
        "russian_ending": (
            voter(d1, "Abdullayev", "Jasur", "Baxtiyor oʻgʻli", date(1979, 6, 21)),
            voter(d1, "Abdullaev", "Dzhasur", "Bakhtiyorovich", date(1979, 6, 21)),
        ),
        "swapped_day_month": (
            voter(d1, "Yusupova", "Dilnoza", "Akmal qizi", date(1990, 4, 7), "F"),
            voter(d2, "Юсупова", "Дилноза", "Акмал қизи", date(1990, 7, 4), "F"),
        ),
        "typo_given": (
            voter(d1, "Toshmatov", "Sherzod", "Olim oʻgʻli", date(1968, 10, 30)),
            voter(d1, "Toshmatov", "Shezrod", "Olim oʻgʻli", date(1968, 10, 30)),
        ),
        "typo_surname": (
            voter(d2, "Raximova", "Nilufar", "Anvar qizi", date(2001, 1, 19), "F"),
            voter(d2, "Rxaimova", "Nilufar", "Anvar qizi", date(2001, 1, 19), "F"),
        ),
        "apostrophe": (
            voter(d1, "Gʻulomov", "Oʻktam", "Ismoil oʻgʻli", date(2001, 12, 5)),
            voter(d2, "G'ulomov", "O`ktam", "Ismoil o'g'li", date(2001, 12, 5)),
        ),
        "date_typo": (
            voter(d1, "Nazarova", "Feruza", "Ergash qizi", date(1977, 11, 23), "F"),
            voter(d1, "Nazarova", "Feruza", "Ergash qizi", date(1977, 11, 28), "F"),
        ),
    }
    lookalikes = [
        # twin brother of Alisher: same surname, patronymic and birth date, another given name
        voter(d1, "Karimov", "Bobur", "Rustam oʻgʻli", born),
        # same surname and birth date, another given name and father
        voter(d1, "Yusupova", "Malika", "Jamshid qizi", date(1990, 4, 7), "F"),
        # same names, another birth date (not a one-digit slip)
        voter(d1, "Toshmatov", "Sherzod", "Olim oʻgʻli", date(1972, 5, 2)),
        # same name keys and date, the other sex
        voter(d1, "Karimova", "Alisher", "Rustam qizi", born, "F"),
        # the same name in another district with a one-digit different date: too weak
        voter(d2, "Nazarova", "Feruza", "Ergash qizi", date(1977, 11, 29), "F"),
    ]
    return {"dups": dups, "lookalikes": lookalikes}


def test_every_planted_pair_is_found_with_evidence_and_nothing_else(planted):
    result = dedup.scan()
    found = candidates()
    expected = {pair(a, b): kind for kind, (a, b) in planted["dups"].items()}
    assert set(found) == set(expected), {k: v.evidence for k, v in found.items() if k not in expected}
    assert result.pairs_found == result.pairs_new == len(expected)
    for key, kind in expected.items():
        c = found[key]
        assert c.decision == DuplicateCandidate.Decision.OPEN
        assert 0.9 <= c.score <= 1
        ev = c.evidence
        assert {"surname", "given", "patronymic", "birth_date", "district", "scripts"} <= set(ev), kind
        assert ev["birth_date"] == {"swapped_day_month": "swapped", "date_typo": "typo"}.get(kind, "exact")
    ev = {kind: found[pair(a, b)].evidence for kind, (a, b) in planted["dups"].items()}
    assert ev["cyrillic"]["scripts"] == "latin/cyrillic"
    assert ev["cyrillic"]["district"] == "different"
    assert ev["cyrillic"]["surname"] == ev["cyrillic"]["given"] == ev["cyrillic"]["patronymic"] == 1.0
    assert ev["swapped_day_month"]["scripts"] == "latin/cyrillic"
    assert ev["russian_ending"]["scripts"] == "latin"
    assert ev["typo_given"]["given"] < 1.0 and ev["typo_given"]["surname"] == 1.0
    assert ev["typo_surname"]["surname"] < 1.0 and ev["typo_surname"]["given"] == 1.0
    assert ev["date_typo"]["district"] == "same"
    assert found[pair(*planted["dups"]["typo_given"])].score < found[pair(*planted["dups"]["russian_ending"])].score


def test_lookalikes_alone_are_not_proposed(area, planted):
    for a, b in planted["dups"].values():  # keep only one record of each planted person
        b.delete()
    result = dedup.scan()
    assert result.pairs_found == 0 and not DuplicateCandidate.objects.exists()


def test_common_similar_names_are_two_people(area):
    """Hasan and Husan (twins' names) differ by one letter; where both names are common they are two people."""
    d1 = area["d1"]
    hasan = voter(d1, "Olimov", "Hasan", "Sobir oʻgʻli", date(1995, 2, 27))
    husan = voter(d1, "Olimov", "Husan", "Sobir oʻgʻli", date(1995, 2, 27))
    # alone in the list, nothing says the names are different: the pair is proposed
    assert dedup.scan().pairs_found == 1
    DuplicateCandidate.objects.all().delete()
    for k in range(scoring.COMMON_MIN):
        voter(d1, f"Familiya{k}", "Hasan", "", date(1960 + k, 1, 20))
        voter(d1, f"Boshqa{k}", "Husan", "", date(1970 + k, 2, 21))
    # a typo is rare: "Hasam" next to the common "Hasan" is a misspelling of it
    typo = voter(d1, "Olimov", "Hasam", "Sobir oʻgʻli", date(1995, 2, 27))
    dedup.scan()
    assert set(candidates()) == {pair(hasan, typo)}
    evidence = candidates()[pair(hasan, typo)].evidence
    assert evidence["misspelt"] == ["given"]
    assert sorted(evidence["frequency"]["given"]) == [1, scoring.COMMON_MIN + 1]
    assert pair(hasan, husan) not in candidates()
    # the review page's explanation agrees with the scan (it reads the counts the scan recorded)
    assert dedup.evidence_for(typo, hasan)["misspelt"] == ["given"]
    assert dedup.evidence_for(typo, hasan)["score"] == candidates()[pair(hasan, typo)].score
    assert dedup.evidence_for(hasan, husan, counts=(1, 6, 1, 1, 6, 1))["different"] == ["given"]


def test_rejected_pairs_stay_rejected_and_a_second_scan_adds_nothing(planted):
    first = dedup.scan()
    a, b = planted["dups"]["typo_given"]
    DuplicateCandidate.objects.filter(voter_a_id=min(a.pk, b.pk), voter_b_id=max(a.pk, b.pk)).update(
        decision=DuplicateCandidate.Decision.REJECTED
    )
    c, d = planted["dups"]["cyrillic"]
    DuplicateCandidate.objects.filter(voter_a_id=min(c.pk, d.pk), voter_b_id=max(c.pk, d.pk)).update(
        decision=DuplicateCandidate.Decision.CONFIRMED
    )
    before = {k: (v.decision, v.score, v.evidence) for k, v in candidates().items()}

    second = dedup.scan()
    assert second.pairs_new == 0
    assert second.pairs_found == first.pairs_found - 2  # decided pairs are not proposed again
    after = {k: (v.decision, v.score, v.evidence) for k, v in candidates().items()}
    assert after == before
    assert after[pair(a, b)][0] == DuplicateCandidate.Decision.REJECTED
    assert DuplicateCandidate.objects.count() == first.pairs_new


def test_retired_and_merged_records_are_left_out(planted):
    a, b = planted["dups"]["russian_ending"]
    Voter.objects.filter(pk=b.pk).update(status=VoterStatus.DECEASED)
    c, d = planted["dups"]["apostrophe"]
    Voter.objects.filter(pk=d.pk).update(merged_into=c)
    dedup.scan()
    assert pair(a, b) not in candidates() and pair(c, d) not in candidates()
    assert len(candidates()) == len(planted["dups"]) - 2


def test_scan_is_audited(planted):
    n = AuditEvent.objects.filter(action="voters.duplicates.scan").count()
    result = dedup.scan()
    event = AuditEvent.objects.filter(action="voters.duplicates.scan").latest("id")
    assert AuditEvent.objects.filter(action="voters.duplicates.scan").count() == n + 1
    assert event.object_type == "voters.duplicates"
    assert event.after["pairs_found"] == result.pairs_found
    assert event.after["pairs_new"] == result.pairs_new
    assert event.after["voters"] == Voter.objects.count()
    dedup.scan()
    assert AuditEvent.objects.filter(action="voters.duplicates.scan").latest("id").after["pairs_new"] == 0


def test_region_scan_compares_that_region_only(area, planted):
    other = DistrictFactory(region=RegionFactory())
    x = voter(other, "Saidov", "Anvar", "Tohir oʻgʻli", date(1999, 9, 9))
    y = voter(other, "Саидов", "Анвар", "Тоҳир ўғли", date(1999, 9, 9))
    result = dedup.scan(region_id=area["region"].pk)
    assert result.pairs_new == len(planted["dups"])
    assert pair(x, y) not in candidates()
    assert dedup.scan(region_id=other.region_id).pairs_new == 1
    assert pair(x, y) in candidates()


def test_large_blocks_are_split_not_skipped(planted, monkeypatch):
    monkeypatch.setattr(scoring, "BLOCK_CAP", 2)
    born = date(1985, 3, 14)  # Alisher Karimov's birthday, surname prefix "kar"
    d1 = planted["dups"]["cyrillic"][0].district
    for given in ("Sanjar", "Umid", "Zafar", "Rustam"):
        voter(d1, "Karimov", given, "Rustam oʻgʻli", born)
    dedup.scan()
    assert set(candidates()) == {pair(a, b) for a, b in planted["dups"].values()}


def test_min_score(planted):
    dedup.scan(min_score=0.995)
    found = candidates()
    assert found and all(c.score >= 0.995 for c in found.values())
    assert pair(*planted["dups"]["date_typo"]) not in found


def test_evidence_for(planted):
    a, b = planted["dups"]["cyrillic"]
    ev = dedup.evidence_for(a, b)
    assert ev["scripts"] == "latin/cyrillic" and ev["birth_date"] == "exact" and ev["sex"] == "same"
    assert ev["surname"] == ev["given"] == ev["patronymic"] == 1.0
    assert ev["score"] >= 0.99
    c, d = planted["dups"]["swapped_day_month"]
    assert dedup.evidence_for(c, d)["birth_date"] == "swapped"
    twin = planted["lookalikes"][0]
    ev = dedup.evidence_for(a, twin)
    assert ev["score"] == 0 and ev["different"] == ["given"]
    sister = planted["lookalikes"][3]
    assert dedup.evidence_for(a, sister)["sex"] == "different"
    assert dedup.evidence_for(a, sister)["score"] == 0


def test_compare_names():
    assert dedup.compare_names("karimav", "karimav") == (1.0, "exact")
    assert dedup.compare_names("", "")[1] == "missing"
    assert dedup.compare_names("hasan", "husan")[1] == "variant"
    assert dedup.compare_names("hasan", "husan", 3000, 2800)[1] == "different"
    assert dedup.compare_names("yusuf", "yuf", 3000, 1)[1] == "misspelt-far"
    assert dedup.compare_names("yusuf", "yuf")[1] == "different"
    assert dedup.compare_names("alisher", "babur")[1] == "different"
