/*
 * wf_import.c: the customer_import document kind (CUS-IMPORT).
 *
 * Data: {import_id, mode}.  mode "all" refuses a file with any problem;
 * "good_only" imports the rows that passed the pre-check (h_import.c).
 * Applying it inserts those rows in the transaction that applies the
 * document: batches of BATCH rows, each one INSERT ... SELECT from
 * import_rows, customer numbers reserved at once and formatted by
 * rules/numbering.lua (the same pattern as one new customer).  Any failure
 * (a name someone added since the pre-check, a lost connection) rolls the
 * whole import back with the document: nothing is half-imported.
 *
 * Progress: a second, autocommit connection writes import_progress after
 * every batch (the applying transaction never touches that table, so the
 * write cannot wait for it), and GET /api/v1/imports/{id} on any app
 * server reads it while the import runs.  The row names the applying
 * backend and its transaction start: once that transaction is gone and
 * the import is not done, it failed (and left nothing behind).
 *
 * Search rows: a third connection writes the customer_search rows of each
 * batch (ST_SEARCH_PUT, the ids and texts the batch's insert returned)
 * while this one inserts the next, so the trigram index, more than half of
 * the work, runs on a second core; that transaction merges the index's
 * pending list once and commits right before this function returns.  When
 * that connection fails the applying transaction writes them itself
 * (ST_SEARCH_FILL_IMPORT).  If the document's transaction is then lost,
 * its search rows name no customer and match nothing (crm_search_rebuild()
 * drops them).
 *
 * Imported customers are history: they are not counted as new customers
 * of the day in anyone's figures (activity_daily).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "extern.h"

#define BATCH	5000	/* rows per INSERT and per progress report */

static const char *
sid(struct ctx *c, long long id)
{
	return arena_printf(c->a, "%lld", id);
}

/* See extern.h. */
json_t *
import_rule_ctx(struct ctx *c)
{
	return json_pack("{s:{s:I, s:s, s:s, s:I}}", "applicant",
	    "id", (json_int_t)c->user->id, "role", c->user->role,
	    "login", c->user->login, "department", (json_int_t)c->user->dept_id);
}

/* See extern.h. */
json_t *
import_rules(struct ctx *c, struct arena *a, const char *file, const char *fn,
    json_t *args)
{
	char		*argjson = NULL, *out, *err;
	json_t		*v;
	json_error_t	 je;
	int		 rc;

	if (args != NULL) {
		argjson = json_dumps(args, JSON_COMPACT | JSON_ENCODE_ANY);
		json_decref(args);
		if (argjson == NULL)
			return NULL;
	}
	rc = rules_call(c->w->rules, a, file, fn, argjson, &out, &err);
	free(argjson);
	if (rc == -1) {
		log_err("rules: %s.%s: %s", file, fn, err);
		return NULL;
	}
	if ((v = json_loads(out, JSON_DECODE_ANY, &je)) == NULL) {
		log_err("rules: %s.%s: bad result: %s", file, fn, je.text);
		return NULL;
	}
	arena_cleanup_add(a, (void (*)(void *))json_decref, v);
	return v;
}

/* The import of the document, locked; NULL when answered by ctx_fail. */
static PGresult *
lock_import(struct ctx *c, struct doc *d, enum crm_err *e)
{
	PGresult	*res;
	json_t		*id = json_object_get(d->data, "import_id");

	if (!json_is_integer(id) || json_integer_value(id) <= 0) {
		*e = ctx_fail(c, ERR_VALIDATION, "import_id", NULL);
		return NULL;
	}
	res = db_exec(c->w->db, c->a, ST_IMPORT_LOCK, DB_ARGS(sid(c,
	    json_integer_value(id))), e);
	if (res == NULL)
		return NULL;
	if (PQntuples(res) != 1 || db_getll(res, 0, 0) != d->applicant_id) {
		*e = ctx_fail(c, ERR_NOT_FOUND, "import_id", ctx_text(c,
		    "找不到这次上传的文件，请重新上传。",
		    "This upload was not found; upload the file again."));
		return NULL;
	}
	if (strcmp(db_get(res, 0, 1), "checked") != 0) {
		*e = ctx_fail(c, ERR_CONFLICT, "import_id", ctx_text(c,
		    "这个文件已经导入过了。",
		    "This file has already been imported."));
		return NULL;
	}
	return res;
}

