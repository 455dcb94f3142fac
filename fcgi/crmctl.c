/*
 * crmctl.c: the admin's command line.
 *
 *   crmctl migrate [DIR]              apply sql/NNNN_*.sql
 *   crmctl rules check [DIR]          load every rule and run rules/tests
 *   crmctl lists sync                 copy rules/lists.lua into the database
 *   crmctl user add LOGIN NAME ROLE [DEPARTMENT]
 *   crmctl user passwd LOGIN
 *   crmctl user disable|enable LOGIN
 *   crmctl demo load                  the demo org, staff, lists, customers
 *   crmctl pool preview [--date D] [--json]
 *                                     who returns to the pool on D and why
 *                                     (nothing changes)
 *   crmctl pool run [--json]          return them now (what crmd's job does)
 *   crmctl qr rotate                  a new key signs new QR codes (old ones
 *                                     still scan)
 *   crmctl qr revoke KID              every code key KID signed stops working
 *   crmctl report sql NAME            the statement a built-in report runs
 *                                     ($1 reader, $2 role, $3 lang, $4 sort,
 *                                     $5 limit, $6 offset, $7.. the filters)
 *   crmctl report sql NAME rollup     its month roll-up variant (sql/0010),
 *                                     when it has one
 *   crmctl imports purge              delete the staged rows of applied
 *                                     imports (what crmd's job does)
 *   crmctl audit verify               walk the audit log's hash chain; name
 *                                     the first row altered or removed
 *                                     (exit 1 then)
 *
 * Passwords come from CRM_PASSWORD or one line of standard input, never
 * from the command line (it shows in ps).  Settings: the CRM_* variables
 * of crmd.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "extern.h"

static struct worker	 w;
static struct ctx	 c;

static void
usage(void)
{
	fprintf(stderr, "usage: crmctl migrate [DIR] | rules check [DIR] | "
	    "lists sync | user add LOGIN NAME ROLE [DEPARTMENT] | "
	    "user passwd LOGIN | user disable|enable LOGIN | demo load | "
	    "pool preview [--date YYYY-MM-DD] [--json] | pool run [--json] | "
	    "imports purge | audit verify\n");
	exit(2);
}

static void
ctx_open(void)
{
	arena_init(&w.a, 0);
	w.db = db_open(cfg.db);
	w.cache = cache_open(cfg.redis_host, cfg.redis_port,
	    cfg.redis_timeout_ms);
	w.rules = rules_open(cfg.rules_dir, cfg.rules_mem, cfg.rules_budget);
	if (w.db == NULL || w.cache == NULL || w.rules == NULL) {
		fprintf(stderr, "crmctl: out of memory or no rules in %s\n",
		    cfg.rules_dir);
		exit(1);
	}
	if (db_ensure(w.db) == -1) {
		fprintf(stderr, "crmctl: cannot reach the database "
		    "(CRM_DB=%s); run crmctl migrate first?\n", cfg.db);
		exit(1);
	}
	c.w = &w;
	c.a = &w.a;
	c.lang = LANG_EN;
}

static void
ctx_close(void)
{
	arena_free(&w.a);
	rules_close(w.rules);
	cache_close(w.cache);
	db_close(w.db);
}

static PGresult *
run(enum stmt st, int n, const char *const *p)
{
	enum crm_err	 e;
	PGresult	*res = db_exec(w.db, &w.a, st, n, p, &e);

	if (res == NULL) {
		fprintf(stderr, "crmctl: %s (%s)\n", crm_strerror(e, LANG_EN),
		    db_sqlstate(w.db));
		exit(1);
	}
	return res;
}

static char *
read_password(void)
{
	static char	 line[1100];
	const char	*env = getenv("CRM_PASSWORD");
	size_t		 n;

	if (env != NULL)
		return strdup(env);
	if (isatty(STDIN_FILENO))
		fprintf(stderr, "password: ");
	if (fgets(line, sizeof(line), stdin) == NULL) {
		fprintf(stderr, "crmctl: no password given\n");
		exit(1);
	}
	n = strcspn(line, "\r\n");
	line[n] = '\0';
	return strdup(line);
}

/* Call a rule, exit with its message on failure; returns decoded JSON. */
static json_t *
rule(const char *file, const char *fn, const char *args)
{
	char		*out, *err;
	json_t		*v;
	json_error_t	 je;

	if (rules_call(w.rules, &w.a, file, fn, args, &out, &err) == -1) {
		fprintf(stderr, "crmctl: %s\n", err);
		exit(1);
	}
	if ((v = json_loads(out, JSON_DECODE_ANY, &je)) == NULL) {
		fprintf(stderr, "crmctl: %s.%s: %s\n", file, fn, je.text);
		exit(1);
	}
	return v;
}

