"""Reading /subscribe arguments: times, timezones (fuzzy), topics."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from bot.arguments import (
    ArgumentProblem,
    Problem,
    SubscribeArgs,
    TwoTimes,
    parse_subscribe,
    parse_time,
)
from bot.i18n import ENGLISH, translator
from bot.rendering.subscriptions import (
    choice_label,
    place_name,
    subscribed,
    time_question,
    zone_question,
)
from bot.rendering.texts import argument_problem
from bot.subscriptions import zone_after_topics
from bot.timezones import MAX_CHOICES, City, match_timezone, zone_info, zone_label
from storage.models import Subscriber


@pytest.mark.parametrize(
    ("text", "minute"),
    [
        ("7:30", 450), ("07:30", 450), ("19:00", 1140), ("7am", 420), ("7 am", 420),
        ("7:30pm", 1170), ("7.30 p.m.", 1170), ("12am", 0), ("12pm", 720), ("0", 0),
        ("23:59", 1439), ("noon", 720), ("midnight", 0), ("19h30", 1170),
        ("19h", 1140), ("0730", 450), ("07:30:00", 450), ("7.30pm", 1170),
        ("8ч", 480), ("19ч30", 1170), ("полдень", 720), ("Полночь", 0), ("mediodía", 720),
        ("medianoche", 0),
    ],
)  # fmt: skip
def test_times_people_type(text: str, minute: int) -> None:
    assert parse_time(text) == minute


@pytest.mark.parametrize("text", ["24:00", "7:60", "13pm", "0am", "7:3", "seven", "-1", ""])
def test_impossible_times_are_refused(text: str) -> None:
    assert parse_time(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", SubscribeArgs(None, "", None)),
        ("7:30", SubscribeArgs(450, "", None)),
        ("19:00 Europe/Berlin", SubscribeArgs(1140, "Europe/Berlin", None)),
        ("7am berlin", SubscribeArgs(420, "berlin", None)),
        ("7 am new york", SubscribeArgs(420, "new york", None)),
        ("tokyo", SubscribeArgs(None, "tokyo", None)),
        ("8:00 topics: syria, Elections", SubscribeArgs(480, "", ("syria", "Elections"))),
        ("topics: syria, syria", SubscribeArgs(None, "", ("syria",))),
        ("topics: Syria, SYRIA, syria", SubscribeArgs(None, "", ("Syria",))),
        # Any order of time, zone and topics; a time may follow the topics.
        ("berlin 7:30", SubscribeArgs(450, "berlin", None)),
        ("7 30", SubscribeArgs(450, "", None)),
        ("7 30 pm new york", SubscribeArgs(1170, "new york", None)),
        ("Europe/Berlin topics: syria 7:30", SubscribeArgs(450, "Europe/Berlin", ("syria",))),
        ("topics: syria, elections 19h berlin", None),
        ("UTC+3 19:00", SubscribeArgs(1140, "UTC+3", None)),
        ("-5 7am", SubscribeArgs(420, "-5", None)),
        ("7:30 topics: all", SubscribeArgs(450, "", ())),
        # The word each language's topics question offers for "all".
        ("topics: все", SubscribeArgs(None, "", ())),
        ("topics: Todos", SubscribeArgs(None, "", ())),
        # Word filters beside the rest: a sign before a word (a signed number is an offset).
        ("7:30 +Election -football", SubscribeArgs(450, "", None, ("+election", "-football"))),
        ("berlin -5 +vote", SubscribeArgs(None, "berlin -5", None, ("+vote",))),
        ("topics: syria +war, politics", SubscribeArgs(None, "", ("syria", "politics"), ("+war",))),
        ("+5:30 7am −sport", SubscribeArgs(420, "+5:30", None, ("-sport",))),
        ("8:00 МСК+4", SubscribeArgs(480, "МСК+4", None)),  # Moscow's offset is no time
    ],
)
def test_subscribe_arguments(text: str, expected: SubscribeArgs | None) -> None:
    if expected is None:  # a zone typed after the topics stays in them (topics are checked)
        assert isinstance(parse_subscribe(text), SubscribeArgs)
        return
    assert parse_subscribe(text) == expected


@pytest.mark.parametrize(
    ("text", "times", "rest"),
    [
        ("7:30 8:00", ("7:30", "8:00"), SubscribeArgs(None, "", None)),
        ("7 3 berlin", ("7", "3"), SubscribeArgs(None, "berlin", None)),
        ("topics: syria 7:30, 8am", ("7:30", "8am"), SubscribeArgs(None, "", ("syria",))),
        # The rest of what was typed is kept for the answer: zone, topics, word filters.
        (
            "8:00 tokyo 7:30 +war topics: syria",
            ("8:00", "7:30"),
            SubscribeArgs(None, "tokyo", ("syria",), ("+war",)),
        ),
    ],
)
def test_two_times_get_a_question(text: str, times: tuple[str, ...], rest: SubscribeArgs) -> None:
    found = parse_subscribe(text)
    assert found == TwoTimes(times, rest)
    answer = time_question(ENGLISH, found.times).text
    assert answer.startswith(f"Which time do you mean: {times[0]} or {times[1]}? Send one")


@pytest.mark.parametrize(
    ("text", "minute"),
    [("0 0", 0), ("7:30 07:30", 450), ("7am 7:00 berlin", 420), ("19h topics: x 7pm", 1140)],
)
def test_times_that_mean_the_same_minute_are_one_time(text: str, minute: int) -> None:
    found = parse_subscribe(text)
    assert isinstance(found, SubscribeArgs) and found.minute == minute


@pytest.mark.parametrize(
    ("text", "minute", "zone"),
    [
        # Russian: `в` before the number, the hour word, the part of the day.
        ("в 8", 480, ""), ("в 8 утра", 480, ""), ("8 утра", 480, ""), ("7 вечера", 1140, ""),
        ("8 вечера", 1200, ""), ("в 20:00", 1200, ""), ("в 7:30", 450, ""),
        ("2 часа дня", 840, ""), ("3 ночи", 180, ""), ("11 ночи", 1380, ""),
        ("12 ночи", 0, ""), ("час дня", 780, ""), ("в час", 60, ""), ("в час ночи", 60, ""),
        ("в 8 часов", 480, ""), ("8 ч", 480, ""), ("в 19 часов", 1140, ""),
        ("в 8 часов утра", 480, ""), ("7:30 вечера", 1170, ""), ("в 8 30 утра", 510, ""),
        ("20 вечера", 1200, ""), ("утром в 8", 480, ""), ("вечером в 7", 1140, ""),
        ("в полдень", 720, ""), ("В 8 УТРА", 480, ""),
        # Spanish: `a las` / `a la` before it, `de la mañana/tarde/noche/madrugada` after.
        ("a las 8", 480, ""), ("A las 8 de la mañana", 480, ""), ("8 de la tarde", 1200, ""),
        ("9 de la noche", 1260, ""), ("12 de la noche", 0, ""), ("a las 7:30", 450, ""),
        ("8 de la madrugada", 480, ""), ("3 de la madrugada", 180, ""), ("a la 1", 60, ""),
        ("8h", 480, ""), ("a las 20 horas", 1200, ""), ("8 de la manana", 480, ""),
        ("a las 8 y media", 510, ""), ("a las 8 menos cuarto de la tarde", 1185, ""),
        ("1 del mediodía", 780, ""), ("por la noche a las 9", 1260, ""),
        ("a medianoche", 0, ""),
        # The zone typed beside them stays the zone, before or after.
        ("в 8 утра Москва", 480, "Москва"), ("8 утра Москва", 480, "Москва"),
        ("Москва в 8", 480, "Москва"), ("a las 8 Madrid", 480, "Madrid"),
        ("8 de la mañana Madrid", 480, "Madrid"), ("Madrid a las 9 de la noche", 1260, "Madrid"),
        ("в 8 утра по мск", 480, "по мск"),
    ],
)  # fmt: skip
def test_times_said_in_words(text: str, minute: int, zone: str) -> None:
    assert parse_subscribe(text) == SubscribeArgs(minute, zone, None)


@pytest.mark.parametrize(
    ("text", "minute", "zone"),
    [
        # Only `a las`/`a la` before a number, `de la` before a part of the day, are a time's.
        ("Las Vegas", None, "Las Vegas"), ("a las 8 Las Vegas", 480, "Las Vegas"),
        ("Las Vegas a las 8", 480, "Las Vegas"), ("La Paz a la 1", 60, "La Paz"),
        ("Las Palmas 7:30", 450, "Las Palmas"), ("8 de la tarde La Paz", 1200, "La Paz"),
        ("Jerez de la Frontera 8", 480, "Jerez de la Frontera"),
        ("8 Jerez de la Frontera", 480, "Jerez de la Frontera"),
        ("a las Palmas", None, "a las Palmas"), ("час пик", None, "час пик"),
    ],
)  # fmt: skip
def test_a_place_with_a_time_word_in_its_name_stays_a_place(
    text: str, minute: int | None, zone: str
) -> None:
    assert parse_subscribe(text) == SubscribeArgs(minute, zone, None)


@pytest.mark.parametrize(
    "text",
    ["в 25 утра", "13 de la mañana", "a las 25", "25 вечера", "в 8:75", "0 утра", "в 24 часа"],
)
def test_a_time_said_that_cannot_be_is_refused_whole(text: str) -> None:
    found = parse_subscribe(f"{text} Москва")
    assert found == ArgumentProblem(Problem.NOT_A_TIME, (text,))
    answer = argument_problem(translator("ru"), found).text
    assert isinstance(answer, str) and f"«{text}» не похоже на время" in answer


def test_two_times_said_in_words_get_a_question() -> None:
    found = parse_subscribe("8 утра 8 вечера Москва")
    assert found == TwoTimes(("8 утра", "8 вечера"), SubscribeArgs(None, "Москва", None))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20:00 темы: спорт, политика", SubscribeArgs(1200, "", ("спорт", "политика"))),
        ("ТЕМЫ: спорт в 8 утра", SubscribeArgs(480, "", ("спорт",))),
        ("Москва тема: выборы", SubscribeArgs(None, "Москва", ("выборы",))),
        ("temas: fútbol, política a las 8", SubscribeArgs(480, "", ("fútbol", "política"))),
        ("Madrid Tema: elecciones", SubscribeArgs(None, "Madrid", ("elecciones",))),
        ("темы: все", SubscribeArgs(None, "", ())),
        ("системы: x", SubscribeArgs(None, "системы: x", None)),  # a word ending in -темы
    ],
)
def test_the_topics_keyword_in_each_language(text: str, expected: SubscribeArgs) -> None:
    assert parse_subscribe(text) == expected


@pytest.mark.parametrize(
    "junk",
    [
        "в " * 2048, "a las " * 682, "8 de la " * 512, "утром в " * 512, "темы " * 819 + ":",
        "1" * 4096, "a" * 4095 + ":", "tema" + " " * 4090 + ":", "час " * 1024, "8 y " * 1024,
    ],
)  # fmt: skip
def test_long_junk_is_read_in_time(junk: str) -> None:
    """Telegram's longest message: read in a blink (no regex backtracking, no rescans)."""
    started = time.perf_counter()
    parse_subscribe(junk[:4096])
    assert time.perf_counter() - started < 0.5