/*
 * See extern.h.  The jobs process (and `crmctl imports purge`) calls it:
 * an applied import's rows in import_rows are never read again, and a
 * 100,000-row file leaves about 60 MB of them.  Rows of imports not yet
 * applied stay until they are.
 */
enum crm_err
import_purge(struct ctx *c, long *n, int *more)
{
	PGresult	*res;
	enum crm_err	 e;

	*n = 0;
	*more = 0;
	res = db_exec(c->w->db, c->a, ST_IMPORT_PURGE, 0, NULL, &e);
	if (res == NULL)
		return e;
	*n = (long)db_getll(res, 0, 0);
	*more = db_getll(res, 0, 1) > 0;
	return ERR_OK;
}

/* Refusals that depend on the pre-check's counts and the chosen mode. */
static enum crm_err
counts_ok(struct ctx *c, struct doc *d, PGresult *imp)
{
	const char	*mode = json_string_value(json_object_get(d->data,
			    "mode"));
	long long	 good = db_getll(imp, 0, 2), bad = db_getll(imp, 0, 3);

	if (mode != NULL && strcmp(mode, "all") == 0 && bad > 0)
		return ctx_fail(c, ERR_VALIDATION, "mode", CTX_PRINTF(c,
		    "有 %lld 行存在问题：请修改文件后重新上传，或选择“只导入没有问题的行”。",
		    "%lld rows have problems: fix the file and upload it again, "
		    "or choose to import the good rows only.", bad));
	if (good == 0)
		return ctx_fail(c, ERR_VALIDATION, "import_id", ctx_text(c,
		    "没有可以导入的行。", "There are no rows to import."));
	return ERR_OK;
}

/* See extern.h. */
enum crm_err
wf_import_check(struct ctx *c, struct doc *d)
{
	PGresult	*imp, *res;
	enum crm_err	 e;

	if (strcmp(c->user->role, "salesperson") == 0)
		return ctx_fail(c, ERR_FORBIDDEN, NULL, ctx_text(c,
		    "业务人员不能批量导入客户。",
		    "Salespeople cannot import customers in bulk."));
	if ((imp = lock_import(c, d, &e)) == NULL)
		return e;
	if ((e = counts_ok(c, d, imp)) != ERR_OK)
		return e;
	res = db_exec(c->w->db, c->a, ST_IMPORT_PENDING, DB_ARGS(sid(c,
	    json_integer_value(json_object_get(d->data, "import_id")))), &e);
	if (res == NULL)
		return e;
	if (PQntuples(res) > 0)
		return ctx_fail(c, ERR_CONFLICT, "import_id", CTX_PRINTF(c,
		    "这个文件的导入单据 %s 正在审批中。",
		    "The import of this file (document %s) is waiting for "
		    "approval.", db_get(res, 0, 0)));
	return ERR_OK;
}

/* Tell the page how far the import got (second connection; best effort). */
static void
progress(struct ctx *c, struct db *pdb, const char *id, const char *phase,
    long done, long total, const char *msg, const char *pid,
    const char *xact)
{
	enum crm_err	 e;

	if (pdb == NULL)
		return;
	if (db_exec(pdb, c->a, ST_IMPORT_PROGRESS, DB_ARGS(id, phase,
	    arena_printf(c->a, "%ld", done), arena_printf(c->a, "%ld", total),
	    msg, pid, xact), &e) == NULL)
		log_warn("import %s: progress not written: %s", id,
		    crm_errcode(e));
}

