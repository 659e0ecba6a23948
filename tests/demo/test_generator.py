"""The synthetic voter-file generator: valid unique PINFLs, determinism, near-duplicates and their ground truth."""

import csv
import io
import re
import time
from collections import Counter
from datetime import date
from pathlib import Path
from random import Random

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from core.names import normalize_name, normalize_patronymic
from core.pinfl import parse_pinfl, validate_pinfl
from demo.generator import (
    COLUMNS,
    KINDS,
    near_duplicate,
    people,
    static_geography,
    write_voter_file,
)

AS_OF = date(2026, 3, 1)
GEO = static_geography()
CYR = re.compile("[\u0400-\u052f]")
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def age(born: date, on: date = AS_OF) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def read_csv(path, encoding="utf-8", delimiter=","):
    with open(path, encoding=encoding, newline="") as fh:
        return list(csv.DictReader(fh, delimiter=delimiter))


def read_truth(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def dup_file(tmp_path_factory):
    """10,000 rows, 5% near-duplicates."""
    folder = tmp_path_factory.mktemp("dups")
    path, truth = folder / "voters.csv", folder / "truth.csv"
    counts = write_voter_file(path, 10_000, duplicates_share=0.05, seed=11, truth_path=truth, as_of=AS_OF)
    rows = read_csv(path)
    return {"counts": counts, "rows": rows, "truth": read_truth(truth), "index": {r["pinfl"]: i for i, r in enumerate(rows)}}


# --------------------------------------------------------------------------- people


def test_pinfls_valid_unique_and_agree_with_birth_date_and_sex():
    seen = set()
    for p in people(20_000, geography=GEO, seed=5, as_of=AS_OF):
        info = validate_pinfl(p.pinfl, birth_date=date.fromisoformat(p.birth_date), sex=p.sex)
        assert 18 <= age(info.birth_date) <= 90
        seen.add(p.pinfl)
    assert len(seen) == 20_000


def test_start_serial_gives_new_pinfls():
    first = {p.pinfl for p in people(3_000, geography=GEO, seed=1, as_of=AS_OF)}
    second = {p.pinfl for p in people(3_000, geography=GEO, seed=1, start_serial=3_000, as_of=AS_OF)}
    assert not first & second


def test_fields_follow_the_layout():
    codes = {d: set(ms) for d, ms in GEO}
    passports = []
    statuses = Counter()
    sexes = Counter()
    for p in people(5_000, geography=GEO, seed=2, as_of=AS_OF):
        assert p.district_code in codes
        assert p.mahalla_code == "" or p.mahalla_code in codes[p.district_code]
        for name in (p.surname, p.given_name, p.patronymic):
            assert re.fullmatch(r"[^\W\d_][\w\s'ʻʼ`‘’.\-]*", name), name
            assert name[0] not in "=+-@"
        assert re.fullmatch(r"\d{1,3}[AB]?", p.house)
        assert p.flat == "" or p.flat.isdigit()
        statuses[p.status] += 1
        sexes[p.sex] += 1
        if p.passport:
            assert re.fullmatch(r"[A-Z]{2}\d{7}", p.passport)
            passports.append(p.passport)
    assert set(statuses) <= {"active", "", "deceased", "incapable", "excluded"}
    assert statuses["active"] > 4_000 and statuses["deceased"] > 0
    assert 0.45 < sexes["F"] / 5_000 < 0.56
    assert 300 < len(passports) < 700
    assert len(set(passports)) == len(passports)


def test_gendered_surname_endings():
    males, females = Counter(), Counter()
    for p in people(20_000, geography=GEO, seed=3, cyrillic_share=0, as_of=AS_OF):
        (females if p.sex == "F" else males)[p.surname] += 1
    assert all(not s.endswith(("ova", "yeva", "eva", "ina")) for s in males)
    assert all(not s.endswith(("ov", "yev", "ev", "in")) for s in females)
    endings = {e: any(s.endswith(e) for s in males) for e in ("ov", "yev", "in")}
    endings.update({e: any(s.endswith(e) for s in females) for e in ("ova", "yeva", "eva", "ina")})
    assert all(endings.values()), endings
    assert "Aliyev" in males and "Karimova" in females and "Ergashev" in males
    assert len(males) > 150 and len(females) > 150


def test_patronymic_styles():
    seen = set()
    for p in people(5_000, geography=GEO, seed=4, cyrillic_share=0, as_of=AS_OF):
        pat = p.patronymic
        if pat.endswith(" oʻgʻli"):
            seen.add("ogli")
            assert p.sex == "M"
        elif pat.endswith(" qizi"):
            seen.add("qizi")
            assert p.sex == "F"
        elif pat.endswith("vich"):
            seen.add("vich")
            assert p.sex == "M"
        elif pat.endswith("vna"):
            seen.add("vna")
            assert p.sex == "F"
    assert seen == {"ogli", "qizi", "vich", "vna"}


def test_cyrillic_share_roughly_right():
    rows = list(people(20_000, geography=GEO, seed=6, as_of=AS_OF))
    share = sum(1 for p in rows if CYR.search(p.surname)) / len(rows)
    assert 0.32 < share < 0.38
    assert all(bool(CYR.search(p.surname)) == bool(CYR.search(p.given_name)) for p in rows)
    none = list(people(2_000, geography=GEO, seed=6, cyrillic_share=0, as_of=AS_OF))
    assert not any(CYR.search(p.surname + p.given_name + p.patronymic) for p in none)


def test_minors_only_when_asked():
    def ages(**kw):
        return Counter(age(p.birth) for p in people(5_000, geography=GEO, seed=8, as_of=AS_OF, **kw))

    assert min(ages()) >= 18
    with_minors = ages(minors_share=0.05)
    assert 150 < with_minors[17] < 350
    assert min(with_minors) == 17
    assert max(with_minors) <= 90


# --------------------------------------------------------------------------- files


def test_same_seed_same_bytes(tmp_path):
    for name in ("a", "b"):
        write_voter_file(
            tmp_path / f"{name}.csv",
            3_000,
            duplicates_share=0.02,
            seed=42,
            as_of=AS_OF,
            truth_path=tmp_path / f"{name}.truth.csv",
        )
    write_voter_file(tmp_path / "c.csv", 3_000, duplicates_share=0.02, seed=43, as_of=AS_OF)
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert (tmp_path / "a.truth.csv").read_bytes() == (tmp_path / "b.truth.csv").read_bytes()
    assert (tmp_path / "a.csv").read_bytes() != (tmp_path / "c.csv").read_bytes()


def test_originals_are_the_people_stream(tmp_path):
    """The non-duplicate rows of a file are exactly people() with the same seed."""
    write_voter_file(tmp_path / "v.csv", 2_000, duplicates_share=0.05, seed=9, as_of=AS_OF, truth_path=tmp_path / "t.csv")
    dups = {r["pinfl_b"] for r in read_truth(tmp_path / "t.csv")}
    originals = [r for r in read_csv(tmp_path / "v.csv") if r["pinfl"] not in dups]
    expected = list(people(1_900, geography=GEO, seed=9, as_of=AS_OF))
    assert [list(r.values()) for r in originals] == [p.row() for p in expected]


def test_duplicate_share_and_truth(dup_file):
    rows, truth, index = dup_file["rows"], dup_file["truth"], dup_file["index"]
    assert len(rows) == 10_000
    assert list(rows[0].keys()) == list(COLUMNS)
    assert len(index) == 10_000  # every PINFL once
    assert len(truth) == 500 == dup_file["counts"]["duplicates"]
    assert set(truth[0].keys()) == {"pinfl_a", "pinfl_b", "kind"}
    used = Counter()
    for t in truth:
        a, b = index[t["pinfl_a"]], index[t["pinfl_b"]]
        assert b > a + 1  # after its original, never adjacent
        used[t["pinfl_a"]] += 1
        used[t["pinfl_b"]] += 1
        assert t["kind"] in KINDS
    assert max(used.values()) == 1  # pairs are disjoint
    gaps = [index[t["pinfl_b"]] - index[t["pinfl_a"]] for t in truth]
    assert max(gaps) > 1_000  # spread over the file, not clustered


def test_every_kind_appears(dup_file):
    kinds = Counter(t["kind"] for t in dup_file["truth"])
    assert set(kinds) == set(KINDS), kinds
    assert all(v >= 15 for v in kinds.values()), kinds


def test_duplicates_have_valid_pinfls_that_agree(dup_file):
    rows, index = dup_file["rows"], dup_file["index"]
    for t in dup_file["truth"]:
        a, b = rows[index[t["pinfl_a"]]], rows[index[t["pinfl_b"]]]
        assert a["pinfl"] != b["pinfl"]
        validate_pinfl(b["pinfl"], birth_date=date.fromisoformat(b["birth_date"]), sex=b["sex"])
        assert a["sex"] == b["sex"]


def _one_edit(a: str, b: str) -> bool:
    if a == b:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    if abs(len(a) - len(b)) != 1:
        return False
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def test_each_kind_is_what_it_says(dup_file):
    rows, index = dup_file["rows"], dup_file["index"]
    for t in dup_file["truth"]:
        a, b = rows[index[t["pinfl_a"]]], rows[index[t["pinfl_b"]]]
        born_a, born_b = date.fromisoformat(a["birth_date"]), date.fromisoformat(b["birth_date"])
        kind = t["kind"]
        if kind == "swapped_day_month":
            assert born_a.day <= 12 and born_a.day != born_a.month
            assert (born_b.day, born_b.month, born_b.year) == (born_a.month, born_a.day, born_a.year)
            assert parse_pinfl(b["pinfl"]).birth_date == born_b
        else:
            assert born_a == born_b
        if kind == "cyrillic":
            assert bool(CYR.search(a["surname"])) != bool(CYR.search(b["surname"]))
        if kind in ("russian_ending", "apostrophe"):
            assert not CYR.search(b["surname"] + b["given_name"] + b["patronymic"])
            assert (a["surname"], a["given_name"], a["patronymic"]) != (b["surname"], b["given_name"], b["patronymic"])
        if kind == "apostrophe":
            assert "ʻ" in a["surname"] + a["given_name"] + a["patronymic"]
        if kind == "typo" and bool(CYR.search(a["surname"])) == bool(CYR.search(b["surname"])):
            changed = [f for f in ("surname", "given_name") if a[f] != b[f]]
            assert len(changed) == 1  # one letter of one name (same script)
            x, y = a[changed[0]], b[changed[0]]
            assert _one_edit(x, y), (x, y)
            assert x[0] == y[0]


@pytest.mark.parametrize("kind", ["cyrillic", "russian_ending", "apostrophe"])
def test_spelling_duplicates_have_the_same_name_keys(dup_file, kind):
    """The normaliser must see through script, Russian-style spelling and apostrophes."""
    rows, index = dup_file["rows"], dup_file["index"]
    pairs = [(rows[index[t["pinfl_a"]]], rows[index[t["pinfl_b"]]]) for t in dup_file["truth"] if t["kind"] == kind]
    assert pairs
    for a, b in pairs:
        assert normalize_name(a["surname"]) == normalize_name(b["surname"]), (a["surname"], b["surname"])
        assert normalize_name(a["given_name"]) == normalize_name(b["given_name"]), (a["given_name"], b["given_name"])
        assert normalize_patronymic(a["patronymic"]) == normalize_patronymic(b["patronymic"]), (a["patronymic"], b["patronymic"])


@pytest.mark.parametrize("kind", ["cyrillic", "russian_ending", "apostrophe"])
def test_spelling_variants_of_every_name_have_the_same_keys(kind):
    """The same check on every kind of name: each of 20,000 people gets a forced variant of ``kind``."""
    rng = Random(21)
    failures = Counter()
    for p in people(20_000, geography=GEO, seed=21, as_of=AS_OF):
        dup, got = near_duplicate(p, rng, kind=kind)
        if got != kind:
            continue
        for field, key in (("surname", normalize_name), ("given_name", normalize_name), ("patronymic", normalize_patronymic)):
            a, b = getattr(p, field), getattr(dup, field)
            if key(a) != key(b):
                failures[f"{a} / {b}: {key(a)} != {key(b)}"] += 1
    assert not failures, failures.most_common(10)


@pytest.mark.parametrize(
    ("surname", "variant"),
    [
        ("Sergeyev", "Sergeev"),
        ("Alekseyeva", "Alekseeva"),
        ("Andreyev", "Andreev"),
        ("Сергеев", "Sergeev"),
    ],
)
def test_russian_style_e_endings_normalise_alike(surname, variant):
    """Realistic pairs the generator produces (Алексеев: Uzbek Latin Alekseyev, Russian-style Alekseev)."""
    assert normalize_name(surname) == normalize_name(variant)


def test_near_duplicate_standalone():
    rng = Random(3)
    kinds = Counter()
    for p in people(2_000, geography=GEO, seed=12, as_of=AS_OF):
        dup, kind = near_duplicate(p, rng, geography=GEO)
        kinds[kind] += 1
        assert dup.pinfl != p.pinfl and dup.key == p.key
        validate_pinfl(dup.pinfl, birth_date=dup.birth, sex=dup.sex)
    assert set(kinds) == set(KINDS)
    forced = next(p for p in people(50, geography=GEO, seed=12, as_of=AS_OF) if p.birth.day <= 12 != p.birth.month)
    dup, kind = near_duplicate(forced, rng, kind="swapped_day_month")
    assert kind == "swapped_day_month" and dup.birth == date(forced.birth.year, forced.birth.day, forced.birth.month)


@pytest.mark.parametrize(("encoding", "delimiter"), [("utf-8-sig", ","), ("cp1251", ";")])
def test_encodings(tmp_path, encoding, delimiter):
    path = tmp_path / "v.csv"
    write_voter_file(path, 500, seed=3, encoding=encoding, delimiter=delimiter, as_of=AS_OF, date_style="dmy", sex_style="ru")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(raw.decode(encoding)), delimiter=delimiter))
    assert len(rows) == 500 and list(rows[0]) == list(COLUMNS)
    assert all(re.fullmatch(r"\d\d\.\d\d\.\d{4}", r["birth_date"]) for r in rows)
    assert {r["sex"] for r in rows} == {"М", "Ж"}
    assert any(CYR.search(r["surname"]) for r in rows)


