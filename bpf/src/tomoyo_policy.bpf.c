// SPDX-License-Identifier: GPL-2.0
/*
 * tomoyo.bpf.o, part: the decision function tmy_file_check (include/tmy_policy.bpf.h), a global
 * BPF function that the file and exec families call; it has no programs of its own.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "errno.bpf.h"
#include "tomoyo_abi.h"
#include "tmy_maps.bpf.h"
#include "tmy_hash.bpf.h"
#define TMY_POLICY_IMPL
#include "tmy_policy.bpf.h"
