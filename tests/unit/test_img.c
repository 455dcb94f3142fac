/*
 * test_img.c: unit tests for fcgi/img.c (cmocka).
 *
 * Fixtures in tests/unit/img/ (run from the top of the tree) were made
 * once with libturbojpeg and libpng and given EXIF with exiftool:
 *
 *   photo_exif.jpg     160x120, DateTimeOriginal 2024:05:17 14:03:22,
 *                      DateTime 2024:06:01 08:00:00, GPS 39.9042 N
 *                      116.4074 E (Beijing)
 *   photo_plain.jpg    the same image, no EXIF
 *   exif_fallback.jpg  48x32, only DateTime 2023:12:31 23:59:58, GPS
 *                      22.9068 S 43.1729 W (Rio de Janeiro)
 *   exif_bad.jpg       48x32, DateTimeOriginal 0000:00:00 00:00:00,
 *                      DateTime 2024:02:30 10:00:00, GPS latitude 95 N
 *   rotated.jpg        64x32, left half red, right half blue, EXIF with
 *                      Orientation 6 (turn 90 degrees clockwise) and no date
 *   not_jpeg.jpg       a 16x16 PNG
 *
 * Larger images are made here with libturbojpeg.  Inputs are copied into
 * exact-size malloc'd blocks so AddressSanitizer sees a read past the end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <turbojpeg.h>

#include "extern.h"

#define FIXTURES	"tests/unit/img/"
#define NBUFS		32

struct tstate {
	struct arena	 a;
	unsigned char	*bufs[NBUFS];
	size_t		 nbufs;
};

static int
setup(void **state)
{
	struct tstate	*t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return -1;
	arena_init(&t->a, 0);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct tstate	*t = *state;
	size_t		 i;

	for (i = 0; i < t->nbufs; i++)
		free(t->bufs[i]);
	arena_free(&t->a);
	free(t);
	return 0;
}

#define ARENA(st)	(&((struct tstate *)*(st))->a)

/* An exact-size copy of p[0..n), freed at teardown. */
static unsigned char *
exact(void **state, const void *p, size_t n)
{
	struct tstate	*t = *state;
	unsigned char	*c;

	assert_true(t->nbufs < NBUFS);
	c = malloc(n ? n : 1);
	assert_non_null(c);
	memcpy(c, p, n);
	t->bufs[t->nbufs++] = c;
	return c;
}

static unsigned char *
fixture(void **state, const char *name, size_t *len)
{
	char		 path[256], tmp[65536];
	FILE		*f;
	size_t		 n;

	snprintf(path, sizeof(path), FIXTURES "%s", name);
	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("cannot open %s (run from the top of the tree)", path);
	n = fread(tmp, 1, sizeof(tmp), f);
	assert_true(feof(f));
	fclose(f);
	*len = n;
	return exact(state, tmp, n);
}

/*
 * A w x h JPEG made here; kind 0: smooth colours, 1: one-pixel black and
 * white columns, 2: flat grey 128.  Exact-size copy, freed at teardown.
 */
static unsigned char *
make_jpeg(void **state, int w, int h, int pf, int sub, int flags, int kind,
    size_t *len)
{
	tjhandle	 tc;
	unsigned char	*px, *j = NULL, *out, *p;
	unsigned long	 jl = 0;
	int		 x, y, c, ps = tjPixelSize[pf], v[3];

	px = malloc((size_t)w * (size_t)h * (size_t)ps);
	assert_non_null(px);
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			p = px + ((size_t)y * (size_t)w + (size_t)x) *
			    (size_t)ps;
			if (kind == 1)
				v[0] = v[1] = v[2] = x % 2 ? 255 : 0;
			else if (kind == 2)
				v[0] = v[1] = v[2] = 128;
			else {
				v[0] = (x * 255) / w;
				v[1] = (y * 255) / h;
				v[2] = ((x + y) * 127) / (w + h) + 64;
			}
			for (c = 0; c < ps; c++)
				p[c] = (unsigned char)(c < 3 ? v[c] : 255);
		}
	tc = tjInitCompress();
	assert_non_null(tc);
	assert_int_equal(tjCompress2(tc, px, w, 0, h, pf, &j, &jl, sub, 95,
	    flags), 0);
	out = exact(state, j, jl);
	*len = jl;
	tjFree(j);
	tjDestroy(tc);
	free(px);
	return out;
}

