/*
 * test_sheets.c: unit tests for fcgi/csv.c and fcgi/xlsx.c (cmocka).
 *
 * Fixtures in tests/unit/sheets/ (run from the top of the tree):
 *
 *   lo_basic.fods  the source, a flat OpenDocument spreadsheet: a sheet
 *                  "客户" (shared strings, a rich-text cell with a line
 *                  break, numbers, a formula, date-styled cells, an empty
 *                  row, gaps) and a second sheet that must not be read
 *   lo_basic.xlsx  LibreOffice 7.4 (Debian), headless:
 *                  soffice --headless --convert-to xlsx lo_basic.fods
 *   lo_gbk.csv     the same, as Chinese Windows saves CSV (code page 936,
 *                  a subset of GB18030):
 *                  soffice --headless --convert-to \
 *                    'csv:Text - txt - csv (StarCalc):44,34,85,1' ...
 *   hand.xlsx      written by hand and zipped with Info-ZIP `zip`: 1904
 *                  date system, the first tab not being sheet1.xml (its
 *                  relationship uses "..", the shared strings an absolute
 *                  target), prefixed SpreadsheetML ("x:row"), rich text
 *                  with a phonetic run, _xHHHH_ escapes, inline strings,
 *                  str/b/e cells, custom and built-in number formats,
 *                  rows and cells without r attributes
 *
 * Everything else (workbooks with a DTD, zip bombs, archives of 100,000
 * entries) is made here; zip files byte by byte (APPNOTE.TXT 4.3), so a
 * test can make a header lie.  Inputs are copied into exact-size malloc'd
 * blocks so AddressSanitizer sees a read past the end.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <zip.h>
#include <zlib.h>

#include "extern.h"

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND	0
#endif

/* Time limits hold for native runs; under valgrind all is ~50x slower. */
#define WITHIN(t0, secs)	(RUNNING_ON_VALGRIND || now() - (t0) < (secs))

#define FIXTURES	"tests/unit/sheets/"
#define NBUFS		64

struct tstate {
	struct arena	 a;
	void		*bufs[NBUFS];
	size_t		 nbufs;
};

