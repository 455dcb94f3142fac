/*
 * xlsx.c: reading the first worksheet of an uploaded .xlsx, and writing
 * exports as .xlsx.
 *
 * An .xlsx is a zip (ECMA-376 Part 2, Open Packaging Conventions) of
 * SpreadsheetML parts (ECMA-376 Part 1, 18): xl/workbook.xml names the
 * sheets in tab order, xl/_rels/workbook.xml.rels maps each to its part,
 * xl/sharedStrings.xml holds the strings cells refer to by index (18.4),
 * xl/styles.xml the number formats that make a number a date (18.8.30,
 * 18.8.31), and the worksheet part the cells (18.3.1.4 c, 18.3.1.73 row).
 *
 * Uploads are hostile until proven otherwise:
 *  - the zip is opened by libzip from memory, read-only, and judged by
 *    its central directory before anything is inflated: at most 1000
 *    entries, each at most 256 MiB unpacked and, above 1 MiB, at most
 *    200 times its packed size, 512 MiB in all.  Those are only claims,
 *    so the bytes actually inflated are counted again while streaming
 *    and the same caps applied to them (a "zip bomb" lies in its
 *    headers).  Only stored and deflated, unencrypted parts are read.
 *  - XML goes through expat in chunks, never as a whole document.  A
 *    DOCTYPE or entity declaration stops the parser (SpreadsheetML has no
 *    use for a DTD; refusing it rules out external entities and entity
 *    expansion, on top of expat's own billion-laughs protection), and
 *    expat's heap is capped by a counting allocator, so one endless
 *    attribute cannot take the worker's memory.
 *  - rows, cells and cell sizes have the caps of csv.c, and the shared
 *    strings a count and a total size.
 *
 * Memory is the caller's arena, except libzip's and expat's own, which
 * are released before xlsx_read returns.  As in csv.c one row buffer is
 * reused for every row.
 *
 * Writing uses libxlsxwriter in constant-memory mode into a temporary
 * file, which is read back into the output buffer and removed.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <expat.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "extern.h"

#define XLSX_MAXENTRIES	1000
#define XLSX_MAXENTRY	(256ULL << 20)	/* unpacked, one entry */
#define XLSX_MAXTOTAL	(512ULL << 20)	/* unpacked, all entries */
#define XLSX_RATIOFROM	(1ULL << 20)	/* ratio checked above this */
#define XLSX_MAXRATIO	200
#define XLSX_MAXCELLS	200
#define XLSX_MAXCELL	(32 * 1024)
#define XLSX_MAXSST	(1u << 20)	/* shared strings */
#define XLSX_MAXSSTTEXT	(64u << 20)	/* their bytes */
#define XLSX_MAXXF	65536		/* cell formats (Excel: 64000) */
#define XLSX_MAXFMT	4096		/* custom number formats */
#define XLSX_XMLHEAP	(64u << 20)	/* expat's heap, one parser */
#define XLSX_CHUNK	(64 * 1024)
#define XLSX_MAXPATH	512
#define XLSX_MAXROW	1048576		/* Excel's limits */
#define XLSX_MAXCOL	16384

/* A growing text, capped at XLSX_MAXCELL bytes (over is set beyond). */
struct text {
	char		*s;
	size_t		 len;
	size_t		 size;
	int		 over;
};

/* The row being assembled (as in csv.c); NOCELL marks a gap. */
#define NOCELL	SIZE_MAX
struct xrow {
	char		 *text;
	size_t		  len;
	size_t		  size;
	size_t		  off[XLSX_MAXCELLS];
	size_t		  ncells;
	const char	**cells;
};

/* A custom number format (18.8.30): its id, and is it a date? */
struct numfmt {
	uint32_t	 id;
	int		 date;
};

/* What the cell type attribute says (18.18.11 ST_CellType). */
enum ctype { CT_NUMBER, CT_SHARED, CT_INLINE, CT_STR, CT_BOOL, CT_ERROR,
	CT_DATE, CT_BAD };

struct xlsx {
	struct arena	*a;
	zip_t		*za;
	char		*chunk;		/* XLSX_CHUNK bytes for zip_fread */
	uint64_t	 inflated;	/* bytes inflated from all entries */
	XML_Parser	 p;
	enum sheet_err	 err;		/* why a handler stopped the parser */
	struct text	 t;

	/* workbook.xml and its relationships */
	int		 date1904;
	char		*sheetrid;
	const char	*sheetpath;
	const char	*sstpath;
	const char	*stylespath;

	/* sharedStrings.xml: NULL for a string over XLSX_MAXCELL */
	char		**sst;
	size_t		 nsst;
	size_t		 sstcap;
	size_t		 sstbytes;
	int		 in_si;
	int		 in_t;
	int		 rph;		/* depth inside phonetic runs */

	/* styles.xml */
	uint32_t	*xfid;		/* numFmtId of each cellXfs xf */
	size_t		 nxf;
	size_t		 xfcap;
	struct numfmt	*fmt;		/* custom number formats */
	size_t		 nfmt;
	size_t		 fmtcap;
	unsigned char	*xfdate;	/* the result, per xf */
	int		 in_cellxfs;
	int		 in_numfmts;

	/* the worksheet */
	int		 in_data;	/* inside sheetData */
	int		 in_row;
	int		 in_c;
	int		 in_v;
	int		 in_is;
	long		 rowno;		/* current row, 1-based */
	long		 lastrow;
	long		 col;		/* current cell, 0-based */
	long		 lastcol;
	enum ctype	 ct;
	long		 style;
	int		 hasval;
	struct xrow	 row;
	size_t		 max_rows;
	size_t		 nrows;
	sheet_row_fn	 fn;
	void		*arg;
};

/* ---------------------------------------------------------------- memory */

/*
 * expat's allocator: malloc with a size header, refusing growth past
 * XLSX_XMLHEAP bytes held by this thread's parsers.  (expat's memory
 * suite has no user pointer; workers are single-threaded processes.)
 */
union xhdr {
	size_t		n;
	max_align_t	align;
};
static _Thread_local size_t xml_heap;

