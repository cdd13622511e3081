"""Calendar dates as pages write them for readers: date headers, footers, date lines.

``date_in_text(text)`` reads the one date a short text states, in the forms Blogger's
templates and locales print: month names in English, German, French, Spanish, Portuguese,
Italian, Dutch, Swedish/Danish/Norwegian, Polish, Czech, Slovak, Croatian, Turkish, Indonesian,
Malay, Tagalog, Russian, Ukrainian, Bulgarian, Serbian, Slovenian, the Baltic and Nordic
languages, Hungarian, Romanian, Catalan, Galician, Albanian, Greek, Arabic, Persian (Gregorian
months), Hebrew, Hindi and Thai (nominative and genitive forms, abbreviations), CJK
``2016年6月5日`` / Korean ``2016년 6월 5일``, Vietnamese, ISO ``2016-06-05`` and numeric
``9/15/2010`` / ``15.09.2010``, in any script's digits.

A wrong date is worse than none, so the reader gives up rather than guess: a text that names
two different dates, a numeric date whose day and month can be read both ways, a month name
that languages give different months (Croatian "listopad" is October, Polish November), or a
date that contradicts the ``/YYYY/MM/`` of the post URL all give None. The URL's year and
month (when known) settle a header without a year (``Wednesday, June 15``), a numeric date
whose order the text cannot, such a shared month name, and the locales' short forms with a
two-digit year (``15.6.05``, ``6/15/05``, ``05/06/15``), which are read only then.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

_MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("january", "januar", "janvier", "enero", "janeiro", "gennaio", "januari", "stycznia",
        "styczeń", "leden", "ledna", "ocak", "января", "январь", "jänner", "jaenner", "janv", "jän",
        "jan", "ene", "янв"),
    2: ("february", "februar", "février", "fevrier", "febrero", "fevereiro", "febbraio",
        "februari", "lutego", "luty", "únor", "února", "şubat", "subat", "февраля",
        "февраль", "feber", "févr", "fevr", "feb", "fev", "fév", "фев"),
    3: ("march", "märz", "maerz", "mars", "marzo", "março", "marco", "maart", "marzec",
        "marca", "březen", "března", "mart", "marts", "maret", "марта", "март", "mär",
        "mar", "mrt", "мар"),
    4: ("april", "avril", "abril", "aprile", "kwietnia", "kwiecień", "duben", "dubna",
        "nisan", "апреля", "апрель", "avr", "abr", "apr", "апр"),
    5: ("may", "mai", "mayo", "maio", "maggio", "mei", "maj", "maja", "květen", "května",
        "mayıs", "mayis", "мая", "май"),
    6: ("june", "juni", "juin", "junio", "junho", "giugno", "czerwca", "czerwiec", "červen",
        "června", "haziran", "июня", "июнь", "jun", "giu", "июн"),
    7: ("july", "juli", "juillet", "julio", "julho", "luglio", "lipca", "lipiec",
        "červenec", "července", "temmuz", "июля", "июль", "juil", "jul", "lug", "июл"),
    8: ("august", "août", "aout", "agosto", "augustus", "augusti", "sierpnia", "sierpień",
        "srpen", "srpna", "ağustos", "agustus", "августа", "август", "aug", "авг"),
    9: ("september", "septembre", "septiembre", "setiembre", "setembro", "settembre",
        "wrzesień", "września", "září", "eylül", "eylul", "сентября", "сентябрь", "sept",
        "sep", "сен"),
    10: ("october", "oktober", "octobre", "octubre", "outubro", "ottobre", "października",
         "październik", "říjen", "října", "ekim", "октября", "октябрь", "oct", "okt", "ott",
         "окт"),
    11: ("november", "novembre", "noviembre", "novembro", "listopada", "listopad",
         "kasım", "kasim", "ноября", "ноябрь", "nov", "ноя"),
    12: ("december", "dezember", "décembre", "decembre", "diciembre", "dezembro",
         "dicembre", "grudnia", "grudzień", "prosinec", "prosince", "aralık", "aralik",
         "desember", "декабря", "декабрь", "déc", "dec", "dez", "dic", "дек"),
}  # fmt: skip
# Left out on purpose: abbreviations that are common words next to numbers in footers ("ago":
# Spanish/Italian/Portuguese August, "out": Portuguese October, "set", "gen", "mag", "des").
# More languages Blogger localises its date header into, one tuple of twelve per language.
_MORE_MONTHS = (
    # Ukrainian (genitive)
    ("січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня",
     "жовтня", "листопада", "грудня"),
    # Finnish (partitive, as in "15. kesäkuuta 2005", then nominative)
    ("tammikuuta", "helmikuuta", "maaliskuuta", "huhtikuuta", "toukokuuta", "kesäkuuta",
     "heinäkuuta", "elokuuta", "syyskuuta", "lokakuuta", "marraskuuta", "joulukuuta"),
    ("tammikuu", "helmikuu", "maaliskuu", "huhtikuu", "toukokuu", "kesäkuu", "heinäkuu",
     "elokuu", "syyskuu", "lokakuu", "marraskuu", "joulukuu"),
    # Hungarian ("2005. június 15., szerda")
    ("január", "február", "március", "április", "május", "június", "július", "augusztus",
     "szeptember", "október", "november", "december"),
    # Romanian
    ("ianuarie", "februarie", "martie", "aprilie", "mai", "iunie", "iulie", "august",
     "septembrie", "octombrie", "noiembrie", "decembrie"),
    # Catalan
    ("gener", "febrer", "març", "abril", "maig", "juny", "juliol", "agost", "setembre",
     "octubre", "novembre", "desembre"),
    # Greek (genitive, lower case)
    ("ιανουαρίου", "φεβρουαρίου", "μαρτίου", "απριλίου", "μαΐου", "ιουνίου", "ιουλίου",
     "αυγούστου", "σεπτεμβρίου", "οκτωβρίου", "νοεμβρίου", "δεκεμβρίου"),
    # Chinese month words ("星期三, 六月 15, 2005")
    ("一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月",
     "十二月"),
    # Arabic (Egyptian and Gulf usage, Blogger's own), with the spellings without hamza
    ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
     "أكتوبر", "نوفمبر", "ديسمبر"),
    ("يناير", "فبراير", "مارس", "ابريل", "مايو", "يونيه", "يوليه", "اغسطس", "سبتمبر",
     "اكتوبر", "نوفمبر", "ديسمبر"),
    ("يناير", "فبراير", "مارس", "إبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
     "أكتوبر", "نوفمبر", "ديسمبر"),
    # Persian, Gregorian months ("۱۵ ژوئن ۲۰۰۵"); Solar Hijri months are left unread, so a
    # Jalali date gives None rather than a wrong Gregorian one.
    ("ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن", "ژوئیه", "اوت", "سپتامبر", "اکتبر",
     "نوامبر", "دسامبر"),
    # Hebrew, as the date header writes it ("15 ביוני 2005") and plain
    ("בינואר", "בפברואר", "במרץ", "באפריל", "במאי", "ביוני", "ביולי", "באוגוסט", "בספטמבר",
     "באוקטובר", "בנובמבר", "בדצמבר"),
    ("ינואר", "פברואר", "מרץ", "אפריל", "מאי", "יוני", "יולי", "אוגוסט", "ספטמבר", "אוקטובר",
     "נובמבר", "דצמבר"),
    # Hindi, both spellings of the nasal
    ("जनवरी", "फ़रवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त", "सितंबर", "अक्तूबर",
     "नवंबर", "दिसंबर"),
    ("जनवरी", "फरवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त", "सितम्बर", "अक्टूबर",
     "नवम्बर", "दिसम्बर"),
    # Thai (a Buddhist-era year such as 2548 is not read as a year: only the URL can lend one)
    ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
     "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"),
    # Malay
    ("januari", "februari", "mac", "april", "mei", "jun", "julai", "ogos", "september",
     "oktober", "november", "disember"),
    # Tagalog
    ("enero", "pebrero", "marso", "abril", "mayo", "hunyo", "hulyo", "agosto", "setyembre",
     "oktubre", "nobyembre", "disyembre"),
    # Serbian (Latin and Cyrillic), Slovenian
    ("januar", "februar", "mart", "april", "maj", "jun", "jul", "avgust", "septembar",
     "oktobar", "novembar", "decembar"),
    ("јануар", "фебруар", "март", "април", "мај", "јун", "јул", "август", "септембар",
     "октобар", "новембар", "децембар"),
    ("januar", "februar", "marec", "april", "maj", "junij", "julij", "avgust", "september",
     "oktober", "november", "december"),
    # Bulgarian
    ("януари", "февруари", "март", "април", "май", "юни", "юли", "август", "септември",
     "октомври", "ноември", "декември"),
    # Croatian, genitive ("15. lipnja 2005.") then nominative. Its "listopad" is October where
    # Polish and Czech say November: such a name is read only with the URL's month (below).
    ("siječnja", "veljače", "ožujka", "travnja", "svibnja", "lipnja", "srpnja", "kolovoza",
     "rujna", "listopada", "studenoga", "prosinca"),
    ("siječanj", "veljača", "ožujak", "travanj", "svibanj", "lipanj", "srpanj", "kolovoz",
     "rujan", "listopad", "studeni", "prosinac"),
    # Czech (genitive, as in "15. listopadu 2005")
    ("ledna", "února", "března", "dubna", "května", "června", "července", "srpna", "září",
     "října", "listopadu", "prosince"),
    # Galician
    ("xaneiro", "febreiro", "marzo", "abril", "maio", "xuño", "xullo", "agosto", "setembro",
     "outubro", "novembro", "decembro"),
    # Slovak (genitive, as in "15. júna 2005")
    ("januára", "februára", "marca", "apríla", "mája", "júna", "júla", "augusta", "septembra",
     "októbra", "novembra", "decembra"),
    # Lithuanian (genitive), Latvian, Estonian, Icelandic, Albanian
    ("sausio", "vasario", "kovo", "balandžio", "gegužės", "birželio", "liepos", "rugpjūčio",
     "rugsėjo", "spalio", "lapkričio", "gruodžio"),
    ("janvāris", "februāris", "marts", "aprīlis", "maijs", "jūnijs", "jūlijs", "augusts",
     "septembris", "oktobris", "novembris", "decembris"),
    ("jaanuar", "veebruar", "märts", "aprill", "mai", "juuni", "juuli", "august", "september",
     "oktoober", "november", "detsember"),
    ("janúar", "febrúar", "mars", "apríl", "maí", "júní", "júlí", "ágúst", "september",
     "október", "nóvember", "desember"),
    ("janar", "shkurt", "mars", "prill", "maj", "qershor", "korrik", "gusht", "shtator",
     "tetor", "nëntor", "dhjetor"),
)  # fmt: skip


def _month_readings() -> dict[str, frozenset[int]]:
    """Map each month name to the months it names in the languages above (most: one)."""
    readings: dict[str, set[int]] = {}
    for number, names in _MONTH_NAMES.items():
        for name in names:
            readings.setdefault(name, set()).add(number)
    for names in _MORE_MONTHS:
        for number, name in enumerate(names, start=1):
            readings.setdefault(name, set()).add(number)
    return {name: frozenset(numbers) for name, numbers in readings.items()}


# A name that languages give different months ("listopad": October in Croatian, November in
# Polish and Czech) maps to 0 in _MONTHS: only the URL's month can say which it is here.
_MONTH_READINGS = _month_readings()
_SHARED_MONTH_NAMES = {name: months for name, months in _MONTH_READINGS.items() if len(months) > 1}
_MONTHS = {name: 0 if len(months) > 1 else min(months) for name, months in _MONTH_READINGS.items()}

# A word is letters with the combining marks the scripts write inside words (Devanagari and
# Thai vowel signs, Hebrew and Arabic points): without them "जून" would read as two words.
_MARKS = (
    "\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"  # Latin, Hebrew, Arabic
    "\u0900-\u0dff\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"  # the Indic blocks, Thai
)
_WORD = re.compile(rf"(?:[^\W\d_]|[{_MARKS}])+\.?|\d+(?:st|nd|rd|th|er|e|º|ª)?\.?", re.UNICODE)
# A decimal digit of any script but ASCII ("٢٠٠٥", "२००५", "๒๕๔๘"): read as its ASCII digit.
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")
_TIME = re.compile(r"\b\d{1,2}[:.h]\d{2}(?:[:.]\d{2})?\b")
_ISO = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_CJK = re.compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?")
_VIETNAMESE = re.compile(
    r"(?<!\d)(\d{1,2})\s+tháng\s+(\d{1,2})(?:,|\s+năm)?\s+(\d{4})(?!\d)", re.IGNORECASE
)
_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?![\d/.-])")
# Three numbers, the year in two digits, in any order ("15.6.05", "6/15/05", "05/06/15"): the
# locales' short forms, read only when the URL's year and month single one reading out.
_SHORT_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{1,2})\.?(?![\d/.-])")
_CENTURY = 2000  # Blogger opened in 1999: a two-digit year on a post page is this century's
_FOUR_DIGITS = re.compile(r"^(?:1[89]|20)\d\d$")
_NUMBER_PREFIX = re.compile(r"^\d+")
# Words a month name and its day or year may stand apart by ("15 de junio de 2005").
_FILLERS = frozenset({"de", "del", "of", "the", "den", "der", "le", "el", "di", "do", "da", "w"})
_MONTHS_PER_YEAR = 12
_DAYS_PER_MONTH = 31


def ascii_digits(text: str) -> str:
    """Return ``text`` with every decimal digit of another script written as its ASCII digit."""
    return _OTHER_DIGIT.sub(_ascii_digit, text)


def _ascii_digit(match: re.Match[str]) -> str:
    return str(int(match.group()))


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _numeric_dates(text: str, hint: tuple[int, int] | None) -> list[date | None]:
    """Dates written all in digits; a None entry stands for an ambiguous one."""
    found: list[date | None] = []
    for match in _ISO.finditer(text):
        found.append(_make(int(match.group(1)), int(match.group(2)), int(match.group(3))))
    # Each form's marker is searched for first (by far the cheaper scan): a CJK date holds
    # 年 or 년, a Vietnamese one "tháng", whose á the case-blind expression also reads as Á.
    if "年" in text or "년" in text:
        for match in _CJK.finditer(text):
            found.append(_make(int(match.group(1)), int(match.group(2)), int(match.group(3))))
    if "á" in text or "Á" in text:
        for match in _VIETNAMESE.finditer(text):
            found.append(_make(int(match.group(3)), int(match.group(2)), int(match.group(1))))
    for match in _NUMERIC.finditer(text):
        first, separator, second, year = match.groups()
        found.append(_day_month(int(first), int(second), int(year), separator, hint))
    if not found and hint is not None:
        for match in _SHORT_NUMERIC.finditer(text):
            found.append(_short_year_date(match, hint))
    return found


def _short_year_date(match: re.Match[str], hint: tuple[int, int]) -> date | None:
    """Read ``d/m/yy``, ``m/d/yy`` or ``yy/m/d`` as the one reading in the URL's month."""
    first, second, third = int(match.group(1)), int(match.group(3)), int(match.group(4))
    readings = {
        _make(_CENTURY + third, second, first),
        _make(_CENTURY + third, first, second),
        _make(_CENTURY + first, second, third),
    }
    fitting = [d for d in readings if d is not None and (d.year, d.month) == hint]
    return fitting[0] if len(fitting) == 1 else None


