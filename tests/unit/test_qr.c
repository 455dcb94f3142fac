/*
 * test_qr.c: unit tests for fcgi/qr.c (cmocka).
 *
 * Tokens: round trips at the edges of every field, every one-character
 * change of a token refused, another key refused, and a list of
 * malformed tokens parse must refuse (each built with a valid base64
 * layer so the payload rules themselves are tested).  Images: the PNG is
 * read back with libpng and compared module by module with libqrencode's
 * symbol; the SVG's runs are counted against it; zbarimg (scripts/deps
 * test installs it) must read the PNG back as the text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <png.h>
#include <qrencode.h>
#include <sodium.h>

#include "extern.h"

#define ZBARIMG	"/usr/bin/zbarimg"
#define B64V	sodium_base64_VARIANT_URLSAFE_NO_PADDING

static const char	 alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static unsigned char	 key1[QR_KEYLEN], key2[QR_KEYLEN];

static int
setup(void **state)
{
	struct arena	*a;

	if ((a = malloc(sizeof(*a))) == NULL)
		return -1;
	arena_init(a, 0);
	*state = a;
	return 0;
}

static int
teardown(void **state)
{
	arena_free(*state);
	free(*state);
	return 0;
}

/* base64url(payload) "." base64url(tag): a token with any payload. */
static char *
craft(struct arena *a, const char *payload, size_t plen, size_t taglen)
{
	unsigned char	 tag[64];
	char		 p64[256], t64[128];

	memset(tag, 0x5a, sizeof(tag));
	sodium_bin2base64(p64, sizeof(p64), (const unsigned char *)payload,
	    plen, B64V);
	sodium_bin2base64(t64, sizeof(t64), tag, taglen, B64V);
	return arena_printf(a, "%s.%s", p64, t64);
}

static void
token_roundtrip(void **state)
{
	static const struct {
		int		 kid;
		long long	 customer;
		int		 version;
	} c[] = {
		{ 1, 1, 0 },
		{ 7, 42, 3 },
		{ 9999, 1LL << 53, 2147483647 },
		{ 10, 9007199254740991LL, 1 },
		{ 123, 1000000, 100 },
	};
	struct arena	*a = *state;
	size_t		 i, j;
	const char	*tok;
	long long	 cust;
	int		 kid, ver;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		tok = qr_token(a, c[i].kid, key1, c[i].customer,
		    c[i].version);
		assert_non_null(tok);
		assert_true(strlen(tok) <= 200);
		for (j = 0; tok[j] != '\0'; j++)
			assert_true(tok[j] == '.' ||
			    strchr(alphabet, tok[j]) != NULL);
		assert_int_equal(qr_token_parse(tok, &kid, &cust, &ver), 0);
		assert_int_equal(kid, c[i].kid);
		assert_true(cust == c[i].customer);
		assert_int_equal(ver, c[i].version);
		assert_int_equal(qr_token_verify(tok, key1), 0);
		/* Deterministic: the same fields give the same token. */
		assert_string_equal(tok, qr_token(a, c[i].kid, key1,
		    c[i].customer, c[i].version));
	}
	/* Any field changed changes the token. */
	tok = qr_token(a, 7, key1, 42, 3);
	assert_string_not_equal(tok, qr_token(a, 7, key1, 42, 4));
	assert_string_not_equal(tok, qr_token(a, 7, key1, 43, 3));
	assert_string_not_equal(tok, qr_token(a, 8, key1, 42, 3));
}

static void
token_out_of_range(void **state)
{
	struct arena	*a = *state;

	assert_null(qr_token(a, 0, key1, 1, 0));
	assert_null(qr_token(a, 10000, key1, 1, 0));
	assert_null(qr_token(a, -1, key1, 1, 0));
	assert_null(qr_token(a, 1, key1, 0, 0));
	assert_null(qr_token(a, 1, key1, -5, 0));
	assert_null(qr_token(a, 1, key1, (1LL << 53) + 1, 0));
	assert_null(qr_token(a, 1, key1, 1, -1));
	assert_null(qr_token(a, 1, NULL, 1, 0));
}

