/*
 * rules.c: the Lua 5.4 host that runs the business rules under rules/.
 *
 * One lua_State per worker.  Its memory comes from a counting allocator
 * that refuses growth past a cap for the whole state and, during a call,
 * past a per-call allowance above what was in use when the call began.
 * Only base, string, table, math and utf8 are opened; a rule never sees
 * the global table.  Each rule file runs in its own _ENV whose reads fall
 * back to one library table (a whitelist, with the library tables behind
 * read-only proxies) and raise on unknown names, and whose writes raise.
 *
 * Every call runs under lua_pcall with a message handler, an instruction
 * budget counted by a hook, a wall-clock limit, and the memory allowance.
 * The bulk calls (rules_call_rows: the import's 500-row checks) run
 * without the counting hook, which costs every Lua instruction a call
 * (Lua 5.4's luaG_traceexec), a sixth of a pre-check's CPU; a one-shot
 * timer hooks them at the wall-clock limit instead (tick_arm), and memory
 * running high hooks them at once (rules_alloc).
 * Once a limit is hit the call is doomed: the hook raises at every
 * instruction and the sandbox's pcall/xpcall re-raise, so a rule cannot
 * catch its way past a limit.  The few library functions that loop in C
 * without running Lua instructions (table.move, table.insert, string.rep
 * of an empty string, pattern matching) are wrapped so they charge the
 * budget or refuse hopeless work up front.
 *
 * Files are re-read when their identity (device, inode, size, mtime and
 * ctime with nanoseconds) changes, and when a file they crm.require'd at
 * load time was reloaded.  A failed load keeps the last good version; its
 * text is kept in C memory so the state can be rebuilt from scratch when
 * rules leave too much live memory behind.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "extern.h"

#define RULES_MEM_DEFAULT	((size_t)32 * 1024 * 1024)
#define RULES_MEM_MIN		((size_t)1024 * 1024)
#define RULES_INSTR_DEFAULT	10000000L
#define RULES_HOOK_EVERY	1000	/* instructions between hook calls */
#define RULES_TIME_MS		1000	/* wall clock per call */
#define RULES_FILE_MAX		(1024 * 1024)
#define RULES_NAME_MAX		48	/* "rules/" NAME ".lua" fits LUA_IDSIZE */
#define RULES_FN_MAX		200
#define RULES_ARGS_MAX		16
#define RULES_DEPTH_MAX		64	/* JSON <-> Lua nesting */
#define RULES_NEST_MAX		16	/* nested crm.require while loading */
#define RULES_DIR_DEPTH		4	/* subfolders searched by rules_check */
#define RULES_PATTERN_MAX	2e8	/* worst-case pattern matching steps */
#define RULES_ERR_MAX		1024
#define RULES_WHERE_MAX		128
#define RULES_TRACE_MAX		512
#define RULES_LOG_MAX		1000
#define RULES_OUT_MAX		(16 * 1024 * 1024)	/* JSON result */

/* What a rule file looked like on disk. */
struct ident {
	int		 exists;
	dev_t		 dev;
	ino_t		 ino;
	off_t		 size;
	struct timespec	 mtim;
	struct timespec	 ctim;
};

struct rfile;

/* A file that another one crm.require'd while loading, at generation gen. */
struct rdep {
	struct rfile	*f;
	unsigned	 gen;
};

struct rfile {
	struct rfile	*next;
	char		 name[RULES_NAME_MAX + 1];
	struct ident	 tried;		/* the file at the last load attempt */
	int		 has_tried;
	int		 ref;		/* registry ref of the active table */
	char		*good;		/* text of the active version */
	size_t		 goodlen;
	char		*err;		/* why the last attempt failed */
	unsigned long	 errseq;	/* orders errors for rules_last_error */
	unsigned	 gen;		/* bumped at every successful load */
	struct rdep	*deps;		/* of the active version */
	size_t		 ndeps;
	struct rdep	*pdeps;		/* collected during a load */
	size_t		 npdeps;
	size_t		 pdepcap;
	int		 loading;
};

struct rules {
	lua_State	*L;
	char		*dir;
	size_t		 mem_cap;	/* the whole state */
	size_t		 used;		/* bytes the allocator handed out */
	size_t		 call_limit;	/* during a call: used may not pass it */
	size_t		 mem_high;	/* above this, the hook notes the line */
	int		 in_call;
	int		 timed_only;	/* this call: the timer, no counting */
	long		 instr_budget;
	long		 instr_used;
	long long	 deadline;	/* monotonic ms */
	int		 budget_hit;
	int		 time_hit;
	int		 mem_hit;
	char		 hitwhere[RULES_WHERE_MAX]; /* where a limit was hit */
	char		 where[RULES_WHERE_MAX];   /* where the last error was */
	char		 memwhere[RULES_WHERE_MAX]; /* running while memory high */
	char		 trace[RULES_TRACE_MAX];
	struct rfile	*files;
	struct rfile	*loading;	/* innermost file being loaded */
	int		 load_depth;
	unsigned long	 errseq;
};

/* Registry keys: the addresses are unique, the values unused. */
static const char	key_lib = 'l';		/* the real library table */
static const char	key_envmt = 'e';	/* metatable of every _ENV */
static const char	key_frozen = 'f';	/* set of read-only proxies */
static const char	key_arraymt = 'a';	/* marks a table as a JSON array */

/* Carried into the protected call that runs a rule. */
struct callctx {
	struct rules	*r;
	const char	*name;
	const char	*fn;		/* NULL: only load, return the table */
	json_t		*args;		/* array or NULL */
	const char *const *cells;	/* rules_call_rows: a last argument */
	size_t		 nrows, ncols;	/* of nrows arrays of ncols strings */
};

/* Carried into the protected call that loads a file. */
struct loadctx {
	struct rules	*r;
	struct rfile	*f;
	const char	*text;
	size_t		 len;
	int		 oldref;
	int		 newref;
};

static void	file_refresh(struct rules *, struct rfile *, int);
static void	rules_hook(lua_State *, lua_Debug *);

static struct rules *
rules_of(lua_State *L)
{
	void	*ud;

	(void)lua_getallocf(L, &ud);
	return ud;
}

static long long
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * The allocator.  Lua calls it for every allocation, resize and free.  It
 * refuses growth past the cap that applies (whole state, or the call's
 * allowance); Lua then runs an emergency collection, retries, and raises a
 * memory error if it is still refused.
 */
static void *
rules_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct rules	*r = ud;
	size_t		 limit, grow;
	void		*np;

	if (ptr == NULL)
		osize = 0;	/* osize is then the kind of object */
	if (nsize == 0) {
		free(ptr);
		r->used -= osize;
		return NULL;
	}
	if (nsize > osize) {
		limit = r->in_call ? r->call_limit : r->mem_cap;
		grow = nsize - osize;
		if (grow > limit || r->used > limit - grow)
			return NULL;
	}
	if ((np = realloc(ptr, nsize)) == NULL)
		return NULL;
	r->used = r->used - osize + nsize;
	/* A timed call with memory nearly spent: the hook notes where. */
	if (r->timed_only && r->in_call && r->used > r->mem_high &&
	    r->L != NULL && lua_gethook(r->L) == NULL)
		lua_sethook(r->L, rules_hook, LUA_MASKCOUNT, RULES_HOOK_EVERY);
	return np;
}

static int
rules_panic(lua_State *L)
{
	const char	*msg = lua_tostring(L, -1);

	/* Everything runs under lua_pcall; reaching this is a host bug. */
	log_err("rules: unprotected Lua error: %s", msg ? msg : "?");
	abort();
}

/* "rules/x.lua:12" for the function at level, or "" if not a Lua one. */
static void
where_of(lua_State *L, int level, char *buf, size_t sz)
{
	lua_Debug	 ar;

	buf[0] = '\0';
	if (lua_getstack(L, level, &ar) && lua_getinfo(L, "Sl", &ar) &&
	    ar.currentline > 0)
		snprintf(buf, sz, "%s:%d", ar.short_src, ar.currentline);
}

/*
 * Doom the current call: from now on the hook fires at every instruction,
 * so whatever pcall catches the first error, the next Lua instruction
 * raises again until the outer call has unwound.
 */
static void
doom(struct rules *r, lua_State *L, const char *where)
{
	if (r->hitwhere[0] == '\0' && where != NULL)
		snprintf(r->hitwhere, sizeof(r->hitwhere), "%s", where);
	lua_sethook(L, rules_hook, LUA_MASKCOUNT, 1);
}

static const char *
doom_reason(const struct rules *r)
{
	if (r->budget_hit)
		return "instruction budget exceeded";
	if (r->time_hit)
		return "time limit exceeded";
	if (r->mem_hit)
		return "memory cap exceeded";
	return NULL;
}

static int
doomed(const struct rules *r)
{
	return r->budget_hit || r->time_hit || r->mem_hit;
}

static void
rules_hook(lua_State *L, lua_Debug *ar)
{
	struct rules	*r = rules_of(L);
	char		 where[RULES_WHERE_MAX];

	/* A late tick (tick()) that hooked the state after its call. */
	if (!r->in_call) {
		lua_sethook(L, NULL, 0, 0);
		return;
	}
	/*
	 * A memory error skips the message handler, so no line would be
	 * known; note where the rule runs while memory is nearly spent.
	 */
	if (r->used > r->mem_high && lua_getinfo(L, "Sl", ar) &&
	    ar->currentline > 0)
		snprintf(r->memwhere, sizeof(r->memwhere), "%s:%d",
		    ar->short_src, ar->currentline);
	where[0] = '\0';
	if (!doomed(r)) {
		/* A timed call counts only what C charges (charge()). */
		if (!r->timed_only)
			r->instr_used += RULES_HOOK_EVERY;
		if (r->instr_used > r->instr_budget)
			r->budget_hit = 1;
		else if (now_ms() > r->deadline)
			r->time_hit = 1;
		else
			return;
		if (lua_getinfo(L, "Sl", ar) && ar->currentline > 0)
			snprintf(where, sizeof(where), "%s:%d", ar->short_src,
			    ar->currentline);
	}
	/* Also re-arms a call doomed elsewhere (memory) to every instruction. */
	doom(r, L, where[0] ? where : NULL);
	lua_pushstring(L, doom_reason(r));
	lua_error(L);
}

/*
 * Count n units of work done in C (elements moved, bytes scanned) against
 * the instruction budget; raise when it runs out.
 */
static void
charge(lua_State *L, lua_Unsigned n)
{
	struct rules	*r = rules_of(L);
	char		 where[RULES_WHERE_MAX];

	if (!r->in_call)
		return;
	if (!doomed(r) && n <= (lua_Unsigned)(r->instr_budget - r->instr_used)) {
		r->instr_used += (long)n;
		return;
	}
	if (!doomed(r)) {
		r->budget_hit = 1;
		where_of(L, 1, where, sizeof(where));
		doom(r, L, where);
	}
	luaL_error(L, "%s", doom_reason(r));
}

