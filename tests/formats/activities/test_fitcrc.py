"""Our two-bytes-a-step FIT CRC against the SDK's nibble algorithm and fitdecode's verdicts."""

from __future__ import annotations

import io
import struct
import warnings
from functools import reduce

import fitdecode  # type: ignore[import-untyped]
import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrorun.formats.activities.fitcrc import crc_byte, crc_problems, fit_crc
from tests.formats.activities.builders import RUN_FIT, local
from tests.formats.activities.oracle import CORPUS


@given(st.binary(max_size=300), st.integers(0, 0xFFFF))
def test_the_word_table_gives_the_sdks_crc(data: bytes, start: int) -> None:
    assert fit_crc(data, start) == reduce(crc_byte, data, start)


@given(st.binary(max_size=300))
def test_data_followed_by_its_crc_checks_to_zero(data: bytes) -> None:
    assert fit_crc(data + struct.pack("<H", fit_crc(data))) == 0


def _fitdecode_crc_mismatches(data: bytes) -> int:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            for _frame in fitdecode.FitReader(io.BytesIO(data), processor=None):
                pass
        except fitdecode.FitError:
            pass
    return sum("CRC" in str(w.message) for w in caught)


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.fit")))
def test_crc_verdicts_agree_with_fitdecode(name: str) -> None:
    data = (CORPUS / name).read_bytes()
    assert len(crc_problems(data)) == _fitdecode_crc_mismatches(data)


def test_only_the_bad_crc_file_of_the_corpus_has_a_mismatch() -> None:
    assert crc_problems((CORPUS / "activity-filecrc.fit").read_bytes()) == [
        "file CRC mismatch at byte 769"]


def test_a_flipped_byte_is_a_mismatch_and_a_header_crc_too() -> None:
    data = bytearray(local(RUN_FIT))
    data[100] ^= 0xFF
    assert crc_problems(bytes(data)) == [f"file CRC mismatch at byte {len(data) - 2}"]
    data = bytearray(local(RUN_FIT))
    data[12] ^= 0x01  # the header's own CRC, which the file CRC also covers
    assert crc_problems(bytes(data)) == ["header CRC mismatch at byte 0",
                                         f"file CRC mismatch at byte {len(data) - 2}"]
