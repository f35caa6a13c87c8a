"""The Merkle tree over the ledger, after Certificate Transparency (RFC 9162 §2.1): pure
functions, no database.

A leaf's hash is SHA-256(0x00 || entry), an inner node's SHA-256(0x01 || left || right); the tree
of n leaves splits at the largest power of two below n. `CompactRange` keeps only the tree's right
edge (at most log2(n) complete subtrees), so an append costs O(log n) and yields the complete
subtrees it finished, which the database stores from `STORED_LEVEL` up. Inclusion and consistency
proofs are built from any function that returns the hash of a complete, aligned subtree, and
verified as RFC 9162 §2.1.3.2 and §2.1.4.2 describe.
"""

import hashlib
from collections.abc import Callable

# Complete subtrees of 2**8 = 256 leaves and larger are stored; smaller ones are recomputed from
# the events (at most 256 rows), so the tree costs the database about one row per 256 events.
STORED_LEVEL = 8


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


EMPTY_ROOT = hashlib.sha256(b"").digest()


def split(size: int) -> int:
    """The largest power of two smaller than size (size > 1)."""
    return 1 << ((size - 1).bit_length() - 1)


class CompactRange:
    """The right edge of a tree: a list of (level, hash) of complete subtrees, largest first."""

    def __init__(self, size: int = 0, edge: list[tuple[int, bytes]] | None = None):
        self.size = size
        self.edge = list(edge or [])

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Add a leaf hash; returns the complete subtrees (level, index, hash) it finished."""
        finished = []
        level, value = 0, leaf
        while self.edge and self.edge[-1][0] == level:
            _, left = self.edge.pop()
            value, level = node_hash(left, value), level + 1
            finished.append((level, self.size >> level, value))
        self.edge.append((level, value))
        self.size += 1
        return finished

    def root(self) -> bytes:
        if not self.edge:
            return EMPTY_ROOT
        value = self.edge[-1][1]
        for _, left in reversed(self.edge[:-1]):
            value = node_hash(left, value)
        return value

    def dump(self) -> list[list]:
        return [[level, value.hex()] for level, value in self.edge]

    @classmethod
    def load(cls, size: int, dumped: list[list]) -> "CompactRange":
        return cls(size, [(level, bytes.fromhex(value)) for level, value in dumped])


def range_hash_of_leaves(leaves: list[bytes]) -> bytes:
    """MTH of a list of leaf hashes (RFC 9162 §2.1.1)."""
    tree = CompactRange()
    for leaf in leaves:
        tree.append(leaf)
    return tree.root()


Subtree = Callable[[int, int], bytes]  # (level, index) → hash of that complete subtree


def range_hash(start: int, end: int, subtree: Subtree) -> bytes:
    """MTH(D[start:end]) for a range as RFC 9162's recursion produces it (start aligned)."""
    size = end - start
    if size & (size - 1) == 0:
        level = size.bit_length() - 1
        return subtree(level, start >> level)
    k = split(size)
    return node_hash(range_hash(start, start + k, subtree), range_hash(start + k, end, subtree))


def inclusion_proof(index: int, size: int, subtree: Subtree) -> list[bytes]:
    """PATH(index, D[0:size]) of RFC 9162 §2.1.3.1."""

    def path(m: int, start: int, end: int) -> list[bytes]:
        if end - start <= 1:
            return []
        k = split(end - start)
        if m < k:
            return path(m, start, start + k) + [range_hash(start + k, end, subtree)]
        return path(m - k, start + k, end) + [range_hash(start, start + k, subtree)]

    return path(index, 0, size)


def root_from_inclusion(index: int, size: int, leaf: bytes, proof: list[bytes]) -> bytes | None:
    """The root that the proof leads to from this leaf (RFC 9162 §2.1.3.2), or None."""
    if index >= size:
        return None
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return r if sn == 0 else None


def consistency_proof(first: int, second: int, subtree: Subtree) -> list[bytes]:
    """PROOF(first, D[0:second]) of RFC 9162 §2.1.4.1 (0 < first <= second)."""

    def subproof(m: int, start: int, end: int, whole: bool) -> list[bytes]:
        if m == end - start:
            return [] if whole else [range_hash(start, end, subtree)]
        k = split(end - start)
        if m <= k:
            return subproof(m, start, start + k, whole) + [range_hash(start + k, end, subtree)]
        return subproof(m - k, start + k, end, False) + [range_hash(start, start + k, subtree)]

    return subproof(first, 0, second, True)


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: list[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2: does the tree of `second` leaves extend the tree of `first`?"""
    if first == second:
        return not proof and first_root == second_root
    if first == 0 or first > second or not proof and first & (first - 1):
        return first == 0
    if first & (first - 1) == 0:
        proof = [first_root, *proof]
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == first_root and sr == second_root
