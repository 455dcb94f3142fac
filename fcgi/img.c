/*
 * img.c: checking uploaded photos and re-encoding them without metadata.
 *
 * Every upload is judged by its bytes, never by its name or type: it must
 * start with the JPEG SOI marker (ITU-T T.81 B.2), its frame header must
 * give at most 12000 pixels a side and 50 million in all, and the whole
 * image must decode without a warning.  The frame size is read from the
 * SOFn segment here, before libturbojpeg sees the data, so a few bytes
 * claiming 65535 x 65535 never make anyone allocate for it.
 *
 * EXIF (JEITA CP-3451C, "EXIF 2.3") gives the capture time and GPS
 * position.  We find the APP1 "Exif\0\0" segment ourselves and hand
 * libexif only that segment (at most 65533 bytes, all inside the upload),
 * with FOLLOW_SPECIFICATION off so libexif does not invent entries (it
 * would fill a missing DateTime with the current time).  No EXIF value is
 * trusted: formats, counts and ranges are checked before use.
 *
 * Re-encoding decodes at a libjpeg-turbo scaling factor (n/8) close above
 * the target, averages pixel areas down to the exact size, applies the
 * EXIF orientation to the pixels and writes a new baseline JPEG, 4:2:0,
 * with no APPn or COM segment at all: no EXIF, GPS, JFIF, ICC, comments.
 *
 * libturbojpeg handles are destroyed and its buffers tjFree'd on every
 * path; pixels of img_reencode live in the caller's arena.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libexif/exif-data.h>
#include <turbojpeg.h>

#include "extern.h"

#define IMG_MAXSIDE	12000
#define IMG_MAXPIXELS	50000000LL
/*
 * Stop at the first libjpeg warning ("Premature end of JPEG file" is one:
 * libjpeg would pad a truncated image with grey) and refuse progressive
 * files with an absurd number of scans (a CPU exhaustion trick).
 */
#define IMG_TJFLAGS	(TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS)

/* What the segments before the first SOS say (T.81 B.2.4, EXIF 2.3 4.5.4). */
struct jscan {
	const unsigned char	*exif;		/* "Exif\0\0", TIFF header */
	size_t			 exiflen;	/* both; at most 65533 */
	int			 sof;		/* a frame header was seen */
	int			 width;
	int			 height;
};

static int
is_sof(int m)
{
	/* SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC). */
	return m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc;
}

/*
 * Walk the marker segments from SOI to the first SOS: 0 with the frame
 * size (and the first EXIF segment, if any), -1 when the structure is
 * broken or there is no frame header.  Every length is checked against
 * len before the segment is looked at.
 */
static int
jpeg_scan(const unsigned char *d, size_t len, struct jscan *js)
{
	size_t	 p = 2, seglen;
	int	 m;

	memset(js, 0, sizeof(*js));
	for (;;) {
		if (p >= len || d[p] != 0xff)
			return -1;
		while (p < len && d[p] == 0xff)	/* fill bytes, B.1.1.2 */
			p++;
		if (p >= len)
			return -1;
		m = d[p++];
		if (m == 0x01 || (m >= 0xd0 && m <= 0xd7))
			continue;	/* TEM, RSTn: no length */
		if (m == 0x00 || m == 0xd8 || m == 0xd9)
			return -1;	/* no SOS before EOI, or junk */
		if (len - p < 2)
			return -1;
		seglen = (size_t)d[p] << 8 | d[p + 1];
		if (seglen < 2 || seglen > len - p)
			return -1;
		if (m == 0xda)
			return js->sof ? 0 : -1;
		if (is_sof(m) && !js->sof) {
			if (seglen < 8)
				return -1;
			js->sof = 1;
			js->height = d[p + 3] << 8 | d[p + 4];
			js->width = d[p + 5] << 8 | d[p + 6];
		} else if (m == 0xe1 && js->exif == NULL && seglen >= 8 + 6 &&
		    memcmp(d + p + 2, "Exif\0\0", 6) == 0) {
			js->exif = d + p + 2;
			js->exiflen = seglen - 2;
		}
		p += seglen;
	}
}

/*
 * The checks both entry points share: by content a JPEG, a sane
 * structure, a frame size within limits, a header libturbojpeg reads.
 * On IMG_OK *tj is a decompressor the caller destroys.
 */
