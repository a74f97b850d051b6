# The two set-up commands of the README: `make run` and `make test`. Both create .venv and install
# what is needed first (only when pyproject.toml changed since the last install).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install browser figures bench

run: install
	$(PY) -m qa serve

test: install browser
	$(PY) -m pytest

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Headless Chromium for the browser tests (Debian's package; Playwright's own download is not used).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; \
	} || echo "warning: could not install chromium; the browser tests will be skipped"

# Re-measure every figure the README quotes (evaluation on both test sets + speed benchmarks).
figures: install
	$(PY) benchmarks/regenerate_figures.py

bench: install
	$(PY) benchmarks/bench_speed.py
