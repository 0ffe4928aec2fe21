from decimal import Decimal

import pytest

from converter.read.values import parse_token


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("0", "0", ""),
        ("14", "14", ""),
        ("0.2", "0.2", ""),
        ("３９４８", "3948", ""),
        ("3,948", "3948", ""),
        ("1,234,567.5", "1234567.5", ""),
        ("+19", "19", ""),
        ("-3", "-3", ""),
        ("减4", "-4", ""),
        ("增2", "2", ""),
        ("240万元", "240", "万元"),
        ("12 人次", "12", "人次"),
        (" 7 ", "7", ""),
    ],
)
def test_numbers(text, value, unit):
    token = parse_token(text)
    assert token.value == Decimal(value) and token.unit == unit


@pytest.mark.parametrize("text", ["—", "——", "-", "－", "/", "_", "无", " — "])
def test_no_value_marks(text):
    token = parse_token(text)
    assert token is not None and token.value is None


@pytest.mark.parametrize("text", ["规章", "结果 维持", "2023年", "0 0 0", "第二十条第(一)项", "3,94", "1.属于国家秘密"])
def test_labels_are_not_values(text):
    assert parse_token(text) is None