/* Refuse a password the policy rule refuses. */
static void
check_password(const char *login, const char *pw)
{
	json_t	*args, *v;
	char	*a;

	args = json_pack("[s, {s:s}]", pw, "login", login);
	a = json_dumps(args, JSON_COMPACT);
	json_decref(args);
	v = rule("password", "check", a);
	free(a);
	if (!json_is_null(v)) {
		fprintf(stderr, "crmctl: password refused: %s\n",
		    json_string_value(json_object_get(v, "en")));
		exit(1);
	}
	json_decref(v);
}

static long long
dept_id(const char *name, const char *parent)
{
	PGresult	*res;

	res = run(ST_DEPT_BY_NAME, DB_ARGS(name, parent));
	if (PQntuples(res) == 1)
		return db_getll(res, 0, 0);
	res = run(ST_DEPT_INSERT, DB_ARGS(parent, name));
	return db_getll(res, 0, 0);
}

/* Insert a staff row unless the login exists; returns its id. */
static long long
staff_add(const char *login, const char *pw, const char *name,
    const char *role, long long dept, const char *position,
    const char *mobile, const char *gender, const char *max)
{
	PGresult	*res;
	char		*hash, *d;
	long long	 id;

	res = run(ST_STAFF_BY_LOGIN, DB_ARGS(login));
	if (PQntuples(res) == 1)
		return db_getll(res, 0, 0);
	if ((hash = auth_hash(pw)) == NULL) {
		fprintf(stderr, "crmctl: cannot hash the password\n");
		exit(1);
	}
	d = dept ? arena_printf(&w.a, "%lld", dept) : NULL;
	res = run(ST_STAFF_INSERT, DB_ARGS(login, hash, name, role, d,
	    position, mobile, gender, max));
	free(hash);
	id = PQntuples(res) == 1 ? db_getll(res, 0, 0) : 0;
	return id;
}