def _day_month(
    first: int, second: int, year: int, separator: str, hint: tuple[int, int] | None
) -> date | None:
    """Order a numeric ``first/second/year``; None when it cannot be told."""
    if separator == ".":
        return _make(year, second, first)  # 15.09.2010: day first wherever dots are used
    if first == second:
        return _make(year, first, second)
    month_first, day_first = _make(year, first, second), _make(year, second, first)
    readings = [d for d in (month_first, day_first) if d is not None]
    if hint is not None:
        readings = [d for d in readings if (d.year, d.month) == hint]
    return readings[0] if len(readings) == 1 else None


def _is_day(number: int) -> bool:
    return 1 <= number <= _DAYS_PER_MONTH


def _is_year(number: int) -> bool:
    return number > 0


def _number(token: str) -> int | None:
    digits = _NUMBER_PREFIX.match(token)
    return int(digits.group(0)) if digits else None


def _named_month_dates(text: str, hint: tuple[int, int] | None) -> list[date | None]:
    """Dates written with a month name; the day must stand next to the month (fillers apart)."""
    if "İ" in text:
        text = text.replace("İ", "I")  # Turkish capitals: "HAZİRAN" lower-cases to "hazi̇ran"
    tokens = [t.lower().rstrip(".") for t in _WORD.findall(_TIME.sub(" ", text))]
    found: list[date | None] = []
    for index, token in enumerate(tokens):
        month = _MONTHS.get(token)
        if month is None:
            continue
        if month == 0:  # a name languages give different months: the URL's month decides
            if hint is None or hint[1] not in _SHARED_MONTH_NAMES[token]:
                found.append(None)
                continue
            month = hint[1]
        day = _neighbour_number(tokens, index, _is_day, years=False)
        year = _neighbour_number(tokens, index, _is_year, years=True)
        if day is None:
            continue
        if year is None:
            if hint is None or hint[1] != month:
                continue
            year = hint[0]
        found.append(_make(year, month, day))
    return found


