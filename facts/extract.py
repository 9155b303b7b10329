"""Find the statistical statements in a text (English or Spanish): figures, ratios, changes,
ranks, records and comparisons, each with the partners, flow, period and series it is about.

What a sentence leaves out (the year, the partner, the flow) is taken from the sentences before
it in the same paragraph, then from those after it. Nothing here reads the store: facts.check
turns each Statement into computations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from facts.patterns import (
    PER_CAPITA,
)
from facts.statement_about import (
    about_statement,
    before_than,
    metric_of,
    partners_after_than,
    partners_in,
)
from facts.statement_words import (
    A_YEAR,
    ABBREVIATIONS,
    CHANGE,
    COMBINED,
    COUNT,
    COUNT_AFTER,
    DOWN,
    EVERY,
    MONEY,
    MORE_COUNT,
    NEXT_N,
    ORDINAL,
    OVERTAKE,
    PERCENT,
    PLACED,
    PLAIN_LOW,
    RANK,
    RATIO,
    RECORD,
    US_ABBREVIATION,
    US_NAME_GOES_ON,
    VAGUE,
    WORD_RATIOS,
)
from facts.text_reading import (
    When,
    baseline_of,
    hedge_before,
    is_spanish,
    plain_text,
    read_number,
    read_scaled,
    when_of,
)
from facts.vocabulary import CountryIndex

MAX_TEXT = 40_000  # characters: Slack's longest message; a longer text is refused, naming this


@dataclass(frozen=True)
class Statement:
    """One statistical statement of a text, with what it is about."""

    fragment: str  # the words of the text that state it
    start: int  # its offsets in the text
    end: int
    kind: str  # amount | per_capita | ratio | change | rank | record | comparison | count
    stated: Decimal | None  # in `unit`; None for a statement without a figure
    unit: str  # USD | USD per person | x | % | rank | kg | lb | encounters | doses | jobs | years
    hedge: str = ""  # "" | about | over | under | nearly
    step: Decimal | None = None  # the place of the last digit given: 1e9 for "$335 billion"
    metric: str = ""  # exports | imports | balance | total | encounters | seizures | population
    partners: tuple[str, ...] = ()  # who the figure is about
    others: tuple[str, ...] = ()  # who it is compared with ("than China")
    next_n: int = 0  # "more than the next 10 partners combined"
    when: When | None = None
    when_from: str = ""  # "text" (the sentence), "before", "after" (a neighbour) or ""
    baseline: When | None = None  # what a change is measured against
    series: str = ""
    drug: str = ""
    scope: str = ""  # why the store cannot check it: small business, services, jobs, ...
    scope_word: str = ""
    sentence: str = ""  # the whole sentence, normalised (for the stored claims' keywords)
    clause: str = ""  # the fragment, normalised
    lead: str = ""  # the words from the figure before it (or the clause start) to its end


@dataclass
class _Sentence:
    text: str
    start: int
    paragraph: int
    norm: str = ""
    clauses: list[tuple[str, int, int]] = field(default_factory=list)  # (original, start, end)
    spanish: bool = False
    when: When | None = None
    metric: str = ""
    partners: tuple[str, ...] = ()
    statements: list[Statement] = field(default_factory=list)


def extract(text: str, countries: CountryIndex) -> list[Statement]:
    """Every statistical statement in `text`, in order, with its context filled in."""
    sentences = _sentences(text)
    for sentence in sentences:
        _split_clauses(sentence)
        sentence.when = when_of(sentence.norm)
        sentence.metric = metric_of(sentence.norm)
        sentence.partners = tuple(
            p for p in partners_in(countries, before_than(sentence.norm)) if p != "USA"
        )
        sentence.statements = _statements(sentence, countries)
    out: list[Statement] = []
    for i, sentence in enumerate(sentences):
        for statement in sentence.statements:
            out.append(_fill(statement, sentences, i))
    return out


# --- sentences ---------------------------------------------------------------------------------


def _sentences(text: str) -> list[_Sentence]:
    out: list[_Sentence] = []
    offset = 0
    for paragraph, block in enumerate(text.split("\n")):
        start = 0
        for match in re.finditer(r"[.!?](?=[\s\"”’)]+(?:[A-Z¿¡\"“(]|$))|$", block):
            end = match.end()
            piece = block[start:end]
            head = block[: match.end()]
            if match.group() and (
                US_NAME_GOES_ON.match(block, match.end())
                if US_ABBREVIATION.search(head)
                else ABBREVIATIONS.search(head)
            ):
                continue
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                out.append(_Sentence(piece.strip(), offset + start + lead, paragraph))
            start = end
        offset += len(block) + 1
    return out


def _split_clauses(sentence: _Sentence) -> None:
    """The sentence's clauses (split at , ; : outside numbers), each normalised, joined."""
    sentence.spanish = is_spanish(sentence.text)
    pieces = re.split(r"(?<!\d)[,;:]|[,;:](?!\d)", sentence.text)
    norms, position = [], 0
    for piece in pieces:
        plain = plain_text(piece, sentence.spanish)
        sentence.clauses.append((piece, position, position + len(plain)))
        norms.append(plain)
        position += len(plain) + 1
    sentence.norm = " ".join(norms)


