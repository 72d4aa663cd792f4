# Ashar: `make run` sets everything up and serves the demo; `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run setup kernel test test-fast translations extract-messages update-messages benchmark clean

run: setup
	mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) pb seed-demo --if-empty
	$(FLASK) run --host $(HOST) --port $(PORT)

setup: $(VENV)/.installed static/vendor/.installed translations kernel

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	$(PY) -m pip install -qq --no-deps --editable .  # -qq: no setuptools banner
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

static/vendor/.installed: node_modules/.package-lock.json
	mkdir -p static/vendor/fonts
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/
	cp node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf node_modules/dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf static/vendor/fonts/
	touch $@

# compiles the add-one kernel once per version of it (some 15 s), kept in pb/allocation/__pycache__
kernel: $(VENV)/.installed
	$(PY) -c "from pb.allocation.interval import warm; warm()"

translations: $(VENV)/.installed
	$(VENV)/bin/pybabel compile -d pb/translations

extract-messages: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -o pb/translations/messages.pot --no-location --sort-output --omit-header .

update-messages: extract-messages
	$(VENV)/bin/pybabel update -i pb/translations/messages.pot -d pb/translations --ignore-obsolete --no-wrap --no-fuzzy-matching

test: setup
	$(PY) -m pytest -n auto

benchmark: setup
	$(PY) benchmarks/budget_page.py
	$(PY) benchmarks/minutes_pdf.py
	$(PY) benchmarks/council_documents.py
	$(PY) benchmarks/allocation.py
	$(PY) benchmarks/allocation_report.py
	$(PY) benchmarks/voting_load.py

clean:
	rm -rf $(VENV) node_modules static/vendor
