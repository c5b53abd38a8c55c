# Mekenjai: everyday commands. `make help` lists them.
#
#   make run            the portal in demo mode on http://$(HOST):$(PORT)/
#   make test           the whole test suite (SQLite + real Chromium browser tests)
#   make test-postgres  the unit, integration and web tests against a throwaway PostgreSQL server
#   make clean          forget install stamps, the local database and test artefacts

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# Modules, not the venv's console scripts: those carry the absolute path of the venv that
# made them in their first line, and break when the checkout moves.
FLASK := $(BIN)/python -m flask --app wsgi
PYBABEL := $(BIN)/python -m babel.messages.frontend
CHROMIUM := /usr/bin/chromium
REDIS_SERVER := /usr/bin/redis-server
NGINX := /usr/sbin/nginx
AXE := node_modules/axe-core/axe.min.js
VNU := node_modules/vnu-jar/build/dist/vnu.jar
PYTEST_ARGS ?=
# pytest-xdist: one worker per core, a test file kept on one worker (module fixtures such as the
# ЭЦП stand-ins are made once). Each worker has its own databases, Redis and live servers
# (tests/conftest.py, tests/support/redis_server.py, tests/browser/conftest.py).
# PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= auto
PYTEST_XDIST := -n $(PYTEST_WORKERS) --dist loadfile
# The throwaway PostgreSQL's files: one folder per checkout, so two clones on one machine
# can run `make test-postgres` at the same time (the script's own default is /tmp/mekenjai-pg).
ifndef MEKENJAI_PG_DIR
MEKENJAI_PG_DIR := /tmp/mekenjai-pg-$(shell printf '%s' '$(CURDIR)' | cksum | cut -d' ' -f1)
endif
export MEKENJAI_PG_DIR

export PIP_DISABLE_PIP_VERSION_CHECK := 1
export DEBIAN_FRONTEND := noninteractive

.PHONY: help run test test-postgres catalogues chromium redis nginx java speech clean lint bench bench-queue \
	bench-speech bench-address prod-shape prod-shape-stop load lighthouse

help:
	@echo "make run            install, migrate, seed the demo registries, serve on http://$(HOST):$(PORT)/ (PORTAL_DEMO=1) with the SMS worker beside it"
	@echo "make test           install test tools (Chromium, redis-server, Java, axe-core, vnu-jar) and run the whole suite"
	@echo "make test-postgres  run tests/unit, tests/integration and tests/web against a throwaway PostgreSQL"
	@echo "make bench          page weight, throughput and p95 per page vs a bare Flask page, sign-in with a slow SMS provider (docs/BENCHMARKS.md)"
	@echo "make bench-queue    housing lists at 10 k/100 k/1 M entries in 3 and 300 lists on SQLite and PostgreSQL (docs/BENCHMARKS.md §5)"
	@echo "make bench-address  address search over 1 M addresses on SQLite and PostgreSQL (docs/BENCHMARKS.md §6)"
	@echo "make prod-shape     start the production shape on loopback (nginx, 2 app servers, PostgreSQL, Redis)"
	@echo "make prod-shape-stop stop it"
	@echo "make load           the load-and-fault proof on its own shape (bench/results/load-and-fault.md)"
	@echo "make lighthouse     Lighthouse (mobile) on the three heaviest citizen pages"
	@echo "make bench-speech   kiosk speech: synthesis time per page and the cache's size (docs/BENCHMARKS.md)"
	@echo "make clean          remove install stamps, instance/ and test-artifacts/"

# --- Python environment -------------------------------------------------------------------
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml changes (the package itself is installed editable).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e '.[test]'
	touch $@

# The .mo files are not committed: compile them from translations/*/LC_MESSAGES/messages.po.
catalogues: | $(BIN)/python
	$(PYBABEL) compile -d translations -f

# --- Browser test tools ---------------------------------------------------------------------
# Debian's Chromium (Playwright's own browser download cannot work here) and fonts with
# Cyrillic and Kazakh glyphs.
chromium:
	@if [ -x $(CHROMIUM) ] && [ -d /usr/share/fonts/truetype/liberation ]; then exit 0; fi; \
	if [ "$$(id -u)" -ne 0 ]; then \
	  echo "error: the browser tests need Debian's chromium at $(CHROMIUM) and fonts-liberation." >&2; \
	  echo "       Install them as root: apt-get update && apt-get install -y chromium fonts-liberation" >&2; \
	  exit 1; \
	fi; \
	echo "Installing Debian's chromium and fonts-liberation"; \
	apt-get update; \
	apt-get install -y chromium fonts-liberation; \
	test -x $(CHROMIUM)