# --- statements in one sentence ----------------------------------------------------------------


def _statements(sentence: _Sentence, countries: CountryIndex) -> list[Statement]:
    norm = sentence.norm
    found: list[tuple[int, int, Statement]] = []
    taken: list[tuple[int, int]] = []

    def add(
        match: re.Match[str], kind: str, stated: Decimal | None, unit: str, **kw: object
    ) -> None:
        span = match.span()
        if any(a < span[1] and span[0] < b for a, b in taken):
            return
        taken.append(span)
        fragment, clause = _fragment(sentence, span)
        statement = Statement(
            fragment,
            sentence.start,
            sentence.start + len(sentence.text),
            kind,
            stated,
            unit,
            sentence=sentence.norm,
            clause=clause,
            **kw,  # type: ignore[arg-type]
        )
        found.append((span[0], span[1], statement))

    for match in CHANGE.finditer(norm):
        digits = match.group("n") or match.group("n2")
        verb = match.group("v") or match.group("v2")
        value, step = read_number(digits)
        before = norm[: match.start("n") if match.group("n") else match.start()]
        hedge = hedge_before(norm[match.start() : match.start("n")] if match.group("n") else before)
        sign = -1 if DOWN.match(verb) else 1
        baseline = baseline_of(norm[match.end() : match.end() + 60])
        add(match, "change", sign * value, "%", hedge=hedge, step=step, baseline=baseline)
    for match in MONEY.finditer(norm):
        digits, scale = match.group("n") or match.group("n2"), match.group("s") or match.group("s2")
        value, step = read_scaled(digits, scale)
        per_person = bool(PER_CAPITA.search(norm) or re.search(r"\bper capita\b", norm))
        if re.search(r"\b(deficit|trade gap)\b", norm[match.end() : match.end() + 40]) or re.search(
            r"\bdeficit\b[^.;]{0,30}$", norm[: match.start()]
        ):
            value = -value
        kind, unit = ("per_capita", "USD per person") if per_person else ("amount", "USD")
        add(match, kind, value, unit, hedge=hedge_before(norm[: match.start()]), step=step)
    for match in COUNT.finditer(norm):
        if A_YEAR.search(norm[: match.end("n")]):
            continue  # "in June 2025 nationwide encounters": a year, not a count
        value, step = read_scaled(match.group("n"), match.group("s"))
        unit = _count_unit(match.group("u"))
        if unit == "USD":
            continue
        add(match, "count", value, unit, hedge=hedge_before(norm[: match.start()]), step=step)
    for match in COUNT_AFTER.finditer(norm):
        value, step = read_scaled(match.group("n"), match.group("s"))
        add(
            match,
            "count",
            value,
            "encounters",
            hedge=hedge_before(norm[: match.start("n")]),
            step=step,
        )
    for match in RATIO.finditer(norm):
        if match.group("n"):
            value, step = read_number(match.group("n"))
        else:
            value, step = WORD_RATIOS[match.group("w")], Decimal(1)
        hedge = hedge_before(norm[: match.start()])
        others = partners_after_than(
            countries, _rest_of_clause(sentence, match.end()), also="what|que lo"
        )
        add(match, "ratio", value, "x", hedge=hedge, step=step, others=others)
    for match in PERCENT.finditer(norm):
        value, step = read_number(match.group("n"))
        add(match, "share", value, "%", hedge=hedge_before(norm[: match.start()]), step=step)
    for match in COMBINED.finditer(norm):
        others_text = match.group("others")
        next_n = NEXT_N.search(others_text)
        n = 0
        if next_n:
            word = next_n.group("n") or next_n.group("n2")
            n = {"ten": 10, "diez": 10, "five": 5}.get(word) or int(word)
        others = partners_after_than(countries, others_text)
        add(match, "comparison", None, "USD", others=others, next_n=n, hedge="over")
    for match in RECORD.finditer(norm):
        years = match.group("y")
        low = match.group("d") in ("lowest", "fewest", "lower", "mas bajo", "minimo", "menor")
        if years:
            span = Decimal(10) if "decade" in years else Decimal(years)
            add(match, "record", span, "years", hedge="low" if low else "high")
        else:
            since = match.group("s") or match.group("s2")
            base = When("year", (int(since), 1)) if since else None
            add(match, "record", Decimal(1), "rank", hedge="low" if low else "high", baseline=base)
    for match in PLAIN_LOW.finditer(norm):
        low = re.search(r"lowest|fewest", match.group()) is not None
        add(match, "record", Decimal(1), "rank", hedge="low" if low else "high")
    for match in RANK.finditer(norm):
        order = ORDINAL.get(match.group("o") or "", 1)
        add(match, "rank", Decimal(order), "rank")
    for match in PLACED.finditer(norm):
        word = match.group("o")
        order = int(word[-1]) if word[-1].isdigit() else ORDINAL[word]
        add(match, "rank", Decimal(order), "rank")
    for match in OVERTAKE.finditer(norm):
        others = partners_after_than(countries, norm[match.end() : match.end() + 40])
        add(match, "comparison", None, "USD", others=others, hedge="over")
    for match in MORE_COUNT.finditer(norm):
        others = partners_after_than(countries, norm[match.end() - 5 : match.end() + 40])
        add(match, "comparison", None, "encounters", others=others, hedge="over")
    for match in EVERY.finditer(norm):
        add(match, "ratio", Decimal(1), "jobs per job", step=Decimal(1))
    for match in VAGUE.finditer(norm):
        add(match, "amount", None, "USD", hedge="vague")
    found.sort(key=lambda item: item[0])
    out: list[Statement] = []
    previous_end = 0
    for start, end, statement in found:
        clause_start = next(c[1] for c in sentence.clauses if start <= c[2])
        lead = norm[max(clause_start, previous_end) : end]
        about = about_statement(
            replace(statement, lead=lead), sentence, countries, out[-1] if out else None
        )
        out.append(about)
        if statement.kind in ("amount", "count", "per_capita"):
            previous_end = end  # the next figure's partner is named after this one
    return out


