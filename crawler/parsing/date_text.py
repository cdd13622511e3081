"""Calendar dates as pages write them for readers: date headers, footers, date lines.

``date_in_text(text)`` reads the one date a short text states, in the forms Blogger's
templates and locales print: month names in English, German, French, Spanish, Portuguese,
Italian, Dutch, Swedish/Danish/Norwegian, Polish, Czech, Slovak, Croatian, Turkish, Indonesian,
Malay, Tagalog, Russian, Ukrainian, Bulgarian, Serbian, Slovenian, the Baltic and Nordic
languages, Hungarian, Romanian, Catalan, Galician, Basque, Albanian, Greek, Arabic (Egyptian,
Levantine, Maghreb), Persian (Gregorian months), Hebrew, Urdu, Hindi, Marathi, Bengali,
Gujarati, Tamil, Telugu, Kannada, Malayalam, Thai, Amharic, Afrikaans, Swahili and Zulu
(nominative, genitive and locative forms, abbreviations), CJK ``2016年6月5日`` / Korean
``2016년 6월 5일`` / ``2016. 6. 5.``, Vietnamese, ISO ``2016-06-05`` and numeric
``9/15/2010`` / ``15.09.2010``, in any script's digits.

A wrong date is worse than none, so the reader gives up rather than guess: a text that names
two different dates, a numeric date whose day and month can be read both ways, a month name
that languages give different months (Croatian "listopad" is October, Polish November), a
year of another calendar (outside 1800-2099; a Buddhist-era year only where the text states
the era or the URL's year is its Gregorian one), or a date that contradicts the
``/YYYY/MM/`` of the post URL all give None. Abbreviations that are common words ("ago",
"set") are read only in a date's tight form (``15 ago 2005``). The URL's year and
month (when known) settle a header without a year (``Wednesday, June 15``), a numeric date
whose order the text cannot, such a shared month name, and the locales' short forms with a
two-digit year (``15.6.05``, ``6/15/05``, ``05/06/15``), which are read only then.
"""

from __future__ import annotations

