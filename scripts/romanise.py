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
