# Odlar's entry points. Each target installs the Debian packages it needs
# (as root; otherwise it prints the apt-get line), configures and builds.
#
#   make          build build/odlar
#   make run      analyse the bundled demo capture with the bundled rules
#   make test     unit tests, the Suricata regression suite, sanitizer and fuzz runs
#   make fuzz     run every libFuzzer harness for FUZZ_SECONDS each
#   make bench    throughput on a 1 GB corpus of real traffic, as multiples of a bare libpcap read
#   make install  odlar, odlarctl, /etc/odlar/odlar.yaml, the systemd unit, logrotate file and man page
#                 (PREFIX=/usr/local, SYSCONFDIR=/etc, DESTDIR= for staging)

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 15
VERIFY_DIR ?= $(CURDIR)/../shared/verify
PYTHON     ?= /usr/bin/python3
PREFIX     ?= /usr/local
SYSCONFDIR ?= /etc
LOCALSTATEDIR ?= /var
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system

.PHONY: all build run test unit pytest verify asan fuzz bench clean deps-build deps-test install

all: build

deps-build:
	@scripts/install-deps.sh build

deps-test:
	@scripts/install-deps.sh test

$(BUILD)/build.ninja:
	meson setup $(BUILD) -Dwerror=true --buildtype=debugoptimized

build: deps-build $(BUILD)/build.ninja
	ninja -C $(BUILD)

run: build
	@mkdir -p $(BUILD)/run
	@rm -f $(BUILD)/run/eve.json $(BUILD)/run/fast.log
	./$(BUILD)/odlar -r samples/demo.pcap -S rules/demo.rules -s rules/payment-data.rules -l $(BUILD)/run \
	    --set classification-file=rules/classification.config \
	    --set reference-config-file=rules/reference.config
	@$(PYTHON) scripts/summarize-eve.py $(BUILD)/run/eve.json
	@# sdp: the payment-data rules on a recorded checkout session (tests/regress/payment-http)
	@mkdir -p $(BUILD)/run/payment
	@rm -f $(BUILD)/run/payment/eve.json $(BUILD)/run/payment/fast.log
	@echo; echo "== rules/payment-data.rules on tests/regress/payment-http/input.pcap"
	@./$(BUILD)/odlar -k none -r tests/regress/payment-http/input.pcap -S rules/payment-data.rules \
	    -l $(BUILD)/run/payment --set classification-file=rules/classification.config 2>&1 | grep ' alerts$$'
	@$(PYTHON) scripts/summarize-sd-alerts.py $(BUILD)/run/payment/eve.json

unit: build
	meson test -C $(BUILD) --print-errorlogs

pytest: build
	ODLAR=$(CURDIR)/$(BUILD)/odlar $(PYTHON) -m pytest -q tests/verify tests/cli tests/payment tests/live tests/install

verify: build
	@if [ -d "$(VERIFY_DIR)/tests" ]; then \
	    $(PYTHON) tests/verify/run.py --odlar $(BUILD)/odlar --verify-dir $(VERIFY_DIR) \
	        --check-expected --regress @$(VERIFY_DIR)/CORE-DEV.txt; \
	else echo "verify: $(VERIFY_DIR) not found; Suricata regression suite skipped"; fi

$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false --buildtype=debug

asan: deps-test $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	    meson test -C $(ASAN_BUILD) --print-errorlogs
	@if [ -d "$(VERIFY_DIR)/tests" ]; then \
	    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	    $(PYTHON) tests/verify/run.py --odlar $(ASAN_BUILD)/odlar --verify-dir $(VERIFY_DIR) \
	        --outdir $(ASAN_BUILD)/verify-out --check-expected --regress @$(VERIFY_DIR)/CORE-DEV.txt; \
	fi

$(FUZZ_BUILD)/build.ninja:
	CC=clang meson setup $(FUZZ_BUILD) -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false --buildtype=debug

fuzz: deps-test $(FUZZ_BUILD)/build.ninja
	ninja -C $(FUZZ_BUILD)
	$(PYTHON) fuzz/make-seeds.py --verify-dir $(VERIFY_DIR) --out build/fuzz-seeds
	FUZZ_SEEDS=build/fuzz-seeds scripts/run-fuzzers.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

test: deps-test build unit pytest verify asan fuzz
	@echo "make test: all test stages passed"

bench: build
	@scripts/install-deps.sh bench
	bench/run.sh

# install: the configuration files are not overwritten when they exist
# (a changed odlar.yaml survives a re-install).
install: build
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SYSCONFDIR)/odlar $(DESTDIR)$(SYSCONFDIR)/default \
	    $(DESTDIR)$(SYSCONFDIR)/logrotate.d $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(SYSTEMDUNITDIR) \
	    $(DESTDIR)$(LOCALSTATEDIR)/lib/odlar/rules $(DESTDIR)$(LOCALSTATEDIR)/log/odlar
	install -m 0755 $(BUILD)/odlar $(BUILD)/odlarctl $(DESTDIR)$(BINDIR)/
	@for f in dist/odlar.yaml:odlar/odlar.yaml rules/classification.config:odlar/classification.config \
	          rules/reference.config:odlar/reference.config dist/odlar.default:default/odlar \
	          dist/odlar.logrotate:logrotate.d/odlar; do \
	    src=$${f%%:*}; dst=$(DESTDIR)$(SYSCONFDIR)/$${f#*:}; \
	    if [ -e "$$dst" ]; then echo "install: keeping $$dst"; else install -m 0644 "$$src" "$$dst"; fi; \
	done
	sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' dist/odlar.service.in \
	    > $(DESTDIR)$(SYSTEMDUNITDIR)/odlar.service
	chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/odlar.service
	install -m 0644 dist/odlar.8 $(DESTDIR)$(MANDIR)/man8/odlar.8
	ln -sf odlar.8 $(DESTDIR)$(MANDIR)/man8/odlarctl.8

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
