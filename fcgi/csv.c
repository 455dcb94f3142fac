/*
 * csv.c: reading uploaded CSV files for imports (RFC 4180).
 *
 * Encoding is judged by content: a UTF-8 byte order mark is skipped;
 * otherwise valid UTF-8 is taken as it is, and anything else is converted
 * from GB18030 (a superset of GBK and GB2312, what Chinese Excel writes for
 * "CSV (comma delimited)") with iconv into the arena.  A file that is
 * neither is refused with SHEET_ENCODING rather than read as mojibake.
 *
 * The grammar is RFC 4180 section 2 with the tolerances spreadsheet
 * programs have: LF and a lone CR end a record as well as CRLF, the last
 * record needs no line end, a quote inside an unquoted field is taken
 * literally, and text after a closing quote is appended to the field (as
 * Excel does).  A quote still open at the end of the file is an error: it
 * usually means a truncated upload, and guessing would shift every later
 * column.  Empty lines are not handed over (they still count for row
 * numbers, like a blank row in a spreadsheet).
 *
 * Memory: the rows are not kept.  One row buffer and one cell table live
 * in the arena and are reused for every row, so a file costs its own size
 * (twice, when converted) plus its largest row, never the sum of its rows.
 * The caps (rows, 200 cells a row, 32 KiB a cell) bound that row.
 */
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <string.h>

#include "extern.h"

#define CSV_MAXCELLS	200
#define CSV_MAXCELL	(32 * 1024)

/* The row being assembled: cell texts back to back, each NUL-ended. */
struct csvrow {
	struct arena	 *a;
	char		 *text;
	size_t		  len;
	size_t		  size;
	size_t		  off[CSV_MAXCELLS];	/* where each cell starts */
	size_t		  ncells;
	size_t		  cellstart;		/* of the cell being read */
	const char	**cells;
};

/*
 * Make room for n more bytes of row text.  Growth doubles, so the arena
 * holds at most about twice the largest row; the caps make that at most
 * CSV_MAXCELLS * (CSV_MAXCELL + 1) bytes.
 */
static enum sheet_err
row_reserve(struct csvrow *r, size_t n)
{
	size_t	 nsize;
	char	*p;

	if (r->size - r->len >= n)
		return SHEET_OK;
	nsize = r->size ? r->size : 1024;
	while (nsize - r->len < n)
		nsize *= 2;
	if ((p = arena_alloc(r->a, nsize)) == NULL)
		return SHEET_TOO_BIG;
	if (r->len)
		memcpy(p, r->text, r->len);
	r->text = p;
	r->size = nsize;
	return SHEET_OK;
}

/* Append n bytes to the current cell, within the cell cap. */
static enum sheet_err
cell_append(struct csvrow *r, const char *s, size_t n)
{
	enum sheet_err	 e;

	if (n == 0)
		return SHEET_OK;
	if (memchr(s, '\0', n) != NULL)
		return SHEET_FORMAT;
	if (r->len - r->cellstart + n > CSV_MAXCELL)
		return SHEET_TOO_BIG;
	if ((e = row_reserve(r, n)) != SHEET_OK)
		return e;
	memcpy(r->text + r->len, s, n);
	r->len += n;
	return SHEET_OK;
}

/* Close the current cell and start the next one. */
static enum sheet_err
cell_end(struct csvrow *r)
{
	enum sheet_err	 e;

	if (r->ncells == CSV_MAXCELLS)
		return SHEET_TOO_BIG;
	if ((e = row_reserve(r, 1)) != SHEET_OK)
		return e;
	r->text[r->len++] = '\0';
	r->off[r->ncells++] = r->cellstart;
	r->cellstart = r->len;
	return SHEET_OK;
}

/*
 * Convert GB18030 to UTF-8 into the arena.  The output is bounded: a
 * GB18030 character of n bytes is at most 3 bytes of UTF-8 for n = 1..2
 * and 4 for n = 4, so 1.5 times the input always suffices.
 */
static enum sheet_err
from_gb18030(struct arena *a, const char *in, size_t len, char **out,
    size_t *outlen)
{
	iconv_t		 cd;
	char		*ip, *op, *buf;
	size_t		 il, ol, cap;
	enum sheet_err	 e = SHEET_ENCODING;

	if (len > (SIZE_MAX - 16) / 3 * 2)
		return SHEET_TOO_BIG;
	cap = len + len / 2 + 16;
	if ((buf = arena_alloc(a, cap)) == NULL)
		return SHEET_TOO_BIG;
	if ((cd = iconv_open("UTF-8", "GB18030")) == (iconv_t)-1)
		return SHEET_ENCODING;
	ip = (char *)in;	/* iconv's prototype; it does not write */
	il = len;
	op = buf;
	ol = cap;
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 ||
	    iconv(cd, NULL, NULL, &op, &ol) == (size_t)-1)
		goto done;	/* EILSEQ, EINVAL (truncated), E2BIG */
	*out = buf;
	*outlen = cap - ol;
	/* Never trust a converter's output blindly: it must be UTF-8 now. */
	if (http_utf8_valid(buf, *outlen))
		e = SHEET_OK;
