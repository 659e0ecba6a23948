"""Synthetic voter-registry files: realistic people, known near-duplicates, ground truth.

Used by ``manage.py make_voter_file``, the import and duplicate-detection
benchmarks and the tests.  Fast (about a million rows in a few seconds),
deterministic (everything comes from seeded :class:`random.Random` objects, so
the same arguments give the same bytes) and streaming (rows go to disk in
chunks; memory does not grow with the number of rows, only with the number of
injected duplicates).

People
======

Most people are Uzbek (names in Uzbek Latin, the 1995 alphabet with ``ʻ`` in
oʻ/gʻ), some Karakalpak and some Russian (both written natively in Cyrillic,
their Latin form is :func:`core.names.to_latin` of it).  Surnames take the
gendered ending of their stem: Uzbek -ov/-ova after a consonant, -yev/-yeva
after a vowel, -ev/-eva after y, sh, ch, j (Karimov, Aliyev, Norboyev,
Ergasheva); Russian -ов/-ова, -ев/-ева, -ин/-ина, -ский/-ская, and the
invariable Ukrainian -енко, -ук; Karakalpak -ов/-ова, -ев/-ева (Жумабаев).
Patronymics come from a father's name: Uzbek ``Rustam oʻgʻli`` /
``Rustam qizi`` or ``Rustamovich`` / ``Rustamovna``; Russian ``Сергеевич`` /
``Сергеевна``; Karakalpak ``Ерназарович`` or ``Ерназар улы`` / ``Ерназар қызы``.

A share of the records (``cyrillic_share``) is written in Cyrillic (Uzbek
names through :func:`core.names.to_cyrillic`), the rest in Latin; the street
follows the script of the names.  Adults are 18 to 90 years old (a younger
population has more weight); ``minors_share`` adds 17-year-olds so that list
building can be tested for eligibility.  Statuses are mostly active, with a
few deceased, incapable (court decision) and excluded records; some people
have a passport number (two letters and seven digits, unique).

PINFL
=====

Every PINFL is valid (:func:`core.pinfl.make_pinfl`) and agrees with the
birth date and sex.  Area and serial (digits 8-13) come from a counter kept per
(birth date, sex), scrambled by a bijection, so no two people of one call
share a PINFL.  Originals count up from ``start_serial``, near-duplicates count
down from the top: a second call with ``start_serial`` at least the number of
rows of the first never repeats one of its PINFLs.

Near-duplicates
===============

:func:`near_duplicate` makes another record of the same human with a
different PINFL and one variation (its *kind*):

``cyrillic``           the names in the other script (Latin <-> Cyrillic)
``russian_ending``     Russian-style Latin: Abdullayev -> Abdullaev, -yeva -> -eva,
                       oʻ -> u, gʻ -> g, x -> kh, j -> dzh, q -> k
``swapped_day_month``  birth date with day and month swapped (only when day <= 12
                       and day != month); the PINFL encodes the swapped date
``typo``               one letter of the surname or given name substituted,
                       dropped or doubled (never the first letter)
``apostrophe``         another apostrophe in oʻ/gʻ (ʻ ' ` ‘ ’ ʼ)

``swapped_day_month`` and ``typo`` sometimes also switch the script; about a
third of the duplicates also live at another address (moved).  In a file
written by :func:`write_voter_file` every duplicate comes after its original,
never right after it, and the ground truth lists each pair as
``pinfl_a,pinfl_b,kind`` (original, duplicate, kind).
"""

from __future__ import annotations

import bisect
import csv
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path
from random import Random

from openpyxl import Workbook

from core.names import APOSTROPHES, OKINA, to_cyrillic, to_latin
from core.pinfl import make_pinfl
from demo.geodata import REGIONS, STREET_NAMES
from elections.models import District, Mahalla

__all__ = [
    "COLUMNS",
    "KINDS",
    "Person",
    "demo_geography",
    "near_duplicate",
    "people",
    "static_geography",
    "write_voter_file",
]

#: The columns of the import layout (docs/formats/voter-import.md), in the order files are written.
COLUMNS = (
    "pinfl",
    "surname",
    "given_name",
    "patronymic",
    "birth_date",
    "sex",
    "district_code",
    "mahalla_code",
    "street",
    "house",
    "flat",
    "status",
    "passport",
)
#: Near-duplicate kinds.
KINDS = ("cyrillic", "russian_ending", "swapped_day_month", "typo", "apostrophe")

Geography = list[tuple[str, list[str]]]

# --------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------

