"""The `phrases` stage: context rules for word choices machine translation gets wrong.

Rules are data (``dictionaries/phrases.toml``), loaded and compiled once per process. A plain rule is a
regex, a replacement, the context that must be present near the match (``require``), the context that
blocks it (``forbid``), a confidence, a reason and a worked example. Two rule kinds are mechanisms with
parameters:

- ``gerund``: a preposition that takes a gerund followed by a bare verb form (``after faced``, ``from
  settle``) becomes the ``-ing`` form. The word must be unambiguously a verb (lemminflect knows it as a
  verb and not as a noun); a bare base form must not be an adjective either, and a past form must be
  followed by an object-like word (``the``, ``them``, a number...), so ``after renewed fighting`` (an
  adjectival participle) is left alone.
- ``adverb``: a listed noun standing between a subject (a capitalised name or pronoun) and a past-tense
  verb is the adverb the source had (``Russia haste rushed`` -> ``Russia hastily rushed``).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache

from ..core.edits import Edit
from ..core.resources import DataError, path, read_tsv, word_set
from ..language.text import match_case
from . import Stage, register

RULES_FILE = "phrases.toml"
_WORD = re.compile(r"[a-z][a-z'’\-]*")
_NUMBER = re.compile(r"[£$€]?\d")
_CREDIT_NAME = re.compile(r"^\s+[\w-]+(?:\s+Images)?")
_AFTER_PREP = re.compile(r"\s+([A-Za-z]+)\b(?:\s+([\w£$€'’]+))?")
#: a subject before an adverb rule's noun is capitalised or one of these pronouns, and none of the words that make
#: the noun no adverb (``In haste``, ``their haste``)
_PRONOUNS = word_set("english/subject_pronouns.txt")
_NOT_SUBJECTS = word_set("english/not_subjects.txt")


@dataclass(frozen=True)
class Context:
    """Words (exact), prefixes (``stem*``) and multi-word phrases (substring) to look for."""

    words: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.words or self.prefixes or self.phrases)

    def found(self, window: str) -> bool:
        if any(p in window for p in self.phrases):
            return True
        for w in _WORD.findall(window):
            if w in self.words or (self.prefixes and w.startswith(self.prefixes)):
                return True
        return False


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    regex: re.Pattern | None
    replace: str | dict[str, str]
    group: int
    require: Context
    forbid: Context
    window: int
    confidence: float
    reason: str
    example: str
    keep: tuple[str, ...]
    credit_only: bool = False
    params: dict | None = None
    trigger: tuple[str, ...] = ()
    #: the longest text all triggers share (" blow", "through "): one cheap test before the trigger list
    gate: str = ""
    #: when every trigger starts with the gate (" to air", " to sea"): one scan finds any of them
    trigger_re: re.Pattern | None = None


def _shared_text(triggers: tuple[str, ...]) -> str:
    """The longest substring common to every trigger ("" if under 3 characters or only one trigger)."""
    if len(triggers) < 2:
        return ""
    shortest = min(triggers, key=len)
    for size in range(len(shortest), 2, -1):
        for i in range(len(shortest) - size + 1):
            piece = shortest[i : i + size]
            if all(piece in t for t in triggers):
                return piece
    return ""


def _prefix_regex(triggers: tuple[str, ...]) -> re.Pattern | None:
    """``gate(?:rest|rest...)`` when several triggers start with their shared text: a pattern led by a
    literal is searched as fast as one ``in`` test, instead of one test per trigger."""
    gate = _shared_text(triggers)
    if not gate or not all(t.startswith(gate) for t in triggers):
        return None
    return re.compile(re.escape(gate) + "(?:" + "|".join(re.escape(t[len(gate) :]) for t in triggers) + ")")


def _triggered(rule: Rule, lower: str) -> bool:
    """Does one of the rule's trigger literals occur in the lower-cased text?"""
    if rule.trigger_re is not None:
        return rule.trigger_re.search(lower) is not None
    if rule.gate and rule.gate not in lower:
        return False
    for t in rule.trigger:
        if t in lower:
            return True
    return False


def _context(items: list[str], sets: dict[str, list[str]], where: str) -> Context:
    words: set[str] = set()
    prefixes: list[str] = []
    phrases: list[str] = []
    expanded: list[str] = []
    for item in items:
        if item.startswith("@"):
            if item[1:] not in sets:
                raise DataError(f"{where}: unknown context set {item!r}")
            expanded += sets[item[1:]]
        else:
            expanded.append(item)
    for item in expanded:
        item = item.lower()
        if " " in item:
            phrases.append(item)
        elif item.endswith("*"):
            prefixes.append(item[:-1])
        else:
            words.add(item)
    return Context(frozenset(words), tuple(prefixes), tuple(phrases))


