"""统一社会信用代码, 公民身份号码, phone numbers and the masks used in lists and exports."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum.cn import ric as std_ric
from stdnum.cn import uscc as std_uscc

from zhida.identifiers import (
    USCC_ALPHABET,
    is_valid_uscc,
    make_id_number,
    make_uscc,
    mask_id_number,
    mask_name,
    mask_phone,
    mask_uscc,
    uscc_check_char,
    validate_id_number,
    validate_phone,
    validate_uscc,
)

VALID_USCC = "91110000600037341L"
VALID_ID = "11010519491231002X"


# ---- 统一社会信用代码 ----------------------------------------------------------


def test_uscc_valid():
    assert validate_uscc(VALID_USCC) == VALID_USCC
    assert is_valid_uscc(VALID_USCC)
    assert uscc_check_char(VALID_USCC[:17]) == "L"


def test_uscc_lower_case_and_spaces_normalised():
    assert validate_uscc(" 91110000600037341l ") == VALID_USCC


def test_uscc_wrong_check_char_names_the_expected_one():
    with pytest.raises(ValueError, match="第 18 位应为 L，实际为 K"):
        validate_uscc("91110000600037341K")
    assert not is_valid_uscc("91110000600037341K")


@pytest.mark.parametrize("code", ["91110000600037341", "91110000600037341LL", "", "9"])
def test_uscc_wrong_length(code):
    with pytest.raises(ValueError, match=f"应为 18 位，实际 {len(code)} 位"):
        validate_uscc(code)


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_uscc_forbidden_letters(letter):
    code = "9111000060003734" + letter + "L"
    with pytest.raises(ValueError, match=f"不能含字母 {letter}"):
        validate_uscc(code)


def test_uscc_other_illegal_character():
    with pytest.raises(ValueError, match="含非法字符 -"):
        validate_uscc("9111000060003734-L")


def test_uscc_agrees_with_python_stdnum():
    assert std_uscc.is_valid(VALID_USCC)
    assert not std_uscc.is_valid("91110000600037341K")


@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17))
def test_make_uscc_always_validates(first17):
    code = make_uscc(first17)
    assert len(code) == 18
    assert validate_uscc(code) == code
    assert std_uscc.calc_check_digit(first17) == code[17]


@given(
    st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17),
    st.integers(min_value=0, max_value=17),
    st.sampled_from(USCC_ALPHABET),
)
def test_any_single_character_change_is_rejected(first17, position, replacement):
    code = make_uscc(first17)
    if code[position] == replacement:
        replacement = USCC_ALPHABET[(USCC_ALPHABET.index(replacement) + 1) % len(USCC_ALPHABET)]
    changed = code[:position] + replacement + code[position + 1 :]
    assert changed != code
    with pytest.raises(ValueError, match="校验位错误"):
        validate_uscc(changed)


@given(
    st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17),
    st.integers(min_value=0, max_value=17),
    st.characters(),
)
def test_any_single_character_change_to_any_character_is_rejected(first17, position, replacement):
    code = make_uscc(first17)
    assume(replacement.upper() != code[position])  # a lower-case twin is the same code
    changed = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(ValueError):
        validate_uscc(changed)


# ---- 公民身份号码 ----------------------------------------------------------------


def test_id_valid_and_lower_x_normalised():
    assert validate_id_number(VALID_ID) == VALID_ID
    assert validate_id_number("11010519491231002x") == VALID_ID
    assert std_ric.is_valid(VALID_ID)
    assert make_id_number(VALID_ID[:17]) == VALID_ID


def test_id_wrong_check():
    with pytest.raises(ValueError, match="第 18 位应为 X，实际为 1"):
        validate_id_number("110105194912310021")


@pytest.mark.parametrize("code", ["110105194902300026", "110105194913010025", "110105194900000025"])
def test_id_bad_date(code):
    with pytest.raises(ValueError, match=f"出生日期 {code[6:14]} 不是有效日期"):
        validate_id_number(code)


@pytest.mark.parametrize("code", ["11010519491231002", "11010519491231002XX", "1101051949123100AX", ""])
def test_id_bad_shape(code):
    with pytest.raises(ValueError, match="身份证号应为 18 位"):
        validate_id_number(code)


# ---- phone -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("13800138000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("+8613800138000", "13800138000"),
        ("19912345678", "19912345678"),
        ("0635-8888888", "0635-8888888"),
        ("(0635)8888888", "06358888888"),
        ("010-12345678", "010-12345678"),
    ],
)
def test_phone_valid(raw, normal):
    assert validate_phone(raw) == normal


@pytest.mark.parametrize("raw", ["12800138000", "1380013800", "138001380001", "8888888", "abc", ""])
def test_phone_invalid(raw):
    with pytest.raises(ValueError, match="电话应为 11 位手机号"):
        validate_phone(raw)


# ---- masks -----------------------------------------------------------------------


def test_masks():
    assert mask_phone("13800138000") == "138****8000"
    assert mask_phone(None) == "" and mask_phone("") == ""
    assert "8888888" not in mask_phone("0635-8888888")
    assert mask_phone("0635-8888888").endswith("8888")
    assert mask_id_number(VALID_ID) == "110105********002X"
    assert mask_id_number(None) == ""
    assert mask_uscc(VALID_USCC) == "91110000********1L"
    assert mask_uscc("") == ""
    assert mask_name("张三") == "张*"
    assert mask_name("聊城市茌平区某某机械有限公司") == "聊城市茌平区**机械有限公司"
    assert mask_name(None) == ""


def test_masks_hide_the_middle():
    for masked, original in [(mask_id_number(VALID_ID), VALID_ID), (mask_uscc(VALID_USCC), VALID_USCC)]:
        assert len(masked) == len(original)
        assert masked != original