import re
import unicodedata
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
# Abbreviations that are common words next to numbers ("15 days ago" on an August post would be
# the 15th of August): read only in the tight form of a date, day and year written beside the
# name ("15 ago. 2005", "ago 15, 2005"), never with a year the URL lends (_TIGHT_MONTHS below).
_CHINESE_MONTHS = (
    "一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月",
    "十二月",
)  # fmt: skip
_THAI_MONTH_NAMES = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
    "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
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
    _CHINESE_MONTHS,
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
    # Thai (a Buddhist-era year such as 2548 is read only when certain: _buddhist_era_year)
    _THAI_MONTH_NAMES,
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
    # Latvian locative ("2005. gada 15. jūnijā"), Lithuanian nominative
    ("janvārī", "februārī", "martā", "aprīlī", "maijā", "jūnijā", "jūlijā", "augustā",
     "septembrī", "oktobrī", "novembrī", "decembrī"),
    ("sausis", "vasaris", "kovas", "balandis", "gegužė", "birželis", "liepa", "rugpjūtis",
     "rugsėjis", "spalis", "lapkritis", "gruodis"),
    # Basque, genitive as the date header writes it ("2005(e)ko ekainaren 15(a)"), nominative
    ("urtarrilaren", "otsailaren", "martxoaren", "apirilaren", "maiatzaren", "ekainaren",
     "uztailaren", "abuztuaren", "irailaren", "urriaren", "azaroaren", "abenduaren"),
    ("urtarrila", "otsaila", "martxoa", "apirila", "maiatza", "ekaina", "uztaila", "abuztua",
     "iraila", "urria", "azaroa", "abendua"),
    # Levantine and Iraqi Arabic ("١٥ حزيران ٢٠٠٥"); the two-word names (كانون الثاني, تشرين
    # الأول ...) are joined into one word before the text is split (_ARABIC_TWO_WORD_MONTHS).
    ("كانونالثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
     "تشرينالأول", "تشرينالثاني", "كانونالأول"),
    ("كانونالثاني", "شباط", "اذار", "نيسان", "ايار", "حزيران", "تموز", "آب", "ايلول",
     "تشرينالأول", "تشرينالثاني", "كانونالأول"),
    # Maghreb Arabic (Algeria, Tunisia; Morocco)
    ("جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان", "جويلية", "أوت", "سبتمبر", "أكتوبر",
     "نوفمبر", "ديسمبر"),
    ("يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو", "يوليوز", "غشت", "شتنبر", "أكتوبر",
     "نونبر", "دجنبر"),
    # Persian spellings of July and August besides ژوئیه / اوت
    ("ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن", "جولای", "آگوست", "سپتامبر", "اکتبر",
     "نوامبر", "دسامبر"),
    # Greek nominative and abbreviations (the genitive is above); each Greek name is also
    # read without its accents, as capitals write it ("ΙΟΥΝΙΟΥ" lower-cases to "ιουνιου").
    ("ιανουάριος", "φεβρουάριος", "μάρτιος", "απρίλιος", "μάιος", "ιούνιος", "ιούλιος",
     "αύγουστος", "σεπτέμβριος", "οκτώβριος", "νοέμβριος", "δεκέμβριος"),
    ("ιαν", "φεβ", "μαρ", "απρ", "μαΐ", "ιουν", "ιουλ", "αυγ", "σεπ", "οκτ", "νοε", "δεκ"),
    # Abbreviations the locales' medium forms write with a dot: Russian, Ukrainian ("15 черв.
    # 2005 р."), Polish, Hungarian ("2005. jún. 15."), Finnish ("15. kesäk. 2005")
    ("янв", "февр", "мар", "апр", "мая", "июн", "июл", "авг", "сент", "окт", "нояб", "дек"),
    ("січ", "лют", "бер", "квіт", "трав", "черв", "липня", "серп", "вер", "жовт", "листопада",
     "груд"),
    ("sty", "lut", "mar", "kwi", "maj", "cze", "lipca", "sierpnia", "wrz", "paź",
     "listopada", "gru"),
    ("jan", "febr", "márc", "ápr", "máj", "jún", "júl", "aug", "szept", "okt", "nov", "dec"),
    ("tammik", "helmik", "maalisk", "huhtik", "toukok", "kesäk", "heinäk", "elok", "syysk",
     "lokak", "marrask", "jouluk"),
    # Indonesian and Malay abbreviations ("15 Agu 2005", "15 Ogo 2005")
    ("jan", "feb", "mar", "apr", "mei", "jun", "jul", "agu", "sep", "okt", "nov", "dec"),
    ("jan", "feb", "mac", "apr", "mei", "jun", "jul", "ogo", "sep", "okt", "nov", "dec"),
    # The other languages Blogger's interface offers: Afrikaans, Swahili, Zulu, Urdu, Marathi,
    # Bengali, Gujarati, Tamil, Telugu, Kannada, Malayalam, Amharic (written without the
    # zero-width joiners some of them put inside a word, which the reader drops)
    ("januarie", "februarie", "maart", "april", "mei", "junie", "julie", "augustus",
     "september", "oktober", "november", "desember"),
    ("januari", "februari", "machi", "aprili", "mei", "juni", "julai", "agosti", "septemba",
     "oktoba", "novemba", "desemba"),
    ("januwari", "februwari", "mashi", "ephreli", "meyi", "juni", "julayi", "agasti",
     "septhemba", "okthoba", "novemba", "disemba"),
    ("جنوری", "فروری", "مارچ", "اپریل", "مئی", "جون", "جولائی", "اگست", "ستمبر", "اکتوبر",
     "نومبر", "دسمبر"),
    ("जानेवारी", "फेब्रुवारी", "मार्च", "एप्रिल", "मे", "जून", "जुलै", "ऑगस्ट", "सप्टेंबर",
     "ऑक्टोबर", "नोव्हेंबर", "डिसेंबर"),
    ("জানুয়ারী", "ফেব্রুয়ারী", "মার্চ", "এপ্রিল", "মে", "জুন", "জুলাই", "আগস্ট", "সেপ্টেম্বর",
     "অক্টোবর", "নভেম্বর", "ডিসেম্বর"),
    ("জানুয়ারি", "ফেব্রুয়ারি", "মার্চ", "এপ্রিল", "মে", "জুন", "জুলাই", "আগস্ট", "সেপ্টেম্বর",
     "অক্টোবর", "নভেম্বর", "ডিসেম্বর"),
    ("જાન્યુઆરી", "ફેબ્રુઆરી", "માર્ચ", "એપ્રિલ", "મે", "જૂન", "જુલાઈ", "ઑગસ્ટ", "સપ્ટેમ્બર",
     "ઑક્ટોબર", "નવેમ્બર", "ડિસેમ્બર"),
    ("ஜனவரி", "பிப்ரவரி", "மார்ச்", "ஏப்ரல்", "மே", "ஜூன்", "ஜூலை", "ஆகஸ்ட்", "செப்டம்பர்",
     "அக்டோபர்", "நவம்பர்", "டிசம்பர்"),
    ("జనవరి", "ఫిబ్రవరి", "మార్చి", "ఏప్రిల్", "మే", "జూన్", "జులై", "ఆగస్టు", "సెప్టెంబర్",
     "అక్టోబర్", "నవంబర్", "డిసెంబర్"),
    ("ಜನವರಿ", "ಫೆಬ್ರವರಿ", "ಮಾರ್ಚ್", "ಏಪ್ರಿಲ್", "ಮೇ", "ಜೂನ್", "ಜುಲೈ", "ಆಗಸ್ಟ್", "ಸೆಪ್ಟೆಂಬರ್",
     "ಅಕ್ಟೋಬರ್", "ನವೆಂಬರ್", "ಡಿಸೆಂಬರ್"),
    ("ജനുവരി", "ഫെബ്രുവരി", "മാർച്ച്", "ഏപ്രിൽ", "മേയ്", "ജൂൺ", "ജൂലൈ", "ഓഗസ്റ്റ്", "സെപ്റ്റംബർ",
     "ഒക്ടോബർ", "നവംബർ", "ഡിസംബർ"),
    ("ጃንዩወሪ", "ፌብሩወሪ", "ማርች", "ኤፕሪል", "ሜይ", "ጁን", "ጁላይ", "ኦገስት", "ሴፕቴምበር", "ኦክቶበር",
     "ኖቬምበር", "ዲሴምበር"),
)  # fmt: skip
# Common words that are also a month's abbreviation (see the note above _MORE_MONTHS).
_TIGHT_MONTHS = {
    "gen": 1, "mag": 5, "lip": 7, "ago": 8, "sie": 8, "set": 9, "out": 10, "lis": 11,
    "лип": 7, "лист": 11, "des": 12,
    "मे": 5, "મે": 5, "মে": 5,  # Marathi, Gujarati, Bengali May: short words in running text
}  # fmt: skip