# Debian's redis-server: the tests start their own (tests/support/redis_server.py) to check rate
# limits and sessions shared by several app instances, as production keeps them in Redis.
redis:
	@if [ -x $(REDIS_SERVER) ]; then exit 0; fi; \
	if [ "$$(id -u)" -ne 0 ]; then \
	  echo "error: the tests need Debian's redis-server at $(REDIS_SERVER)." >&2; \
	  echo "       Install it as root: apt-get update && apt-get install -y redis-server" >&2; \
	  exit 1; \
	fi; \
	echo "Installing Debian's redis-server"; \
	apt-get update; \
	apt-get install -y --no-install-recommends redis-server; \
	test -x $(REDIS_SERVER)

# Debian's nginx: tests/integration/test_nginx_upstream.py runs deploy/nginx.conf in front of two
# stand-in app servers (how a database outage's 503 must pass through without taking both out).
nginx:
	@if [ -x $(NGINX) ]; then exit 0; fi; \
	if [ "$$(id -u)" -ne 0 ]; then \
	  echo "error: the tests need Debian's nginx at $(NGINX)." >&2; \
	  echo "       Install it as root: apt-get update && apt-get install -y nginx" >&2; \
	  exit 1; \
	fi; \
	echo "Installing Debian's nginx"; \
	apt-get update; \
	apt-get install -y --no-install-recommends nginx; \
	test -x $(NGINX)

# Java for the Nu HTML checker (vnu-jar, tests/web/test_html_validity.py): Debian's headless JRE.
java:
	@if command -v java >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" -ne 0 ]; then \
	  echo "error: the Nu HTML checker needs Java: apt-get install -y default-jre-headless (as root)" >&2; \
	  exit 1; \
	fi; \
	echo "Installing Debian's default-jre-headless"; \
	apt-get update; \
	apt-get install -y --no-install-recommends default-jre-headless; \
	command -v java >/dev/null

# The kiosks' spoken pages (kiosk/speech.py): Debian's espeak-ng (Kazakh, Russian, English voices)
# and opusenc (Ogg Opus, which Chromium plays). Without root it only warns: the portal runs, the
# kiosks show no Listen control.
speech:
	@if command -v espeak-ng >/dev/null && command -v opusenc >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" -ne 0 ]; then \
	  echo "warning: kiosk speech is off: apt-get install -y espeak-ng opus-tools (as root)" >&2; \
	  exit 0; \
	fi; \
	echo "Installing Debian's espeak-ng and opus-tools"; \
	apt-get update; \
	apt-get install -y --no-install-recommends espeak-ng opus-tools

# axe-core and the Nu HTML checker (vnu-jar), pinned by package.json + package-lock.json, into
# node_modules/ (git-ignored).
$(VNU): $(AXE)
	test -f $@ || npm ci --no-audit --no-fund --update-notifier=false --loglevel=error
	test -f $@ && touch $@

$(AXE): package.json package-lock.json
	@command -v npm >/dev/null || { \
	  if [ "$$(id -u)" -eq 0 ]; then apt-get update && apt-get install -y npm; \
	  else echo "error: npm is needed to fetch axe-core (apt-get install npm)" >&2; exit 1; fi; }
	npm ci --no-audit --no-fund --update-notifier=false --loglevel=error
	test -f $@ && touch $@

# --- Targets --------------------------------------------------------------------------------
run: $(VENV)/.installed catalogues speech
	$(FLASK) db upgrade
	$(FLASK) demo seed
# The SMS worker beside the server (a web request only commits its SMS to the outbox), as
# its own process like in production; stopped with the server, however that ends.
	export PORTAL_DEMO=1 PORTAL_ECP_TRUST_DIR="$${PORTAL_ECP_TRUST_DIR:-demo/ecp-trust}" PORTAL_PUBLIC_URL="$${PORTAL_PUBLIC_URL:-http://$(HOST):$(PORT)}"; \
	$(FLASK) sms worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null || true' EXIT; \
	$(FLASK) run --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-test catalogues chromium redis nginx java speech $(AXE) $(VNU) lint
	$(BIN)/python -m pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

# Ruff: pyflakes, pycodestyle, import order, bugbear, no print(), complexity (pyproject.toml).
lint: $(VENV)/.installed-test
	$(BIN)/python -m ruff check portal kiosk demo_registries tests bench wsgi.py
	$(BIN)/lint-imports --no-cache

# The server is stopped whatever happens; the recipe's status is pytest's.
test-postgres: $(VENV)/.installed-test catalogues redis nginx
	@url="$$(scripts/pg-test-server.sh start)"; \
	trap 'scripts/pg-test-server.sh stop' EXIT; \
	trap 'exit 130' INT TERM; \
	echo "PORTAL_TEST_DATABASE_URL=$$url"; \
	PORTAL_TEST_DATABASE_URL="$$url" $(BIN)/python -m pytest tests/unit tests/integration tests/web -m "not browser" $(PYTEST_XDIST) $(PYTEST_ARGS)