def test_xlsx(tmp_path):
    path = tmp_path / "v.xlsx"
    write_voter_file(path, 300, duplicates_share=0.02, seed=4, fmt="xlsx", truth_path=tmp_path / "t.csv", as_of=AS_OF)
    ws = load_workbook(path, read_only=True).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == COLUMNS
    assert len(rows) == 301
    assert len(read_truth(tmp_path / "t.csv")) == 6
    for row in rows[1:]:
        parse_pinfl(row[0])


def test_bad_arguments(tmp_path):
    with pytest.raises(ValueError):
        write_voter_file(tmp_path / "v.csv", 10, duplicates_share=0.9)
    with pytest.raises(ValueError):
        write_voter_file(tmp_path / "v.csv", 10, delimiter="\t")
    with pytest.raises(ValueError):
        list(people(1, geography=[]))


def test_200k_rows(tmp_path):
    """Generation rate (printed; run with -s to see it).  No time limit here: see the benchmarks."""
    started = time.perf_counter()
    counts = write_voter_file(
        tmp_path / "v.csv", 200_000, duplicates_share=0.01, seed=1, as_of=AS_OF, truth_path=tmp_path / "t.csv"
    )
    seconds = time.perf_counter() - started
    print(f"\n200,000 rows in {seconds:.2f} s: {200_000 / seconds:,.0f} rows/s")
    assert counts["rows"] == 200_000 and counts["duplicates"] == 2_000
    with open(tmp_path / "v.csv", encoding="utf-8") as fh:
        assert sum(1 for _ in fh) == 200_001