/* ------------------------------------------------ the sandbox's functions */

/* Call the wrapped library function (upvalue 1) with our arguments. */
static int
call_orig(lua_State *L)
{
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
	return lua_gettop(L);
}

/* string.rep: Lua loops n times in C even when the result is empty. */
static int
sb_rep(lua_State *L)
{
	size_t		 l, lsep;
	lua_Integer	 n;

	(void)luaL_checklstring(L, 1, &l);
	n = luaL_checkinteger(L, 2);
	(void)luaL_optlstring(L, 3, "", &lsep);
	if (n > 0 && l == 0 && lsep == 0) {
		lua_pushliteral(L, "");
		return 1;
	}
	return call_orig(L);
}

/* Index just past a [set] that starts at p[i] (Lua's class syntax). */
static size_t
pattern_set_end(const char *p, size_t pl, size_t i)
{
	i++;
	if (i < pl && p[i] == '^')
		i++;
	do {
		if (i >= pl)
			return pl;
		if (p[i++] == '%' && i < pl)
			i++;
	} while (i < pl && p[i] != ']');
	return i < pl ? i + 1 : pl;
}

/*
 * An upper bound on the steps Lua's backtracking matcher may take: each
 * of the q quantifiers (*, +, -) can try every length, so a subject of n
 * bytes costs about C(n + q, q) per start position (measured here:
 * "a*a*b" over 2000 'a's takes 10 s; the bound says 4e9 steps).  Each
 * '?' doubles it (match the item or skip it): "a?" repeated 100 times
 * before 100 'a's is 2^100 tries (found by tests/fuzz/fuzz_rules).
 */
static double
pattern_cost(const char *p, size_t pl, size_t n, int anchored)
{
	double	 cost;
	size_t	 i = 0;
	int	 q = 0, opt = 0, k, single;

	if (anchored && pl > 0 && p[0] == '^')
		i = 1;
	else
		anchored = 0;
	while (i < pl) {
		single = 1;
		if (p[i] == '%' && i + 1 < pl && p[i + 1] == 'b') {
			i += 4;
			single = 0;
		} else if (p[i] == '%' && i + 1 < pl && p[i + 1] == 'f') {
			i = pattern_set_end(p, pl, i + 2);
			single = 0;
		} else if (p[i] == '%')
			i += 2;
		else if (p[i] == '[')
			i = pattern_set_end(p, pl, i);
		else {
			single = p[i] != '(' && p[i] != ')';
			i++;
		}
		if (single && i < pl &&
		    (p[i] == '*' || p[i] == '+' || p[i] == '-')) {
			q++;
			i++;
		} else if (single && i < pl && p[i] == '?') {
			opt++;
			i++;
		}
	}
	cost = anchored ? 1.0 : (double)n + 1.0;
	for (k = 1; k <= q && cost <= RULES_PATTERN_MAX; k++)
		cost = cost * ((double)n + k) / k;
	for (k = 0; k < opt && cost <= RULES_PATTERN_MAX; k++)
		cost *= 2;
	return cost;
}

/*
 * Pattern matching runs in C and can take longer than any budget; refuse
 * a pattern whose worst case is hopeless for this subject, and charge the
 * subject's length.
 */
static void
pattern_check(lua_State *L, int anchorable, int plain)
{
	size_t		 sl, pl;
	const char	*p;

	(void)luaL_checklstring(L, 1, &sl);
	p = luaL_checklstring(L, 2, &pl);
	if (!plain && pattern_cost(p, pl, sl, anchorable) > RULES_PATTERN_MAX)
		luaL_error(L, "pattern too complex for a %d-byte string (each "
		    "*, + or - multiplies the work): simplify the pattern or "
		    "check the length first", (int)(sl > INT_MAX ? INT_MAX : sl));
	charge(L, sl);
}

static int
sb_find(lua_State *L)
{
	pattern_check(L, 1, lua_toboolean(L, 4));
	return call_orig(L);
}

static int
sb_match(lua_State *L)
{
	pattern_check(L, 1, 0);
	return call_orig(L);
}

static int
sb_gmatch(lua_State *L)
{
	pattern_check(L, 0, 0);
	return call_orig(L);
}

static int
sb_gsub(lua_State *L)
{
	pattern_check(L, 1, 0);
	return call_orig(L);
}

/* The length table functions loop over, or 0 if the original will fail. */
static lua_Integer
table_len(lua_State *L)
{
	if (lua_type(L, 1) != LUA_TTABLE)
		return 0;
	return luaL_len(L, 1);
}

/* Charge the elements from i to j (inclusive) when there are any. */
static void
charge_range(lua_State *L, lua_Integer i, lua_Integer j)
{
	if (j >= i)
		charge(L, (lua_Unsigned)j - (lua_Unsigned)i + 1);
}

/* table.move loops from f to e in C, even over nothing. */
static int
sb_tmove(lua_State *L)
{
	charge_range(L, luaL_checkinteger(L, 2), luaL_checkinteger(L, 3));
	return call_orig(L);
}

/* table.insert(t, pos, v) shifts #t - pos + 1 elements; #t may be a lie. */
static int
sb_tinsert(lua_State *L)
{
	lua_Integer	 pos;
	int		 isnum;

	pos = lua_tointegerx(L, 2, &isnum);
	if (lua_gettop(L) == 3 && isnum)
		charge_range(L, pos, table_len(L));
	return call_orig(L);
}

static int
sb_tremove(lua_State *L)
{
	lua_Integer	 n = table_len(L), pos;
	int		 isnum;

	pos = lua_tointegerx(L, 2, &isnum);
	if (isnum)
		charge_range(L, pos, n);
	return call_orig(L);
}

static int
sb_tconcat(lua_State *L)
{
	lua_Integer	 n = table_len(L);

	charge_range(L, luaL_optinteger(L, 3, 1), luaL_optinteger(L, 4, n));
	return call_orig(L);
}

static int
sb_tunpack(lua_State *L)
{
	lua_Integer	 n = table_len(L);

	charge_range(L, luaL_optinteger(L, 2, 1), luaL_optinteger(L, 3, n));
	return call_orig(L);
}

static int
sb_tsort(lua_State *L)
{
	lua_Integer	 n = table_len(L);
	double		 steps;

	if (n > 1) {
		steps = (double)n * log2((double)n);
		charge(L, steps < 1e18 ? (lua_Unsigned)steps : (lua_Unsigned)1e18);
	}
	return call_orig(L);
}

/*
 * pcall and xpcall that cannot swallow a limit: when the budget, the clock
 * or the memory cap has been hit, the error goes on up.
 */
static int
pcall_finish(lua_State *L, int status, int first)
{
	struct rules	*r = rules_of(L);

	if (status == LUA_ERRMEM)
		r->mem_hit = 1;
	if (doomed(r)) {
		if (r->mem_hit)
			doom(r, L, NULL);
		return lua_error(L);
	}
	if (status != LUA_OK) {
		lua_pushboolean(L, 0);
		lua_insert(L, -2);
		return 2;
	}
	lua_pushboolean(L, 1);
	lua_replace(L, first);
	return lua_gettop(L) - first + 1;
}

static int
sb_pcall(lua_State *L)
{
	int	 status;

	luaL_checkany(L, 1);
	lua_pushnil(L);		/* becomes the status slot */
	lua_insert(L, 1);
	status = lua_pcall(L, lua_gettop(L) - 2, LUA_MULTRET, 0);
	return pcall_finish(L, status, 1);
}

/*
 * The rule's xpcall handler (upvalue 1), skipped once the call is doomed:
 * Lua runs a message handler for an error raised in a hook while hooks
 * are off, so a handler that loops would never be stopped.
 */
static int
xpcall_msgh(lua_State *L)
{
	if (doomed(rules_of(L)))
		return 1;
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, 1);
	return 1;
}

static int
sb_xpcall(lua_State *L)
{
	int	 status, n = lua_gettop(L);

	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_pushnil(L);		/* status slot */
	lua_pushvalue(L, 2);
	lua_pushcclosure(L, xpcall_msgh, 1);	/* handler */
	lua_pushvalue(L, 1);	/* function */
	lua_rotate(L, 3, 3);	/* f h nil h f args... */
	status = lua_pcall(L, n - 2, LUA_MULTRET, 4);
	/* stack: f h nil h results... or f h nil h err */
	lua_remove(L, 4);
	lua_remove(L, 1);
	lua_remove(L, 1);
	return pcall_finish(L, status, 1);
}

static int
is_frozen(lua_State *L, int idx)
{
	int	 yes;

	idx = lua_absindex(L, idx);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &key_frozen);
	lua_pushvalue(L, idx);
	yes = lua_rawget(L, -2) != LUA_TNIL;
	lua_pop(L, 2);
	return yes;
}

/* rawset that refuses the read-only library proxies. */
static int
sb_rawset(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_checkany(L, 2);
	luaL_checkany(L, 3);
	if (is_frozen(L, 1))
		return luaL_error(L, "the library is read-only");
	lua_settop(L, 3);
	lua_rawset(L, 1);
	return 1;
}

/*
 * setmetatable for the rule's own tables.  __gc is refused: a finalizer
 * would run at some later collection, outside any call and its budget.
 */
static int
sb_setmetatable(lua_State *L)
{
	int	 t = lua_type(L, 2);

	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
	if (t == LUA_TTABLE) {
		lua_pushliteral(L, "__gc");
		if (lua_rawget(L, 2) != LUA_TNIL)
			return luaL_error(L, "__gc metamethods are not allowed "
			    "in rules");
		lua_pop(L, 1);
	}
	if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
		return luaL_error(L, "cannot change a protected metatable");
	lua_settop(L, 2);
	lua_setmetatable(L, 1);
	return 1;
}

/* print and crm.log: one log line, control characters blanked. */
static int
sb_log(lua_State *L)
{
	luaL_Buffer	 b;
	char		 where[RULES_WHERE_MAX], line[RULES_LOG_MAX + 1];
	const char	*s;
	size_t		 len, i;
	int		 n = lua_gettop(L), k;

	luaL_buffinit(L, &b);
	for (k = 1; k <= n; k++) {
		if (k > 1)
			luaL_addchar(&b, ' ');
		(void)luaL_tolstring(L, k, NULL);
		luaL_addvalue(&b);
	}
	luaL_pushresult(&b);
	s = lua_tolstring(L, -1, &len);
	if (len > RULES_LOG_MAX)
		len = RULES_LOG_MAX;
	for (i = 0; i < len; i++)
		line[i] = (unsigned char)s[i] < 0x20 ? ' ' : s[i];
	line[len] = '\0';
	where_of(L, 1, where, sizeof(where));
	log_info("rules: %s: %s", where[0] ? where : "?", line);
	return 0;
}

