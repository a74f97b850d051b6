# The two set-up commands of the README: `make run` and `make test` (lint, types, tests, and the
# figures check: the quality figures the docs quote, re-measured). Both create .venv and install
# what is needed first (only when pyproject.toml changed since the last install).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install browser figures check-figures train

run: install
	$(PY) -m qa serve

test: install browser
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(PY) -m pytest
	$(PY) benchmarks/check_figures.py

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,milvus]'
	touch $(STAMP)

# Headless Chromium for the browser tests (Debian's package; Playwright's own download is not used).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; \
	} || echo "warning: could not install chromium; the browser tests will be skipped"

# Re-measure every figure the README quotes (evaluation of every test set + speed benchmarks) and
# rewrite docs/figures.md, docs/figures/ and the README's figures block.
figures: install
	$(PY) benchmarks/regenerate_figures.py

# Re-measure the quality figures and compare them with the committed ones (writes nothing; fails
# naming each figure that moved). Latency and speed are not compared.
check-figures: install
	$(PY) benchmarks/check_figures.py

# Retrain the reader's two learned models from ../shared/benchmarks and the news development set, and
# print their figures on the held-out half of the articles: the sentence ranker (qa/reader/ranker.npz;
# training/train_ranker.py, about 25 minutes on 2 cores), then the answerability model
# (qa/reader/abstention.json; training/train_abstention.py, which reads with the new ranker; about
# half an hour the first time, most of it indexing the benchmark corpora).
train: install
	$(PY) -m training.train_ranker --write
	$(PY) -m training.train_abstention --write
