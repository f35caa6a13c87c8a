# Celery's own pytest fixtures (celery_app, celery_worker, ...), used by the worker tests.
pytest_plugins = ("celery.contrib.pytest",)
