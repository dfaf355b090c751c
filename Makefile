# The partnership system. Two commands set up a fresh machine:
#   make demo   install the runtime, build, migrate, load the demo partnership, serve on http://127.0.0.1:8000
#   make test   install the runtime and the development tools, run the whole test suite (SQLite + DuckDB)
# and `make test-postgres` runs the suite again on a throw-away PostgreSQL server. Both draw the same examples
# in their property-based tests every run (tests/profiles.py); `make fuzz-hunt` draws new ones.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
DEMO_ENV = DEMO=1 SECRET_KEY="$$(cat var/secret_key)"
PYTEST_ARGS ?=
# The suite runs on both cores (pytest-xdist; each worker has its own test database and temporary folders), which
# halves its time; TEST_WORKERS=0 runs it in one process, e.g. with PYTEST_ARGS="-x --pdb".
TEST_WORKERS ?= 2
PYTEST := $(PY) -m pytest -n $(TEST_WORKERS) --durations=25

.PHONY: demo test test-postgres test-spark lint fuzz-hunt install install-dev spark assets serve serve-production clean

# One venv, synced to exactly one lock at a time: requirements.lock (what the service imports) for the demo and
# production, requirements-dev.lock (the same pins plus the test, load, fuzz and audit tools) for the tests. uv pip
# sync removes whatever the lock does not name, and each sync removes the other lock's stamp, so switching between
# `make demo` and `make test` re-syncs and never leaves the other lock's packages behind.
RUNTIME_INSTALLED := $(VENV)/.installed-runtime
DEV_INSTALLED := $(VENV)/.installed-dev
SPARK_INSTALLED := $(VENV)/.installed-spark
define sync-venv
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	rm -f $(RUNTIME_INSTALLED) $(DEV_INSTALLED) $(SPARK_INSTALLED) $(VENV)/.installed
	$(VENV)/bin/uv pip sync -q --compile-bytecode --python $(PY) $(1)
	touch $@
endef

$(RUNTIME_INSTALLED): requirements.lock
	$(call sync-venv,requirements.lock)

$(DEV_INSTALLED): requirements-dev.lock requirements.lock
	$(call sync-venv,requirements-dev.lock)

# The spark extra (ADR 0030): the development lock's pins plus PySpark and Polars, for `indicators --backend spark`,
# the Spark parity tests and the national side-by-side benchmark. Never part of the web service's lock.
$(SPARK_INSTALLED): requirements-spark.lock requirements-dev.lock requirements.lock
	$(call sync-venv,requirements-spark.lock)

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

frontend/build/.built: node_modules/.installed frontend/build.mjs $(wildcard frontend/scss/*.scss frontend/js/* frontend/images/*)
	npm run --silent build
	touch $@

install: $(RUNTIME_INSTALLED) frontend/build/.built   # the runtime only, as in production (docs/deployment.md)

install-dev: $(DEV_INSTALLED) frontend/build/.built   # with the development tools, for the tests

spark: $(SPARK_INSTALLED) frontend/build/.built   # the development tools and the spark extra (Java 17 checked)
	scripts/ensure-debian-packages spark

assets: frontend/build/.built

var/secret_key:
	mkdir -p var
	$(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@
	chmod 600 $@

demo: install var/secret_key
	scripts/ensure-debian-packages
	$(DEMO_ENV) $(PY) manage.py migrate --noinput -v0
	$(DEMO_ENV) $(PY) manage.py collectstatic --noinput -v0
	$(DEMO_ENV) $(PY) manage.py load_demo --returns
	@echo "Serving on http://127.0.0.1:8000 with the import worker (Ctrl+C to stop)"
	$(DEMO_ENV) scripts/serve-demo

test: install-dev
	scripts/ensure-debian-packages
	$(PYTEST) $(PYTEST_ARGS)

# The tests marked `spark` (pytest.ini deselects them elsewhere): the engine on Spark in local mode against DuckDB.
# One process: the tests share one Spark session (tests/spark).
test-spark: spark
	$(PY) -m pytest -n 0 --durations=10 -m spark $(PYTEST_ARGS)

lint: $(DEV_INSTALLED)   # ruff's pyflakes rules (ruff.toml): unused imports and variables, undefined names
	$(VENV)/bin/ruff check .

test-postgres: install-dev
	scripts/ensure-debian-packages
	scripts/with-postgres $(PYTEST) $(PYTEST_ARGS)

# The property-based tests (hypothesis; schemathesis on the API) as a random hunt: new examples every run, and
# more of them, where `make test` and .ci/run draw the same ones every run so that a commit's result never
# changes. The report header gives the schemathesis seed (FUZZ_SEED=N repeats it), a failure its blob
# (@reproduce_failure). Nothing is kept between runs. The time grows with FUZZ_EXAMPLES: tests/fuzz takes about
# 3 minutes at make test's 15 per form. E.g. `make fuzz-hunt FUZZ_EXAMPLES=1000`.
FUZZ_EXAMPLES ?= 100
HUNT_TESTS ?= tests/fuzz tests/returns/test_robustness.py tests/benchmarks/test_import.py tests/test_empty_year.py
fuzz-hunt: install-dev
	scripts/ensure-debian-packages
	HYPOTHESIS_PROFILE=hunt FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest $(HUNT_TESTS) $(PYTEST_ARGS)

serve-production: install var/secret_key   # as in production, on loopback (deploy/ has nginx and systemd)
	scripts/serve-production

# Load test (issue 8, point 2): locust against gunicorn + the task worker on loopback, on a fresh demo instance
# per database: throw-away PostgreSQL at 10, 50 and 100 users (one after another), SQLite at 10. Both always run;
# the target fails if either saw a failed request or a server error. Figures: docs/benchmarks.md, "Load".
LOAD_OUT ?= var/load-test
LOAD_SECONDS ?= 180
.PHONY: load-test
load-test: install-dev
	scripts/ensure-debian-packages
	status=0; \
	$(PY) perf/load/run.py --db postgres --users 10,50,100 --duration $(LOAD_SECONDS) --out $(LOAD_OUT) || status=1; \
	$(PY) perf/load/run.py --db sqlite --users 10 --duration $(LOAD_SECONDS) --out $(LOAD_OUT) || status=1; \
	exit $$status

clean:
	rm -rf $(VENV) node_modules frontend/build var