/* The rows a reader handed over, as "rowno:cell|cell\n" lines. */
struct got {
	char	*s;
	size_t	 len;
	size_t	 size;
	size_t	 rows;
	size_t	 lastrow;
	size_t	 maxlen;	/* of the longest cell */
	size_t	 stop_after;	/* ask to stop after this many; 0 never */
	int	 quiet;		/* count rows, keep no text */
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

/* Keep p to be freed at teardown. */
static void *
keep(void **state, void *p)
{
	struct tstate	*t = *state;

	assert_non_null(p);
	assert_true(t->nbufs < NBUFS);
	t->bufs[t->nbufs++] = p;
	return p;
}

/* An exact-size copy of p[0..n), freed at teardown. */
static char *
exact(void **state, const void *p, size_t n)
{
	char	*c = keep(state, malloc(n ? n : 1));

	memcpy(c, p, n);
	return c;
}

static char *
fixture(void **state, const char *name, size_t *len)
{
	char	 path[256], tmp[65536];
	FILE	*f;
	size_t	 n;

	snprintf(path, sizeof(path), FIXTURES "%s", name);
	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("cannot open %s (run from the top of the tree)", path);
	n = fread(tmp, 1, sizeof(tmp), f);
	assert_true(feof(f));
	fclose(f);
	*len = n;
	return exact(state, tmp, n);
}

static void
got_add(struct got *g, const char *s, size_t n)
{
	if (g->len + n + 1 > g->size) {
		g->size = (g->len + n + 1) * 2;
		g->s = realloc(g->s, g->size);
		assert_non_null(g->s);
	}
	memcpy(g->s + g->len, s, n);
	g->len += n;
	g->s[g->len] = '\0';
}

/* The callback: checks what every reader promises, then records. */
static int
collect(void *arg, const struct sheet_row *r)
{
	struct got	*g = arg;
	char		 num[32];
	size_t		 i, n;

	assert_true(r->rowno > g->lastrow);
	assert_true(r->ncells >= 1 && r->ncells <= 200);
	for (i = 0; i < r->ncells; i++) {
		assert_non_null(r->cells[i]);
		n = strlen(r->cells[i]);
		assert_true(n <= 32 * 1024);
		assert_true(http_utf8_valid(r->cells[i], n));
		if (n > g->maxlen)
			g->maxlen = n;
	}
	g->lastrow = r->rowno;
	g->rows++;
	if (!g->quiet) {
		snprintf(num, sizeof(num), "%zu:", r->rowno);
		got_add(g, num, strlen(num));
		for (i = 0; i < r->ncells; i++) {
			if (i > 0)
				got_add(g, "|", 1);
			got_add(g, r->cells[i], strlen(r->cells[i]));
		}
		got_add(g, "\n", 1);
	}
	return g->stop_after && g->rows >= g->stop_after ? -1 : 0;
}

static const char *
got_str(struct got *g)
{
	return g->s != NULL ? g->s : "";
}

static void
got_free(struct got *g)
{
	free(g->s);
	memset(g, 0, sizeof(*g));
}

/* Read a CSV from a C string (exact-size copy) and return the rows. */
static enum sheet_err
csv(void **state, const char *s, size_t len, size_t max_rows, struct got *g)
{
	char	*c = exact(state, s, len);

	g->lastrow = 0;
	return csv_read(ARENA(state), c, len, max_rows, collect, g);
}

#define CSV(st, lit, max, g)	csv(st, lit, sizeof(lit) - 1, max, g)

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------ CSV */

static void
csv_utf8(void **state)
{
	struct got	 g = { 0 };

	assert_int_equal(CSV(state, "名称,电话\r\n北京星河,13800138000\r\n",
	    100, &g), SHEET_OK);
	assert_string_equal(got_str(&g),
	    "1:名称|电话\n2:北京星河|13800138000\n");
	got_free(&g);
}

static void
csv_bom(void **state)
{
	struct got	 g = { 0 };

	assert_int_equal(CSV(state, "\xef\xbb\xbf" "名称,a\n客户,b", 100, &g),
	    SHEET_OK);
	assert_string_equal(got_str(&g), "1:名称|a\n2:客户|b\n");
	got_free(&g);

	/* A BOM promises UTF-8: no falling back to GB18030 after it. */
	assert_int_equal(CSV(state, "\xef\xbb\xbf\xbf\xcd\xbb\xa7\n", 100, &g),
	    SHEET_ENCODING);
	assert_int_equal(g.rows, 0);
	got_free(&g);
}

static void
csv_gb18030(void **state)
{
	struct got	 g = { 0 };

	/*
	 * "客户,名称" then U+20000 (a four-byte GB18030 sequence) and "€"
	 * (A2E3), as `iconv -t GB18030` gives them on this machine.
	 */
	assert_int_equal(CSV(state, "\xbf\xcd\xbb\xa7,\xc3\xfb\xb3\xc6\r\n"
	    "\x95\x32\x82\x36,\xa2\xe3\r\n", 100, &g), SHEET_OK);
	assert_string_equal(got_str(&g),
	    "1:客户|名称\n2:\xf0\xa0\x80\x80|€\n");
	got_free(&g);

	/* Not GB18030 either: 0xFF never starts a character. */
	assert_int_equal(CSV(state, "a,\xff\xfe\n", 100, &g), SHEET_ENCODING);
	/* A lead byte cut off at the end. */
	assert_int_equal(CSV(state, "\xbf\xcd\xbb", 100, &g),
	    SHEET_ENCODING);
	assert_int_equal(g.rows, 0);
	got_free(&g);
}

static void
csv_libreoffice_gbk(void **state)
{
	struct got	 g = { 0 };
	size_t		 len;
	char		*d = fixture(state, "lo_gbk.csv", &len);

	assert_int_equal(csv_read(ARENA(state), d, len, 100, collect, &g),
	    SHEET_OK);
	assert_string_equal(got_str(&g),
	    "1:名称|电话|金额|首次联系|有效|备注\n"
	    "2:北京星河科技有限公司|13800138000|1234.5|2024-05-17|1|"
	    "第一行\n第二行, \"引号\"\n"
	    "3:=1+1||42|1999-12-31|0|普通加粗文字\n"
	    "4:|||||\n"
	    "5:||-0.25|2000-02-29||北京星河科技有限公司\n");
	got_free(&g);
}

static void
csv_quotes(void **state)
{
	struct got	 g = { 0 };

	assert_int_equal(CSV(state,
	    "\"a \"\"quoted\"\" word\",\"x,y\",\"line1\r\nline2\",plain\n"
	    "\"\",,\"\"\"\",a\"b\"\n"
	    "\"closed\"after,\"trail\"\n", 100, &g), SHEET_OK);
	assert_string_equal(got_str(&g),
	    "1:a \"quoted\" word|x,y|line1\r\nline2|plain\n"
	    "2:||\"|a\"b\"\n"
	    "3:closedafter|trail\n");
	got_free(&g);
}

static void
csv_line_ends(void **state)
{
	struct got	 g = { 0 };

	/* CRLF, LF, a lone CR, a last line without its end. */
	assert_int_equal(CSV(state, "a,b\r\nc,d\ne,f\rg,h", 100, &g),
	    SHEET_OK);
	assert_string_equal(got_str(&g), "1:a|b\n2:c|d\n3:e|f\n4:g|h\n");
	got_free(&g);

	/* Empty lines are not rows but keep their numbers; trailing ones go. */
	assert_int_equal(CSV(state, "a\n\n,\nb\r\n\r\n\r\n\n", 100, &g),
	    SHEET_OK);
	assert_string_equal(got_str(&g), "1:a\n3:|\n4:b\n");
	got_free(&g);

	assert_int_equal(CSV(state, "", 100, &g), SHEET_OK);
	assert_int_equal(CSV(state, "\r\n\n", 100, &g), SHEET_OK);
	assert_int_equal(g.rows, 0);
	got_free(&g);
}

static void
csv_unterminated(void **state)
{
	struct got	 g = { 0 };

	assert_int_equal(CSV(state, "a,b\n\"c,d\ne,f\n", 100, &g),
	    SHEET_FORMAT);
	got_free(&g);
	assert_int_equal(CSV(state, "\"", 100, &g), SHEET_FORMAT);
	got_free(&g);
	assert_int_equal(CSV(state, "a,\"b\"\"", 100, &g), SHEET_FORMAT);
	got_free(&g);
}

static void
csv_nul(void **state)
{
	struct got	 g = { 0 };

	assert_int_equal(CSV(state, "a,b\0c\n", 100, &g), SHEET_FORMAT);
	assert_int_equal(CSV(state, "\"a\0\"\n", 100, &g), SHEET_FORMAT);
	assert_int_equal(g.rows, 0);
	got_free(&g);
}

static void
csv_rows_cap(void **state)
{
	struct got	 g = { 0 };

	assert_int_equal(CSV(state, "h\n1\n2\n", 3, &g), SHEET_OK);
	assert_int_equal(g.rows, 3);
	got_free(&g);
	assert_int_equal(CSV(state, "h\n1\n2\n3\n", 3, &g), SHEET_TOO_BIG);
	got_free(&g);
	/* Blank lines are not rows: they do not count. */
	assert_int_equal(CSV(state, "h\n\n\n1\n\n2\n\n", 3, &g), SHEET_OK);
	got_free(&g);

	g.stop_after = 2;
	assert_int_equal(CSV(state, "h\n1\n2\n3\n", 100, &g), SHEET_STOPPED);
	assert_int_equal(g.rows, 2);
	got_free(&g);
}

static void
csv_cell_caps(void **state)
{
	struct got	 g = { 0 };
	char		*s;
	size_t		 n = 32 * 1024, i;

	s = keep(state, malloc(n + 256));
	/* 32 KiB exactly: fine; one byte more: too big. */
	memset(s, 'x', n + 1);
	g.quiet = 1;
	assert_int_equal(csv(state, s, n, 10, &g), SHEET_OK);
	assert_int_equal(g.rows, 1);
	assert_int_equal(csv(state, s, n + 1, 10, &g), SHEET_TOO_BIG);

	/* Quoted: counted after "" is undone (100 of them here). */
	s[0] = '"';
	memset(s + 1, 'y', n - 100);
	for (i = 0; i < 100; i++)
		memcpy(s + 1 + n - 100 + 2 * i, "\"\"", 2);
	s[n + 101] = '"';
	assert_int_equal(csv(state, s, n + 102, 10, &g), SHEET_OK);
	memmove(s + 3, s + 1, n + 101);	/* one "" more: 32 KiB + 1 */
	s[1] = s[2] = '"';
	assert_int_equal(csv(state, s, n + 104, 10, &g), SHEET_TOO_BIG);

	/* 200 cells: fine; 201: too big. */
	for (i = 0; i < 200; i++)
		s[i] = ',';
	assert_int_equal(csv(state, s, 199, 10, &g), SHEET_OK);
	assert_int_equal(csv(state, s, 200, 10, &g), SHEET_TOO_BIG);
	got_free(&g);
}

/* A big file does not cost the arena its rows: only its largest row. */
static void
csv_streams(void **state)
{
	struct got	 g = { 0 };
	struct arena	*a = ARENA(state);
	char		*s, *p;
	size_t		 i, n = 100000, before;

	s = p = keep(state, malloc(n * 40));
	for (i = 0; i < n; i++)
		p += sprintf(p, "customer %zu,1380013%04zu,\"a, b\"\n", i,
		    i % 10000);
	g.quiet = 1;
	before = a->used;
	assert_int_equal(csv_read(a, s, (size_t)(p - s), n, collect, &g),
	    SHEET_OK);
	assert_int_equal(g.rows, n);
	assert_true(a->used - before < 64 * 1024);
	got_free(&g);
}

/* ------------------------------------------------------- zip, by hand */

struct zent {
	const char	*name;
	const void	*data;		/* what is stored (packed if deflated) */
	size_t		 len;
	int		 method;	/* 0 stored, 8 deflated */
	uint32_t	 crc;		/* 0: computed from data (stored) */
	uint64_t	 usize;		/* 0: len (stored) */
};

struct zbuf {
	unsigned char	*p;
	size_t		 len;
	size_t		 size;
};

static void
zput(struct zbuf *z, const void *p, size_t n)
{
	if (z->len + n > z->size) {
		z->size = (z->len + n) * 2;
		z->p = realloc(z->p, z->size);
		assert_non_null(z->p);
	}
	memcpy(z->p + z->len, p, n);
	z->len += n;
}

static void
zle(struct zbuf *z, uint64_t v, int bytes)
{
	unsigned char	 b[8];
	int		 i;

	for (i = 0; i < bytes; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	zput(z, b, (size_t)bytes);
}

/*
 * A zip of n entries (APPNOTE 4.3.7, 4.3.12, 4.3.16, and the ZIP64 end
 * records of 4.3.14-15 past 65535 entries), malloc'd, freed at teardown.
 * Sizes are written as given, true or not.
 */
static char *
mkzip(void **state, const struct zent *e, size_t n, size_t *outlen)
{
	struct zbuf	 z = { 0 };
	uint64_t	*off, cdoff, cdlen, z64;
	uint32_t	 crc;
	size_t		 i, nl;

	off = calloc(n ? n : 1, sizeof(*off));
	assert_non_null(off);
	for (i = 0; i < n; i++) {
		off[i] = z.len;
		nl = strlen(e[i].name);
		crc = e[i].crc ? e[i].crc :
		    (uint32_t)crc32(0, e[i].data, (uInt)e[i].len);
		zle(&z, 0x04034b50, 4);
		zle(&z, 20, 2);
		zle(&z, 0x0800, 2);		/* UTF-8 names */
		zle(&z, (uint64_t)e[i].method, 2);
		zle(&z, 0, 2);
		zle(&z, 0x21, 2);		/* 1980-01-01 */
		zle(&z, crc, 4);
		zle(&z, e[i].len, 4);
		zle(&z, e[i].usize ? e[i].usize : e[i].len, 4);
		zle(&z, nl, 2);
		zle(&z, 0, 2);
		zput(&z, e[i].name, nl);
		if (e[i].len)
			zput(&z, e[i].data, e[i].len);
	}
	cdoff = z.len;
	for (i = 0; i < n; i++) {
		nl = strlen(e[i].name);
		crc = e[i].crc ? e[i].crc :
		    (uint32_t)crc32(0, e[i].data, (uInt)e[i].len);
		zle(&z, 0x02014b50, 4);
		zle(&z, 20, 2);
		zle(&z, 20, 2);
		zle(&z, 0x0800, 2);
		zle(&z, (uint64_t)e[i].method, 2);
		zle(&z, 0, 2);
		zle(&z, 0x21, 2);
		zle(&z, crc, 4);
		zle(&z, e[i].len, 4);
		zle(&z, e[i].usize ? e[i].usize : e[i].len, 4);
		zle(&z, nl, 2);
		zle(&z, 0, 2);			/* extra */
		zle(&z, 0, 2);			/* comment */
		zle(&z, 0, 2);			/* disk */
		zle(&z, 0, 2);
		zle(&z, 0, 4);
		zle(&z, off[i], 4);
		zput(&z, e[i].name, nl);
	}
	cdlen = z.len - cdoff;
	if (n > 0xffff) {
		z64 = z.len;
		zle(&z, 0x06064b50, 4);
		zle(&z, 44, 8);
		zle(&z, 45, 2);
		zle(&z, 45, 2);
		zle(&z, 0, 4);
		zle(&z, 0, 4);
		zle(&z, n, 8);
		zle(&z, n, 8);
		zle(&z, cdlen, 8);
		zle(&z, cdoff, 8);
		zle(&z, 0x07064b50, 4);
		zle(&z, 0, 4);
		zle(&z, z64, 8);
		zle(&z, 1, 4);
	}
	zle(&z, 0x06054b50, 4);
	zle(&z, 0, 2);
	zle(&z, 0, 2);
	zle(&z, n > 0xffff ? 0xffff : n, 2);
	zle(&z, n > 0xffff ? 0xffff : n, 2);
	zle(&z, cdlen, 4);
	zle(&z, cdoff, 4);
	zle(&z, 0, 2);
	free(off);
	*outlen = z.len;
	return keep(state, z.p);
}

#define WB	"<?xml version=\"1.0\"?><workbook xmlns=\"http://schemas." \
		"openxmlformats.org/spreadsheetml/2006/main\"><sheets/>" \
		"</workbook>"
#define WS(rows) "<?xml version=\"1.0\"?><worksheet xmlns=\"http://" \
		"schemas.openxmlformats.org/spreadsheetml/2006/main\">" \
		"<sheetData>" rows "</sheetData></worksheet>"

/* A workbook of stored parts: workbook.xml, the sheet, the styles. */
static char *
mkxlsx(void **state, const char *workbook, const char *sheet,
    const char *styles, size_t *len)
{
	struct zent	 e[3];
	size_t		 n = 0;

	memset(e, 0, sizeof(e));
	e[n].name = "xl/workbook.xml";
	e[n].data = workbook;
	e[n++].len = strlen(workbook);
	e[n].name = "xl/worksheets/sheet1.xml";
	e[n].data = sheet;
	e[n++].len = strlen(sheet);
	if (styles != NULL) {
		e[n].name = "xl/styles.xml";
		e[n].data = styles;
		e[n++].len = strlen(styles);
	}
	return mkzip(state, e, n, len);
}

static enum sheet_err
xlsx(void **state, const char *d, size_t len, size_t max_rows,
    struct got *g)
{
	g->lastrow = 0;
	return xlsx_read(ARENA(state), d, len, max_rows, collect, g);
}

/* ----------------------------------------------------------------- xlsx */

static void
xlsx_libreoffice(void **state)
{
	struct got	 g = { 0 };
	size_t		 len;
	char		*d = fixture(state, "lo_basic.xlsx", &len);

	assert_int_equal(xlsx(state, d, len, 100, &g), SHEET_OK);
	/* LibreOffice writes booleans as numbers 1 and 0. */
	assert_string_equal(got_str(&g),
	    "1:名称|电话|金额|首次联系|有效|备注\n"
	    "2:北京星河科技有限公司|13800138000|1234.5|2024-05-17|1|"
	    "第一行\n第二行, \"引号\"\n"
	    "3:=1+1||42|1999-12-31|0|普通加粗文字\n"
	    "5:||-0.25|2000-02-29||北京星河科技有限公司\n");
	got_free(&g);

	g.stop_after = 1;
	assert_int_equal(xlsx(state, d, len, 100, &g), SHEET_STOPPED);
	assert_int_equal(g.rows, 1);
	got_free(&g);

	assert_int_equal(xlsx(state, d, len, 4, &g), SHEET_OK);
	got_free(&g);
	assert_int_equal(xlsx(state, d, len, 3, &g), SHEET_TOO_BIG);
	got_free(&g);

	/* A truncated upload. */
	assert_int_equal(xlsx(state, exact(state, d, len / 2), len / 2, 100,
	    &g), SHEET_FORMAT);
	got_free(&g);
}

static void
xlsx_hand(void **state)
{
	struct got	 g = { 0 };
	size_t		 len;
	char		*d = fixture(state, "hand.xlsx", &len);

	assert_int_equal(xlsx(state, d, len, 100, &g), SHEET_OK);
	assert_string_equal(got_str(&g),
	    "1:客户|电话|客户!|TRUE|#N/A|FALSE\n"
	    "3:上海 分公司||2021-09-23|12345|1.5|0.5|-7\n"
	    "4:line1\r\nline2 _x0041_ A||1904-05-05\n");
	got_free(&g);
}

static void
xlsx_dates(void **state)
{
	struct got	 g = { 0 };
	size_t		 len;
	char		*d;

	d = mkxlsx(state, WB, WS(
	    "<row r=\"1\">"
	    "<c s=\"1\"><v>1</v></c><c s=\"1\"><v>59</v></c>"
	    "<c s=\"1\"><v>60</v></c><c s=\"1\"><v>61</v></c>"
	    "<c s=\"1\"><v>45429.75</v></c><c s=\"1\"><v>2958465</v></c>"
	    "<c s=\"1\"><v>2958466</v></c><c s=\"1\"><v>0.25</v></c>"
	    "<c s=\"2\"><v>45429</v></c><c s=\"9\"><v>45429</v></c>"
	    "<c s=\"1\" t=\"d\"><v>2024-05-17T00:00:00</v></c>"
	    "<c s=\"3\"><v>45429</v></c><c s=\"1\"><v>4.5429E4</v></c>"
	    "</row>"),
	    "<styleSheet><numFmts><numFmt numFmtId=\"200\" "
	    "formatCode=\"[h]:mm\"/><numFmt numFmtId=\"14\" "
	    "formatCode=\"0.0\"/></numFmts><cellXfs><xf numFmtId=\"0\"/>"
	    "<xf numFmtId=\"22\"/><xf numFmtId=\"14\"/><xf numFmtId=\"200\"/>"
	    "</cellXfs></styleSheet>", &len);
	assert_int_equal(xlsx(state, d, len, 100, &g), SHEET_OK);
	assert_string_equal(got_str(&g),
	    "1:1900-01-01|1900-02-28|1900-02-29|1900-03-01|2024-05-17|"
	    "9999-12-31|2958466|0.25|45429|45429|2024-05-17T00:00:00|"
	    "2024-05-17|2024-05-17\n");
	got_free(&g);
}

static void
xlsx_cells(void **state)
{
	struct got	 g = { 0 };
	size_t		 len;
	char		*d, *big, *sheet;
	size_t		 n = 32 * 1024;

	/* Column 200 (GS) is one too many; GR, the 200th, is fine. */
	d = mkxlsx(state, WB, WS("<row><c r=\"GR1\"><v>1</v></c></row>"),
	    NULL, &len);
	assert_int_equal(xlsx(state, d, len, 100, &g), SHEET_OK);
	assert_int_equal(g.rows, 1);
	got_free(&g);
	d = mkxlsx(state, WB, WS("<row><c r=\"GS1\"><v>1</v></c></row>"),
	    NULL, &len);
	assert_int_equal(xlsx(state, d, len, 100, &g), SHEET_TOO_BIG);
	/* A styled cell without a value far out is no cell. */
	d = mkxlsx(state, WB, WS("<row><c r=\"A1\"><v>1</v></c>"
	    "<c r=\"XFD1\" s=\"0\"/></row>"), NULL, &len);
	assert_int_equal(xlsx(state, d, len, 100, &g), SHEET_OK);
	got_free(&g);

	/* Rows and cells out of order, bad references, bad types. */
	d = mkxlsx(state, WB, WS("<row r=\"2\"/><row r=\"1\"/>"), NULL, &len);
	assert_int_equal(xlsx(state, d, len, 100, &g), SHEET_FORMAT);
	d = mkxlsx(state, WB, WS("<row><c r=\"B1\"/><c r=\"A1\"/></row>"),
	    NULL, &len);
	assert_int_equal(xlsx(state, d, len, 100, &g), SHEET_FORMAT);
	d = mkxlsx(state, WB, WS("<row><c r=\"1A\"/></row>"), NULL, &len);
	assert_int_equal(xlsx(state, d, len, 100, &g), SHEET_FORMAT);
	d = mkxlsx(state, WB, WS("<row><c t=\"q\"><v>1</v></c></row>"), NULL,
	    &len);
	assert_int_equal(xlsx(state, d, len, 100, &g), SHEET_FORMAT);
	d = mkxlsx(state, WB, WS("<row><c t=\"s\"><v>0</v></c></row>"), NULL,
	    &len);	/* no shared strings at all */
	assert_int_equal(xlsx(state, d, len, 100, &g), SHEET_FORMAT);
	d = mkxlsx(state, WB, WS("<row r=\"1048577\"/>"), NULL, &len);
	assert_int_equal(xlsx(state, d, len, 100, &g), SHEET_FORMAT);
	assert_int_equal(g.rows, 0);

	/* A cell of 32 KiB is fine, one byte more is not. */
	big = keep(state, malloc(n + 2));
	memset(big, 'z', n + 1);
	big[n + 1] = '\0';
	sheet = keep(state, malloc(n + 512));
	snprintf(sheet, n + 512, WS("<row><c t=\"inlineStr\"><is><t>%s</t>"
	    "</is></c></row>"), big);
	d = mkxlsx(state, WB, sheet, NULL, &len);
	assert_int_equal(xlsx(state, d, len, 100, &g), SHEET_TOO_BIG);
	big[n] = '\0';
	snprintf(sheet, n + 512, WS("<row><c t=\"inlineStr\"><is><t>%s</t>"
	    "</is></c></row>"), big);
	d = mkxlsx(state, WB, sheet, NULL, &len);
	g.quiet = 1;
	assert_int_equal(xlsx(state, d, len, 100, &g), SHEET_OK);
	assert_int_equal(g.rows, 1);
	got_free(&g);
}

static void
xlsx_dtd(void **state)
{
	struct got	 g = { 0 };
	size_t		 len;
	char		*d;

	/* An internal entity in the workbook. */
	d = mkxlsx(state, "<?xml version=\"1.0\"?><!DOCTYPE workbook ["
	    "<!ENTITY x \"y\">]><workbook>&x;</workbook>",
	    WS("<row><c><v>1</v></c></row>"), NULL, &len);
	assert_int_equal(xlsx(state, d, len, 100, &g), SHEET_FORMAT);
	/* An external entity in the sheet. */
	d = mkxlsx(state, WB, "<?xml version=\"1.0\"?><!DOCTYPE worksheet ["
	    "<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><worksheet>"
	    "<sheetData><row><c t=\"inlineStr\"><is><t>&xxe;</t></is></c>"
	    "</row></sheetData></worksheet>", NULL, &len);
	assert_int_equal(xlsx(state, d, len, 100, &g), SHEET_FORMAT);
	/* A DOCTYPE alone, and billion laughs in the styles. */
	d = mkxlsx(state, WB, "<!DOCTYPE worksheet SYSTEM \"http://x/\">"
	    "<worksheet/>", NULL, &len);
	assert_int_equal(xlsx(state, d, len, 100, &g), SHEET_FORMAT);
	d = mkxlsx(state, WB, WS("<row><c><v>1</v></c></row>"),
	    "<!DOCTYPE s [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;"
	    "&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;"
	    "&b;&b;\">]><styleSheet>&c;</styleSheet>", &len);
	assert_int_equal(xlsx(state, d, len, 100, &g), SHEET_FORMAT);
	/* Broken XML. */
	d = mkxlsx(state, WB, "<worksheet><sheetData><row>", NULL, &len);
	assert_int_equal(xlsx(state, d, len, 100, &g), SHEET_FORMAT);
	assert_int_equal(g.rows, 0);
	got_free(&g);
}

static void
xlsx_not_xlsx(void **state)
{
	struct got	 g = { 0 };
	struct zent	 e = { .name = "word/document.xml", .data = "<w/>",
			    .len = 4 };
	unsigned char	 r[4096];
	size_t		 len, i;
	char		*d;
	uint32_t	 x = 2463534242u;

	for (i = 0; i < sizeof(r); i++) {	/* xorshift32 */
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		r[i] = (unsigned char)x;
	}
	assert_int_equal(xlsx(state, exact(state, r, sizeof(r)), sizeof(r),
	    100, &g), SHEET_FORMAT);
	memcpy(r, "PK\3\4", 4);
	assert_int_equal(xlsx(state, exact(state, r, sizeof(r)), sizeof(r),
	    100, &g), SHEET_FORMAT);
	assert_int_equal(xlsx(state, exact(state, "a,b\n", 4), 4, 100, &g),
	    SHEET_FORMAT);
	assert_int_equal(xlsx(state, NULL, 0, 100, &g), SHEET_FORMAT);
	/* A zip, but no workbook in it (a .docx). */
	d = mkzip(state, &e, 1, &len);
	assert_int_equal(xlsx(state, d, len, 100, &g), SHEET_FORMAT);
	/* A workbook, but no sheet. */
	e.name = "xl/workbook.xml";
	e.data = WB;
	e.len = strlen(WB);
	d = mkzip(state, &e, 1, &len);
	assert_int_equal(xlsx(state, d, len, 100, &g), SHEET_FORMAT);
	assert_int_equal(g.rows, 0);
	got_free(&g);
}

/*
 * A raw deflate stream of k MiB of spaces, built from one compressed
 * MiB repeated: after Z_FULL_FLUSH a block refers to nothing before it,
 * so the copies join into one valid stream (RFC 1951 3.2.3).  600 MiB
 * of text in about 600 KB, made in milliseconds.
 */
static char *
spaces_deflated(void **state, size_t k, size_t *len, uint32_t *crc)
{
	z_stream	 zs;
	unsigned char	*mib, blk[8192], fin[64];
	size_t		 blen, flen, i;
	char		*out;
	uLong		 c1;

	mib = malloc(1 << 20);
	assert_non_null(mib);
	memset(mib, ' ', 1 << 20);
	memset(&zs, 0, sizeof(zs));
	assert_int_equal(deflateInit2(&zs, 9, Z_DEFLATED, -15, 9,
	    Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = mib;
	zs.avail_in = 1 << 20;
	zs.next_out = blk;
	zs.avail_out = sizeof(blk);
	assert_int_equal(deflate(&zs, Z_FULL_FLUSH), Z_OK);
	assert_int_equal(zs.avail_in, 0);
	blen = sizeof(blk) - zs.avail_out;
	zs.next_out = fin;
	zs.avail_out = sizeof(fin);
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	flen = sizeof(fin) - zs.avail_out;
	deflateEnd(&zs);

	out = keep(state, malloc(blen * k + flen));
	for (i = 0; i < k; i++)
		memcpy(out + i * blen, blk, blen);
	memcpy(out + k * blen, fin, flen);
	*len = blen * k + flen;
	c1 = crc32(0, mib, 1 << 20);
	*crc = (uint32_t)c1;
	for (i = 1; i < k; i++)
		*crc = (uint32_t)crc32_combine(*crc, c1, 1 << 20);
	free(mib);
	return out;
}

static void
xlsx_zip_bomb(void **state)
{
	struct got	 g = { 0 };
	struct zent	 e[2];
	size_t		 len, blen;
	uint32_t	 crc;
	char		*bomb, *d;
	double		 t0 = now();

	memset(e, 0, sizeof(e));
	e[0].name = "xl/workbook.xml";
	e[0].data = WB;
	e[0].len = strlen(WB);
	e[1].name = "xl/worksheets/sheet1.xml";
	e[1].method = 8;

	/* 100 MiB: under the entry cap, but a ratio of about 1000. */
	e[1].data = spaces_deflated(state, 100, &e[1].len, &e[1].crc);
	e[1].usize = 100u << 20;
	d = mkzip(state, e, 2, &len);
	assert_int_equal(xlsx(state, d, len, 100, &g), SHEET_TOO_BIG);

	/* Honest headers: 600 MiB, refused before inflating a byte. */
	bomb = spaces_deflated(state, 600, &blen, &crc);
	e[1].data = bomb;
	e[1].len = blen;
	e[1].crc = crc;
	e[1].usize = 600u << 20;
	d = mkzip(state, e, 2, &len);
	assert_int_equal(xlsx(state, d, len, 100, &g), SHEET_TOO_BIG);
	/* Lying headers: 1000 bytes claimed; stopped by counting. */
	e[1].usize = 1000;
	d = mkzip(state, e, 2, &len);
	assert_int_equal(xlsx(state, d, len, 100, &g), SHEET_TOO_BIG);
	/* 1 MiB claimed (the ratio is not checked that low). */
	e[1].usize = 1u << 20;
	d = mkzip(state, e, 2, &len);
	assert_int_equal(xlsx(state, d, len, 100, &g), SHEET_TOO_BIG);
	assert_int_equal(g.rows, 0);
	assert_true(WITHIN(t0, 5.0));
	got_free(&g);
}

static void
xlsx_many_entries(void **state)
{
	struct got	 g = { 0 };
	struct zent	*e;
	char		(*names)[16];
	size_t		 i, len, n;
	char		*d;
	double		 t0;
	const size_t	 counts[] = { 1000, 1001, 5000, 100000 };
	size_t		 c;

	n = 100000;
	e = calloc(n, sizeof(*e));
	names = calloc(n, sizeof(*names));
	assert_non_null(e);
	assert_non_null(names);
	for (i = 0; i < n; i++) {
		snprintf(names[i], sizeof(names[i]), "f/%zu", i);
		e[i].name = names[i];
		e[i].data = "";
	}
	e[0].name = "xl/workbook.xml";
	e[0].data = WB;
	e[0].len = strlen(WB);
	e[1].name = "xl/worksheets/sheet1.xml";
	e[1].data = WS("<row><c><v>7</v></c></row>");
	e[1].len = strlen(e[1].data);
	for (c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		d = mkzip(state, e, counts[c], &len);
		t0 = now();
		assert_int_equal(xlsx(state, d, len, 100, &g),
		    counts[c] <= 1000 ? SHEET_OK : SHEET_TOO_BIG);
		assert_true(WITHIN(t0, 1.0));
		got_free(&g);
	}
	free(e);
	free(names);
}

/* ---------------------------------------------------------------- write */

/* Files in dir (not . and ..). */
static int
files_in(const char *dir)
{
	DIR		*dp;
	struct dirent	*de;
	int		 n = 0;

	assert_non_null(dp = opendir(dir));
	while ((de = readdir(dp)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	closedir(dp);
	return n;
}

/* The text of one part of a zip in b, into the arena. */
static char *
zip_part(void **state, const struct buf *b, const char *name)
{
	zip_source_t	*src;
	zip_t		*za;
	zip_file_t	*zf;
	zip_stat_t	 st;
	char		*s;

	assert_non_null(src = zip_source_buffer_create(b->data, b->len, 0,
	    NULL));
	assert_non_null(za = zip_open_from_source(src, ZIP_RDONLY, NULL));
	assert_int_equal(zip_stat(za, name, 0, &st), 0);
	s = arena_alloc(ARENA(state), st.size + 1);
	assert_non_null(s);
	assert_non_null(zf = zip_fopen(za, name, 0));
	assert_int_equal(zip_fread(zf, s, st.size), (zip_int64_t)st.size);
	s[st.size] = '\0';
	zip_fclose(zf);
	zip_discard(za);
	return s;
}

static void
xlsx_write_read(void **state)
{
	struct got	 g = { 0 };
	struct buf	 b;
	char		 dir[] = "/tmp/test_sheets.XXXXXX";
	const char	*oldtmp = getenv("TMPDIR");
	char		*long40k;
	const char	*long40k_c;
	const char	*header[] = { "名称", "=HYPERLINK(\"x\")", "电话" };
	const char	*cells[] = {
		"=1+1", "+86 138", "-5",
		"@SUM(A1)", "\tx", "\ry",
		"北京", NULL, "",
		"a=b", "1,\"2\"\n3", "ctl\x01\x02" "x",
	};

	assert_non_null(mkdtemp(dir));
	setenv("TMPDIR", dir, 1);
	buf_init(&b, ARENA(state), 1 << 20);
	assert_int_equal(xlsx_write(&b, "客户", 3, header, 4, cells), 0);
	assert_false(b.overflow);
	assert_int_equal(files_in(dir), 0);

	assert_int_equal(xlsx(state, b.data, b.len, 100, &g), SHEET_OK);
	assert_string_equal(got_str(&g),
	    "1:名称|'=HYPERLINK(\"x\")|电话\n"
	    "2:'=1+1|'+86 138|'-5\n"
	    "3:'@SUM(A1)|'\tx|'\ry\n"
	    "4:北京\n"
	    "5:a=b|1,\"2\"\n3|ctlx\n");
	got_free(&g);
	/* The header is bold: a second font with <b/>, used by a cell xf. */
	assert_non_null(strstr(zip_part(state, &b, "xl/styles.xml"), "<b/>"));
	assert_non_null(strstr(zip_part(state, &b, "xl/workbook.xml"),
	    "name=\"客户\""));

	/* An invalid sheet name falls back to the default. */
	buf_init(&b, ARENA(state), 1 << 20);
	assert_int_equal(xlsx_write(&b, "a[b]", 1, header, 0, NULL), 0);
	assert_int_equal(xlsx(state, b.data, b.len, 100, &g), SHEET_OK);
	assert_string_equal(got_str(&g), "1:名称\n");
	got_free(&g);

	/* Excel's 32767 characters a cell: longer text is cut. */
	long40k = keep(state, malloc(40001));
	memset(long40k, 'a', 40000);
	long40k[40000] = '\0';
	long40k_c = long40k;
	buf_init(&b, ARENA(state), 1 << 20);
	assert_int_equal(xlsx_write(&b, NULL, 1, &long40k_c, 0, NULL), 0);
	g.quiet = 1;
	assert_int_equal(xlsx(state, b.data, b.len, 100, &g), SHEET_OK);
	assert_int_equal(g.rows, 1);
	assert_int_equal(g.maxlen, 32767);
	got_free(&g);
	assert_int_equal(files_in(dir), 0);

	/* Failures leave no file behind either. */
	buf_init(&b, ARENA(state), 100);
	assert_int_equal(xlsx_write(&b, NULL, 3, header, 4, cells), -1);
	buf_init(&b, ARENA(state), 1 << 20);
	cells[0] = "\xff";
	assert_int_equal(xlsx_write(&b, NULL, 3, header, 4, cells), -1);
	assert_int_equal(xlsx_write(&b, NULL, 0, header, 0, NULL), -1);
	assert_int_equal(files_in(dir), 0);

	assert_int_equal(rmdir(dir), 0);
	if (oldtmp != NULL)
		setenv("TMPDIR", oldtmp, 1);
	else
		unsetenv("TMPDIR");
}

/* 10,000 rows out and back in: sizes, a few cells, and some speed. */
static void
xlsx_write_read_big(void **state)
{
	struct got	 g = { 0 };
	struct buf	 b;
	const char	*header[] = { "a", "b", "c", "d", "e" };
	const char	**cells;
	size_t		 n = 10000, i, j;
	double		 t0;

	cells = keep(state, calloc(n * 5, sizeof(*cells)));
	for (i = 0; i < n; i++)
		for (j = 0; j < 5; j++)
			cells[i * 5 + j] = arena_printf(ARENA(state),
			    "客户 %zu-%zu", i, j);
	buf_init(&b, ARENA(state), 16 << 20);
	t0 = now();
	assert_int_equal(xlsx_write(&b, "x", 5, header, n, cells), 0);
	g.quiet = 1;
	assert_int_equal(xlsx(state, b.data, b.len, n + 1, &g), SHEET_OK);
	assert_int_equal(g.rows, n + 1);
	assert_int_equal(g.lastrow, n + 1);
	assert_true(WITHIN(t0, 5.0));
	got_free(&g);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(csv_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(csv_bom, setup, teardown),
		cmocka_unit_test_setup_teardown(csv_gb18030, setup, teardown),
		cmocka_unit_test_setup_teardown(csv_libreoffice_gbk, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(csv_quotes, setup, teardown),
		cmocka_unit_test_setup_teardown(csv_line_ends, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(csv_unterminated, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(csv_nul, setup, teardown),
		cmocka_unit_test_setup_teardown(csv_rows_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(csv_cell_caps, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(csv_streams, setup, teardown),
		cmocka_unit_test_setup_teardown(xlsx_libreoffice, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(xlsx_hand, setup, teardown),
		cmocka_unit_test_setup_teardown(xlsx_dates, setup, teardown),
		cmocka_unit_test_setup_teardown(xlsx_cells, setup, teardown),
		cmocka_unit_test_setup_teardown(xlsx_dtd, setup, teardown),
		cmocka_unit_test_setup_teardown(xlsx_not_xlsx, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(xlsx_zip_bomb, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(xlsx_many_entries, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(xlsx_write_read, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(xlsx_write_read_big, setup,
		    teardown),
	};

	return cmocka_run_group_tests_name("sheets", tests, NULL, NULL);
}