/* Every one-character change anywhere in a token must fail to verify. */
static void
token_tamper(void **state)
{
	struct arena	*a = *state;
	const char	*tok;
	char		*t;
	size_t		 i, j, n, tried = 0;

	tok = qr_token(a, 12, key1, 987654321, 5);
	assert_non_null(tok);
	n = strlen(tok);
	t = arena_strdup(a, tok);
	for (i = 0; i < n; i++) {
		for (j = 0; alphabet[j] != '\0'; j++) {
			if (alphabet[j] == tok[i])
				continue;
			t[i] = alphabet[j];
			assert_int_equal(qr_token_verify(t, key1), -1);
			tried++;
		}
		if (tok[i] != '.') {
			t[i] = '.';
			assert_int_equal(qr_token_verify(t, key1), -1);
		}
		t[i] = tok[i];
	}
	assert_true(tried >= 60 * n);
	assert_int_equal(qr_token_verify(t, key1), 0);

	/* Shorter, longer, swapped halves. */
	t[n - 1] = '\0';
	assert_int_equal(qr_token_verify(t, key1), -1);
	assert_int_equal(qr_token_verify(arena_printf(a, "%sA", tok), key1),
	    -1);
	assert_int_equal(qr_token_verify(arena_printf(a, "%s.", tok), key1),
	    -1);
	assert_int_equal(qr_token_verify(arena_printf(a, "%s.%s",
	    strchr(tok, '.') + 1, "MS4xMi45ODc2NTQzMjEuNQ"), key1), -1);
}

/* A payload re-signed under another key, or key bits flipped: refused. */
static void
token_other_key(void **state)
{
	struct arena	*a = *state;
	unsigned char	 k[QR_KEYLEN];
	const char	*tok;
	size_t		 i;

	tok = qr_token(a, 3, key1, 555, 0);
	assert_int_equal(qr_token_verify(tok, key1), 0);
	assert_int_equal(qr_token_verify(tok, key2), -1);
	assert_int_equal(qr_token_verify(tok, NULL), -1);
	for (i = 0; i < QR_KEYLEN * 8; i += 7) {
		memcpy(k, key1, sizeof(k));
		k[i / 8] ^= (unsigned char)(1u << (i % 8));
		assert_int_equal(qr_token_verify(tok, k), -1);
	}
	/* The same fields under key2 give another, valid-under-key2 token. */
	assert_string_not_equal(tok, qr_token(a, 3, key2, 555, 0));
	assert_int_equal(qr_token_verify(qr_token(a, 3, key2, 555, 0), key2),
	    0);
	/* A crafted token with a guessed tag is well formed but false. */
	tok = craft(a, "1.3.555.0", 9, 16);
	assert_int_equal(qr_token_verify(tok, key1), -1);
}