static enum img_err
jpeg_open(const unsigned char *data, size_t len, struct jscan *js,
    tjhandle *tj, int *cs)
{
	int	 w, h, sub;

	*tj = NULL;
	if (data == NULL || len < 3 || data[0] != 0xff || data[1] != 0xd8 ||
	    data[2] != 0xff)
		return IMG_NOT_JPEG;
	/* libexif and libjpeg take 32-bit sizes; far beyond any upload. */
	if (len > UINT_MAX)
		return IMG_DIMENSIONS;
	if (jpeg_scan(data, len, js) == -1)
		return IMG_CORRUPT;
	if (js->width > IMG_MAXSIDE || js->height > IMG_MAXSIDE ||
	    (long long)js->width * js->height > IMG_MAXPIXELS)
		return IMG_DIMENSIONS;
	if (js->width == 0 || js->height == 0)	/* DNL: not supported */
		return IMG_CORRUPT;
	if ((*tj = tjInitDecompress()) == NULL)
		return IMG_CORRUPT;
	if (tjDecompressHeader3(*tj, data, (unsigned long)len, &w, &h, &sub,
	    cs) == -1 || w != js->width || h != js->height) {
		tjDestroy(*tj);
		*tj = NULL;
		return IMG_CORRUPT;
	}
	return IMG_OK;
}

/*
 * The scaled size libjpeg-turbo decodes to that is smallest while still
 * at least tw x th (1/1 always qualifies: tw <= w, th <= h).
 */
static void
pick_scale(int w, int h, int tw, int th, int *sw, int *sh)
{
	tjscalingfactor	*sf;
	int		 n, i, x, y;

	*sw = w;
	*sh = h;
	if ((sf = tjGetScalingFactors(&n)) == NULL)
		return;
	for (i = 0; i < n; i++) {
		if (sf[i].num > sf[i].denom || sf[i].num < 1)
			continue;
		x = TJSCALED(w, sf[i]);
		y = TJSCALED(h, sf[i]);
		if (x >= tw && y >= th && x >= 1 && y >= 1 &&
		    (long long)x * y < (long long)*sw * *sh) {
			*sw = x;
			*sh = y;
		}
	}
}

/* CMYK and YCCK only decode to CMYK (libjpeg has no CMYK->RGB). */
static int
pixel_format(int cs, int gray_ok)
{
	if (cs == TJCS_CMYK || cs == TJCS_YCCK)
		return TJPF_CMYK;
	return gray_ok ? TJPF_GRAY : TJPF_RGB;
}

/*
 * Decode the whole image at the smallest scale: the entropy-coded data is
 * read to the end all the same, so a truncated or damaged file fails
 * here, at 1/64 of the memory of a full decode.
 */
static enum img_err
jpeg_verify(tjhandle tj, const unsigned char *data, size_t len, int w,
    int h, int cs)
{
	unsigned char	*px;
	int		 sw, sh, pf, rc;

	pick_scale(w, h, 1, 1, &sw, &sh);
	pf = pixel_format(cs, 1);
	if ((px = malloc((size_t)sw * (size_t)sh *
	    (size_t)tjPixelSize[pf])) == NULL)
		return IMG_CORRUPT;
	rc = tjDecompress2(tj, data, (unsigned long)len, px, sw, 0, sh, pf,
	    IMG_TJFLAGS);
	free(px);
	return rc == 0 ? IMG_OK : IMG_CORRUPT;
}

