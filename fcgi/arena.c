/*
 * arena.c: the per-request memory arena.
 *
 * Allocation bumps a pointer in the current chunk; a new chunk (at least
 * ARENA_CHUNK bytes) is taken when it is full.  Cleanups registered with
 * arena_cleanup_add run in reverse order on reset, so results of libpq,
 * hiredis or jansson are released on every path of a request.
 */
#include <stdlib.h>
#include <string.h>

#include "extern.h"

#define ARENA_CHUNK	(16 * 1024)
#define ARENA_ALIGN	16

struct arena_chunk {
	struct arena_chunk	*next;
	size_t			 size;	/* usable bytes after the header */
	size_t			 off;
	max_align_t		 data[];
};

struct arena_cleanup {
	struct arena_cleanup	*next;
	void			(*fn)(void *);
	void			*arg;
};

void
arena_init(struct arena *a, size_t cap)
{
	memset(a, 0, sizeof(*a));
	a->cap = cap;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk	*c;
	size_t			 sz;
	void			*p;

	n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	if (n == 0)
		n = ARENA_ALIGN;
	if (a->cap && (n > a->cap || a->used > a->cap - n))
		return NULL;
	c = a->head;
	if (c == NULL || c->size - c->off < n) {
		sz = n > ARENA_CHUNK ? n : ARENA_CHUNK;
		if ((c = malloc(sizeof(*c) + sz)) == NULL)
			return NULL;
		c->size = sz;
		c->off = 0;
		/* A big one-off block goes behind the current chunk. */
		if (a->head != NULL && sz > ARENA_CHUNK) {
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	p = (char *)c->data + c->off;
	c->off += n;
	a->used += n;
	return p;
}

void *
arena_calloc(struct arena *a, size_t n, size_t size)
{
	void	*p;

	if (size && n > SIZE_MAX / size)
		return NULL;
	if ((p = arena_alloc(a, n * size)) != NULL)
		memset(p, 0, n * size);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char	*p;

	if ((p = arena_alloc(a, n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;
	char	*p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (p = arena_alloc(a, (size_t)n + 1)) == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

/*
 * Register fn(arg) to run when the arena is reset.  Returns -1 (and runs
 * fn(arg) at once, so nothing leaks) when memory for the entry is refused.
 */
int
arena_cleanup_add(struct arena *a, void (*fn)(void *), void *arg)
{
	struct arena_cleanup	*c;

	if ((c = malloc(sizeof(*c))) == NULL) {
		fn(arg);
		return -1;
	}
	c->fn = fn;
	c->arg = arg;
	c->next = a->cleanups;
	a->cleanups = c;
	return 0;
}

static void
arena_run_cleanups(struct arena *a)
{
	struct arena_cleanup	*c, *next;

	for (c = a->cleanups; c != NULL; c = next) {
		next = c->next;
		c->fn(c->arg);
		free(c);
	}
	a->cleanups = NULL;
}

void
arena_reset(struct arena *a)
{
	struct arena_chunk	*c, *next, *keep = NULL;

	arena_run_cleanups(a);
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		if (keep == NULL && c->size == ARENA_CHUNK) {
			keep = c;
			keep->next = NULL;
			keep->off = 0;
		} else
			free(c);
	}
	a->head = keep;
	a->used = 0;
}

void
arena_free(struct arena *a)
{
	arena_reset(a);
	free(a->head);
	a->head = NULL;
}
