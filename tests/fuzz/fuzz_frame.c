// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: a byte stream from the peer through the frame decoder
 * and the MAC check, as the agent reads it. Nothing may crash, and nothing
 * may open without the key (a forged MAC is a finding).
 */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "frame.h"

static const uint8_t psk[AUTH_KEY_LEN] = "fuzz-fuzz-fuzz-fuzz-fuzz-fuzz-f";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	const char *why = NULL;
	struct auth_dir rx;
	struct frame f;
	size_t off = 0;
	uint64_t types[4];
	char inst[FRAME_NAME_LEN];
	long len;

	if (!ready) {
		if (auth_init())
			abort();
		ready = 1;
	}
	auth_hello_key(psk, &rx);
	while ((len = frame_decode(data + off, size - off, &f, &why)) > 0) {
		if (len < FRAME_HDR_LEN + FRAME_MAC_LEN || (size_t)len > size - off)
			abort();
		if (!auth_open(&rx, data + off, len, &why))
			abort();	/* the fuzzer forged a MAC */
		if (f.type == FRAME_ENTRIES &&
		    entries_walk(f.payload, f.len, types, inst) <= 0)
			abort();	/* decode accepted bad entries */
		off += len;
	}
	/* The entry walker and filter on raw bytes too. */
	if (size < 65536) {
		uint8_t *out = malloc(size + 1);

		entries_walk(data, size & ~3ul, types, inst);
		if (entries_filter(data, size & ~3ul, 1, out) > (long)size)
			abort();
		free(out);
	}
	return 0;
}