@cache
def load_rules(file: str | None = None) -> tuple[Rule, ...]:
    """Parse and compile the rules file (cached per process); errors name the file and rule."""
    return _load(file)[0]


@cache
def all_rules(file: str | None = None, extra: tuple[str, ...] = ()) -> tuple[Rule, ...]:
    """The bundled rules (or ``file``) followed by the rules of each user file in ``extra``: added, never
    replacing. A user file may use the bundled context sets (``@name``) and define its own; a rule name
    already taken is an error (disable the bundled rule with ``disable_rules`` and name yours apart)."""
    rules, sets = _load(file)
    out = list(rules)
    where_named = dict.fromkeys((r.name for r in rules), str(path(RULES_FILE) if file is None else file))
    for user_file in extra:
        user_rules, _ = _load(user_file, tuple((k, tuple(v)) for k, v in sets.items()))
        for r in user_rules:
            if r.name in where_named:
                raise DataError(f"{user_file}: rule {r.name!r} is already defined in {where_named[r.name]}")
            where_named[r.name] = user_file
        out += user_rules
    return tuple(out)


@cache
def _load(file: str | None = None, base_sets: tuple = ()) -> tuple[tuple[Rule, ...], dict[str, list[str]]]:
    """(rules, context sets) of one rules file; ``base_sets`` are sets it may use without defining them."""
    source = path(RULES_FILE) if file is None else file
    try:
        with open(source, "rb") as fh:
            data = tomllib.load(fh)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"{source}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise DataError(f"{source}: cannot read phrase rules: {exc.strerror or exc}") from None
    sets = {**dict(base_sets), **data.get("context", {})}
    rules: list[Rule] = []
    seen: set[str] = set()
    for i, raw in enumerate(data.get("rule", [])):
        name = raw.get("name") or f"rule{i}"
        where = f"{source}: rule {name!r}"
        if name in seen:
            raise DataError(f"{where}: duplicate name")
        seen.add(name)
        kind = raw.get("kind", "regex")
        regex = None
        if kind == "regex":
            if "pattern" not in raw or "replace" not in raw:
                raise DataError(f"{where}: needs pattern and replace")
            try:
                regex = re.compile(raw["pattern"], 0 if raw.get("case") else re.IGNORECASE)
            except re.error as exc:
                raise DataError(f"{where}: bad pattern: {exc}") from None
        elif kind not in ("gerund", "adverb"):
            raise DataError(f"{where}: unknown kind {kind!r}")
        replace = raw.get("replace", "")
        if isinstance(replace, dict):
            replace = {k.lower(): v for k, v in replace.items()}
        params = {k: v for k, v in raw.items() if k in ("prepositions", "object_words", "nouns")}
        rules.append(
            Rule(
                name=name,
                kind=kind,
                regex=regex,
                replace=replace,
                group=int(raw.get("group", 0)),
                require=_context(raw.get("require", []), sets, where),
                forbid=_context(raw.get("forbid", []), sets, where),
                window=int(raw.get("window", 400)),
                confidence=float(raw.get("confidence", 0.9)),
                reason=raw.get("reason", ""),
                example=raw.get("example", ""),
                keep=tuple(raw.get("keep", ())),
                credit_only=bool(raw.get("credit_only", False)),
                params=params or None,
                trigger=tuple(t.lower() for t in raw.get("trigger", ())),
                gate=_shared_text(tuple(t.lower() for t in raw.get("trigger", ()))),
                trigger_re=_prefix_regex(tuple(t.lower() for t in raw.get("trigger", ()))),
            )
        )
    return tuple(rules), sets


# --------------------------------------------------------------------------- verb forms (lemminflect)

#: ``verb_info`` for every lower-case word lemminflect knows as an unambiguous verb form, precomputed by
#: ``scripts/build_verb_forms.py`` (loading lemminflect's tables takes ~1.5 s; this file a few ms)
VERB_FORMS_FILE = "verb_forms.tsv"
_LOWER_ASCII = re.compile(r"[a-z]+")


@cache
def verb_forms() -> dict[str, tuple[str, str]] | None:
    """word -> (``base`` | ``past``, gerund) from ``dictionaries/verb_forms.tsv`` (rows ``gerund  base
    forms  past forms``, forms space-separated); None if the file is missing (lemminflect is asked instead)."""
    file = path(VERB_FORMS_FILE)
    if not file.exists():
        return None
    table: dict[str, tuple[str, str]] = {}
    for row in read_tsv(file, columns=3):
        gerund = row[0]
        base, past = ("base", gerund), ("past", gerund)
        for word in row[1].split():
            table[word] = base
        for word in row[2].split():
            table[word] = past
    return table


