"""`/health/` for the load balancer (django-health-check): the database, the cache, the broker,
every named storage, a worker's heartbeat, migrations applied and — where an app declares one —
the age of the ledger's last external checkpoint. 200 when all pass, 500 otherwise; the answer
names no host, key or person."""

import dataclasses
import datetime as dt
import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.module_loading import import_string
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView
from kombu import Connection

HEARTBEAT_KEY = "platform:worker-heartbeat"
STORAGE_NAMES = ("default", "exports", "packages")


def heartbeat_write() -> float:
    """Called by the worker (a beat job, accounts.tasks.worker_heartbeat): proves that beat
    schedules, the broker delivers and a worker runs."""
    now = time.time()
    cache.set(HEARTBEAT_KEY, now, timeout=None)
    return now


@dataclasses.dataclass
class Broker(HealthCheck):
    """The broker answers a connection (Redis, RabbitMQ or the filesystem transport)."""

    def run(self):
        try:
            with Connection(
                settings.CELERY_BROKER_URL,
                transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
                connect_timeout=3,
            ) as broker:
                broker.ensure_connection(max_retries=1)
        except Exception as error:
            raise ServiceUnavailable("broker unreachable") from error


@dataclasses.dataclass
class WorkerHeartbeat(HealthCheck):
    """A worker ran the heartbeat job within HEALTH_WORKER_MAX_AGE seconds."""

    def run(self):
        beat = cache.get(HEARTBEAT_KEY)
        if beat is None:
            raise ServiceUnavailable("no worker heartbeat yet")
        if time.time() - beat > settings.HEALTH_WORKER_MAX_AGE:
            raise ServiceUnavailable(f"last worker heartbeat {int(time.time() - beat)} s ago")


@dataclasses.dataclass
class MigrationsApplied(HealthCheck):
    """No migration left to apply (a node with new code on an old schema is not healthy)."""

    def run(self):
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            raise ServiceUnavailable(f"{len(plan)} migrations not applied")


@dataclasses.dataclass
class LedgerCheckpoint(HealthCheck):
    """The ledger's last external checkpoint is younger than HEALTH_CHECKPOINT_MAX_AGE. Which
    function tells its time is a setting (HEALTH_CHECKPOINT_AGE, a dotted path to a callable
    returning the last checkpoint's aware datetime or None), so the app that keeps the
    checkpoints plugs it in; without it the check is left out."""

    def run(self):
        last = import_string(settings.HEALTH_CHECKPOINT_AGE)()
        if last is None:
            raise ServiceUnavailable("no ledger checkpoint yet")
        age = timezone.now() - last
        if age > dt.timedelta(seconds=settings.HEALTH_CHECKPOINT_MAX_AGE):
            raise ServiceUnavailable(f"last ledger checkpoint {int(age.total_seconds())} s ago")


def checks() -> list:
    found = [
        "health_check.checks.Database",
        "health_check.checks.Cache",
        Broker,
        *(("health_check.checks.Storage", {"alias": name}) for name in STORAGE_NAMES),
        WorkerHeartbeat,
        MigrationsApplied,
    ]
    if settings.HEALTH_CHECKPOINT_AGE:
        found.append(LedgerCheckpoint)
    return found


class HealthView(HealthCheckView):
    def get_checks(self):
        self.checks = checks()
        return super().get_checks()

    def get_executor(self):
        # SQLite (the embedded default) locks a table against other connections while one writes:
        # checks that each take a connection in a thread of their own then fail each other
        # ("database table is locked"). There they run one after another.
        if connection.vendor == "sqlite":
            return ThreadPoolExecutor(max_workers=1)
        return super().get_executor()
