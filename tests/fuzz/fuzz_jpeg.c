/*
 * fuzz_jpeg.c: libFuzzer target for img_inspect and img_reencode
 * (fcgi/img.c), which take uploads: JPEG structure, libturbojpeg and
 * libexif behind them.
 *
 * Checks beyond "no crash": what img_inspect accepts has sane fields
 * (size within the limits, a well-formed date, coordinates on the
 * globe) and re-encodes to at most 64 pixels a side; the output is a
 * JPEG img_inspect accepts, of the size reported, without APPn or COM
 * segments; what img_inspect refuses, img_reencode refuses too.
 * Seeds: tests/fuzz/corpus/fuzz_jpeg (tiny JPEGs of each kind, with and
 * without EXIF).
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

static int
digits(const char *s, const char *pat)
{
	for (; *pat != '\0'; s++, pat++)
		if (*pat == 'd' ? *s < '0' || *s > '9' : *s != *pat)
			return 0;
	return *s == '\0';
}

/* The segments up to SOS of our own output: no APPn, no COM. */
static void
check_clean(const unsigned char *j, size_t n)
{
	size_t	 p = 2;

	CHECK(n >= 4 && j[0] == 0xff && j[1] == 0xd8);
	while (p + 4 <= n && j[p] == 0xff && j[p + 1] != 0xda) {
		CHECK(!(j[p + 1] >= 0xe0 && j[p + 1] <= 0xef));
		CHECK(j[p + 1] != 0xfe);
		p += 2 + ((size_t)j[p + 2] << 8 | j[p + 3]);
	}
	CHECK(p + 4 <= n && j[p + 1] == 0xda);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct img_info	 info, again;
	struct arena	 a;
	enum img_err	 err, rerr;
	unsigned char	*out;
	size_t		 outlen;
	int		 w, h;

	err = img_inspect(data, size, &info);
	CHECK(err >= IMG_OK && err < IMG__MAX);
	if (err != IMG_OK) {
		CHECK(info.width == 0 && info.has_time == 0 &&
		    info.has_gps == 0);
	} else {
		CHECK(info.width >= 1 && info.width <= 12000);
		CHECK(info.height >= 1 && info.height <= 12000);
		CHECK((long long)info.width * info.height <= 50000000LL);
		if (info.has_time)
			CHECK(digits(info.taken_at, "dddd-dd-dd dd:dd:dd"));
		else
			CHECK(info.taken_at[0] == '\0');
		if (info.has_gps)
			CHECK(info.lat >= -90 && info.lat <= 90 &&
			    info.lng >= -180 && info.lng <= 180);
	}

	arena_init(&a, 256u << 20);
	rerr = img_reencode(&a, data, size, 64, 75, &out, &outlen, &w, &h);
	if (err != IMG_OK) {
		CHECK(rerr != IMG_OK);
		if (err != IMG_CORRUPT)
			CHECK(rerr == err);
	} else {
		CHECK(rerr == IMG_OK);
		CHECK(w >= 1 && h >= 1 && w <= 64 && h <= 64);
		CHECK(w == 64 || h == 64 ||
		    (w <= info.width && h <= info.height) ||
		    (w <= info.height && h <= info.width));
		check_clean(out, outlen);
		CHECK(img_inspect(out, outlen, &again) == IMG_OK);
		CHECK(again.width == w && again.height == h);
		CHECK(!again.has_time && !again.has_gps);
	}
	if (rerr != IMG_OK)
		CHECK(out == NULL && w == 0 && h == 0);
	arena_free(&a);
	return 0;
}
