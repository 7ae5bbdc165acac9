"""The lean +86 place and carrier tables answer as phonenumbers' geocoder and carrier modules do."""

from __future__ import annotations

import subprocess
import sys

import phonenumbers
import pytest
from phonenumbers import carrier, geocoder
from phonenumbers.carrierdata import CARRIER_DATA
from phonenumbers.geodata import GEOCODE_DATA

from conftest import ROOT
from extractors import phone_places
from extractors.phones import extract_phones

_FILLS = ("62345678", "00000000", "55555555", "81234567", "29876543")


def _valid_number_under(prefix: str) -> phonenumbers.PhoneNumber | None:
    """A valid number whose E.164 digits start with `prefix` ('86…'), if there is one."""
    for fill in _FILLS:
        for length in range(len(prefix), 14):
            digits = (prefix + fill * 2)[:length]
            try:
                parsed = phonenumbers.parse("+" + digits)
            except phonenumbers.NumberParseException:
                continue
            if phonenumbers.is_valid_number(parsed):
                return parsed
    return None


def _prefixes() -> list[str]:
    """Every +86 prefix of the tables with fewer than 9 digits, every 7th of the 9-digit mobile
    blocks (110,000 of them, alike), and every carrier prefix."""
    geo = sorted(p for p in GEOCODE_DATA if p.startswith("86"))
    short = [p for p in geo if len(p) < 9]
    blocks = [p for p in geo if len(p) >= 9][::7]
    return short + blocks + sorted(p for p in CARRIER_DATA if p.startswith("86"))


def test_every_sampled_prefix_answers_as_phonenumbers() -> None:
    prefixes = _prefixes()
    assert len(prefixes) > 30_000
    checked, places, wrong = 0, set(), []
    for prefix in prefixes:
        parsed = _valid_number_under(prefix)
        if parsed is None:
            continue
        number = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
        expected_place = geocoder.description_for_valid_number(parsed, "zh") or None
        expected_carrier = carrier.name_for_valid_number(parsed, "zh") or None
        got = (phone_places.place_of(number), phone_places.carrier_of(number))
        if got != (expected_place, expected_carrier):
            wrong.append((number, got, (expected_place, expected_carrier)))
        checked += 1
        places.add(expected_place)
    assert wrong == []
    assert checked > 25_000 and len(places) > 300  # most prefixes have a valid number; their names are many


@pytest.mark.parametrize(
    "number",
    ["+861062345678", "+8675512345678", "+8613812345678", "+8619912345678", "+8617012345678", "+864001865909", "+8657712345678"],
)
def test_known_numbers(number: str) -> None:
    parsed = phonenumbers.parse(number)
    assert phone_places.place_of(number) == (geocoder.description_for_valid_number(parsed, "zh") or None)
    assert phone_places.carrier_of(number) == (carrier.name_for_valid_number(parsed, "zh") or None)


def test_a_number_no_prefix_names_takes_the_countrys_name() -> None:
    tables = phone_places.place_tables()
    assert tables.country == "中国"
    assert phone_places._lookup(tables.places, "869") is None  # no such prefix
    assert phone_places.place_of("+869") == "中国"


def test_a_page_with_a_landline_and_a_mobile_does_not_import_the_geocoder() -> None:
    probe = (
        "import sys; from hotlines.pipeline import extract_bytes; "
        "r = extract_bytes('p.txt', '北京 010-62345678 手机13812345678'.encode()); "
        "print([p.region for p in r.phones], [p.carrier for p in r.phones], "
        "'phonenumbers.geocoder' in sys.modules, 'phonenumbers.carrier' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stdout.strip() == "['北京市', '江苏省连云港市'] [None, '中国移动'] False False"


def test_a_foreign_number_still_gets_its_country_from_the_geocoder() -> None:
    phones = extract_phones("Call us: +44 20 7946 0000, toll-free +1 (866) 698-2538")
    # +1 866 is shared by every NANP country: the geocoder names none
    assert [(p.kind, p.country, p.region) for p in phones] == [("foreign", "GB", "英国"), ("foreign", "US", None)]