done:
	iconv_close(cd);
	return e;
}

/*
 * Hand the row to the callback, unless it is an empty line.  *nrows
 * counts rows handed over, which max_rows caps.
 */
static enum sheet_err
row_emit(struct csvrow *r, size_t rowno, int blank, size_t max_rows,
    size_t *nrows, sheet_row_fn fn, void *arg)
{
	struct sheet_row	 row;
	size_t			 i;

	if (!blank) {
		if (*nrows >= max_rows)
			return SHEET_TOO_BIG;
		(*nrows)++;
		for (i = 0; i < r->ncells; i++)
			r->cells[i] = r->text + r->off[i];
		row.rowno = rowno;
		row.ncells = r->ncells;
		row.cells = r->cells;
		if (fn(arg, &row) != 0)
			return SHEET_STOPPED;
	}
	r->len = r->cellstart = r->ncells = 0;
	return SHEET_OK;
}

/*
 * Read a CSV file (RFC 4180) and call fn for each non-empty record, the
 * first (usually the header) being row 1.  Cells are NUL-terminated UTF-8
 * in memory that is reused for the next row: fn copies what it keeps.
 * At most max_rows rows are handed over (header included); one more is
 * SHEET_TOO_BIG, as are a row of over 200 cells or a cell of over 32 KiB.
 * Returns SHEET_OK, SHEET_STOPPED when fn returned non-zero,
 * SHEET_ENCODING, SHEET_FORMAT (open quote at the end, a NUL byte) or
 * SHEET_TOO_BIG; on an error fn may already have seen earlier rows.
 * All memory is taken from the arena a.
 */
enum sheet_err
csv_read(struct arena *a, const char *data, size_t len, size_t max_rows,
    sheet_row_fn fn, void *arg)
{
	struct csvrow	*r;
	char		*conv;
	enum sheet_err	 e;
	size_t		 i, j, rowno = 0, nrows = 0;
	int		 blank;
	char		 c;

	if (len == 0)
		return SHEET_OK;
	if (data == NULL)
		return SHEET_FORMAT;
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
		if (!http_utf8_valid(data, len))
			return SHEET_ENCODING;
	} else if (!http_utf8_valid(data, len)) {
		if ((e = from_gb18030(a, data, len, &conv, &len)) != SHEET_OK)
			return e;
		data = conv;
	}

	if ((r = arena_calloc(a, 1, sizeof(*r))) == NULL ||
	    (r->cells = arena_calloc(a, CSV_MAXCELLS,
	    sizeof(*r->cells))) == NULL)
		return SHEET_TOO_BIG;
	r->a = a;

	i = 0;
	while (i < len) {
		/* One record: fields separated by commas up to a line end. */
		rowno++;
		blank = 1;
		for (;;) {
			if (i < len && data[i] == '"') {
				blank = 0;
				i++;
				for (;;) {
					/* Runs of plain text, then a quote. */
					for (j = i; j < len && data[j] != '"';
					    j++)
						;
					if ((e = cell_append(r, data + i,
					    j - i)) != SHEET_OK)
						return e;
					if (j == len)
						return SHEET_FORMAT;
					i = j + 1;
					if (i < len && data[i] == '"') {
						/* "" is one quote (2.7) */
						if ((e = cell_append(r, "\"",
						    1)) != SHEET_OK)
							return e;
						i++;
						continue;
					}
					break;
				}
			}
			/* Unquoted text, or what follows a closing quote. */
			for (j = i; j < len; j++) {
				c = data[j];
				if (c == ',' || c == '\n' || c == '\r')
					break;
			}
			if (j > i)
				blank = 0;
			if ((e = cell_append(r, data + i, j - i)) != SHEET_OK)
				return e;
			if ((e = cell_end(r)) != SHEET_OK)
				return e;
			i = j;
			if (i < len && data[i] == ',') {
				blank = 0;
				i++;
				continue;
			}
			break;
		}
		/* i is at CRLF, LF, a lone CR or the end of the data. */
		if (i < len && data[i] == '\r')
			i++;
		if (i < len && data[i] == '\n')
			i++;
		if ((e = row_emit(r, rowno, blank, max_rows, &nrows, fn,
		    arg)) != SHEET_OK)
			return e;
	}
	return SHEET_OK;
}
