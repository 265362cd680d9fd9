import datetime as dt

import pytest

from scanner.checks.wording.congress_number import CongressNumberCheck
from tests.wording_cases import findings, flagged

CHECK = CongressNumberCheck()


@pytest.mark.parametrize("text, on, expected", [
    ("深入学习贯彻党的二十大精神", dt.date(2022, 6, 1), ["党的二十大"]),
    ("深入学习贯彻党的二十大精神", dt.date(2022, 11, 1), []),
    ("以优异成绩迎接党的二十大胜利召开", dt.date(2022, 6, 1), []),
    ("即将召开的党的二十大", dt.date(2022, 6, 1), []),
    ("贯彻党的二十届三中全会精神", dt.date(2024, 3, 1), ["二十届三中全会"]),
    ("贯彻党的二十届三中全会精神", dt.date(2024, 8, 1), []),
    ("学习贯彻党的二十一大精神", dt.date(2024, 6, 1), ["党的二十一大"]),
    # its real date is not known: from the earliest plausible day on it is not judged
    ("学习贯彻党的二十一大精神", dt.date(2027, 12, 1), []),
    ("学习贯彻党的二十一大精神", dt.date(2027, 6, 1), ["党的二十一大"]),
    ("党的十八大以来", dt.date(2024, 6, 1), []),
    ("北京大学", dt.date(2024, 6, 1), []),
])
def test_congress_number(text, on, expected):
    assert flagged(CHECK, text, on) == expected


def test_suggestion_is_the_latest_held():
    (f,) = findings(CHECK, "深入学习贯彻党的二十大精神", dt.date(2022, 6, 1))
    assert f.suggestion == "党的十九大"