# Uzbek given names, Uzbek Latin (1995 alphabet, ʻ U+02BB, ʼ U+02BC).
UZ_MALE = (
    "Abbos",
    "Abdulla",
    "Abdurahmon",
    "Abduvali",
    "Abror",
    "Akbar",
    "Akmal",
    "Alijon",
    "Alisher",
    "Anvar",
    "Asad",
    "Asilbek",
    "Azamat",
    "Aziz",
    "Bahodir",
    "Bahrom",
    "Baxtiyor",
    "Behzod",
    "Bekzod",
    "Bobur",
    "Botir",
    "Bunyod",
    "Davron",
    "Dilmurod",
    "Dilshod",
    "Diyor",
    "Doniyor",
    "Eldor",
    "Elyor",
    "Erkin",
    "Ergash",
    "Eshmat",
    "Farhod",
    "Farrux",
    "Fayzullo",
    "Fazliddin",
    "Gʻayrat",
    "Gʻofur",
    "Gʻulom",
    "Habib",
    "Hamid",
    "Hamza",
    "Hasan",
    "Husan",
    "Husniddin",
    "Ibrohim",
    "Ikrom",
    "Ilhom",
    "Islom",
    "Ismoil",
    "Jahongir",
    "Jaloliddin",
    "Jamshid",
    "Jasur",
    "Javlon",
    "Kamol",
    "Kamoliddin",
    "Karim",
    "Komil",
    "Latif",
    "Lazizbek",
    "Mahmud",
    "Majid",
    "Mansur",
    "Mashrab",
    "Mirjalol",
    "Mirzo",
    "Muhammad",
    "Muhammadali",
    "Murod",
    "Mustafo",
    "Muzaffar",
    "Nabi",
    "Nodir",
    "Nurali",
    "Nuriddin",
    "Nurillo",
    "Obid",
    "Odil",
    "Olim",
    "Otabek",
    "Oybek",
    "Oʻktam",
    "Oʻlmas",
    "Oʻtkir",
    "Poʻlat",
    "Qahramon",
    "Qodir",
    "Rahim",
    "Rashid",
    "Ravshan",
    "Rizo",
    "Ruslan",
    "Rustam",
    "Said",
    "Salim",
    "Sanjar",
    "Sardor",
    "Sarvar",
    "Shamsiddin",
    "Shavkat",
    "Sherzod",
    "Shohruh",
    "Shokir",
    "Shuhrat",
    "Sirojiddin",
    "Sobir",
    "Sunnat",
    "Temur",
    "Tohir",
    "Tolib",
    "Toshmat",
    "Toshpoʻlat",
    "Tursunboy",
    "Ulugʻbek",
    "Umar",
    "Umid",
    "Valijon",
    "Vohid",
    "Xayrullo",
    "Xurshid",
    "Yoqub",
    "Yunus",
    "Yusuf",
    "Zafar",
    "Zayniddin",
    "Zokir",
    "Zuhriddin",
    "Maʼruf",
    "Neʼmat",
)
UZ_FEMALE = (
    "Aziza",
    "Barno",
    "Dilbar",
    "Dildora",
    "Dilfuza",
    "Dilnoza",
    "Dilorom",
    "Durdona",
    "Farangiz",
    "Farida",
    "Feruza",
    "Fotima",
    "Goʻzal",
    "Gulbahor",
    "Gulchehra",
    "Gulnora",
    "Gulnoza",
    "Gulsanam",
    "Gulshan",
    "Gʻuncha",
    "Hamida",
    "Hanifa",
    "Hilola",
    "Hulkar",
    "Inobat",
    "Iroda",
    "Jamila",
    "Kamola",
    "Karomat",
    "Komila",
    "Latofat",
    "Laylo",
    "Lobar",
    "Lola",
    "Madina",
    "Maftuna",
    "Mahbuba",
    "Mahliyo",
    "Malika",
    "Mamlakat",
    "Manzura",
    "Marhabo",
    "Marjona",
    "Mastura",
    "Matluba",
    "Mavluda",
    "Mehriniso",
    "Mohinur",
    "Mohira",
    "Muattar",
    "Muhabbat",
    "Munavvar",
    "Munira",
    "Munisa",
    "Muqaddas",
    "Muslima",
    "Nafisa",
    "Nargiza",
    "Nasiba",
    "Nazokat",
    "Nigina",
    "Nigora",
    "Nilufar",
    "Nodira",
    "Nozima",
    "Odina",
    "Oydin",
    "Oygul",
    "Oysha",
    "Ozoda",
    "Oʻgʻiloy",
    "Parizod",
    "Qunduz",
    "Rano",
    "Rayhon",
    "Robiya",
    "Rohila",
    "Ruxsora",
    "Sabina",
    "Sabohat",
    "Sadoqat",
    "Saida",
    "Salomat",
    "Sanobar",
    "Saodat",
    "Sarvinoz",
    "Sayyora",
    "Sevara",
    "Shahlo",
    "Shahnoza",
    "Shahzoda",
    "Shirin",
    "Shoira",
    "Shohista",
    "Sitora",
    "Soliha",
    "Surayyo",
    "Tursunoy",
    "Umida",
    "Vasila",
    "Xadicha",
    "Xolida",
    "Xurshida",
    "Yayra",
    "Yulduz",
    "Zamira",
    "Zarina",
    "Zarnigor",
    "Zebo",
    "Zilola",
    "Ziyoda",
    "Zuhra",
    "Zulfiya",
    "Maʼmura",
    "Gulruh",
    "Mohlaroyim",
    "Dilrabo",
    "Shaxnoza",
    "Nodiraxon",
    "Feruzaxon",
)
# Uzbek surname stems; the ending follows the last letters (see _uz_surname).
UZ_STEMS = (
    "Abdulla",
    "Abdurahmon",
    "Abduraim",
    "Ahmed",
    "Akbar",
    "Ali",
    "Alim",
    "Ashur",
    "Azim",
    "Bahrom",
    "Bekmurod",
    "Bobo",
    "Bozor",
    "Davron",
    "Egamberdi",
    "Ergash",
    "Eshmat",
    "Fayzulla",
    "Gʻani",
    "Gʻofur",
    "Gʻulom",
    "Hakim",
    "Hamid",
    "Hasan",
    "Haydar",
    "Husan",
    "Ibodulla",
    "Ibrohim",
    "Inoyat",
    "Islom",
    "Ismoil",
    "Jabbor",
    "Jalil",
    "Juma",
    "Joʻra",
    "Kamol",
    "Karim",
    "Latip",
    "Mahmud",
    "Majid",
    "Mamat",
    "Mansur",
    "Mirza",
    "Muhammadi",
    "Murod",
    "Musa",
    "Nabi",
    "Nasriddin",
    "Nazar",
    "Neʼmat",
    "Norboy",
    "Normat",
    "Nuriddin",
    "Nurmat",
    "Obid",
    "Ochil",
    "Olim",
    "Orip",
    "Parda",
    "Poʻlat",
    "Qayum",
    "Qodir",
    "Qosim",
    "Qurbon",
    "Rahim",
    "Rahmon",
    "Rajab",
    "Rashid",
    "Rasul",
    "Roʻzi",
    "Sadulla",
    "Safar",
    "Said",
    "Salim",
    "Sattor",
    "Sharip",
    "Shodi",
    "Shukur",
    "Sobir",
    "Sodiq",
    "Sulton",
    "Temir",
    "Tilla",
    "Toji",
    "Toshmat",
    "Toʻxta",
    "Tursun",
    "Turgʻun",
    "Umar",
    "Usmon",
    "Vali",
    "Vohid",
    "Xoliq",
    "Xolmat",
    "Xoʻja",
    "Xudoyberdi",
    "Yoqub",
    "Yoʻldosh",
    "Yunus",
    "Yusup",
    "Zarip",
    "Zokir",
    "Zufar",
    "Abdujalil",
    "Abdusalom",
    "Baxtiyor",
    "Berdi",
    "Boymurod",
    "Choriyor",
    "Doʻst",
    "Eshon",
    "Gʻayrat",
    "Hayit",
    "Ikrom",
    "Jamol",
    "Karimber",
    "Mengli",
    "Mirzaahmad",
    "Moʻmin",
    "Norqul",
    "Oʻroq",
    "Pirmat",
    "Qoʻchqor",
    "Rustam",
    "Saidaziz",
    "Shermat",
    "Soli",
    "Tojimurod",
    "Xayit",
    "Yoʻlchi",
    "Qudrat",
    "Mardon",
    "Xushvaqt",
    "Erkin",
)

