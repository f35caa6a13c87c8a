"""The first page of every admin list, and every admin search, is served by an index: EXPLAIN on
PostgreSQL with sequential scans and sorts priced out shows neither, nor a search term matched row
by row, so the page costs the same at ten thousand rows as at ten (a sequential scan and a sort
grow with the table). The search's own results are tested beside it, on both databases."""

import pytest
from django.contrib import admin
from django.core.exceptions import EmptyResultSet
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="EXPLAIN plans are PostgreSQL's; SQLite has no planner settings to price scans out",
    ),
]

SEARCH_TERM = "AVG-2026-00001"


def _page_query(rf, user, model_admin, query: str = "") -> tuple[str, tuple]:
    """The SQL and parameters of the changelist's first page, as the admin builds it."""
    request = rf.get("/", {"q": query} if query else {})
    request.user = user
    changelist = model_admin.get_changelist_instance(request)
    try:
        return changelist.queryset[: model_admin.list_per_page].query.sql_with_params()
    except EmptyResultSet:
        # Nothing related matched the term, so the page reads no table at all.
        return "SELECT 1", ()


def _plan(sql: str, params: tuple, *, search: bool = False) -> str:
    """The plan with a full read of the table priced out. For a search, walking an index in
    order and testing every row is such a full read too (on a table of ten rows the planner would
    rightly choose it), so then only an index lookup by the search's own terms stays cheap."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"SET LOCAL enable_sort = {'on' if search else 'off'}")
        cursor.execute(f"SET LOCAL enable_indexscan = {'off' if search else 'on'}")
        cursor.execute(f"SET LOCAL enable_indexonlyscan = {'off' if search else 'on'}")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def registered():
    return sorted(
        (model._meta.label, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label not in ("auth", "axes", "sites")
    )


@pytest.mark.parametrize(
    "model_admin",
    [a for _, a in registered()],
    ids=[label for label, _ in registered()],
)
def test_first_page_and_search_use_an_index(rf, privacy_officer, model_admin):
    table = model_admin.model._meta.db_table
    plan = _plan(*_page_query(rf, privacy_officer, model_admin))
    assert f"Seq Scan on {table}" not in plan and "Sort" not in plan, plan
    if model_admin.search_fields:
        # The matching rows may be sorted: there are few of them.
        plan = _plan(*_page_query(rf, privacy_officer, model_admin, SEARCH_TERM), search=True)
        # Read by index: no sequential scan, and no LIKE filtered row by row over an index walk.
        filtered = [line for line in plan.splitlines() if "Filter:" in line and "~~" in line]
        assert f"Seq Scan on {table}" not in plan and not filtered, plan
