"""Romanisation tables used by the build scripts (never imported by the cleaner at run time).

- ``kmu2010``: the Ukrainian national system (Cabinet of Ministers resolution 55, 2010): Київ -> Kyiv,
  Запоріжжя -> Zaporizhzhia, Згурівка -> Zghurivka, Юрій -> Yurii. Word-initial є ї й ю я -> ye yi y yu ya,
  elsewhere ie i i iu ia; зг -> zgh; soft sign and apostrophe are dropped.
- ``bgn_uk``: BGN/PCGN 1965 for Ukrainian, as GeoNames often writes it (Kyyiv, Zaporizhzhya, Vinnytsya).
- ``ru_bgn``: BGN/PCGN for Russian without the soft-sign mark (Kiyev, Nikolayev, Zaporozhye).
- ``ru_simple``: the popular English rendering of Russian (Kiev, Nikolaev, Kharkov, Odessa).
- ``ru_variants``: both Russian systems plus the spellings the English press mixes in: -iy/-y/-ii endings
  (Khmelnitskiy, Khmelnitsky), ya/ia and yu/iu after a consonant (Slavyansk, Slaviansk), ye/e after a vowel
  (Avdeyevka, Avdeevka), yo written e (Artyomovsk, Artemovsk).
"""

from __future__ import annotations

import re
import unicodedata

UK_VOWELS = set("аеєиіїоуюяАЕЄИІЇОУЮЯ")
RU_VOWELS = set("аеёиоуыэюяАЕЁИОУЫЭЮЯ")

_KMU = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": ("ye", "ie"), "ж": "zh",
    "з": "z", "и": "y", "і": "i", "ї": ("yi", "i"), "й": ("y", "i"), "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "shch", "ь": "", "ю": ("yu", "iu"), "я": ("ya", "ia"), "'": "", "’": "", "ʼ": "",
}
_BGN_UK = dict(_KMU, **{"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"})
_RU = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
}
UK_LETTERS = set(_KMU) | {c.upper() for c in _KMU}
RU_LETTERS = set(_RU) | {c.upper() for c in _RU}
SEPARATORS = set(" -")


def _case(out: str, src: str, next_upper: bool) -> str:
    if not src.isupper():
        return out
    return out.upper() if next_upper else out[:1].upper() + out[1:]


def _run(text: str, table: dict, initial_variant: bool, vowels: set[str], ru_e: str | None = None) -> str:
    res = []
    for i, ch in enumerate(text):
        low = ch.lower()
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < len(text) else " "
        word_start = not prev.isalpha() and prev not in "'’ʼ"
        if low == "г" and table is _KMU and prev.lower() == "з":
            out = "gh"
        elif low == "е" and ru_e is not None:
            soft = prev.lower() in "ьъ"
            after_vowel = prev in vowels or prev.lower() == "й"
            out = "ye" if soft or (ru_e == "bgn" and (word_start or after_vowel)) else "e"
        elif low in table:
            out = table[low]
            if isinstance(out, tuple):
                out = out[0] if (word_start or not initial_variant) else out[1]
        else:
            res.append(ch)
            continue
        res.append(_case(out, ch, nxt.isupper()))
    return "".join(res)


def kmu2010(text: str) -> str:
    return _run(text, _KMU, True, UK_VOWELS)


def bgn_uk(text: str) -> str:
    return _run(text, _BGN_UK, False, UK_VOWELS)


def ru_bgn(text: str) -> str:
    out = _run(text, _RU, False, RU_VOWELS, ru_e="bgn")
    return out


def ru_simple(text: str) -> str:
    return _run(text, _RU, False, RU_VOWELS, ru_e="simple")


_ENDINGS = {"iy": ("iy", "y", "ii", "i"), "yy": ("yy", "y", "iy")}
_CONSONANT_Y = re.compile(r"(?<=[bcdfghklmnprstvz])y(?=[au])")


def _spellings(word: str) -> set[str]:
    out = {word}
    low = word.lower()
    for end, subs in _ENDINGS.items():
        if low.endswith(end) and len(low) > 4:
            out |= {word[: -len(end)] + s for s in subs}
    more = set()
    for w in out:
        more.add(_CONSONANT_Y.sub("i", w))  # Slavyansk -> Slaviansk, Izyum -> Izium
        more.add(re.sub(r"(?<=[aeiou])ye", "e", w))  # Avdeyevka -> Avdeevka
        more.add(re.sub(r"(?<=[bcdfghklmnprstvz])yo", "e", w))  # Artyomovsk -> Artemovsk
        more.add(re.sub(r"(?<=[aeou])y(?=[bcdfghklmnprstvz]|$)", "i", w))  # Gulyay -> Gulyai, Nikolay -> Nikolai
    return out | more


