"""Time zones: every reader sees times in her own zone, and the zone is named.

Times are stored as naive UTC (models/base.py); they are turned into the reader's zone only when
shown. Her zone is the one she chose on her account page, else her country's (a country with several
zones gets its capital's), else UTC. Exports (CSV, xAPI) stay in UTC with an explicit offset."""
from __future__ import annotations

import re
import zoneinfo
from datetime import date, datetime, timezone
from functools import lru_cache

from babel import Locale, dates
from flask_babel import get_locale, get_timezone
from flask_babel import gettext as _

UTC = "UTC"

#: The zone of each country's capital (ISO 3166-1 alpha-2 -> IANA), from tzdata's zone.tab.
COUNTRY_ZONES = {
    "AD": "Europe/Andorra", "AE": "Asia/Dubai", "AF": "Asia/Kabul", "AG": "America/Antigua",
    "AI": "America/Anguilla", "AL": "Europe/Tirane", "AM": "Asia/Yerevan", "AO": "Africa/Luanda",
    "AQ": "Antarctica/McMurdo", "AR": "America/Argentina/Buenos_Aires", "AS": "Pacific/Pago_Pago",
    "AT": "Europe/Vienna", "AU": "Australia/Sydney", "AW": "America/Aruba", "AX": "Europe/Mariehamn",
    "AZ": "Asia/Baku", "BA": "Europe/Sarajevo", "BB": "America/Barbados", "BD": "Asia/Dhaka",
    "BE": "Europe/Brussels", "BF": "Africa/Ouagadougou", "BG": "Europe/Sofia", "BH": "Asia/Bahrain",
    "BI": "Africa/Bujumbura", "BJ": "Africa/Porto-Novo", "BL": "America/St_Barthelemy", "BM": "Atlantic/Bermuda",
    "BN": "Asia/Brunei", "BO": "America/La_Paz", "BQ": "America/Kralendijk", "BR": "America/Sao_Paulo",
    "BS": "America/Nassau", "BT": "Asia/Thimphu", "BW": "Africa/Gaborone", "BY": "Europe/Minsk",
    "BZ": "America/Belize", "CA": "America/Toronto", "CC": "Indian/Cocos", "CD": "Africa/Kinshasa",
    "CF": "Africa/Bangui", "CG": "Africa/Brazzaville", "CH": "Europe/Zurich", "CI": "Africa/Abidjan",
    "CK": "Pacific/Rarotonga", "CL": "America/Santiago", "CM": "Africa/Douala", "CN": "Asia/Shanghai",
    "CO": "America/Bogota", "CR": "America/Costa_Rica", "CU": "America/Havana", "CV": "Atlantic/Cape_Verde",
    "CW": "America/Curacao", "CX": "Indian/Christmas", "CY": "Asia/Nicosia", "CZ": "Europe/Prague",
    "DE": "Europe/Berlin", "DJ": "Africa/Djibouti", "DK": "Europe/Copenhagen", "DM": "America/Dominica",
    "DO": "America/Santo_Domingo", "DZ": "Africa/Algiers", "EC": "America/Guayaquil", "EE": "Europe/Tallinn",
    "EG": "Africa/Cairo", "EH": "Africa/El_Aaiun", "ER": "Africa/Asmara", "ES": "Europe/Madrid",
    "ET": "Africa/Addis_Ababa", "FI": "Europe/Helsinki", "FJ": "Pacific/Fiji", "FK": "Atlantic/Stanley",
    "FM": "Pacific/Pohnpei", "FO": "Atlantic/Faroe", "FR": "Europe/Paris", "GA": "Africa/Libreville",
    "GB": "Europe/London", "GD": "America/Grenada", "GE": "Asia/Tbilisi", "GF": "America/Cayenne",
    "GG": "Europe/Guernsey", "GH": "Africa/Accra", "GI": "Europe/Gibraltar", "GL": "America/Nuuk",
    "GM": "Africa/Banjul", "GN": "Africa/Conakry", "GP": "America/Guadeloupe", "GQ": "Africa/Malabo",
    "GR": "Europe/Athens", "GS": "Atlantic/South_Georgia", "GT": "America/Guatemala", "GU": "Pacific/Guam",
    "GW": "Africa/Bissau", "GY": "America/Guyana", "HK": "Asia/Hong_Kong", "HN": "America/Tegucigalpa",
    "HR": "Europe/Zagreb", "HT": "America/Port-au-Prince", "HU": "Europe/Budapest", "ID": "Asia/Jakarta",
    "IE": "Europe/Dublin", "IL": "Asia/Jerusalem", "IM": "Europe/Isle_of_Man", "IN": "Asia/Kolkata",
    "IO": "Indian/Chagos", "IQ": "Asia/Baghdad", "IR": "Asia/Tehran", "IS": "Atlantic/Reykjavik",
    "IT": "Europe/Rome", "JE": "Europe/Jersey", "JM": "America/Jamaica", "JO": "Asia/Amman", "JP": "Asia/Tokyo",
    "KE": "Africa/Nairobi", "KG": "Asia/Bishkek", "KH": "Asia/Phnom_Penh", "KI": "Pacific/Tarawa",
    "KM": "Indian/Comoro", "KN": "America/St_Kitts", "KP": "Asia/Pyongyang", "KR": "Asia/Seoul", "KW": "Asia/Kuwait",
    "KY": "America/Cayman", "KZ": "Asia/Almaty", "LA": "Asia/Vientiane", "LB": "Asia/Beirut",
    "LC": "America/St_Lucia", "LI": "Europe/Vaduz", "LK": "Asia/Colombo", "LR": "Africa/Monrovia",
    "LS": "Africa/Maseru", "LT": "Europe/Vilnius", "LU": "Europe/Luxembourg", "LV": "Europe/Riga",
    "LY": "Africa/Tripoli", "MA": "Africa/Casablanca", "MC": "Europe/Monaco", "MD": "Europe/Chisinau",
    "ME": "Europe/Podgorica", "MF": "America/Marigot", "MG": "Indian/Antananarivo", "MH": "Pacific/Majuro",
    "MK": "Europe/Skopje", "ML": "Africa/Bamako", "MM": "Asia/Yangon", "MN": "Asia/Ulaanbaatar", "MO": "Asia/Macau",
    "MP": "Pacific/Saipan", "MQ": "America/Martinique", "MR": "Africa/Nouakchott", "MS": "America/Montserrat",
    "MT": "Europe/Malta", "MU": "Indian/Mauritius", "MV": "Indian/Maldives", "MW": "Africa/Blantyre",
    "MX": "America/Mexico_City", "MY": "Asia/Kuala_Lumpur", "MZ": "Africa/Maputo", "NA": "Africa/Windhoek",
    "NC": "Pacific/Noumea", "NE": "Africa/Niamey", "NF": "Pacific/Norfolk", "NG": "Africa/Lagos",
    "NI": "America/Managua", "NL": "Europe/Amsterdam", "NO": "Europe/Oslo", "NP": "Asia/Kathmandu",
    "NR": "Pacific/Nauru", "NU": "Pacific/Niue", "NZ": "Pacific/Auckland", "OM": "Asia/Muscat",
    "PA": "America/Panama", "PE": "America/Lima", "PF": "Pacific/Tahiti", "PG": "Pacific/Port_Moresby",
    "PH": "Asia/Manila", "PK": "Asia/Karachi", "PL": "Europe/Warsaw", "PM": "America/Miquelon",
    "PN": "Pacific/Pitcairn", "PR": "America/Puerto_Rico", "PS": "Asia/Hebron", "PT": "Europe/Lisbon",
    "PW": "Pacific/Palau", "PY": "America/Asuncion", "QA": "Asia/Qatar", "RE": "Indian/Reunion",
    "RO": "Europe/Bucharest", "RS": "Europe/Belgrade", "RU": "Europe/Moscow", "RW": "Africa/Kigali",
    "SA": "Asia/Riyadh", "SB": "Pacific/Guadalcanal", "SC": "Indian/Mahe", "SD": "Africa/Khartoum",
    "SE": "Europe/Stockholm", "SG": "Asia/Singapore", "SH": "Atlantic/St_Helena", "SI": "Europe/Ljubljana",
    "SJ": "Arctic/Longyearbyen", "SK": "Europe/Bratislava", "SL": "Africa/Freetown", "SM": "Europe/San_Marino",
    "SN": "Africa/Dakar", "SO": "Africa/Mogadishu", "SR": "America/Paramaribo", "SS": "Africa/Juba",
    "ST": "Africa/Sao_Tome", "SV": "America/El_Salvador", "SX": "America/Lower_Princes", "SY": "Asia/Damascus",
    "SZ": "Africa/Mbabane", "TC": "America/Grand_Turk", "TD": "Africa/Ndjamena", "TF": "Indian/Kerguelen",
    "TG": "Africa/Lome", "TH": "Asia/Bangkok", "TJ": "Asia/Dushanbe", "TK": "Pacific/Fakaofo", "TL": "Asia/Dili",
    "TM": "Asia/Ashgabat", "TN": "Africa/Tunis", "TO": "Pacific/Tongatapu", "TR": "Europe/Istanbul",
    "TT": "America/Port_of_Spain", "TV": "Pacific/Funafuti", "TW": "Asia/Taipei", "TZ": "Africa/Dar_es_Salaam",
    "UA": "Europe/Kyiv", "UG": "Africa/Kampala", "UM": "Pacific/Wake", "US": "America/New_York",
    "UY": "America/Montevideo", "UZ": "Asia/Tashkent", "VA": "Europe/Vatican", "VC": "America/St_Vincent",
    "VE": "America/Caracas", "VG": "America/Tortola", "VI": "America/St_Thomas", "VN": "Asia/Ho_Chi_Minh",
    "VU": "Pacific/Efate", "WF": "Pacific/Wallis", "WS": "Pacific/Apia", "YE": "Asia/Aden", "YT": "Indian/Mayotte",
    "ZA": "Africa/Johannesburg", "ZM": "Africa/Lusaka", "ZW": "Africa/Harare",}