static int
cmd_lists_sync(void)
{
	static const struct { const char *key, *list; } lists[] = {
		{ "regions", "region" }, { "sources", "source" },
		{ "stages", "stage" }, { "statuses", "status" },
	};
	json_t		*v, *it;
	size_t		 i, j;
	enum crm_err	 e;
	int		 n = 0;

	if ((e = db_begin(w.db)) != ERR_OK)
		return 1;
	run(ST_LIST_DEACTIVATE_ALL, 0, NULL);
	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		v = rule("lists", lists[i].key, NULL);
		json_array_foreach(v, j, it) {
			const char *code = json_string_value(json_object_get(it,
			    "code"));
			const char *zh = json_string_value(json_object_get(it,
			    "zh"));
			const char *en = json_string_value(json_object_get(it,
			    "en"));

			if (code == NULL || zh == NULL || en == NULL) {
				fprintf(stderr, "crmctl: lists.%s[%zu] needs "
				    "code, zh and en\n", lists[i].key, j + 1);
				exit(1);
			}
			run(ST_LIST_UPSERT, DB_ARGS(lists[i].list, code, zh, en,
			    arena_printf(&w.a, "%zu", j)));
			n++;
		}
		json_decref(v);
	}
	run(ST_TYPE_DEACTIVATE_ALL, 0, NULL);
	v = rule("lists", "customer_types", NULL);
	/* Walk the tree breadth-first so parents exist before children. */
	{
		json_t	*queue = json_array(), *node, *kids;
		size_t	 k;

		json_array_foreach(v, j, it)
			json_array_append_new(queue, json_pack("{s:O, s:n}",
			    "node", it, "parent"));
		for (k = 0; k < json_array_size(queue); k++) {
			json_t *q = json_array_get(queue, k);
			const char *code, *zh, *en, *parent;

			node = json_object_get(q, "node");
			code = json_string_value(json_object_get(node, "code"));
			zh = json_string_value(json_object_get(node, "zh"));
			en = json_string_value(json_object_get(node, "en"));
			parent = json_string_value(json_object_get(q,
			    "parent"));
			if (code == NULL || zh == NULL || en == NULL) {
				fprintf(stderr, "crmctl: customer_types: a "
				    "node needs code, zh and en\n");
				exit(1);
			}
			run(ST_TYPE_UPSERT, DB_ARGS(code, parent, zh, en,
			    arena_printf(&w.a, "%zu", k)));
			n++;
			kids = json_object_get(node, "children");
			json_array_foreach(kids, j, it)
				json_array_append_new(queue, json_pack(
				    "{s:O, s:s}", "node", it, "parent", code));
		}
		json_decref(queue);
	}
	json_decref(v);
	if (db_commit(w.db) != ERR_OK)
		return 1;
	printf("lists: %d items synchronised\n", n);
	return 0;
}

/* The code of item i (cycled) of a list of rules/lists.lua. */
static const char *
list_code(json_t *list, size_t i)
{
	json_t	*it = json_array_get(list, i % json_array_size(list));

	return json_string_value(json_object_get(it, "code"));
}

/* Leaf codes of the customer-type tree, depth first. */
static void
type_leaves(json_t *nodes, json_t *out)
{
	json_t	*n, *kids;
	size_t	 i;

	json_array_foreach(nodes, i, n) {
		kids = json_object_get(n, "children");
		if (json_array_size(kids) > 0)
			type_leaves(kids, out);
		else
			json_array_append(out, json_object_get(n, "code"));
	}
}

/*
 * A few hundred demo customers with plausible Chinese company names,
 * spread over the salespeople, their managers and the public pool.  Demo
 * data is bootstrap, not a business event: it is inserted directly, with
 * numbers and folded names from the same rules the documents use.
 */