def ru_variants(text: str) -> set[str]:
    """The common English romanisations of a Russian name (see the module docstring)."""
    out: set[str] = set()
    for base in {ru_simple(text), ru_bgn(text)}:
        parts = re.split(r"([ -])", base)
        forms = [""]
        for part in parts:
            options = _spellings(part) if part.isalpha() else {part}
            forms = [f + o for f in forms for o in sorted(options)][:64]
        out.update(forms)
    return out


def fold(text: str) -> str:
    """Strip diacritics (Kraków -> Krakow, Łódź -> Lodz) and typographic apostrophes."""
    text = text.replace("ł", "l").replace("Ł", "L").replace("ø", "o").replace("Ø", "O").replace("ß", "ss")
    text = text.replace("ı", "i").replace("đ", "d").replace("Đ", "D").replace("ə", "a").replace("Ə", "A")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def is_latin(text: str) -> bool:
    """Latin letters (any diacritics), spaces, hyphens and periods only."""
    for c in text:
        if c.isalpha():
            if "LATIN" not in unicodedata.name(c, ""):
                return False
        elif c not in " -.":
            return False
    return any(c.isalpha() for c in text)


def is_ukrainian(text: str) -> bool:
    return all(c in UK_LETTERS or c in SEPARATORS for c in text) and any(c.isalpha() for c in text)


def is_russian(text: str) -> bool:
    return all(c in RU_LETTERS or c in SEPARATORS for c in text) and any(c.isalpha() for c in text)


def russian_only(text: str) -> bool:
    """Letters that only Russian (of Russian/Ukrainian) has: ы э ъ ё."""
    return is_russian(text) and any(c in "ыэъёЫЭЪЁ" for c in text)



# Ukrainian word endings and their regular Russian counterparts (the ending of a place name is an adjective or
# a suffix whose Russian form is fixed): Трудолюбівка -> Трудолюбовка, Первомайське -> Первомайское,
# Мирне -> Мирное, Очеретине -> Очеретино; -ове and -еве stay (-ово or -овое: ambiguous)
_RU_ENDINGS = (
    ("ська", "ская"), ("цька", "цкая"), ("ське", "ское"), ("цьке", "цкое"), ("ськ", "ск"), ("цьк", "цк"),
    ("івка", "овка"), ("ївка", "евка"), ("ине", "ино"), ("ове", "ове"), ("еве", "еве"), ("не", "ное"),
    ("те", "тое"),
)
# і/ї: Russian и, е or о (Біла: Белая, Кінь: Конь); ' and ьо too; a masculine adjective (-ський, -ний: city
# districts, Вознесенський) would romanise like a Russian surname (Voznesensky): left alone
_UK_AMBIGUOUS = re.compile(r"[іїґ'’ʼ]|ьо|[иі]й$")


def russify(ukrainian: str) -> str:
    """The Russian spelling of a Ukrainian place name by regular correspondences, or "" when a letter's
    Russian counterpart is not regular. Only the ending changes by rule (``_RU_ENDINGS``: -івка -> -овка,
    -ське -> -ское); elsewhere є becomes е and the letters both alphabets share stay (и, е, г: Russian
    romanisations then read them as i, e, g: Трудолюбівка -> Трудолюбовка, Trudolyubovka); a word with і, ї,
    ґ, an apostrophe or ьо outside its ending has no regular Russian form (Біла -> Белая, Кам'янка -> Каменка)
    and makes the whole name "". Used for places GeoNames gives no Russian name."""
    words = []
    for word in re.split(r"([ -])", ukrainian):
        if not word or word in " -":
            words.append(word)
            continue
        low = word.lower()
        for uk, ru in _RU_ENDINGS:
            if low.endswith(uk) and len(low) > len(uk) + 1:
                low = low[: -len(uk)] + ru
                break
        low = low.replace("є", "е")
        if _UK_AMBIGUOUS.search(low) or not is_russian(low):
            return ""
        words.append(low[0].upper() + low[1:] if word[0].isupper() else low)
    return "".join(words)

# --- the schemes MT systems and other languages use ---------------------------------------------------
#
# ``UK_SCHEMES`` and ``RU_SCHEMES`` name every romanisation the build scripts and bench/entity_garbles.py
# generate from a Cyrillic name. Most come from two packages of the ``build`` extra: ``translitua``
# (Ukrainian: KMU 2010, BGN/PCGN, national 1996, ISO 9, GOST, German, French; MIT) and ``iuliia`` (Russian:
# Wikipedia, BGN/PCGN, ALA-LC, GOST, ISO 9, scientific, MVD French; MIT). Neither has the German (Duden)
# rendering of Russian nor the Polish ones: the small tables below write them.