_GREEK_LETTER = re.compile("[\u0370-\u03ff]")


def _without_accents(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _month_readings() -> dict[str, frozenset[int]]:
    """Map each month name to the months it names in the languages above (most: one).

    Each name in its composed and decomposed forms (a page may write either); Greek names
    also without accents; the common-word abbreviations of :data:`_TIGHT_MONTHS` are left to
    their own reader.
    """
    readings: dict[str, set[int]] = {}
    numbered = [(n, name) for n, names in _MONTH_NAMES.items() for name in names]
    for names in _MORE_MONTHS:
        numbered.extend(enumerate(names, start=1))
    for number, name in numbered:
        if name in _TIGHT_MONTHS:
            continue
        forms = {name}
        if not name.isascii():
            forms |= {unicodedata.normalize("NFC", name), unicodedata.normalize("NFD", name)}
            if _GREEK_LETTER.match(name):
                forms.add(_without_accents(name))
        for form in forms:
            readings.setdefault(form, set()).add(number)
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
# The same words without their closing dot, as the month reader compares them.
_TOKEN = re.compile(rf"(?:[^\W\d_]|[{_MARKS}])+|\d+(?:st|nd|rd|th|er|e|º|ª)?", re.UNICODE)
# A decimal digit of any script but ASCII ("٢٠٠٥", "२००५", "๒๕๔๘"): read as its ASCII digit.
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")
_TIME = re.compile(r"\b\d{1,2}[:.h]\d{2}(?:[:.]\d{2})?\b")
# The same expressions for ASCII text, which most date lines are: ASCII classes are a table
# lookup per character where Unicode ones ask the character's category (about half the cost);
# on ASCII text each finds what its Unicode form finds (no mark is ASCII, no ordinal "º").
_ASCII_TOKEN = re.compile(r"[A-Za-z]+|\d+(?:st|nd|rd|th|er|e)?")
_ASCII_TIME = re.compile(_TIME.pattern, re.ASCII)
# ISO and other year-first dates; the second form is the Korean and Hungarian one with a dot
# and a space after each number ("2005. 6. 15.", "2005. 06. 15."), its closing dot included.
_ISO = re.compile(
    r"(?<!\d)(\d{4})(?:[-/.](\d{1,2})[-/.](\d{1,2})|\.\s(\d{1,2})\.\s(\d{1,2})\.)(?!\d)"
)
_CJK = re.compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?")
# Vietnamese months are "tháng 6" or "tháng Sáu" (the sixth month); "năm" is both "year" and
# "five", so "tháng năm" is May and a "năm" after the month is the year's word.
_VIETNAMESE_MONTHS = {
    "một": 1, "hai": 2, "ba": 3, "tư": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9,
    "mười": 10, "mười một": 11, "mười hai": 12,
}  # fmt: skip
_VIETNAMESE = re.compile(
    r"(?<!\d)(\d{1,2})\s+tháng\s+(\d{1,2}|mười\s+một|mười\s+hai|mười|một|hai|ba|tư|năm|sáu|bảy"
    r"|tám|chín)(?:,|\s+năm)?,?\s+(\d{4})(?!\d)",
    re.IGNORECASE,
)

_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?![\d/.-])")
# Three numbers, the year in two digits, in any order ("15.6.05", "6/15/05", "05/06/15"): the
# locales' short forms, read only when the URL's year and month single one reading out.
_SHORT_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{1,2})\.?(?![\d/.-])")
# Their ASCII forms, for ASCII text (see _ASCII_TOKEN): the same matches there.
_ASCII_ISO, _ASCII_NUMERIC, _ASCII_SHORT_NUMERIC = (
    re.compile(form.pattern, re.ASCII) for form in (_ISO, _NUMERIC, _SHORT_NUMERIC)
)
_CENTURY = 2000  # Blogger opened in 1999: a two-digit year on a post page is this century's
# A year outside 1800-2099 is another calendar's (Solar Hijri 1384, Hijri 1426, Buddhist-era
# 2548, Hebrew 5765) or no year: it never becomes a Gregorian date.
_FIRST_YEAR, _LAST_YEAR = 1800, 2099
_FOUR_DIGITS = re.compile(r"^(?:1[89]|20)\d\d$")
_NUMBER_PREFIX = re.compile(r"^\d+")
# Words a month name and its day or year may stand apart by ("15 de junio de 2005").
_FILLERS = frozenset({"de", "del", "of", "the", "den", "der", "le", "el", "di", "do", "da", "w"})
_MONTHS_PER_YEAR = 12
_DAYS_PER_MONTH = 31
_STEPS = (-1, 1, -2, 2, 3)  # where a month's day and year may stand, nearest first
_YEAR_MARKERS = frozenset({"gada", "ko", "eko"})  # Latvian "2005. gada", Basque "2005(e)ko"
# "mar" is Tuesday's abbreviation in French, Spanish, Italian, Catalan and Romanian: beside
# another month name it is the weekday.
_WEEKDAY_MONTHS = frozenset({"mar"})
_ARABIC_TWO_WORD_MONTHS = re.compile(
    "(كانون|تشرين)\\s+(?:ال)?(?:([أا]و[\u064b-\u065f]*ل)|ثان[\u064b-\u065f]*[يى])"
)
# A month in digits before 月 or 월 that no year precedes (the year-first form is _CJK's).
_CJK_NUMBERED_MONTH = re.compile(r"(?<![\d年년])(?<![年년]\s)(\d{1,2})\s*[月월]")
_THAI_LETTER = re.compile("[\u0e01-\u0e4e]")
_THAI_MONTHS = frozenset(_THAI_MONTH_NAMES)
_THAI_MONTH_OF_ABBREVIATION = dict(
    zip(
        ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.",
         "ธ.ค."),
        _THAI_MONTH_NAMES,
        strict=True,
    )
)  # fmt: skip
_THAI_ABBREVIATIONS = re.compile("|".join(map(re.escape, _THAI_MONTH_OF_ABBREVIATION)))
_BUDDHIST_ERA = "พ.ศ"
_BUDDHIST_ERA_YEAR = re.compile(r"^2[45]\d\d$")
_BUDDHIST_ERA_OFFSET = 543