/* A reading of _ENV that the library does not answer. */
static int
env_index(lua_State *L)
{
	lua_pushvalue(L, 2);
	if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL)
		return 1;
	if (lua_type(L, 2) == LUA_TSTRING)
		return luaL_error(L, "unknown name '%s'", lua_tostring(L, 2));
	return luaL_error(L, "unknown name");
}

static int
env_newindex(lua_State *L)
{
	if (lua_type(L, 2) == LUA_TSTRING)
		return luaL_error(L, "cannot set global '%s' (declare it "
		    "with 'local')", lua_tostring(L, 2));
	return luaL_error(L, "cannot set globals");
}

static int
frozen_newindex(lua_State *L)
{
	if (lua_type(L, 2) == LUA_TSTRING)
		return luaL_error(L, "the library is read-only (cannot set "
		    "'%s')", lua_tostring(L, 2));
	return luaL_error(L, "the library is read-only");
}

/* next() over the real table behind a proxy (upvalue 1). */
static int
frozen_next(lua_State *L)
{
	lua_settop(L, 2);
	if (lua_next(L, lua_upvalueindex(1)))
		return 2;
	lua_pushnil(L);
	return 1;
}

/* __pairs of a proxy: iterate without handing out the real table. */
static int
frozen_pairs(lua_State *L)
{
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_pushcclosure(L, frozen_next, 1);
	lua_pushvalue(L, 1);
	lua_pushnil(L);
	return 3;
}

/* crm.array(t): mark t so it is encoded as a JSON array, even empty. */
static int
crm_array(lua_State *L)
{
	if (lua_isnoneornil(L, 1))
		lua_newtable(L);
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_settop(L, 1);
	if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
		return luaL_error(L, "cannot change a protected metatable");
	lua_rawgetp(L, LUA_REGISTRYINDEX, &key_arraymt);
	lua_setmetatable(L, 1);
	return 1;
}

/* Rule names: [a-z0-9_/]+, no empty path segment; '.' never allowed. */
static int
name_ok(const char *s)
{
	size_t	 i, n;

	if (s == NULL || (n = strlen(s)) == 0 || n > RULES_NAME_MAX)
		return 0;
	if (s[0] == '/' || s[n - 1] == '/')
		return 0;
	for (i = 0; i < n; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '/'))
			return 0;
		if (s[i] == '/' && s[i + 1] == '/')
			return 0;
	}
	return 1;
}

static struct rfile *
file_find(struct rules *r, const char *name)
{
	struct rfile	*f;

	for (f = r->files; f != NULL; f = f->next)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

static int
file_path(const struct rules *r, const char *name, char *buf, size_t sz)
{
	int	 n;

	n = snprintf(buf, sz, "%s/%s.lua", r->dir, name);
	return n > 0 && (size_t)n < sz ? 0 : -1;
}

static void
ident_of(const struct stat *st, struct ident *id)
{
	memset(id, 0, sizeof(*id));
	id->exists = 1;
	id->dev = st->st_dev;
	id->ino = st->st_ino;
	id->size = st->st_size;
	id->mtim = st->st_mtim;
	id->ctim = st->st_ctim;
}

static void
file_ident(const struct rules *r, const char *name, struct ident *id)
{
	char		 path[PATH_MAX];
	struct stat	 st;

	memset(id, 0, sizeof(*id));
	if (file_path(r, name, path, sizeof(path)) == 0 &&
	    stat(path, &st) == 0)
		ident_of(&st, id);
}

static int
ident_eq(const struct ident *a, const struct ident *b)
{
	if (a->exists != b->exists)
		return 0;
	if (!a->exists)
		return 1;
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	    a->mtim.tv_sec == b->mtim.tv_sec &&
	    a->mtim.tv_nsec == b->mtim.tv_nsec &&
	    a->ctim.tv_sec == b->ctim.tv_sec &&
	    a->ctim.tv_nsec == b->ctim.tv_nsec;
}

/*
 * The file's entry.  A new one is made for a file that exists, or for any
 * file when missing is set (a file required by another one: its absence
 * is a fault to report, and its arrival must trigger a reload).
 */
static struct rfile *
file_lookup(struct rules *r, const char *name, int missing)
{
	struct rfile	*f;
	struct ident	 id;

	if ((f = file_find(r, name)) != NULL)
		return f;
	file_ident(r, name, &id);
	if ((!id.exists && !missing) || (f = calloc(1, sizeof(*f))) == NULL)
		return NULL;
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->ref = LUA_NOREF;
	f->next = r->files;
	r->files = f;
	return f;
}

static void
file_seterr(struct rules *r, struct rfile *f, const char *msg)
{
	free(f->err);
	f->err = strdup(msg);
	f->errseq = ++r->errseq;
	log_err("rules: %s%s", msg, f->ref != LUA_NOREF ?
	    " (the last good version stays active)" : "");
}

/*
 * Read the whole file (C memory, no Lua call while the descriptor is open).
 * Returns the text (malloc, NUL-terminated; the caller frees) or NULL with
 * *retry set when the file changed while being read.
 */
static char *
file_read(const char *path, size_t *lenp, struct ident *id, int *retry,
    char *err, size_t errsz)
{
	struct stat	 st;
	char		*buf = NULL;
	size_t		 n = 0, want;
	ssize_t		 k;
	int		 fd;

	*retry = 0;
	/* O_NONBLOCK: a FIFO in rules/ must not hang the worker. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1) {
		snprintf(err, errsz, "%s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		snprintf(err, errsz, "not a regular file");
		goto done;
	}
	if (st.st_size > RULES_FILE_MAX) {
		snprintf(err, errsz, "file larger than %d bytes",
		    RULES_FILE_MAX);
		goto done;
	}
	want = (size_t)st.st_size;
	if ((buf = malloc(want + 2)) == NULL) {
		snprintf(err, errsz, "out of memory");
		goto done;
	}
	/* One byte more than expected tells a file still growing. */
	while (n < want + 1) {
		k = read(fd, buf + n, want + 1 - n);
		if (k == -1 && errno == EINTR)
			continue;
		if (k == -1) {
			snprintf(err, errsz, "%s", strerror(errno));
			free(buf);
			buf = NULL;
			goto done;
		}
		if (k == 0)
			break;
		n += (size_t)k;
	}
	if (n != want) {
		*retry = 1;
		snprintf(err, errsz, "file changed while being read");
		free(buf);
		buf = NULL;
		goto done;
	}
	buf[n] = '\0';
	*lenp = n;
	ident_of(&st, id);
done:
	close(fd);
	return buf;
}

/*
 * The message handler of every protected call: remember where the error
 * happened and a short traceback, without allocating (it also runs when
 * memory is exhausted).  The error value is returned unchanged.
 */
static int
msgh(lua_State *L)
{
	struct rules	*r = rules_of(L);
	lua_Debug	 ar;
	size_t		 off = 0;
	int		 level, n;

	r->where[0] = '\0';
	r->trace[0] = '\0';
	for (level = 1; lua_getstack(L, level, &ar); level++) {
		if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0)
			continue;
		if (r->where[0] == '\0')
			snprintf(r->where, sizeof(r->where), "%s:%d",
			    ar.short_src, ar.currentline);
		if (off < sizeof(r->trace)) {
			n = snprintf(r->trace + off, sizeof(r->trace) - off,
			    "%s%s:%d", off ? " < " : "", ar.short_src,
			    ar.currentline);
			if (n > 0)
				off += (size_t)n;
		}
	}
	return 1;
}

/*
 * Turn the error value on top of the stack into "rules/NAME.lua:LINE:
 * message" in buf, using only calls that cannot raise.  A message without
 * a position gets where the error was raised; when loading, only a place
 * inside the file itself (not in the file that required it).
 */
static void
fmt_error(struct rules *r, lua_State *L, const char *name, int status,
    int loading, char *buf, size_t sz)
{
	const char	*reason, *msg;
	char		 num[64], own[RULES_NAME_MAX + 16];
	const char	*where;
	size_t		 ownlen;

	if (status == LUA_ERRMEM)
		r->mem_hit = 1;
	if ((reason = doom_reason(r)) != NULL) {
		where = r->budget_hit || r->time_hit ? r->hitwhere : r->where;
		if (where[0] == '\0')
			where = r->memwhere;
		if (where[0] != '\0')
			snprintf(buf, sz, "%s: %s", where, reason);
		else
			snprintf(buf, sz, "rules/%s.lua: %s", name, reason);
		return;
	}
	if (lua_type(L, -1) == LUA_TSTRING)
		msg = lua_tostring(L, -1);
	else if (lua_type(L, -1) == LUA_TNUMBER) {
		if (lua_isinteger(L, -1))
			snprintf(num, sizeof(num), LUA_INTEGER_FMT,
			    (LUAI_UACINT)lua_tointeger(L, -1));
		else
			snprintf(num, sizeof(num), "%.14g",
			    (double)lua_tonumber(L, -1));
		msg = num;
	} else {
		snprintf(num, sizeof(num), "error object is a %s value",
		    luaL_typename(L, -1));
		msg = num;
	}
	ownlen = (size_t)snprintf(own, sizeof(own), "rules/%s.lua:", name);
	if (strncmp(msg, "rules/", 6) == 0)
		snprintf(buf, sz, "%s", msg);
	else if (r->where[0] != '\0' &&
	    (!loading || strncmp(r->where, own, ownlen) == 0))
		snprintf(buf, sz, "%s: %s", r->where, msg);
	else
		snprintf(buf, sz, "%s %s", own, msg);
}

/* Runs protected: compile text as the file's chunk, run it, keep its table. */
static int
load_main(lua_State *L)
{
	struct loadctx	*c = lua_touserdata(L, 1);
	char		 chunk[RULES_NAME_MAX + 16];

	snprintf(chunk, sizeof(chunk), "@rules/%s.lua", c->f->name);
	/* "t": text only, a precompiled (bytecode) chunk is refused. */
	if (luaL_loadbufferx(L, c->text, c->len, chunk, "t") != LUA_OK)
		return lua_error(L);
	lua_newtable(L);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &key_envmt);
	lua_setmetatable(L, -2);
	(void)lua_setupvalue(L, -2, 1);		/* its _ENV */
	lua_call(L, 0, 1);
	if (lua_type(L, -1) != LUA_TTABLE) {
		lua_pushfstring(L, "rules/%s.lua: must return a table, not %s",
		    c->f->name, luaL_typename(L, -1));
		return lua_error(L);
	}
	c->newref = luaL_ref(L, LUA_REGISTRYINDEX);
	if (c->oldref != LUA_NOREF)
		luaL_unref(L, LUA_REGISTRYINDEX, c->oldref);
	return 0;
}

/*
 * Make text the active version of f.  Returns 0, or -1 with the error kept
 * in f->err (a limit hit by the call is not the file's fault: nothing is
 * recorded and the file is tried again next time).  from_good says text is
 * the last good version, not what is on disk now, so success does not
 * clear the disk version's error.  Never raises.
 */
