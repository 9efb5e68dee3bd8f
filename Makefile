# zhifa — two commands do all set-up on a fresh machine:
#   make demo   build and start the platform with a demo county on SQLite
#   make test   run the whole test suite (SQLite, then PostgreSQL when one is reachable)
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/zhifa
PYTEST_WORKERS ?= 2
export ZHIFA_DATA_DIR ?= $(CURDIR)/var

.PHONY: demo test test-fast install install-test assets system-deps system-test-deps lint serve clean

# The install steps say what they do in Chinese (a county trying the demo reads this first); errors still show.
$(BIN)/python:
	@echo "创建 Python 虚拟环境（$(VENV)）…"
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install --quiet --disable-pip-version-check uv==0.13.9

# The lock files pin every package with its hashes (uv pip compile --generate-hashes: see their first lines);
# --require-hashes refuses a download that does not match them.
$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	@echo "安装 Python 依赖…"
	@$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes -r requirements.lock
	@$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.lock
	@echo "安装测试依赖…"
	@$(BIN)/uv pip install --quiet --python $(BIN)/python --require-hashes -r requirements-test.lock
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Bootstrap, htmx, ECharts come from the npm registry and are served by zhifa itself (no CDN).
frontend/node_modules/.package-lock.json: frontend/package.json frontend/package-lock.json
	@echo "从 npm 安装前端资源…"
	@cd frontend && npm ci --no-audit --no-fund --loglevel=error --silent

assets: frontend/node_modules/.package-lock.json
	@bash scripts/vendor-assets.sh

CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
APT_INSTALL = SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); $$SUDO apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends

# The CJK font that document PDFs embed (Debian's fonts-noto-cjk): the demo renders documents, so both
# README commands install it.
system-deps:
	@if [ ! -e $(CJK_FONT) ]; then echo "安装中文字体 fonts-noto-cjk …"; $(APT_INSTALL) fonts-noto-cjk >/dev/null; fi
	@test -e $(CJK_FONT)

# Debian's chromium (never a test tool's own browser download) for the browser tests.
system-test-deps: system-deps
	@if ! command -v chromium >/dev/null; then $(APT_INSTALL) chromium >/dev/null; fi
	@command -v chromium >/dev/null

# AS_OF=YYYY-MM-DD builds the demo counties as they looked on that day (default: today). The background worker
# (zhifa worker: signing, sweeps, scans, verification, webhook outbox) runs beside the server and stops with it.
demo: install assets system-deps
	@$(BIN)/zhifa migrate --no-input -v0
	@$(BIN)/zhifa demo $(if $(AS_OF),--as-of $(AS_OF))
	@$(BIN)/zhifa serve --host $(HOST) --port $(PORT) --with-worker

serve: install assets system-deps
	@$(BIN)/zhifa serve --host $(HOST) --port $(PORT) --with-worker

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The suite runs on SQLite, then on PostgreSQL when reachable; on each, the browser tests (-m browser, Debian's
# chromium) run as a pytest call of their own after the rest.
# ZHIFA_TEST_POSTGRES=required turns a missing PostgreSQL into a failure (CI sets it).
# --dist loadfile hands out whole modules; --no-loadscope-reorder keeps the collection's order (zhifa.testing.plugin: slow
# modules first, the demo county's modules last, so each worker builds the demo county once).
# Bytecode is cached under .venv/pycache even where PYTHONDONTWRITEBYTECODE is set: otherwise every pytest worker
# and every process a test starts compiles Django, hypothesis, schemathesis and zhifa from source again.
test: export PYTHONDONTWRITEBYTECODE :=
test: export PYTHONPYCACHEPREFIX ?= $(CURDIR)/$(VENV)/pycache
test: install-test assets system-test-deps
	$(BIN)/ruff check .
	$(BIN)/python scripts/mypy-baseline.py
	$(BIN)/ruff format --check .
	cd src && ../$(BIN)/lint-imports --config ../pyproject.toml --no-cache
	$(BIN)/zhifa makemigrations --check --dry-run -v0
	@echo "== test suite on SQLite =="
	env -u ZHIFA_DATABASE_URL $(BIN)/pytest -m "not browser" -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder
	@echo "== browser tests on SQLite =="
	env -u ZHIFA_DATABASE_URL $(BIN)/pytest -m browser -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder
	@if $(BIN)/python scripts/pg_reachable.py "$(PG_URL)"; then \
		echo "== test suite on PostgreSQL =="; \
		ZHIFA_DATABASE_URL="$(PG_URL)" $(BIN)/pytest -m "not browser" -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder && \
		echo "== browser tests on PostgreSQL ==" && \
		ZHIFA_DATABASE_URL="$(PG_URL)" $(BIN)/pytest -m browser -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder; \
	elif [ "$$ZHIFA_TEST_POSTGRES" = required ]; then \
		echo "PostgreSQL is required (ZHIFA_TEST_POSTGRES=required) but not reachable at $(PG_URL)"; exit 1; \
	else \
		echo "PostgreSQL not reachable at $(PG_URL): skipped that leg (set ZHIFA_TEST_POSTGRES=required to fail)"; \
	fi

# A developer's quick run: ruff, and the SQLite leg without the browser tests and without the tests marked
# `slow` (the backup drill, schemathesis, the ledger processes, the demo builds, the crawl, the case state
# machine, all document PDFs). `make test` and CI run everything; SKIP_SLOW=1 does the same skip in any pytest call.
test-fast: export PYTHONDONTWRITEBYTECODE :=
test-fast: export PYTHONPYCACHEPREFIX ?= $(CURDIR)/$(VENV)/pycache
test-fast: install-test assets
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	cd src && ../$(BIN)/lint-imports --config ../pyproject.toml --no-cache
	SKIP_SLOW=1 env -u ZHIFA_DATABASE_URL $(BIN)/pytest -m "not browser" -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder

clean:
	rm -rf $(VENV) var frontend/node_modules src/zhifa/core/static/vendor