static void *
xml_malloc(size_t n)
{
	union xhdr	*h;

	if (n > XLSX_XMLHEAP - xml_heap)
		return NULL;
	if ((h = malloc(sizeof(*h) + n)) == NULL)
		return NULL;
	h->n = n;
	xml_heap += n;
	return h + 1;
}

static void *
xml_realloc(void *p, size_t n)
{
	union xhdr	*h, *nh;
	size_t		 old;

	if (p == NULL)
		return xml_malloc(n);
	h = (union xhdr *)p - 1;
	old = h->n;
	if (n > old && n - old > XLSX_XMLHEAP - xml_heap)
		return NULL;
	if ((nh = realloc(h, sizeof(*nh) + n)) == NULL)
		return NULL;
	xml_heap = xml_heap - old + n;
	nh->n = n;
	return nh + 1;
}

static void
xml_free(void *p)
{
	union xhdr	*h;

	if (p == NULL)
		return;
	h = (union xhdr *)p - 1;
	xml_heap -= h->n;
	free(h);
}

static const XML_Memory_Handling_Suite xml_mem = {
	xml_malloc, xml_realloc, xml_free
};

/*
 * Make room for n elements of elsize in an arena array of *cap elements
 * holding n - 1 (doubling): the array, or NULL when the arena refuses.
 */
static void *
grow(struct arena *a, void *old, size_t n, size_t *cap, size_t elsize)
{
	size_t	 ncap;
	void	*p;

	if (n <= *cap)
		return old;
	ncap = *cap ? *cap * 2 : 64;
	if (ncap > SIZE_MAX / elsize)
		return NULL;
	if ((p = arena_alloc(a, ncap * elsize)) == NULL)
		return NULL;
	if (*cap)
		memcpy(p, old, *cap * elsize);
	*cap = ncap;
	return p;
}

/* Append to t, or set t->over past the cell cap. */
static void
text_add(struct xlsx *x, const char *s, size_t n)
{
	size_t	 nsize;
	char	*p;

	if (x->t.over || n == 0)
		return;
	if (n > XLSX_MAXCELL - x->t.len) {
		x->t.over = 1;
		return;
	}
	if (x->t.size - x->t.len <= n) {
		nsize = x->t.size ? x->t.size : 256;
		while (nsize - x->t.len <= n)
			nsize *= 2;
		if ((p = arena_alloc(x->a, nsize)) == NULL) {
			x->err = SHEET_TOO_BIG;
			XML_StopParser(x->p, XML_FALSE);
			return;
		}
		if (x->t.len)
			memcpy(p, x->t.s, x->t.len);
		x->t.s = p;
		x->t.size = nsize;
	}
	memcpy(x->t.s + x->t.len, s, n);
	x->t.len += n;
	x->t.s[x->t.len] = '\0';
}

static void
text_reset(struct xlsx *x)
{
	x->t.len = 0;
	x->t.over = 0;
	if (x->t.s != NULL)
		x->t.s[0] = '\0';
}

/* ------------------------------------------------------------ XML helpers */

/* Stop the parser from inside a handler, keeping the first reason. */
static void
stop(struct xlsx *x, enum sheet_err e)
{
	if (x->err == SHEET_OK) {
		x->err = e;
		XML_StopParser(x->p, XML_FALSE);
	}
}

/*
 * The local part of an element or attribute name.  The parser does no
 * namespace processing, so "x:row" and "row" are both "row"; SpreadsheetML
 * element names do not clash across the namespaces a workbook uses.
 */
static const char *
local(const char *name)
{
	const char	*c;

	return (c = strrchr(name, ':')) != NULL ? c + 1 : name;
}

/* The value of the attribute named name (exactly), or NULL. */
static const char *
attr(const char **atts, const char *name)
{
	for (; atts[0] != NULL; atts += 2)
		if (strcmp(atts[0], name) == 0)
			return atts[1];
	return NULL;
}

/* The value of a prefixed attribute with local name name ("r:id"). */
static const char *
attr_ns(const char **atts, const char *name)
{
	for (; atts[0] != NULL; atts += 2)
		if (strchr(atts[0], ':') != NULL &&
		    strcmp(local(atts[0]), name) == 0)
			return atts[1];
	return NULL;
}

/* A whole decimal number in [0, max], surrounding spaces allowed; or -1. */
static long
number(const char *s, long max)
{
	long	 v = 0;
	int	 any = 0;

	while (*s == ' ')
		s++;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (max - (*s - '0')) / 10)
			return -1;
		v = v * 10 + (*s - '0');
		any = 1;
	}
	while (*s == ' ')
		s++;
	return any && *s == '\0' ? v : -1;
}