static int
file_load(struct rules *r, struct rfile *f, const char *text, size_t len,
    int from_good)
{
	lua_State	*L = r->L;
	struct loadctx	 c;
	struct rfile	*prev = r->loading;
	char		 err[RULES_ERR_MAX];
	int		 status, base;

	if (r->load_depth >= RULES_NEST_MAX) {
		snprintf(err, sizeof(err), "rules/%s.lua: crm.require nested "
		    "more than %d deep", f->name, RULES_NEST_MAX);
		file_seterr(r, f, err);
		return -1;
	}
	if (!lua_checkstack(L, 4)) {
		r->mem_hit = 1;
		f->has_tried = 0;
		return -1;
	}
	memset(&c, 0, sizeof(c));
	c.r = r;
	c.f = f;
	c.text = text;
	c.len = len;
	c.oldref = f->ref;
	c.newref = LUA_NOREF;
	f->loading = 1;
	f->npdeps = 0;
	r->loading = f;
	r->load_depth++;
	base = lua_gettop(L);
	lua_pushcfunction(L, msgh);
	lua_pushcfunction(L, load_main);
	lua_pushlightuserdata(L, &c);
	status = lua_pcall(L, 1, 0, base + 1);
	f->loading = 0;
	r->loading = prev;
	r->load_depth--;
	if (status == LUA_OK) {
		lua_settop(L, base);
		f->ref = c.newref;
		f->gen++;
		free(f->deps);
		f->deps = f->pdeps;
		f->ndeps = f->npdeps;
		f->pdeps = NULL;
		f->npdeps = f->pdepcap = 0;
		if (!from_good) {
			free(f->err);
			f->err = NULL;
		}
		return 0;
	}
	if (status == LUA_ERRMEM) {
		r->mem_hit = 1;
		doom(r, L, NULL);
	}
	if (doomed(r)) {
		lua_settop(L, base);
		f->has_tried = 0;
		return -1;
	}
	fmt_error(r, L, f->name, status, 1, err, sizeof(err));
	lua_settop(L, base);
	file_seterr(r, f, err);
	return -1;
}

/* Refresh each of n deps; 1 when one of them was reloaded since. */
static int
deps_changed(struct rules *r, struct rdep *d, size_t n, int depth)
{
	size_t	 i;
	int	 changed = 0;

	for (i = 0; i < n; i++) {
		file_refresh(r, d[i].f, depth + 1);
		if (d[i].f->gen != d[i].gen)
			changed = 1;
	}
	return changed;
}

/*
 * Bring f up to date: reload it when the file changed, or when a file it
 * required at load time was reloaded (also after a failed load, so fixing
 * a required file fixes its users), and make sure some good version is
 * active when one was ever loaded.  Never raises.
 */
static void
file_refresh(struct rules *r, struct rfile *f, int depth)
{
	struct ident	 id;
	char		 path[PATH_MAX], err[RULES_ERR_MAX], why[256];
	char		*text;
	size_t		 i, len = 0;
	int		 changed, stale = 0, retry = 0;

	if (f->loading || depth > RULES_NEST_MAX || doomed(r))
		return;
	file_ident(r, f->name, &id);
	changed = !f->has_tried || !ident_eq(&id, &f->tried);
	if (!changed && f->err != NULL && f->npdeps > 0)
		changed = deps_changed(r, f->pdeps, f->npdeps, depth);
	if (!changed && f->ref != LUA_NOREF) {
		stale = deps_changed(r, f->deps, f->ndeps, depth);
		if (!stale)
			return;
	}
	if (changed) {
		f->tried = id;
		f->has_tried = 1;
		text = NULL;
		if (!id.exists)
			snprintf(why, sizeof(why), "file is missing");
		else if (file_path(r, f->name, path, sizeof(path)) == -1)
			snprintf(why, sizeof(why), "path too long");
		else
			text = file_read(path, &len, &f->tried, &retry, why,
			    sizeof(why));
		if (text == NULL) {
			if (retry)
				f->has_tried = 0;
			snprintf(err, sizeof(err), "rules/%s.lua: %s",
			    f->name, why);
			file_seterr(r, f, err);
		} else if (file_load(r, f, text, len, 0) == 0) {
			free(f->good);
			f->good = text;
			f->goodlen = len;
			return;
		} else
			free(text);
	}
	/* The state was rebuilt, or a required file changed: the good text. */
	if (doomed(r) || f->good == NULL || (f->ref != LUA_NOREF && !stale))
		return;
	if (file_load(r, f, f->good, f->goodlen, 1) == -1 && stale &&
	    !doomed(r)) {
		/* Do not retry at every call; the next change will. */
		for (i = 0; i < f->ndeps; i++)
			f->deps[i].gen = f->deps[i].f->gen;
	}
}

static void
dep_add(struct rfile *to, struct rfile *dep)
{
	struct rdep	*nd;
	size_t		 i;

	for (i = 0; i < to->npdeps; i++)
		if (to->pdeps[i].f == dep) {
			to->pdeps[i].gen = dep->gen;
			return;
		}
	if (to->npdeps == to->pdepcap) {
		/* Best effort: without the entry, only a reload is missed. */
		nd = reallocarray(to->pdeps, to->pdepcap + 4, sizeof(*nd));
		if (nd == NULL)
			return;
		to->pdeps = nd;
		to->pdepcap += 4;
	}
	to->pdeps[to->npdeps].f = dep;
	to->pdeps[to->npdeps].gen = dep->gen;
	to->npdeps++;
}

/* Push the table of rule file name, loading it if needed, or raise. */
static void
file_get(lua_State *L, struct rules *r, const char *name)
{
	struct rfile	*f;

	if ((f = file_lookup(r, name, r->loading != NULL)) == NULL) {
		luaL_where(L, 1);
		lua_pushfstring(L, "rules/%s.lua: not found", name);
		lua_concat(L, 2);
		lua_error(L);
	}
	if (f->loading) {
		luaL_where(L, 1);
		lua_pushfstring(L, "rules/%s.lua: circular crm.require (the "
		    "file is still loading)", name);
		lua_concat(L, 2);
		lua_error(L);
	}
	file_refresh(r, f, 0);
	if (doomed(r))
		luaL_error(L, "%s", doom_reason(r));
	if (r->loading != NULL)
		dep_add(r->loading, f);
	if (f->ref == LUA_NOREF) {
		/* The requiring line (none for a direct call), then why. */
		luaL_where(L, 1);
		if (f->err != NULL)
			lua_pushstring(L, f->err);
		else
			lua_pushfstring(L, "rules/%s.lua: not found", name);
		lua_concat(L, 2);
		lua_error(L);
	}
	lua_rawgeti(L, LUA_REGISTRYINDEX, f->ref);
}

/* crm.require(name): the table another rule file returns. */
static int
crm_require(lua_State *L)
{
	struct rules	*r = rules_of(L);
	const char	*name = luaL_checkstring(L, 1);

	if (!name_ok(name))
		return luaL_error(L, "crm.require: bad rule name '%s' (use "
		    "a-z, 0-9, _ and / only, without .lua)", name);
	file_get(L, r, name);
	return 1;
}

/* ------------------------------------------------------- JSON to Lua */

static void
push_json(lua_State *L, json_t *v, int depth, int top)
{
	const char	*key;
	size_t		 klen, i, n;
	json_t		*e;

	luaL_checkstack(L, 4, "arguments nested too deeply");
	if (depth > RULES_DEPTH_MAX)
		luaL_error(L, "arguments nested deeper than %d levels",
		    RULES_DEPTH_MAX);
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		n = json_object_size(v);
		lua_createtable(L, 0, n > INT_MAX ? INT_MAX : (int)n);
		/* A null member is simply absent: doc.x == nil. */
		json_object_keylen_foreach(v, key, klen, e) {
			if (json_is_null(e))
				continue;
			lua_pushlstring(L, key, klen);
			push_json(L, e, depth + 1, 0);
			lua_rawset(L, -3);
		}
		break;
	case JSON_ARRAY:
		n = json_array_size(v);
		lua_createtable(L, n > INT_MAX ? INT_MAX : (int)n, 0);
		for (i = 0; i < n; i++) {
			push_json(L, json_array_get(v, i), depth + 1, 0);
			lua_rawseti(L, -2, (lua_Integer)i + 1);
		}
		lua_rawgetp(L, LUA_REGISTRYINDEX, &key_arraymt);
		lua_setmetatable(L, -2);
		break;
	case JSON_STRING:
		lua_pushlstring(L, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		lua_pushinteger(L, (lua_Integer)json_integer_value(v));
		break;
	case JSON_REAL:
		lua_pushnumber(L, (lua_Number)json_real_value(v));
		break;
	case JSON_TRUE:
		lua_pushboolean(L, 1);
		break;
	case JSON_FALSE:
		lua_pushboolean(L, 0);
		break;
	case JSON_NULL:
		/* In an array, crm.null keeps the positions. */
		if (top)
			lua_pushnil(L);
		else
			lua_pushlightuserdata(L, NULL);
		break;
	default:
		abort();
	}
}

/* ------------------------------------------------------- Lua to JSON */

/*
 * The result is written straight into a buf in the request arena, keys
 * sorted, in the same form jansson's compact dump would give.  It runs
 * protected: an error is raised with the path of the offending value.
 */
struct encseg {
	const char	*key;		/* NULL: an array index */
	size_t		 klen;
	lua_Integer	 i;
};

struct enc {
	struct buf	*b;
	struct arena	*a;
	int		 depth;		/* tables entered; path[depth - 1] */
	struct encseg	 path[RULES_DEPTH_MAX + 1];
};

/*
 * One key of an object: a Lua string (s), or an integer written in num.
 * qsort moves these, so the text is always found through key_text().
 */
struct enckey {
	const char	*s;
	size_t		 len;
	lua_Integer	 i;
	int		 isint;
	char		 num[24];
};

static const char *
key_text(const struct enckey *k)
{
	return k->isint ? k->num : k->s;
}

static void	enc_value(lua_State *, struct enc *, int);

static void
enc_fail(lua_State *L, struct enc *e, const char *what)
{
	char	 path[160];
	size_t	 off = 0;
	int	 k, n;

	path[0] = '\0';
	for (k = 0; k < e->depth && off < sizeof(path); k++) {
		if (e->path[k].key != NULL)
			n = snprintf(path + off, sizeof(path) - off, ".%.*s",
			    (int)(e->path[k].klen > 24 ? 24 : e->path[k].klen),
			    e->path[k].key);
		else
			n = snprintf(path + off, sizeof(path) - off, "[%lld]",
			    (long long)e->path[k].i);
		if (n > 0)
			off += (size_t)n;
	}
	lua_pushfstring(L, "cannot encode the result%s%s: %s",
	    path[0] ? " at result" : "", path, what);
	lua_error(L);
}

/*
 * Length of the valid UTF-8 sequence at s (RFC 3629: no overlong forms,
 * no surrogates, nothing past U+10FFFF), or 0.
 */
