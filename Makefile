# Passerelle: `make run` serves the site on SQLite; `make test` runs the whole suite (what CI runs);
# `make test-quick` skips the load and kill -9 tests; `make lint` runs ruff.
# Both are idempotent: the virtualenv is rebuilt only when a requirements file changes.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app webapp
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run room test test-quick lint serve setup translations db check clean

$(BIN)/activate:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/activate
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel -q compile -d webapp/translations

db: $(VENV)/.installed translations
	mkdir -p instance
	$(FLASK) db upgrade -d webapp/migrations

setup: db

run: setup
	@echo
	@echo "Passerelle on http://$(HOST):$(PORT)/  (SQLite: instance/passerelle.db)"
	@$(FLASK) first-run --address $(HOST):$(PORT)
	@echo
	$(FLASK) run --host $(HOST) --port $(PORT)

# A workshop without internet: the site on this laptop's address on the room's Wi-Fi (README,
# "Running a workshop"), gunicorn with one worker and threads, SQLite, links and QR codes on that address.
# `make room KIT=passerelle-room-kit-....json` first installs that room kit (README, "Workshops without
# internet"; installing the same kit again changes nothing); the room then serves the kit's content.
ROOM_PORT ?= 8000
room: setup
	@$(if $(KIT),$(FLASK) room install "$(KIT)")
	@$(BIN)/python -m webapp.room_address --port $(ROOM_PORT) --gunicorn $(BIN)/gunicorn

# Production: the app refuses to start without a real SECRET_KEY (README, "Production").
serve: setup
	PASSERELLE_PRODUCTION=1 $(BIN)/gunicorn --workers $${WORKERS:-4} --bind $${BIND:-127.0.0.1:8000} 'webapp:create_app()'

check: $(VENV)/.installed translations
	$(BIN)/python -m webapp.content check

# Test tools from npm (axe-core, the Nu Html Checker): versions locked in package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Tests spread over WORKERS processes (pytest-xdist; each has its own databases and ports). The load and
# kill -9 tests (marker "load") then run alone: they start gunicorn with 4 workers and need the cores.
WORKERS ?= 2
PYTEST := $(BIN)/python -m pytest $(if $(filter-out 0 1,$(WORKERS)),-n $(WORKERS))

test: $(VENV)/.installed-dev translations node_modules/.installed
	$(BIN)/python -m webapp.content check
	$(PYTEST) -m "not load" $(PYTEST_ARGS)
	$(BIN)/python -m pytest -m load $(PYTEST_ARGS) || [ $$? -eq 5 ]  # 5: PYTEST_ARGS selected no load test

test-quick: $(VENV)/.installed-dev translations node_modules/.installed
	$(PYTEST) -m "not load" $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) instance/*.db
