# govscan: two commands do all the set-up on a fresh machine.
#   make run   create .venv, install, run the main job on the bundled demo (out/demo/)
#   make test  create .venv, install, set up the test services, run the test suite
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXTRAS ?= test,postgres

.PHONY: run test install services clean review-samples

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[$(EXTRAS)]"
	touch $(STAMP)

install: $(STAMP)

# The main job: generate the demo province, scan it, store it in SQLite, write the report.
run: $(STAMP)
	BIN=$(BIN) bash scripts/run-demo.sh

# A quick look at the editor's path on the bundled sample drafts.
review-samples: $(STAMP)
	$(BIN)/govscan review corpora/samples/*.txt corpora/samples/*.html; test $$? -le 1

# Test services: PostgreSQL (store tests) and Debian's chromium (browser test); needs root
# for apt. Without root the dependent tests are reported as skipped, with the reason.
services: $(STAMP)
	@if [ "$$(id -u)" = 0 ]; then \
	  PYTHON=$(BIN)/python bash scripts/ci-setup-web.sh && \
	  bash scripts/start-postgres.sh > $(VENV)/pg-url; \
	else echo "not root: skipping apt installs (postgres, chromium)"; fi

# The training extra (torch==2.13.0, CPU build, from the local disk) runs the model's
# training smoke test and the ONNX parity test.
TRAIN_STAMP := $(VENV)/.installed-train
$(TRAIN_STAMP): $(STAMP)
	$(BIN)/python -m pip install -q -e ".[$(EXTRAS),train]"
	touch $(TRAIN_STAMP)

test: $(STAMP) $(TRAIN_STAMP) services
	GOVSCAN_TEST_PG="$${GOVSCAN_TEST_PG:-$$(cat $(VENV)/pg-url 2>/dev/null)}" $(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) out
