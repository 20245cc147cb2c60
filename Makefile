# Two commands on a fresh machine: `make run` serves the site with demo content on SQLite;
# `make test` runs the whole test suite (set DATABASE_URL to run it on PostgreSQL).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEV := DJANGO_DEBUG=1
ADDRESS ?= 127.0.0.1:8000

.PHONY: run test lint install benchmark clean

run: install
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py load_demo
	$(DEV) $(BIN)/python manage.py create_local_admin
	$(DEV) $(BIN)/python manage.py runserver $(ADDRESS)

test: install node_modules/.package-lock.json
	$(BIN)/pytest

lint: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# axe-core and the Nu HTML Checker for the page checks (tests/browser/test_accessibility.py,
# tests/test_html_validity.py), exactly as package-lock.json pins them; npm ci runs only when
# the lock file is newer than its copy in node_modules. No install scripts: vnu-jar's would
# download a Java runtime from GitHub where none is on the PATH, and the checks use the
# system's Java or say that it is missing. Without npm those checks skip and say why (CI
# installs it: .ci/run), and serving the site never needs it.
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --ignore-scripts && touch $@; \
	else echo "npm not found: the accessibility and HTML checks will skip"; fi

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache
