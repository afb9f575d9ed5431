# SPDX-License-Identifier: GPL-2.0
#
#   make            build the module (for the VM kernel) and the tools
#   make check      install deps, build, unit tests, kernel selftests in a VM
#   make demo       two boards: traffic, the active one fails, flows go on (VM)
#   make bench      cgn against nftables snat (bench/run), DS-Lite next to
#                   NAT44 (bench/dslite_run), replication
#                   against conntrackd (bench/sync_run), failover against
#                   keepalived + conntrackd (bench/failover_run), in one VM boot
#
KVER ?= $(shell tools/kver)
KDIR := /lib/modules/$(KVER)/build

all: module tools

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod modules

# Build in a copy so checking another kernel leaves kmod/ built for KVER.
module-check:
	rm -rf build/kmod-$(KVER) && mkdir -p build && cp -r kmod build/kmod-$(KVER)
	$(MAKE) -C $(KDIR) M=$(CURDIR)/build/kmod-$(KVER) clean >/dev/null
	$(MAKE) -C $(KDIR) M=$(CURDIR)/build/kmod-$(KVER) modules

sparse:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod C=2 CF=-Wsparse-error modules

CHECKPATCH ?= /usr/local/share/cgn/checkpatch/scripts/checkpatch.pl
style:
	$(CHECKPATCH) --no-tree -q --terse --no-summary \
		--ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON,EMBEDDED_FILENAME \
		-f $(filter-out kmod/cgn.mod.c,$(wildcard kmod/*.c)) kmod/*.h kmod/uapi/*.h

tools:
	$(MAKE) -C tools

check:
	tools/check

# The sync agent's frame decoder under libFuzzer (make check runs it 30 s).
fuzz:
	$(MAKE) -C tools fuzz FUZZ_TIME=$(or $(FUZZ_TIME),600)

demo:
	tools/install-deps.sh
	$(MAKE) all
	tools/vm/run --kernel $(KVER) -- demo/failover.sh

bench:
	tools/install-deps.sh
	$(MAKE) all
	mkdir -p bench/results
	tools/vm/run --kernel $(KVER) --timeout 7200 --mem 3G --out bench/results -- bench/all

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod clean
	$(MAKE) -C tools clean
	rm -rf build

.PHONY: all module module-check sparse style tools check fuzz demo bench clean