/* cnt customer numbers from the running number first on (rule), or NULL. */
static json_t *
batch_numbers(struct ctx *c, struct arena *a, const char *date, long first,
    long cnt)
{
	json_t	*nums;

	nums = import_rules(c, a, "import", "numbers", json_pack("[s, I, I]",
	    date, (json_int_t)first, (json_int_t)cnt));
	if (nums == NULL || !json_is_array(nums) ||
	    json_array_size(nums) != (size_t)cnt)
		return NULL;
	return nums;
}

/*
 * A batch clashed with the archive (a unique name or number, or a
 * deadlock with someone adding a customer of the same name).  The
 * pre-check found every name free; a customer added since is the likely
 * cause, so go back to before the first batch and look for it to name
 * the row (only on this path: the query reads every row of the import).
 */
static enum crm_err
clash(struct ctx *c, const char *id)
{
	PGresult	*res = NULL;
	enum crm_err	 e;

	if ((e = db_rollback_to_savepoint(c->w->db)) == ERR_OK &&
	    db_exec(c->w->db, c->a, ST_IMPORT_CUSTOM_PLANS, 0, NULL, &e) !=
	    NULL)
		res = db_exec(c->w->db, c->a, ST_IMPORT_DUPS_NOW, DB_ARGS(id),
		    &e);
	if (res != NULL && PQntuples(res) > 0)
		return ctx_fail(c, ERR_DUPLICATE, "import_id", CTX_PRINTF(c,
		    "预检之后档案中新增了同名客户（第 %s 行，编号 %s）：请重新上传文件预检。",
		    "Since the pre-check a customer of the same name was added "
		    "(row %s, number %s): upload the file again to check it.",
		    db_get(res, 0, 0), db_get(res, 0, 1)));
	if (res == NULL && e == ERR_UNAVAILABLE)
		return e;
	return ctx_fail(c, ERR_DUPLICATE, "import_id", ctx_text(c,
	    "导入时与档案中的客户冲突（同名或编号重复），整个导入已撤销：请重新上传文件预检。",
	    "A row clashed with a customer in the archive (same name or "
	    "number), so none was imported: upload the file again to check "
	    "it."));
}

/* The connection that writes the import's search rows (see above). */
struct side {
	struct db	*db;		/* NULL: the import writes them itself */
	int		 pending;	/* a statement sent, its answer not read */
	int		 sent;		/* rows sent: their entries need a merge */
	int		 merged;	/* the halfway merge is done */
};

/* Open it, in a transaction set for a bulk load; s->db NULL if not. */
static void
side_open(struct side *s, const char *id)
{
	struct arena	 a;
	enum crm_err	 e;

	memset(s, 0, sizeof(*s));
	if ((s->db = db_open(cfg.db)) == NULL)
		return;
	arena_init(&a, 0);
	if (db_ensure(s->db) == -1 || db_begin(s->db) != ERR_OK ||
	    db_exec(s->db, &a, ST_SEARCH_BULK, 0, NULL, &e) == NULL) {
		log_warn("import %s: no connection for the search rows; the "
		    "import writes them", id);
		db_close(s->db);
		s->db = NULL;
	}
	arena_free(&a);
}

/*
 * Give it up: its rows rolled back and (when some were sent) their
 * entries merged out of the pending list now, rather than by the next
 * person to add a customer.
 */
static void
side_drop(struct side *s)
{
	struct arena	 a;
	enum crm_err	 e;

	if (s->db == NULL)
		return;
	db_rollback(s->db);
	if (s->sent) {
		arena_init(&a, 0);
		(void)db_exec(s->db, &a, ST_SEARCH_FLUSH, 0, NULL, &e);
		arena_free(&a);
	}
	db_close(s->db);
	s->db = NULL;
}

/* Read the answer to the statement sent last; -1 (logged): it failed. */
static int
side_wait(struct side *s, const char *id)
{
	struct arena	 a;
	enum crm_err	 e;
	int		 ok;

	if (!s->pending)
		return 0;
	s->pending = 0;
	arena_init(&a, 0);
	ok = db_exec_wait(s->db, &a, ST_SEARCH_PUT, &e) != NULL;
	arena_free(&a);
	if (!ok)
		log_warn("import %s: search rows: %s; the import writes them",
		    id, crm_errcode(e));
	return ok ? 0 : -1;
}