def test_an_unreadable_time_gets_examples() -> None:
    found = parse_subscribe("25:00 berlin")
    assert isinstance(found, ArgumentProblem)
    answer = argument_problem(ENGLISH, found).text
    assert isinstance(answer, str) and "7:30" in answer and "25:00" in answer


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Europe/Berlin", "Europe/Berlin"), ("europe/berlin", "Europe/Berlin"),
        ("berlin", "Europe/Berlin"), ("berlni", "Europe/Berlin"), ("Berlin ", "Europe/Berlin"),
        ("new york", "America/New_York"), ("New_York", "America/New_York"),
        ("tokyo", "Asia/Tokyo"), ("kolkata", "Asia/Kolkata"), ("UTC", "UTC"), ("gmt", "UTC"),
        ("buenos aires", "America/Argentina/Buenos_Aires"), ("São Paulo", "America/Sao_Paulo"),
        # Cities that name no zone, from the city database; typos forgiven.
        ("Mumbai", "Asia/Kolkata"), ("Munich", "Europe/Berlin"), ("Frankfurt", "Europe/Berlin"),
        ("San Francisco", "America/Los_Angeles"), ("bombay", "Asia/Kolkata"),
        ("frankfrut", "Europe/Berlin"), ("san fransisco", "America/Los_Angeles"),
        ("Koeln", "Europe/Berlin"), ("Seattle", "America/Los_Angeles"),
        # Cities as Russian and Spanish speakers write them; Cyrillic typos forgiven too.
        ("Москва", "Europe/Moscow"), ("москва", "Europe/Moscow"), ("Моссква", "Europe/Moscow"),
        ("Санкт-Петербург", "Europe/Moscow"), ("Нью-Йорк", "America/New_York"),
        ("Берлин", "Europe/Berlin"), ("Владивосток", "Asia/Vladivostok"),
        ("Дубна", "Europe/Moscow"),  # a town of 70,000: every Russian town has its name
        ("Londres", "Europe/London"), ("Moscú", "Europe/Moscow"), ("Múnich", "Europe/Berlin"),
        ("Ciudad de México", "America/Mexico_City"), ("Nueva York", "America/New_York"),
        # Names with words a time is said with (`a las 8`, `de la tarde`) are still places.
        ("Las Vegas", "America/Los_Angeles"), ("La Paz", "America/La_Paz"),
        ("Las Palmas", "Atlantic/Canary"), ("Jerez de la Frontera", "Europe/Madrid"),
    ],
)  # fmt: skip
def test_timezones_are_matched_fuzzily(typed: str, zone: str) -> None:
    assert match_timezone(typed).zone == zone


