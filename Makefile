# The two commands a newcomer needs: `make run` and `make test`. Both are idempotent.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: run test lint unit e2e screens install install-test browser messages check-deploy bench bench-load bench-pages bench-outreach clean \
	cluster cluster-stop cluster-test cluster-deps bench-cluster

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Re-install only when the dependency list changes.
$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --noinput
	HOST=$(HOST) PORT=$(PORT) $(PY) manage.py load_demo
	HOST=$(HOST) PORT=$(PORT) ./scripts/serve-dev

# Chromium and a Chinese font from Debian's packages, when they are missing.
browser:
	@command -v chromium >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "wenquanyi\|wqy" || { \
	  echo "Installing Chromium, a Chinese font and pdftoppm from Debian's packages..."; \
	  SUDO=$$(command -v sudo >/dev/null 2>&1 && [ "$$(id -u)" != 0 ] && echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-wqy-microhei poppler-utils >/dev/null; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run
	$(MAKE) --no-print-directory check-deploy

check-deploy: install
	DJANGO_SETTINGS_MODULE=servicehall.settings.production \
	DJANGO_SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	FIELD_ENCRYPTION_KEYS=check:$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	DJANGO_ALLOWED_HOSTS=hall.example.gov.cn \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} \
	$(PY) manage.py check --deploy --fail-level WARNING

# Browser tests flush the database between tests (live server), so they run in their own
# pytest session after the unit and HTTP tests, each with a fresh test database.
test: install browser lint
	$(BIN)/pytest -n $${PYTEST_WORKERS:-2} -m "not e2e"
	$(BIN)/pytest -n $${PYTEST_WORKERS:-2} --dist loadfile -m e2e

unit: install
	$(BIN)/pytest -n $${PYTEST_WORKERS:-2} -m "not e2e"

e2e: install browser
	$(BIN)/pytest -n $${PYTEST_WORKERS:-2} --dist loadfile -m e2e

# Run the browser journeys and save the screenshots of the main screens to docs/screens/.
screens: install browser
	HALL_SCREENSHOTS=1 $(BIN)/pytest -n $${PYTEST_WORKERS:-2} --dist loadfile -m e2e

# The September peak over HTTP (bench/load_september.py): locust against granian on PostgreSQL.
# USERS, DURATION and WORKERS as arguments: make bench-load USERS=300 DURATION=120s
bench-load: install
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test,load]'
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(PY) bench/load_september.py $${USERS:-200} $${DURATION:-90s} $${WORKERS:-2}

# The September peak page by page (bench/pages.py): wrk against granian on PostgreSQL, each page's
# rate as a share of the bare page's, with APPLICATIONS applicants in the database; exits non-zero
# below issue 16's goal. Installs wrk from Debian's packages when missing.
bench-pages: install
	@command -v wrk >/dev/null 2>&1 || { \
	  SUDO=$$(command -v sudo >/dev/null 2>&1 && [ "$$(id -u)" != 0 ] && echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; }
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(PY) bench/pages.py $${APPLICATIONS:-100000}

# 政策找人 at Jiangsu's scale (bench/outreach_matching.py): 660,000 graduates matched against
# 1,000,000 registry rows in one background run, against PostgreSQL's COPY of the same rows, with
# Python's memory flat; exits non-zero below issue 20's goal. SCALE=0.1 for a quick run.
bench-outreach: install
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(PY) bench/outreach_matching.py --scale=$${SCALE:-1}

# --- Beyond one machine (docs/deployment.md): the hall as a province runs it, on 127.0.0.1 ---
# nginx on 8080 before two granian nodes, two RQ workers, two schedulers, and the cluster's own
# Redis, PgBouncer and S3 endpoint (moto's server), its own database on the machine's PostgreSQL.
CLUSTER := $(PY) scripts/cluster.py

# nginx, PgBouncer, Redis and wrk from Debian's packages, when they are missing.
cluster-deps:
	@command -v nginx >/dev/null 2>&1 && command -v pgbouncer >/dev/null 2>&1 && \
	  command -v redis-server >/dev/null 2>&1 && command -v wrk >/dev/null 2>&1 || { \
	  echo "Installing nginx, PgBouncer, Redis and wrk from Debian's packages..."; \
	  SUDO=$$(command -v sudo >/dev/null 2>&1 && [ "$$(id -u)" != 0 ] && echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    nginx pgbouncer redis-server wrk >/dev/null; }

cluster: install cluster-deps
	$(CLUSTER) start

cluster-stop:
	$(CLUSTER) stop

# Start the cluster on an empty database, run the cluster tests against it, stop it (whatever
# the tests said).
cluster-test: install cluster-deps
	$(CLUSTER) stop
	$(CLUSTER) start --fresh
	HALL_CLUSTER_TESTS=1 $(BIN)/pytest -p no:django -p no:xdist -v tests/cluster; \
	  status=$$?; $(CLUSTER) stop; exit $$status

# The September pages through the running cluster: one node alone, then nginx over both nodes.
bench-cluster: install cluster-deps
	$(PY) bench/cluster_pages.py --seconds=$${SECONDS:-8} --connections=$${CONNECTIONS:-64}

# Collect the hall's strings and compile the translations (needs GNU gettext).
messages: install
	$(PY) manage.py makemessages -l en --no-obsolete --no-location --no-wrap \
	  -i '.venv/*' -i 'tests/*' -i 'bench/*' -i 'docs/*' -i 'var/*' -i 'media/*' \
	  -i 'staticfiles/*' -i 'build/*' -i 'test-results/*' -i '*.egg-info/*' \
	  -i 'constraints.txt' -i 'conftest.py' -i 'devprovider/*'
	$(PY) manage.py compilemessages -l en -i .venv

clean:
	rm -rf $(VENV) var staticfiles
