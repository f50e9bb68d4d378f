# The two commands of the quick start are `make run` and `make test`; the rest serve them.
SHELL := /bin/bash
PYTHON ?= $(shell scripts/find-python)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEV_ENV := DEBUG=1
# Tests run with DEBUG off, as production does, on PostgreSQL (DATABASE_URL or embedded).
TEST_ENV := DEBUG=0 SECRET_KEY=test-only-key ALLOWED_HOSTS=testserver,127.0.0.1,localhost \
	SECURE_SSL_REDIRECT=0 DATA_DIR=$(CURDIR)/.data

.PHONY: install run test lint audit format bench load backup restore clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(DEV_ENV) PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/python scripts/with_database.py scripts/run-dev

test: install
	$(TEST_ENV) PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/python scripts/with_database.py scripts/run-tests $(PYTEST_ARGS)

# ruff, the import contracts of pyproject.toml (layers, no circles), and no missing migration.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(TEST_ENV) $(BIN)/python scripts/with_database.py $(BIN)/python manage.py makemigrations --check --dry-run

# Security: bandit over the code (accepted findings in pyproject.toml, [tool.bandit]) and
# pip-audit over the dependencies (scripts/audit_deps.py: soft only when offline).
audit: install
	$(BIN)/bandit -c pyproject.toml -r . -q
	$(BIN)/python scripts/audit_deps.py

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Figures into docs/benchmarks.md: province scale (minutes; a database arrears_bench of its
# own), or SCALE=region (200,000 employers, 4 million persons; about 20 minutes here, arrears_bench_region).
bench: install
	$(DEV_ENV) SCALE=$(SCALE) $(BIN)/python bench/run.py $(BENCH_ARGS)

# The load test alone (bench/load_test.py) on the bench database that `make bench` prepared.
load: install
	$(DEV_ENV) SCALE=$(SCALE) $(BIN)/python bench/load_test.py $(LOAD_ARGS)

# pg_dump -Fc of the database (DATABASE_URL, else the embedded one) into .data/backups/.
backup: install
	$(DEV_ENV) $(BIN)/python manage.py backup_db

# pg_restore of FILE into a fresh database (the configured one, or DB=name); a database that
# holds tables is replaced only with FORCE=1.
restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=.data/backups/arrears-....dump [DB=name] [FORCE=1]"; exit 2; }
	$(DEV_ENV) $(BIN)/python manage.py restore_db "$(FILE)" $(if $(DB),--database-name "$(DB)") $(if $(filter 1,$(FORCE)),--force)

clean:
	rm -rf $(VENV) .data/static