@pytest.mark.parametrize(
    ("typed", "zone", "label"),
    [
        ("+3", "Etc/GMT-3", "UTC+3"), ("UTC+3", "Etc/GMT-3", "UTC+3"),
        ("gmt-5", "Etc/GMT+5", "UTC-5"), ("UTC -03:00", "Etc/GMT+3", "UTC-3"),
        ("+0200", "Etc/GMT-2", "UTC+2"), ("UTC+0", "UTC", "UTC"),
        ("Etc/GMT-3", "Etc/GMT-3", "UTC+3"),
        ("UTC+5:30", "UTC+5:30", None), ("+5:45", "UTC+5:45", None), ("-9:30", "UTC-9:30", None),
        ("PST", "America/Los_Angeles", "America/Los_Angeles"), ("est", "America/New_York", None),
        ("CET", "Europe/Berlin", None), ("IST", "Asia/Kolkata", None), ("jst", "Asia/Tokyo", None),
        ("India", "Asia/Kolkata", None), ("germany", "Europe/Berlin", None),
        ("UK", "Europe/London", None), ("Japan", "Asia/Tokyo", None),
        ("south korea", "Asia/Seoul", None),
        # Countries as Russian and Spanish speakers name them.
        ("Германия", "Europe/Berlin", None), ("Alemania", "Europe/Berlin", None),
        ("Япония", "Asia/Tokyo", None), ("Japón", "Asia/Tokyo", None),
        ("Великобритания", "Europe/London", None), ("Reino Unido", "Europe/London", None),
        # Moscow time as Russians write it, and their other clocks by Moscow's.
        ("МСК", "Europe/Moscow", None), ("мск", "Europe/Moscow", None),
        ("MSK", "Europe/Moscow", None), ("по мск", "Europe/Moscow", None),
        ("по Москве", "Europe/Moscow", None), ("в Москве", "Europe/Moscow", None),
        ("по московскому времени", "Europe/Moscow", None),
        ("МСК+4", "Etc/GMT-7", "UTC+7"), ("мск -1", "Etc/GMT-2", "UTC+2"),
        ("МСК+0", "Europe/Moscow", None),
    ],
)  # fmt: skip
def test_offsets_abbreviations_and_countries_are_zones(
    typed: str, zone: str, label: str | None
) -> None:
    assert match_timezone(typed).zone == zone
    assert zone_label(zone) == (label or zone)
    assert datetime(2026, 1, 1, tzinfo=UTC).astimezone(zone_info(zone))  # a zone the bot can use