# Format characters a date may carry, dropped before it is read: the direction marks Arabic,
# Persian and Hebrew dates carry between their parts (RLM in "15\u200f/6\u200f/2005"), and
# the zero-width (non-)joiners Persian and the Indic scripts write inside words.
_FORMAT_MARKS = dict.fromkeys(
    map(ord, "\u200c\u200d\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"), None
)


def ascii_digits(text: str) -> str:
    """Return ``text`` with every decimal digit of another script written as its ASCII digit."""
    return _OTHER_DIGIT.sub(_ascii_digit, text)


def _ascii_digit(match: re.Match[str]) -> str:
    return str(int(match.group()))


def _make(year: int, month: int, day: int) -> date | None:
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _has_separator(text: str) -> bool:
    """Whether ``text`` holds a separator of the all-digit forms (each ``in`` is one C pass)."""
    return "/" in text or "." in text or "-" in text


def _numeric_dates(text: str, hint: tuple[int, int] | None) -> list[date | None]:
    """Dates written all in digits; a None entry stands for an ambiguous one."""
    found: list[date | None] = []
    # Every form but the CJK and Vietnamese ones has a separator ("/", "-", "."); its
    # expressions try each position of the text (a few hundred instructions a character),
    # a separator is looked for in one pass of C (a date line, a byline, often holds none).
    separated = _has_separator(text)
    ascii_text = text.isascii()  # a flag of the string: no scan
    if ascii_text:
        iso, numeric, short = _ASCII_ISO, _ASCII_NUMERIC, _ASCII_SHORT_NUMERIC
    else:
        iso, numeric, short = _ISO, _NUMERIC, _SHORT_NUMERIC
    if separated:
        for match in iso.finditer(text):
            year, month, day, spaced_month, spaced_day = match.groups()
            found.append(_make(int(year), int(month or spaced_month), int(day or spaced_day)))
    if not ascii_text:
        found.extend(_cjk_and_vietnamese_dates(text))
    if not separated:
        return found
    for match in numeric.finditer(text):
        first, separator, second, year = match.groups()
        found.append(_day_month(int(first), int(second), int(year), separator, hint))
    if not found and hint is not None:
        for match in short.finditer(text):
            found.append(_short_year_date(match, hint))
    return found