@lru_cache(maxsize=8192)
def verb_info(word: str) -> tuple[str, str] | None:
    """``(form, gerund)`` if ``word`` is unambiguously a verb form: ``form`` is ``base`` or ``past``.

    None for anything with a noun reading, adverbs, auxiliaries, -ing forms and unknown words. Answered
    from the precomputed table for lower-case words (the only ones the rules ask about), else by lemminflect."""
    table = verb_forms()
    if table is not None and _LOWER_ASCII.fullmatch(word):
        return table.get(word)
    return lemminflect_verb_info(word)


def lemminflect_verb_info(word: str) -> tuple[str, str] | None:
    """:func:`verb_info` computed with lemminflect (what ``scripts/build_verb_forms.py`` tabulates)."""
    from lemminflect import getAllLemmas, getInflection  # type: ignore[import-untyped]

    if word.endswith("ing") or len(word) < 3:
        return None
    lemmas = getAllLemmas(word)
    if "VERB" not in lemmas or lemmas.keys() & {"NOUN", "ADV", "AUX", "PROPN", "ADP", "PRON", "DET"}:
        return None
    lemma = lemmas["VERB"][0]
    gerund = getInflection(lemma, "VBG")
    if not gerund:
        return None
    if word == lemma:
        if "ADJ" in lemmas:
            return None
        return "base", gerund[0]
    past = set(getInflection(lemma, "VBD") or ()) | set(getInflection(lemma, "VBN") or ())
    if word in past:
        return "past", gerund[0]
    return None


# --------------------------------------------------------------------------- the stage


@register("phrases")
class PhrasesStage(Stage):
    """Applies the context rules of ``dictionaries/phrases.toml`` (or ``options["phrases"]["rules"]``), and
    those of the user's ``phrase_rules`` files after them."""

    def __init__(self, config) -> None:
        super().__init__(config)
        self._file = self.options.rules
        self._extra = tuple(getattr(config, "phrase_rules", ()))

    @property
    def rules(self) -> tuple[Rule, ...]:
        return all_rules(self._file, self._extra) if self._extra else load_rules(self._file)

    def propose(self, text: str) -> list[Edit]:
        edits: list[Edit] = []
        lower = text.lower()
        for rule in self.rules:
            if rule.kind == "adverb":
                edits += self._adverb_rule(rule, text, lower)
                continue
            if rule.trigger and not _triggered(rule, lower):
                continue
            if rule.kind == "regex":
                edits += self._regex_rule(rule, text)
            elif rule.kind == "gerund":
                edits += self._gerund_rule(rule, text, lower)
        return edits

    def _context_ok(self, rule: Rule, text: str, start: int, end: int) -> bool:
        if not (rule.require or rule.forbid):
            return True
        window = (text[max(0, start - rule.window) : start] + " \n " + text[end : end + rule.window]).lower()
        if rule.require and not rule.require.found(window):
            return False
        return not (rule.forbid and rule.forbid.found(window))

    def _edit(self, rule: Rule, start: int, end: int, replacement: str, before: str) -> Edit:
        return Edit(start, end, replacement, stage=self.name, rule=rule.name, confidence=rule.confidence,
                    note=f"{before} -> {replacement}: {rule.reason}")

    def _regex_rule(self, rule: Rule, text: str) -> list[Edit]:
        out: list[Edit] = []
        assert rule.regex is not None  # a regex rule has one (load_rules)
        for m in rule.regex.finditer(text):
            start, end = m.span(rule.group)
            if start < 0:
                continue
            if rule.credit_only and not self._is_credit(text, m):
                continue
            if not self._context_ok(rule, text, m.start(), m.end()):
                continue
            found = m.group(rule.group)
            if isinstance(rule.replace, dict):
                repl = rule.replace.get(found.lower())
                if repl is None:
                    continue
                repl = match_case(found, repl)
            else:
                repl = m.expand(rule.replace)
            out.append(self._edit(rule, start, end, repl, found))
        return out

    @staticmethod
    def _is_credit(text: str, m: re.Match) -> bool:
        """A photo credit, not prose: Getty Images, a capitalised word before, or the credit ends its line."""
        after = text[m.end() : m.end() + 40]
        if after.lstrip().startswith("Getty"):
            return True
        before = text[max(0, m.start() - 40) : m.start()].split()
        if before and before[-1][:1].isupper():
            return True
        rest = _CREDIT_NAME.sub("", text[m.end() :].split("\n", 1)[0], count=1)
        return not rest.strip(" \t.,;:)]\"'’”")

    def _gerund_rule(self, rule: Rule, text: str, lower: str) -> list[Edit]:
        params = rule.params or {}
        objects = _word_set(tuple(params.get("object_words", ())))
        # most words after a preposition are no verb form: one look-up in the table rules them out first
        table = verb_forms() if len(lower) == len(text) else None
        out: list[Edit] = []
        for prep in params.get("prepositions", ()):
            # str.find over the lower-cased text is far faster than one case-insensitive alternation
            pos = lower.find(prep + " ")
            while pos >= 0:
                here, pos = pos, lower.find(prep + " ", pos + 1)
                if here and lower[here - 1].isalnum():
                    continue
                if table is not None:
                    quick = _WORD_AFTER.match(lower, here + len(prep))
                    if quick is None or quick.group(1) not in table:
                        continue
                m = _AFTER_PREP.match(text, here + len(prep))
                if m is None or not m.group(1).islower():
                    continue
                word = m.group(1)
                info = verb_info(word)
                if info is None:
                    continue
                form, gerund = info
                nxt = m.group(2) or ""
                if form == "past" and not (nxt.lower() in objects or _NUMBER.match(nxt)):
                    continue
                if form == "base" and not nxt:  # "go by feel." - a bare form must lead into more words
                    continue
                out.append(self._edit(rule, m.start(1), m.end(1), gerund, word))
        return out

    def _adverb_rule(self, rule: Rule, text: str, lower: str) -> list[Edit]:
        """Runs unless the rule has triggers and none occurs. The triggers found double as the nouns found
        (the usual data lists the nouns as triggers), so each literal is looked for once."""
        found = {t for t in rule.trigger if t in lower}
        if rule.trigger and not found:
            return []
        nouns = _lower_keys(tuple((rule.params or {}).get("nouns", {}).items()))
        triggers = rule.trigger
        present = tuple(sorted(n for n in nouns if (n in found if n in triggers else n in lower)))
        if not present:
            return []
        # scan the lower-cased text (a literal-led pattern runs at memory speed); offsets are the same
        # unless lower-casing changed the length (rare letters such as "İ"), then scan the text itself
        same = len(lower) == len(text)
        out: list[Edit] = []
        for nstart, nend, vstart, vend in _noun_verb_pairs(present, text, lower, same):
            if nstart and (lower[nstart - 1].isalnum() or lower[nstart - 1] in "_'’"):
                continue
            noun, verb = text[nstart:nend], text[vstart:vend]
            if not verb.islower():
                continue
            before = _ONE_WORD_BEFORE.search(text, max(0, nstart - 40), nstart)
            if before is None:
                continue
            subject = before.group(1)
            if not (subject[:1].isupper() or subject.lower() in _PRONOUNS):
                continue
            if subject.lower() in _NOT_SUBJECTS:
                continue
            info = verb_info(verb)
            if info is None or info[0] != "past":
                continue
            out.append(self._edit(rule, nstart, nend, match_case(noun, nouns[noun.lower()]), noun))
        return out