static size_t
utf8_seq(const unsigned char *s, size_t n)
{
	size_t	 len, k;

	if (s[0] < 0x80)
		return 1;
	if (s[0] < 0xC2)
		return 0;
	len = s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : s[0] < 0xF5 ? 4 : 0;
	if (len == 0 || n < len)
		return 0;
	for (k = 1; k < len; k++)
		if ((s[k] & 0xC0) != 0x80)
			return 0;
	if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0) ||
	    (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))
		return 0;
	return len;
}

/* A JSON string (RFC 8259 section 7): quote, backslash, controls escaped. */
static void
enc_string(lua_State *L, struct enc *e, const char *s, size_t len)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0, start = 0, n;
	char			 esc[8];

	buf_putc(e->b, '"');
	while (i < len) {
		if (u[i] >= 0x80) {
			if ((n = utf8_seq(u + i, len - i)) == 0)
				enc_fail(L, e, "a string that is not valid UTF-8");
			i += n;
			continue;
		}
		if (u[i] >= 0x20 && u[i] != '"' && u[i] != '\\') {
			i++;
			continue;
		}
		buf_write(e->b, s + start, i - start);
		switch (u[i]) {
		case '"':
			buf_puts(e->b, "\\\"");
			break;
		case '\\':
			buf_puts(e->b, "\\\\");
			break;
		case '\b':
			buf_puts(e->b, "\\b");
			break;
		case '\f':
			buf_puts(e->b, "\\f");
			break;
		case '\n':
			buf_puts(e->b, "\\n");
			break;
		case '\r':
			buf_puts(e->b, "\\r");
			break;
		case '\t':
			buf_puts(e->b, "\\t");
			break;
		default:
			snprintf(esc, sizeof(esc), "\\u%04x", u[i]);
			buf_puts(e->b, esc);
			break;
		}
		start = ++i;
	}
	buf_write(e->b, s + start, i - start);
	buf_putc(e->b, '"');
}

static void
enc_number(lua_State *L, struct enc *e, int idx)
{
	char	 num[40], *x, *p;
	double	 d;

	if (lua_isinteger(L, idx)) {
		snprintf(num, sizeof(num), "%lld", (long long)lua_tointeger(L, idx));
		buf_puts(e->b, num);
		return;
	}
	d = (double)lua_tonumber(L, idx);
	if (!isfinite(d))
		enc_fail(L, e, "NaN or infinity");
	/* 15 digits: a decimal read from JSON comes back as it was. */
	snprintf(num, sizeof(num), "%.15g", d);
	/* As jansson writes reals: 1e300 not 1e+300, 1e-7 not 1e-07, 3.0. */
	if ((x = strchr(num, 'e')) != NULL) {
		p = x + 1;
		if (*p == '+')
			memmove(p, p + 1, strlen(p + 1) + 1);
		else if (*p == '-')
			p++;
		while (p[0] == '0' && p[1] != '\0')
			memmove(p, p + 1, strlen(p + 1) + 1);
	} else if (strchr(num, '.') == NULL)
		strcat(num, ".0");
	buf_puts(e->b, num);
}

static int
enc_is_array(lua_State *L, int idx)
{
	int	 yes;

	if (!lua_getmetatable(L, idx))
		return 0;
	lua_rawgetp(L, LUA_REGISTRYINDEX, &key_arraymt);
	yes = lua_rawequal(L, -1, -2);
	lua_pop(L, 2);
	return yes;
}

static void
enc_array(lua_State *L, struct enc *e, int idx, lua_Integer n)
{
	lua_Integer	 i;

	buf_putc(e->b, '[');
	for (i = 1; i <= n; i++) {
		if (i > 1)
			buf_putc(e->b, ',');
		e->path[e->depth - 1].key = NULL;
		e->path[e->depth - 1].i = i;
		lua_rawgeti(L, idx, i);
		enc_value(L, e, lua_gettop(L));
		lua_pop(L, 1);
	}
	buf_putc(e->b, ']');
}

static int
enckey_cmp(const void *a, const void *b)
{
	const struct enckey	*x = a, *y = b;
	int			 c;

	c = memcmp(key_text(x), key_text(y), x->len < y->len ? x->len : y->len);
	if (c != 0)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

static void
enc_object(lua_State *L, struct enc *e, int idx, size_t n)
{
	struct enckey	*keys;
	size_t		 k = 0;

	if (n == 0) {
		buf_puts(e->b, "{}");
		return;
	}
	if ((keys = arena_calloc(e->a, n, sizeof(*keys))) == NULL)
		enc_fail(L, e, "out of memory");
	lua_pushnil(L);
	while (lua_next(L, idx) && k < n) {
		if (lua_type(L, -2) == LUA_TSTRING)
			keys[k].s = lua_tolstring(L, -2, &keys[k].len);
		else if (lua_isinteger(L, -2)) {
			keys[k].isint = 1;
			keys[k].i = lua_tointeger(L, -2);
			snprintf(keys[k].num, sizeof(keys[k].num), "%lld",
			    (long long)keys[k].i);
			keys[k].len = strlen(keys[k].num);
		} else
			enc_fail(L, e, lua_type(L, -2) == LUA_TNUMBER ?
			    "a table key that is a fractional number" :
			    "a table key that is not a string");
		k++;
		lua_pop(L, 1);
	}
	/* Sorted keys: the same table always gives the same text. */
	qsort(keys, k, sizeof(*keys), enckey_cmp);
	buf_putc(e->b, '{');
	for (n = 0; n < k; n++) {
		if (n > 0)
			buf_putc(e->b, ',');
		e->path[e->depth - 1].key = key_text(&keys[n]);
		e->path[e->depth - 1].klen = keys[n].len;
		enc_string(L, e, key_text(&keys[n]), keys[n].len);
		buf_putc(e->b, ':');
		if (keys[n].isint)
			lua_rawgeti(L, idx, keys[n].i);
		else {
			/* Keys live in the table, so this finds the same string. */
			lua_pushlstring(L, keys[n].s, keys[n].len);
			lua_rawget(L, idx);
		}
		enc_value(L, e, lua_gettop(L));
		lua_pop(L, 1);
	}
	buf_putc(e->b, '}');
}

static void
enc_table(lua_State *L, struct enc *e, int idx)
{
	lua_Integer	 k, max = 0;
	size_t		 n = 0;
	int		 seq = 1;

	if (e->depth >= RULES_DEPTH_MAX)
		enc_fail(L, e, "tables nested too deeply (a cycle?)");
	luaL_checkstack(L, 4, "result nested too deeply");
	e->depth++;
	if (enc_is_array(L, idx))
		enc_array(L, e, idx, (lua_Integer)lua_rawlen(L, idx));
	else {
		/*
		 * A sequence 1..n (n > 0) is an array, anything else an object:
		 * n distinct positive integer keys whose largest is n are 1..n.
		 */
		lua_pushnil(L);
		while (lua_next(L, idx)) {
			n++;
			if (!lua_isinteger(L, -2) ||
			    (k = lua_tointeger(L, -2)) < 1)
				seq = 0;
			else if (k > max)
				max = k;
			lua_pop(L, 1);
		}
		if (seq && n > 0 && (size_t)max == n)
			enc_array(L, e, idx, max);
		else
			enc_object(L, e, idx, n);
	}
	e->depth--;
}

static void
enc_value(lua_State *L, struct enc *e, int idx)
{
	const char	*s;
	size_t		 len;

	switch (lua_type(L, idx)) {
	case LUA_TNIL:
		buf_puts(e->b, "null");
		break;
	case LUA_TBOOLEAN:
		buf_puts(e->b, lua_toboolean(L, idx) ? "true" : "false");
		break;
	case LUA_TNUMBER:
		enc_number(L, e, idx);
		break;
	case LUA_TSTRING:
		s = lua_tolstring(L, idx, &len);
		enc_string(L, e, s, len);
		break;
	case LUA_TLIGHTUSERDATA:
		if (lua_touserdata(L, idx) != NULL)
			enc_fail(L, e, "a userdata value");
		buf_puts(e->b, "null");		/* crm.null */
		break;
	case LUA_TTABLE:
		enc_table(L, e, idx);
		break;
	case LUA_TFUNCTION:
		enc_fail(L, e, "a function value");
		break;
	default:
		enc_fail(L, e, "a value of an unsupported type");
		break;
	}
	if (e->b->overflow)
		enc_fail(L, e, "larger than the output limit");
}

/* Runs protected: encode the value at 2 with the struct enc at 1. */
static int
encode_main(lua_State *L)
{
	struct enc	*e = lua_touserdata(L, 1);

	enc_value(L, e, 2);
	return 0;
}

/*
 * Encode the value on top of the stack as JSON into the arena.  Returns
 * the text, or NULL with the message in err.
 */
static char *
encode_result(struct rules *r, struct arena *a, char *err, size_t errsz)
{
	lua_State	*L = r->L;
	struct enc	*e;
	struct buf	 b;
	int		 status;

	/* A few hundred bytes for the path: from the arena, not the C stack. */
	if ((e = arena_calloc(a, 1, sizeof(*e))) == NULL) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	buf_init(&b, a, RULES_OUT_MAX);
	e->b = &b;
	e->a = a;
	lua_pushcfunction(L, encode_main);
	lua_pushlightuserdata(L, e);
	lua_pushvalue(L, -3);
	status = lua_pcall(L, 2, 0, 0);
	if (status == LUA_OK && !b.overflow && b.len > 0)
		return b.data;
	if (status == LUA_OK)
		snprintf(err, errsz, "cannot encode the result: larger than "
		    "%d bytes", RULES_OUT_MAX);
	else if (status == LUA_ERRMEM)
		snprintf(err, errsz, "memory cap exceeded");
	else
		snprintf(err, errsz, "%s", lua_type(L, -1) == LUA_TSTRING ?
		    lua_tostring(L, -1) : "cannot encode the result");
	lua_pop(L, 1);
	return NULL;
}

/* ------------------------------------------------------- the state */

static void
wrap(lua_State *L, const char *name, lua_CFunction fn)
{
	lua_getfield(L, -1, name);
	lua_pushcclosure(L, fn, 1);
	lua_setfield(L, -2, name);
}

/* Replace the table on top of the stack by a read-only proxy of it. */
static void
freeze(lua_State *L)
{
	int	 real = lua_gettop(L);

	lua_newtable(L);			/* proxy */
	lua_createtable(L, 0, 4);		/* its metatable */
	lua_pushvalue(L, real);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, frozen_newindex);
	lua_setfield(L, -2, "__newindex");
	lua_pushvalue(L, real);
	lua_pushcclosure(L, frozen_pairs, 1);
	lua_setfield(L, -2, "__pairs");
	/* getmetatable answers this, setmetatable refuses. */
	lua_pushliteral(L, "frozen");
	lua_setfield(L, -2, "__metatable");
	lua_setmetatable(L, -2);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &key_frozen);
	lua_pushvalue(L, -2);
	lua_pushboolean(L, 1);
	lua_rawset(L, -3);
	lua_pop(L, 1);
	lua_replace(L, real);
}