# Russian names, Cyrillic: (given name, patronymic stem) so that stem + "ич" / "на" is the patronymic.
RU_MALE = (
    ("Александр", "Александров"),
    ("Алексей", "Алексеев"),
    ("Андрей", "Андреев"),
    ("Антон", "Антонов"),
    ("Артём", "Артёмов"),
    ("Борис", "Борисов"),
    ("Вадим", "Вадимов"),
    ("Валерий", "Валерьев"),
    ("Василий", "Васильев"),
    ("Виктор", "Викторов"),
    ("Владимир", "Владимиров"),
    ("Вячеслав", "Вячеславов"),
    ("Геннадий", "Геннадьев"),
    ("Георгий", "Георгиев"),
    ("Григорий", "Григорьев"),
    ("Денис", "Денисов"),
    ("Дмитрий", "Дмитриев"),
    ("Евгений", "Евгеньев"),
    ("Иван", "Иванов"),
    ("Игорь", "Игорев"),
    ("Константин", "Константинов"),
    ("Максим", "Максимов"),
    ("Михаил", "Михайлов"),
    ("Николай", "Николаев"),
    ("Олег", "Олегов"),
    ("Павел", "Павлов"),
    ("Пётр", "Петров"),
    ("Роман", "Романов"),
    ("Сергей", "Сергеев"),
    ("Юрий", "Юрьев"),
    ("Леонид", "Леонидов"),
    ("Анатолий", "Анатольев"),
    ("Кирилл", "Кириллов"),
)
RU_FEMALE = (
    "Анна",
    "Валентина",
    "Галина",
    "Екатерина",
    "Елена",
    "Ирина",
    "Людмила",
    "Марина",
    "Мария",
    "Наталья",
    "Надежда",
    "Ольга",
    "Светлана",
    "Татьяна",
    "Юлия",
    "Вера",
    "Любовь",
    "Нина",
    "Лариса",
    "Оксана",
    "Алла",
    "Анастасия",
    "Дарья",
    "Ксения",
    "Виктория",
    "Евгения",
    "Тамара",
    "Полина",
    "Софья",
    "Лидия",
)
# Russian (and Ukrainian, Polish-origin) surnames, masculine form.
RU_SURNAMES = (
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Никитин",
    "Захаров",
    "Зайцев",
    "Соловьёв",
    "Борисов",
    "Яковлев",
    "Григорьев",
    "Романов",
    "Воробьёв",
    "Сергеев",
    "Кузьмин",
    "Фролов",
    "Дмитриев",
    "Королёв",
    "Гусев",
    "Ильин",
    "Сорокин",
    "Медведев",
    "Тарасов",
    "Жуков",
    "Белов",
    "Шевченко",
    "Коваленко",
    "Бондаренко",
    "Ковальчук",
    "Полищук",
    "Вишневский",
    "Покровский",
    "Шубин",
    "Цветков",
    "Ким",
    "Пак",
)

# Karakalpak names, Cyrillic (Karakalpak letters ә ө ү ң қ ғ ҳ ў).
KK_MALE = (
    "Бердах",
    "Әжинияз",
    "Абат",
    "Алламберген",
    "Айбек",
    "Бахадыр",
    "Бекберген",
    "Дәўлет",
    "Жақсылық",
    "Камал",
    "Марат",
    "Нурлан",
    "Ораз",
    "Полат",
    "Курбанбай",
    "Сапарбай",
    "Тлеуберген",
    "Умарбек",
    "Жумабай",
    "Есемурат",
    "Қуаныш",
    "Ерназар",
    "Азамат",
    "Ербол",
    "Муратбай",
    "Нурымбет",
    "Айдос",
    "Жолдасбай",
    "Өтеген",
    "Сейтжан",
)
KK_FEMALE = (
    "Әйимхан",
    "Айсулу",
    "Гулнара",
    "Гулбахар",
    "Дилбар",
    "Жамила",
    "Замира",
    "Индира",
    "Наргиза",
    "Роза",
    "Сарбиназ",
    "Шырын",
    "Венера",
    "Айгул",
    "Гулшат",
    "Алия",
    "Бибигул",
    "Назира",
    "Айжамал",
    "Гулзада",
    "Зухра",
    "Мәрямхан",
    "Гүлнара",
    "Ақлима",
    "Алтынай",
)
KK_STEMS = (
    "Аллаберген",
    "Айтмурат",
    "Жумаба",
    "Калимбет",
    "Сейтмурат",
    "Утепберген",
    "Дәўлет",
    "Ережеп",
    "Тажимурат",
    "Бекмурат",
    "Оразба",
    "Кдырба",
    "Нурлыба",
    "Ембергенов",
    "Сапарба",
    "Курбанба",
    "Есемурат",
    "Турдымурат",
    "Жолдасба",
    "Бердимурат",
    "Палўаниязов",
    "Камал",
    "Утемис",
    "Пирназар",
    "Куат",
    "Досжан",
    "Халмурат",
    "Нажим",
    "Өтегенов",
    "Қосназар",
)

