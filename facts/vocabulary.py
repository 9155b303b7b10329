"""Names and claims a question can mention: the partner index, the claim index, normalise()."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from facts.patterns import (
    DEMONYMS,
    FILLER_WORDS,
    FUNCTION_WORDS,
    METRIC_PATTERNS_RE,
    NOT_PLACES,
    PLACE_PREPOSITIONS,
    SAFE_SHORT,
    SHOUTED_WORDS,
    SPANISH,
    US_SPELLINGS,
    VERIFY,
    VOCABULARY,
    ZERO_WIDTH,
)

STATED_FIGURE = re.compile(r"\b\d+(\.\d+)?\s*((times|x|veces|percent|billion|kg)\b|%)")


@dataclass
class Found:
    partners: list[str] = field(default_factory=list)
    us_mentioned: bool = False
    unknown: list[str] = field(default_factory=list)  # words that looked like a place but were not
    used: set[int] = field(default_factory=set)  # indices of the words that named a partner


class CountryIndex:
    """Names, aliases and codes of every partner, for exact and fuzzy matching."""

    def __init__(self, entries: Iterable[tuple[str, str, tuple[str, ...]]]) -> None:
        self.names: dict[str, str] = {}  # normalised name -> code
        self.codes: dict[str, str] = {}  # upper-case code or short alias -> code
        entries_list = list(entries)
        for code, kind, names in entries_list:
            if kind == "unallocated":
                continue
            if kind in ("country", "former") and len(code) == 3:
                self.codes[code] = code
            for name in names:
                short = name.replace(".", "")
                if len(short) <= 3 and short.isupper() and short.lower() not in SAFE_SHORT:
                    self.codes[short] = code
                else:
                    self.names.setdefault(normalise(name), code)
        self.display = sorted({n for _, kind, names in entries_list for n in names[:1]})
        self._display_normalised = [normalise(n) for n in self.display]
        self._longest = max(len(n.split()) for n in self.names)
        self._single = [n for n in self.names if " " not in n and len(n) >= 4]

    def find(self, original: str, text: str, skip: frozenset[int] = frozenset()) -> Found:
        """Partners named in text (normalised), in order; codes only if upper-case in original.

        Words at the indices in `skip` (already read as something else) are never a partner.
        """
        found = Found()
        words = text.split()
        used = [i in skip for i in range(len(words))]
        hits: list[tuple[int, str]] = []
        for size in range(self._longest, 0, -1):
            for i in range(len(words) - size + 1):
                if any(used[i : i + size]):
                    continue
                code = self.names.get(" ".join(words[i : i + size]))
                if code:
                    hits.append((i, code))
                    used[i : i + size] = [True] * size
                    found.used.update(range(i, i + size))
        for match in re.finditer(r"\b[A-Z]{2,3}\b", original):
            code = self.codes.get(match.group())
            if code and not original.isupper() and match.group() not in SHOUTED_WORDS:
                hits.append((len(original[: match.start()].split()) - 1 + len(words), code))
                lower = match.group().lower()
                found.used.update(i for i, w in enumerate(words) if w == lower)
        for i, word in enumerate(words):
            if used[i] or len(word) < 4 or word in VOCABULARY or not word.isalpha():
                continue
            if _a_known_word(word):  # "migrantes" is a word of the question, not "Emirates"
                continue
            if word in DEMONYMS:
                hits.append((i, DEMONYMS[word]))
                found.used.add(i)
                continue
            best = process.extractOne(word, self._single, scorer=fuzz.ratio, score_cutoff=80)
            if best:
                hits.append((i, self.names[best[0]]))
                found.used.add(i)
        spanish = bool(SPANISH.search(text))
        for i, word in enumerate(words[:-1]):
            nxt = words[i + 1]
            if (
                (word in PLACE_PREPOSITIONS or (word == "a" and spanish))
                and not used[i + 1]
                and nxt.isalpha()
                and len(nxt) >= 3
                and nxt not in VOCABULARY
                and nxt not in NOT_PLACES
                and not any(p == i + 1 for p, _ in hits)
            ):
                found.unknown.append(nxt)
        for _, code in sorted(hits):
            if code == "USA":
                found.us_mentioned = True
            elif code not in found.partners:
                found.partners.append(code)
        return found

    def suggest(self, word: str, limit: int = 3) -> list[str]:
        """Closest names to an unknown word."""
        matches = process.extract(
            normalise(word), self._display_normalised, scorer=fuzz.WRatio, limit=limit
        )
        return [self.display[m[2]] for m in matches]


def unify(text: str) -> str:
    """U.S., U.S.A., EE.UU. -> US; E.U. -> EU (before dots become spaces)."""

    def spelled(match: re.Match[str]) -> str:
        found = match.group(1).upper()
        return "EU" if found.startswith("E.") and "UU" not in found else "US"

    return US_SPELLINGS.sub(spelled, text)


_POSSESSIVE = re.compile(r"[’'`]s\b")
_NOT_KEPT = re.compile(r"[^a-z0-9.%/\-–—+' ]+")
_NOT_DECIMAL_POINT = re.compile(r"(?<![0-9])\.|\.(?![0-9])")
_JOINED_WORDS = re.compile(r"(?<=[a-z])[-–—/](?=[a-z])")  # "u.s.-mexico", "op-ed", "t-mec"


@lru_cache(maxsize=4096)  # a pure function of the text, called by the parser and its callers
def normalise(text: str) -> str:
    """Lower case, accents removed, punctuation to spaces (keeps digits, '.', '-', '%', '/')."""
    text = unicodedata.normalize("NFKD", unify(ZERO_WIDTH.sub("", text)))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = _POSSESSIVE.sub(" 's", text)
    text = _NOT_KEPT.sub(" ", text).replace("+", " + ")
    text = _NOT_DECIMAL_POINT.sub(" ", text)  # keep decimal points only
    text = _JOINED_WORDS.sub(" ", text)
    return " ".join(text.split())


class ClaimIndex:
    """What recognises a claim in a question: its number, its topic and its keywords."""

    def __init__(self, claims: Iterable[tuple[str, int, str, Iterable[str]]]) -> None:
        self.numbers: dict[int, str] = {}
        self.topics: dict[str, list[str]] = {}
        # keyword -> weight: a single word counts 1; a phrase or a figure ("2.3", "335
        # billion") counts 2 and is matched as a whole.
        self.terms: dict[str, list[tuple[str | re.Pattern[str], int]]] = {}
        for claim_id, number, topic, keywords in claims:
            self.numbers[number] = claim_id
            self.topics.setdefault(normalise(topic), []).append(claim_id)
            self.terms[claim_id] = [_term(normalise(k)) for k in keywords]


def _term(term: str) -> tuple[str | re.Pattern[str], int]:
    if " " in term or not term.isalpha():
        return re.compile(rf"(?<![\w.]){re.escape(term)}(?![\w]|\.\d)"), 2
    return term, 1


def restated_claims(norm: str, index: ClaimIndex) -> list[str]:
    """Claims the question restates or names by topic (empty if it asks for data)."""
    words = set(norm.split())
    bare = norm.strip(" ?!.")
    for topic, ids in index.topics.items():
        # A bare topic ("fentanyl", "per capita", "small business") asks for the claim.
        if bare in (topic, f"{topic} claim", f"{topic} claims"):
            return ids
    if "small business" in norm or re.search(r"\b(sme|smes|pyme|pymes)\b", norm):
        return index.topics.get("small business", [])
    verify = VERIFY.search(norm)
    if not (verify or STATED_FIGURE.search(norm)):
        return []  # neither "is it true..." nor a stated figure: a question, not a claim
    scores = {
        claim_id: sum(
            weight
            for term, weight in terms
            if (term in words if isinstance(term, str) else term.search(norm))
        )
        for claim_id, terms in index.terms.items()
    }
    best = max(scores.items(), key=lambda item: item[1], default=("", 0))
    if best[1] >= 3 or (best[1] >= 2 and verify):
        return [best[0]]
    return []


def _a_known_word(word: str) -> bool:
    """A function, filler or metric word: never read as a misspelt partner name."""
    if word in FUNCTION_WORDS or word in FILLER_WORDS:
        return True
    return any(pattern.fullmatch(word) for _, pattern in METRIC_PATTERNS_RE)