/* A numFmtId-like attribute (xsd:unsignedInt): def when absent or bad. */
static long
attr_num(const char **atts, const char *name, long def)
{
	const char	*v;
	long		 n;

	if ((v = attr(atts, name)) == NULL ||
	    (n = number(v, UINT32_MAX)) < 0)
		return def;
	return n;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decode the _xHHHH_ escapes of ST_Xstring (ECMA-376 Part 1, 22.9.2.19)
 * in place: Excel writes a CR as _x000D_ and a literal "_x" as _x005F_x.
 * U+0000 and surrogates stay as they are written (a cell is a C string,
 * and half a pair is no character).  The result is never longer.
 */
static size_t
unescape(char *s, size_t len)
{
	size_t		 i, o;
	unsigned	 cp;
	int		 k, h;

	for (i = o = 0; i < len; ) {
		cp = 0;
		if (len - i >= 7 && s[i] == '_' && s[i + 1] == 'x' &&
		    s[i + 6] == '_') {
			for (k = 2; k < 6; k++) {
				if ((h = hexval((unsigned char)s[i + k])) < 0)
					break;
				cp = cp << 4 | (unsigned)h;
			}
			if (k < 6 || cp == 0 || (cp >= 0xd800 && cp <= 0xdfff))
				cp = 0;
		}
		if (cp == 0) {
			s[o++] = s[i++];
			continue;
		}
		i += 7;
		if (cp < 0x80)
			s[o++] = (char)cp;
		else if (cp < 0x800) {
			s[o++] = (char)(0xc0 | cp >> 6);
			s[o++] = (char)(0x80 | (cp & 0x3f));
		} else {
			s[o++] = (char)(0xe0 | cp >> 12);
			s[o++] = (char)(0x80 | (cp >> 6 & 0x3f));
			s[o++] = (char)(0x80 | (cp & 0x3f));
		}
	}
	s[o] = '\0';
	return o;
}

/*
 * The zip entry name of a relationship target (ECMA-376 Part 2, 9.3):
 * absolute ("/xl/worksheets/sheet1.xml") or relative to the folder of
 * the source part, with "." and ".." segments resolved.  NULL when it is
 * empty, too long or climbs out of the package.  Only used to look an
 * entry up in the zip, never as a file name.
 */
static char *
part_path(struct arena *a, const char *base, const char *target)
{
	char	 tmp[XLSX_MAXPATH], *out, *seg;
	size_t	 n, o = 0;
	char	*save = NULL;

	if (target == NULL || *target == '\0')
		return NULL;
	if (*target == '/')
		n = (size_t)snprintf(tmp, sizeof(tmp), "%s", target + 1);
	else
		n = (size_t)snprintf(tmp, sizeof(tmp), "%s/%s", base, target);
	if (n >= sizeof(tmp))
		return NULL;
	if ((out = arena_alloc(a, n + 1)) == NULL)
		return NULL;
	for (seg = strtok_r(tmp, "/", &save); seg != NULL;
	    seg = strtok_r(NULL, "/", &save)) {
		if (strcmp(seg, ".") == 0)
			continue;
		if (strcmp(seg, "..") == 0) {
			if (o == 0)
				return NULL;
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
			continue;
		}
		if (o > 0)
			out[o++] = '/';
		memcpy(out + o, seg, strlen(seg));
		o += strlen(seg);
	}
	if (o == 0)
		return NULL;
	out[o] = '\0';
	return out;
}

/* ------------------------------------------------------------ zip entries */

/*
 * Judge the archive by its central directory (see the file header):
 * SHEET_OK, or SHEET_TOO_BIG.
 */
static enum sheet_err
zip_check(zip_t *za)
{
	zip_int64_t	 n, i;
	zip_stat_t	 st;
	uint64_t	 total = 0;

	if ((n = zip_get_num_entries(za, 0)) < 0)
		return SHEET_FORMAT;
	if (n > XLSX_MAXENTRIES)
		return SHEET_TOO_BIG;
	for (i = 0; i < n; i++) {
		if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) == -1)
			return SHEET_FORMAT;
		if (!(st.valid & ZIP_STAT_SIZE) ||
		    !(st.valid & ZIP_STAT_COMP_SIZE))
			return SHEET_FORMAT;
		if (st.size > XLSX_MAXENTRY)
			return SHEET_TOO_BIG;
		if (st.size > XLSX_RATIOFROM &&
		    (st.size - 1) / XLSX_MAXRATIO >= st.comp_size)
			return SHEET_TOO_BIG;	/* over 200 times its size */
		total += st.size;
		if (total > XLSX_MAXTOTAL)
			return SHEET_TOO_BIG;
	}
	return SHEET_OK;
}

/* The index of the entry named name (ASCII case ignored), or -1. */
static zip_int64_t
entry(struct xlsx *x, const char *name)
{
	if (name == NULL)
		return -1;
	return zip_name_locate(x->za, name, ZIP_FL_NOCASE);
}

static void XMLCALL
on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int internal)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)internal;
	stop(ud, SHEET_FORMAT);
}

static void XMLCALL
on_entity(void *ud, const XML_Char *name, int param, const XML_Char *value,
    int vlen, const XML_Char *base, const XML_Char *sysid,
    const XML_Char *pubid, const XML_Char *notation)
{
	(void)name;
	(void)param;
	(void)value;
	(void)vlen;
	(void)base;
	(void)sysid;
	(void)pubid;
	(void)notation;
	stop(ud, SHEET_FORMAT);
}

/*
 * Stream entry idx through a new expat parser with the given handlers,
 * counting the inflated bytes against the caps as they come: SHEET_OK,
 * the error a handler stopped with, SHEET_TOO_BIG, or SHEET_FORMAT.
 */
static enum sheet_err
xml_stream(struct xlsx *x, zip_int64_t idx, XML_StartElementHandler start,
    XML_EndElementHandler end, XML_CharacterDataHandler chars)
{
	zip_stat_t	 st;
	zip_file_t	*zf = NULL;
	zip_int64_t	 n;
	uint64_t	 got = 0;
	enum sheet_err	 e = SHEET_FORMAT;
	int		 last;

	x->err = SHEET_OK;
	x->p = NULL;
	if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) == -1 ||
	    !(st.valid & ZIP_STAT_COMP_METHOD) ||
	    (st.comp_method != ZIP_CM_STORE &&
	    st.comp_method != ZIP_CM_DEFLATE) ||
	    ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
	    st.encryption_method != ZIP_EM_NONE))
		return SHEET_FORMAT;
	if ((zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0)) == NULL)
		return SHEET_FORMAT;
	if ((x->p = XML_ParserCreate_MM(NULL, &xml_mem, NULL)) == NULL) {
		e = SHEET_TOO_BIG;
		goto done;
	}
	XML_SetUserData(x->p, x);
	XML_SetElementHandler(x->p, start, end);
	XML_SetCharacterDataHandler(x->p, chars);
	XML_SetDoctypeDeclHandler(x->p, on_doctype, NULL);
	XML_SetEntityDeclHandler(x->p, on_entity);
	XML_SetParamEntityParsing(x->p, XML_PARAM_ENTITY_PARSING_NEVER);

	do {
		if ((n = zip_fread(zf, x->chunk, XLSX_CHUNK)) < 0)
			goto done;
		/* The header's sizes are claims; these bytes are facts. */
		got += (uint64_t)n;
		x->inflated += (uint64_t)n;
		if (got > st.size || got > XLSX_MAXENTRY ||
		    x->inflated > XLSX_MAXTOTAL || (got > XLSX_RATIOFROM &&
		    (got - 1) / XLSX_MAXRATIO >= st.comp_size)) {
			e = SHEET_TOO_BIG;
			goto done;
		}
		last = n == 0;
		if (XML_Parse(x->p, x->chunk, (int)n, last) !=
		    XML_STATUS_OK) {
			if (x->err != SHEET_OK)
				e = x->err;
			else if (XML_GetErrorCode(x->p) == XML_ERROR_NO_MEMORY)
				e = SHEET_TOO_BIG;
			goto done;
		}
	} while (!last);
	e = SHEET_OK;