_CYR_RE = re.compile("[\u0400-\u052f]")
_CYR_VOWELS = frozenset("аеёиоуыэюяәөүўі")


def _uz_surname(stem: str, female: bool) -> str:
    last = stem[-1]
    if last in "aeiou":
        ending = "yev"
    elif last == "y" or stem.endswith(("sh", "ch")) or last == "j":
        ending = "ev"
    else:
        ending = "ov"
    return stem + ending + ("a" if female else "")


def _uz_patronymic(father: str, female: bool, rng_value: float) -> str:
    if rng_value < 0.6:
        return f"{father} {'qizi' if female else 'oʻgʻli'}"
    last = father[-1]
    if last in "aeiou":
        stem = father + "yev"
    elif last == "y":
        stem = father + "ev"
    else:
        stem = father + "ov"
    return stem + ("na" if female else "ich")


def _ru_surname(male: str, female: bool) -> str:
    if not female:
        return male
    if male.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return male + "а"
    if male.endswith(("ский", "цкий")):
        return male[:-2] + "ая"
    return male  # -енко, -ук, Ким, Пак


def _kk_surname(stem: str, female: bool) -> str:
    if stem.endswith(("ов", "ев")):  # already a full masculine surname
        base = stem
    elif stem[-1] in _CYR_VOWELS:
        base = stem + "ев"
    else:
        base = stem + "ов"
    return base + ("а" if female else "")


def _kk_patronymic(father: str, female: bool, rng_value: float) -> str:
    if rng_value < 0.3:
        return f"{father} {'қызы' if female else 'улы'}"
    if father.endswith("й"):
        stem = father[:-1] + "ев"
    elif father[-1] in _CYR_VOWELS:
        stem = father + "ев"
    else:
        stem = father + "ов"
    return stem + ("на" if female else "ич")


# Name tables: for each (ethnicity, sex) a tuple of (surname, given name, patronymic) parts, in their native script,
# built once.  Latin-native (Uzbek) and Cyrillic-native (Russian, Karakalpak) forms are both precomputed.
@dataclass(frozen=True, slots=True)
class _Names:
    surnames: tuple[str, ...]
    given: tuple[str, ...]
    fathers: tuple[str, ...]  # father's given names (Uzbek, Karakalpak) or patronymic stems (Russian)
    cyrillic_native: bool


def _build_tables() -> dict[tuple[str, str], _Names]:
    ru_fathers = tuple(stem for _, stem in RU_MALE)
    return {
        ("uz", "M"): _Names(tuple(_uz_surname(s, False) for s in UZ_STEMS), UZ_MALE, UZ_MALE, False),
        ("uz", "F"): _Names(tuple(_uz_surname(s, True) for s in UZ_STEMS), UZ_FEMALE, UZ_MALE, False),
        ("ru", "M"): _Names(RU_SURNAMES, tuple(g for g, _ in RU_MALE), ru_fathers, True),
        ("ru", "F"): _Names(tuple(_ru_surname(s, True) for s in RU_SURNAMES), RU_FEMALE, ru_fathers, True),
        ("kk", "M"): _Names(tuple(_kk_surname(s, False) for s in KK_STEMS), KK_MALE, KK_MALE, True),
        ("kk", "F"): _Names(tuple(_kk_surname(s, True) for s in KK_STEMS), KK_FEMALE, KK_MALE, True),
    }


_TABLES = _build_tables()

# Ethnic mix by region code (first two digits of the district code): (uz, kk) cumulative thresholds, rest ru.
_MIX_DEFAULT = (0.955, 0.965)
_MIX = {"35": (0.55, 0.93), "26": (0.86, 0.87), "27": (0.93, 0.935)}

_PASSPORT_SERIES = ("AA", "AB", "AC", "AD", "AE", "FA", "FB", "KA")

# Age pyramid (rough, Uzbekistan): relative weight of each age 18..90.
_AGE_WEIGHTS = tuple(
    (1.25 if a < 30 else 1.15 if a < 40 else 1.0 if a < 50 else 0.8 if a < 60 else 0.55 if a < 70 else 0.25 if a < 80 else 0.07)
    for a in range(18, 91)
)
_AGE_CUM = tuple(itertools.accumulate(_AGE_WEIGHTS))

# Status shares (cumulative): active written out, active left empty, deceased, incapable, excluded.
_STATUS_CUTS = (0.88, 0.975, 0.991, 0.996)
_STATUS_VALUES = ("active", "", "deceased", "incapable", "excluded")


def _years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February
        return d.replace(year=d.year - years, day=28)


# --------------------------------------------------------------------------
# Person
# --------------------------------------------------------------------------


