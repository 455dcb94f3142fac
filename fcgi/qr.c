/*
 * qr.c: signed customer tokens and the QR codes that carry them (CARD-QR).
 *
 * A token is two base64url parts (RFC 4648 section 5, no padding) joined
 * by one '.':
 *
 *	base64url("1.<kid>.<customer>.<version>") "." base64url(tag)
 *
 * where tag is the first 16 bytes of HMAC-SHA256(key, payload) (RFC 2104;
 * truncation to 128 bits as RFC 2104 section 5 allows).  The payload is
 * plain decimal so a scanner can read it, but nobody without the key can
 * make or alter one: forging a tag is a 2^-128 guess per try.  kid names
 * the key so keys can rotate; bumping a customer's version revokes its
 * printed codes.  Parsing is strict (one spelling per token: canonical
 * base64, no leading zeros) so a token is never accepted in two forms.
 *
 * The images: QR Model 2 symbols (ISO/IEC 18004:2015) from libqrencode,
 * error correction level M, with the 4-module quiet zone the standard
 * asks for ("Quiet zone"), as an 8-bit greyscale PNG (PNG spec, ISO/IEC
 * 15948) or a small SVG.  The QRcode is freed with the arena.
 */
#include <limits.h>
#include <setjmp.h>
#include <string.h>

#include <png.h>
#include <qrencode.h>
#include <sodium.h>

#include "extern.h"

#define QR_TOKMAX	200	/* longest token text we look at */
#define QR_TAGLEN	16	/* HMAC-SHA256 truncated to 128 bits */
#define QR_PAYMAX	64	/* the longest payload has 34 bytes */
#define QR_QUIET	4	/* quiet zone in modules (ISO/IEC 18004) */
#define QR_KIDMAX	9999
#define QR_CUSTMAX	(1ULL << 53)	/* exact in a JavaScript number */
#define QR_SCALEMAX	40

#define B64V		sodium_base64_VARIANT_URLSAFE_NO_PADDING

_Static_assert(QR_KEYLEN == crypto_auth_hmacsha256_KEYBYTES,
    "QR_KEYLEN must be the HMAC-SHA256 key size");

/* A token taken apart; payload is NUL-terminated. */
struct qrtok {
	char		 payload[QR_PAYMAX];
	size_t		 paylen;
	unsigned char	 tag[QR_TAGLEN];
	int		 kid;
	long long	 customer;
	int		 version;
};