def _neighbour_number(
    tokens: list[str], index: int, fits: Callable[[int], bool], *, years: bool
) -> int | None:
    """Return the day (or year) number next to the month ``tokens[index]``, fillers apart."""
    for step in (-1, 1, -2, 2, 3):
        position = index + step
        if not 0 <= position < len(tokens):
            continue
        token = tokens[position]
        if token in _FILLERS:
            continue
        number = _number(token)
        if number is None:
            continue
        is_year = bool(_FOUR_DIGITS.match(token.rstrip(".")))
        if years == is_year and fits(number):
            return number
    return None


def date_in_text(text: str, url_year_month: tuple[int, int] | None = None) -> date | None:
    """Return the one date ``text`` states, or None (see the module docstring).

    ``url_year_month`` is the ``(year, month)`` of the post URL's ``/YYYY/MM/``, if any: a
    date in another month is not this post's.
    """
    # The C-level map spares a Python step per character (a footer line is read whole).
    if not any(map(str.isdigit, text)):
        return None
    if not text.isascii():
        text = ascii_digits(text)
    found = _numeric_dates(text, url_year_month)
    if not found:
        found = _named_month_dates(text, url_year_month)
    dates = set(found)
    if len(dates) != 1:
        return None
    (day,) = dates
    if day is None:
        return None
    if url_year_month is not None and (day.year, day.month) != url_year_month:
        return None
    return day