/* j[0..n) with the segment seg[0..segn) put right after SOI. */
static unsigned char *
splice_after_soi(void **state, const unsigned char *j, size_t n,
    const unsigned char *seg, size_t segn, size_t *len)
{
	unsigned char	*tmp, *out;

	tmp = malloc(n + segn);
	assert_non_null(tmp);
	memcpy(tmp, j, 2);
	memcpy(tmp + 2, seg, segn);
	memcpy(tmp + 2 + segn, j + 2, n - 2);
	out = exact(state, tmp, n + segn);
	free(tmp);
	*len = n + segn;
	return out;
}

/* The APP1 Exif segment (marker included) of a fixture. */
static const unsigned char *
find_app1(const unsigned char *j, size_t n, size_t *seglen)
{
	size_t	 p = 2, l;

	while (p + 4 <= n && j[p] == 0xff) {
		l = (size_t)j[p + 2] << 8 | j[p + 3];
		if (j[p + 1] == 0xe1 && p + 2 + l <= n &&
		    memcmp(j + p + 4, "Exif", 4) == 0) {
			*seglen = l + 2;
			return j + p;
		}
		p += 2 + l;
	}
	fail_msg("fixture without APP1 Exif");
	return NULL;
}

/*
 * Every marker segment before SOS: none may be APPn or COM.  Returns the
 * number of segments seen.
 */
static int
assert_no_metadata(const unsigned char *j, size_t n)
{
	size_t	 p = 2, l;
	int	 segs = 0;

	assert_true(n > 4 && j[0] == 0xff && j[1] == 0xd8);
	for (;;) {
		assert_true(p + 4 <= n);
		assert_int_equal(j[p], 0xff);
		if ((j[p + 1] >= 0xe0 && j[p + 1] <= 0xef) || j[p + 1] == 0xfe)
			fail_msg("APP%d/COM segment 0x%02x at %zu",
			    j[p + 1] & 0xf, j[p + 1], p);
		if (j[p + 1] == 0xda)
			break;
		l = (size_t)j[p + 2] << 8 | j[p + 3];
		p += 2 + l;
		segs++;
	}
	assert_null(memmem(j, n, "Exif", 4));
	assert_null(memmem(j, n, "JFIF", 4));
	assert_int_equal(j[n - 2], 0xff);
	assert_int_equal(j[n - 1], 0xd9);
	return segs;
}

/* Decode a whole JPEG to RGB with libturbojpeg; malloc'd, caller frees. */
static unsigned char *
decode_rgb(const unsigned char *j, size_t n, int *w, int *h)
{
	tjhandle	 td;
	unsigned char	*px;
	int		 sub, cs;

	td = tjInitDecompress();
	assert_non_null(td);
	assert_int_equal(tjDecompressHeader3(td, j, (unsigned long)n, w, h,
	    &sub, &cs), 0);
	px = malloc((size_t)*w * (size_t)*h * 3);
	assert_non_null(px);
	assert_int_equal(tjDecompress2(td, j, (unsigned long)n, px, *w, 0, *h,
	    TJPF_RGB, TJFLAG_STOPONWARNING), 0);
	tjDestroy(td);
	return px;
}

static void
exif_time_and_gps(void **state)
{
	struct img_info	 info;
	unsigned char	*j;
	size_t		 n;

	j = fixture(state, "photo_exif.jpg", &n);
	assert_int_equal(img_inspect(j, n, &info), IMG_OK);
	assert_int_equal(info.width, 160);
	assert_int_equal(info.height, 120);
	assert_int_equal(info.has_time, 1);
	/* DateTimeOriginal wins over DateTime. */
	assert_string_equal(info.taken_at, "2024-05-17 14:03:22");
	assert_int_equal(info.has_gps, 1);
	assert_true(info.lat > 39.9042 - 1e-4 && info.lat < 39.9042 + 1e-4);
	assert_true(info.lng > 116.4074 - 1e-4 && info.lng < 116.4074 + 1e-4);
}