@dataclass(slots=True)
class Person:
    """One row of the import layout (strings ready to write) and the id of the human behind it."""

    pinfl: str
    surname: str
    given_name: str
    patronymic: str
    birth_date: str  # YYYY-MM-DD
    sex: str  # M or F
    district_code: str
    mahalla_code: str
    street: str
    house: str
    flat: str
    status: str
    passport: str
    key: str  # the human: a near-duplicate has the key of its original

    def row(self) -> list[str]:
        """The values in :data:`COLUMNS` order."""
        return [
            self.pinfl,
            self.surname,
            self.given_name,
            self.patronymic,
            self.birth_date,
            self.sex,
            self.district_code,
            self.mahalla_code,
            self.street,
            self.house,
            self.flat,
            self.status,
            self.passport,
        ]

    @property
    def birth(self) -> date:
        return date.fromisoformat(self.birth_date)

    @property
    def is_cyrillic(self) -> bool:
        return bool(_CYR_RE.search(self.surname))


assert tuple(f.name for f in fields(Person))[: len(COLUMNS)] == COLUMNS


# --------------------------------------------------------------------------
# PINFL allocation
# --------------------------------------------------------------------------

_SLOTS = 999 * 999  # (area, serial) pairs per birth date and sex


class _PinflAllocator:
    """Unique PINFLs: a counter per (birth date, sex), mapped to (area, serial) by a bijection."""

    def __init__(self, start_serial: int = 0):
        if start_serial < 0:
            raise ValueError("start_serial must be >= 0")
        self.start = start_serial
        self.up: dict[tuple[int, str], int] = {}
        self.down: dict[tuple[int, str], int] = {}

    def _make(self, born: date, sex: str, k: int) -> str:
        if not 0 <= k < _SLOTS:
            raise ValueError("too many people with one birth date and sex for unique PINFLs")
        q, r = divmod(k, 999)
        ordinal = born.toordinal()
        area = (q + ordinal * 37 + (0 if sex == "M" else 500)) % 999 + 1
        serial = (r * 101 + ordinal) % 999 + 1  # 101 is coprime to 999: a bijection on r
        return make_pinfl(born, sex, area, serial)

    def original(self, born: date, sex: str) -> str:
        key = (born.toordinal(), sex)
        k = self.up.get(key, 0)
        self.up[key] = k + 1
        return self._make(born, sex, self.start + k)

    def duplicate(self, born: date, sex: str) -> str:
        key = (born.toordinal(), sex)
        k = self.down.get(key, 0)
        self.down[key] = k + 1
        return self._make(born, sex, _SLOTS - 1 - self.start - k)


# --------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------


class _Factory:
    def __init__(
        self,
        geography: Geography,
        *,
        seed: int,
        cyrillic_share: float,
        start_serial: int,
        minors_share: float = 0.0,
        passport_share: float = 0.1,
        as_of: date | None = None,
    ):
        if not geography:
            raise ValueError("geography is empty: it needs at least one (district_code, [mahalla_codes])")
        if not 0 <= cyrillic_share <= 1 or not 0 <= minors_share <= 1 or not 0 <= passport_share <= 1:
            raise ValueError("shares must be between 0 and 1")
        self.rng = Random(seed)
        self.geography = [(str(d), [str(m) for m in ms], _MIX.get(str(d)[:2], _MIX_DEFAULT)) for d, ms in geography]
        self.cyrillic_share = cyrillic_share
        self.minors_share = minors_share
        self.passport_share = passport_share
        self.start_serial = start_serial
        self.pinfls = _PinflAllocator(start_serial)
        today = as_of or date.today()
        # ordinal ranges of birth dates for each age 18..90 and for 17
        self.age_ranges = [self._range(today, a) for a in range(18, 91)]
        self.minor_range = self._range(today, 17)
        self.cyr_cache: dict[str, str] = {}
        self.lat_cache: dict[str, str] = {}
        self.streets_lat = tuple(f"{s} koʻchasi" for s in _street_names())
        self.passport_counter = start_serial
        self.passport_offset = Random(f"{seed}:passports").randrange(10_000_000)

    @staticmethod
    def _range(today: date, age: int) -> tuple[int, int]:
        hi = _years_before(today, age).toordinal()
        lo = _years_before(today, age + 1).toordinal() + 1
        return lo, hi

    def cyr(self, s: str) -> str:
        out = self.cyr_cache.get(s)
        if out is None:
            out = self.cyr_cache[s] = to_cyrillic(s)
        return out

    def lat(self, s: str) -> str:
        out = self.lat_cache.get(s)
        if out is None:
            out = self.lat_cache[s] = to_latin(s)
        return out

    def birth(self) -> date:
        r = self.rng.random
        if self.minors_share and r() < self.minors_share:
            lo, hi = self.minor_range
        else:
            lo, hi = self.age_ranges[bisect.bisect(_AGE_CUM, r() * _AGE_CUM[-1])]
        return date.fromordinal(lo + int(r() * (hi - lo + 1)))

    def address(self) -> tuple[str, str, str, str, str, tuple[float, float]]:
        rng = self.rng
        r = rng.random
        district, mahallas, mix = self.geography[int(r() * len(self.geography))]
        mahalla = mahallas[int(r() * len(mahallas))] if mahallas and r() >= 0.02 else ""
        street = self.streets_lat[int(r() * len(self.streets_lat))]
        house = str(1 + int(r() * 150))
        x = r()
        if x < 0.05:
            house += "A"
        elif x < 0.07:
            house += "B"
        flat = str(1 + int(r() * 120)) if r() < 0.45 else ""
        return district, mahalla, street, house, flat, mix

    def make(self, index: int) -> Person:
        rng = self.rng
        r = rng.random
        district, mahalla, street, house, flat, (uz_cut, kk_cut) = self.address()
        x = r()
        ethnicity = "uz" if x < uz_cut else "kk" if x < kk_cut else "ru"
        sex = "F" if r() < 0.505 else "M"
        names = _TABLES[ethnicity, sex]
        surname = names.surnames[int(r() * len(names.surnames))]
        given = names.given[int(r() * len(names.given))]
        father = names.fathers[int(r() * len(names.fathers))]
        if ethnicity == "uz":
            patronymic = _uz_patronymic(father, sex == "F", r())
        elif ethnicity == "kk":
            patronymic = _kk_patronymic(father, sex == "F", r())
        else:
            patronymic = father + ("на" if sex == "F" else "ич")
        cyrillic = r() < self.cyrillic_share
        if cyrillic:
            street = self.cyr(street)
            if not names.cyrillic_native:
                surname, given, patronymic = self.cyr(surname), self.cyr(given), self.cyr(patronymic)
        elif names.cyrillic_native:
            surname, given, patronymic = self.lat(surname), self.lat(given), self.lat(patronymic)
        born = self.birth()
        status = _STATUS_VALUES[bisect.bisect(_STATUS_CUTS, r())]
        passport = ""
        if r() < self.passport_share:
            number = (self.passport_counter * 7919 + self.passport_offset) % 10_000_000  # 7919 is coprime to 10
            self.passport_counter += 1
            passport = f"{_PASSPORT_SERIES[int(r() * len(_PASSPORT_SERIES))]}{number:07d}"
        return Person(
            pinfl=self.pinfls.original(born, sex),
            surname=surname,
            given_name=given,
            patronymic=patronymic,
            birth_date=born.isoformat(),
            sex=sex,
            district_code=district,
            mahalla_code=mahalla,
            street=street,
            house=house,
            flat=flat,
            status=status,
            passport=passport,
            key=f"H{self.start_serial + index:09d}",
        )


