/*
 * audit.c: checking the audit log's hash chain (sql/0008_audit_chain.sql).
 *
 * Each audit_log row carries seq (its place in the chain), prev_hash (the
 * hash of the row before) and hash = SHA-256 of audit_canon(row), which
 * covers the row's content and prev_hash.  The database writes them (a
 * trigger, under the lock of the one audit_chain head row); this file only
 * reads: it hashes every row's canonical text again here, in C, rather than
 * trusting a hash the database computes, and walks the rows in seq order.
 * The first row that does not fit is named: altered (content or hash does
 * not match), removed (a gap in seq, or the head is ahead of the last row).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

#define GENESIS		"0000000000000000000000000000000000000000000000000000000000000000"

/* "id 12 (seq 7, login at 2026-11-27 10:00:00+08)" for the messages. */
static void
row_name(FILE *out, const PGresult *res, int i)
{
	fprintf(out, "id %s (seq %s, %s at %s)", db_get(res, i, 0),
	    db_get(res, i, 1), db_get(res, i, 5), db_get(res, i, 6));
}

/* "audit: row 7 removed" or "audit: rows 7 to 9 removed". */
static void
removed(FILE *out, long long from, long long to)
{
	if (from == to)
		fprintf(out, "audit: row %lld removed: ", from);
	else
		fprintf(out, "audit: rows %lld to %lld removed: ", from, to);
}

/* See extern.h. */
int
audit_verify(struct worker *w, FILE *out)
{
	char		 prev[sizeof(GENESIS)] = GENESIS;
	char		 prev_id[32] = "none";
	long long	 expect = 1, seq;
	enum crm_err	 e = ERR_INTERNAL;
	PGresult	*res;
	const char	*h;
	int		 i, n, rc = -1;

	for (;;) {
		res = db_exec(w->db, &w->a, ST_AUDIT_CHAIN_PAGE,
		    DB_ARGS(arena_printf(&w->a, "%lld", expect - 1)), &e);
		if (res == NULL)
			goto done;
		if ((n = PQntuples(res)) == 0)
			break;
		for (i = 0; i < n; i++) {
			seq = db_getll(res, i, 1);
			if (seq != expect) {
				removed(out, expect, seq - 1);
				fprintf(out, "the chain jumps from id %s to ",
				    prev_id);
				row_name(out, res, i);
				fputc('\n', out);
				rc = 1;
				goto done;
			}
			h = auth_sha256_hex(&w->a, db_get(res, i, 4));
			if (h == NULL)
				goto done;
			if (strcmp(h, db_get(res, i, 3)) != 0) {
				fputs("audit: row ", out);
				row_name(out, res, i);
				fputs(" altered: its content does not match "
				    "its hash\n", out);
				rc = 1;
				goto done;
			}
			if (strcmp(prev, db_get(res, i, 2)) != 0) {
				fputs("audit: row ", out);
				row_name(out, res, i);
				fprintf(out, " altered: it does not link to "
				    "the row before it (id %s)\n", prev_id);
				rc = 1;
				goto done;
			}
			snprintf(prev, sizeof(prev), "%s", db_get(res, i, 3));
			snprintf(prev_id, sizeof(prev_id), "%s",
			    db_get(res, i, 0));
			expect++;
		}
		arena_reset(&w->a);
	}
	res = db_exec(w->db, &w->a, ST_AUDIT_CHAIN_HEAD, 0, NULL, &e);
	if (res == NULL)
		goto done;
	if (PQntuples(res) != 1) {
		fprintf(out, "audit: the chain head (audit_chain) is "
		    "missing\n");
		rc = 1;
		goto done;
	}
	seq = db_getll(res, 0, 0);
	if (seq > expect - 1) {
		removed(out, expect, seq);
		fprintf(out, "the newest rows after id %s are gone\n",
		    prev_id);
		rc = 1;
		goto done;
	}
	if (seq != expect - 1 || strcmp(db_get(res, 0, 1), prev) != 0) {
		fprintf(out, "audit: the newest row (id %s, seq %lld) or the "
		    "chain head was altered\n", prev_id, expect - 1);
		rc = 1;
		goto done;
	}
	fprintf(out, "audit: %lld rows, chain intact\n", expect - 1);
	rc = 0;
done:
	if (rc == -1)
		fprintf(out, "audit: cannot read the audit log: %s (%s)\n",
		    crm_strerror(e, LANG_EN), db_sqlstate(w->db));
	arena_reset(&w->a);
	return rc;
}