def _cjk_and_vietnamese_dates(text: str) -> list[date | None]:
    """Return the CJK (``2005年6月15日``) and Vietnamese (``15 tháng 6 năm 2005``) dates."""
    found = []
    # Each form's marker is searched for first (by far the cheaper scan): a CJK date holds
    # 年 or 년, a Vietnamese one "tháng", whose á the case-blind expression also reads as Á.
    if "年" in text or "년" in text:
        for match in _CJK.finditer(text):
            found.append(_make(int(match.group(1)), int(match.group(2)), int(match.group(3))))
    if "á" in text or "Á" in text:
        for match in _VIETNAMESE.finditer(text):
            month = match.group(2)
            number = int(month) if month.isdigit() else _VIETNAMESE_MONTHS[_spaced(month)]
            found.append(_make(int(match.group(3)), number, int(match.group(1))))
    return found


def _spaced(words: str) -> str:
    return " ".join(words.lower().split())


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


def _named_month_dates(text: str, hint: tuple[int, int] | None) -> list[date | None]:
    """Dates written with a month name; the day must stand next to the month (fillers apart)."""
    if text.isascii():
        words = _ASCII_TOKEN.findall(_ASCII_TIME.sub(" ", text))
    else:
        words = _TOKEN.findall(_TIME.sub(" ", _joined_month_words(text)))
    # Lower-cased in one call over the words joined by spaces: a word holds no space, and
    # lower-casing each word alone gives the same letters (a final sigma stays final).
    tokens = " ".join(words).lower().split()
    found: list[date | None] = []
    if not _TIGHT_MONTHS.keys().isdisjoint(tokens):
        found.extend(_tight_dates(tokens))
    for index, token in enumerate(tokens):
        month = _MONTHS.get(token)
        if month is None:
            continue
        if token in _WEEKDAY_MONTHS and any(t != token and t in _MONTHS for t in tokens):
            continue  # "mar. 14 juin 2005": Tuesday (mardi, martes, martedì), not March
        if month == 0:  # a name languages give different months: the URL's month decides
            if hint is None or hint[1] not in _SHARED_MONTH_NAMES[token]:
                found.append(None)
                continue
            month = hint[1]
        day = _neighbour_number(tokens, index, _is_day, years=False)
        if day is None:
            continue
        year = _neighbour_number(tokens, index, _is_year, years=True)
        if year is None and index >= 3 and _YEAR_MARKERS.intersection(tokens[index - 2 : index]):
            year = _year_after_marker(tokens, index)
        if year is None and token in _THAI_MONTHS:
            year = _buddhist_era_year(tokens, index, text, hint)
            if year == 0:
                found.append(None)  # a Buddhist-era year not known to be one: no date
                continue
        if year is None:
            if hint is None or hint[1] != month:
                continue
            year = hint[0]
        found.append(_make(year, month, day))
    return found