static void
parse_rejects(void **state)
{
	static const char *const bad_text[] = {
		"", ".", "..", "abc", "abc.", ".abc", "a.b.c", "a..b",
		"MS4xLjEuMA.AAAA.AAAA", "MS4xLjEuMA..AAAAAAAAAAAAAAAAAAAAAA",
		"MS4xLjEuMA AAAAAAAAAAAAAAAAAAAAAA",
		"MS4xLjEuMA.AAAAAAAAAAAAAAAAAAAAAA==",
		"MS4xLjEuMA=.AAAAAAAAAAAAAAAAAAAAAA",
		"MS4xLjEuMA.AAAAAAAAAAAAAAAAAAAAA+",
		"MS4xLjEuMA.AAAAAAAAAAAAAAAAAAAAA/",
		"MS4xLjEuMA.AAAAAAAAAAAAAAAAAAAAAA\n",
		" MS4xLjEuMA.AAAAAAAAAAAAAAAAAAAAAA",
		"MS4xLjEuMA.AAAAAAAAAAAAAAAAAAAAA",	/* 21 chars */
		"MS4xLjEuMA.AAAAAAAAAAAAAAAAAAAAAAA",	/* 23 chars */
		"MS4xLjEuMA.AAAAAAAAAAAAAAAAAAAAAB",	/* stray low bits */
		"MS4xLjEuMB.AAAAAAAAAAAAAAAAAAAAAA",	/* stray low bits */
		"\xc3\xa9.AAAAAAAAAAAAAAAAAAAAAA",
	};
	static const char *const bad_payload[] = {
		"2.1.1.0", "0.1.1.0", "11.1.1.0", "x.1.1.0", "1.0.1.0",
		"1.10000.1.0", "1.01.1.0", "1.-1.1.0", "1.+1.1.0",
		"1.1.0.0", "1.1.9007199254740993.0",
		"1.1.99999999999999999999999.0",
		"1.1.18446744073709551616.0", "1.1.18446744073709551617.0",
		"1.1.-1.0", "1.1.+1.0", "1.1.01.0", "1.1. 1.0", "1.1.1e3.0",
		"1.1.1.-1", "1.1.1.+0", "1.1.1.2147483648", "1.1.1.00",
		"1.1.1.01", "1.1.1.0x1", "1.1.1", "1.1.1.0.0", "1.1.1.0 ",
		" 1.1.1.0", "1.1.1.0.", ".1.1.1.0", "1..1.0", "1.1..0",
		"1.1.1.", "1", "", "1.1.1.0\n", "1.\xd9\xa1.1.0",
	};
	struct arena	*a = *state;
	char		 big[260];
	long long	 cust = 77;
	int		 kid = 77, ver = 77;
	size_t		 i;
	const char	*t;

	for (i = 0; i < sizeof(bad_text) / sizeof(bad_text[0]); i++) {
		if (qr_token_parse(bad_text[i], &kid, &cust, &ver) != -1)
			fail_msg("accepted text %zu: \"%s\"", i, bad_text[i]);
		assert_int_equal(qr_token_verify(bad_text[i], key1), -1);
	}
	for (i = 0; i < sizeof(bad_payload) / sizeof(bad_payload[0]); i++) {
		t = craft(a, bad_payload[i], strlen(bad_payload[i]), 16);
		if (qr_token_parse(t, &kid, &cust, &ver) != -1)
			fail_msg("accepted payload \"%s\"", bad_payload[i]);
	}
	/* A NUL inside the payload. */
	t = craft(a, "1.1.1\0.0", 8, 16);
	assert_int_equal(qr_token_parse(t, &kid, &cust, &ver), -1);
	/* Tag of the wrong size. */
	assert_int_equal(qr_token_parse(craft(a, "1.1.1.0", 7, 15), &kid,
	    &cust, &ver), -1);
	assert_int_equal(qr_token_parse(craft(a, "1.1.1.0", 7, 17), &kid,
	    &cust, &ver), -1);
	assert_int_equal(qr_token_parse(craft(a, "1.1.1.0", 7, 32), &kid,
	    &cust, &ver), -1);
	/* Longer than the cap. */
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[100] = '.';
	assert_int_equal(qr_token_parse(big, &kid, &cust, &ver), -1);
	assert_int_equal(qr_token_parse(NULL, &kid, &cust, &ver), -1);
	/* Refusals leave the outputs alone. */
	assert_int_equal(kid, 77);
	assert_true(cust == 77);
	assert_int_equal(ver, 77);

	/* The control: the same construction with a good payload parses. */
	t = craft(a, "1.9999.9007199254740992.2147483647", 34, 16);
	assert_int_equal(qr_token_parse(t, &kid, &cust, &ver), 0);
	assert_int_equal(kid, 9999);
	assert_true(cust == 9007199254740992LL);
	assert_int_equal(ver, 2147483647);
	assert_int_equal(qr_token_verify(t, key1), -1);
}

/* The reference symbol for text, freed by the caller. */
static QRcode *
symbol(const char *text)
{
	QRcode	*qr;

	qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	assert_non_null(qr);
	return qr;
}