static int
b64_char(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/*
 * Decode s[0..n) into out (at most max bytes) and accept it only when it
 * is the one canonical encoding of what it decodes to: libsodium already
 * refuses stray bits in the last character, and re-encoding makes sure.
 */
static int
b64_decode(const char *s, size_t n, unsigned char *out, size_t max,
    size_t *outlen)
{
	char		 again[QR_TOKMAX + 1];
	const char	*end;

	if (n == 0 || n > QR_TOKMAX)
		return -1;
	if (sodium_base642bin(out, max, s, n, NULL, outlen, &end, B64V) != 0 ||
	    end != s + n || *outlen == 0)
		return -1;
	if (sodium_base64_ENCODED_LEN(*outlen, B64V) > sizeof(again))
		return -1;
	sodium_bin2base64(again, sizeof(again), out, *outlen, B64V);
	if (strlen(again) != n || memcmp(again, s, n) != 0)
		return -1;
	return 0;
}

/*
 * A decimal number s[0..n) in [min, max]: digits only, no sign, no
 * leading zero (so each number has one spelling), no overflow.
 */
static int
dec_parse(const char *s, size_t n, unsigned long long min,
    unsigned long long max, unsigned long long *out)
{
	unsigned long long	 v = 0;
	size_t			 i;

	if (n == 0 || n > 20 || (n > 1 && s[0] == '0'))
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (max - (unsigned)(s[i] - '0')) / 10)
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Read "1.<kid>.<customer>.<version>" into t. */
static int
payload_parse(struct qrtok *t)
{
	const char		*f[4];
	size_t			 flen[4], i, nf = 0;
	const char		*p = t->payload, *end = t->payload + t->paylen;
	unsigned long long	 v;

	if (memchr(t->payload, '\0', t->paylen) != NULL)
		return -1;
	f[0] = p;
	for (; p < end; p++) {
		if (*p != '.')
			continue;
		if (nf == 3)
			return -1;
		flen[nf] = (size_t)(p - f[nf]);
		f[++nf] = p + 1;
	}
	if (nf != 3)
		return -1;
	flen[3] = (size_t)(end - f[3]);
	for (i = 0; i < 4; i++)
		if (flen[i] == 0)
			return -1;
	if (flen[0] != 1 || f[0][0] != '1')
		return -1;
	if (dec_parse(f[1], flen[1], 1, QR_KIDMAX, &v) == -1)
		return -1;
	t->kid = (int)v;
	if (dec_parse(f[2], flen[2], 1, QR_CUSTMAX, &v) == -1)
		return -1;
	t->customer = (long long)v;
	if (dec_parse(f[3], flen[3], 0, INT_MAX, &v) == -1)
		return -1;
	t->version = (int)v;
	return 0;
}

/* Take tok apart without trusting it: 0, or -1 when it is malformed. */
static int
tok_split(const char *tok, struct qrtok *t)
{
	const char	*dot = NULL;
	size_t		 n, i, taglen;
	unsigned char	 tag[QR_TAGLEN + 4];

	memset(t, 0, sizeof(*t));
	if (tok == NULL || sodium_init() < 0)
		return -1;
	n = strnlen(tok, QR_TOKMAX + 1);
	if (n == 0 || n > QR_TOKMAX)
		return -1;
	for (i = 0; i < n; i++) {
		if (tok[i] == '.') {
			if (dot != NULL)
				return -1;
			dot = tok + i;
		} else if (!b64_char((unsigned char)tok[i]))
			return -1;
	}
	if (dot == NULL)
		return -1;
	if (b64_decode(tok, (size_t)(dot - tok), (unsigned char *)t->payload,
	    sizeof(t->payload) - 1, &t->paylen) == -1)
		return -1;
	t->payload[t->paylen] = '\0';
	if (b64_decode(dot + 1, n - (size_t)(dot + 1 - tok), tag, sizeof(tag),
	    &taglen) == -1 || taglen != QR_TAGLEN)
		return -1;
	memcpy(t->tag, tag, QR_TAGLEN);
	return payload_parse(t);
}

static void
tag_of(unsigned char tag[QR_TAGLEN], const char *payload, size_t n,
    const unsigned char *key)
{
	unsigned char	 full[crypto_auth_hmacsha256_BYTES];

	crypto_auth_hmacsha256(full, (const unsigned char *)payload, n, key);
	memcpy(tag, full, QR_TAGLEN);
	sodium_memzero(full, sizeof(full));
}

/*
 * The token for (customer, version) under key number kid, in the arena.
 * NULL when a field is out of range (kid 1..9999, customer 1..2^53,
 * version >= 0) or memory is refused.
 */
char *
qr_token(struct arena *a, int kid, const unsigned char *key,
    long long customer, int version)
{
	char		 payload[QR_PAYMAX];
	unsigned char	 tag[QR_TAGLEN];
	size_t		 plen, l1, l2;
	char		*out;
	int		 n;

	if (key == NULL || kid < 1 || kid > QR_KIDMAX || customer < 1 ||
	    (unsigned long long)customer > QR_CUSTMAX || version < 0 ||
	    sodium_init() < 0)
		return NULL;
	n = snprintf(payload, sizeof(payload), "1.%d.%lld.%d", kid, customer,
	    version);
	if (n < 0 || (size_t)n >= sizeof(payload))
		return NULL;
	plen = (size_t)n;
	tag_of(tag, payload, plen, key);
	l1 = sodium_base64_ENCODED_LEN(plen, B64V);	/* counts the NUL */
	l2 = sodium_base64_ENCODED_LEN(QR_TAGLEN, B64V);
	if ((out = arena_alloc(a, l1 + l2)) == NULL)
		return NULL;
	sodium_bin2base64(out, l1, (const unsigned char *)payload, plen, B64V);
	l1 = strlen(out);
	out[l1] = '.';
	sodium_bin2base64(out + l1 + 1, l2, tag, QR_TAGLEN, B64V);
	return out;
}

/*
 * Read tok's fields without checking its signature: 0 and *kid,
 * *customer, *version, or -1 (fields untouched) when tok is not exactly
 * a token as qr_token writes it.
 */
int
qr_token_parse(const char *tok, int *kid, long long *customer, int *version)
{
	struct qrtok	 t;

	if (tok_split(tok, &t) == -1)
		return -1;
	*kid = t.kid;
	*customer = t.customer;
	*version = t.version;
	return 0;
}

/*
 * 0 when tok is well formed and its tag is the HMAC of its payload under
 * key, else -1.  The comparison takes the same time wherever the tags
 * differ (sodium_memcmp), so timing tells an attacker nothing.
 */
int
qr_token_verify(const char *tok, const unsigned char *key)
{
	struct qrtok	 t;
	unsigned char	 want[QR_TAGLEN];
	int		 rc;

	if (key == NULL || tok_split(tok, &t) == -1)
		return -1;
	tag_of(want, t.payload, t.paylen, key);
	rc = sodium_memcmp(want, t.tag, QR_TAGLEN) == 0 ? 0 : -1;
	sodium_memzero(want, sizeof(want));
	return rc;
}

static void
qr_free_cb(void *p)
{
	QRcode_free(p);
}

/* The symbol for text, freed with the arena; NULL when it cannot be. */
static QRcode *
qr_encode(struct arena *a, const char *text)
{
	QRcode	*qr;

	if (text == NULL || *text == '\0')
		return NULL;
	/* Version 0: the smallest that fits; case-sensitive 8-bit data. */
	if ((qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8,
	    1)) == NULL)
		return NULL;
	if (arena_cleanup_add(a, qr_free_cb, qr) == -1)
		return NULL;	/* already freed by arena_cleanup_add */
	return qr;
}

