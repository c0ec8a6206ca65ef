# PCMD — the two commands of the README are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test e2e lint typecheck bench messages clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Set up SQLite at var/db.sqlite3, load the hierarchy and the demo, serve site + worker.
run: install
	mkdir -p var
	DEBUG=1 PCMD_DEMO=1 $(BIN)/pcmd migrate --no-input
	DEBUG=1 PCMD_DEMO=1 $(BIN)/pcmd load_orgunits
	DEBUG=1 PCMD_DEMO=1 $(BIN)/pcmd demo
	DEBUG=1 PCMD_DEMO=1 $(BIN)/pcmd rebuild_values
	DEBUG=1 PCMD_DEMO=1 $(BIN)/pcmd serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/pytest -q

e2e: install
	$(BIN)/pytest -q -c tests_e2e/pytest.ini tests_e2e

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	DEBUG=1 $(BIN)/mypy pcmd

bench: install
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	DEBUG=1 $(BIN)/pcmd bench --json

# Refresh the English catalog after changing interface strings (needs gettext), then translate
# the new entries in pcmd/locale/en/LC_MESSAGES/django.po and run this again to compile.
messages: install
	cd pcmd && DEBUG=1 DJANGO_SETTINGS_MODULE=pcmd.config.settings ../$(BIN)/django-admin \
		makemessages -l en --ignore='tests/*' --ignore='*/tests/*'
	cd pcmd && DEBUG=1 DJANGO_SETTINGS_MODULE=pcmd.config.settings ../$(BIN)/django-admin \
		compilemessages -l en -l vi

clean:
	rm -rf $(VENV) var