static void
png_matches_symbol(void **state)
{
	static const char *const texts[] = {
		"https://crm.example.com/c/MS4xLjQyLjM.qN0vJq4mJ0sXK5kEwD9i2A",
		"A", "客户 12345",
	};
	static const int	 scales[] = { 1, 3, 8 };
	struct arena		*a = *state;
	struct buf		 b;
	png_image		 img;
	unsigned char		*px;
	QRcode			*qr;
	size_t			 i, k, side, x, y;
	int			 dark;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
	for (k = 0; k < sizeof(scales) / sizeof(scales[0]); k++) {
		buf_init(&b, a, 4u << 20);
		assert_int_equal(qr_png(&b, texts[i], scales[k]), 0);
		assert_false(b.overflow);
		assert_true(b.len > 8);
		assert_memory_equal(b.data, "\x89PNG\r\n\x1a\n", 8);
		/* IHDR first (PNG spec 11.2.2): big-endian width, height. */
		assert_memory_equal(b.data + 12, "IHDR", 4);

		qr = symbol(texts[i]);
		side = (size_t)(qr->width + 8) * (size_t)scales[k];
		memset(&img, 0, sizeof(img));
		img.version = PNG_IMAGE_VERSION;
		assert_true(png_image_begin_read_from_memory(&img, b.data,
		    b.len));
		assert_int_equal(img.width, side);
		assert_int_equal(img.height, side);
		assert_int_equal(img.format, PNG_FORMAT_GRAY);
		px = malloc(PNG_IMAGE_SIZE(img));
		assert_non_null(px);
		assert_true(png_image_finish_read(&img, NULL, px, 0, NULL));
		for (y = 0; y < side; y++)
			for (x = 0; x < side; x++) {
				size_t	 mx = x / (size_t)scales[k];
				size_t	 my = y / (size_t)scales[k];

				dark = mx >= 4 && my >= 4 &&
				    mx < (size_t)qr->width + 4 &&
				    my < (size_t)qr->width + 4 &&
				    (qr->data[(my - 4) * (size_t)qr->width +
				    mx - 4] & 1);
				if (px[y * side + x] != (dark ? 0 : 255))
					fail_msg("pixel %zu,%zu of \"%s\" x%d",
					    x, y, texts[i], scales[k]);
			}
		free(px);
		QRcode_free(qr);
	}
}

static void
png_refusals(void **state)
{
	struct arena	*a = *state;
	struct buf	 b;
	char		*longtext;

	buf_init(&b, a, 1u << 20);
	assert_int_equal(qr_png(&b, "x", 0), -1);
	assert_int_equal(qr_png(&b, "x", 41), -1);
	assert_int_equal(qr_png(&b, "", 4), -1);
	assert_int_equal(qr_png(&b, NULL, 4), -1);
	assert_int_equal(qr_svg(&b, "x", 0), -1);
	assert_int_equal(qr_svg(&b, "", 4), -1);
	/* More than a version 40-M symbol holds (2331 bytes). */
	longtext = arena_alloc(a, 3001);
	memset(longtext, 'z', 3000);
	longtext[3000] = '\0';
	assert_int_equal(qr_png(&b, longtext, 1), -1);
	assert_int_equal(qr_svg(&b, longtext, 1), -1);
	assert_int_equal(b.len, 0);

	/* Appending keeps what was there; a refusal adds nothing. */
	buf_puts(&b, "head");
	assert_int_equal(qr_png(&b, "", 2), -1);
	assert_int_equal(b.len, 4);
	assert_int_equal(qr_png(&b, "x", 2), 0);
	assert_memory_equal(b.data, "head\x89PNG", 8);

	/* Largest: version 40 at scale 40, 7400 x 7400 pixels. */
	buf_init(&b, a, 64u << 20);
	longtext[2331] = '\0';
	assert_int_equal(qr_png(&b, longtext, 40), 0);
	assert_int_equal((unsigned char)b.data[16], 0);
	assert_int_equal((unsigned char)b.data[18], 7400 >> 8);
	assert_int_equal((unsigned char)b.data[19], 7400 & 0xff);

	/* An output buffer too small: -1 and the overflow flag. */
	buf_init(&b, a, 100);
	assert_int_equal(qr_png(&b, "https://crm.example.com/", 4), -1);
	assert_true(b.overflow);
	buf_init(&b, a, 100);
	assert_int_equal(qr_svg(&b, "https://crm.example.com/", 4), -1);
	assert_true(b.overflow);
}

