"""The migration that adds the internal note moves the working notes the earlier loader had put in
the public retention note, and nothing else the officer wrote."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("privacy_register", "0002_retention_rule_excludes_opt_out")]
AFTER = [("privacy_register", "0003_statement_items")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_the_old_loaders_working_notes_become_internal_notes():
    old = migrate(BEFORE).get_model("privacy_register", "ProcessingActivity")
    common = {"purposes": "Test", "legal_basis": "consent", "retention_months": 12}
    old.objects.create(
        slug="websitegedrag",
        name="Klikgedrag",
        retention_event="collection",
        retention_note="Werkkeuze van het privacy office; de verklaring noemt geen termijn.",
        **common,
    )
    old.objects.create(
        slug="marktonderzoek",
        name="Marktonderzoek",
        retention_event="collection",
        retention_note="Ruwe antwoorden gaan na een jaar weg.",  # the officer's own words
        **common,
    )
    try:
        new = migrate(AFTER).get_model("privacy_register", "ProcessingActivity")
        analytics = new.objects.get(slug="websitegedrag")
        assert analytics.retention_note == ""
        assert analytics.internal_note.startswith("Werkkeuze van het privacy office")
        research = new.objects.get(slug="marktonderzoek")
        assert research.retention_note == "Ruwe antwoorden gaan na een jaar weg."
        assert research.internal_note == ""
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
