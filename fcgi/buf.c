/*
 * buf.c: the one bounded string builder for all output.
 *
 * Memory comes from the request arena; growth doubles.  A write that would
 * pass max marks the buffer overflowed and is dropped, so callers test
 * once at the end instead of after every write.
 */
#include <string.h>

#include "extern.h"

void
buf_init(struct buf *b, struct arena *a, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->a = a;
	b->max = max;
}

static int
buf_grow(struct buf *b, size_t need)
{
	size_t	 nsize;
	char	*p;

	if (b->overflow)
		return -1;
	if (need > b->max || b->len > b->max - need) {
		b->overflow = 1;
		return -1;
	}
	if (b->len + need + 1 <= b->size)
		return 0;
	nsize = b->size ? b->size * 2 : 256;
	while (nsize < b->len + need + 1)
		nsize *= 2;
	if ((p = arena_alloc(b->a, nsize)) == NULL) {
		b->overflow = 1;
		return -1;
	}
	if (b->len)
		memcpy(p, b->data, b->len);
	b->data = p;
	b->size = nsize;
	return 0;
}

void
buf_write(struct buf *b, const void *p, size_t n)
{
	if (n == 0 || buf_grow(b, n) == -1)
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_write(b, s, strlen(s));
}

void
buf_putc(struct buf *b, int c)
{
	char	ch = (char)c;

	buf_write(b, &ch, 1);
}

void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0 || buf_grow(b, (size_t)n) == -1)
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

const char *
buf_cstr(struct buf *b)
{
	return b->len ? b->data : "";
}