# --------------------------------------------------------------------------- sample files


@pytest.mark.parametrize(
    ("name", "encoding", "delimiter"),
    [
        ("voters_utf8.csv", "utf-8", ","),
        ("voters_cp1251_semicolon.csv", "cp1251", ";"),
        ("voters_bom.csv", "utf-8-sig", ","),
    ],
)
def test_sample_files(name, encoding, delimiter):
    raw = (FIXTURES / name).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(raw.decode(encoding)), delimiter=delimiter))
    _check_sample(rows)


def test_sample_xlsx():
    ws = load_workbook(FIXTURES / "voters.xlsx", read_only=True).worksheets[0]
    values = list(ws.iter_rows(values_only=True))
    rows = [dict(zip(values[0], (v or "" for v in row), strict=True)) for row in values[1:]]
    _check_sample(rows)


def _check_sample(rows):
    codes = {d: set(ms) for d, ms in GEO}
    assert 15 <= len(rows) <= 30
    assert set(rows[0]) == set(COLUMNS)
    assert len({r["pinfl"] for r in rows}) == len(rows)
    for r in rows:
        b = r["birth_date"]
        born = date.fromisoformat(b) if "-" in b else date(int(b[6:]), int(b[3:5]), int(b[:2]))
        sex = {"E": "M", "A": "F", "М": "M", "Ж": "F"}.get(r["sex"], r["sex"])
        validate_pinfl(r["pinfl"], birth_date=born, sex=sex)
        assert r["district_code"] in codes
        assert r["mahalla_code"] == "" or r["mahalla_code"] in codes[r["district_code"]]