static void
demo_customers(long long *owners, size_t nowners)
{
	static const char *const cities[] = {
		"北京", "上海", "广州", "深圳", "杭州", "南京", "成都", "武汉",
		"西安", "天津", "苏州", "重庆", "青岛", "长沙", "郑州",
	};
	static const char *const words[] = {
		"华信", "恒通", "瑞丰", "博远", "金诚", "天成", "宏达", "鑫源",
		"中科", "同创", "安泰", "嘉禾", "明德", "远航", "汇智", "新锐",
		"启明", "永盛", "卓越", "海纳",
	};
	static const char *const trades[] = {
		"科技有限公司", "贸易有限公司", "制造有限公司", "物流有限公司",
		"医疗器械有限公司", "建设工程有限公司", "信息技术有限公司",
		"食品有限公司", "环保科技有限公司", "教育咨询有限公司",
	};
	static const char *const people[] = {
		"王先生", "李女士", "张经理", "刘总", "陈主任", "杨先生",
		"赵女士", "黄经理", "周总", "吴先生",
	};
	json_t		*regions, *sources, *stages, *statuses, *types, *leaves;
	PGresult	*res;
	const char	*name, *norm, *number, *owner, *day;
	size_t		 i, n = 300;
	json_t		*v;
	char		*args;

	regions = rule("lists", "regions", NULL);
	sources = rule("lists", "sources", NULL);
	stages = rule("lists", "stages", NULL);
	statuses = rule("lists", "statuses", NULL);
	types = rule("lists", "customer_types", NULL);
	leaves = json_array();
	type_leaves(types, leaves);
	for (i = 0; i < n; i++) {
		name = arena_printf(&w.a, "%s%s%s",
		    cities[i % (sizeof(cities) / sizeof(cities[0]))],
		    words[(i / 15) % (sizeof(words) / sizeof(words[0]))],
		    trades[(i * 7) % (sizeof(trades) / sizeof(trades[0]))]);
		v = json_pack("[s]", name);
		args = json_dumps(v, JSON_COMPACT);
		json_decref(v);
		v = rule("customer", "normalize", args);
		free(args);
		norm = arena_strdup(&w.a, json_string_value(v));
		json_decref(v);
		res = run(ST_SEQ_NEXT, DB_ARGS("customer"));
		day = db_get(res, 0, 1);
		v = json_pack("[{s:s, s:I, s:s}]", "date", day, "seq",
		    (json_int_t)db_getll(res, 0, 0), "kind", "customer");
		args = json_dumps(v, JSON_COMPACT);
		json_decref(v);
		v = rule("numbering", "customer_number", args);
		free(args);
		number = arena_strdup(&w.a, json_string_value(v));
		json_decref(v);
		/* Two in five in the pool, the rest spread over owners. */
		owner = i % 5 < 2 ? NULL :
		    arena_printf(&w.a, "%lld", owners[i % nowners]);
		run(ST_CUST_INSERT, DB_ARGS(number, name, norm,
		    arena_printf(&w.a, "%s市%s路%zu号", cities[i %
		    (sizeof(cities) / sizeof(cities[0]))], words[i % 20],
		    10 + i), people[i % 10],
		    arena_printf(&w.a, "13%09zu", 100000000 + i * 7919),
		    list_code(regions, i), json_string_value(
		    json_array_get(leaves, i % json_array_size(leaves))),
		    list_code(sources, i / 3), list_code(stages, i / 2),
		    list_code(statuses, i / 4), NULL, NULL, "{}", owner));
	}
	json_decref(regions);
	json_decref(sources);
	json_decref(stages);
	json_decref(statuses);
	json_decref(types);
	json_decref(leaves);
}

static int
cmd_demo_load(void)
{
	static const struct {
		const char *login, *name, *role, *dept, *position, *mobile,
		    *gender;
		int head;
	} people[] = {
		{ "admin", "系统管理员", "admin", "总部", "管理员",
		  "13800000000", "m", 0 },
		{ "director", "周建国", "director", "总部", "销售总监",
		  "13800000001", "m", 1 },
		{ "manager1", "李明", "manager", "销售一部", "销售经理",
		  "13800000011", "m", 1 },
		{ "manager2", "王丽", "manager", "销售二部", "销售经理",
		  "13800000021", "f", 1 },
		{ "sales1", "张伟", "salesperson", "销售一部", "客户经理",
		  "13900000001", "m", 0 },
		{ "sales2", "王芳", "salesperson", "销售一部", "客户经理",
		  "13900000002", "f", 0 },
		{ "sales3", "李娜", "salesperson", "销售一部", "客户经理",
		  "13900000003", "f", 0 },
		{ "sales4", "刘洋", "salesperson", "销售二部", "客户经理",
		  "13900000004", "m", 0 },
		{ "sales5", "陈静", "salesperson", "销售二部", "客户经理",
		  "13900000005", "f", 0 },
		{ "sales6", "杨磊", "salesperson", "销售二部", "客户经理",
		  "13900000006", "m", 0 },
	};
	const char	*pw = "demo-pass-2026";
	long long	 root, d, id, owners[16];
	size_t		 i, nowners = 0;

	if (cmd_lists_sync() != 0)
		return 1;
	if (db_begin(w.db) != ERR_OK)
		return 1;
	root = dept_id("总部", NULL);
	for (i = 0; i < sizeof(people) / sizeof(people[0]); i++) {
		d = strcmp(people[i].dept, "总部") == 0 ? root :
		    dept_id(people[i].dept, arena_printf(&w.a, "%lld", root));
		id = staff_add(people[i].login, pw, people[i].name,
		    people[i].role, d, people[i].position, people[i].mobile,
		    people[i].gender, strcmp(people[i].role, "salesperson") ?
		    NULL : "200");
		if (people[i].head)
			run(ST_DEPT_SET_MANAGER, DB_ARGS(
			    arena_printf(&w.a, "%lld", d),
			    arena_printf(&w.a, "%lld", id)));
		if (strcmp(people[i].role, "salesperson") == 0 ||
		    strcmp(people[i].role, "manager") == 0)
			owners[nowners++] = id;
	}
	demo_customers(owners, nowners);
	if (db_commit(w.db) != ERR_OK)
		return 1;
	printf("demo: %zu staff in 3 departments (password %s), 300 "
	    "customers (120 in the public pool)\n",
	    sizeof(people) / sizeof(people[0]), pw);
	return 0;
}