@cache
def _word_set(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(words)


@cache
def _lower_keys(items: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """A rule's ``nouns`` table with lower-cased keys (built once per rule, not once per text)."""
    return {k.lower(): v for k, v in items}


#: The word ending just before a match, separated from it by white space (the subject).
_ONE_WORD_BEFORE = re.compile(r"([\w'’]+)\s+\Z")


_WORD_AFTER = re.compile(r"\s+([a-z]+)\b")


def _noun_verb_pairs(nouns: tuple[str, ...], text: str, lower: str, same: bool) -> list[tuple[int, int, int, int]]:
    """(noun start, noun end, next word start, next word end) for each listed noun followed by a lower-case
    word, in text order. Each noun is found with ``str.find`` (an alternation of several nouns would be tried
    at every position); when lower-casing changed the text's length, one case-blind regex scans the text."""
    if not same:
        return [(*m.span(1), *m.span(2)) for m in _adverb_regex(nouns, True).finditer(text)]
    out = []
    for noun in nouns:
        pos = lower.find(noun)
        while pos >= 0:
            m = _WORD_AFTER.match(lower, pos + len(noun))
            if m is not None:
                out.append((pos, pos + len(noun), *m.span(1)))
            pos = lower.find(noun, pos + 1)
    return sorted(out)


@cache
def _adverb_regex(nouns: tuple[str, ...], ignore_case: bool) -> re.Pattern:
    """The listed noun and the word after it; the subject before it is checked separately, so the scan
    starts on the (rare) noun rather than at every word."""
    alt = "|".join(map(re.escape, nouns))
    return re.compile(rf"({alt})\s+([a-z]+)\b", re.IGNORECASE if ignore_case else 0)