/* The EXIF data of the segment js found, or NULL; exif_data_unref it. */
static ExifData *
exif_open(const struct jscan *js)
{
	ExifData	*ed;

	if (js->exif == NULL || js->exiflen > 65533)
		return NULL;
	if ((ed = exif_data_new()) == NULL)
		return NULL;
	/* Read what is there; do not add "mandatory" entries to it. */
	exif_data_unset_option(ed, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
	exif_data_load_data(ed, js->exif, (unsigned int)js->exiflen);
	return ed;
}

static int
days_in_month(int y, int m)
{
	static const int	 days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return days[m - 1];
}

static int
num(const unsigned char *s, int n)
{
	int	 v = 0, i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/*
 * An EXIF date-time, "YYYY:MM:DD HH:MM:SS" in ASCII (EXIF 2.3 4.6.5,
 * DateTime), as "YYYY-MM-DD HH:MM:SS" in out.  0 when it is a real
 * date and time; cameras write "0000:00:00 00:00:00" or blanks when
 * their clock is unset, and those are refused.
 */
static int
exif_time_of(const ExifEntry *e, char out[32])
{
	static const char	 pat[] = "dddd:dd:dd dd:dd:dd";
	const unsigned char	*s;
	int			 i, y, mo, d;

	if (e == NULL || e->format != EXIF_FORMAT_ASCII || e->data == NULL ||
	    e->size < sizeof(pat) - 1)
		return -1;
	s = e->data;
	for (i = 0; pat[i] != '\0'; i++)
		if (pat[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != pat[i])
			return -1;
	y = num(s, 4);
	mo = num(s + 5, 2);
	d = num(s + 8, 2);
	if (y < 1900 || mo < 1 || mo > 12 || d < 1 ||
	    d > days_in_month(y, mo) || num(s + 11, 2) > 23 ||
	    num(s + 14, 2) > 59 || num(s + 17, 2) > 59)
		return -1;
	memcpy(out, s, sizeof(pat) - 1);
	out[4] = out[7] = '-';
	out[sizeof(pat) - 1] = '\0';
	return 0;
}

/*
 * One GPS coordinate (EXIF 2.3 4.6.6): a Ref of one ASCII letter (pos or
 * neg) and up to three RATIONALs, degrees, minutes, seconds.  0 and *out
 * in signed decimal degrees when every part is in range.
 */
static int
exif_coord(ExifData *ed, ExifTag reft, ExifTag valt, int pos, int neg,
    double max, double *out)
{
	ExifContent	*gps = ed->ifd[EXIF_IFD_GPS];
	ExifEntry	*r, *v;
	ExifByteOrder	 bo = exif_data_get_byte_order(ed);
	ExifRational	 q;
	double		 part[3] = { 0, 0, 0 }, deg;
	unsigned long	 i;

	r = exif_content_get_entry(gps, reft);
	v = exif_content_get_entry(gps, valt);
	if (r == NULL || v == NULL)
		return -1;
	if (r->format != EXIF_FORMAT_ASCII || r->data == NULL ||
	    r->size < 1 || (r->data[0] != pos && r->data[0] != neg))
		return -1;
	if (v->format != EXIF_FORMAT_RATIONAL || v->data == NULL ||
	    v->components < 1 || v->components > 3 ||
	    v->size / 8 < v->components)
		return -1;
	for (i = 0; i < v->components; i++) {
		q = exif_get_rational(v->data + 8 * i, bo);
		if (q.denominator == 0)
			return -1;
		part[i] = (double)q.numerator / (double)q.denominator;
	}
	/* Some writers round 59.99... seconds up to 60: accept that. */
	if (part[0] > max || part[1] >= 60 || part[2] > 60)
		return -1;
	deg = part[0] + part[1] / 60 + part[2] / 3600;
	if (deg > max)
		return -1;
	*out = r->data[0] == neg ? -deg : deg;
	return 0;
}

static void
exif_read(ExifData *ed, struct img_info *info)
{
	ExifEntry	*st;

	if (exif_time_of(exif_content_get_entry(ed->ifd[EXIF_IFD_EXIF],
	    EXIF_TAG_DATE_TIME_ORIGINAL), info->taken_at) == 0 ||
	    exif_time_of(exif_content_get_entry(ed->ifd[EXIF_IFD_0],
	    EXIF_TAG_DATE_TIME), info->taken_at) == 0)
		info->has_time = 1;
	else
		info->taken_at[0] = '\0';

	/* GPSStatus "V": the receiver had no fix (measurement void). */
	st = exif_content_get_entry(ed->ifd[EXIF_IFD_GPS], EXIF_TAG_GPS_STATUS);
	if (st != NULL && st->format == EXIF_FORMAT_ASCII &&
	    st->data != NULL && st->size >= 1 && st->data[0] == 'V')
		return;
	if (exif_coord(ed, EXIF_TAG_GPS_LATITUDE_REF, EXIF_TAG_GPS_LATITUDE,
	    'N', 'S', 90, &info->lat) == -1 ||
	    exif_coord(ed, EXIF_TAG_GPS_LONGITUDE_REF, EXIF_TAG_GPS_LONGITUDE,
	    'E', 'W', 180, &info->lng) == -1 ||
	    (info->lat == 0 && info->lng == 0)) {
		/* 0,0 is what some phones write without a fix. */
		info->lat = info->lng = 0;
		return;
	}
	info->has_gps = 1;
}

/* EXIF Orientation (EXIF 2.3 4.6.4 A, TIFF tag 274): 1..8, 1 if absent. */
static int
exif_orientation(ExifData *ed)
{
	ExifEntry	*e;
	int		 o;

	e = exif_content_get_entry(ed->ifd[EXIF_IFD_0], EXIF_TAG_ORIENTATION);
	if (e == NULL || e->format != EXIF_FORMAT_SHORT || e->data == NULL ||
	    e->size < 2)
		return 1;
	o = exif_get_short(e->data, exif_data_get_byte_order(ed));
	return o >= 1 && o <= 8 ? o : 1;
}

/*
 * Check data[0..len) as an uploaded photo and fill info: size as stored
 * (before EXIF orientation), capture time and GPS position when the EXIF
 * has valid ones.  Returns IMG_OK, IMG_NOT_JPEG (does not start with
 * FF D8 FF), IMG_DIMENSIONS (more than 12000 a side or 50 million
 * pixels; checked before anything is decoded) or IMG_CORRUPT (broken
 * structure, truncated, any decoder warning).  Nothing to free.
 */
enum img_err
img_inspect(const unsigned char *data, size_t len, struct img_info *info)
{
	struct jscan	 js;
	tjhandle	 tj;
	ExifData	*ed;
	enum img_err	 err;
	int		 cs;

	memset(info, 0, sizeof(*info));
	if ((err = jpeg_open(data, len, &js, &tj, &cs)) != IMG_OK)
		return err;
	err = jpeg_verify(tj, data, len, js.width, js.height, cs);
	tjDestroy(tj);
	if (err != IMG_OK)
		return err;
	info->width = js.width;
	info->height = js.height;
	if ((ed = exif_open(&js)) != NULL) {
		exif_read(ed, info);
		exif_data_unref(ed);
	}
	return IMG_OK;
}

/*
 * Shrink the n-channel image s (sw x sh) to d (dw x dh), dw <= sw and
 * dh <= sh, by area averaging: a destination pixel is the mean of the
 * source area it covers, partly covered source pixels counted by the
 * part covered.  Exact integer arithmetic: along one axis destination
 * pixel i spans [i*sn, (i+1)*sn) and source pixel j [j*dn, (j+1)*dn) in
 * units of 1/dn source pixel.  Two passes (across, then down); the
 * intermediate and accumulators come from the arena.
 */
static unsigned char *
shrink(struct arena *a, const unsigned char *s, int sw, int sh, int dw,
    int dh, int n)
{
	unsigned char	*t, *d;
	uint32_t	*acc;
	uint64_t	 lo, hi, jlo, jhi, cover;
	size_t		 i, j, y, c, k, rowt;

	/* Across: s (sw x sh) -> t (dw x sh). */
	rowt = (size_t)dw * (size_t)n;
	if ((t = arena_alloc(a, rowt * (size_t)sh)) == NULL)
		return NULL;
	for (i = 0; i < (size_t)dw; i++) {
		lo = i * (uint64_t)sw;
		hi = lo + (uint64_t)sw;
		for (y = 0; y < (size_t)sh; y++) {
			const unsigned char	*row = s + y * (size_t)sw * n;
			uint32_t		 sum[4] = { 0, 0, 0, 0 };

			for (j = lo / (uint64_t)dw; j * (uint64_t)dw < hi;
			    j++) {
				jlo = j * (uint64_t)dw;
				jhi = jlo + (uint64_t)dw;
				cover = (jhi < hi ? jhi : hi) -
				    (jlo > lo ? jlo : lo);
				for (c = 0; c < (size_t)n; c++)
					sum[c] += (uint32_t)(row[j * n + c] *
					    cover);
			}
			for (c = 0; c < (size_t)n; c++)
				t[y * rowt + i * n + c] = (unsigned char)
				    ((sum[c] + (uint32_t)sw / 2) /
				    (uint32_t)sw);
		}
	}

	/* Down: t (dw x sh) -> d (dw x dh). */
	if ((d = arena_alloc(a, rowt * (size_t)dh)) == NULL ||
	    (acc = arena_alloc(a, rowt * sizeof(*acc))) == NULL)
		return NULL;
	for (i = 0; i < (size_t)dh; i++) {
		lo = i * (uint64_t)sh;
		hi = lo + (uint64_t)sh;
		memset(acc, 0, rowt * sizeof(*acc));
		for (j = lo / (uint64_t)dh; j * (uint64_t)dh < hi; j++) {
			jlo = j * (uint64_t)dh;
			jhi = jlo + (uint64_t)dh;
			cover = (jhi < hi ? jhi : hi) - (jlo > lo ? jlo : lo);
			for (k = 0; k < rowt; k++)
				acc[k] += (uint32_t)(t[j * rowt + k] * cover);
		}
		for (k = 0; k < rowt; k++)
			d[i * rowt + k] = (unsigned char)
			    ((acc[k] + (uint32_t)sh / 2) / (uint32_t)sh);
	}
	return d;
}

/*
 * Turn the stored RGB image (w x h) the way EXIF orientation o says it is
 * to be shown (EXIF 2.3 4.6.4 A, TIFF 6.0 Orientation); for 5..8 width
 * and height swap.  A new image in the arena, or s itself for 1.
 */
static unsigned char *
orient(struct arena *a, const unsigned char *s, int w, int h, int o,
    int *ow, int *oh)
{
	unsigned char	*d;
	size_t		 x, y, sx, sy, W, H;

	*ow = w;
	*oh = h;
	if (o == 1)
		return (unsigned char *)(uintptr_t)s;
	if (o >= 5) {
		*ow = h;
		*oh = w;
	}
	W = (size_t)w;
	H = (size_t)h;
	if ((d = arena_alloc(a, W * H * 3)) == NULL)
		return NULL;
	for (y = 0; y < (size_t)*oh; y++)
		for (x = 0; x < (size_t)*ow; x++) {
			switch (o) {
			case 2:	sx = W - 1 - x;	sy = y;		break;
			case 3:	sx = W - 1 - x;	sy = H - 1 - y;	break;
			case 4:	sx = x;		sy = H - 1 - y;	break;
			case 5:	sx = y;		sy = x;		break;
			case 6:	sx = y;		sy = H - 1 - x;	break;
			case 7:	sx = W - 1 - y;	sy = H - 1 - x;	break;
			case 8:	sx = W - 1 - y;	sy = x;		break;
			default: abort();
			}
			memcpy(d + (y * (size_t)*ow + x) * 3,
			    s + (sy * W + sx) * 3, 3);
		}
	return d;
}

/*
 * CMYK as Adobe applications store it in JPEG (inverted: 255 is no ink)
 * to RGB, in place; a rough conversion, enough for a thumbnail.
 */
static void
cmyk_to_rgb(unsigned char *p, size_t npx)
{
	size_t		 i;
	unsigned	 k;

	for (i = 0; i < npx; i++) {
		k = p[i * 4 + 3];
		p[i * 3 + 0] = (unsigned char)(p[i * 4 + 0] * k / 255);
		p[i * 3 + 1] = (unsigned char)(p[i * 4 + 1] * k / 255);
		p[i * 3 + 2] = (unsigned char)(p[i * 4 + 2] * k / 255);
	}
}

/*
 * Copy the JPEG j[0..n) into the arena without its APPn and COM segments
 * (libjpeg always writes a JFIF APP0).  NULL when memory is refused or
 * the stream is not as libjpeg writes it.
 */
static unsigned char *
strip_app(struct arena *a, const unsigned char *j, size_t n, size_t *outlen)
{
	unsigned char	*out;
	size_t		 p = 2, seglen;

	if (n < 4 || j[0] != 0xff || j[1] != 0xd8)
		return NULL;
	while (n - p >= 4 && j[p] == 0xff &&
	    ((j[p + 1] >= 0xe0 && j[p + 1] <= 0xef) || j[p + 1] == 0xfe)) {
		seglen = (size_t)j[p + 2] << 8 | j[p + 3];
		if (seglen < 2 || seglen > n - p - 2)
			return NULL;
		p += 2 + seglen;
	}
	if ((out = arena_alloc(a, 2 + (n - p))) == NULL)
		return NULL;
	out[0] = 0xff;
	out[1] = 0xd8;
	memcpy(out + 2, j + p, n - p);
	*outlen = 2 + (n - p);
	return out;
}

/*
 * Decode data (the checks of img_inspect first), shrink it to at most
 * max_side pixels on its longer side (never enlarge), turn it upright
 * by its EXIF orientation and encode it again: baseline, 4:2:0, quality
 * q, no APPn or COM segment.  max_side is taken into 1..12000 and q into
 * 1..100.  On IMG_OK *out (*outlen bytes, in the arena) and *w x *h, the
 * size of the output; else *out is NULL.  IMG_DIMENSIONS also when the
 * arena refuses the memory for the pixels.
 */
enum img_err
img_reencode(struct arena *a, const unsigned char *data, size_t len,
    int max_side, int q, unsigned char **out, size_t *outlen, int *w,
    int *h)
{
	struct jscan	 js;
	tjhandle	 tj = NULL, tc = NULL;
	ExifData	*ed;
	unsigned char	*px, *jbuf = NULL;
	unsigned long	 jlen = 0;
	enum img_err	 err;
	int		 cs, pf, o = 1, tw, th, sw, sh, ow, oh;

	*out = NULL;
	*outlen = 0;
	*w = *h = 0;
	max_side = max_side < 1 ? 1 : max_side > IMG_MAXSIDE ?
	    IMG_MAXSIDE : max_side;
	q = q < 1 ? 1 : q > 100 ? 100 : q;

	if ((err = jpeg_open(data, len, &js, &tj, &cs)) != IMG_OK)
		return err;
	if ((ed = exif_open(&js)) != NULL) {
		o = exif_orientation(ed);
		exif_data_unref(ed);
	}

	tw = js.width;
	th = js.height;
	if (tw >= th && tw > max_side) {
		tw = max_side;
		th = (int)(((long long)js.height * max_side + js.width / 2) /
		    js.width);
	} else if (th > tw && th > max_side) {
		th = max_side;
		tw = (int)(((long long)js.width * max_side + js.height / 2) /
		    js.height);
	}
	if (tw < 1)
		tw = 1;
	if (th < 1)
		th = 1;
	pick_scale(js.width, js.height, tw, th, &sw, &sh);

	pf = pixel_format(cs, 0);
	err = IMG_DIMENSIONS;
	if ((px = arena_alloc(a, (size_t)sw * (size_t)sh *
	    (size_t)tjPixelSize[pf])) == NULL)
		goto done;
	err = IMG_CORRUPT;
	if (tjDecompress2(tj, data, (unsigned long)len, px, sw, 0, sh, pf,
	    IMG_TJFLAGS | TJFLAG_ACCURATEDCT) == -1)
		goto done;
	if (pf == TJPF_CMYK)
		cmyk_to_rgb(px, (size_t)sw * (size_t)sh);

	err = IMG_DIMENSIONS;
	if ((sw != tw || sh != th) &&
	    (px = shrink(a, px, sw, sh, tw, th, 3)) == NULL)
		goto done;
	if ((px = orient(a, px, tw, th, o, &ow, &oh)) == NULL)
		goto done;

	err = IMG_CORRUPT;
	if ((tc = tjInitCompress()) == NULL ||
	    tjCompress2(tc, px, ow, 0, oh, TJPF_RGB, &jbuf, &jlen,
	    TJSAMP_420, q, TJFLAG_ACCURATEDCT) == -1)
		goto done;
	err = IMG_DIMENSIONS;
	if ((*out = strip_app(a, jbuf, jlen, outlen)) == NULL)
		goto done;
	*w = ow;
	*h = oh;
	err = IMG_OK;
done:
	if (jbuf != NULL)
		tjFree(jbuf);
	if (tc != NULL)
		tjDestroy(tc);
	if (tj != NULL)
		tjDestroy(tj);
	return err;
}