static void
exif_fallback_south_west(void **state)
{
	struct img_info	 info;
	unsigned char	*j;
	size_t		 n;

	j = fixture(state, "exif_fallback.jpg", &n);
	assert_int_equal(img_inspect(j, n, &info), IMG_OK);
	assert_int_equal(info.has_time, 1);
	assert_string_equal(info.taken_at, "2023-12-31 23:59:58");
	assert_int_equal(info.has_gps, 1);
	assert_true(info.lat > -22.9068 - 1e-4 && info.lat < -22.9068 + 1e-4);
	assert_true(info.lng > -43.1729 - 1e-4 && info.lng < -43.1729 + 1e-4);
}

static void
exif_out_of_range(void **state)
{
	struct img_info	 info;
	unsigned char	*j;
	size_t		 n;

	/* 0000:00:00, then a 30th of February; latitude 95. */
	j = fixture(state, "exif_bad.jpg", &n);
	assert_int_equal(img_inspect(j, n, &info), IMG_OK);
	assert_int_equal(info.width, 48);
	assert_int_equal(info.has_time, 0);
	assert_string_equal(info.taken_at, "");
	assert_int_equal(info.has_gps, 0);
	assert_true(info.lat == 0 && info.lng == 0);
}

static void
no_exif(void **state)
{
	struct img_info	 info;
	unsigned char	*j;
	size_t		 n;

	j = fixture(state, "photo_plain.jpg", &n);
	assert_int_equal(img_inspect(j, n, &info), IMG_OK);
	assert_int_equal(info.width, 160);
	assert_int_equal(info.height, 120);
	assert_int_equal(info.has_time, 0);
	assert_int_equal(info.has_gps, 0);

	/* EXIF without a date: libexif must not make one up. */
	j = fixture(state, "rotated.jpg", &n);
	assert_int_equal(img_inspect(j, n, &info), IMG_OK);
	assert_int_equal(info.width, 64);
	assert_int_equal(info.height, 32);
	assert_int_equal(info.has_time, 0);
	assert_int_equal(info.has_gps, 0);
}

static void
truncated(void **state)
{
	struct img_info	 info;
	unsigned char	*j, *px;
	size_t		 n, k, outlen;
	int		 w, h;

	j = fixture(state, "photo_plain.jpg", &n);
	assert_int_equal(img_inspect(exact(state, j, n / 2), n / 2, &info),
	    IMG_CORRUPT);
	assert_int_equal(img_reencode(ARENA(state), j, n / 2, 64, 80, &px,
	    &outlen, &w, &h), IMG_CORRUPT);
	assert_null(px);

	/* Every shorter prefix of the EXIF photo is refused. */
	j = fixture(state, "photo_exif.jpg", &n);
	for (k = 3; k < n; k++) {
		unsigned char	*c = malloc(k);

		assert_non_null(c);
		memcpy(c, j, k);
		if (img_inspect(c, k, &info) == IMG_OK)
			fail_msg("prefix of %zu of %zu bytes accepted", k, n);
		free(c);
	}

	/* A big image cut in the middle of its entropy-coded data. */
	j = make_jpeg(state, 800, 600, TJPF_RGB, TJSAMP_420, 0, 0, &n);
	assert_int_equal(img_inspect(j, n, &info), IMG_OK);
	assert_int_equal(img_inspect(j, n - n / 3, &info), IMG_CORRUPT);
	assert_int_equal(img_reencode(ARENA(state), j, n - n / 3, 64, 80, &px,
	    &outlen, &w, &h), IMG_CORRUPT);
}