/* Module (x, y), counted from the corner of the quiet zone: dark? */
static int
qr_dark(const QRcode *qr, int x, int y)
{
	x -= QR_QUIET;
	y -= QR_QUIET;
	if (x < 0 || y < 0 || x >= qr->width || y >= qr->width)
		return 0;
	/* libqrencode: bit 0 of each byte is the module's colour. */
	return qr->data[(size_t)y * (size_t)qr->width + (size_t)x] & 1;
}

static void
png_write_cb(png_structp png, png_bytep data, size_t n)
{
	struct buf	*b = png_get_io_ptr(png);

	buf_write(b, data, n);
	if (b->overflow)
		png_error(png, "PNG larger than the output buffer");
}

static void
png_flush_cb(png_structp png)
{
	(void)png;
}

/*
 * libpng's error callback must not return (libpng manual, "Error
 * handling"): it longjmps back to qr_png.  A full output buffer is the
 * caller's to report, so only other errors are logged.
 */
static void
png_error_cb(png_structp png, png_const_charp msg)
{
	struct buf	*b = png_get_error_ptr(png);

	if (!b->overflow)
		log_warn("qr: png: %s", msg);
	png_longjmp(png, 1);
}

static void
png_warn_cb(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

/*
 * Write the image rows.  Kept out of qr_png so that function has no
 * local changed between setjmp and a longjmp (C11 7.13.2.1p3).
 */
static void
png_emit(png_structp png, png_infop info, const QRcode *qr,
    unsigned char *row, int scale, unsigned side)
{
	int	 mods = qr->width + 2 * QR_QUIET, x, y, k;

	png_set_IHDR(png, info, side, side, 8, PNG_COLOR_TYPE_GRAY,
	    PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
	    PNG_FILTER_TYPE_DEFAULT);
	/* Two grey levels compress best unfiltered at the top level. */
	png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
	png_set_compression_level(png, 9);
	png_write_info(png, info);
	for (y = 0; y < mods; y++) {
		for (x = 0; x < mods; x++)
			memset(row + (size_t)x * (size_t)scale,
			    qr_dark(qr, x, y) ? 0x00 : 0xff, (size_t)scale);
		for (k = 0; k < scale; k++)
			png_write_row(png, row);
	}
	png_write_end(png, NULL);
}

/*
 * Append to b an 8-bit greyscale PNG of the QR code of text, each module
 * scale x scale pixels (scale 1..40), with a 4-module white quiet zone.
 * Returns 0, or -1 (text empty or too long for a symbol, scale out of
 * range, b overflowed, libpng failed); on -1 b's length is restored
 * unless b overflowed.  Everything is freed with b's arena or here.
 */
int
qr_png(struct buf *b, const char *text, int scale)
{
	const size_t	 start = b->len;
	QRcode		*qr;
	unsigned char	*row;
	unsigned	 side;
	png_structp	 png;
	png_infop	 info;

	if (scale < 1 || scale > QR_SCALEMAX || b->overflow ||
	    (qr = qr_encode(b->a, text)) == NULL)
		return -1;
	side = (unsigned)(qr->width + 2 * QR_QUIET) * (unsigned)scale;
	if ((row = arena_alloc(b->a, side)) == NULL)
		return -1;

	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, b,
	    png_error_cb, png_warn_cb);
	if (png == NULL)
		return -1;
	if ((info = png_create_info_struct(png)) == NULL) {
		png_destroy_write_struct(&png, NULL);
		return -1;
	}
	/*
	 * png, info, b and start are not changed after this point, so they
	 * are intact when libpng longjmps back here.
	 */
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		if (!b->overflow && b->len > start) {
			b->len = start;
			if (b->data != NULL)
				b->data[start] = '\0';
		}
		return -1;
	}
	png_set_write_fn(png, b, png_write_cb, png_flush_cb);
	png_emit(png, info, qr, row, scale, side);
	png_destroy_write_struct(&png, &info);
	return b->overflow ? -1 : 0;
}

/*
 * Append to b an SVG of the QR code of text: a white background and one
 * <path> of horizontal runs of dark modules, in module units (viewBox
 * includes the 4-module quiet zone); width and height are modules x
 * scale.  Returns 0, or -1 (as qr_png).
 */
int
qr_svg(struct buf *b, const char *text, int scale)
{
	QRcode	*qr;
	int	 mods, x, y, run;

	if (scale < 1 || scale > QR_SCALEMAX || b->overflow ||
	    (qr = qr_encode(b->a, text)) == NULL)
		return -1;
	mods = qr->width + 2 * QR_QUIET;
	buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
	    "shape-rendering=\"crispEdges\">"
	    "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
	    "<path fill=\"#000\" d=\"", mods * scale, mods * scale, mods, mods,
	    mods, mods);
	for (y = QR_QUIET; y < mods - QR_QUIET; y++)
		for (x = QR_QUIET; x < mods - QR_QUIET; x += run) {
			for (run = 0; qr_dark(qr, x + run, y); run++)
				continue;
			if (run == 0) {
				run = 1;
				continue;
			}
			buf_printf(b, "M%d %dh%dv1h-%dz", x, y, run, run);
		}
	buf_puts(b, "\"/></svg>");
	return b->overflow ? -1 : 0;
}