_RU_DE = {
    "а": "a", "б": "b", "в": "w", "г": "g", "д": "d", "ж": "sch", "з": "s", "и": "i", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "ch",
    "ц": "z", "ч": "tsch", "ш": "sch", "щ": "schtsch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "ju", "я": "ja",
}
_RU_PL = {
    "а": "a", "б": "b", "в": "w", "г": "g", "д": "d", "ж": "ż", "з": "z", "и": "i", "й": "j", "к": "k",
    "л": "ł", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "х": "ch", "ц": "c", "ч": "cz", "ш": "sz", "щ": "szcz", "ъ": "", "ы": "y", "ь": "", "э": "e",
}
_UK_PL = dict(_RU_PL, **{"г": "h", "ґ": "g", "и": "y", "і": "i", "'": "j", "’": "j", "ʼ": "j"})
_SOFTENED = {"н": "ń", "с": "ś", "з": "ź", "ц": "ć", "т": "ć", "д": "dź"}
_IOTATED = {"е": "e", "ё": "o", "є": "e", "ю": "u", "я": "a", "ї": "i"}


def _polish(text: str, table: dict, vowels: set[str]) -> str:
    """Polish practical transcription (PWN rules, simplified): л is ł except before soft vowels (lu, la);
    е ё ю я are je jo ju ja after a vowel, a soft sign or at the start of a word, ie io iu ia after a
    consonant (Russian е: ie, Biełgorod); a soft sign marks the consonant (ń ś ź ć); -нск- is -ńsk-
    (Briańsk, Wołczańsk)."""
    res: list[str] = []
    low = text.lower()
    for i, ch in enumerate(low):
        prev = low[i - 1] if i else " "
        nxt = low[i + 1] if i + 1 < len(low) else " "
        if ch in _IOTATED or (ch == "е" and table is _RU_PL):
            tail = _IOTATED.get(ch, "e")
            if prev == "л" or prev in "жшчщц":
                out = tail if ch != "е" or table is _RU_PL else "e"
            elif not prev.isalpha() or prev in vowels or prev in "ьъ'’ʼ":
                out = "j" + tail if ch != "е" or table is _RU_PL else "e"
            else:
                out = "i" + tail if ch != "е" or table is _RU_PL else "e"  # Белгород -> Biełgorod
            if ch == "е" and table is _RU_PL and (not prev.isalpha() or prev in vowels or prev in "ьъ"):
                out = "je"
            if ch == "ї":
                out = "ji"
        elif ch == "л":
            out = "l" if nxt in "еёєюяіїиь" else "ł"
        elif ch == "и" and table is _RU_PL and prev in "жшц":
            out = "y"
        elif ch in _SOFTENED and nxt == "ь" and low[i + 2:i + 3] != "к":  # -ськ is -sk (Pokrowsk)
            out = _SOFTENED[ch]
        elif ch == "н" and low[i + 1:i + 3] == "ск":
            out = "ń"
        elif ch in table:
            out = table[ch]
        else:
            res.append(text[i])
            continue
        res.append(_case(out, text[i], i + 1 < len(text) and text[i + 1].isupper()))
    return "".join(res)


def _german_ru(text: str) -> str:
    """German (Duden) rendering of Russian: Брянск -> Brjansk, Волчанск -> Woltschansk, Киев -> Kijew,
    Юрий -> Juri. е and ё are je/jo after a vowel, a soft sign or word start; й is j before a vowel and
    i elsewhere, dropped in -ий/-ый; с between vowels is ss."""
    res: list[str] = []
    low = text.lower()
    for i, ch in enumerate(low):
        prev = low[i - 1] if i else " "
        nxt = low[i + 1] if i + 1 < len(low) else " "
        soft = not prev.isalpha() or prev in RU_VOWELS or prev in "ьъ"
        if ch == "е":
            out = "je" if soft else "e"
        elif ch == "ё":
            out = "jo" if soft else ("o" if prev in "жшчщ" else "jo")
        elif ch == "й":
            out = "j" if nxt in "аеёиоуыэюя" else ("" if prev in "иы" and not nxt.isalpha() else "i")
        elif ch == "ь" and nxt in "еёиоюя":
            out = "j" if nxt in "ио" else ""
        elif ch == "с" and prev in "аеёиоуыэюя" and nxt in "аеёиоуыэюя":
            out = "ss"
        elif ch in _RU_DE:
            out = _RU_DE[ch]
        else:
            res.append(text[i])
            continue
        res.append(_case(out, text[i], i + 1 < len(text) and text[i + 1].isupper()))
    return "".join(res)


def _translitua(name: str):
    import translitua

    table = getattr(translitua, name)
    return lambda text: translitua.translit(text, table)


def _iuliia(name: str):
    import iuliia

    schema = getattr(iuliia, name)
    return schema.translate