done:
	if (x->p != NULL)
		XML_ParserFree(x->p);
	x->p = NULL;
	zip_fclose(zf);
	return e;
}

/* Parse the entry at path, if the package has it: as xml_stream. */
static enum sheet_err
xml_part(struct xlsx *x, const char *path, XML_StartElementHandler start,
    XML_EndElementHandler end, XML_CharacterDataHandler chars)
{
	zip_int64_t	 idx;

	if ((idx = entry(x, path)) < 0)
		return SHEET_OK;
	return xml_stream(x, idx, start, end, chars);
}

/* ------------------------------------------------------- workbook, rels */

static void XMLCALL
wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx	*x = ud;
	const char	*n = local(name), *v;

	if (x->err != SHEET_OK)
		return;
	if (strcmp(n, "workbookPr") == 0) {
		/* 18.2.28: xsd:boolean, "1" or "true" */
		v = attr(atts, "date1904");
		x->date1904 = v != NULL &&
		    (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
	} else if (strcmp(n, "sheet") == 0 && x->sheetrid == NULL) {
		/* The first <sheet> is the first tab (18.2.19). */
		if ((v = attr_ns(atts, "id")) != NULL &&
		    strlen(v) < XLSX_MAXPATH &&
		    (x->sheetrid = arena_strdup(x->a, v)) == NULL)
			stop(x, SHEET_TOO_BIG);
	}
}

static void XMLCALL
no_end(void *ud, const XML_Char *name)
{
	(void)ud;
	(void)name;
}

static void XMLCALL
no_chars(void *ud, const XML_Char *s, int len)
{
	(void)ud;
	(void)s;
	(void)len;
}

/* Does the relationship type end with "/" suffix? */
static int
reltype(const char *type, const char *suffix)
{
	size_t	 tl, sl = strlen(suffix);

	if (type == NULL || (tl = strlen(type)) <= sl)
		return 0;
	return type[tl - sl - 1] == '/' && strcmp(type + tl - sl, suffix) == 0;
}

static void XMLCALL
rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx	*x = ud;
	const char	*id, *type, *target, *mode;

	if (x->err != SHEET_OK || strcmp(local(name), "Relationship") != 0)
		return;
	id = attr(atts, "Id");
	type = attr(atts, "Type");
	target = attr(atts, "Target");
	mode = attr(atts, "TargetMode");
	if (mode != NULL && strcmp(mode, "External") == 0)
		return;
	if (x->sheetpath == NULL && id != NULL && x->sheetrid != NULL &&
	    strcmp(id, x->sheetrid) == 0)
		x->sheetpath = part_path(x->a, "xl", target);
	else if (x->sstpath == NULL && reltype(type, "sharedStrings"))
		x->sstpath = part_path(x->a, "xl", target);
	else if (x->stylespath == NULL && reltype(type, "styles"))
		x->stylespath = part_path(x->a, "xl", target);
}

/* ------------------------------------------------------- shared strings */

/* 18.4.8 si: text of <t>, and of <r><t> runs; not of <rPh> (18.4.6). */
static void XMLCALL
sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx	*x = ud;
	const char	*n = local(name);

	(void)atts;
	if (x->err != SHEET_OK)
		return;
	if (strcmp(n, "si") == 0) {
		x->in_si = 1;
		x->rph = 0;
		text_reset(x);
	} else if (!x->in_si)
		return;
	else if (strcmp(n, "rPh") == 0)
		x->rph++;
	else if (strcmp(n, "t") == 0 && x->rph == 0)
		x->in_t = 1;
}

static void XMLCALL
sst_end(void *ud, const XML_Char *name)
{
	struct xlsx	*x = ud;
	const char	*n = local(name);
	char		*s = NULL;

	if (x->err != SHEET_OK || !x->in_si)
		return;
	if (strcmp(n, "t") == 0)
		x->in_t = 0;
	else if (strcmp(n, "rPh") == 0 && x->rph > 0)
		x->rph--;
	else if (strcmp(n, "si") == 0) {
		x->in_si = 0;
		if (x->nsst == XLSX_MAXSST) {
			stop(x, SHEET_TOO_BIG);
			return;
		}
		if (!x->t.over) {
			x->sstbytes += x->t.len;
			if (x->sstbytes > XLSX_MAXSSTTEXT) {
				stop(x, SHEET_TOO_BIG);
				return;
			}
			if ((s = arena_strndup(x->a, x->t.s ? x->t.s : "",
			    x->t.len)) == NULL) {
				stop(x, SHEET_TOO_BIG);
				return;
			}
			unescape(s, x->t.len);
		}
		if ((x->sst = grow(x->a, x->sst, x->nsst + 1, &x->sstcap,
		    sizeof(*x->sst))) == NULL) {
			stop(x, SHEET_TOO_BIG);
			return;
		}
		x->sst[x->nsst++] = s;
	}
}

static void XMLCALL
text_chars(void *ud, const XML_Char *s, int len)
{
	struct xlsx	*x = ud;

	if (x->err != SHEET_OK || len <= 0)
		return;
	if (x->in_t || x->in_v)
		text_add(x, s, (size_t)len);
}

/* ---------------------------------------------------------------- styles */

/*
 * Does a number format code (18.8.31) show a date or time?  It does when
 * a y, m, d, h or s (either case) appears outside "quoted text",
 * [brackets] (colours, conditions, locales, elapsed [h]), and the
 * escapes \c, _c (a space as wide as c) and *c (fill with c).
 */
static int
fmt_is_date(const char *f)
{
	for (; *f != '\0'; f++) {
		switch (*f) {
		case '"':
			while (f[1] != '\0' && f[1] != '"')
				f++;
			if (f[1] == '"')
				f++;
			break;
		case '[':
			while (f[1] != '\0' && f[1] != ']')
				f++;
			if (f[1] == ']')
				f++;
			break;
		case '\\':
		case '_':
		case '*':
			if (f[1] != '\0')
				f++;
			break;
		default:
			if (strchr("ymdhsYMDHS", *f) != NULL)
				return 1;
		}
	}
	return 0;
}

