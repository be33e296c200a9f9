# Makefile -- the README's two commands (`make play`, `make test`), a thin layer over CMake
BUILD ?= build
SAN_BUILD ?= build-sanitize
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all deps deps-test build play test check test-sanitize fuzz install package windows clean format

all: build

deps:
	@scripts/deps.sh build

deps-test:
	@scripts/deps.sh test

# Players build without -Werror (a newer compiler's new warning must not stop the game);
# the test targets build with it.
build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNINE43_WERROR=OFF $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)

# Set up, build and start the game.
play: build
	./$(BUILD)/nine43

# Everything CI runs: the suite, the suite again under ASan+UBSan, and the fuzzer; then one
# closing line that adds up both suites.
test: deps-test check test-sanitize fuzz
	@scripts/test-summary.sh $(BUILD)/ctest.log $(SAN_BUILD)/ctest.log

# The suite once, in the normal build.
check: deps-test
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNINE43_WERROR=ON $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --output-log ctest.log

test-sanitize: deps-test
	cmake -S . -B $(SAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DNINE43_WERROR=ON -DNINE43_SANITIZE=ON $(CMAKE_FLAGS)
	cmake --build $(SAN_BUILD) -j $(JOBS)
	cd $(SAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --output-on-failure -j $(JOBS) --output-log ctest.log

# FUZZ_SECONDS is shared out: two fifths to the line reader and decoder (with -len_control=0, so
# that inputs past the 16 KiB line limit come at once), three tenths to the client's scenes, a
# fifth to the replay reader and its re-simulation, a tenth to the username rules. A longer run:
# `make fuzz FUZZ_SECONDS=3600`.
fuzz: deps-test
	CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNINE43_FUZZ=ON \
		-DNINE43_BUILD_CLIENT=OFF -DNINE43_BUILD_SERVER=OFF -DNINE43_BUILD_BOT=OFF -DNINE43_BUILD_TESTS=OFF
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_proto fuzz_username fuzz_client fuzz_replay
	mkdir -p $(FUZZ_BUILD)/corpus $(FUZZ_BUILD)/corpus_username $(FUZZ_BUILD)/corpus_client \
		$(FUZZ_BUILD)/corpus_replay
	./$(FUZZ_BUILD)/fuzz_proto -max_total_time=$$(( $(FUZZ_SECONDS) * 2 / 5 )) -max_len=40000 -len_control=0 \
		-dict=tests/fuzz/proto.dict $(FUZZ_BUILD)/corpus tests/fuzz/corpus
	./$(FUZZ_BUILD)/fuzz_client -max_total_time=$$(( $(FUZZ_SECONDS) * 3 / 10 )) -max_len=40000 -rss_limit_mb=1024 \
		-dict=tests/fuzz/proto.dict $(FUZZ_BUILD)/corpus_client tests/fuzz/corpus_client
	./$(FUZZ_BUILD)/fuzz_replay -max_total_time=$$(( $(FUZZ_SECONDS) / 5 )) -max_len=8192 \
		$(FUZZ_BUILD)/corpus_replay tests/fuzz/corpus_replay
	./$(FUZZ_BUILD)/fuzz_username -max_total_time=$$(( $(FUZZ_SECONDS) / 10 )) -max_len=300 \
		$(FUZZ_BUILD)/corpus_username

install: build
	cmake --install $(BUILD)

# The .deb a friend installs without a compiler: build-package/nine43_<version>_amd64.deb, the
# programs in /usr/games, Depends computed from the binaries by dpkg-shlibdeps; no tests.
# Compiled with Debian's hardening flags (dpkg-buildflags: fortify, stack protector, relro, now).
package: export DEB_BUILD_MAINT_OPTIONS = hardening=+all
package:
	@scripts/deps.sh package
	cmake -S . -B build-package -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNINE43_WERROR=OFF -DNINE43_BUILD_TESTS=OFF \
		-DCMAKE_INSTALL_PREFIX=/usr -DNINE43_INSTALL_BINDIR=games -DNINE43_SYSTEM_FONTS=ON \
		-DCMAKE_C_FLAGS="$$(dpkg-buildflags --get CFLAGS) $$(dpkg-buildflags --get CPPFLAGS)" \
		-DCMAKE_EXE_LINKER_FLAGS="$$(dpkg-buildflags --get LDFLAGS)" $(CMAKE_FLAGS)
	cmake --build build-package -j $(JOBS)
	cd build-package && cpack -G DEB

# The Windows zip, build-win/nine43-<version>-windows-x64.zip: the three programs cross-compiled
# with mingw-w64 against SDL2, SDL2_net, SDL2_ttf, FreeType and cJSON built from Debian's own
# source packages once into a cache (scripts/windows-deps.sh, README "Windows"); then the check
# that every DLL the zip needs is in it or part of Windows. The name rules' Unicode tables come from
# Debian's ICU through a generator that must run here, so it is built natively first.
WIN_BUILD ?= build-win
windows:
	@scripts/deps.sh windows
	mkdir -p $(WIN_BUILD)
	cc -O2 common/gen/name_tables_gen.c $$(pkg-config --cflags --libs icu-i18n icu-uc) \
		-o $(WIN_BUILD)/name_tables_gen
	./$(WIN_BUILD)/name_tables_gen > $(WIN_BUILD)/name_tables.c.tmp
	mv $(WIN_BUILD)/name_tables.c.tmp $(WIN_BUILD)/name_tables.c
	prefix=$$(JOBS=$(JOBS) scripts/windows-deps.sh) && \
	cmake -S . -B $(WIN_BUILD) -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-mingw64.cmake \
		-DNINE43_WIN_PREFIX="$$prefix" -DNINE43_NAME_TABLES=$(CURDIR)/$(WIN_BUILD)/name_tables.c \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo -DNINE43_WERROR=OFF $(CMAKE_FLAGS)
	cmake --build $(WIN_BUILD) -j $(JOBS) --target windows-zip
	scripts/check-windows-dlls.sh $(WIN_BUILD)/nine43-*-windows-x64.zip

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(SAN_BUILD) $(FUZZ_BUILD) build-package $(WIN_BUILD)