static void
not_jpeg(void **state)
{
	static const unsigned char	 short1[] = { 0xff };
	static const unsigned char	 short2[] = { 0xff, 0xd8, 0xfe };
	struct img_info			 info;
	unsigned char			*j, buf[4096], *px;
	size_t				 n, i, k, outlen;
	int				 w, h;
	uint32_t			 x = 2463534242u;

	j = fixture(state, "not_jpeg.jpg", &n);
	assert_memory_equal(j, "\x89PNG", 4);
	assert_int_equal(img_inspect(j, n, &info), IMG_NOT_JPEG);
	assert_int_equal(img_reencode(ARENA(state), j, n, 64, 80, &px,
	    &outlen, &w, &h), IMG_NOT_JPEG);
	assert_int_equal(img_inspect(exact(state, short1, 1), 1, &info),
	    IMG_NOT_JPEG);
	assert_int_equal(img_inspect(exact(state, short2, 3), 3, &info),
	    IMG_NOT_JPEG);
	assert_int_equal(img_inspect(NULL, 0, &info), IMG_NOT_JPEG);

	/* Random bytes (xorshift32, fixed seed), some after a JPEG SOI. */
	for (i = 0; i < 200; i++) {
		n = 1 + i * 19 % sizeof(buf);
		for (k = 0; k < n; k++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			buf[k] = (unsigned char)x;
		}
		if (buf[0] == 0xff)
			buf[0] = 0;
		j = malloc(n);
		assert_non_null(j);
		memcpy(j, buf, n);
		assert_int_equal(img_inspect(j, n, &info), IMG_NOT_JPEG);
		free(j);
		if (n > 3) {
			buf[0] = 0xff;
			buf[1] = 0xd8;
			buf[2] = 0xff;
			j = malloc(n);
			assert_non_null(j);
			memcpy(j, buf, n);
			assert_int_not_equal(img_inspect(j, n, &info), IMG_OK);
			free(j);
		}
	}
}

/* SOI, SOF0 for w x h with three components, SOS; nothing else. */
static unsigned char *
header_only(void **state, int w, int h, size_t *len)
{
	unsigned char	 b[] = {
		0xff, 0xd8,
		0xff, 0xc0, 0x00, 0x11, 0x08,
		    0, 0, 0, 0,			/* height, width */
		    0x03,
		    0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
		0xff, 0xda, 0x00, 0x0c, 0x03,
		    0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3f, 0x00,
		0x00, 0x00, 0x00, 0x00,
		0xff, 0xd9,
	};

	b[7] = (unsigned char)(h >> 8);
	b[8] = (unsigned char)h;
	b[9] = (unsigned char)(w >> 8);
	b[10] = (unsigned char)w;
	*len = sizeof(b);
	return exact(state, b, sizeof(b));
}

static void
dimensions(void **state)
{
	static const int	 too_big[][2] = {
		{ 65535, 65535 }, { 12001, 1 }, { 1, 12001 },
		{ 8000, 6251 }, { 7072, 7071 }, { 12000, 4167 },
	};
	static const int	 in_limits[][2] = {
		{ 12000, 1 }, { 1, 12000 }, { 7072, 7070 }, { 12000, 4166 },
	};
	struct arena		*a = ARENA(state);
	struct img_info		 info;
	unsigned char		*j, *px;
	size_t			 i, n, outlen;
	int			 w, h;

	for (i = 0; i < sizeof(too_big) / sizeof(too_big[0]); i++) {
		j = header_only(state, too_big[i][0], too_big[i][1], &n);
		assert_int_equal(img_inspect(j, n, &info), IMG_DIMENSIONS);
		assert_int_equal(info.width, 0);
		/* Refused before anything came from the arena. */
		assert_int_equal(img_reencode(a, j, n, 1280, 85, &px, &outlen,
		    &w, &h), IMG_DIMENSIONS);
		assert_int_equal(a->used, 0);
		assert_null(px);
	}
	/* Within the limits the same bytes are just broken. */
	for (i = 0; i < sizeof(in_limits) / sizeof(in_limits[0]); i++) {
		j = header_only(state, in_limits[i][0], in_limits[i][1], &n);
		assert_int_equal(img_inspect(j, n, &info), IMG_CORRUPT);
	}
	/* A zero height (DNL, T.81 B.2.5) is not supported. */
	j = header_only(state, 100, 0, &n);
	assert_int_equal(img_inspect(j, n, &info), IMG_CORRUPT);
}