static int
cmd_user(int argc, char *argv[])
{
	PGresult	*res;
	char		*pw, *hash;
	const char	*id;

	if (argc >= 4 && strcmp(argv[0], "add") == 0) {
		long long dept = 0, uid;

		pw = read_password();
		check_password(argv[1], pw);
		if (argc >= 5) {
			PGresult *dres = run(ST_DEPT_FIND_NAME, DB_ARGS(argv[4]));

			dept = PQntuples(dres) == 1 ? db_getll(dres, 0, 0) :
			    dept_id(argv[4], NULL);
		}
		uid = staff_add(argv[1], pw, argv[2], argv[3], dept, NULL,
		    NULL, NULL, NULL);
		free(pw);
		printf("user %s: id %lld\n", argv[1], uid);
		return 0;
	}
	if (argc != 2)
		usage();
	res = run(ST_STAFF_BY_LOGIN, DB_ARGS(argv[1]));
	if (PQntuples(res) != 1) {
		fprintf(stderr, "crmctl: no user %s\n", argv[1]);
		return 1;
	}
	id = db_get(res, 0, 0);
	if (strcmp(argv[0], "passwd") == 0) {
		pw = read_password();
		check_password(argv[1], pw);
		hash = auth_hash(pw);
		free(pw);
		run(ST_STAFF_SET_HASH, DB_ARGS(id, hash));
		free(hash);
		if (session_end_user(&c, strtoll(id, NULL, 10), NULL) != ERR_OK) {
			fprintf(stderr, "crmctl: password changed, but the "
			    "sessions could not be ended (Redis stalled?): "
			    "run it again\n");
			return 1;
		}
		printf("user %s: password changed, sessions ended\n", argv[1]);
		return 0;
	}
	if (strcmp(argv[0], "disable") == 0 || strcmp(argv[0], "enable") == 0) {
		int on = strcmp(argv[0], "enable") == 0;

		run(ST_STAFF_SET_ACTIVE, DB_ARGS(id, on ? "true" : "false"));
		if (!on && session_end_user(&c, strtoll(id, NULL, 10), NULL) !=
		    ERR_OK) {
			fprintf(stderr, "crmctl: user disabled, but the "
			    "sessions could not be ended (Redis stalled?): "
			    "run it again\n");
			return 1;
		}
		printf("user %s: %s\n", argv[1], on ? "enabled" :
		    "disabled, sessions ended");
		return 0;
	}
	usage();
	return 2;
}

