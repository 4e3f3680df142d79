# sitewarden: the two commands of the README.
#   make run    set up, build, and start sitewarden with its demo register
#   make test   set up, build (normal and sanitizer builds), run every test
# Both install missing Debian packages first (scripts/setup).

BUILD   ?= build
SAN     ?= build-san
JOBS    ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all setup build build-san run test bench clean

all: build

setup:
	@scripts/setup

# Warnings are errors in every build that `make` does.
build: setup
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSW_WERROR=ON $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j$(JOBS)

# The same sources with clang, AddressSanitizer and UBSan.
build-san: setup
	cmake -S . -B $(SAN) -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
		-DSW_SANITIZE=ON -DSW_WERROR=ON $(CMAKE_FLAGS)
	cmake --build $(SAN) -j$(JOBS)

run: build
	SW_BIN=$(CURDIR)/$(BUILD) scripts/demo

test: build build-san
	ctest --test-dir $(BUILD) --output-on-failure -j$(JOBS)
	ctest --test-dir $(SAN) --output-on-failure -j$(JOBS)

# Every benchmark runs; the status says whether all met their targets.
bench: build
	@rc=0; for b in bench/import bench/probe bench/analyze bench/agent bench/logs bench/ledger bench/api; do \
		SW_BIN=$(CURDIR)/$(BUILD) $$b || rc=1; done; exit $$rc

clean:
	rm -rf $(BUILD) $(SAN)
