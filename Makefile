# Probierladen Kiosk — `make run` starts the demo kiosk, `make test` runs every check.
# Both work on a fresh machine: they create .venv, install the project and what the checks need.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PO := $(wildcard translations/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)

.PHONY: run test lint unit bench translations catalogues system-deps clean installer test-installer \
	hub-demo mutation

run: $(VENV)/.installed catalogues
	@packaging/system-deps.sh run
	$(BIN)/kiosk run

test: $(VENV)/.installed catalogues
	@packaging/system-deps.sh test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

# A city network on this machine: a throwaway PostgreSQL, the hub and two kiosk windows (A and
# B of one site; ARGS=--library adds C at another). Book on A, see it on B; Enter stops and
# starts the hub. Everything is deleted at the end.
hub-demo: $(VENV)/.installed catalogues
	@packaging/system-deps.sh run
	@packaging/system-deps.sh hub
	$(BIN)/python -m kiosk.tools.hub_demo $(ARGS)

# Ratios against baselines measured in the same run decide; absolute frame times are printed,
# and fail only with KIOSK_BENCH_STRICT=1 (on the terminal hardware, say).
bench: $(VENV)/.installed catalogues
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.bench

# Mutation testing of the core guarantees (bookings, triggers, suppression, session wipe, course
# checker, resume codes, PIN lockout); not part of `make test`: it takes a while. Prints the score
# and every survivor not explained in tests/mutation/EQUIVALENT.md; fails below 90 %.
mutation: $(VENV)/.installed catalogues
	$(BIN)/python -m pip install --quiet -e '.[mutation]'
	$(BIN)/python -m tests.mutation.run

# Extract marked strings into the template, merge it into every language, compile.
translations: $(VENV)/.installed
	$(BIN)/python -m kiosk.tools.catalogues update
	$(MAKE) catalogues

# Compiled catalogues are build products: rebuilt whenever a .po changes.
catalogues: $(MO)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/python -m kiosk.tools.catalogues compile $<

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,build,hub]'
	touch $@

system-deps:
	packaging/system-deps.sh test

# The bundle for terminals (packaging/kiosk.spec) and its archive in dist/, measured against a
# bare PySide6 app frozen in the same run: prints bundle_ratio and frozen_startup_ratio and fails
# when one misses its target (the bundle is complete either way).
installer: $(VENV)/.installed catalogues
	@packaging/system-deps.sh installer
	$(BIN)/python packaging/build.py

# Builds the bundle (without the startup timing) and tests it: contents, size, the frozen
# selftest and exports, the Linux session kit. CI runs it after `make test` (.ci/run).
test-installer: $(VENV)/.installed catalogues
	@packaging/system-deps.sh installer-test
	$(BIN)/python packaging/build.py --no-startup
	KIOSK_BUNDLE=dist/probierladen-kiosk QT_QPA_PLATFORM=offscreen \
		$(BIN)/pytest -p no:cacheprovider tests/packaging/test_installer.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache $(MO)