def _street_names() -> tuple[str, ...]:

    return STREET_NAMES


def people(
    n: int,
    *,
    geography: Geography,
    seed: int = 1,
    cyrillic_share: float = 0.35,
    start_serial: int = 0,
    minors_share: float = 0.0,
    passport_share: float = 0.1,
    as_of: date | None = None,
) -> Iterator[Person]:
    """``n`` distinct people living in ``geography`` (a list of ``(district_code, [mahalla_codes])``).

    ``minors_share`` of them are 17 years old on ``as_of`` (default today), the rest 18 to 90.
    """
    factory = _Factory(
        geography,
        seed=seed,
        cyrillic_share=cyrillic_share,
        start_serial=start_serial,
        minors_share=minors_share,
        passport_share=passport_share,
        as_of=as_of,
    )
    for i in range(n):
        yield factory.make(i)


def static_geography() -> Geography:
    """The demo country's districts (``demo.geodata``) with the mahallas that always exist (001-003).

    Needs no database: the codes are the ones ``seed_demo`` creates.
    """

    return [(code, [f"{code}{i:03d}" for i in (1, 2, 3)]) for region in REGIONS for code, *_ in region["districts"]]


def demo_geography() -> Geography:
    """Every district in the database with its mahalla codes, ordered by code."""

    mahallas: dict[int, list[str]] = {}
    for district_id, code in Mahalla.objects.order_by("code").values_list("district_id", "code"):
        mahallas.setdefault(district_id, []).append(code)
    return [(code, mahallas.get(pk, [])) for pk, code in District.objects.order_by("code").values_list("pk", "code")]


# --------------------------------------------------------------------------
# Near-duplicates
# --------------------------------------------------------------------------

_RU_RULES = (
    (re.compile(r"yev(?=a?$)"), "ev"),  # Abdullayev -> Abdullaev, Aliyeva -> Alieva
    (re.compile(r"ye"), "e"),
    (re.compile("[oO][" + APOSTROPHES + "]"), lambda m: "U" if m.group()[0] == "O" else "u"),
    (re.compile("[gG][" + APOSTROPHES + "]"), lambda m: m.group()[0]),
    (re.compile("X"), "Kh"),
    (re.compile("x"), "kh"),
    (re.compile("J"), "Dzh"),
    (re.compile("j"), "dzh"),
    (re.compile("Q"), "K"),
    (re.compile("q"), "k"),
    (re.compile("[" + APOSTROPHES + "]"), ""),  # tutuq belgisi: Neʼmatov -> Nematov
)


def _russian_style(latin: str) -> str:
    """Uzbek Latin written the way Russian-speaking clerks do: Xoʻjayev -> Khudzhaev."""
    out = latin
    for pattern, rep in _RU_RULES:
        out = pattern.sub(rep, out)
    return out


_LAT_LETTERS = "abdefghiklmnoprstuvxyz"
_CYR_LETTERS = "абвгдеийклмнопрстуфхчшяқғҳў"
# Letters people confuse (by sound or on the keyboard): a substitution picks one of these when it can.
_CONFUSED = {
    "a": "oe",
    "o": "au",
    "u": "oy",
    "i": "ye",
    "e": "ia",
    "y": "i",
    "s": "zc",
    "z": "s",
    "d": "t",
    "t": "d",
    "b": "p",
    "p": "b",
    "x": "h",
    "h": "x",
    "q": "kg",
    "k": "q",
    "g": "k",
    "n": "m",
    "m": "n",
    "l": "r",
    "r": "l",
    "v": "w",
    "f": "v",
    "j": "y",
    "а": "ое",
    "о": "ау",
    "у": "ўо",
    "ў": "у",
    "и": "йы",
    "й": "и",
    "е": "эи",
    "э": "е",
    "с": "з",
    "з": "с",
    "д": "т",
    "т": "д",
    "б": "п",
    "п": "б",
    "х": "ҳ",
    "ҳ": "х",
    "қ": "к",
    "к": "қ",
    "ғ": "г",
    "г": "ғ",
    "н": "м",
    "м": "н",
    "л": "р",
    "р": "л",
    "ш": "щ",
    "ж": "з",
}
_APOS_VARIANTS = (OKINA, "'", "`", "\u2018", "\u2019", "\u02bc")
_OKINA_RE = re.compile("(?<=[oOgG])[" + APOSTROPHES + "]")