/*
 * Send one batch's rows (ids and texts, two array literals) without
 * waiting; halfway, the pending list is merged first, so that merge
 * overlaps the inserts and the one at the end is half as long.  On a
 * failure the connection is given up.
 */
static void
side_put(struct side *s, const char *id, const char *ids, const char *docs,
    int halfway)
{
	int	 merge = halfway && !s->merged;

	if (s->db == NULL)
		return;
	if (side_wait(s, id) == -1 || db_exec_send(s->db, merge ?
	    ST_SEARCH_FLUSH_PUT : ST_SEARCH_PUT, DB_ARGS(ids, docs)) !=
	    ERR_OK) {
		side_drop(s);
		return;
	}
	s->merged |= merge;
	s->pending = s->sent = 1;
}

/*
 * The last answer, the final merge and the commit (the customers commit
 * moments later, with the document).  -1: no rows were committed there
 * (no connection, or it failed): the caller writes them.
 */
static int
side_finish(struct side *s, const char *id)
{
	struct arena	 a;
	enum crm_err	 e;
	int		 ok;

	if (s->db == NULL)
		return -1;
	arena_init(&a, 0);
	ok = side_wait(s, id) == 0 && db_exec(s->db, &a, ST_SEARCH_FLUSH, 0,
	    NULL, &e) != NULL && db_commit(s->db) == ERR_OK;
	arena_free(&a);
	if (!ok) {
		side_drop(s);
		return -1;
	}
	db_close(s->db);
	s->db = NULL;
	return 0;
}

