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

.PHONY: install run test lint format bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(DEV_ENV) $(BIN)/python manage.py compile_catalogues
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_demo
	$(DEV_ENV) $(BIN)/python manage.py setup_periodic_tasks
	@echo
	@echo "  Open http://127.0.0.1:8000/  (Ctrl-C stops web, worker and beat together)"
	@echo "  Demo logins: manager / demo, officer / demo, police / demo"
	@echo
	$(DEV_ENV) PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/honcho -f Procfile.dev start

test: install
	$(TEST_ENV) $(BIN)/python manage.py compile_catalogues
	$(TEST_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(TEST_ENV) $(BIN)/pytest -n 2 --create-db $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Province-scale figures into docs/benchmarks.md (minutes; a database arrears_bench of its own).
bench: install
	$(DEV_ENV) $(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .data/static