# Words a line that only states a date may hold besides the date: weekdays, AM/PM, "at".
_WEEKDAYS = frozenset(
    word
    for words in (
        "monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun",
        "montag dienstag mittwoch donnerstag freitag samstag sonntag",
        "lundi mardi mercredi jeudi vendredi samedi dimanche",
        "lunes martes miércoles jueves viernes sábado domingo",
        "segunda terça quarta quinta sexta feira",
        "lunedì martedì mercoledì giovedì venerdì sabato domenica",
        "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag",
        "понедельник вторник среда четверг пятница суббота воскресенье г",
        "am pm a m p at um à las alle om o de del",
        "keskiviikkona szerda miercuri dimecres τετάρτη thứ tư tháng năm",
        "senin selasa rabu kamis jumat sabtu minggu isnin khamis jumaat ahad",
        "pazartesi salı çarşamba perşembe cuma cumartesi pazar",
        "poniedziałek wtorek środa czwartek piątek sobota niedziela",
        "الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة السبت",
        "יום ראשון שני שלישי רביעי חמישי שישי שבת",
        "रविवार सोमवार मंगलवार बुधवार गुरुवार शुक्रवार शनिवार",
        "ص م",  # Arabic a.m. and p.m.
    )
    for word in words.split()
)
_CJK_DATE_MARKS = re.compile(
    r"[年月日년월일]|星期.|[月火水木金土日]曜日|[월화수목금토일]요일|[（）()]"
)
_DATE_LINE_LENGTH = 60


