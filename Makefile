# Two commands for a newcomer: `make run` and `make test`. Everything else is here to help them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# The address links in emails and certificates lead to; also the one host name served.
PUBLIC_URL ?= http://$(if $(filter 0.0.0.0,$(HOST)),localhost,$(HOST)):$(PORT)
CHROMIUM ?= /usr/bin/chromium
export FLASK_APP := learning

.PHONY: run test test-postgres setup db courses messages translations lint bench clean constraints screenshots npm

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

## Pin what is installed now (after a change to pyproject.toml and a green suite).
constraints: setup
	@{ sed -n '1,2p' constraints.txt; $(BIN)/python -m pip freeze --exclude-editable; } > constraints.new
	mv constraints.new constraints.txt

# The catalogues of the interface languages, compiled for Flask-Babel (the .mo files are not in git).
MO_FILES := $(patsubst %.po,%.mo,$(wildcard learning/translations/*/LC_MESSAGES/messages.po))
learning/translations/%/LC_MESSAGES/messages.mo: learning/translations/%/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel -q compile -d learning/translations -l $*

# The JSON-LD contexts a credential's embedded proof is canonicalised with, from their npm
# packages (learning/certificates/contexts/package-lock.json pins them), read from disk at run
# time. npm comes with Node.js; as root, Debian's is installed when there is none.
CONTEXTS := learning/certificates/contexts/node_modules/.installed
$(CONTEXTS): learning/certificates/contexts/package.json learning/certificates/contexts/package-lock.json
	@$(MAKE) --no-print-directory npm
	npm ci --prefix learning/certificates/contexts --no-audit --no-fund --loglevel=error
	touch $@

npm:
	@if ! command -v npm >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
		else echo "Missing npm: install Node.js 18.16 or newer (it brings npm)." >&2; exit 1; fi; fi

setup: $(VENV)/.installed $(MO_FILES) $(CONTEXTS)

db: setup
	APP_ENV=$${APP_ENV:-development} $(BIN)/flask db upgrade

courses: db
	@if APP_ENV=$${APP_ENV:-development} $(BIN)/flask courses --help >/dev/null 2>&1; then \
		APP_ENV=$${APP_ENV:-development} $(BIN)/flask courses import courses; fi

## Serve the platform with the bundled courses on SQLite (http://$(HOST):$(PORT)).
run: courses
	APP_ENV=$${APP_ENV:-development} PUBLIC_URL=$(PUBLIC_URL) $(BIN)/flask run --host $(HOST) --port $(PORT)

# What the browser, PDF and QR-code tests run: Debian's Chromium, poppler and zbar.
TEST_TOOLS := $(CHROMIUM) /usr/bin/pdftotext /usr/bin/zbarimg
$(TEST_TOOLS):
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils zbar-tools >/dev/null; \
	else echo "Missing $@: install Debian's chromium, poppler-utils and zbar-tools to run every test."; fi

# The outside judges run with Node (Lighthouse, the Digital Bazaar credential verifier): the
# packages tests/tools/package-lock.json pins, installed exactly by npm ci (again whenever the
# lock changes).
NODE_TOOLS := tests/tools/node_modules/.installed
$(NODE_TOOLS): tests/tools/package.json tests/tools/package-lock.json
	@$(MAKE) --no-print-directory npm
	npm ci --prefix tests/tools --no-audit --no-fund --loglevel=error
	touch $@

## Run the whole suite (browser tests included) on SQLite, or on TEST_DATABASE_URL when set.
test: setup $(TEST_TOOLS) $(NODE_TOOLS)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## The same suite on the local PostgreSQL server (its own throw-away database).
test-postgres: setup
	@pg_isready -q -h 127.0.0.1 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} $(MAKE) test

## Extract the user-facing strings and update the catalogues of the interface languages.
messages: setup
	$(BIN)/pybabel extract -F babel.cfg -k _l -o learning/translations/messages.pot .
	@for lang in fr es ar zh ru; do \
		if [ -f learning/translations/$$lang/LC_MESSAGES/messages.po ]; then \
			$(BIN)/pybabel update -i learning/translations/messages.pot -d learning/translations -l $$lang; \
		else $(BIN)/pybabel init -i learning/translations/messages.pot -d learning/translations -l $$lang; fi; \
	done

translations: setup
	$(BIN)/pybabel compile -d learning/translations

lint: setup
	$(BIN)/ruff check learning tests setup.py

## Retake README's screenshots from the running platform (docs/screenshots/).
screenshots: setup $(TEST_TOOLS)
	$(BIN)/python docs/screenshots/take.py

clean:
	rm -rf $(VENV) instance .pytest_cache build dist tests/tools/node_modules