/*
 * The built-in date formats (18.8.30): 14-22 and 45-47 everywhere, and
 * 27-36 and 50-58, which are dates in the Chinese, Japanese and Korean
 * locales our users' Excel runs in.
 */
static int
builtin_date(uint32_t id)
{
	return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) ||
	    (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

static void XMLCALL
styles_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx	*x = ud;
	const char	*n = local(name), *code;
	long		 id;

	if (x->err != SHEET_OK)
		return;
	if (strcmp(n, "numFmts") == 0)
		x->in_numfmts = 1;
	else if (strcmp(n, "cellXfs") == 0)
		x->in_cellxfs = 1;
	else if (strcmp(n, "numFmt") == 0 && x->in_numfmts) {
		id = attr_num(atts, "numFmtId", -1);
		code = attr(atts, "formatCode");
		if (id < 0 || code == NULL)
			return;
		if (x->nfmt == XLSX_MAXFMT) {
			stop(x, SHEET_TOO_BIG);
			return;
		}
		if ((x->fmt = grow(x->a, x->fmt, x->nfmt + 1, &x->fmtcap,
		    sizeof(*x->fmt))) == NULL) {
			stop(x, SHEET_TOO_BIG);
			return;
		}
		x->fmt[x->nfmt].id = (uint32_t)id;
		x->fmt[x->nfmt++].date = fmt_is_date(code);
	} else if (strcmp(n, "xf") == 0 && x->in_cellxfs) {
		id = attr_num(atts, "numFmtId", 0);
		if (x->nxf == XLSX_MAXXF) {
			stop(x, SHEET_TOO_BIG);
			return;
		}
		if ((x->xfid = grow(x->a, x->xfid, x->nxf + 1, &x->xfcap,
		    sizeof(*x->xfid))) == NULL) {
			stop(x, SHEET_TOO_BIG);
			return;
		}
		x->xfid[x->nxf++] = id < 0 ? 0 : (uint32_t)id;
	}
}

static void XMLCALL
styles_end(void *ud, const XML_Char *name)
{
	struct xlsx	*x = ud;
	const char	*n = local(name);

	if (strcmp(n, "numFmts") == 0)
		x->in_numfmts = 0;
	else if (strcmp(n, "cellXfs") == 0)
		x->in_cellxfs = 0;
}

static int
numfmt_cmp(const void *a, const void *b)
{
	const struct numfmt	*x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * Which cell formats are dates, from the parsed styles: a custom format
 * of the xf's id if there is one (any one, should a broken file repeat
 * the id), else the built-in one.  Sorted and searched: 65536 xfs times
 * 4096 formats compared one by one would be a way to burn CPU.
 */
static enum sheet_err
styles_resolve(struct xlsx *x)
{
	struct numfmt	 key, *f;
	size_t		 i;

	if (x->nxf == 0)
		return SHEET_OK;
	if ((x->xfdate = arena_calloc(x->a, x->nxf, 1)) == NULL)
		return SHEET_TOO_BIG;
	if (x->nfmt > 0)
		qsort(x->fmt, x->nfmt, sizeof(*x->fmt), numfmt_cmp);
	for (i = 0; i < x->nxf; i++) {
		key.id = x->xfid[i];
		f = x->nfmt > 0 ? bsearch(&key, x->fmt, x->nfmt,
		    sizeof(*x->fmt), numfmt_cmp) : NULL;
		x->xfdate[i] = (unsigned char)(f != NULL ? f->date :
		    builtin_date(x->xfid[i]));
	}
	return SHEET_OK;
}

/* ------------------------------------------------------------- worksheet */

/*
 * Days since 1970-01-01 to a proleptic Gregorian date, counting in
 * 400-year eras of 146097 days from 0000-03-01 (so the leap day is the
 * last day of a year).
 */
static void
civil(long days, long *y, int *m, int *d)
{
	long	 era, doe, yoe, doy, mp;

	days += 719468;		/* 0000-03-01 to 1970-01-01 */
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/*
 * A date-styled number as YYYY-MM-DD into out: 1 when s is a serial date
 * of a whole day or more (18.17.4.1), 0 to keep s as it is (a time of day
 * alone, out of range, not a number).  In the 1900 system Excel counts
 * 1900-02-29, which never was (serial 60), as Lotus 1-2-3 did; in the
 * 1904 system (workbookPr date1904) serial 0 is 1904-01-01.
 */
static int
serial_date(const char *s, int date1904, char out[16])
{
	const char	*c;
	char		*end;
	double		 v;
	long		 n, y;
	int		 m, d;

	if (*s == '\0')
		return 0;
	for (c = s; *c != '\0'; c++)
		if (strchr("0123456789.-+eE", *c) == NULL)
			return 0;
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || *end != '\0' || !isfinite(v) || v < 1 ||
	    v >= 2958466)
		return 0;
	n = (long)floor(v);
	if (date1904)
		n -= 24107;		/* 1904-01-01 to 1970-01-01 */
	else if (n == 60) {
		memcpy(out, "1900-02-29", 11);
		return 1;
	} else
		n += (n < 60) - 25569;	/* 1899-12-30 to 1970-01-01 */
	civil(n, &y, &m, &d);
	if (y < 1900 || y > 9999)
		return 0;
	snprintf(out, 16, "%04ld-%02d-%02d", y, m, d);
	return 1;
}

/* Excel's text of an integer-valued float ("12345.0") without ".0". */
static size_t
trim_integer(const char *s, size_t len)
{
	size_t	 i = 0, dot;

	if (i < len && s[i] == '-')
		i++;
	if (i == len || s[i] < '0' || s[i] > '9')
		return len;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == len || s[i] != '.' || i + 1 == len)
		return len;
	dot = i++;
	while (i < len && s[i] == '0')
		i++;
	return i == len ? dot : len;
}

/* Column of a cell reference such as "B3" (18.18.62): 0-based, or -1. */
static long
ref_col(const char *r)
{
	long	 col = 0;
	int	 k;

	for (k = 0; r[k] >= 'A' && r[k] <= 'Z'; k++) {
		if (k == 3)
			return -1;
		col = col * 26 + (r[k] - 'A' + 1);
	}
	if (k == 0 || r[k] < '1' || r[k] > '9' || number(r + k,
	    XLSX_MAXROW) < 1)
		return -1;
	return col - 1;
}

