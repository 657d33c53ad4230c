"""search_index/bitsets.py: sets of document numbers as ints, and a page of one in an order."""

import random

import pytest

from search_index.bitsets import mask_of, members, ordered


@pytest.mark.parametrize(("size", "count"), [(1, 0), (20, 5), (3000, 40), (3000, 1500), (3000, 3000)])
def test_members_and_every_page_in_an_order(size, count):
    rng = random.Random(size + count)
    positions = sorted(rng.sample(range(size), count))
    mask = mask_of(positions, size)
    assert members(mask) == positions and mask.bit_count() == count
    order = list(range(size))
    rng.shuffle(order)
    index = [0] * size
    for place, position in enumerate(order):
        index[position] = place
    expected = sorted(positions, key=index.__getitem__)
    for start, length in [(0, 1000), (0, 20), (60, 20), (max(0, count - 5), 20), (count, 20)]:
        assert ordered(order, index, mask, count, start, length) == expected[start : start + length]


def test_words_from_postgresql_and_array_literals():
    from search_index.bitsets import array_literal, mask_of_words

    positions = [0, 5, 63, 64, 200, 639]  # 63: the sign bit of its word
    words = sorted({p >> 6 for p in positions})
    values = []
    for word in words:
        value = sum(1 << (p & 63) for p in positions if p >> 6 == word)
        values.append(value - (1 << 64) if value >= 1 << 63 else value)  # a signed bigint, as sent
    assert mask_of_words(words, values) == mask_of(positions, 640) and mask_of_words([], []) == 0
    assert array_literal([3, 1, 20]) == "{3,1,20}" and array_literal([]) == "{}"
