/*
 * auth.c: password hashing and random tokens (libsodium).
 *
 * Passwords: argon2id through crypto_pwhash_str, at t=2, m=19 MiB, p=1
 * (the OWASP floor).  auth_verify reports when a stored hash was made with
 * weaker parameters, so the login path rehashes it (the floor can rise
 * without a migration).  Tokens: the CSPRNG, base64url without padding.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "extern.h"

#define PW_OPS	2ULL
#define PW_MEM	(19ULL << 20)

/* argon2id hash string of pw, malloc'd (caller frees); NULL on failure. */
char *
auth_hash(const char *pw)
{
	char	*out;

	if (sodium_init() < 0 || (out = malloc(crypto_pwhash_STRBYTES)) == NULL)
		return NULL;
	if (crypto_pwhash_str_alg(out, pw, strlen(pw), PW_OPS, PW_MEM,
	    crypto_pwhash_ALG_ARGON2ID13) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

/*
 * 0 when pw matches hash, -1 when not (or the hash is unreadable).  When it
 * matches and the hash is below the current parameters, *rehash is 1.
 */
int
auth_verify(const char *hash, const char *pw, int *rehash)
{
	*rehash = 0;
	if (sodium_init() < 0 || hash == NULL ||
	    strlen(hash) >= crypto_pwhash_STRBYTES)
		return -1;
	if (crypto_pwhash_str_verify(hash, pw, strlen(pw)) != 0)
		return -1;
	*rehash = crypto_pwhash_str_needs_rehash(hash, PW_OPS, PW_MEM) != 0;
	return 0;
}

/* n random bytes, base64url without padding, in the arena. */
char *
auth_token(struct arena *a, size_t n)
{
	unsigned char	 raw[64];
	size_t		 len;
	char		*out;

	if (n > sizeof(raw) || sodium_init() < 0)
		return NULL;
	randombytes_buf(raw, n);
	len = sodium_base64_ENCODED_LEN(n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	if ((out = arena_alloc(a, len)) == NULL)
		return NULL;
	sodium_bin2base64(out, len, raw, n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	return out;
}

/* Hex SHA-256 of s in the arena. */
char *
auth_sha256_hex(struct arena *a, const char *s)
{
	unsigned char	 h[crypto_hash_sha256_BYTES];
	char		*out;

	if ((out = arena_alloc(a, sizeof(h) * 2 + 1)) == NULL)
		return NULL;
	crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
	sodium_bin2hex(out, sizeof(h) * 2 + 1, h, sizeof(h));
	return out;
}

/* 0 when a and b are equal; time depends on the length only. */
int
auth_equal(const char *a, const char *b)
{
	size_t	 n = strlen(a);

	if (n != strlen(b))
		return -1;
	return sodium_memcmp(a, b, n);
}
