"""Uzbek (Cyrillic): 2027 йил 6 март; 2027 йил 6 март, 14:05 (see ``esaylov.formats``).

The Cyrillic letters are not format characters: they are written as they are.  What is not set here
(input formats, number separators) is Uzbek's."""

DATE_FORMAT = "Y йил j E"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y йил j E, H:i"
YEAR_MONTH_FORMAT = "Y йил F"
MONTH_DAY_FORMAT = "j E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
FIRST_DAY_OF_WEEK = 1  # Monday