static void
reencode_strips_and_shrinks(void **state)
{
	struct arena	*a = ARENA(state);
	struct img_info	 info;
	const unsigned char *seg;
	unsigned char	*j, *big, *out, *px;
	size_t		 n, segn = 0, bign, outlen;
	int		 w, h, dw, dh;

	j = fixture(state, "photo_exif.jpg", &n);
	seg = find_app1(j, n, &segn);
	big = make_jpeg(state, 2000, 1500, TJPF_RGB, TJSAMP_420, 0, 0, &n);
	big = splice_after_soi(state, big, n, seg, segn, &bign);
	assert_int_equal(img_inspect(big, bign, &info), IMG_OK);
	assert_int_equal(info.width, 2000);
	assert_int_equal(info.has_gps, 1);
	assert_int_equal(info.has_time, 1);

	assert_int_equal(img_reencode(a, big, bign, 1280, 85, &out, &outlen,
	    &w, &h), IMG_OK);
	assert_int_equal(w, 1280);
	assert_int_equal(h, 960);
	assert_true(assert_no_metadata(out, outlen) >= 3);
	px = decode_rgb(out, outlen, &dw, &dh);
	assert_int_equal(dw, 1280);
	assert_int_equal(dh, 960);
	/* The gradient survives: red grows left to right, green downwards. */
	assert_true(px[(480 * 1280 + 10) * 3] < 20);
	assert_true(px[(480 * 1280 + 1270) * 3] > 235);
	assert_true(px[(10 * 1280 + 640) * 3 + 1] < 20);
	assert_true(px[(950 * 1280 + 640) * 3 + 1] > 235);
	free(px);
	assert_int_equal(img_inspect(out, outlen, &info), IMG_OK);
	assert_int_equal(info.has_time, 0);
	assert_int_equal(info.has_gps, 0);

	/* A thumbnail; and a portrait one. */
	assert_int_equal(img_reencode(a, big, bign, 240, 70, &out, &outlen,
	    &w, &h), IMG_OK);
	assert_int_equal(w, 240);
	assert_int_equal(h, 180);
	assert_no_metadata(out, outlen);
	px = decode_rgb(out, outlen, &dw, &dh);
	assert_true(dw == 240 && dh == 180);
	free(px);
	big = make_jpeg(state, 1500, 2000, TJPF_RGB, TJSAMP_444, 0, 0, &n);
	assert_int_equal(img_reencode(a, big, n, 240, 70, &out, &outlen, &w,
	    &h), IMG_OK);
	assert_true(w == 180 && h == 240);

	/* Never enlarged; metadata still dropped. */
	j = fixture(state, "photo_exif.jpg", &n);
	assert_int_equal(img_reencode(a, j, n, 1280, 85, &out, &outlen, &w,
	    &h), IMG_OK);
	assert_true(w == 160 && h == 120);
	assert_no_metadata(out, outlen);

	/* Odd sizes and tiny targets. */
	big = make_jpeg(state, 1001, 17, TJPF_RGB, TJSAMP_420, 0, 0, &n);
	assert_int_equal(img_reencode(a, big, n, 100, 85, &out, &outlen, &w,
	    &h), IMG_OK);
	assert_true(w == 100 && h == 2);
	assert_int_equal(img_reencode(a, big, n, 1, 85, &out, &outlen, &w,
	    &h), IMG_OK);
	assert_true(w == 1 && h == 1);
	px = decode_rgb(out, outlen, &dw, &dh);
	free(px);
}

/*
 * Area averaging: one-pixel black and white columns shrunk 10 times must
 * come out mid grey everywhere (point sampling would give black or
 * white), and flat grey stays flat grey.
 */
static void
reencode_averages(void **state)
{
	struct arena	*a = ARENA(state);
	unsigned char	*j, *out, *px;
	size_t		 n, outlen, i;
	int		 w, h, dw, dh, kind;

	for (kind = 1; kind <= 2; kind++) {
		j = make_jpeg(state, 1000, 800, TJPF_GRAY, TJSAMP_GRAY, 0,
		    kind, &n);
		assert_int_equal(img_reencode(a, j, n, 100, 95, &out, &outlen,
		    &w, &h), IMG_OK);
		assert_true(w == 100 && h == 80);
		px = decode_rgb(out, outlen, &dw, &dh);
		for (i = 0; i < (size_t)dw * (size_t)dh * 3; i++)
			if (px[i] < 118 || px[i] > 138)
				fail_msg("kind %d: sample %zu is %d", kind, i,
				    px[i]);
		free(px);
	}
}

