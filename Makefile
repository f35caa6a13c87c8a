# The two commands of README.md: `make run` and `make test`. Everything else is set up by them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lock bench

# The demo webshop's database (the second system of the demo office; connectors/demo.py).
export WEBSHOP_DATABASE_URL ?= sqlite:///$(CURDIR)/var/webshop.sqlite3

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Web server, Celery worker and beat in the foreground; Ctrl-C stops all three.
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py setup_roles
	$(BIN)/python manage.py create_demo_users
	$(BIN)/python manage.py load_demo
	$(BIN)/honcho --procfile Procfile start

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Every benchmark in bench/, one table of figures beside their baselines (not part of CI); each
# figure is the median of REPEAT runs, the measured path and its floor in turns.
REPEAT ?= 3
bench: $(STAMP)
	$(BIN)/python bench/all.py --repeat $(REPEAT)

# Re-resolve the pinned versions after a change to the dependencies in pyproject.toml.
lock:
	rm -rf /tmp/privacy-office-lock && $(PYTHON) -m venv /tmp/privacy-office-lock
	/tmp/privacy-office-lock/bin/pip install --quiet -e ".[dev]"
	/tmp/privacy-office-lock/bin/pip freeze --exclude-editable > constraints.txt
