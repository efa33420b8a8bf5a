# slacklog: one binary, built from src/ with Debian's libraries via pkg-config.
#   make            ./slacklog (optimised, with debug info)
#   make san        build/san/slacklog with AddressSanitizer + UBSan
#   make check      the whole test suite (see tests/run)
#   make install    PREFIX=/usr/local: binary and man page
CC      ?= cc
PREFIX  ?= /usr/local
PKGS    := sqlite3 yajl libarchive zlib libmicrohttpd libcrypto libssl libcurl
OPT     ?= -O2 -g
WERROR  ?=
CFLAGS  += -std=c17 -D_GNU_SOURCE $(OPT) -Wall -Wextra $(WERROR) -Isrc $(shell pkg-config --cflags $(PKGS))
LDLIBS  += $(shell pkg-config --libs $(PKGS)) -lpthread -lm
B       ?= build/rel

MAIN    := src/slacklog.c
LIBSRC  := $(filter-out $(MAIN),$(wildcard src/*.c src/*/*.c))
LIBOBJ  := $(LIBSRC:%.c=$(B)/%.o)
# assets/* are compiled in as C arrays (scripts/embed-assets, src/web/assets.h)
ASSETS  := $(sort $(wildcard assets/*))
LIBOBJ  += $(B)/gen/assets-data.o
UNITSRC := $(wildcard tests/unit/t-*.c)
UNITBIN := $(UNITSRC:tests/unit/%.c=$(B)/tests/%)

all: slacklog

slacklog: $(B)/slacklog
	cp $< $@

$(B)/slacklog: $(B)/src/slacklog.o $(B)/libslacklog.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/libslacklog.a: $(LIBOBJ)
	rm -f $@ && ar rcs $@ $^

$(B)/%.o: %.c $(wildcard src/*.h src/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/gen/assets-data.c: $(ASSETS) scripts/embed-assets
	@mkdir -p $(dir $@)
	scripts/embed-assets $(ASSETS) >$@.tmp && mv $@.tmp $@

$(B)/gen/assets-data.o: $(B)/gen/assets-data.c src/web/assets.h
	$(CC) $(CFLAGS) -c -o $@ $<

$(B)/tests/%: tests/unit/%.c tests/unit/unit.h $(B)/libslacklog.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(B)/libslacklog.a $(LDLIBS)

units: $(UNITBIN)

san:
	$(MAKE) B=build/san OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" build/san/slacklog units-san

units-san: $(UNITSRC:tests/unit/%.c=build/san/tests/%)

check: slacklog
	tests/run

install: slacklog
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 slacklog $(DESTDIR)$(PREFIX)/bin/slacklog
	install -m 644 docs/slacklog.1 $(DESTDIR)$(PREFIX)/share/man/man1/slacklog.1

clean:
	rm -rf build slacklog

.PHONY: all units san units-san check install clean
.SECONDARY:

# libFuzzer targets (clang), one per parser of untrusted input: build/fuzz/fuzz-*.
# fuzz/smoke runs each for a minute (tests/run does, in the full mode);
# fuzz/run-long runs them for hours. See docs/RELIABILITY.md.
FUZZERS := fuzz-mrkdwn fuzz-blocks fuzz-day fuzz-evlog fuzz-query fuzz-url fuzz-zip fuzz-wsframe
fuzz:
	$(MAKE) B=build/fuzz CC=clang OPT="-O1 -g -fsanitize=address,undefined,fuzzer-no-link -fno-omit-frame-pointer" \
		$(FUZZERS:%=build/fuzz/%)

$(B)/fuzz-%: fuzz/fuzz-%.c fuzz/fuzz-mrkdwn.c $(wildcard fuzz/*.h) tests/unit/search-fixture.h $(B)/libslacklog.a
	$(CC) $(CFLAGS) -fsanitize=fuzzer -Ifuzz -Itests/unit -o $@ $< $(B)/libslacklog.a $(LDLIBS)

.PHONY: fuzz

# bench/render.c: render throughput on the fixtures (see BENCHMARKS.md).
bench-render: $(B)/bench-render
	$(B)/bench-render

$(B)/bench-render: bench/render.c $(B)/libslacklog.a
	$(CC) $(CFLAGS) -o $@ $< $(B)/libslacklog.a $(LDLIBS)

.PHONY: bench-render
