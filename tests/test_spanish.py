"""A question in Spanish is answered in Spanish, with Mexican number and date conventions."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from asking import ask, context_of
from slack_helpers import BotServer, event_callback, slash_command
from slack_sdk.models.blocks import Block

from bot.render import render_blocks, render_text
from facts.answer import answer
from facts.lang import amount, detect, exact, period
from facts.ops.refuse import EJEMPLOS
from facts.store import FactStore


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("exportaciones a méxico 2024", "es"),
        ("Exportaciones a Mexico 2024", "es"),  # accents and case do not matter
        ("¿cuánto exporta EE.UU. a Canadá?", "es"),
        ("balanza comercial con méxico 2025", "es"),
        ("mexico exports 2024", "en"),
        ("top 10 export markets 2024", "en"),
        ("trade balance with mexico march 2026", "en"),
        ("which country has the biggest trade deficit", "en"),  # "deficit" is English too
        ("cuál fue el déficit comercial con China en 2025", "es"),
    ],
)
def test_the_language_is_read_from_the_question(text: str, lang: str) -> None:
    assert detect(text) == lang


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (Decimal("334492100000"), "USD", "US$334.5 mil millones"),
        (Decimal("2063023800000"), "USD", "US$2.06 billones"),  # a Spanish billón is 10^12
        (Decimal("63800000"), "USD", "US$63.8 millones"),
        (Decimal("25185"), "encounters", "25,185 encuentros"),
        (Decimal("2556.1"), "USD per person", "US$2,556 por persona"),
        (Decimal("16.21"), "%", "16.2%"),
    ],
)
def test_amounts_follow_mexican_conventions(value: Decimal, unit: str, text: str) -> None:
    assert amount(value, unit, "es") == text


def test_exact_values_and_months_in_spanish() -> None:
    assert exact(Decimal("334492100000"), "USD", "es") == "US$334,492,100,000"
    assert period("2025-06", "es") == "junio de 2025"
    assert period("2026-01..2026-08", "es") == "enero–agosto de 2026"
    assert period("FY2025", "es") == "año fiscal 2025 (octubre de 2024 – septiembre de 2025)"


def test_a_spanish_lookup_reads_in_spanish(store: FactStore) -> None:
    lines = render_text(ask(store, "exportaciones a méxico 2024")).splitlines()
    # 334,492,100,000 in 2024 and 324,425,900,000 in 2023 (tests/test_store.py)
    assert lines[:2] == [
        "Exportaciones de EE. UU. a México, 2024: US$334.5 mil millones",
        "Sube 3.1% desde 2023 (US$324.4 mil millones)"
        " · #2 entre los mercados de exportación de EE. UU., 2024",
    ]
    text = "\n".join(lines)
    assert "Entendido: exportaciones de bienes de EE. UU. a México, 2024" in text
    assert "Exactamente: US$334,492,100,000 · Base:" in text
    assert "✅ Se sostiene — Afirmación 1" in text
    assert "Fuente: U.S. Census Bureau" in text
    for english in ("Understood", "Exactly", "Source:", "Supported", "The op-ed"):
        assert english not in text  # (claims.yaml's paraphrases are in English: quoted as is)


def test_a_spanish_balance_says_the_deficit_grew(store: FactStore) -> None:
    lines = render_text(ask(store, "balanza comercial con méxico 2025")).splitlines()
    assert lines[:3] == [
        "Balanza comercial de EE. UU. con México, 2025: déficit de US$197.0 mil millones",
        "Déficit mayor en US$28.4 mil millones que en 2024 (US$168.6 mil millones)",
        "• Balanza comercial con México, 2025: déficit de US$197.0 mil millones",
    ]


def test_a_spanish_trend_and_ranking(store: FactStore) -> None:
    trend = render_text(ask(store, "exportaciones a méxico 2015-2024")).splitlines()
    assert trend[1] == (
        "Sube 41.5% de 2015 a 2024, +3.9% anual en promedio · máximo: 2024 (US$334.5 mil millones)"
    )
    top = render_text(ask(store, "principales 10 mercados de exportación 2024")).splitlines()
    assert top[:3] == [
        "Los 10 principales mercados de exportación de EE. UU., 2024: Canadá en primer lugar,"
        " US$350.6 mil millones",
        "México en segundo, US$334.5 mil millones · los 10 primeros suman el 63.5% del total",
        "1. Canadá — US$350.6 mil millones",
    ]


@pytest.mark.parametrize("question", EJEMPLOS)
def test_every_spanish_example_is_answered_in_spanish(store: FactStore, question: str) -> None:
    result = ask(store, question)
    assert result.kind not in ("not_understood", "no_data", "help")
    assert result.lang == "es"
    assert result.headline.startswith(("Exportaciones", "Balanza", "Los 10"))
    for block in render_blocks(result):
        parsed = Block.parse(block)
        assert parsed is not None and parsed.to_dict() == block
        parsed.validate_json()


def test_help_refusals_and_misunderstandings_in_spanish(store: FactStore) -> None:
    helped = ask(store, "ayuda")
    assert helped.headline == "Qué puede preguntarle a TradeFact"
    assert helped.suggestions == EJEMPLOS
    lost = answer(context_of(store), "blorp", "es")
    assert lost.headline == "Perdón, no entendí la pregunta"
    assert render_text(lost).splitlines()[1] == "Entendido: nada que pueda buscar"
    refused = render_text(ask(store, "balanza comercial con méxico 2025 en pesos"))
    assert "Las cifras están en dólares de EE. UU.; no hay cifras en pesos." in refused
    assert "— con “pesos”, que no puedo usar" in refused


def test_a_spanish_mention_gets_a_spanish_answer(served: BotServer) -> None:
    body = event_callback("app_mention", "<@UBOT> exportaciones a méxico 2024")
    assert served.post(body, form=False).status == 200
    [post] = served.fake.wait_for("chat.postMessage")
    assert post.params["text"].startswith(
        "*Exportaciones de EE. UU. a México, 2024: US$334.5 mil millones*"
    )


def test_a_spanish_slash_trend_has_spanish_buttons(served: BotServer) -> None:
    reply = served.post(slash_command("exportaciones a méxico 2015-2024", "x")).json()
    share = next(b for b in reply["blocks"] if b.get("block_id") == "share")
    assert [e["text"]["text"] for e in share["elements"]] == ["Compartir en el canal", "Gráfica"]
    assert json.dumps(reply).count("Share in channel") == 0


def test_a_user_chooses_spanish_and_gets_it_everywhere_until_english(served: BotServer) -> None:
    set_es = served.post(slash_command("idioma es", "x", user_id="U0LANG01")).json()
    assert set_es["text"].startswith("Listo: le contestaré en español.")
    answer = served.post(slash_command("mexico exports 2024", "x", user_id="U0LANG01")).json()
    assert answer["text"].startswith("*Exportaciones de EE. UU. a México, 2024:")
    other = served.post(slash_command("mexico exports 2024", "x", user_id="U0OTHER1")).json()
    assert other["text"].startswith("*U.S. exports to Mexico, 2024:")  # only that user
    mention = event_callback("app_mention", "<@UBOT> mexico exports 2024", user="U0LANG01")
    served.post(mention, form=False)
    [post] = served.fake.wait_for("chat.postMessage")
    assert post.params["text"].startswith("*Exportaciones de EE. UU. a México, 2024:")
    back = served.post(slash_command("language en", "x", user_id="U0LANG01")).json()
    assert back["text"].startswith("Done: I'll answer you in English.")
    again = served.post(slash_command("mexico exports 2024", "x", user_id="U0LANG01")).json()
    assert again["text"].startswith("*U.S. exports to Mexico, 2024:")


def test_a_channel_can_choose_its_language(served: BotServer) -> None:
    done = served.post(slash_command("idioma es canal", "x", channel_id="C0SPANISH")).json()
    assert done["text"] == "Listo: en este canal contestaré en español."
    asked = served.post(
        slash_command("mexico exports 2024", "x", channel_id="C0SPANISH", user_id="U0ANY001")
    ).json()
    assert asked["text"].startswith("*Exportaciones de EE. UU. a México, 2024:")
