#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# cgn-syncd --hook for the failover selftests: one line per call,
# "BOARD takeover|release INSTANCE...", appended to $FAILOVER_HOOK_LOG.
echo "${CGN_BOARD:-?} $*" >>"${FAILOVER_HOOK_LOG:-/dev/null}"
