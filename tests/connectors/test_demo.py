"""The demo office's second database: load_demo makes the webshop (a few thousand rows, the demo
subjects among its customers) and its connector, once; a second run changes nothing."""

import pytest
import sqlalchemy as sa
from django.core.management import call_command

from connectors import runner
from connectors.demo import demo_url
from connectors.models import Connector
from consents.models import DataSubject

pytestmark = pytest.mark.django_db


def test_load_demo_makes_the_webshop_and_its_connector_once(capsys):
    call_command("setup_roles", verbosity=0)
    call_command("load_demo", stdout=None)
    connector = Connector.objects.get(system__slug="webshop")
    assert connector.secret_is_set() and connector.secret() == demo_url()
    engine = sa.create_engine(demo_url())
    with engine.connect() as conn:
        rows = sum(
            conn.execute(sa.text(f"SELECT COUNT(*) FROM {t}")).scalar()
            for t in ("customers", "addresses", "orders", "order_lines", "invoices")
        )
    assert rows > 2000
    subject = DataSubject.objects.filter(erased_at__isnull=True).order_by("pk").first()
    plan = runner.dry_run(connector, subject.email)
    assert plan["customers"]["rows"] == 1 and plan["orders"]["rows"] == 2
    capsys.readouterr()
    call_command("load_demo", stdout=None)
    out = capsys.readouterr().out
    assert "demo webshop database already there" in out
    assert Connector.objects.count() == 1 and connector.history.count() == 1