def is_date_line(text: str, url_year_month: tuple[int, int] | None = None) -> bool:
    """Whether ``text`` is a template's date line: a date and nothing else, machine-styled.

    A date and nothing else (weekday and time of day aside), written the way templates
    stamp it: with a time of day (``Wednesday, June 15, 2005 9:37 AM``) or in digits only
    (``9/15/2010``, ``2010-09-15``). An author's own dated heading (``June 15, 2005``) has
    neither, and stays text. ``url_year_month`` is as for :func:`date_in_text`.
    """
    if len(text) > _DATE_LINE_LENGTH or date_in_text(text, url_year_month) is None:
        return False
    words = _WORD.findall(_CJK_DATE_MARKS.sub(" ", _TIME.sub(" ", text)))
    month_words = 0
    for word in words:
        lowered = word.lower().rstrip(".")
        if lowered in _MONTHS:
            month_words += 1
        elif not (word[0].isdigit() or lowered in _WEEKDAYS):
            return False
    return month_words == 0 or _TIME.search(text) is not None


_URL_YEAR_MONTH = re.compile(r"/(\d{4})/(\d{2})/[^/]+\.html")


def url_year_month(url: str) -> tuple[int, int] | None:
    """Return the ``(year, month)`` of a Blogger post URL's ``/YYYY/MM/NAME.html``, or None.

    Only http(s) URLs count: a saved file's path (``file:///data/2024/01/page.html``) says
    nothing about the post.
    """
    if not url.lower().startswith(("http://", "https://")):
        return None
    match = _URL_YEAR_MONTH.search(url)
    if match is None:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    return (year, month) if 1 <= month <= _MONTHS_PER_YEAR else None