# --------------------------------------------------------------------------- command


@pytest.mark.django_db
def test_command_writes_cp1251_semicolon(country, tmp_path):
    out = tmp_path / "voters.csv"
    call_command(
        "make_voter_file",
        "--rows",
        "400",
        "--duplicates",
        "0.05",
        "--out",
        str(out),
        "--encoding",
        "cp1251",
        "--delimiter",
        ";",
        "--seed",
        "7",
        stdout=io.StringIO(),
    )
    text = out.read_bytes().decode("cp1251")  # strict: every character is Windows-1251
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 400 and list(rows[0]) == list(COLUMNS)
    districts = {d.code: d for d in country.districts.values()}
    mahalla_district = {m.code: m.district.code for m in country.mahallas.values()}
    for r in rows:
        assert r["district_code"] in districts
        assert r["mahalla_code"] == "" or mahalla_district[r["mahalla_code"]] == r["district_code"]
    assert any(CYR.search(r["surname"]) for r in rows)
    assert not any("ʻ" in r["surname"] + r["given_name"] + r["patronymic"] for r in rows)
    assert any("'" in r["patronymic"] for r in rows)  # oʻgʻli written o'g'li
    truth = read_truth(tmp_path / "voters.csv.truth.csv")
    assert len(truth) == 20


@pytest.mark.django_db
def test_command_xlsx_and_truth_option(country, tmp_path):
    out = tmp_path / "voters.xlsx"
    call_command(
        "make_voter_file",
        "--rows",
        "100",
        "--duplicates",
        "0.1",
        "--out",
        str(out),
        "--truth",
        str(tmp_path / "pairs.csv"),
        stdout=io.StringIO(),
    )
    assert len(list(load_workbook(out, read_only=True).worksheets[0].iter_rows(values_only=True))) == 101
    assert len(read_truth(tmp_path / "pairs.csv")) == 10


@pytest.mark.django_db
def test_command_needs_the_demo_country(tmp_path):
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("make_voter_file", "--rows", "10", "--out", str(tmp_path / "v.csv"))
