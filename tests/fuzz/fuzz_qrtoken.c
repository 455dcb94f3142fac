/*
 * fuzz_qrtoken.c: libFuzzer target for the signed QR tokens (fcgi/qr.c):
 * qr_token_parse and qr_token_verify, as h_qr_resolve calls them on the
 * text a phone scanned.
 *
 * Whatever the bytes: no crash, fields in range when the parse succeeds,
 * one spelling per token (the text parses only if it is exactly what
 * qr_token writes for those fields, payload part included), and a valid
 * signature only for the very token qr_token makes under the key.  The
 * seeds hold tokens signed with the key below, so mutations start from
 * tokens that verify.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

#define CHECK(c) do {							\
	if (!(c)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n",		\
		    __FILE__, __LINE__, #c);				\
		abort();						\
	}								\
} while (0)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The seeds' key: 32 bytes of 0x42 (tests/fuzz/corpus/fuzz_qrtoken). */
static unsigned char	key[QR_KEYLEN];
static struct arena	arena;
static int		inited;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char		*tok, *again;
	const char	*dot, *adot;
	int		 kid, version, k2, v2, parsed, verified;
	long long	 customer, c2;

	if (!inited) {
		memset(key, 0x42, sizeof(key));
		arena_init(&arena, 16u << 20);
		inited = 1;
	}
	if (size > 4096)
		return 0;
	if ((tok = malloc(size + 1)) == NULL)
		return 0;
	memcpy(tok, data, size);
	tok[size] = '\0';

	parsed = qr_token_parse(tok, &kid, &customer, &version) == 0;
	verified = qr_token_verify(tok, key) == 0;
	CHECK(!verified || parsed);
	if (parsed) {
		CHECK(kid >= 1 && kid <= 9999);
		CHECK(customer >= 1 && customer <= (1LL << 53));
		CHECK(version >= 0);
		/* One spelling: the payload part is what qr_token writes. */
		again = qr_token(&arena, kid, key, customer, version);
		CHECK(again != NULL);
		dot = strchr(tok, '.');
		adot = strchr(again, '.');
		CHECK(dot != NULL && adot != NULL);
		CHECK(dot - tok == adot - again &&
		    memcmp(tok, again, (size_t)(dot - tok)) == 0);
		CHECK(qr_token_parse(again, &k2, &c2, &v2) == 0);
		CHECK(k2 == kid && c2 == customer && v2 == version);
		CHECK(qr_token_verify(again, key) == 0);
		/* A valid signature only on the exact token. */
		if (verified)
			CHECK(strcmp(tok, again) == 0);
	}
	free(tok);
	arena_reset(&arena);
	return 0;
}
