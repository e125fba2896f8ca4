# The two commands of the README: `make site` and `make test`. Both set up
# everything from nothing: the virtual environment from the pinned lock file,
# and the Debian packages the site tests and posters need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CONTENT ?= content
AS_OF ?= $(shell date +%F)

.PHONY: site test validate check serve lock system-deps clean

site: $(VENV)/.installed
	$(BIN)/gongkai build $(CONTENT) --as-of $(AS_OF) --out site

test: $(VENV)/.installed system-deps
	$(BIN)/python -m pytest

validate: $(VENV)/.installed
	$(BIN)/gongkai validate $(CONTENT)

system-deps:
	bash scripts/system-deps.sh

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

# Re-pin after changing pyproject.toml's dependencies.
lock: $(VENV)/.installed
	$(BIN)/pip install --quiet 'setuptools>=70' -e '.[test]'  # older setuptools cannot build an editable install alone
	$(BIN)/pip freeze --exclude-editable --all | grep -v '^pip==' > requirements.lock

clean:
	rm -rf site build .gongkai-staging-*
