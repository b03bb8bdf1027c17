# Two commands for a fresh machine: `make run` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501

.PHONY: run test test-fast lint format geodata geodata-check bench bench-load team clean vendor

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

run: $(VENV)/.installed
	$(PY) -m streamlit run dashboard/app.py --server.port $(PORT) --server.address localhost

test: $(VENV)/.installed-dev
	$(PY) -m ruff check .
	$(PY) -m pytest

lint: $(VENV)/.installed-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.installed-dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

geodata: $(VENV)/.installed
	$(PY) -m geodata.build

geodata-check: $(VENV)/.installed
	$(PY) -m geodata.build --check

bench: $(VENV)/.installed-dev
	$(PY) -m bench.scenario
	$(PY) -m bench.exports
	$(PY) -m bench.browser

bench-load: $(VENV)/.installed-dev
	$(PY) -m bench.load
	$(PY) -m bench.load --team --sessions 20 --moves 20 --saves 20

# A team's set-up on this machine, to try it: PostgreSQL, two app servers and HAProxy (Debian's packages),
# at http://127.0.0.1:8540 until Ctrl-C. See docs/teams.md.
team: $(VENV)/.installed
	$(PY) -m bench.team

# Front-end code the app serves itself (never a CDN), at pinned versions, from the npm registry: deck.gl's
# bundle for the landing page's live view (dashboard/static/vendor/), axe-core for the accessibility test
# only (tests/e2e/vendor/). Committed; this refreshes them.
DECKGL_VERSION := 9.2.6
AXE_VERSION    := 4.11.0
vendor:
	rm -rf build/vendor && mkdir -p build/vendor dashboard/static/vendor tests/e2e/vendor
	cd build/vendor && npm pack --silent deck.gl@$(DECKGL_VERSION) axe-core@$(AXE_VERSION) >/dev/null
	cd build/vendor && tar xzf deck.gl-$(DECKGL_VERSION).tgz && mv package deck && \
		tar xzf axe-core-$(AXE_VERSION).tgz && mv package axe
	cp build/vendor/deck/dist.min.js dashboard/static/vendor/deck.gl-$(DECKGL_VERSION).min.js
	cp build/vendor/deck/LICENSE dashboard/static/vendor/deck.gl-LICENSE.txt
	cp build/vendor/axe/axe.min.js tests/e2e/vendor/axe-$(AXE_VERSION).min.js
	cp build/vendor/axe/LICENSE tests/e2e/vendor/axe-LICENSE.txt
	rm -rf build/vendor

clean:
	rm -rf $(VENV) tests/artifacts .pytest_cache .ruff_cache
	find dashboard/static -name '*.json' -delete
	find dashboard/static -maxdepth 1 -name 'live-view-*.js' -delete