# The days the site records and reports on: a date outside them is a typing slip (9999 for 2026).
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)

def zone_for_country(country: str | None) -> str:
    return COUNTRY_ZONES.get((country or "").upper(), UTC)


@lru_cache(maxsize=1)
def names() -> tuple[str, ...]:
    """The zones a reader may choose: tzdata's "Area/City" zones, sorted."""
    return tuple(sorted(name for name in zoneinfo.available_timezones()
                        if "/" in name and name.split("/", 1)[0] in _AREAS))


_AREAS = {"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific"}


def is_zone(name: str) -> bool:
    return name == UTC or name in names()


def user_zone(user) -> str:
    """The zone ``user`` reads times in: her choice, else her country's."""
    chosen = getattr(user, "time_zone", "") or ""
    return chosen if is_zone(chosen) else zone_for_country(getattr(user, "country", ""))


def select_timezone() -> str:
    """flask-babel's time zone selector: the signed-in reader's zone, else UTC."""
    from flask_login import current_user
    if current_user and current_user.is_authenticated:
        return user_zone(current_user)
    return UTC


def today_in(zone: str) -> date:
    """Today's date in ``zone`` (a workshop's day starts at midnight where it is held)."""
    return datetime.now(timezone.utc).astimezone(zoneinfo.ZoneInfo(zone)).date()