/* Runs protected once per state: libraries, the library table, metatables. */
static int
state_setup(lua_State *L)
{
	static const luaL_Reg libs[] = {
		{ LUA_GNAME, luaopen_base },
		{ LUA_STRLIBNAME, luaopen_string },
		{ LUA_TABLIBNAME, luaopen_table },
		{ LUA_MATHLIBNAME, luaopen_math },
		{ LUA_UTF8LIBNAME, luaopen_utf8 },
		{ NULL, NULL }
	};
	static const char *const gone[] = { "dofile", "loadfile", "load",
	    "require", "collectgarbage", "print", "loadstring", NULL };
	static const char *const copied[] = { "assert", "error", "ipairs",
	    "next", "pairs", "rawequal", "rawget", "rawlen", "select",
	    "tonumber", "tostring", "type", "getmetatable", "_VERSION", NULL };
	static const luaL_Reg own[] = {
		{ "pcall", sb_pcall },
		{ "xpcall", sb_xpcall },
		{ "rawset", sb_rawset },
		{ "setmetatable", sb_setmetatable },
		{ "print", sb_log },
		{ NULL, NULL }
	};
	static const char *const libnames[] = { LUA_STRLIBNAME,
	    LUA_TABLIBNAME, LUA_MATHLIBNAME, LUA_UTF8LIBNAME, NULL };
	const luaL_Reg		*l;
	const char *const	*s;

	for (l = libs; l->name != NULL; l++) {
		luaL_requiref(L, l->name, l->func, 1);
		lua_pop(L, 1);
	}

	/* Unreachable from rules anyway (they never see _G): belt and braces. */
	lua_pushglobaltable(L);
	for (s = gone; *s != NULL; s++) {
		lua_pushnil(L);
		lua_setfield(L, -2, *s);
	}

	/*
	 * The real string table is also the __index of every string, so the
	 * wrappers go into it; the table itself is never handed to a rule.
	 */
	lua_getfield(L, -1, LUA_STRLIBNAME);
	lua_pushnil(L);
	lua_setfield(L, -2, "dump");
	wrap(L, "rep", sb_rep);
	wrap(L, "find", sb_find);
	wrap(L, "match", sb_match);
	wrap(L, "gmatch", sb_gmatch);
	wrap(L, "gsub", sb_gsub);
	lua_pop(L, 1);
	lua_getfield(L, -1, LUA_TABLIBNAME);
	wrap(L, "move", sb_tmove);
	wrap(L, "insert", sb_tinsert);
	wrap(L, "remove", sb_tremove);
	wrap(L, "concat", sb_tconcat);
	wrap(L, "unpack", sb_tunpack);
	wrap(L, "sort", sb_tsort);
	lua_pop(L, 1);

	/* getmetatable("") must not hand out the string metatable. */
	lua_pushliteral(L, "");
	if (lua_getmetatable(L, -1)) {
		lua_pushliteral(L, "frozen");
		lua_setfield(L, -2, "__metatable");
		lua_pop(L, 1);
	}
	lua_pop(L, 1);

	lua_newtable(L);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &key_frozen);
	lua_createtable(L, 0, 1);
	lua_pushliteral(L, "array");
	lua_setfield(L, -2, "__metatable");
	lua_rawsetp(L, LUA_REGISTRYINDEX, &key_arraymt);

	/* The library: a whitelist. */
	lua_newtable(L);
	for (s = copied; *s != NULL; s++) {
		lua_getfield(L, -2, *s);
		lua_setfield(L, -2, *s);
	}
	luaL_setfuncs(L, own, 0);
	for (s = libnames; *s != NULL; s++) {
		lua_getfield(L, -2, *s);
		freeze(L);
		lua_setfield(L, -2, *s);
	}
	lua_createtable(L, 0, 4);
	lua_pushcfunction(L, sb_log);
	lua_setfield(L, -2, "log");
	lua_pushcfunction(L, crm_require);
	lua_setfield(L, -2, "require");
	lua_pushcfunction(L, crm_array);
	lua_setfield(L, -2, "array");
	lua_pushlightuserdata(L, NULL);
	lua_setfield(L, -2, "null");
	freeze(L);
	lua_setfield(L, -2, "crm");
	lua_pushvalue(L, -1);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &key_lib);

	/* Every file's _ENV: reads fall back to the library, writes raise. */
	lua_createtable(L, 0, 3);
	lua_pushvalue(L, -2);
	lua_pushcclosure(L, env_index, 1);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, env_newindex);
	lua_setfield(L, -2, "__newindex");
	lua_pushliteral(L, "frozen");
	lua_setfield(L, -2, "__metatable");
	lua_rawsetp(L, LUA_REGISTRYINDEX, &key_envmt);
	lua_settop(L, 0);
	return 0;
}

static lua_State *
state_new(struct rules *r)
{
	lua_State	*L;

	r->in_call = 0;
	if ((L = lua_newstate(rules_alloc, r)) == NULL) {
		log_err("rules: cannot create a Lua state");
		return NULL;
	}
	lua_atpanic(L, rules_panic);
	lua_pushcfunction(L, state_setup);
	if (lua_pcall(L, 0, 0, 0) != LUA_OK) {
		log_err("rules: cannot set up the Lua state: %s",
		    lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?");
		lua_close(L);
		return NULL;
	}
	lua_gc(L, LUA_GCCOLLECT);
	return L;
}

/*
 * Throw the state away and start again.  Every file keeps the text of its
 * last good version and is loaded from it when next used.
 */
static void
state_rebuild(struct rules *r)
{
	struct rfile	*f;

	log_warn("rules: the Lua state keeps %zu bytes after a full "
	    "collection (cap %zu): rebuilding it", r->used, r->mem_cap);
	lua_close(r->L);
	for (f = r->files; f != NULL; f = f->next) {
		f->ref = LUA_NOREF;
		f->loading = 0;
	}
	r->L = state_new(r);
}

/*
 * The timer of a timed call (rules_call_rows).  At the wall-clock limit
 * its signal hooks the state, and the hook stops the call as the counting
 * hook would have (lua_sethook may be called from a signal handler: lua.c
 * stops a script on SIGINT so).  A state runs on its own thread only (no
 * coroutine library), so hooking r->L covers all of the call.
 */
static lua_State *volatile	 tick_L;	/* the state in a timed call */
static timer_t			 tick_timer;
static pid_t			 tick_pid;	/* timers do not survive fork */

static void
tick(int sig)
{
	lua_State	*L = tick_L;

	(void)sig;
	if (L != NULL)
		lua_sethook(L, rules_hook, LUA_MASKCOUNT, 1);
}

/* Start the call's timer; -1 when there is none (count instead). */
static int
tick_arm(lua_State *L, long ms)
{
	struct itimerspec	 its;
	struct sigevent		 sev;
	struct sigaction	 sa;
	pid_t			 pid = getpid();

	if (tick_pid != pid) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = tick;
		sa.sa_flags = SA_RESTART;
		sigemptyset(&sa.sa_mask);
		memset(&sev, 0, sizeof(sev));
		sev.sigev_notify = SIGEV_SIGNAL;
		sev.sigev_signo = SIGRTMIN + 1;
		if (sigaction(SIGRTMIN + 1, &sa, NULL) == -1 ||
		    timer_create(CLOCK_MONOTONIC, &sev, &tick_timer) == -1)
			return -1;
		tick_pid = pid;
	}
	tick_L = L;
	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = ms / 1000;
	its.it_value.tv_nsec = (ms % 1000) * 1000000L;
	if (timer_settime(tick_timer, 0, &its, NULL) == -1) {
		tick_L = NULL;
		return -1;
	}
	return 0;
}

static void
tick_disarm(void)
{
	struct itimerspec	 its;

	if (tick_L == NULL)
		return;
	tick_L = NULL;
	memset(&its, 0, sizeof(its));
	(void)timer_settime(tick_timer, 0, &its, NULL);
}

static void
call_begin(struct rules *r)
{
	struct rfile	*f;
	size_t		 allowance = r->mem_cap / 4;

	r->in_call = 1;
	r->instr_used = 0;
	r->budget_hit = r->time_hit = r->mem_hit = 0;
	r->hitwhere[0] = r->where[0] = r->trace[0] = r->memwhere[0] = '\0';
	r->deadline = now_ms() + RULES_TIME_MS;
	r->call_limit = r->used < r->mem_cap - allowance ?
	    r->used + allowance : r->mem_cap;
	r->mem_high = r->call_limit - (r->call_limit - r->used) / 4;
	/* A raise that skipped a clean-up must not leave a file "loading". */
	r->loading = NULL;
	r->load_depth = 0;
	for (f = r->files; f != NULL; f = f->next)
		f->loading = 0;
	lua_settop(r->L, 0);
	lua_sethook(r->L, NULL, 0, 0);
	if (!r->timed_only || tick_arm(r->L, RULES_TIME_MS + 1) == -1)
		lua_sethook(r->L, rules_hook, LUA_MASKCOUNT, RULES_HOOK_EVERY);
}

/* Leave the state ready for the next call, whatever this one did. */
static void
call_end(struct rules *r)
{
	lua_State	*L = r->L;

	r->in_call = 0;
	r->timed_only = 0;
	tick_disarm();
	if (L == NULL)
		return;
	lua_sethook(L, NULL, 0, 0);
	lua_settop(L, 0);
	if (r->mem_hit || r->used > r->mem_cap / 2)
		lua_gc(L, LUA_GCCOLLECT);
	if (r->used > r->mem_cap / 4 * 3)
		state_rebuild(r);
}

/*
 * Push an array of nrows arrays of ncols strings (cells row by row; a NULL
 * cell is ""), built as Lua tables straight from the C strings.
 */
