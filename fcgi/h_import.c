/*
 * h_import.c: batch import of historical customers (CUS-IMPORT) over
 * HTTP: the template, the upload with its pre-check, the import's state
 * (the page polls it while the import runs) and the customers it created.
 * The import itself is a customer_import document (wf_import.c).
 *
 * The pre-check reads the file as it streams out of the reader (csv.c,
 * xlsx.c) in chunks of CHUNK rows: rules/import.lua turns each row into
 * the new-customer form's data and checks it with forms.validate, the
 * same rule the form uses; names are folded by rules/customer.lua; then
 * one query per chunk finds names already in the archive and one finds
 * the owners, and one INSERT stores the chunk's good rows.  Memory of a
 * chunk lives in its own arena, freed before the next chunk, so a
 * 100,000-row file does not pile up in the request arena.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <xlsxwriter.h>

#include "extern.h"

#define CHUNK		500	/* rows per rule call and per INSERT */
#define MAX_PROBLEMS	1000	/* kept and shown; all are counted */

/* Who may import: everyone but salespeople (PLT-NODELETE). */
static int
may_import(struct ctx *c)
{
	return strcmp(c->user->role, "salesperson") != 0;
}

/* --------------------------------------------------------------- template */

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
	}
}

static const char *
label(struct ctx *c, json_t *o)
{
	const char *s = json_string_value(json_object_get(o,
	    c->lang == LANG_EN ? "en" : "zh"));

	return s ? s : "";
}

/* The header of a column: its name, with * when it is required. */
static const char *
col_header(struct ctx *c, json_t *col)
{
	return json_is_true(json_object_get(col, "required")) ?
	    arena_printf(c->a, "%s*", label(c, col)) : label(c, col);
}

/*
 * The .xlsx template: the data sheet (headers only) and a sheet that
 * explains each column and lists its allowed values.  Written through a
 * temporary file (libxlsxwriter writes files), removed on every path.
 */
static int
template_xlsx(struct ctx *c, json_t *cols, struct buf *b)
{
	lxw_workbook_options	 opt;
	lxw_workbook		*wb = NULL;
	lxw_worksheet		*data, *notes;
	lxw_format		*bold, *wrap;
	json_t			*col, *ch;
	struct buf		 vals;
	char			 path[PATH_MAX];
	const char		*tmp = getenv("TMPDIR");
	size_t			 i, j;
	int			 fd, ok, rc = -1;

	if (tmp == NULL || tmp[0] != '/')
		tmp = "/tmp";
	if ((size_t)snprintf(path, sizeof(path), "%s/crm-tpl-XXXXXX", tmp) >=
	    sizeof(path) || (fd = mkstemp(path)) == -1)
		return -1;
	memset(&opt, 0, sizeof(opt));
	opt.tmpdir = (char *)tmp;
	if ((wb = workbook_new_opt(path, &opt)) == NULL ||
	    (data = workbook_add_worksheet(wb, ctx_text(c, "客户", "Customers")))
	    == NULL ||
	    (notes = workbook_add_worksheet(wb, ctx_text(c, "填写说明",
	    "How to fill in"))) == NULL ||
	    (bold = workbook_add_format(wb)) == NULL ||
	    (wrap = workbook_add_format(wb)) == NULL)
		goto done;
	format_set_bold(bold);
	format_set_text_wrap(wrap);
	format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
	worksheet_write_string(notes, 0, 0, ctx_text(c, "列名", "Column"), bold);
	worksheet_write_string(notes, 0, 1, ctx_text(c, "必填", "Required"),
	    bold);
	worksheet_write_string(notes, 0, 2, ctx_text(c, "填写要求", "Format"),
	    bold);
	worksheet_write_string(notes, 0, 3, ctx_text(c,
	    "可选值（中文名 / 英文名 / 代码，任填一种）",
	    "Allowed values (Chinese name / English name / code, any of them)"),
	    bold);
	worksheet_set_column(notes, 0, 0, 22, NULL);
	worksheet_set_column(notes, 1, 1, 8, NULL);
	worksheet_set_column(notes, 2, 2, 48, NULL);
	worksheet_set_column(notes, 3, 3, 60, NULL);
	json_array_foreach(cols, i, col) {
		const char *h = col_header(c, col);

		worksheet_write_string(data, 0, (lxw_col_t)i, h, bold);
		worksheet_set_column(data, (lxw_col_t)i, (lxw_col_t)i, 18, NULL);
		worksheet_write_string(notes, (lxw_row_t)(i + 1), 0, h, wrap);
		worksheet_write_string(notes, (lxw_row_t)(i + 1), 1,
		    json_is_true(json_object_get(col, "required")) ?
		    ctx_text(c, "是", "yes") : ctx_text(c, "否", "no"), wrap);
		worksheet_write_string(notes, (lxw_row_t)(i + 1), 2,
		    json_string_value(json_object_get(col, c->lang == LANG_EN ?
		    "note_en" : "note_zh")), wrap);
		buf_init(&vals, c->a, 1 << 20);
		json_array_foreach(json_object_get(col, "choices"), j, ch) {
			long long d = json_integer_value(json_object_get(ch,
			    "depth"));

			buf_printf(&vals, "%s%*s%s / %s / %s", j ? "\n" : "",
			    (int)(d * 2), "", json_string_value(json_object_get(
			    ch, "zh")), json_string_value(json_object_get(ch,
			    "en")), json_string_value(json_object_get(ch,
			    "code")));
		}
		if (vals.len > 0)
			worksheet_write_string(notes, (lxw_row_t)(i + 1), 3,
			    buf_cstr(&vals), wrap);
	}
	worksheet_freeze_panes(data, 1, 0);
	ok = workbook_close(wb) == LXW_NO_ERROR;
	wb = NULL;
	if (ok)
		rc = slurp(fd, b);
done:
	if (wb != NULL)
		lxw_workbook_free(wb);
	close(fd);
	unlink(path);
	return rc;
}

