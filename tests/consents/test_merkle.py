"""The Merkle tree of RFC 9162: the compact range gives the reference root, and inclusion and
consistency proofs verify for every size, and fail for a wrong leaf or root."""

import hashlib

import pytest

from consents import merkle


def reference_root(leaves: list[bytes]) -> bytes:
    """MTH of RFC 9162 §2.1.1, written as the RFC writes it."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = merkle.split(len(leaves))
    return merkle.node_hash(reference_root(leaves[:k]), reference_root(leaves[k:]))


LEAVES = [merkle.leaf_hash(f"event {i}".encode()) for i in range(40)]


def subtree(level: int, index: int) -> bytes:
    return reference_root(LEAVES[index << level : (index + 1) << level])


def test_the_compact_range_gives_the_reference_root_at_every_size():
    tree = merkle.CompactRange()
    assert tree.root() == merkle.EMPTY_ROOT
    for n, leaf in enumerate(LEAVES, start=1):
        for level, index, value in tree.append(leaf):
            assert value == subtree(level, index)
        assert tree.root() == reference_root(LEAVES[:n])
        assert len(tree.edge) == bin(n).count("1")


def test_a_compact_range_survives_a_dump_and_a_load():
    tree = merkle.CompactRange()
    for leaf in LEAVES[:13]:
        tree.append(leaf)
    again = merkle.CompactRange.load(13, tree.dump())
    for leaf in LEAVES[13:]:
        tree.append(leaf)
        again.append(leaf)
    assert again.root() == tree.root()


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 13, 32, 40])
def test_every_leaf_has_an_inclusion_proof(size):
    root = reference_root(LEAVES[:size])
    for index in range(size):
        proof = merkle.inclusion_proof(index, size, subtree)
        assert merkle.root_from_inclusion(index, size, LEAVES[index], proof) == root
        wrong = LEAVES[(index + 1) % 40]
        assert merkle.root_from_inclusion(index, size, wrong, proof) != root


@pytest.mark.parametrize("second", [1, 2, 3, 7, 8, 9, 16, 21, 40])
def test_each_tree_is_consistent_with_every_earlier_one(second):
    second_root = reference_root(LEAVES[:second])
    for first in range(1, second + 1):
        first_root = reference_root(LEAVES[:first])
        proof = merkle.consistency_proof(first, second, subtree)
        assert merkle.verify_consistency(first, second, first_root, second_root, proof)
        forged = merkle.leaf_hash(b"forged")
        assert not merkle.verify_consistency(first, second, forged, second_root, proof)
        if first < second:
            assert not merkle.verify_consistency(first, second, first_root, forged, proof)
