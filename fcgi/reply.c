/*
 * reply.c: building the answer of a request: status, headers, JSON body,
 * and the error shape {"error": {"code", "message", "field"}}.
 */
#include <jansson.h>

#include "extern.h"

/* Add one header line; the caller gives "Name: value" without CRLF. */
void
reply_header(struct ctx *c, const char *fmt, ...)
{
	va_list	 ap;
	char	*line;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (line = arena_alloc(c->a, (size_t)n + 1)) == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, (size_t)n + 1, fmt, ap);
	va_end(ap);
	buf_write(&c->rep.hdr, line, (size_t)n);
	buf_puts(&c->rep.hdr, "\r\n");
}

/* Answer status with v as the JSON body; v is released here. */
void
reply_json(struct ctx *c, int status, json_t *v)
{
	c->rep.status = status;
	c->rep.ctype = "application/json; charset=utf-8";
	c->rep.body.len = 0;
	if (v == NULL || json_dump_buf(&c->rep.body, v) == -1 ||
	    c->rep.body.overflow) {
		json_decref(v);
		c->rep.body.overflow = 0;
		c->rep.body.len = 0;
		log_err("reply: could not encode the answer");
		reply_err(c, ERR_INTERNAL, NULL);
		return;
	}
	json_decref(v);
}

/*
 * Answer status with the object v and one more member, key (a plain name,
 * not escaped) whose value is the JSON text json as PostgreSQL made it
 * (json_agg of a page of rows): copied, never parsed and dumped again,
 * which is most of a list's cost in jansson.  v is released here.
 */
void
reply_json_with(struct ctx *c, int status, json_t *v, const char *key,
    const char *json)
{
	struct buf	*b = &c->rep.body;

	reply_json(c, status, v);
	if (c->rep.status != status || b->len < 2 || b->data[b->len - 1] != '}')
		return;
	b->len--;
	if (b->len > 1)
		buf_putc(b, ',');
	buf_printf(b, "\"%s\":", key);
	buf_puts(b, json != NULL && *json != '\0' ? json : "null");
	buf_putc(b, '}');
	if (b->overflow) {
		b->overflow = 0;
		b->len = 0;
		log_err("reply: could not encode the answer");
		reply_err(c, ERR_INTERNAL, NULL);
	}
}

/* Answer with an empty body. */
void
reply_empty(struct ctx *c, int status)
{
	c->rep.status = status;
	c->rep.ctype = NULL;
	c->rep.body.len = 0;
}

/* See extern.h. */
void
reply_errmsg(struct ctx *c, enum crm_err e, const char *field,
    const char *msg)
{
	json_t	*err, *top;

	c->rep.err = e;
	err = json_pack("{s:s, s:s}", "code", crm_errcode(e), "message", msg);
	if (err != NULL && field != NULL)
		json_object_set_new(err, "field", json_string(field));
	/* What the page needs to act on it (the customer of a duplicate). */
	if (err != NULL && c->errextra != NULL)
		json_object_set_new(err, "detail", c->errextra);
	else
		json_decref(c->errextra);
	c->errextra = NULL;
	if (crm_errstatus(e) == 503)
		reply_header(c, "Retry-After: 2");
	c->rep.status = crm_errstatus(e);
	c->rep.ctype = "application/json; charset=utf-8";
	c->rep.body.len = 0;
	if (err == NULL) {
		buf_puts(&c->rep.body, "{\"error\":{\"code\":\"internal\"}}");
		return;
	}
	top = json_pack("{s:o}", "error", err);
	if (top == NULL || json_dump_buf(&c->rep.body, top) == -1)
		buf_puts(&c->rep.body, "{\"error\":{\"code\":\"internal\"}}");
	json_decref(top);
}

/* See extern.h. */
void
reply_err(struct ctx *c, enum crm_err e, const char *field)
{
	reply_errmsg(c, e, field, crm_strerror(e, c->lang));
}