def _typo(name: str, rng: Random) -> str:
    """One letter substituted, dropped or doubled; never the first letter, never an apostrophe."""
    positions = [i for i in range(1, len(name)) if name[i].isalpha()]
    if not positions:
        return name + name[-1]
    i = rng.choice(positions)
    op = rng.random()
    if op < 0.35 and len(name) > 3:
        return name[:i] + name[i + 1 :]
    if op < 0.6:
        return name[:i] + name[i] + name[i:]
    letter = name[i].lower()
    pool = _CONFUSED.get(letter) if rng.random() < 0.8 else None
    if not pool:
        pool = [c for c in (_CYR_LETTERS if _CYR_RE.match(letter) else _LAT_LETTERS) if c != letter]
    new = rng.choice(pool)
    if name[i].isupper():
        new = new.upper()
    return name[:i] + new + name[i + 1 :]


def _switch_script(p: Person) -> dict[str, str]:
    if p.is_cyrillic:
        conv = to_latin
    else:
        conv = to_cyrillic
    return {
        "surname": conv(p.surname),
        "given_name": conv(p.given_name),
        "patronymic": conv(p.patronymic),
        "street": conv(p.street),
    }


def near_duplicate(
    person: Person,
    rng: Random,
    *,
    geography: Geography | None = None,
    pinfl_for: Callable[[date, str], str] | None = None,
    kind: str | None = None,
) -> tuple[Person, str]:
    """Another record of the same human: a different valid PINFL and one realistic variation.

    Returns the record and its kind (one of :data:`KINDS`; ``kind`` forces one if it applies).
    ``geography`` lets the duplicate move to another district; ``pinfl_for(birth_date, sex)``
    allocates the new PINFL (by default a random area and serial different from the original's).
    """
    born = person.birth
    latin = {f: to_latin(getattr(person, f)) for f in ("surname", "given_name", "patronymic")}
    applicable = ["cyrillic", "typo"]
    if born.day <= 12 and born.day != born.month:
        applicable.append("swapped_day_month")
    if any(_russian_style(v) != v for v in latin.values()):
        applicable.append("russian_ending")
    if not person.is_cyrillic and any(_OKINA_RE.search(getattr(person, f)) for f in latin):
        applicable.append("apostrophe")
    if kind is None or kind not in applicable:
        weights = {"cyrillic": 3, "russian_ending": 3, "swapped_day_month": 4, "typo": 3, "apostrophe": 5}
        kind = rng.choices(applicable, weights=[weights[k] for k in applicable])[0]

    changes: dict[str, str] = {}
    if kind == "cyrillic":
        changes = _switch_script(person)
    elif kind == "russian_ending":
        changes = {f: _russian_style(v) for f, v in latin.items()}
        changes["street"] = to_latin(person.street)
    elif kind == "apostrophe":
        current = {c for f in latin for c in _OKINA_RE.findall(getattr(person, f))}
        new = rng.choice([a for a in _APOS_VARIANTS if a not in current] or ["'"])
        changes = {f: _OKINA_RE.sub(new, getattr(person, f)) for f in ("surname", "given_name", "patronymic", "street")}
    else:
        if rng.random() < 0.25:
            changes = _switch_script(person)
        if kind == "swapped_day_month":
            born = born.replace(day=born.month, month=born.day)
        else:  # typo
            field = "surname" if rng.random() < 0.6 else "given_name"
            changes[field] = _typo(changes.get(field, getattr(person, field)), rng)

    # Moved: another house in the same mahalla, or another district.
    x = rng.random()
    if x < 0.15 and geography:
        district, mahallas = rng.choice(geography)
        changes["district_code"] = district
        changes["mahalla_code"] = rng.choice(mahallas) if mahallas else ""
    if x < 0.35:
        changes["house"] = str(rng.randint(1, 150))
        changes["flat"] = str(rng.randint(1, 120)) if rng.random() < 0.45 else ""

    if pinfl_for is not None:
        pinfl = pinfl_for(born, person.sex)
    else:
        pinfl = person.pinfl
        while pinfl == person.pinfl:
            pinfl = make_pinfl(born, person.sex, rng.randint(1, 999), rng.randint(1, 999))
    dup = replace(person, pinfl=pinfl, birth_date=born.isoformat(), status="active", passport="", **changes)
    return dup, kind


# --------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------

# What Windows-1251 cannot hold, written the way Russian-era systems do.
_CP1251_TRANS = str.maketrans(
    {
        "\u02bb": "'",
        "\u02bc": "'",
        "\u2019": "'",
        "қ": "к",
        "Қ": "К",
        "ғ": "г",
        "Ғ": "Г",
        "ҳ": "х",
        "Ҳ": "Х",
        "ә": "а",
        "Ә": "А",
        "ө": "о",
        "Ө": "О",
        "ү": "у",
        "Ү": "У",
        "ң": "н",
        "Ң": "Н",
        "ұ": "у",
        "і": "и",
        "á": "a",
        "Á": "A",
        "ó": "o",
        "Ó": "O",
        "ú": "u",
        "Ú": "U",
        "ń": "n",
        "Ń": "N",
        "ı": "i",
    }
)


def _encoder(encoding: str) -> Callable[[str], str]:
    """A function that makes a value writable in ``encoding`` (identity for the UTF-8 family)."""
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig"):
        return lambda s: s
    cache: dict[str, str] = {}

    def fix(s: str) -> str:
        if s.isascii():
            return s
        out = cache.get(s)
        if out is None:
            out = s.translate(_CP1251_TRANS)
            try:
                out.encode(encoding)
            except UnicodeEncodeError:
                out = "".join(c for c in unicodedata.normalize("NFKD", out) if not unicodedata.combining(c))
                out = out.encode(encoding, "replace").decode(encoding)
            cache[s] = out
        return out

    return fix


