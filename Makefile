# Makefile: build crmd and crmctl, run the stack, run the tests.
# `make run` / `make stop` / `make test` are the commands of the README.

PKGS	 = fcgi jansson libsodium lua5.4 hiredis libpq libqrencode libpng libexif libturbojpeg libzip expat xlsxwriter
CC	?= cc
WARN	 = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	   -Wwrite-strings -Wformat=2
ifeq ($(CI),true)
WARN	+= -Werror
endif
ifdef SANITIZE
SANFLAGS = -fsanitize=$(SANITIZE) -fno-omit-frame-pointer
B	?= build/san
endif
CFLAGS	?= -O2 -g
CFLAGS	+= -std=c11 -D_GNU_SOURCE $(WARN) $(SANFLAGS) \
	   $(shell pkg-config --cflags $(PKGS))
LDLIBS	 = $(shell pkg-config --libs $(PKGS)) -lm
LDFLAGS	+= $(SANFLAGS)
B	?= build
export CRM_BUILD = $(B)

# Modules shared by crmd, crmctl and the unit tests (reading order in README).
CORE	 = arena buf log i18n http json rules db cache auth config migrate reply session wf wf_customer wf_field wf_target wf_import idem pool qr img csv xlsx audit report
HANDLERS = router h_session h_health h_config h_documents h_customers h_files h_qr h_org h_import h_export h_reports
CORE_O	 = $(CORE:%=$(B)/%.o)
HAND_O	 = $(HANDLERS:%=$(B)/%.o)
UNITS	 = $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c))
FUZZERS	 = $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))

.PHONY: all web run stop test load unit fuzz fuzz-replay clean valgrind bench

all: $(B)/crmd $(B)/crmctl

$(B):
	mkdir -p $(B)

$(B)/%.o: fcgi/%.c fcgi/extern.h | $(B)
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/crmd: $(CORE_O) $(HAND_O) $(B)/server.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/crmctl: $(CORE_O) $(B)/crmctl.o
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# C unit tests (cmocka): tests/unit/test_NAME.c links every core module.
$(B)/test_%: tests/unit/test_%.c $(CORE_O) fcgi/extern.h | $(B)
	$(CC) $(CFLAGS) -Ifcgi -o $@ $< $(CORE_O) $(LDFLAGS) $(LDLIBS) \
	    $(shell pkg-config --libs cmocka)

unit: $(UNITS:%=$(B)/%)
	@rc=0; for t in $(UNITS); do ./$(B)/$$t || rc=1; done; exit $$rc

# libFuzzer targets, built with clang into their own folder.
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -g -O1 -Ifcgi \
	      -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all $(shell pkg-config --cflags $(PKGS))
FUZZ_SRC = fcgi/arena.c fcgi/buf.c fcgi/log.c fcgi/i18n.c fcgi/http.c fcgi/json.c fcgi/img.c fcgi/csv.c fcgi/xlsx.c
# Harnesses that need more of the core: FUZZ_EXTRA_<harness>.  The rule
# loader reaches most of the core (rules_check -> report.c -> cache.c ...),
# so its harness links all of it.
FUZZ_EXTRA_fuzz_qrtoken = fcgi/qr.c
FUZZ_EXTRA_fuzz_rules = $(filter-out $(FUZZ_SRC),$(CORE:%=fcgi/%.c))
FUZZ_EXTRA_fuzz_report = $(filter-out $(FUZZ_SRC),$(CORE:%=fcgi/%.c))
.SECONDEXPANSION:
$(B)/fuzz/%: tests/fuzz/%.c $(FUZZ_SRC) fcgi/extern.h $$(FUZZ_EXTRA_$$*)
	mkdir -p $(B)/fuzz
	clang $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_SRC) $(FUZZ_EXTRA_$*) $(LDLIBS)

fuzz-replay: $(FUZZERS:%=$(B)/fuzz/%)
	@rc=0; for f in $(FUZZERS); do \
	  ./$(B)/fuzz/$$f -runs=0 tests/fuzz/corpus/$$f >/dev/null 2>$(B)/fuzz/$$f.log \
	    && echo "ok - fuzz replay $$f" \
	    || { echo "not ok - fuzz replay $$f"; tail -20 $(B)/fuzz/$$f.log; rc=1; }; \
	done; exit $$rc

fuzz: $(FUZZERS:%=$(B)/fuzz/%)
	@for f in $(FUZZERS); do mkdir -p var/fuzz/$$f; \
	  ./$(B)/fuzz/$$f -max_total_time=$${FUZZ_SECONDS:-120} var/fuzz/$$f \
	    tests/fuzz/corpus/$$f || exit 1; done

# CRM_WEB_DIST: where the bundle goes (scripts/stack serves the same folder);
# separate folders let several checkouts or helpers build at once.
export CRM_WEB_DIST ?= $(CURDIR)/web/dist
web: $(CRM_WEB_DIST)/index.html

$(CRM_WEB_DIST)/index.html: $(shell find web/src web/index.html web/package.json web/vite.config.js 2>/dev/null)
	cd web && { [ -d node_modules ] && [ node_modules -nt package-lock.json ] || npm ci --no-audit --no-fund; } && npm run build

run:
	scripts/deps run
	$(MAKE) all web
	scripts/stack start

stop:
	scripts/stack stop

test:
	scripts/test

# The failure tests with two app servers, long form (20,000 POSTs a fault).
load:
	LOAD_N=$${LOAD_N:-20000} TEST_ONLY=load scripts/test

# Speed against this machine's ceilings (scripts/bench; BENCH_SCALE=1m).
$(B)/bare_fcgi: tests/load/bare_fcgi.c | $(B)
	$(CC) $(CFLAGS) -o $@ $< $(LDFLAGS) $(LDLIBS)

bench:
	scripts/bench

valgrind: $(UNITS:%=$(B)/%)
	@for t in $(UNITS); do valgrind --error-exitcode=1 --leak-check=full -q ./$(B)/$$t || exit 1; done

clean:
	rm -rf $(B) $(CRM_WEB_DIST)
