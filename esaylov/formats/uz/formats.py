"""Uzbek (Latin): 2027-yil 6-mart; 2027-yil 6-mart, 14:05 (see ``esaylov.formats``)."""

DATE_FORMAT = r"Y-\y\i\l j-E"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"Y-\y\i\l j-E, H:i"
YEAR_MONTH_FORMAT = r"Y-\y\i\l F"
MONTH_DAY_FORMAT = "j-E"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
FIRST_DAY_OF_WEEK = 1  # Monday
