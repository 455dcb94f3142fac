/*
 * fuzz_xlsx.c: libFuzzer target for xlsx_read (fcgi/xlsx.c), which takes
 * uploaded workbooks: libzip from memory, the zip caps, expat and the
 * SpreadsheetML handlers (workbook, relationships, styles, shared
 * strings, worksheet).
 *
 * An input starting with "PK" is taken as the whole .xlsx.  Any other is
 * split at NUL bytes into sheet XML, shared strings, styles and workbook,
 * which are stored (not deflated) in a zip made here, so the fuzzer works
 * on the XML without having to fix CRCs.
 *
 * Checks beyond "no crash": every row handed over has a row number above
 * the last and at most 1048576, 1 to 200 cells, each valid UTF-8 of at
 * most 32 KiB; an error return is one of the enum; the reader stops when
 * asked.  Seeds: tests/fuzz/corpus/fuzz_xlsx (the unit-test workbooks,
 * also stored, and split XML inputs).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "extern.h"

#define CHECK(c) do {							\
	if (!(c)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n",		\
		    __FILE__, __LINE__, #c);				\
		abort();						\
	}								\
} while (0)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct arena	arena;
static int		inited;

static const char	*partnames[] = {
	"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml",
	"xl/workbook.xml",
};

static const char	 workbook[] = "<workbook><workbookPr date1904=\"0\"/>"
	"<sheets><sheet r:id=\"rId1\"/></sheets></workbook>";

struct pass {
	size_t		 lastrow;
	size_t		 rows;
	size_t		 stop_after;
};

static int
row(void *arg, const struct sheet_row *r)
{
	struct pass	*p = arg;
	size_t		 i, n;

	CHECK(r->rowno > p->lastrow && r->rowno <= 1048576);
	CHECK(r->ncells >= 1 && r->ncells <= 200);
	p->lastrow = r->rowno;
	for (i = 0; i < r->ncells; i++) {
		CHECK(r->cells[i] != NULL);
		n = strlen(r->cells[i]);
		CHECK(n <= 32 * 1024);
		CHECK(http_utf8_valid(r->cells[i], n));
	}
	p->rows++;
	CHECK(p->stop_after == 0 || p->rows <= p->stop_after);
	return p->stop_after && p->rows == p->stop_after ? -1 : 0;
}

static void
le(struct buf *b, uint32_t v, int n)
{
	int	 i;

	for (i = 0; i < n; i++)
		buf_putc(b, (int)(v >> (8 * i) & 0xff));
}

/* A zip of stored parts (APPNOTE.TXT 4.3.7, 4.3.12, 4.3.16). */
static void
mkzip(struct buf *b, const char *const *names, const char *const *part,
    const size_t *len, int n)
{
	uint32_t	 off[4], crc[4], cd;
	int		 i, k;

	for (k = 0; k < 2; k++) {
		cd = (uint32_t)b->len;
		for (i = 0; i < n; i++) {
			if (k == 0) {
				off[i] = (uint32_t)b->len;
				crc[i] = (uint32_t)crc32(0,
				    (const Bytef *)part[i], (uInt)len[i]);
				le(b, 0x04034b50, 4);
			} else {
				le(b, 0x02014b50, 4);
				le(b, 20, 2);
			}
			le(b, 20, 2);
			le(b, 0, 2);
			le(b, 0, 2);		/* stored */
			le(b, 0, 4);		/* time, date */
			le(b, crc[i], 4);
			le(b, (uint32_t)len[i], 4);
			le(b, (uint32_t)len[i], 4);
			le(b, (uint32_t)strlen(names[i]), 2);
			le(b, 0, 2);
			if (k == 1) {
				le(b, 0, 4);	/* comment, disk */
				le(b, 0, 2);
				le(b, 0, 4);
				le(b, off[i], 4);
			}
			buf_puts(b, names[i]);
			if (k == 0)
				buf_write(b, part[i], len[i]);
		}
	}
	le(b, 0x06054b50, 4);
	le(b, 0, 4);
	le(b, (uint32_t)n, 2);
	le(b, (uint32_t)n, 2);
	le(b, (uint32_t)b->len - cd, 4);
	le(b, cd, 4);
	le(b, 0, 2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pass	 p;
	struct buf	 z;
	const char	*part[4], *name[4], *s = (const char *)data, *nul;
	size_t		 len[4], rest = size, rows;
	enum sheet_err	 e;
	int		 n = 0;

	if (!inited) {
		arena_init(&arena, 0);
		inited = 1;
	}
	buf_init(&z, &arena, 1u << 20);
	if (size < 2 || memcmp(data, "PK", 2) != 0) {
		/* Parts that are not in the input are not in the zip. */
		while (n < 4) {
			nul = rest ? memchr(s, '\0', rest) : NULL;
			name[n] = partnames[n];
			part[n] = s;
			len[n] = nul != NULL ? (size_t)(nul - s) : rest;
			n++;
			if (nul == NULL)
				break;
			rest -= len[n - 1] + 1;
			s = nul + 1;
		}
		if (n < 4) {
			name[n] = partnames[3];
			part[n] = workbook;
			len[n++] = sizeof(workbook) - 1;
		}
		mkzip(&z, name, part, len, n);
		CHECK(!z.overflow);
		data = (const uint8_t *)z.data;
		size = z.len;
	}

	memset(&p, 0, sizeof(p));
	e = xlsx_read(&arena, (const char *)data, size, 1000, row, &p);
	CHECK(e == SHEET_OK || e == SHEET_FORMAT || e == SHEET_TOO_BIG);
	rows = p.rows;
	if (rows >= 2) {
		/* Asked to stop, it stops. */
		memset(&p, 0, sizeof(p));
		p.stop_after = rows / 2;
		e = xlsx_read(&arena, (const char *)data, size, 1000, row, &p);
		CHECK(e == SHEET_STOPPED && p.rows == rows / 2);
	}
	arena_reset(&arena);
	return 0;
}