def _joined_month_words(text: str) -> str:
    """Write the scripts' multi-part month names as the one word the tables hold.

    Levantine Arabic "تشرين الأول" becomes "تشرينالأول"; Thai abbreviations ("มิ.ย.") become
    the full name; a CJK month in digits ("6月 15, 2005", as a "MMMM d, yyyy" format writes
    it in Japanese) the Chinese month word; Turkish capital İ plain I ("HAZİRAN" lower-cases
    to "hazi̇ran").
    """
    if "İ" in text:
        text = text.replace("İ", "I")
    if "كانون" in text or "تشرين" in text:
        text = _ARABIC_TWO_WORD_MONTHS.sub(_joined_arabic_month, text)
    if "." in text and _THAI_LETTER.search(text):
        text = _THAI_ABBREVIATIONS.sub(_full_thai_month, text)
    if "月" in text or "월" in text:
        text = _CJK_NUMBERED_MONTH.sub(_chinese_month_word, text)
    return text


def _chinese_month_word(match: re.Match[str]) -> str:
    month = int(match.group(1))
    return f" {_CHINESE_MONTHS[month - 1]} " if 1 <= month <= _MONTHS_PER_YEAR else match.group(0)


def _joined_arabic_month(match: re.Match[str]) -> str:
    return match.group(1) + ("الأول" if match.group(2) else "الثاني")


def _full_thai_month(match: re.Match[str]) -> str:
    return f" {_THAI_MONTH_OF_ABBREVIATION[match.group(0)]} "


def _tight_dates(tokens: list[str]) -> list[date]:
    """Return the dates common-word abbreviations state in a date's tight form."""
    found = []
    for index, token in enumerate(tokens):
        month = _TIGHT_MONTHS.get(token)
        if month is not None and (stated := _tight_date(tokens, index, month)) is not None:
            found.append(stated)
    return found


def _tight_date(tokens: list[str], index: int, month: int) -> date | None:
    """Read a common-word abbreviation's date, stated only as ``D abbr YYYY`` or ``abbr D YYYY``.

    One filler may stand between ("15 de ago. de 2005"); nothing else may.
    """
    _, before = _number_beside(tokens, index, -1)
    after_at, after = _number_beside(tokens, index, 1)
    if _is_day_digits(before) and _is_year_digits(after):
        return _make(int(after), month, int(before))
    if _is_day_digits(after):
        _, next_after = _number_beside(tokens, after_at, 1)
        if _is_year_digits(next_after):
            return _make(int(next_after), month, int(after))
    return None