@pytest.mark.parametrize(
    ("typed", "some"),
    [
        ("USA", {"America/New_York", "America/Chicago", "America/Los_Angeles"}),
        ("Korea", {"Asia/Seoul", "Asia/Pyongyang"}),
        ("Spain", {"Europe/Madrid", "Atlantic/Canary"}),
        ("España", {"Europe/Madrid", "Atlantic/Canary"}),
        ("Россия", {"Europe/Moscow", "Asia/Vladivostok"}),
        ("Estados Unidos", {"America/New_York", "America/Los_Angeles"}),
    ],
)
def test_a_country_with_several_clocks_lists_them(typed: str, some: set[str]) -> None:
    found = match_timezone(typed)
    assert found.zone is None and some <= set(found.candidates)


@pytest.mark.parametrize(
    ("typed", "first", "places"),
    [
        ("australia", "Australia/Sydney", "Sydney, Melbourne"),
        ("brazil", "America/Sao_Paulo", "São Paulo"),
        ("USA", "America/New_York", "New York"),
        ("canada", "America/Toronto", "Toronto"),
    ],
)
def test_a_country_lists_its_largest_cities_first(typed: str, first: str, places: str) -> None:
    found = match_timezone(typed)
    assert found.choices[0].zone == first and ", ".join(found.choices[0].places).startswith(places)