static enum ctype
cell_type(const char *t)
{
	if (t == NULL || strcmp(t, "n") == 0)
		return CT_NUMBER;
	if (strcmp(t, "s") == 0)
		return CT_SHARED;
	if (strcmp(t, "inlineStr") == 0)
		return CT_INLINE;
	if (strcmp(t, "str") == 0)
		return CT_STR;
	if (strcmp(t, "b") == 0)
		return CT_BOOL;
	if (strcmp(t, "e") == 0)
		return CT_ERROR;
	if (strcmp(t, "d") == 0)
		return CT_DATE;
	return CT_BAD;
}

static void XMLCALL
sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx	*x = ud;
	const char	*n = local(name), *v;
	long		 r;

	if (x->err != SHEET_OK)
		return;
	if (!x->in_data) {
		if (strcmp(n, "sheetData") == 0)
			x->in_data = 1;
		return;
	}
	if (strcmp(n, "row") == 0) {
		if (x->in_row) {
			stop(x, SHEET_FORMAT);
			return;
		}
		/* Rows come in ascending order, r 1-based (18.3.1.73). */
		r = (v = attr(atts, "r")) != NULL ? number(v, XLSX_MAXROW) :
		    x->lastrow + 1;
		if (r < 1 || r <= x->lastrow || r > XLSX_MAXROW) {
			stop(x, SHEET_FORMAT);
			return;
		}
		x->rowno = x->lastrow = r;
		x->in_row = 1;
		x->lastcol = -1;
		x->row.len = x->row.ncells = 0;
	} else if (strcmp(n, "c") == 0) {
		if (!x->in_row || x->in_c) {
			stop(x, SHEET_FORMAT);
			return;
		}
		r = (v = attr(atts, "r")) != NULL ? ref_col(v) :
		    x->lastcol + 1;
		if (r < 0 || r <= x->lastcol || r >= XLSX_MAXCOL ||
		    (x->ct = cell_type(attr(atts, "t"))) == CT_BAD) {
			stop(x, SHEET_FORMAT);
			return;
		}
		x->col = x->lastcol = r;
		v = attr(atts, "s");
		x->style = v != NULL ? number(v, XLSX_MAXXF) : 0;
		x->in_c = 1;
		x->hasval = 0;
		text_reset(x);
	} else if (!x->in_c)
		return;
	else if (strcmp(n, "v") == 0) {
		x->in_v = 1;
		x->hasval = 1;
		text_reset(x);
	} else if (strcmp(n, "is") == 0) {
		x->in_is = 1;
		x->hasval = 1;
		x->rph = 0;
		text_reset(x);
	} else if (x->in_is && strcmp(n, "rPh") == 0)
		x->rph++;
	else if (x->in_is && x->rph == 0 && strcmp(n, "t") == 0)
		x->in_t = 1;
}

/* Put a cell's text into the row at column col, after any gap. */
static enum sheet_err
row_put(struct xlsx *x, size_t col, const char *s, size_t n)
{
	struct xrow	*r = &x->row;
	size_t		 nsize;
	char		*p;

	if (col >= XLSX_MAXCELLS)
		return SHEET_TOO_BIG;
	if (r->size - r->len <= n) {
		nsize = r->size ? r->size : 1024;
		while (nsize - r->len <= n)
			nsize *= 2;
		if ((p = arena_alloc(x->a, nsize)) == NULL)
			return SHEET_TOO_BIG;
		if (r->len)
			memcpy(p, r->text, r->len);
		r->text = p;
		r->size = nsize;
	}
	while (r->ncells < col)
		r->off[r->ncells++] = NOCELL;
	memcpy(r->text + r->len, s, n);
	r->text[r->len + n] = '\0';
	r->off[r->ncells++] = r->len;
	r->len += n + 1;
	return SHEET_OK;
}

/* The value of the cell just closed, by its type (18.3.1.4). */
static enum sheet_err
cell_done(struct xlsx *x)
{
	char		 date[16];
	const char	*s = x->t.s != NULL ? x->t.s : "";
	size_t		 n = x->t.len;
	long		 i;

	if (!x->hasval)
		return SHEET_OK;	/* formatting only */
	if (x->t.over)
		return SHEET_TOO_BIG;
	switch (x->ct) {
	case CT_SHARED:
		if ((i = number(s, LONG_MAX)) < 0 || (size_t)i >= x->nsst)
			return SHEET_FORMAT;
		if ((s = x->sst[i]) == NULL)
			return SHEET_TOO_BIG;
		n = strlen(s);
		break;
	case CT_INLINE:
	case CT_STR:
		if (x->t.s != NULL)
			n = unescape(x->t.s, n);
		break;
	case CT_BOOL:
		if (number(s, 1) >= 0) {
			s = number(s, 1) ? "TRUE" : "FALSE";
			n = strlen(s);
		}
		break;
	case CT_NUMBER:
		if (x->style >= 0 && (size_t)x->style < x->nxf &&
		    x->xfdate[x->style] &&
		    serial_date(s, x->date1904, date)) {
			s = date;
			n = strlen(date);
		} else
			n = trim_integer(s, n);
		break;
	case CT_ERROR:
	case CT_DATE:
		break;
	case CT_BAD:
	default:
		abort();
	}
	return row_put(x, (size_t)x->col, s, n);
}

/* Hand the row just closed to the callback, if it has a value. */
static enum sheet_err
row_done(struct xlsx *x)
{
	struct sheet_row	 row;
	size_t			 i;

	if (x->row.ncells == 0)
		return SHEET_OK;
	if (x->nrows >= x->max_rows)
		return SHEET_TOO_BIG;
	x->nrows++;
	for (i = 0; i < x->row.ncells; i++)
		x->row.cells[i] = x->row.off[i] == NOCELL ? "" :
		    x->row.text + x->row.off[i];
	row.rowno = (size_t)x->rowno;
	row.ncells = x->row.ncells;
	row.cells = x->row.cells;
	return x->fn(x->arg, &row) == 0 ? SHEET_OK : SHEET_STOPPED;
}