static int
cmd_qr(int argc, char *argv[])
{
	unsigned char	 key[QR_KEYLEN];
	const char	*p[1];
	int		 len[1] = { QR_KEYLEN }, fmt[1] = { 1 };
	enum crm_err	 e;
	PGresult	*res;

	if (argc == 1 && strcmp(argv[0], "rotate") == 0) {
		/* Revoke nothing: retire the current key from signing. */
		randombytes_buf(key, sizeof(key));
		p[0] = (const char *)key;
		if (db_begin(w.db) != ERR_OK)
			return 1;
		res = run(ST_QR_KEY_CURRENT, 0, NULL);
		if (PQntuples(res) == 1)
			run(ST_QR_KEY_RETIRE, DB_ARGS(db_get(res, 0, 0)));
		if (db_exec_fmt(w.db, &w.a, ST_QR_KEY_CREATE, 1, p, len, fmt, 0,
		    &e) == NULL || db_commit(w.db) != ERR_OK) {
			fprintf(stderr, "crmctl: qr rotate failed\n");
			return 1;
		}
		sodium_memzero(key, sizeof(key));
		res = run(ST_QR_KEY_CURRENT, 0, NULL);
		printf("qr: key %s signs new codes\n", db_get(res, 0, 0));
		return 0;
	}
	if (argc == 2 && strcmp(argv[0], "revoke") == 0) {
		res = run(ST_QR_KEY_REVOKE, DB_ARGS(argv[1]));
		if (strcmp(PQcmdTuples(res), "1") != 0) {
			fprintf(stderr, "crmctl: no active key %s\n", argv[1]);
			return 1;
		}
		printf("qr: key %s revoked; its codes no longer scan\n",
		    argv[1]);
		return 0;
	}
	usage();
	return 2;
}

static int
cmd_pool(int argc, char *argv[])
{
	const char	*date = NULL;
	json_t		*out, *it;
	enum crm_err	 e;
	int		 i, as_json = 0, dry;
	size_t		 j;
	char		*s;

	if (argc < 1)
		usage();
	dry = strcmp(argv[0], "preview") == 0;
	if (!dry && strcmp(argv[0], "run") != 0)
		usage();
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			as_json = 1;
		else if (strcmp(argv[i], "--date") == 0 && i + 1 < argc && dry)
			date = argv[++i];
		else
			usage();
	}
	e = pool_run(&c, date, dry, &out);
	ctx_stale_flush(&c);
	if (e != ERR_OK) {
		fprintf(stderr, "crmctl: pool %s: %s\n", argv[0],
		    c.errfield ? "bad date (use YYYY-MM-DD)" :
		    crm_strerror(e, LANG_EN));
		return 1;
	}
	if (as_json) {
		s = json_dumps(out, JSON_COMPACT);
		printf("%s\n", s);
		free(s);
	} else {
		json_array_foreach(json_object_get(out, "returned"), j, it)
			printf("%s %s %s (owner %s): %s\n", dry ? "returns" :
			    "returned", json_string_value(json_object_get(it,
			    "number")), json_string_value(json_object_get(it,
			    "name")), json_string_value(json_object_get(it,
			    "owner")), json_string_value(json_object_get(it,
			    "reason")));
		json_array_foreach(json_object_get(out, "warned"), j, it)
			printf("%s %s %s (owner %s): due %s, %s\n", dry ?
			    "would warn" : "warned", json_string_value(
			    json_object_get(it, "number")), json_string_value(
			    json_object_get(it, "name")), json_string_value(
			    json_object_get(it, "owner")), json_string_value(
			    json_object_get(it, "due_at")), json_string_value(
			    json_object_get(it, "reason")));
		printf("pool %s: %zu %s, %zu %s\n", argv[0],
		    json_array_size(json_object_get(out, "returned")),
		    dry ? "would return" : "returned",
		    json_array_size(json_object_get(out, "warned")),
		    dry ? "would be warned" : "warned");
	}
	json_decref(out);
	return 0;
}