static void
svg_matches_symbol(void **state)
{
	static const char	 text[] = "https://crm.example.com/c/abc.def";
	struct arena		*a = *state;
	struct buf		 b;
	QRcode			*qr;
	const char		*s, *p;
	char			*vb;
	long			 dark = 0, runs = 0, x, y, h, h2;
	int			 i, n;

	buf_init(&b, a, 1u << 20);
	assert_int_equal(qr_svg(&b, text, 5), 0);
	s = buf_cstr(&b);
	qr = symbol(text);
	n = qr->width + 8;
	vb = arena_printf(a, "viewBox=\"0 0 %d %d\"", n, n);
	assert_non_null(strstr(s, "<svg"));
	assert_non_null(strstr(s, vb));
	assert_non_null(strstr(s, arena_printf(a, "width=\"%d\"", n * 5)));
	assert_non_null(strstr(s, "shape-rendering=\"crispEdges\""));
	assert_non_null(strstr(s, "fill=\"#fff\""));
	assert_int_equal(strcmp(s + strlen(s) - 6, "</svg>"), 0);
	p = strstr(s, "<path");
	assert_non_null(p);
	assert_null(strstr(p + 1, "<path"));

	/* Sum the runs of the one path: as many dark modules as the symbol. */
	p = strstr(s, " d=\"");
	assert_non_null(p);
	for (p += 4; *p == 'M'; runs++) {
		assert_int_equal(sscanf(p, "M%ld %ldh%ldv1h-%ldz", &x, &y, &h,
		    &h2), 4);
		assert_int_equal(h, h2);
		assert_true(x >= 4 && y >= 4 && x + h <= qr->width + 4 &&
		    y < qr->width + 4);
		dark += h;
		p = strchr(p, 'z') + 1;
	}
	assert_int_equal(*p, '"');
	for (i = 0; i < qr->width * qr->width; i++)
		dark -= qr->data[i] & 1;
	assert_int_equal(dark, 0);
	assert_true(runs > 0);
	QRcode_free(qr);
}

/* A real reader must get the text back from the PNG. */
static void
png_zbarimg(void **state)
{
	struct arena	*a = *state;
	struct buf	 b;
	char		 path[] = "/tmp/test_qr_XXXXXX", line[512], *cmd, *url;
	FILE		*p;
	int		 fd, rc;

	if (access(ZBARIMG, X_OK) != 0)
		fail_msg(ZBARIMG " is missing: run scripts/deps test "
		    "(Debian package zbar-tools)");
	url = arena_printf(a, "https://crm.example.com/c/%s",
	    qr_token(a, 2, key1, 31337, 1));
	buf_init(&b, a, 1u << 20);
	assert_int_equal(qr_png(&b, url, 4), 0);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, b.data, b.len), (ssize_t)b.len);
	close(fd);
	cmd = arena_printf(a, ZBARIMG " --raw -q %s 2>/dev/null", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	memset(line, 0, sizeof(line));
	if (fgets(line, sizeof(line), p) == NULL)
		line[0] = '\0';
	rc = pclose(p);
	unlink(path);
	line[strcspn(line, "\r\n")] = '\0';
	assert_int_equal(rc, 0);
	assert_string_equal(line, url);
}

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
		cmocka_unit_test_setup_teardown(token_roundtrip, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(token_out_of_range, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(token_tamper, setup, teardown),
		cmocka_unit_test_setup_teardown(token_other_key, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(parse_rejects, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(png_matches_symbol, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(png_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(svg_matches_symbol, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(png_zbarimg, setup, teardown),
	};
	size_t	 i;

	if (sodium_init() < 0)
		return 1;
	for (i = 0; i < QR_KEYLEN; i++) {
		key1[i] = (unsigned char)(i * 7 + 1);
		key2[i] = (unsigned char)(i * 7 + 2);
	}
	return cmocka_run_group_tests_name("qr", tests, NULL, NULL);
}