/* See extern.h. */
enum crm_err
wf_import_apply(struct ctx *c, struct doc *d)
{
	PGresult	*imp, *res;
	struct db	*pdb = NULL;
	struct side	 side = { NULL, 0, 0, 0 };
	json_t		*nums;
	enum crm_err	 e;
	const char	*id = NULL, *pid, *xact, *date, *first = NULL;
	const char	*last = NULL;
	char		*text;
	long		 n, off, cnt, seq0, next;
	int		 keys_once = 0, k;
	struct arena	 a[2];

	arena_init(&a[0], 0);
	arena_init(&a[1], 0);
	if ((imp = lock_import(c, d, &e)) == NULL)
		goto out;
	if ((e = counts_ok(c, d, imp)) != ERR_OK)
		goto out;
	id = sid(c, json_integer_value(json_object_get(d->data, "import_id")));
	pid = db_get(imp, 0, 5);
	xact = db_get(imp, 0, 6);
	n = (long)db_getll(imp, 0, 2);

	res = db_exec(c->w->db, c->a, ST_SEQ_RESERVE, DB_ARGS("customer",
	    arena_printf(c->a, "%ld", n)), &e);
	if (res == NULL)
		goto out;
	seq0 = (long)db_getll(res, 0, 0) - n + 1;
	date = db_get(res, 0, 1);

	if ((pdb = db_open(cfg.db)) != NULL && db_ensure(pdb) == -1) {
		db_close(pdb);
		pdb = NULL;
	}
	progress(c, pdb, id, "running", 0, n, NULL, pid, xact);
	/*
	 * The foreign keys (type, owner, creator) checked and locked once
	 * for the whole import instead of four checks per row, where the
	 * database role allows it; otherwise the per-row checks run.
	 */
	if ((res = db_exec(c->w->db, c->a, ST_IMPORT_KEYS, DB_ARGS(id,
	    sid(c, d->applicant_id)), &e)) == NULL)
		goto out;
	keys_once = PQntuples(res) == 1 && db_get(res, 0, 0) != NULL &&
	    strcmp(db_get(res, 0, 0), "t") == 0;
	if (keys_once && db_exec(c->w->db, c->a, ST_IMPORT_ROW_CHECKS_OFF, 0,
	    NULL, &e) == NULL)
		goto out;
	/* Replica mode: customer_search's trigger stays quiet; rows by side. */
	if (keys_once)
		side_open(&side, id);
	/* Where a clash goes back to, to name the row (clash()). */
	if ((e = db_savepoint(c->w->db)) != ERR_OK)
		goto out;
	/*
	 * While the server inserts a batch, the rule numbers the next one
	 * (two arenas, used in turn).
	 */
	cnt = n < BATCH ? n : BATCH;
	nums = batch_numbers(c, &a[0], date, seq0, cnt);
	for (off = 0, k = 0; off < n; off += cnt, k ^= 1) {
		cnt = n - off < BATCH ? n - off : BATCH;
		if (nums == NULL) {
			e = ctx_fail(c, ERR_RULE, NULL, NULL);
			goto out;
		}
		if (off == 0)
			first = arena_strdup(c->a, json_string_value(
			    json_array_get(nums, 0)));
		last = arena_strdup(c->a, json_string_value(json_array_get(nums,
		    (size_t)cnt - 1)));
		text = json_dumps(nums, JSON_COMPACT);
		e = text == NULL ? ERR_INTERNAL : db_exec_send(c->w->db,
		    ST_IMPORT_INSERT, DB_ARGS(id, arena_printf(&a[k], "%ld",
		    off), arena_printf(&a[k], "%ld", cnt), text, sid(c,
		    d->applicant_id), side.db != NULL ? "t" : "f"));
		free(text);
		if (e != ERR_OK)
			goto out;
		arena_reset(&a[k ^ 1]);
		next = off + cnt < n ? n - off - cnt : 0;
		nums = next > 0 ? batch_numbers(c, &a[k ^ 1], date, seq0 + off +
		    cnt, next < BATCH ? next : BATCH) : NULL;
		res = db_exec_wait(c->w->db, &a[k], ST_IMPORT_INSERT, &e);
		if (res == NULL) {
			if (e == ERR_CONFLICT)
				e = clash(c, id);
			goto out;
		}
		if (db_getll(res, 0, 0) != cnt) {
			log_err("import %s: batch at %ld inserted %s of %ld", id,
			    off, db_get(res, 0, 0), cnt);
			e = ERR_INTERNAL;
			goto out;
		}
		/* This batch's search rows go while the next one goes in. */
		side_put(&side, id, db_get(res, 0, 1), db_get(res, 0, 2),
		    off > 0 && off >= n / 2);
		progress(c, pdb, id, "running", off + cnt, n, NULL, pid, xact);
	}
	/* The search rows: committed by their connection, or written here. */
	if (keys_once && side_finish(&side, id) == -1 && db_exec(c->w->db,
	    c->a, ST_SEARCH_FILL_IMPORT, DB_ARGS(id), &e) == NULL)
		goto out;
	/* Before anything else is written (audit, the document). */
	if (keys_once && db_exec(c->w->db, c->a, ST_IMPORT_ROW_CHECKS_ON, 0,
	    NULL, &e) == NULL)
		goto out;
	if (db_exec(c->w->db, c->a, ST_IMPORT_DONE, DB_ARGS(id,
	    sid(c, d->id), arena_printf(c->a, "%ld", n)), &e) == NULL)
		goto out;
	audit(c, "import", "imports", id, json_pack("{s:s, s:s, s:I, s:s?, "
	    "s:s?}", "document", d->number, "mode", json_string_value(
	    json_object_get(d->data, "mode")), "rows", (json_int_t)n,
	    "first_number", first, "last_number", last));
	d->result = json_pack("{s:I, s:I, s:s?, s:s?}", "import_id",
	    (json_int_t)json_integer_value(json_object_get(d->data,
	    "import_id")), "imported", (json_int_t)n, "first_number", first,
	    "last_number", last);
	e = ERR_OK;
out:
	if (e != ERR_OK && pdb != NULL)
		progress(c, pdb, id, "failed", 0, 0, c->errmsg ? c->errmsg :
		    crm_strerror(e, c->lang), NULL, NULL);
	side_drop(&side);
	db_close(pdb);
	arena_free(&a[0]);
	arena_free(&a[1]);
	return e;
}