# Budgets from DESIGN.md, measured here and written into docs/BENCHMARKS.md (never a pass/fail
# unit test). The fixed-rate client (aiohttp) lives in bench/load/.venv, made by $(LOAD_VENV).
LOAD_VENV := bench/load/.venv/.installed
$(LOAD_VENV): bench/load/requirements.txt
	$(PYTHON) -m venv bench/load/.venv
	bench/load/.venv/bin/python -m pip install -q -r bench/load/requirements.txt
	touch $@

bench: $(VENV)/.installed-test catalogues redis $(LOAD_VENV)
	@command -v wrk >/dev/null || { \
	  if [ "$$(id -u)" -eq 0 ]; then apt-get update && apt-get install -y wrk; \
	  else echo "error: bench/throughput.py needs wrk (apt-get install wrk)" >&2; exit 1; fi; }
	$(BIN)/python bench/page_weight.py
	$(BIN)/python bench/throughput.py --write
	$(BIN)/python bench/slow_provider.py --write

# A benchmark at scale on both engines: $(1) the script, $(2) its throwaway PostgreSQL's name,
# $(3) the BENCHMARKS.md section's heading, $(4) the script's runs (arguments, one word each, as
# "--lists=3 --lists=300"; none: one run). SQLite first, then a PostgreSQL of its own (stopped
# whatever happens); both runs put at the end of that section (bench/record.py) with the
# machine, the date and the load.
define bench_both_engines
	@out="$$(mktemp -d)"; export MEKENJAI_PG_DIR="$(MEKENJAI_PG_DIR)-$(2)" MEKENJAI_PG_DB=bench; \
	trap 'scripts/pg-test-server.sh stop; rm -rf "$$out"' EXIT; trap 'exit 130' INT TERM; \
	for run in $(or $(4),""); do env -u PORTAL_DATABASE_URL $(BIN)/python $(1) $$run \
	  | tee -a "$$out/sqlite" || exit 1; done; \
	url="$$(scripts/pg-test-server.sh start)"; \
	for run in $(or $(4),""); do PORTAL_DATABASE_URL="$$url" $(BIN)/python $(1) $$run \
	  | tee -a "$$out/postgresql" || exit 1; done; \
	{ printf '### `make %s`, %s\n\nMachine: %s cores,%s; load average %s.\n\n```\n' \
	    "$@" "$$(date -u '+%Y-%m-%d %H:%M UTC')" "$$(nproc)" \
	    "$$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)" "$$(cut -d' ' -f1-3 /proc/loadavg)"; \
	  cat "$$out/sqlite" "$$out/postgresql"; printf '```\n'; } | $(BIN)/python bench/record.py '$(3)'
endef

# Housing lists at scale (issue 8): bench/housing_queue.py in 3 lists (~333,000 entries a list
# at 1 M) and in 300 lists (issue 24), docs/BENCHMARKS.md §5.
bench-queue: $(VENV)/.installed-test catalogues
	$(call bench_both_engines,bench/housing_queue.py,bench,## 5. Housing queue at scale (issue 8),--lists=3 --lists=300)

# The address search at scale: bench/address_search.py (1 M addresses, FTS5 trigram on SQLite,
# pg_trgm on PostgreSQL), docs/BENCHMARKS.md §6.
bench-address: $(VENV)/.installed-test catalogues
	$(call bench_both_engines,bench/address_search.py,address,## 6. Address search at scale (issue "Beyond the state portals"))

# Kiosk speech (docs/BENCHMARKS.md §7): every kiosk page's words synthesised uncached, in kk/ru/en.
bench-speech: $(VENV)/.installed-test catalogues speech
	$(BIN)/python bench/kiosk_speech.py

# The production shape on loopback (scripts/prod-shape.sh: PostgreSQL, Redis, two gunicorn app
# servers, nginx in front, the periodic jobs); `make prod-shape-stop` stops all of it.
prod-shape: $(VENV)/.installed catalogues redis
	scripts/prod-shape.sh start

prod-shape-stop:
	scripts/prod-shape.sh stop

# Load and faults on a shape of its own (makes bench/load/.venv itself; stops what it started).
load: $(VENV)/.installed-test catalogues redis
	scripts/load-and-fault.sh

lighthouse: $(VENV)/.installed catalogues redis $(LOAD_VENV)
	bench/lighthouse/run.sh

clean:
	rm -f $(VENV)/.installed $(VENV)/.installed-test
	rm -rf instance test-artifacts