/* A CSV field (RFC 4180): quoted when it holds a comma, quote or newline. */
static void
csv_field(struct buf *b, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

/* GET /api/v1/imports/template?format=xlsx|csv */
void
h_import_template(struct ctx *c)
{
	const char	*fmt = http_kv_get(&c->req.query, "format");
	json_t		*cols, *col;
	size_t		 i;

	if (!may_import(c)) {
		reply_err(c, ERR_FORBIDDEN, NULL);
		return;
	}
	if (fmt == NULL || *fmt == '\0')
		fmt = "xlsx";
	if (strcmp(fmt, "xlsx") != 0 && strcmp(fmt, "csv") != 0) {
		reply_err(c, ERR_BAD_FIELD, "format");
		return;
	}
	if ((cols = import_rules(c, c->a, "import", "columns", NULL)) == NULL ||
	    !json_is_array(cols)) {
		reply_err(c, ERR_RULE, NULL);
		return;
	}
	c->rep.status = 200;
	if (strcmp(fmt, "csv") == 0) {
		/* UTF-8 with a BOM, so Excel opens it in the right encoding. */
		buf_puts(&c->rep.body, "\xef\xbb\xbf");
		json_array_foreach(cols, i, col) {
			if (i)
				buf_putc(&c->rep.body, ',');
			csv_field(&c->rep.body, col_header(c, col));
		}
		buf_puts(&c->rep.body, "\r\n");
		c->rep.ctype = "text/csv; charset=utf-8";
	} else {
		if (template_xlsx(c, cols, &c->rep.body) == -1) {
			c->rep.body.len = 0;
			reply_err(c, ERR_INTERNAL, NULL);
			return;
		}
		c->rep.ctype = "application/vnd.openxmlformats-officedocument."
		    "spreadsheetml.sheet";
	}
	reply_header(c, "Content-Disposition: attachment; "
	    "filename=\"customer-import-template.%s\"", fmt);
}

/* -------------------------------------------------------------- pre-check */

/* A row that passed the rule, waiting for the archive and owner checks. */
struct cand {
	size_t		 rowno;
	const char	*norm, *owner, *data, *extra;
};

/*
 * The folded names met so far and the row of each: an open-addressing
 * table of 16-byte slots over names kept in their own arena, about a
 * third of what a jansson object of 100,000 names takes.
 */
struct seen_slot {
	const char	*norm;		/* NULL: free */
	uint32_t	 hash;
	uint32_t	 row;
};

struct seen {
	struct arena	 names;
	struct seen_slot *v;
	size_t		 cap, n;	/* cap: a power of 2, or 0 */
};

static uint32_t
seen_hash(const char *s)
{
	uint32_t	 h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The slot of norm, or the free slot where it would go. */
static struct seen_slot *
seen_slot(struct seen *t, const char *norm, uint32_t h)
{
	size_t	 i = h & (t->cap - 1);

	while (t->v[i].norm != NULL && (t->v[i].hash != h ||
	    strcmp(t->v[i].norm, norm) != 0))
		i = (i + 1) & (t->cap - 1);
	return &t->v[i];
}

/* The first row of norm (0: none yet, and now row); -1 out of memory. */
static long
seen_put(struct seen *t, const char *norm, size_t row)
{
	struct seen_slot	*old = t->v, *sl;
	size_t			 ocap = t->cap, i;
	uint32_t		 h = seen_hash(norm);

	if (t->n + 1 > t->cap / 2) {
		t->cap = ocap ? ocap * 2 : 1024;
		if ((t->v = calloc(t->cap, sizeof(*t->v))) == NULL) {
			t->v = old;
			t->cap = ocap;
			return -1;
		}
		for (i = 0; i < ocap; i++)
			if (old[i].norm != NULL)
				*seen_slot(t, old[i].norm, old[i].hash) = old[i];
		free(old);
	}
	sl = seen_slot(t, norm, h);
	if (sl->norm != NULL)
		return (long)sl->row;
	if ((sl->norm = arena_strdup(&t->names, norm)) == NULL)
		return -1;
	sl->hash = h;
	sl->row = (uint32_t)row;
	t->n++;
	return 0;
}

static void
seen_free(void *arg)
{
	struct seen	*t = arg;

	free(t->v);
	arena_free(&t->names);
	memset(t, 0, sizeof(*t));
}

struct pre {
	struct ctx	*c;
	struct arena	 chunk;		/* memory of the chunk in hand */
	json_t		*keys;		/* field key of each column ("" none) */
	json_t		*headers;	/* the header texts */
	const char	**cells;	/* the chunk's rows: CHUNK * ncols */
	size_t		 ncols;
	char		*args;		/* JSON [keys, ctx] for the rule */
	json_t		*ctx;		/* what rules see of the applicant */
	size_t		 rownos[CHUNK];
	struct cand	 cand[CHUNK];
	size_t		 n, ncand;
	long long	 id;
	const char	*sid;
	long		 total, good, bad;
	json_t		*problems;	/* the first MAX_PROBLEMS */
	json_t		*counts;	/* by code, and "total" */
	struct seen	*seen;		/* name_norm -> first row */
	int		 header_done;
	int		 fatal;		/* required columns missing */
	enum crm_err	 err;		/* a database or rule failure */
};

/* The 1-based column holding field key, or 0. */
static size_t
column_of(struct pre *p, const char *key)
{
	json_t	*k;
	size_t	 i;

	if (key == NULL)
		return 0;
	json_array_foreach(p->keys, i, k)
		if (strcmp(json_string_value(k), key) == 0)
			return i + 1;
	return 0;
}

static void
problem(struct pre *p, size_t row, size_t col, const char *field,
    const char *code, const char *zh, const char *en)
{
	json_t	*n = json_object_get(p->counts, code);

	json_object_set_new(p->counts, code, json_integer(
	    json_integer_value(n) + 1));
	json_object_set_new(p->counts, "total", json_integer(
	    json_integer_value(json_object_get(p->counts, "total")) + 1));
	if (json_array_size(p->problems) >= MAX_PROBLEMS)
		return;
	json_array_append_new(p->problems, json_pack("{s:I, s:o, s:o, s:s?, "
	    "s:s, s:s, s:s}", "row", (json_int_t)row, "column",
	    col ? json_integer((json_int_t)col) : json_null(), "header",
	    col ? json_incref(json_array_get(p->headers, col - 1)) :
	    json_null(), "field", field, "code", code, "zh", zh, "en", en));
}

/* The header row: which field each column holds (rules/import.lua). */
static int
header(struct pre *p, const struct sheet_row *row)
{
	struct ctx	*c = p->c;
	json_t		*cells = json_array(), *h, *v;
	size_t		 i;

	p->header_done = 1;
	for (i = 0; i < row->ncells; i++) {
		v = json_string(row->cells[i]);
		json_array_append_new(cells, v ? v : json_string(""));
	}
	p->headers = json_deep_copy(cells);
	arena_cleanup_add(c->a, (void (*)(void *))json_decref, p->headers);
	h = import_rules(c, c->a, "import", "header", json_pack("[o]", cells));
	if (h == NULL || !json_is_array(json_object_get(h, "keys"))) {
		p->err = ctx_fail(c, ERR_RULE, NULL, NULL);
		return -1;
	}
	p->keys = json_object_get(h, "keys");
	p->ncols = json_array_size(p->keys);
	json_array_foreach(json_object_get(h, "unknown"), i, v) {
		const char *t = json_string_value(json_object_get(v, "text"));

		problem(p, row->rowno, (size_t)json_integer_value(
		    json_object_get(v, "column")), NULL, "unknown_column",
		    arena_printf(c->a, "不认识的列“%s”，该列不会导入。", t),
		    arena_printf(c->a, "Unknown column \"%s\": it is not "
		    "imported.", t));
	}
	json_array_foreach(json_object_get(h, "twice"), i, v)
		problem(p, row->rowno, (size_t)json_integer_value(
		    json_object_get(v, "column")), json_string_value(
		    json_object_get(v, "key")), "unknown_column",
		    "同一字段出现了两列，只导入第一列。",
		    "This field has two columns; only the first is imported.");
	json_array_foreach(json_object_get(h, "missing"), i, v) {
		p->fatal = 1;
		problem(p, row->rowno, 0, json_string_value(json_object_get(v,
		    "key")), "missing_column", arena_printf(c->a,
		    "缺少必填列“%s”，请使用导入模板。", json_string_value(
		    json_object_get(v, "zh"))), arena_printf(c->a,
		    "The required column \"%s\" is missing; use the import "
		    "template.", json_string_value(json_object_get(v, "en"))));
	}
	return p->fatal ? -1 : 0;
}

/* Append s to b as a COPY text-format value (backslash escapes). */
static void
copy_value(struct buf *b, const char *s)
{
	const char	*run = s;

	for (; *s != '\0'; s++) {
		const char *esc = *s == '\\' ? "\\\\" : *s == '\t' ? "\\t" :
		    *s == '\n' ? "\\n" : *s == '\r' ? "\\r" : NULL;

		if (esc == NULL)
			continue;
		buf_write(b, run, (size_t)(s - run));
		buf_puts(b, esc);
		run = s + 1;
	}
	buf_write(b, run, (size_t)(s - run));
}

/*
 * One row's answer from import.check (rules_call_rows): its errors, or
 * its folded name, owner and data, kept for the archive and owner checks.
 */
static int
on_checked(void *arg, size_t i, const char *const *v)
{
	struct pre	*p = arg;
	struct ctx	*c = p->c;
	struct cand	*k;
	json_t		*errs, *e;
	json_error_t	 je;
	size_t		 j, row = p->rownos[i];
	long		 first;

	/* v: errors, norm, owner (texts), data, extra (JSON). */
	if (v[0] != NULL && strcmp(v[0], "[]") != 0) {
		if ((errs = json_loads(v[0], 0, &je)) == NULL ||
		    !json_is_array(errs)) {
			json_decref(errs);
			p->err = ctx_fail(c, ERR_RULE, NULL, NULL);
			return -1;
		}
		if (json_array_size(errs) > 0) {
			json_array_foreach(errs, j, e) {
				const char *f = json_string_value(
				    json_object_get(e, "field"));

				problem(p, row, column_of(p, f), f, "invalid",
				    json_string_value(json_object_get(e, "zh")),
				    json_string_value(json_object_get(e, "en")));
			}
			json_decref(errs);
			p->bad++;
			return 0;
		}
		json_decref(errs);
	}
	if (v[1] == NULL) {
		p->err = ctx_fail(c, ERR_RULE, NULL, NULL);
		return -1;
	}
	if ((first = seen_put(p->seen, v[1], row)) == -1) {
		p->err = ctx_fail(c, ERR_INTERNAL, NULL, NULL);
		return -1;
	}
	if (first > 0) {
		problem(p, row, column_of(p, "name"), "name",
		    "duplicate_in_file", arena_printf(c->a,
		    "与第 %ld 行的客户重名。", first),
		    arena_printf(c->a, "Same customer as row %ld.", first));
		p->bad++;
		return 0;
	}
	k = &p->cand[p->ncand++];
	k->rowno = row;
	k->norm = arena_strdup(&p->chunk, v[1]);
	k->owner = v[2] != NULL ? arena_strdup(&p->chunk, v[2]) : NULL;
	k->data = arena_strdup(&p->chunk, v[3] != NULL ? v[3] : "{}");
	k->extra = arena_strdup(&p->chunk, v[4] != NULL ? v[4] : "{}");
	if (k->norm == NULL || (v[2] != NULL && k->owner == NULL) ||
	    k->data == NULL || k->extra == NULL) {
		p->err = ctx_fail(c, ERR_INTERNAL, NULL, NULL);
		return -1;
	}
	return 0;
}

/*
 * Check the chunk in hand: the form rule per row, duplicates inside the
 * file, names already in the archive, owners; store the good rows (COPY).
 */
static int
flush(struct pre *p)
{
	static const char *const fields[] = { "errors", "norm", "owner",
	    "data", "extra" };
	static const int as_json[] = { 1, 0, 0, 1, 1 };
	struct ctx	*c = p->c;
	struct cand	*k;
	json_t		*norms, *logins, *dups, *owners, *e;
	struct buf	 out;
	PGresult	*q;
	char		*text, *msg;
	size_t		 i;
	int		 r;

	if (p->n == 0)
		return 0;
	if (p->args == NULL) {
		e = json_pack("[O, O]", p->keys, p->ctx);
		text = e != NULL ? json_dumps(e, JSON_COMPACT) : NULL;
		json_decref(e);
		p->args = text ? arena_strdup(c->a, text) : NULL;
		free(text);
		if (p->args == NULL) {
			p->err = ctx_fail(c, ERR_INTERNAL, NULL, NULL);
			return -1;
		}
	}
	p->ncand = 0;
	if (rules_call_rows(c->w->rules, &p->chunk, "import", "check_rows",
	    p->args, p->cells, p->n, p->ncols, fields, as_json, 5, on_checked,
	    p, &msg) == -1) {
		if (p->err == ERR_OK) {
			log_err("rules: import.check_rows: %s", msg);
			p->err = ctx_fail(c, ERR_RULE, NULL, NULL);
		}
		return -1;
	}
	norms = json_array();
	logins = json_array();
	dups = json_object();
	owners = json_object();
	arena_cleanup_add(&p->chunk, (void (*)(void *))json_decref, norms);
	arena_cleanup_add(&p->chunk, (void (*)(void *))json_decref, logins);
	arena_cleanup_add(&p->chunk, (void (*)(void *))json_decref, dups);
	arena_cleanup_add(&p->chunk, (void (*)(void *))json_decref, owners);
	for (i = 0; i < p->ncand; i++) {
		json_array_append_new(norms, json_string(p->cand[i].norm));
		if (p->cand[i].owner != NULL)
			json_array_append_new(logins,
			    json_string(p->cand[i].owner));
	}
	if (json_array_size(norms) > 0) {
		text = json_dumps(norms, JSON_COMPACT);
		q = db_exec(c->w->db, &p->chunk, ST_IMPORT_ARCHIVE_DUPS,
		    DB_ARGS(text), &p->err);
		free(text);
		if (q == NULL)
			return -1;
		for (r = 0; r < PQntuples(q); r++)
			json_object_set_new(dups, db_get(q, r, 0),
			    json_string(db_get(q, r, 1)));
	}
	if (json_array_size(logins) > 0) {
		text = json_dumps(logins, JSON_COMPACT);
		q = db_exec(c->w->db, &p->chunk, ST_IMPORT_OWNERS, DB_ARGS(text),
		    &p->err);
		free(text);
		if (q == NULL)
			return -1;
		for (r = 0; r < PQntuples(q); r++)
			json_object_set_new(owners, db_get(q, r, 0),
			    json_string(db_get(q, r, 1)));
	}
	buf_init(&out, &p->chunk, 64 * 1024 * 1024);
	for (i = 0; i < p->ncand; i++) {
		k = &p->cand[i];
		if ((e = json_object_get(dups, k->norm)) != NULL) {
			problem(p, k->rowno, column_of(p, "name"), "name",
			    "duplicate_in_archive", arena_printf(c->a,
			    "客户已存在：编号 %s。", json_string_value(e)),
			    arena_printf(c->a, "This customer already exists: "
			    "number %s.", json_string_value(e)));
			p->bad++;
			continue;
		}
		e = k->owner != NULL ? json_object_get(owners, k->owner) : NULL;
		if (k->owner != NULL && e == NULL) {
			problem(p, k->rowno, column_of(p, "owner"), "owner",
			    "unknown_owner", arena_printf(c->a,
			    "负责人“%s”不存在或已停用。", k->owner), arena_printf(
			    c->a, "The owner \"%s\" does not exist or is "
			    "disabled.", k->owner));
			p->bad++;
			continue;
		}
		p->good++;
		buf_printf(&out, "%s\t%zu\t%ld\t", p->sid, k->rowno, p->good);
		copy_value(&out, k->data);
		buf_putc(&out, '\t');
		copy_value(&out, k->extra);
		buf_putc(&out, '\t');
		copy_value(&out, k->norm);
		buf_printf(&out, "\t%s\n", e != NULL ? json_string_value(e) :
		    "\\N");
	}
	if (out.overflow) {
		p->err = ctx_fail(c, ERR_INTERNAL, NULL, NULL);
		return -1;
	}
	if (out.len > 0 && (p->err = db_copy_in(c->w->db, CP_IMPORT_ROWS,
	    out.data, out.len)) != ERR_OK)
		return -1;
	p->n = 0;
	p->cells = NULL;
	arena_reset(&p->chunk);
	return 0;
}

/* The reader's callback: one row of the sheet. */
static int
on_row(void *arg, const struct sheet_row *row)
{
	struct pre	*p = arg;
	const char	**cells;
	size_t		 i, ncols;
	int		 blank = 1;

	if (!p->header_done)
		return header(p, row);
	ncols = p->ncols;
	for (i = 0; i < row->ncells && i < ncols && blank; i++)
		if (row->cells[i][strspn(row->cells[i], " \t\r\n")] != '\0')
			blank = 0;
	if (blank)
		return 0;
	p->total++;
	if (p->cells == NULL && (p->cells = arena_calloc(&p->chunk, CHUNK,
	    (ncols ? ncols : 1) * sizeof(*p->cells))) == NULL) {
		p->err = ctx_fail(p->c, ERR_INTERNAL, NULL, NULL);
		return -1;
	}
	cells = p->cells + p->n * ncols;
	for (i = 0; i < ncols; i++)
		if ((cells[i] = arena_strdup(&p->chunk, i < row->ncells ?
		    row->cells[i] : "")) == NULL) {
			p->err = ctx_fail(p->c, ERR_INTERNAL, NULL, NULL);
			return -1;
		}
	p->rownos[p->n++] = row->rowno;
	if (p->n == CHUNK)
		return flush(p);
	return 0;
}

/* The import as the page shows it (ST_IMPORT_GET), or NULL. */
static json_t *
import_json(struct ctx *c, long long id, long long *owner, enum crm_err *e)
{
	PGresult	*res;
	json_t		*v;
	json_error_t	 je;

	res = db_exec(c->w->db, c->a, ST_IMPORT_GET, DB_ARGS(
	    arena_printf(c->a, "%lld", id), i18n_name(c->lang)), e);
	if (res == NULL)
		return NULL;
	if (PQntuples(res) != 1) {
		*e = ERR_NOT_FOUND;
		return NULL;
	}
	if ((v = json_loads(db_get(res, 0, 0), 0, &je)) == NULL) {
		*e = ERR_INTERNAL;
		return NULL;
	}
	*owner = db_getll(res, 0, 1);
	return v;
}

static const char *
sheet_message(struct ctx *c, enum sheet_err e, int xlsx, long max)
{
	switch (e) {
	case SHEET_ENCODING:
		return ctx_text(c, "无法识别文件的编码：请保存为 UTF-8 或 GB18030 "
		    "（GBK）编码的 CSV，或 .xlsx。", "The file's encoding is not "
		    "recognised: save it as CSV in UTF-8 or GB18030 (GBK), or as "
		    ".xlsx.");
	case SHEET_TOO_BIG:
		return xlsx ? CTX_PRINTF(c, "文件过大或结构异常（解压后过大、条目过多或超过 "
		    "%ld 行），已拒绝。", "The file is too large or malformed "
		    "(too large unpacked, too many entries, or more than %ld "
		    "rows); it was refused.", max) : CTX_PRINTF(c,
		    "文件过大：最多 %ld 行，每行最多 200 列。", "The file is too "
		    "large: at most %ld rows of at most 200 columns.", max);
	default:
		return xlsx ? ctx_text(c, "文件已损坏或不是 .xlsx 工作簿，请重新保存后上传。",
		    "The file is damaged or not an .xlsx workbook; save it "
		    "again and upload it.") : ctx_text(c,
		    "文件已损坏或不是 CSV（例如引号没有闭合），请检查后重新上传。",
		    "The file is damaged or not a CSV (an unclosed quote, for "
		    "example); check it and upload it again.");
	}
}

/* POST /api/v1/imports?name=FILE: the raw body is a .csv or .xlsx. */
void
h_import_upload(struct ctx *c)
{
	const char	*name = http_kv_get(&c->req.query, "name");
	struct pre	 p;
	json_t		*maxv, *v;
	PGresult	*res;
	enum sheet_err	 se;
	enum crm_err	 e;
	char		*probs, *counts;
	long long	 owner;
	long		 max;
	int		 xlsx;

	if (!may_import(c)) {
		reply_errmsg(c, ERR_FORBIDDEN, NULL, ctx_text(c,
		    "业务人员不能批量导入客户。",
		    "Salespeople cannot import customers in bulk."));
		return;
	}
	if (name != NULL && (strlen(name) > 200 ||
	    !http_utf8_valid(name, strlen(name))))
		name = NULL;
	if (c->req.bodylen == 0) {
		reply_errmsg(c, ERR_BAD_REQUEST, "file", ctx_text(c,
		    "没有收到文件。", "No file was received."));
		return;
	}
	maxv = import_rules(c, c->a, "import", "max_rows", NULL);
	max = json_is_integer(maxv) ? (long)json_integer_value(maxv) : 0;
	if (max <= 0) {
		reply_err(c, ERR_RULE, NULL);
		return;
	}
	/* A zip (local header or an empty archive) is a workbook. */
	xlsx = c->req.bodylen >= 4 && (memcmp(c->req.body, "PK\3\4", 4) == 0 ||
	    memcmp(c->req.body, "PK\5\6", 4) == 0);
	memset(&p, 0, sizeof(p));
	p.c = c;
	if ((p.seen = arena_calloc(c->a, 1, sizeof(*p.seen))) == NULL) {
		reply_err(c, ERR_INTERNAL, NULL);
		return;
	}
	arena_init(&p.seen->names, 0);
	arena_init(&p.chunk, 0);
	p.problems = json_array();
	p.counts = json_object();
	p.ctx = import_rule_ctx(c);
	arena_cleanup_add(c->a, (void (*)(void *))json_decref, p.problems);
	arena_cleanup_add(c->a, (void (*)(void *))json_decref, p.counts);
	arena_cleanup_add(c->a, seen_free, p.seen);
	arena_cleanup_add(c->a, (void (*)(void *))json_decref, p.ctx);

	if ((e = db_begin(c->w->db)) != ERR_OK)
		goto fail;
	res = db_exec(c->w->db, c->a, ST_IMPORT_NEW, DB_ARGS(
	    arena_printf(c->a, "%lld", c->user->id), name,
	    xlsx ? "xlsx" : "csv", arena_printf(c->a, "%zu", c->req.bodylen)),
	    &e);
	if (res == NULL)
		goto fail;
	p.id = db_getll(res, 0, 0);
	p.sid = arena_printf(c->a, "%lld", p.id);
	se = xlsx ? xlsx_read(c->a, c->req.body, c->req.bodylen,
	    (size_t)max + 1, on_row, &p) : csv_read(c->a, c->req.body,
	    c->req.bodylen, (size_t)max + 1, on_row, &p);
	if (se == SHEET_STOPPED && !p.fatal) {
		e = p.err != ERR_OK ? p.err : ERR_INTERNAL;
		goto fail;
	}
	if (se != SHEET_OK && se != SHEET_STOPPED) {
		db_rollback(c->w->db);
		arena_free(&p.chunk);
		reply_errmsg(c, se == SHEET_TOO_BIG ? ERR_TOO_LARGE :
		    ERR_VALIDATION, "file", sheet_message(c, se, xlsx, max));
		return;
	}
	if (!p.header_done)
		problem(&p, 1, 0, NULL, "missing_column", "文件是空的：没有标题行。",
		    "The file is empty: it has no header row.");
	if (!p.fatal && flush(&p) == -1) {
		e = p.err != ERR_OK ? p.err : ERR_INTERNAL;
		goto fail;
	}
	if (p.fatal || !p.header_done) {
		p.bad = p.total;
		p.good = 0;
	}
	probs = json_dumps(p.problems, JSON_COMPACT);
	counts = json_dumps(p.counts, JSON_COMPACT);
	res = db_exec(c->w->db, c->a, ST_IMPORT_CHECKED, DB_ARGS(p.sid,
	    arena_printf(c->a, "%ld", p.total), arena_printf(c->a, "%ld",
	    p.good), arena_printf(c->a, "%ld", p.bad), probs, counts), &e);
	free(probs);
	free(counts);
	if (res == NULL || (e = db_commit(c->w->db)) != ERR_OK)
		goto fail;
	arena_free(&p.chunk);
	audit(c, "import_check", "imports", p.sid, json_pack("{s:s?, s:I, s:I, "
	    "s:I}", "file", name, "rows", (json_int_t)p.total, "good",
	    (json_int_t)p.good, "bad", (json_int_t)p.bad));
	if ((v = import_json(c, p.id, &owner, &e)) == NULL) {
		reply_err(c, e, NULL);
		return;
	}
	reply_json(c, 201, json_pack("{s:o}", "import", v));
	return;
fail:
	db_rollback(c->w->db);
	arena_free(&p.chunk);
	reply_fail(c, e);
}

/* The import of the path, if the reader may see it; else answered. */
static json_t *
readable_import(struct ctx *c, long long *id)
{
	json_t		*v;
	enum crm_err	 e;
	long long	 owner;

	if ((*id = http_id(c->args[0])) == 0) {
		reply_err(c, ERR_NOT_FOUND, NULL);
		return NULL;
	}
	if ((v = import_json(c, *id, &owner, &e)) == NULL) {
		reply_err(c, e, NULL);
		return NULL;
	}
	/* The uploader, and directors and admins (who approve imports). */
	if (owner != c->user->id && strcmp(c->user->role, "admin") != 0 &&
	    strcmp(c->user->role, "director") != 0) {
		json_decref(v);
		reply_err(c, ERR_NOT_FOUND, NULL);
		return NULL;
	}
	return v;
}

/* GET /api/v1/imports/{id}: the pre-check, progress and result. */
void
h_import_get(struct ctx *c)
{
	json_t		*v;
	long long	 id;

	if ((v = readable_import(c, &id)) == NULL)
		return;
	reply_json(c, 200, json_pack("{s:o}", "import", v));
}

/* GET /api/v1/imports/{id}/customers?page=&size=: what it created. */
void
h_import_customers(struct ctx *c)
{
	const char	*ps = http_kv_get(&c->req.query, "page");
	const char	*ss = http_kv_get(&c->req.query, "size");
	json_t		*v, *items;
	json_error_t	 je;
	PGresult	*res;
	enum crm_err	 e;
	long long	 id;
	long		 page = ps ? strtol(ps, NULL, 10) : 1;
	long		 size = ss ? strtol(ss, NULL, 10) : 20;

	if (page < 1 || page > 100000 || size < 1 || size > 100) {
		reply_err(c, ERR_BAD_FIELD, page < 1 || page > 100000 ? "page" :
		    "size");
		return;
	}
	if ((v = readable_import(c, &id)) == NULL)
		return;
	res = db_exec(c->w->db, c->a, ST_IMPORT_CUSTOMERS, DB_ARGS(
	    arena_printf(c->a, "%lld", id), arena_printf(c->a, "%ld", size),
	    arena_printf(c->a, "%ld", (page - 1) * size)), &e);
	if (res == NULL || (items = json_loads(db_get(res, 0, 0), 0, &je)) ==
	    NULL) {
		json_decref(v);
		reply_err(c, res == NULL ? e : ERR_INTERNAL, NULL);
		return;
	}
	reply_json(c, 200, json_pack("{s:o, s:O, s:i, s:i}", "items", items,
	    "total", json_object_get(v, "imported"), "page", (int)page, "size",
	    (int)size));
	json_decref(v);
}