static void XMLCALL
sheet_end(void *ud, const XML_Char *name)
{
	struct xlsx	*x = ud;
	const char	*n = local(name);
	enum sheet_err	 e = SHEET_OK;

	if (x->err != SHEET_OK || !x->in_data)
		return;
	if (strcmp(n, "sheetData") == 0)
		x->in_data = 0;
	else if (strcmp(n, "row") == 0 && x->in_row) {
		x->in_row = 0;
		e = row_done(x);
	} else if (strcmp(n, "c") == 0 && x->in_c) {
		x->in_c = x->in_v = x->in_is = x->in_t = 0;
		e = cell_done(x);
	} else if (strcmp(n, "v") == 0)
		x->in_v = 0;
	else if (strcmp(n, "is") == 0)
		x->in_is = 0;
	else if (strcmp(n, "t") == 0)
		x->in_t = 0;
	else if (strcmp(n, "rPh") == 0 && x->rph > 0)
		x->rph--;
	if (e != SHEET_OK)
		stop(x, e);
}

/* ----------------------------------------------------------------- read */

static uint32_t
le16(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}

static uint64_t
le64(const unsigned char *p)
{
	uint64_t	 v = 0;
	int		 i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/*
 * Before libzip reads a central directory of 100,000 entries only to be
 * refused: the entry count of the end of central directory record
 * (APPNOTE 4.3.16, and 4.3.14 for ZIP64), when one is found whose
 * comment length matches.  SHEET_TOO_BIG or SHEET_OK (libzip decides
 * the rest).
 */
static enum sheet_err
eocd_check(const unsigned char *d, size_t len)
{
	size_t		 i, lo;
	uint64_t	 n, off;

	lo = len > 22 + 65535 ? len - 22 - 65535 : 0;
	for (i = len - 22; ; i--) {
		if (memcmp(d + i, "PK\5\6", 4) == 0 &&
		    le16(d + i + 20) == len - i - 22) {
			n = le16(d + i + 10);
			if (n != 0xffff)
				return n > XLSX_MAXENTRIES ? SHEET_TOO_BIG :
				    SHEET_OK;
			/* ZIP64 locator just before, pointing at the record */
			if (i < 20 || memcmp(d + i - 20, "PK\6\7", 4) != 0)
				return SHEET_OK;
			off = le64(d + i - 20 + 8);
			if (len < 56 || off > len - 56 || memcmp(d + off, "PK\6\6", 4) != 0)
				return SHEET_OK;
			n = le64(d + off + 32);
			return n > XLSX_MAXENTRIES ? SHEET_TOO_BIG : SHEET_OK;
		}
		if (i == lo)
			return SHEET_OK;
	}
}

/*
 * Read the first worksheet (the first tab) of an .xlsx and call fn for
 * each row that has a value, with rowno as Excel numbers it; gaps
 * between cells are empty strings.  Cells are NUL-terminated UTF-8 in
 * memory reused for the next row: fn copies what it keeps.  Shared and
 * inline strings are decoded, numbers kept as Excel wrote them ("12345.0"
 * as "12345"), date-styled numbers given as YYYY-MM-DD, booleans as TRUE
 * or FALSE, formulas as their cached value.  At most max_rows rows are
 * handed over; caps as in csv_read, plus the zip caps in the file header.
 * Returns SHEET_OK, SHEET_STOPPED when fn returned non-zero, SHEET_FORMAT
 * (not a zip, no workbook, bad or DTD-carrying XML) or SHEET_TOO_BIG;
 * on an error fn may already have seen earlier rows.  Memory is taken
 * from the arena a; libzip and expat release theirs before the return.
 */
enum sheet_err
xlsx_read(struct arena *a, const char *data, size_t len, size_t max_rows,
    sheet_row_fn fn, void *arg)
{
	struct xlsx	*x;
	zip_source_t	*src;
	zip_error_t	 zerr;
	zip_int64_t	 idx;
	enum sheet_err	 e;

	if (data == NULL || len < 22)
		return SHEET_FORMAT;
	if ((e = eocd_check((const unsigned char *)data, len)) != SHEET_OK)
		return e;
	if ((x = arena_calloc(a, 1, sizeof(*x))) == NULL ||
	    (x->chunk = arena_alloc(a, XLSX_CHUNK)) == NULL ||
	    (x->row.cells = arena_calloc(a, XLSX_MAXCELLS,
	    sizeof(*x->row.cells))) == NULL)
		return SHEET_TOO_BIG;
	x->a = a;
	x->max_rows = max_rows;
	x->fn = fn;
	x->arg = arg;

	zip_error_init(&zerr);
	if ((src = zip_source_buffer_create(data, len, 0, &zerr)) == NULL) {
		zip_error_fini(&zerr);
		return SHEET_TOO_BIG;
	}
	/* ZIP_RDONLY, and no ZIP_CHECKCONS: judged by our own caps. */
	if ((x->za = zip_open_from_source(src, ZIP_RDONLY, &zerr)) == NULL) {
		zip_source_free(src);
		zip_error_fini(&zerr);
		return SHEET_FORMAT;
	}
	zip_error_fini(&zerr);

	if ((e = zip_check(x->za)) != SHEET_OK)
		goto done;
	e = SHEET_FORMAT;
	if ((idx = entry(x, "xl/workbook.xml")) < 0)
		goto done;
	if ((e = xml_stream(x, idx, wb_start, no_end, no_chars)) != SHEET_OK ||
	    (e = xml_part(x, "xl/_rels/workbook.xml.rels", rels_start,
	    no_end, no_chars)) != SHEET_OK)
		goto done;
	if (entry(x, x->sheetpath) < 0)
		x->sheetpath = "xl/worksheets/sheet1.xml";
	if (entry(x, x->stylespath) < 0)
		x->stylespath = "xl/styles.xml";
	if (entry(x, x->sstpath) < 0)
		x->sstpath = "xl/sharedStrings.xml";
	if ((e = xml_part(x, x->stylespath, styles_start, styles_end,
	    no_chars)) != SHEET_OK ||
	    (e = styles_resolve(x)) != SHEET_OK ||
	    (e = xml_part(x, x->sstpath, sst_start, sst_end,
	    text_chars)) != SHEET_OK)
		goto done;
	x->in_t = x->rph = 0;
	e = SHEET_FORMAT;
	if ((idx = entry(x, x->sheetpath)) < 0)
		goto done;
	e = xml_stream(x, idx, sheet_start, sheet_end, text_chars);
done:
	zip_discard(x->za);
	return e;
}

/* ---------------------------------------------------------------- write */

/* A buffer reused for the cells that have to be changed before writing. */
struct scratch {
	struct arena	*a;
	char		*s;
	size_t		 size;
};

/*
 * The text written for a cell: with a leading quote when it starts with
 * = + - @ tab or CR, which Excel, LibreOffice and others would take as
 * the start of a formula (OWASP "CSV injection"; the same holds when a
 * user copies the text into another cell).  Control characters XML 1.0
 * cannot carry are dropped, and the text is cut to Excel's 32767
 * characters at a character boundary.  s itself when nothing changes,
 * else text in sc valid until the next call; NULL for text that is not
 * UTF-8 (or when the arena refuses memory).
 */
static const char *
neutralise(struct scratch *sc, const char *s)
{
	size_t	 len = strlen(s), i, o = 0, chars = 0;
	int	 prefix, change;
	char	*t;

	if (!http_utf8_valid(s, len))
		return NULL;
	prefix = strchr("=+-@\t\r", s[0]) != NULL;
	change = prefix;
	for (i = 0; i < len && !change; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t' &&
		    s[i] != '\n' && s[i] != '\r') ||
		    (((unsigned char)s[i] & 0xc0) != 0x80 && ++chars > 32767))
			change = 1;
	if (!change)
		return s;
	if (sc->size < len + 2) {
		sc->size = sc->size ? sc->size : 256;
		while (sc->size < len + 2)
			sc->size *= 2;
		if ((sc->s = arena_alloc(sc->a, sc->size)) == NULL)
			return NULL;
	}
	t = sc->s;
	if (prefix)
		t[o++] = '\'';
	for (i = chars = 0; i < len; i++) {
		if ((unsigned char)s[i] < 0x20 && s[i] != '\t' &&
		    s[i] != '\n' && s[i] != '\r')
			continue;
		if (((unsigned char)s[i] & 0xc0) != 0x80 && ++chars > 32767)
			break;
		t[o++] = s[i];
	}
	t[o] = '\0';
	return t;
}