_SEX_STYLES = {"MF": {"M": "M", "F": "F"}, "uz": {"M": "E", "F": "A"}, "ru": {"M": "М", "F": "Ж"}}


def _dup_plan(n: int, d: int, rng: Random) -> dict[int, int]:
    """{original ordinal: row position of its duplicate}: positions random, after the original, never adjacent."""
    if d == 0:
        return {}
    if n - d < 2 or d > n // 2:
        raise ValueError("duplicates_share is too large for this number of rows")
    slots = sorted(rng.sample(range(2, n), d))
    slot_set = set(slots)
    used: set[int] = set()
    plan: dict[int, int] = {}
    for j, pos in enumerate(slots):
        before = pos - j  # originals before this position
        limit = before if (pos - 1) in slot_set else before - 1  # exclude the original right before
        ordinal = -1
        for _ in range(20):
            c = int(rng.random() * limit)
            if c not in used:
                ordinal = c
                break
        else:
            ordinal = next((c for c in range(limit - 1, -1, -1) if c not in used), -1)
        if ordinal < 0:
            raise ValueError("duplicates_share is too large for this number of rows")
        used.add(ordinal)
        plan[ordinal] = pos
    return plan


def write_voter_file(
    path,
    n: int,
    *,
    duplicates_share: float = 0.01,
    seed: int = 1,
    fmt: str = "csv",
    encoding: str = "utf-8",
    delimiter: str = ",",
    geography: Geography | None = None,
    truth_path=None,
    cyrillic_share: float = 0.35,
    minors_share: float = 0.0,
    passport_share: float = 0.1,
    start_serial: int = 0,
    as_of: date | None = None,
    date_style: str = "iso",
    sex_style: str = "MF",
    chunk: int = 10_000,
) -> dict[str, int]:
    """Write ``n`` rows (header first) to ``path``, ``round(n * duplicates_share)`` of them near-duplicates.

    ``fmt`` is ``csv`` (``encoding`` utf-8, utf-8-sig or cp1251; ``delimiter`` ``,`` or ``;``) or ``xlsx``.
    ``geography`` defaults to :func:`static_geography`.  ``truth_path`` (optional) receives
    ``pinfl_a,pinfl_b,kind`` for every injected pair.  ``date_style`` ``iso`` (YYYY-MM-DD) or ``dmy``
    (DD.MM.YYYY); ``sex_style`` ``MF``, ``uz`` (E/A) or ``ru`` (М/Ж).  Returns counts by kind and in total.
    """
    if fmt not in ("csv", "xlsx"):
        raise ValueError("fmt must be csv or xlsx")
    if delimiter not in (",", ";"):
        raise ValueError("delimiter must be , or ;")
    if date_style not in ("iso", "dmy") or sex_style not in _SEX_STYLES:
        raise ValueError("date_style must be iso or dmy; sex_style MF, uz or ru")
    if not 0 <= duplicates_share <= 0.5:
        raise ValueError("duplicates_share must be between 0 and 0.5")
    geography = geography if geography is not None else static_geography()
    factory = _Factory(
        geography,
        seed=seed,
        cyrillic_share=cyrillic_share,
        start_serial=start_serial,
        minors_share=minors_share,
        passport_share=passport_share,
        as_of=as_of,
    )
    plan_rng = Random(f"{seed}:plan")
    dup_rng = Random(f"{seed}:duplicates")
    d = round(n * duplicates_share)
    plan = _dup_plan(n, d, plan_rng)
    slots = set(plan.values())
    fix = _encoder(encoding) if fmt == "csv" else (lambda s: s)
    sexes = _SEX_STYLES[sex_style]
    dmy = date_style == "dmy"

    def out_row(p: Person) -> list[str]:
        row = p.row()
        row[1], row[2], row[3], row[8] = fix(row[1]), fix(row[2]), fix(row[3]), fix(row[8])
        if dmy:
            b = row[4]
            row[4] = f"{b[8:10]}.{b[5:7]}.{b[0:4]}"
        row[5] = sexes[row[5]]
        return row

    counts = dict.fromkeys(KINDS, 0)
    truth_rows: list[tuple[str, str, str]] = []
    pending: dict[int, tuple[Person, str, str]] = {}

    def rows() -> Iterator[list[str]]:
        ordinal = 0
        for pos in range(n):
            if pos in slots:
                dup, original_pinfl, kind = pending.pop(pos)
                truth_rows.append((original_pinfl, dup.pinfl, kind))
                counts[kind] += 1
                yield out_row(dup)
                continue
            p = factory.make(ordinal)
            target = plan.get(ordinal)
            if target is not None:
                dup, kind = near_duplicate(p, dup_rng, geography=geography, pinfl_for=factory.pinfls.duplicate)
                pending[target] = (dup, p.pinfl, kind)
            ordinal += 1
            yield out_row(p)

    path = Path(path)
    if fmt == "csv":
        with path.open("w", encoding=encoding, newline="") as fh:
            writer = csv.writer(fh, delimiter=delimiter)
            writer.writerow(COLUMNS)
            it = rows()
            while batch := list(itertools.islice(it, chunk)):
                writer.writerows(batch)
    else:
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("voters")
        ws.append(list(COLUMNS))
        for row in rows():
            ws.append(row)
        wb.save(path)

    if truth_path is not None:
        with Path(truth_path).open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(("pinfl_a", "pinfl_b", "kind"))
            writer.writerows(truth_rows)
    counts["duplicates"] = len(truth_rows)
    counts["rows"] = n
    return counts