def _number_beside(tokens: list[str], index: int, step: int) -> tuple[int, str]:
    """Return where the word next to ``tokens[index]`` in direction ``step`` stands.

    One filler apart at most; with the word's leading digits ("" for none).
    """
    position = index + step
    if 0 <= position < len(tokens) and tokens[position] in _FILLERS:
        position += step
    return position, _digits_at(tokens, position)


def _digits_at(tokens: list[str], position: int) -> str:
    if not 0 <= position < len(tokens):
        return ""
    digits = _NUMBER_PREFIX.match(tokens[position])
    return digits.group(0) if digits else ""


def _is_day_digits(digits: str) -> bool:
    return bool(digits) and len(digits) <= 2 and _is_day(int(digits))


def _is_year_digits(digits: str) -> bool:
    return _FOUR_DIGITS.match(digits) is not None


def _year_after_marker(tokens: list[str], index: int) -> int | None:
    """Return the year three words before the month ``tokens[index]``, or None.

    Where a year marker stands between (Latvian "2005. gada 15. jūnijs", Basque "2005(e)ko
    ekainaren 15(a)").
    """
    digits = _digits_at(tokens, index - 3)
    return int(digits) if _is_year_digits(digits) else None


def _buddhist_era_year(
    tokens: list[str], index: int, text: str, hint: tuple[int, int] | None
) -> int | None:
    """Return the Gregorian year of a Thai date's Buddhist-era year (2548 = 2005).

    Certain when the text states the era (พ.ศ.) or the URL's year is that year; 0 when a
    Buddhist-era year stands beside the month but neither says so; None when none does.
    """
    for step in _STEPS:
        digits = _digits_at(tokens, index + step)
        if _BUDDHIST_ERA_YEAR.match(digits):
            year = int(digits) - _BUDDHIST_ERA_OFFSET
            certain = _BUDDHIST_ERA in text or (hint is not None and hint[0] == year)
            return year if certain else 0
    return None


def _neighbour_number(
    tokens: list[str], index: int, fits: Callable[[int], bool], *, years: bool
) -> int | None:
    """Return the day (or year) number next to the month ``tokens[index]``, fillers apart."""
    for step in _STEPS:
        position = index + step
        if not 0 <= position < len(tokens):
            continue
        token = tokens[position]
        if token in _FILLERS:
            continue
        digits = _NUMBER_PREFIX.match(token)
        if digits is None:
            continue
        number = digits.group(0)
        if years == (_FOUR_DIGITS.match(number) is not None) and fits(int(number)):
            return int(number)
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
        text = ascii_digits(text).translate(_FORMAT_MARKS)
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


_DIGIT_AND_SEPARATOR = re.compile(r"\d[/.-]\d")


def month_may_settle(text: str) -> bool:
    """Whether ``text`` holds an all-digit date that a ``(year, month)`` may settle.

    ``1/05/2006`` (either order) or a two-digit year (``6/15/05``): the forms
    :func:`date_in_text` reads only with the URL's month. A cheap test, for callers that
    would look for a month elsewhere before asking :func:`date_in_text` again.
    """
    # The forms' expressions try each position of the text (about 400 instructions a
    # character): their separators are looked for first, then a digit beside one.
    if not _has_separator(text) or _DIGIT_AND_SEPARATOR.search(text) is None:
        return False
    return _NUMERIC.search(text) is not None or _SHORT_NUMERIC.search(text) is not None


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


# The post's file may have any extension: blogs Blogger published to their owners' servers
# (FTP, until 2010) named their archive files as the blog's filename did (".asp", ".php").
_URL_YEAR_MONTH = re.compile(r"/(\d{4})/(\d{2})/[^/?#]+\.[A-Za-z0-9]+(?:[?#]|$)")


def url_year_month(url: str) -> tuple[int, int] | None:
    """Return the ``(year, month)`` of a Blogger post URL's ``/YYYY/MM/NAME.EXT``, or None.

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