/* Write s (NULL or "" leaves the cell empty) into row r, column c. */
static int
write_cell(struct scratch *sc, lxw_worksheet *ws, size_t r, size_t c,
    const char *s, lxw_format *f)
{
	if (s == NULL || *s == '\0')
		return 0;
	if ((s = neutralise(sc, s)) == NULL)
		return -1;
	return worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c, s, f) ==
	    LXW_NO_ERROR ? 0 : -1;
}

/* Append the file behind fd, from its start, to b. */
static int
slurp(int fd, struct buf *b)
{
	char	 chunk[16 * 1024];
	ssize_t	 n;

	if (lseek(fd, 0, SEEK_SET) == -1)
		return -1;
	for (;;) {
		if ((n = read(fd, chunk, sizeof(chunk))) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			return b->overflow ? -1 : 0;
		buf_write(b, chunk, (size_t)n);
		if (b->overflow)
			return -1;
	}
}

/*
 * Write one worksheet named sheet (libxlsxwriter's default when NULL or
 * not a valid sheet name) as an .xlsx appended to b: the header row of
 * ncols cells in bold, then nrows rows of ncols cells, cells[i * ncols +
 * j] being row i, column j (NULL for an empty cell).  Every cell is
 * written as text, neutralised as neutralise() says.  The workbook goes
 * through a temporary file in $TMPDIR (or /tmp), removed on every path.
 * Returns 0, or -1 (bad arguments, text that is not UTF-8, an I/O error,
 * b over its maximum).
 */
int
xlsx_write(struct buf *b, const char *sheet, size_t ncols,
    const char *const *header, size_t nrows, const char *const *cells)
{
	lxw_workbook_options	 opt;
	lxw_workbook		*wb = NULL;
	lxw_worksheet		*ws;
	lxw_format		*bold;
	struct scratch		 sc;
	char			 dir[PATH_MAX], path[PATH_MAX];
	const char		*env;
	size_t			 i, j;
	int			 fd, rc = -1;

	if (ncols == 0 || ncols > LXW_COL_MAX || nrows >= LXW_ROW_MAX ||
	    header == NULL || (nrows > 0 && cells == NULL))
		return -1;
	env = getenv("TMPDIR");
	if (env == NULL || env[0] != '/')
		env = "/tmp";
	if ((size_t)snprintf(dir, sizeof(dir), "%s", env) >= sizeof(dir) ||
	    (size_t)snprintf(path, sizeof(path), "%s/crm-xlsx-XXXXXX",
	    dir) >= sizeof(path))
		return -1;
	if ((fd = mkstemp(path)) == -1)
		return -1;
	memset(&sc, 0, sizeof(sc));
	sc.a = b->a;

	memset(&opt, 0, sizeof(opt));
	opt.constant_memory = LXW_TRUE;
	opt.tmpdir = dir;
	if ((wb = workbook_new_opt(path, &opt)) == NULL)
		goto done;
	if (sheet != NULL &&
	    workbook_validate_sheet_name(wb, sheet) != LXW_NO_ERROR)
		sheet = NULL;
	if ((ws = workbook_add_worksheet(wb, sheet)) == NULL ||
	    (bold = workbook_add_format(wb)) == NULL)
		goto done;
	format_set_bold(bold);
	for (j = 0; j < ncols; j++)
		if (write_cell(&sc, ws, 0, j, header[j], bold) == -1)
			goto done;
	for (i = 0; i < nrows; i++)
		for (j = 0; j < ncols; j++)
			if (write_cell(&sc, ws, i + 1, j,
			    cells[i * ncols + j], NULL) == -1)
				goto done;
	/* workbook_close writes the file and frees the workbook. */
	j = workbook_close(wb) == LXW_NO_ERROR;
	wb = NULL;
	if (j)
		rc = slurp(fd, b);
done:
	if (wb != NULL)
		lxw_workbook_free(wb);
	close(fd);
	unlink(path);
	return rc;
}