static void
push_rows(lua_State *L, const char *const *cells, size_t nrows, size_t ncols)
{
	size_t		 i, j;
	const char	*s;

	luaL_checkstack(L, 3, "rows");
	lua_createtable(L, nrows > INT_MAX ? INT_MAX : (int)nrows, 0);
	for (i = 0; i < nrows; i++) {
		lua_createtable(L, ncols > INT_MAX ? INT_MAX : (int)ncols, 0);
		for (j = 0; j < ncols; j++) {
			s = cells[i * ncols + j];
			lua_pushstring(L, s != NULL ? s : "");
			lua_rawseti(L, -2, (lua_Integer)j + 1);
		}
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
}

/* Runs protected: the file's table, then the entry fn called or as is. */
static int
call_main(lua_State *L)
{
	struct callctx	*c = lua_touserdata(L, 1);
	size_t		 i, n;

	lua_settop(L, 0);
	file_get(L, c->r, c->name);
	if (c->fn == NULL)
		return 1;
	if (lua_getfield(L, 1, c->fn) == LUA_TNIL) {
		lua_pushfstring(L, "rules/%s.lua: entry '%s' not found",
		    c->name, c->fn);
		return lua_error(L);
	}
	if (lua_type(L, -1) != LUA_TFUNCTION)
		return 1;
	n = c->args != NULL ? json_array_size(c->args) : 0;
	luaL_checkstack(L, (int)n + 2, "too many arguments");
	for (i = 0; i < n; i++)
		push_json(L, json_array_get(c->args, i), 1, 1);
	if (c->cells != NULL) {
		push_rows(L, c->cells, c->nrows, c->ncols);
		n++;
	}
	lua_call(L, (int)n, 1);
	return 1;
}

/*
 * Begin a call and run call_main protected.  On success returns 0 with
 * the value on top of the stack; else -1 with the message in err.  The
 * caller ends the call with call_end either way.
 */
static int
call_run(struct rules *r, struct callctx *c, char *err, size_t errsz)
{
	lua_State	*L;
	int		 status;

	if (r->L == NULL && (r->L = state_new(r)) == NULL) {
		snprintf(err, errsz, "rules: the Lua engine is unavailable");
		return -1;
	}
	L = r->L;
	call_begin(r);
	lua_pushcfunction(L, msgh);
	lua_pushcfunction(L, call_main);
	lua_pushlightuserdata(L, c);
	status = lua_pcall(L, 1, 1, 1);
	if (status == LUA_OK && !doomed(r))
		return 0;
	fmt_error(r, L, c->name, status, 0, err, errsz);
	if (c->fn != NULL)
		log_warn("rules: %s.%s failed: %s%s%s%s", c->name, c->fn, err,
		    r->trace[0] ? " [at " : "", r->trace,
		    r->trace[0] ? "]" : "");
	return -1;
}

/* --------------------------------------------------------------- API */

/*
 * Open the rules in dir (the folder holding NAME.lua files) with one Lua
 * state.  mem_cap caps the whole state (0: 32 MiB; at least 1 MiB); a call
 * may grow it by a quarter of the cap at most.  instr_budget is the
 * number of Lua instructions one call may run (0 or less: 10 million);
 * a call also stops after one second of wall-clock time.  Nothing is
 * loaded yet.  Returns NULL on failure (logged); free with rules_close.
 */
struct rules *
rules_open(const char *dir, size_t mem_cap, long instr_budget)
{
	struct rules	*r;
	struct stat	 st;

	if (stat(dir, &st) == -1 || !S_ISDIR(st.st_mode))
		log_warn("rules: %s is not a folder: every rule will be "
		    "\"not found\"", dir);
	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->dir = strdup(dir)) == NULL) {
		log_err("rules: out of memory");
		free(r);
		return NULL;
	}
	r->mem_cap = mem_cap ? mem_cap : RULES_MEM_DEFAULT;
	if (r->mem_cap < RULES_MEM_MIN)
		r->mem_cap = RULES_MEM_MIN;
	r->instr_budget = instr_budget > 0 ? instr_budget : RULES_INSTR_DEFAULT;
	if ((r->L = state_new(r)) == NULL) {
		free(r->dir);
		free(r);
		return NULL;
	}
	return r;
}

/* Close the Lua state and free everything rules_open made.  NULL is fine. */
void
rules_close(struct rules *r)
{
	struct rfile	*f, *next;

	if (r == NULL)
		return;
	if (r->L != NULL)
		lua_close(r->L);
	for (f = r->files; f != NULL; f = next) {
		next = f->next;
		free(f->good);
		free(f->err);
		free(f->deps);
		free(f->pdeps);
		free(f);
	}
	free(r->dir);
	free(r);
}

/*
 * Call fn of rules/name.lua.  argjson is a JSON array whose elements are
 * the arguments (NULL: none); inside an object a null member is absent,
 * inside an array it is crm.null.  If fn names a value that is not a
 * function, that value is the result.  On success returns 0 with *out the
 * result as compact JSON (keys sorted) in arena a.  On failure returns -1
 * with *errmsg in a: "rules/name.lua:LINE: message", where the message
 * may be "instruction budget exceeded", "time limit exceeded", "memory
 * cap exceeded" or "not found".  The message is for the log and for
 * admins: it can hold rule text, so never show it to end users as is.
 */
int
rules_call(struct rules *r, struct arena *a, const char *name,
    const char *fn, const char *argjson, char **out, char **errmsg)
{
	static char	 oom[] = "rules: out of memory";
	struct callctx	 c;
	json_error_t	 jerr;
	json_t		*args = NULL;
	char		 err[RULES_ERR_MAX + 64], why[RULES_ERR_MAX];
	int		 rc = -1;

	*out = *errmsg = NULL;
	err[0] = '\0';
	if (!name_ok(name)) {
		snprintf(err, sizeof(err), "rules: bad rule name");
		goto done;
	}
	if (fn == NULL || fn[0] == '\0' || strlen(fn) > RULES_FN_MAX) {
		snprintf(err, sizeof(err), "rules/%s.lua: bad entry name",
		    name);
		goto done;
	}
	if (argjson != NULL) {
		args = json_loads(argjson, JSON_REJECT_DUPLICATES |
		    JSON_ALLOW_NUL, &jerr);
		if (args == NULL || !json_is_array(args)) {
			snprintf(err, sizeof(err), "rules/%s.lua: %s: the "
			    "arguments must be a JSON array", name, fn);
			goto done;
		}
		if (json_array_size(args) > RULES_ARGS_MAX) {
			snprintf(err, sizeof(err), "rules/%s.lua: %s: more "
			    "than %d arguments", name, fn, RULES_ARGS_MAX);
			goto done;
		}
	}
	c.r = r;
	c.name = name;
	c.fn = fn;
	c.args = args;
	c.cells = NULL;
	c.nrows = c.ncols = 0;
	if (call_run(r, &c, why, sizeof(why)) == 0) {
		if ((*out = encode_result(r, a, why, sizeof(why))) != NULL)
			rc = 0;
		else {
			snprintf(err, sizeof(err), "rules/%s.lua: %s: %s", name,
			    fn, why);
			log_warn("rules: %s", err);
		}
	} else
		snprintf(err, sizeof(err), "%s", why);
	call_end(r);
done:
	json_decref(args);
	if (rc == -1 && (*errmsg = arena_strdup(a, err)) == NULL)
		*errmsg = oom;
	return rc;
}

/* See extern.h: rules_call without an entry, for data files (reports). */
int
rules_value(struct rules *r, struct arena *a, const char *name, char **out,
    char **errmsg)
{
	static char	 oom[] = "rules: out of memory";
	struct callctx	 c;
	char		 err[RULES_ERR_MAX + 64], why[RULES_ERR_MAX];
	int		 rc = -1;

	*out = *errmsg = NULL;
	err[0] = '\0';
	if (!name_ok(name)) {
		snprintf(err, sizeof(err), "rules: bad rule name");
		goto done;
	}
	c.r = r;
	c.name = name;
	c.fn = NULL;
	c.args = NULL;
	c.cells = NULL;
	c.nrows = c.ncols = 0;
	if (call_run(r, &c, why, sizeof(why)) == 0) {
		if ((*out = encode_result(r, a, why, sizeof(why))) != NULL)
			rc = 0;
		else
			snprintf(err, sizeof(err), "rules/%s.lua: %s", name,
			    why);
	} else
		snprintf(err, sizeof(err), "%s", why);
	call_end(r);
done:
	if (rc == -1 && (*errmsg = arena_strdup(a, err)) == NULL)
		*errmsg = oom;
	return rc;
}

/* What rows_main walks: the result of a rules_call_rows. */
struct rowsctx {
	struct enc		*e;
	size_t			 nrows;
	const char *const	*fields;
	const int		*as_json;
	size_t			 nfields;
	rules_row_fn		 each;
	void			*arg;
	const char		**vals;
	int			 stopped;
};

/* Runs protected: hand each element of the result (at 2) to the callback. */
static int
rows_main(lua_State *L)
{
	struct rowsctx	*x = lua_touserdata(L, 1);
	struct enc	*e = x->e;
	const char	*s;
	size_t		 i, k, j, n, len;

	if (lua_type(L, 2) != LUA_TTABLE || lua_rawlen(L, 2) != x->nrows)
		return luaL_error(L, "the result must be an array of %d "
		    "tables, one per row", (int)x->nrows);
	luaL_checkstack(L, (int)x->nfields + 4, "result");
	for (i = 0; i < x->nrows; i++) {
		if (lua_rawgeti(L, 2, (lua_Integer)i + 1) != LUA_TTABLE)
			return luaL_error(L, "result[%d] is not a table",
			    (int)i + 1);
		e->path[0].key = NULL;
		e->path[0].i = (lua_Integer)i + 1;
		for (k = 0; k < x->nfields; k++) {
			lua_pushstring(L, x->fields[k]);
			lua_rawget(L, -2);
			if (lua_isnil(L, -1))
				x->vals[k] = NULL;
			else if (x->as_json[k]) {
				/* Each value is encoded into its own buffer. */
				buf_init(e->b, e->a, RULES_OUT_MAX);
				e->depth = 1;
				enc_value(L, e, lua_gettop(L));
				e->depth = 0;
				x->vals[k] = buf_cstr(e->b);
			} else if (lua_type(L, -1) == LUA_TSTRING) {
				/* As the JSON encoder would: UTF-8, no NUL. */
				s = lua_tolstring(L, -1, &len);
				for (j = 0; j < len; j += n)
					if ((n = utf8_seq((const unsigned char *)s +
					    j, len - j)) == 0 || s[j] == '\0')
						return luaL_error(L, "result[%d].%s "
						    "is not valid UTF-8 text",
						    (int)i + 1, x->fields[k]);
				x->vals[k] = s;
			} else
				return luaL_error(L, "result[%d].%s is not a "
				    "string", (int)i + 1, x->fields[k]);
			/* A string stays alive in the row's table. */
			lua_pop(L, 1);
		}
		if (x->each(x->arg, i, x->vals) == -1) {
			x->stopped = 1;
			return 0;
		}
		lua_settop(L, 2);
	}
	return 0;
}

/*
 * See extern.h: fn(args..., rows) with rows built from C strings, and the
 * result handed out row by row without one JSON text of it all.
 */
