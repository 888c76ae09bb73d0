# The portal's everyday commands. `make run` and `make test` need only Python 3.11.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
# alliance.wsgi, alliance.asgi and alliance.celery default to the production settings;
# the local targets that run them (worker, up) name the local ones unless you set it.
DJANGO_SETTINGS_MODULE ?= alliance.settings.base
# Where `make run` serves the portal.
RUN_PORT ?= 8000
STAMP := $(VENV)/.installed-stamp
# The Nu Html Checker (npm package vnu-jar), which tests/html/ runs with Java.
VNU := node_modules/vnu-jar/build/dist/vnu.jar
# Every package (with the dev extra) pinned with its hashes; `make lock` writes it.
LOCK := requirements.lock
LOCK_COMPILE = $(VENV)/bin/uv pip compile pyproject.toml --extra dev --universal \
	--python-version 3.11 --generate-hashes --custom-compile-command "make lock" \
	--quiet --output-file $(LOCK)

.PHONY: run test lint format worker up bench messages venv lock lock-upgrade clean backup restore

venv: $(STAMP)

## Install exactly what requirements.lock pins (hashes checked), then the project itself.
$(STAMP): pyproject.toml $(LOCK)
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed (set PYTHON=...)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	@$(PY) -m pip check >/dev/null || { $(PY) -m pip check; \
		echo "$(LOCK) does not fit pyproject.toml: run make lock"; }
	touch $(STAMP)

## Re-resolve requirements.lock after editing pyproject.toml (keeps every pin that
## still fits), then install it.
lock: $(STAMP)
	$(LOCK_COMPILE)
	$(MAKE) venv

## Upgrade every package to its newest release pyproject.toml allows, install the new
## lock into a fresh .venv (as CI does), run the whole suite. Commit the lock if it passes.
lock-upgrade: $(STAMP)
	$(LOCK_COMPILE) --upgrade
	rm -rf $(VENV)
	$(MAKE) venv
	$(MAKE) test

## Serve the portal with demo data on the embedded defaults (SQLite, no Redis):
## the web server and a Celery worker with beat (Procfile.local), the broker a
## folder (var/celery), so tasks and periodic jobs run as in production.
run: $(STAMP)
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo ""
	@echo "  The portal runs at http://127.0.0.1:$(RUN_PORT)/"
	@echo "  Demo admin: admin@alliance.example / alliance-demo-admin"
	@echo "  Background jobs: the 'worker' lines below; mail lands in var/mail/"
	@echo ""
	DJANGO_SETTINGS_MODULE=$(DJANGO_SETTINGS_MODULE) CELERY_TASK_ALWAYS_EAGER=false \
		RUN_PORT=$(RUN_PORT) $(VENV)/bin/honcho -f Procfile.local start

## Run the whole test suite (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set).
test: $(STAMP) $(VNU)
	$(PY) -m pytest -n auto --maxprocesses 4 --dist loadfile $(PYTEST_ARGS)

## The Nu Html Checker the tests run (tests/html/), pinned in package-lock.json; it
## needs npm to install and Java to run. Without npm the HTML test is skipped
## (under CI=true it fails).
$(VNU): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --ignore-scripts --loglevel=error && touch $(VNU); \
	else echo "npm is not installed: the Nu Html Checker test will be skipped"; fi

## Lint, check formatting, and check the import contracts (pyproject.toml).
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## Update locale/de from the code and templates, and compile it.
messages: $(STAMP)
	$(PY) manage.py makemessages --locale de --no-obsolete --no-location --ignore '.venv/*' --ignore 'var/*'
	$(PY) manage.py compilemessages --locale de --ignore '.venv/*'

## A Celery worker and beat (needs REDIS_URL), on the local settings unless
## DJANGO_SETTINGS_MODULE says otherwise.
worker: $(STAMP)
	@test -n "$(REDIS_URL)" || { echo "Set REDIS_URL (e.g. redis://127.0.0.1:6379/0) first"; exit 1; }
	DJANGO_SETTINGS_MODULE=$(DJANGO_SETTINGS_MODULE) \
		$(VENV)/bin/celery -A alliance worker --beat --loglevel INFO --concurrency 2

## Web + worker + beat together from the Procfile (needs DATABASE_URL and REDIS_URL), on
## the local settings unless DJANGO_SETTINGS_MODULE says otherwise.
up: $(STAMP)
	@test -n "$(DATABASE_URL)" -a -n "$(REDIS_URL)" || { echo "Set DATABASE_URL and REDIS_URL first"; exit 1; }
	DJANGO_SETTINGS_MODULE=$(DJANGO_SETTINGS_MODULE) $(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=$(DJANGO_SETTINGS_MODULE) $(PY) manage.py collectstatic --noinput
	DJANGO_SETTINGS_MODULE=$(DJANGO_SETTINGS_MODULE) $(VENV)/bin/honcho start

## Load benchmarks against gunicorn on PostgreSQL and Redis (not part of `make test`).
bench: $(STAMP)
	$(PY) bench/run.py

## Back up the database (pg_dump) and the uploaded files into var/backups/<time>/
## (or TO=<new directory>); prints the directory.
backup: $(STAMP)
	$(PY) manage.py backup $(if $(TO),--to "$(TO)")

## Restore a backup (BACKUP=<directory>) into the database and MEDIA_ROOT,
## replacing what is there; asks first. Stop the web processes and workers first.
restore: $(STAMP)
	@test -n "$(BACKUP)" || { echo "Say which backup: make restore BACKUP=var/backups/<time>"; exit 1; }
	$(PY) manage.py restore "$(BACKUP)"

clean:
	rm -rf $(VENV) var .pytest_cache
