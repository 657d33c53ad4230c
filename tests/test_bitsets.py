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
