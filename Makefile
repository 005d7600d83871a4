# The project's commands. `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.PHONY: run test test-fast install lint serve serve-gunicorn backup restore loadtest bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-installs only when the requirements change, so a second `make run` starts in seconds.
$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_initial_content
	$(MANAGE) create_dev_superuser --port $(PORT)
	PORT=$(PORT) $(MANAGE) runserver 127.0.0.1:$(PORT)

# The browser tests need Debian's Chromium (`.ci/install-browser`, as root) and, once it is there,
# the npm tools they drive it with (axe-core; Lighthouse for `make lighthouse`).
CHROMIUM := /usr/bin/chromium
NODE_TOOLS := node_modules/.installed

$(NODE_TOOLS): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Every test, on TEST_WORKERS processes (one a core suits a two-core machine); each worker starts
# its own throwaway servers and test database.
TEST_WORKERS ?= 2

test: install $(if $(wildcard $(CHROMIUM)),$(NODE_TOOLS))
	$(BIN)/pytest -n $(TEST_WORKERS)

# The tests that need no browser and start no server of their own (markers in pyproject.toml).
test-fast: install
	$(BIN)/pytest -n $(TEST_WORKERS) -m "not browser and not servers"

.PHONY: lighthouse screenshots
LIGHTHOUSE_PORT ?= 8104

# Lighthouse's four scores for the home, a condition and the articles pages, against `make serve`.
lighthouse: install $(NODE_TOOLS)
	PORT=$(LIGHTHOUSE_PORT) scripts/lighthouse

# Phone and desktop screenshots of the patient pages and the page editor, for the README.
screenshots: install $(NODE_TOOLS)
	$(BIN)/python scripts/screenshots

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# The site as production runs it, for local trials (docs/operations.md): Varnish, the one page cache
# (deploy/varnish/clinic.vcl), on 127.0.0.1:$(PORT) in front of gunicorn on $(PORT) + 1. Needs
# Debian's varnish and varnish-modules (scripts/serve says so when they are missing).
serve: install
	PORT=$(PORT) scripts/serve

# gunicorn alone on 127.0.0.1:$(PORT), nothing in front: every page rendered afresh, for measuring.
serve-gunicorn: install
	PORT=$(PORT) scripts/serve-gunicorn

# A restorable copy of the database and uploaded files in $(BACKUP_DIR) (default backups/<timestamp>).
backup: install
	$(MANAGE) backup_site $(if $(BACKUP_DIR),--to $(BACKUP_DIR))

restore: install
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=backups/<timestamp>"; exit 2; }
	$(MANAGE) restore_site $(if $(FORCE),--force) $(BACKUP)

# 64 connections for 30 s against `make serve` (through Varnish); fails on any failed request.
loadtest: install
	scripts/loadtest

# Per page type, as the site runs (scripts/bench): requests/s and latency of a hit through Varnish
# (beside the CSS file, and nginx serving the condition page's HTML from disk) and of a miss, the
# page rendered afresh by a bare gunicorn (beside the CSS file); queries, bytes and render time in
# process; the condition page published every second under load. Then the goals, met or missed.
bench: install
	.venv/bin/python scripts/bench
