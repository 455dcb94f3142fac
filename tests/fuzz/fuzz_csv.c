/*
 * fuzz_csv.c: libFuzzer target for csv_read (fcgi/csv.c), which takes
 * uploaded files: encoding detection, GB18030 conversion (iconv) and the
 * RFC 4180 state machine.
 *
 * Checks beyond "no crash": every row handed over has a row number above
 * the last, 1 to 200 cells, each valid UTF-8 of at most 32 KiB without a
 * NUL; an error return is one of the enum.  Round trip: a file read
 * without error, written back as RFC 4180 with every field quoted, reads
 * back to the same cells (row numbers aside: empty lines are dropped).
 * Seeds: tests/fuzz/corpus/fuzz_csv (UTF-8 with and without BOM, GBK
 * from LibreOffice, GB18030 four-byte sequences, quotes, line ends).
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

#define MAXROWS	1000

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct arena	arena;
static int		inited;

struct pass {
	size_t		 lastrow;
	struct buf	 csv;	/* the rows written back, all quoted */
	struct buf	 flat;	/* the cells, length-prefixed */
};

static int
row(void *arg, const struct sheet_row *r)
{
	struct pass	*p = arg;
	size_t		 i, n, k;
	const char	*c;

	CHECK(r->rowno > p->lastrow);
	CHECK(r->ncells >= 1 && r->ncells <= 200);
	p->lastrow = r->rowno;
	for (i = 0; i < r->ncells; i++) {
		c = r->cells[i];
		CHECK(c != NULL);
		n = strlen(c);
		CHECK(n <= 32 * 1024);
		CHECK(http_utf8_valid(c, n));
		buf_printf(&p->flat, "%zu:", n);
		buf_write(&p->flat, c, n);
		if (i > 0)
			buf_putc(&p->csv, ',');
		buf_putc(&p->csv, '"');
		for (k = 0; k < n; k++) {
			if (c[k] == '"')
				buf_putc(&p->csv, '"');
			buf_putc(&p->csv, c[k]);
		}
		buf_putc(&p->csv, '"');
	}
	buf_putc(&p->flat, '\n');
	buf_puts(&p->csv, "\r\n");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pass	 one, two;
	enum sheet_err	 e;

	if (!inited) {
		arena_init(&arena, 0);
		inited = 1;
	}
	memset(&one, 0, sizeof(one));
	memset(&two, 0, sizeof(two));
	buf_init(&one.csv, &arena, 64u << 20);
	buf_init(&one.flat, &arena, 64u << 20);
	buf_init(&two.csv, &arena, 64u << 20);
	buf_init(&two.flat, &arena, 64u << 20);

	e = csv_read(&arena, (const char *)data, size, MAXROWS, row, &one);
	CHECK(e == SHEET_OK || e == SHEET_ENCODING || e == SHEET_FORMAT ||
	    e == SHEET_TOO_BIG);
	if (e == SHEET_OK) {
		CHECK(!one.csv.overflow && !one.flat.overflow);
		e = csv_read(&arena, one.csv.data, one.csv.len, MAXROWS, row,
		    &two);
		CHECK(e == SHEET_OK);
		CHECK(one.flat.len == two.flat.len);
		CHECK(one.flat.len == 0 ||
		    memcmp(one.flat.data, two.flat.data, one.flat.len) == 0);
		/* Quoted fields only: nothing left to convert or to guess. */
		CHECK(one.csv.len == two.csv.len);
	}
	arena_reset(&arena);
	return 0;
}