/* Delete every staged row of applied imports, in steps. */
static int
cmd_imports_purge(void)
{
	long		 n, total = 0;
	enum crm_err	 e;
	int		 more;

	do {
		if ((e = import_purge(&c, &n, &more)) != ERR_OK) {
			fprintf(stderr, "crmctl: imports purge: %s\n",
			    crm_strerror(e, LANG_EN));
			return 1;
		}
		total += n;
		arena_reset(c.a);
	} while (more);
	printf("imports purge: %ld staged rows deleted\n", total);
	return 0;
}

/* Print the compiled statement of built-in report name (report.c). */
static int
cmd_report_sql(const char *name, int roll)
{
	struct rules	*r;
	struct arena	 a;
	struct report	 rp;
	struct rerr	 e;
	json_t		*def;
	char		*err, *sql;
	int		 rc = 1;

	if ((r = rules_open(cfg.rules_dir, cfg.rules_mem, cfg.rules_budget)) ==
	    NULL)
		return 1;
	arena_init(&a, 0);
	if ((def = report_builtin_def(r, &a, name, &err)) == NULL)
		fprintf(stderr, "crmctl: %s\n", err);
	else if (report_parse(&a, name, def, &rp, &e) == -1)
		fprintf(stderr, "crmctl: %s\n", e.en);
	else if (roll && (sql = report_sql_rollup(&a, &rp)) == NULL)
		fprintf(stderr, "crmctl: %s has no roll-up statement\n", name);
	else if (roll || (sql = report_sql(&a, &rp)) != NULL) {
		printf("%s\n", sql);
		rc = 0;
	}
	json_decref(def);
	arena_free(&a);
	rules_close(r);
	return rc;
}

int
main(int argc, char *argv[])
{
	int	 rc;

	config_load();
	log_verbosity = LOG_WARN;
	if (argc < 2)
		usage();
	if (strcmp(argv[1], "migrate") == 0)
		return migrate_run(cfg.db, argc > 2 ? argv[2] : "sql",
		    stdout) == 0 ? 0 : 1;
	if (strcmp(argv[1], "report") == 0 && argc == 4 &&
	    strcmp(argv[2], "sql") == 0)
		return cmd_report_sql(argv[3], 0);
	/* The roll-up variant (sql/0010), when the report has one. */
	if (strcmp(argv[1], "report") == 0 && argc == 5 &&
	    strcmp(argv[2], "sql") == 0 && strcmp(argv[4], "rollup") == 0)
		return cmd_report_sql(argv[3], 1);
	if (strcmp(argv[1], "rules") == 0 && argc >= 3 &&
	    strcmp(argv[2], "check") == 0)
		return rules_check(argc > 3 ? argv[3] : cfg.rules_dir,
		    stdout) == 0 ? 0 : 1;
	ctx_open();
	if (strcmp(argv[1], "lists") == 0 && argc == 3 &&
	    strcmp(argv[2], "sync") == 0)
		rc = cmd_lists_sync();
	else if (strcmp(argv[1], "demo") == 0 && argc == 3 &&
	    strcmp(argv[2], "load") == 0)
		rc = cmd_demo_load();
	else if (strcmp(argv[1], "qr") == 0 && argc >= 3)
		rc = cmd_qr(argc - 2, argv + 2);
	else if (strcmp(argv[1], "pool") == 0 && argc >= 3)
		rc = cmd_pool(argc - 2, argv + 2);
	else if (strcmp(argv[1], "user") == 0 && argc >= 3)
		rc = cmd_user(argc - 2, argv + 2);
	else if (strcmp(argv[1], "imports") == 0 && argc == 3 &&
	    strcmp(argv[2], "purge") == 0)
		rc = cmd_imports_purge();
	else if (strcmp(argv[1], "audit") == 0 && argc == 3 &&
	    strcmp(argv[2], "verify") == 0)
		rc = audit_verify(&w, stdout) == 0 ? 0 : 1;
	else
		usage();
	ctx_close();
	return rc;
}