int
rules_call_rows(struct rules *r, struct arena *a, const char *name,
    const char *fn, const char *argjson, const char *const *cells,
    size_t nrows, size_t ncols, const char *const *fields,
    const int *as_json, size_t nfields, rules_row_fn each, void *arg,
    char **errmsg)
{
	static char	 oom[] = "rules: out of memory";
	struct callctx	 c;
	struct rowsctx	 x;
	struct buf	 b;
	json_error_t	 jerr;
	json_t		*args = NULL;
	char		 err[RULES_ERR_MAX + 64], why[RULES_ERR_MAX];
	int		 rc = -1, status;

	*errmsg = NULL;
	err[0] = '\0';
	memset(&x, 0, sizeof(x));
	if (!name_ok(name) || fn == NULL || fn[0] == '\0' ||
	    strlen(fn) > RULES_FN_MAX) {
		snprintf(err, sizeof(err), "rules: bad rule or entry name");
		goto done;
	}
	if (argjson != NULL) {
		args = json_loads(argjson, JSON_REJECT_DUPLICATES |
		    JSON_ALLOW_NUL, &jerr);
		if (args == NULL || !json_is_array(args) ||
		    json_array_size(args) >= RULES_ARGS_MAX) {
			snprintf(err, sizeof(err), "rules/%s.lua: %s: the "
			    "arguments must be a JSON array of fewer than %d",
			    name, fn, RULES_ARGS_MAX);
			goto done;
		}
	}
	if ((x.e = arena_calloc(a, 1, sizeof(*x.e))) == NULL ||
	    (x.vals = arena_calloc(a, nfields ? nfields : 1,
	    sizeof(*x.vals))) == NULL) {
		snprintf(err, sizeof(err), "%s", oom);
		goto done;
	}
	x.e->b = &b;
	x.e->a = a;
	x.nrows = nrows;
	x.fields = fields;
	x.as_json = as_json;
	x.nfields = nfields;
	x.each = each;
	x.arg = arg;
	c.r = r;
	c.name = name;
	c.fn = fn;
	c.args = args;
	c.cells = cells;
	c.nrows = nrows;
	c.ncols = ncols;
	r->timed_only = 1;	/* see the top of the file */
	if (call_run(r, &c, why, sizeof(why)) == 0) {
		lua_pushcfunction(r->L, rows_main);
		lua_pushlightuserdata(r->L, &x);
		lua_pushvalue(r->L, -3);
		status = lua_pcall(r->L, 2, 0, 0);
		if (status == LUA_OK && !x.stopped)
			rc = 0;
		else if (status == LUA_OK)
			snprintf(err, sizeof(err), "rules/%s.lua: %s: stopped "
			    "by the caller", name, fn);
		else {
			snprintf(err, sizeof(err), "rules/%s.lua: %s: %s", name,
			    fn, status == LUA_ERRMEM ? "memory cap exceeded" :
			    lua_type(r->L, -1) == LUA_TSTRING ?
			    lua_tostring(r->L, -1) : "bad result");
			log_warn("rules: %s", err);
		}
	} else
		snprintf(err, sizeof(err), "%s", why);
	call_end(r);
done:
	json_decref(args);
	if (rc == -1 && (*errmsg = arena_strdup(a, err)) == NULL)
		*errmsg = oom;
	return rc;
}

/* ------------------------------------------------------- rules check */

struct names {
	char	**v;
	size_t	  n;
	size_t	  cap;
};

static int
names_add(struct names *ns, const char *s)
{
	char	**nv;

	if (ns->n == ns->cap) {
		if ((nv = reallocarray(ns->v, ns->cap + 16, sizeof(*nv))) ==
		    NULL)
			return -1;
		ns->v = nv;
		ns->cap += 16;
	}
	if ((ns->v[ns->n] = strdup(s)) == NULL)
		return -1;
	ns->n++;
	return 0;
}

static void
names_free(struct names *ns)
{
	size_t	 i;

	for (i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
	memset(ns, 0, sizeof(*ns));
}

static int
names_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
names_sort(struct names *ns)
{
	if (ns->n > 1)	/* qsort's array may not be NULL, even for 0 */
		qsort(ns->v, ns->n, sizeof(*ns->v), names_cmp);
}

/*
 * Collect NAME for every dir/sub/NAME.lua; into subfolders when recurse
 * is set, skipping the top-level tests/.  Names that break the naming
 * rule are kept (with their ".lua") so the check can report them.
 */
static void
list_lua(const char *dir, const char *sub, int recurse, int depth,
    struct names *ns)
{
	char		 path[PATH_MAX], name[PATH_MAX];
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	size_t		 len;

	if (snprintf(path, sizeof(path), "%s%s%s", dir, sub[0] ? "/" : "",
	    sub) >= (int)sizeof(path) || (d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (snprintf(name, sizeof(name), "%s%s%s", sub,
		    sub[0] ? "/" : "", de->d_name) >= (int)sizeof(name) ||
		    snprintf(path, sizeof(path), "%s/%s", dir, name) >=
		    (int)sizeof(path) || stat(path, &st) == -1)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (recurse && depth < RULES_DIR_DEPTH &&
			    !(sub[0] == '\0' && strcmp(de->d_name, "tests") == 0))
				list_lua(dir, name, recurse, depth + 1, ns);
			continue;
		}
		len = strlen(name);
		if (!S_ISREG(st.st_mode) || len < 5 ||
		    strcmp(name + len - 4, ".lua") != 0)
			continue;
		name[len - 4] = '\0';
		if (!name_ok(name))
			name[len - 4] = '.';
		(void)names_add(ns, name);
	}
	closedir(d);
}

/* Bring one file up to date in a call of its own (its own budget). */
static void
refresh_one(struct rules *r, const char *name)
{
	struct rfile	*f;

	if (r->L == NULL && (r->L = state_new(r)) == NULL)
		return;
	if ((f = file_lookup(r, name, 0)) == NULL)
		return;
	call_begin(r);
	file_refresh(r, f, 0);
	call_end(r);
}

/*
 * For /health: first re-check every rule file under the folder (outside
 * tests/) and every file used so far, loading what changed, so each
 * worker reports a broken file even before a request needs it.  Costs a
 * directory listing and a stat per file when nothing changed.  Returns
 * the most recent load error of a file that is still broken, or NULL when
 * every file loaded.  The string belongs to r and stays valid until the
 * next rules_* call.
 */
const char *
rules_last_error(struct rules *r)
{
	struct names	 ns = { NULL, 0, 0 };
	struct rfile	*f, *last = NULL;
	size_t		 i;

	list_lua(r->dir, "", 1, 0, &ns);
	names_sort(&ns);
	for (i = 0; i < ns.n; i++)
		if (name_ok(ns.v[i]))
			refresh_one(r, ns.v[i]);
	names_free(&ns);
	for (f = r->files; f != NULL; f = f->next)
		refresh_one(r, f->name);
	for (f = r->files; f != NULL; f = f->next)
		if (f->err != NULL && (last == NULL || f->errseq > last->errseq))
			last = f;
	return last != NULL ? last->err : NULL;
}

/* Load rules/name.lua on its own; 0, or -1 with the reason in err. */
static int
check_load(struct rules *r, const char *name, char *err, size_t errsz)
{
	struct callctx	 c;
	int		 rc;

	if (!name_ok(name)) {
		snprintf(err, errsz, "rules/%s: file names may only use a-z, "
		    "0-9, _ and end in .lua", name);
		return -1;
	}
	memset(&c, 0, sizeof(c));
	c.r = r;
	c.name = name;
	rc = call_run(r, &c, err, errsz);
	call_end(r);
	return rc;
}

/* The names of the test functions in test file name, sorted. */
static int
check_tests(struct rules *r, const char *name, struct names *tests,
    char *err, size_t errsz)
{
	struct callctx	 c;
	lua_State	*L;
	int		 rc;

	if (!name_ok(name)) {
		snprintf(err, errsz, "rules/%s: file names may only use a-z, "
		    "0-9, _ and end in .lua", name);
		return -1;
	}
	memset(&c, 0, sizeof(c));
	c.r = r;
	c.name = name;
	if ((rc = call_run(r, &c, err, errsz)) == 0) {
		L = r->L;
		lua_pushnil(L);
		while (lua_next(L, -2)) {
			if (lua_type(L, -2) == LUA_TSTRING &&
			    lua_type(L, -1) == LUA_TFUNCTION)
				(void)names_add(tests, lua_tostring(L, -2));
			lua_pop(L, 1);
		}
		if (tests->n == 0) {
			snprintf(err, errsz, "rules/%s.lua: no test functions",
			    name);
			rc = -1;
		}
		names_sort(tests);
	}
	call_end(r);
	return rc;
}

/*
 * Load every rule file under dir (outside dir/tests) in a fresh state,
 * then run every function of every dir/tests/NAME.lua; a test fails by
 * raising an error.  Writes TAP lines to report.  Returns 0 when every
 * file loaded and every test passed, else 1.
 */
int
rules_check(const char *dir, FILE *report)
{
	struct rules	*r;
	struct names	 files = { NULL, 0, 0 }, tfiles = { NULL, 0, 0 };
	struct names	 tests;
	struct arena	 a;
	char		 err[RULES_ERR_MAX];
	const char	*tname;
	char		*out, *msg;
	size_t		 i, j;
	int		 num = 0, fails = 0;

	struct stat	 st;
	const char	*why;

	why = stat(dir, &st) == -1 ? strerror(errno) :
	    !S_ISDIR(st.st_mode) ? "not a folder" : NULL;
	if (why != NULL) {
		fprintf(report, "not ok 1 - open the rules folder %s: %s\n1..1\n",
		    dir, why);
		return 1;
	}
	if ((r = rules_open(dir, 0, 0)) == NULL) {
		fprintf(report, "not ok 1 - open the rules in %s\n1..1\n", dir);
		return 1;
	}
	arena_init(&a, 0);
	list_lua(dir, "", 1, 0, &files);
	names_sort(&files);
	for (i = 0; i < files.n; i++) {
		if (check_load(r, files.v[i], err, sizeof(err)) == 0)
			fprintf(report, "ok %d - load rules/%s.lua\n", ++num,
			    files.v[i]);
		else {
			fprintf(report, "not ok %d - load %s\n", ++num, err);
			fails++;
		}
	}
	list_lua(dir, "tests", 0, 0, &tfiles);
	names_sort(&tfiles);
	for (i = 0; i < tfiles.n; i++) {
		memset(&tests, 0, sizeof(tests));
		tname = tfiles.v[i];
		if (check_tests(r, tname, &tests, err, sizeof(err)) == -1) {
			fprintf(report, "not ok %d - rules/%s.lua: %s\n", ++num,
			    tname, err);
			fails++;
		}
		for (j = 0; j < tests.n; j++) {
			if (rules_call(r, &a, tname, tests.v[j], NULL, &out,
			    &msg) == 0)
				fprintf(report, "ok %d - rules/%s.lua: %s\n",
				    ++num, tname, tests.v[j]);
			else {
				fprintf(report, "not ok %d - rules/%s.lua: "
				    "%s: %s\n", ++num, tname, tests.v[j], msg);
				fails++;
			}
			arena_reset(&a);
		}
		names_free(&tests);
	}
	/* Report definitions and the portal (report.c). */
	fails += report_check(dir, report, &num);
	fprintf(report, "1..%d\n", num);
	if (fails)
		fprintf(report, "# %d of %d failed\n", fails, num);
	names_free(&files);
	names_free(&tfiles);
	arena_free(&a);
	rules_close(r);
	return fails ? 1 : 0;
}