def _count_unit(word: str) -> str:
    for unit, pattern in (
        ("kg", r"kilo|kg"),
        ("lb", r"pound|lb|libra"),
        ("doses", r"dos"),
        ("jobs", r"job|empleo"),
        ("trucks", r"truck|camion"),
        ("tons", r"ton"),
    ):
        if re.match(pattern, word):
            return unit
    return "encounters"


def _fragment(sentence: _Sentence, span: tuple[int, int]) -> tuple[str, str]:
    """The original clause(s) of a sentence that hold a match, and their normalised text."""
    first = next(i for i, c in enumerate(sentence.clauses) if span[0] <= c[2])
    last = next(
        (i for i, c in enumerate(sentence.clauses) if span[1] <= c[2]), len(sentence.clauses) - 1
    )
    while first > 0 and len(sentence.clauses[first][0].split()) < 3:
        first -= 1  # "In 2024, Mexico bought ...": a short lead-in belongs to the clause
    pieces = sentence.clauses[first : last + 1]
    text = ",".join(p[0] for p in pieces).strip(" .;:,")
    return text, sentence.norm[pieces[0][1] : pieces[-1][2]]


def _rest_of_clause(sentence: _Sentence, position: int) -> str:
    end = next((c[2] for c in sentence.clauses if position <= c[2]), len(sentence.norm))
    return sentence.norm[position:end]


# --- what each statement is about ----------------------------------------------------------------


def _fill(statement: Statement, sentences: list[_Sentence], i: int) -> Statement:
    """Fill what the sentence leaves out from its paragraph: earlier sentences first."""
    paragraph = sentences[i].paragraph
    family = _family(statement.metric)
    before = [
        s
        for s in reversed(sentences[:i])
        if s.paragraph == paragraph and _family(s.metric) == family
    ]
    after = [
        s for s in sentences[i + 1 :] if s.paragraph == paragraph and _family(s.metric) == family
    ]
    changes: dict[str, object] = {}
    earlier = [
        s
        for s in reversed(sentences[:i])
        if s.paragraph != paragraph and _family(s.metric) == family
    ]
    if statement.when is None or statement.when.start[0] == 0:
        for where, group in (("before", before), ("after", after), ("earlier", earlier)):
            found = next((s.when for s in group if s.when and s.when.start[0]), None)
            if found and statement.when is not None:  # a month without its year
                month = (found.start[0], statement.when.start[1])
                changes.update(when=When("month", month), when_from=where)
                break
            if found:
                changes.update(when=found, when_from=where)
                break
    if not statement.partners and statement.metric not in ("encounters", "seizures"):
        found_partners = next((s.partners for s in before if s.partners), ())
        changes["partners"] = tuple(p for p in found_partners if p != "USA")
    if not statement.metric:
        metric = next((s.metric for s in (*before, *after) if s.metric), "")
        changes["metric"] = metric
    return replace(statement, **changes) if changes else statement  # type: ignore[arg-type]


def _family(metric: str) -> str:
    return "border" if metric in ("encounters", "seizures") else "trade"
