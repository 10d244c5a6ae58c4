# ExecSponsor — the two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ESP := $(BIN)/esp
STAMP := $(VENV)/.installed
STATIC_STAMP := src/execsponsor/static/vendor/.installed

.PHONY: setup demo test test-unit test-e2e lint bench clean serve

setup: $(STAMP) $(STATIC_STAMP)
	@$(ESP) init

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check uv==0.13.9
	@$(BIN)/uv pip sync -q --compile-bytecode --python $(BIN)/python requirements.lock
	@$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	@$(BIN)/python -m compileall -q src
	@touch $@

$(STATIC_STAMP): package.json package-lock.json
	@npm ci --no-audit --no-fund --loglevel=error
	@mkdir -p src/execsponsor/static/vendor
	@cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js \
	    node_modules/htmx.org/dist/htmx.min.js node_modules/echarts/dist/echarts.min.js src/execsponsor/static/vendor/
	@mkdir -p src/execsponsor/static/vendor/swagger-ui
	@cp node_modules/swagger-ui-dist/swagger-ui.css node_modules/swagger-ui-dist/swagger-ui-bundle.js \
	    node_modules/swagger-ui-dist/LICENSE src/execsponsor/static/vendor/swagger-ui/
	@touch $@

demo: setup
	$(ESP) demo --keep

serve: setup
	$(ESP) serve

lint: $(STAMP)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

test: setup lint
	$(BIN)/python scripts/run_tests.py

bench: setup
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) node_modules src/execsponsor/static/vendor var