def latin_form(text: str) -> str:
    """A romanisation as it would appear in English text: apostrophes and primes (soft-sign marks) and
    ALA-LC tie bars removed; other diacritics kept (Charków, Časiv Jar); empty when anything but Latin
    letters, spaces and hyphens remains."""
    text = unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", text) if c != "\u0361"))
    text = "".join(c for c in text if c not in "'’ʼʹ′″`\"ʺ")
    return text if is_latin(text) and "." not in text else ""


def uk_schemes() -> dict[str, object]:
    """Ukrainian: name -> function (needs translitua, the ``build`` extra)."""
    return {
        "kmu2010": kmu2010,
        "bgn-pcgn": _translitua("UkrainianBGN"),
        "national1996": _translitua("UkrainianNational1996"),
        "iso9": _translitua("UkrainianISO9"),
        "gost1986": _translitua("UkrainianGOST1986"),
        "gost1971": _translitua("UkrainianGOST1971"),
        "ala-lc": _translitua("UkrainianALALC"),
        "scholarly": _translitua("UkrainianWWS"),
        "passport2007": _translitua("UkrainianPassport2007"),
        "german": _translitua("UkrainianGerman"),
        "french": _translitua("UkrainianFrench"),
        "polish": lambda t: _polish(t, _UK_PL, UK_VOWELS),
    }


def ru_schemes() -> dict[str, object]:
    """Russian: name -> function (needs iuliia, the ``build`` extra)."""
    return {
        "english": ru_simple,
        "bgn-pcgn": _iuliia("BGN_PCGN"),
        "wikipedia": _iuliia("WIKIPEDIA"),
        "ala-lc": _iuliia("ALA_LC"),
        "gost": _iuliia("GOST_52290"),
        "iso9": _iuliia("ISO_9_1968"),
        "scientific": _iuliia("SCIENTIFIC"),
        "icao": _iuliia("ICAO_DOC_9303"),
        "german": _german_ru,
        "french": _iuliia("MVD_310_FR"),
        "polish": lambda t: _polish(t, _RU_PL, RU_VOWELS),
    }


# letters with diacritics that other languages' press writes (German, Polish, Czech, French); a form with any
# other diacritic (ISO 9's ì â ŝ, ALA-LC's ĭ) appears in running text only with its diacritics stripped
PRESS_DIACRITICS = set("čšžćłńśźżóéèêëïüöäàçČŠŽĆŁŃŚŹŻÓÉÈÜÖÄ")


def romanisations(cyrillic: str, lang: str) -> dict[str, str]:
    """Every scheme's Latin form of ``cyrillic`` (``lang`` "uk" or "ru"), as it would appear in English text,
    plus the form with diacritics folded (Charków -> Charkow) under ``<scheme>-folded``. Empty results are
    left out, and so are forms with diacritics no press uses (their folded form stays)."""
    out: dict[str, str] = {}
    for name, fn in (uk_schemes() if lang == "uk" else ru_schemes()).items():
        form = latin_form(fn(cyrillic))
        if form:
            if all(c.isascii() or c in PRESS_DIACRITICS for c in form):
                out[name] = form
            if fold(form) != form:
                out[f"{name}-folded"] = fold(form)
    return out


if __name__ == "__main__":  # quick self-check
    for uk, want in [("Київ", "Kyiv"), ("Запоріжжя", "Zaporizhzhia"), ("Згурівка", "Zghurivka"), ("Юрій", "Yurii"),
                     ("Курахове", "Kurakhove"), ("Миколаїв", "Mykolaiv"), ("Вінниця", "Vinnytsia"),
                     ("Сєвєродонецьк", "Sievierodonetsk"), ("Біла Церква", "Bila Tserkva"),
                     ("Кривий Ріг", "Kryvyi Rih"), ("Олександр Сирський", "Oleksandr Syrskyi")]:
        assert kmu2010(uk) == want, (kmu2010(uk), want)
    for ru, want in [("Киев", "Kiyev"), ("Николаев", "Nikolayev"), ("Запорожье", "Zaporozhye")]:
        assert ru_bgn(ru) == want, (ru_bgn(ru), want)
    for ru, want in [("Киев", "Kiev"), ("Харьков", "Kharkov"), ("Одесса", "Odessa"), ("Курахово", "Kurakhovo"),
                     ("Запорожье", "Zaporozhye"), ("Николаев", "Nikolaev")]:
        assert ru_simple(ru) == want, (ru_simple(ru), want)
    for ru, want in [("Славянск", {"Slavyansk", "Slaviansk"}), ("Авдеевка", {"Avdeyevka", "Avdeevka"}),
                     ("Хмельницкий", {"Khmelnitskiy", "Khmelnitsky", "Khmelnitskii"}), ("Изюм", {"Izyum", "Izium"})]:
        assert want <= ru_variants(ru), (ru_variants(ru), want)
    print("ok")