def test_a_country_with_many_clocks_says_how_many_more() -> None:
    found = match_timezone("russia")
    assert len(found.choices) == MAX_CHOICES and found.more >= 1
    assert found.choices[0].zone == "Europe/Moscow"


def test_namesake_cities_of_like_size_are_a_choice() -> None:
    found = match_timezone("Valencia")  # Venezuela's is bigger than Spain's
    assert found.zone is None and {"Europe/Madrid", "America/Caracas"} <= set(found.candidates)
    assert any(
        choice_label(ENGLISH, choice).startswith("Valencia, Spain") for choice in found.choices
    )
    assert any(
        choice_label(translator("es"), choice).startswith("Valencia, España")
        for choice in found.choices
    )


def test_an_ambiguous_timezone_lists_the_candidates() -> None:
    found = match_timezone("nissau")  # one letter from Bissau and from Nassau
    assert found.zone is None and set(found.candidates) == {"Africa/Bissau", "America/Nassau"}


@pytest.mark.parametrize(
    "typed", ["Mars/Olympus", "xyz", "+15", "UTC+5:17", "x3", "b12", "<script>", "🙂", "qwerty"]
)
def test_an_unknown_timezone_is_none(typed: str) -> None:
    found = match_timezone(typed)
    assert found.zone is None and not found.choices


@pytest.mark.parametrize(
    ("topics", "zone", "kept"),
    [
        (("syria berlin",), "berlin", ("syria",)),
        (("markets", "syria new york"), "new york", ("markets", "syria")),
        (("syria",), "", ("syria",)),
        (("north korea",), "", ("north korea",)),  # a topic of two words stays whole
    ],
)
def test_a_zone_typed_after_the_topics_is_the_zone(
    topics: tuple[str, ...], zone: str, kept: tuple[str, ...]
) -> None:
    known = ["Syria", "Markets", "North Korea"]
    found = zone_after_topics(SubscribeArgs(450, "", topics), known)
    assert (found.zone, found.topics) == (zone, kept)


@pytest.mark.parametrize(
    ("typed", "city"),
    [
        ("atlantis", "Atlantis, South Africa"),  # a real town, not the one most mean
        ("Munich", "Munich, Germany"),
        ("frankfrut", "Frankfurt am Main, Germany"),  # a typo forgiven in a big city's name
        ("Санкт-Петербург", "Saint Petersburg, Russia"),
        # The zone's own name says the city: nothing more to show.
        ("berlin", ""), ("Москва", ""), ("new york", ""), ("Нью-Йорк", ""), ("UTC+3", ""),
        ("india", ""), ("PST", ""),
    ],
)  # fmt: skip
def test_a_zone_found_by_a_city_names_the_city(typed: str, city: str) -> None:
    found = match_timezone(typed).city
    assert (place_name(ENGLISH, [found.name], found.country) if found else "") == city


def test_a_loose_match_of_a_small_town_is_asked_not_taken() -> None:
    found = match_timezone("Atlantsi")
    assert found.zone is None and found.candidates == ("Africa/Johannesburg",)
    ask = zone_question(ENGLISH, "Atlantsi", found)
    assert "Did you mean Atlantis, South Africa (Africa/Johannesburg)?" in ask.text


def test_the_subscribed_reply_names_the_city_the_zone_came_from() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    subscriber = Subscriber(
        chat_id=1, delivery_minute=450, timezone="Africa/Johannesburg", topics=[], words=[],
        digest_size=5, active=True, next_due_at=now + timedelta(hours=5),
    )  # fmt: skip
    atlantis = City("Atlantis", "ZA")
    named = subscribed(ENGLISH, subscriber, now, was_active=False, zone_city=atlantis).text
    assert "📍 Atlantis, South Africa → Africa/Johannesburg" in named
    # The country in the reader's language; the town as GeoNames names it.
    russian = subscribed(translator("ru"), subscriber, now, was_active=False, zone_city=atlantis)
    assert "📍 Atlantis, Южно-Африканская Республика → Africa/Johannesburg" in russian.text
    assert "📍" not in subscribed(ENGLISH, subscriber, now, was_active=False).text
