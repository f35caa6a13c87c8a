"""Everyone a connected system holds, for the notice to the people affected by a breach (Art. 34
GDPR): the breach register reads these through `ConnectorsConfig.notice_people_systems` and
`ConnectorsConfig.notice_people` (it never imports this app).

Only automatic connectors can list their people: a SQL connector from its mapping's identity
table, an HTTP system through the contract's `subjects` pages. A manual system has no list here;
the officer uploads its export instead."""

from collections.abc import Iterable, Iterator

from connectors import runner
from connectors.services import automatic_connectors


def system_ids() -> list[int]:
    """The register's systems whose people can be listed (one query)."""
    return list(automatic_connectors().values_list("system_id", flat=True))


def people_in(*, system_ids: Iterable[int], chunk: int = 1000) -> Iterator[tuple[str, str]]:
    """(address, name) of everyone in each of the systems, system after system, a chunk at a
    time, as the systems hold them (the caller normalises and deduplicates). A system that fails
    midway raises runner.ConnectorFailed with a message that names neither secret nor person."""
    for connector in automatic_connectors().filter(system_id__in=list(system_ids)):
        yield from runner.subjects(connector, chunk=chunk)