/* Orientation 6: the red left half ends up on top, 32 x 64. */
static void
reencode_orientation(void **state)
{
	struct arena	*a = ARENA(state);
	unsigned char	*j, *out, *px, *top, *bottom;
	size_t		 n, outlen;
	int		 w, h, dw, dh;

	j = fixture(state, "rotated.jpg", &n);
	assert_int_equal(img_reencode(a, j, n, 1280, 90, &out, &outlen, &w,
	    &h), IMG_OK);
	assert_true(w == 32 && h == 64);
	assert_no_metadata(out, outlen);
	px = decode_rgb(out, outlen, &dw, &dh);
	assert_true(dw == 32 && dh == 64);
	top = px + (8 * 32 + 16) * 3;
	bottom = px + (56 * 32 + 16) * 3;
	assert_true(top[0] > 180 && top[2] < 60);
	assert_true(bottom[0] < 60 && bottom[2] > 180);
	free(px);
}

/* Grey, CMYK, progressive and 4:4:4 inputs all go through. */
static void
reencode_kinds(void **state)
{
	static const struct {
		int	 pf, sub, flags;
	} k[] = {
		{ TJPF_GRAY, TJSAMP_GRAY, 0 },
		{ TJPF_CMYK, TJSAMP_444, 0 },
		{ TJPF_RGB, TJSAMP_420, TJFLAG_PROGRESSIVE },
		{ TJPF_RGB, TJSAMP_444, 0 },
		{ TJPF_RGB, TJSAMP_422, 0 },
		{ TJPF_RGB, TJSAMP_440, 0 },
	};
	struct arena	*a = ARENA(state);
	struct img_info	 info;
	unsigned char	*j, *out, *px;
	size_t		 i, n, outlen;
	int		 w, h, dw, dh;

	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		j = make_jpeg(state, 96, 64, k[i].pf, k[i].sub, k[i].flags, 0,
		    &n);
		assert_int_equal(img_inspect(j, n, &info), IMG_OK);
		assert_true(info.width == 96 && info.height == 64);
		assert_int_equal(img_reencode(a, j, n, 48, 80, &out, &outlen,
		    &w, &h), IMG_OK);
		assert_true(w == 48 && h == 32);
		assert_no_metadata(out, outlen);
		px = decode_rgb(out, outlen, &dw, &dh);
		assert_true(dw == 48 && dh == 32);
		free(px);
	}
}

/* An arena too small for the pixels: refused, nothing half done. */
static void
reencode_arena_cap(void **state)
{
	struct arena	 small;
	unsigned char	*j, *out;
	size_t		 n, outlen;
	int		 w, h;

	j = make_jpeg(state, 2000, 1500, TJPF_RGB, TJSAMP_420, 0, 2, &n);
	arena_init(&small, 1u << 20);
	assert_int_equal(img_reencode(&small, j, n, 1280, 85, &out, &outlen,
	    &w, &h), IMG_DIMENSIONS);
	assert_null(out);
	assert_int_equal(w, 0);
	arena_free(&small);
}

int
main(void)
{
	const struct CMUnitTest	 tests[] = {
		cmocka_unit_test_setup_teardown(exif_time_and_gps, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(exif_fallback_south_west,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(exif_out_of_range, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(no_exif, setup, teardown),
		cmocka_unit_test_setup_teardown(truncated, setup, teardown),
		cmocka_unit_test_setup_teardown(not_jpeg, setup, teardown),
		cmocka_unit_test_setup_teardown(dimensions, setup, teardown),
		cmocka_unit_test_setup_teardown(reencode_strips_and_shrinks,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(reencode_averages, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(reencode_orientation, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(reencode_kinds, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(reencode_arena_cap, setup,
		    teardown),
	};
	const char		*pre = getenv("LD_PRELOAD");

	/*
	 * Under valgrind (make valgrind), libjpeg-turbo's SIMD code reads
	 * uninitialised padding of its own buffers, harmlessly; valgrind
	 * reports it.  Its scalar code is clean, so use that there.
	 */
	if (pre != NULL && strstr(pre, "vgpreload") != NULL)
		setenv("JSIMD_FORCENONE", "1", 1);
	return cmocka_run_group_tests_name("img", tests, NULL, NULL);
}