def day_in(value: datetime, zone: str) -> date:
    """The calendar date of a stored moment (naive UTC) in ``zone``."""
    moment = value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value
    return moment.astimezone(zoneinfo.ZoneInfo(zone)).date()


def workshop_today(workshop) -> date:
    """Today where the workshop is held (its country's zone)."""
    return today_in(zone_for_country(workshop.country))


def place_label(zone: str) -> str:
    """A zone as people say it: "Casablanca", "Buenos Aires", "UTC"."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def offset_label(value: datetime, zone: str) -> str:
    """"UTC+1", "UTC-3", "UTC+5:30" or "UTC" at the moment ``value`` (naive UTC)."""
    moment = value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value
    offset = moment.astimezone(zoneinfo.ZoneInfo(zone)).utcoffset()
    minutes = int(offset.total_seconds() // 60)
    if not minutes:
        return "UTC"
    sign, minutes = ("+" if minutes > 0 else "-"), abs(minutes)
    return f"UTC{sign}{minutes // 60}" + (f":{minutes % 60:02d}" if minutes % 60 else "")


def local_time(value: datetime | None, date_format: str = "long") -> str:
    """A stored time (naive UTC) in the reader's zone, with the zone named:
    "4 December 2026, 11:00 (Casablanca, UTC+1)". The one helper every page uses for a moment."""
    if value is None:
        return ""
    zone = str(get_timezone())
    tz = zoneinfo.ZoneInfo(zone)
    # Converted here: flask-babel leaves a naive time's date in UTC and its hour unconverted.
    moment = (value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value).astimezone(tz)
    day = _first_of_month(dates.format_date(moment.date(), date_format, locale=date_locale()), moment.date(),
                          date_format)
    return _("%(date)s, %(time)s (%(zone)s)", date=day,
             time=dates.format_time(moment, "short", tzinfo=tz, locale=date_locale()),
             zone=zone_label(value, zone))


def zone_label(value: datetime, zone: str) -> str:
    """"Casablanca, UTC+1", and plain "UTC" for UTC itself (not "UTC, UTC")."""
    place, offset = place_label(zone), offset_label(value, zone)
    return offset if place == offset else f"{place}, {offset}"


def local_date(value, date_format: str = "medium") -> str:
    """A date; a stored moment (naive UTC) is first put in the reader's zone, so that something done
    at 23:30 in New York is not dated the next day."""
    if isinstance(value, datetime):
        tz = zoneinfo.ZoneInfo(str(get_timezone()))
        value = (value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value).astimezone(tz).date()
    return _first_of_month(dates.format_date(value, date_format, locale=date_locale()), value, date_format)


_DAY_FIRST_ENGLISH = Locale("en", "GB")


def date_locale() -> Locale:
    """The locale dates and times are written in: the reader's, except that English puts the day
    first ("6 December 2026") and reads a 24-hour clock ("15:05"), as en_GB does, since the course's
    readers are in Europe and Africa and CLDR's plain "en" is American ("December 6, 2026, 3:05 PM").
    Every date or time a page, a certificate (HTML and PDF) or a message shows goes through
    local_date or local_time, hence through here."""
    locale = get_locale()
    return _DAY_FIRST_ENGLISH if locale is not None and locale.language == "en" and not locale.territory else locale


def _first_of_month(text: str, day: date, date_format: str) -> str:
    """French writes the first of a month "1er janvier" (as the lessons' dates do); CLDR says "1"."""
    if day.day == 1 and date_format in ("long", "full") and str(get_locale()).startswith("fr"):
        return re.sub(r"(?<!\d)1 ", "1er ", text, count=1)
    return text


def init_app(app) -> None:
    app.jinja_env.filters["local_time"] = local_time
    # Every template's |dateformat: flask-babel's would date a moment in UTC.
    app.jinja_env.filters["dateformat"] = local_date
