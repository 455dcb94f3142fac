// EXPLAIN checks (issue 9): every statement of the prepared-statement table
// in fcgi/db.c is planned in a database of its own built from sql/ (the
// stack's PostgreSQL, database crm_explain) with sequential scans priced
// out (enable_seqscan = off) and the generic plan forced (what a prepared
// statement gets after its first executions).  A Seq Scan that remains is
// one no index can serve: on a table that grows with the business it fails,
// unless the allow-list below says why that is intended.
//
// The statements are read from the C source (the designated initialisers
// of stmts[]), so a statement added tomorrow is checked tomorrow.
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'

import { crmctl, REPO, sh } from './lib.mjs'

const PG_PORT = String(process.env.CRM_PG_PORT || 5433)
const DB = 'crm_explain'
const GEN_SCALE = process.env.EXPLAIN_SCALE || '20:1000'

// Tables that stay small whatever the business does (configuration, the
// org chart's departments, counters): a scan of them is fine.
// audit_chain is one row (the head of the audit hash chain).
const SMALL = new Set(['roles', 'departments', 'customer_types', 'list_items',
  'number_seq', 'qr_keys', 'schema_migrations', 'reports', 'audit_chain'])

// Statement -> {table: why a full scan is intended}.
const ALLOW = {
  ST_STAFF_LIST: { staff: 'the whole active staff list for pickers (every row is answered)' },
  ST_STAFF_LIST_ALL: { staff: 'the admin staff list: every row is answered' },
  ST_ADMIN_COUNT: { staff: 'counts the admins at a role change; staff is thousands of rows at most, rare call' },
  ST_STAFF_FIRST_BY_ROLE: { staff: 'routing to "role:director": ordered by id, stops at the first match' },
  ST_TARGET_PROGRESS: { staff: 'directors see everyone: every active person is answered' },
  ST_SESSION_PURGE: { sessions: 'the periodic purge of expired sessions: a background sweep, not a request' },
  ST_IMPORT_PURGE: { imports: 'imports_purge_idx (sql/0014) holds only the applied imports whose staged rows are left: reading it whole is the sweep' },
  ST_POOL_DUE: { staff: 'the reclaim job joins the owner of every owned customer, once a day (timed by make bench)' },
  // The customer list, one statement per view (fcgi/db.c).  Its sort is a
  // parameter, so PostgreSQL plans the big views per request (custom plans,
  // which walk the primary key or the pool index backwards and stop at the
  // page; the count stops at its cap); this generic plan cannot show that.
  ST_CUST_LIST_ALL: { customers: 'directors and admin: every customer is a row of the view; custom plans read the page in index order (make bench: "search by name", "all")' },
  ST_CUST_LIST_MANAGED: { customers: "a manager's subtree owns a large share of the archive; custom plans read the page in index order" },
  ST_TYPE_DEACTIVATE_ALL: { customer_types: 'lists sync: every row' },
  ST_LIST_DEACTIVATE_ALL: { list_items: 'lists sync: every row' }
}

function psql(script, db = DB) {
  return new Promise((resolve) => {
    const child = execFile('psql', ['-h', '127.0.0.1', '-p', PG_PORT, '-U', 'crm', '-d', db,
      '-X', '-q', '-tA', '-v', 'ON_ERROR_STOP=1'], { timeout: 30000, maxBuffer: 16 << 20 },
    (err, stdout, stderr) => resolve({ ok: !err, stdout, stderr }))
    child.stdin.end(script)
  })
}

// The SQL of each [ST_NAME] = "..." "..." entry of stmts[] in fcgi/db.c.
// String macros (#define NAME "..." \ continued lines) used in an entry are
// replaced by their literals first (the customer list's shared parts).
export function statements(src) {
  const macros = new Map()
  for (const m of src.matchAll(/^#define\s+([A-Z][A-Z0-9_]*)[ \t]*\\\n((?:.*\\\n)*.*)$/gm)) {
    macros.set(m[1], m[2].replace(/\\\n/g, '\n'))
  }
  const start = src.indexOf('{', src.indexOf('stmts[ST__MAX]'))
  let body = src.slice(start, src.indexOf('\n};', start))
  for (let i = 0; i < 4; i++) { // a macro may use another
    body = body.replace(/\b[A-Z][A-Z0-9_]*\b/g, (w) => macros.has(w) ? macros.get(w) : w)
  }
  const out = new Map()
  const re = /\[(ST_[A-Z0-9_]+)\]\s*=/g
  let m
  while ((m = re.exec(body)) !== null) {
    let i = re.lastIndex
    let sql = ''
    for (;;) {
      while (i < body.length && /\s/.test(body[i])) i++
      if (body.startsWith('/*', i)) { i = body.indexOf('*/', i) + 2; continue }
      if (body[i] !== '"') break
      i++
      while (body[i] !== '"') {
        if (body[i] === '\\') {
          const c = body[i + 1]
          sql += c === 'n' ? '\n' : c === 't' ? '\t' : c
          i += 2
        } else sql += body[i++]
      }
      i++
    }
    out.set(m[1], sql)
    re.lastIndex = i
  }
  return out
}

// Tables read whole: a Seq Scan, or (seq scans being priced out) an index
// scan with no condition on the index, which reads everything in its order.
function fullScans(plan, acc = []) {
  const t = plan['Node Type']
  if (t === 'Seq Scan') acc.push(plan['Relation Name'])
  if ((t === 'Index Scan' || t === 'Index Only Scan') && !plan['Index Cond']) {
    acc.push(plan['Relation Name'])
  }
  for (const p of plan.Plans || []) fullScans(p, acc)
  return acc
}

const src = readFileSync(path.join(REPO, 'fcgi', 'db.c'), 'utf8')
const stmts = statements(src)
const results = new Map() // name -> {error} | {scans: [table]}

before(async () => {
  let r = await psql(`drop database if exists ${DB} with (force)`, 'postgres')
  assert.ok(r.ok, r.stderr)
  r = await psql(`create database ${DB}`, 'postgres')
  assert.ok(r.ok, r.stderr)
  const env = { CRM_DB: `host=127.0.0.1 port=${PG_PORT} dbname=${DB} user=crm connect_timeout=2` }
  await crmctl(['migrate', path.join(REPO, 'sql')], env)
  // Rows, so the planner's statistics look like a business: the demo, then
  // a small generated set (scripts/gen-data), analysed.
  await crmctl(['demo', 'load'], env)
  const g = await sh(`scripts/gen-data ${GEN_SCALE}`, { env: { CRM_PG_DB: DB, CRM_PG_PORT: PG_PORT, GEN_DAYS: '180', GEN_CHECK_FK: '1' }, timeout: 120000 })
  assert.equal(g.code, 0, g.stderr)
  // Tables the generator leaves empty get rows too: an empty table's plan
  // says nothing (every path costs the same).
  r = await psql(`set session_replication_role = replica;
insert into sessions (token_hash, staff_id, csrf_token)
  select sha256(g::text::bytea), s.id, md5(g::text) from generate_series(1, 5000) g
  join staff s on s.id = (select min(id) from staff) + g % 20;
insert into files (token, kind, content_type, size, data, uploaded_by)
  select md5(g::text), 'photo', 'image/jpeg', 1, '\\x00', (select min(id) from staff)
  from generate_series(1, 3000) g;
insert into idempotency (staff_id, key, request_hash, status, response)
  select (select min(id) from staff), 'bench-key-' || g, md5(g::text), 201, '{}'
  from generate_series(1, 5000) g;
insert into audit_log (staff_id, action, object, object_id, seq, prev_hash, hash)
  select (select min(id) from staff) + g % 20, 'login', 'staff', g::text,
  (select coalesce(max(seq), 0) from audit_log) + g, sha256(g::text::bytea),
  sha256((g + 1)::text::bytea) from generate_series(1, 5000) g;
analyze;`)
  assert.ok(r.ok, r.stderr)
  // One session: a function plans each statement and catches its error.
  const rows = [...stmts].map(([name, sql]) => {
    const n = Math.max(0, ...[...sql.matchAll(/\$(\d+)/g)].map((x) => Number(x[1])))
    assert.ok(!sql.includes('$q$'), name)
    return `('${name}', $q$${sql}$q$, ${n})`
  })
  const r2 = await psql(`set enable_seqscan = off;
set enable_hashjoin = off;
set enable_mergejoin = off;
set plan_cache_mode = force_generic_plan;
create function pg_temp.plan(q text, n int) returns json language plpgsql as $f$
declare
  p json;
begin
  execute 'prepare bench_q as ' || q;
  begin
    execute 'explain (format json) execute bench_q' || case when n > 0 then
      '(' || array_to_string(array_fill('null'::text, array[n]), ', ') || ')'
      else '' end into p;
  exception when others then
    deallocate bench_q;
    raise;
  end;
  deallocate bench_q;
  return p;
exception when others then
  return json_build_object('error', sqlerrm);
end $f$;
select json_object_agg(name, pg_temp.plan(q, n)) from (values
${rows.join(',\n')}) v(name, q, n);
`)
  assert.ok(r2.ok, r2.stderr)
  for (const [name, res] of Object.entries(JSON.parse(r2.stdout))) {
    if (res.error) results.set(name, { error: res.error })
    else results.set(name, { scans: fullScans(res[0].Plan) })
  }
})

after(async () => {
  await psql(`drop database if exists ${DB} with (force)`, 'postgres')
})

test('the statement table of fcgi/db.c is read completely', () => {
  const h = readFileSync(path.join(REPO, 'fcgi', 'extern.h'), 'utf8')
  const en = h.slice(h.indexOf('enum stmt {'), h.indexOf('ST__MAX', h.indexOf('enum stmt {')))
  const declared = [...en.matchAll(/\b(ST_[A-Z0-9_]+)\b/g)].map((x) => x[1])
  assert.ok(declared.length > 50, `enum stmt has ${declared.length} names`)
  const missing = declared.filter((d) => !stmts.has(d) || stmts.get(d).length < 8)
  assert.deepEqual(missing, [], 'statements the parser did not find')
})

test('every statement prepares and plans against the schema', () => {
  const bad = [...results].filter(([, r]) => r.error).map(([n, r]) => `${n}: ${r.error}`)
  assert.deepEqual(bad, [])
  assert.equal(results.size, stmts.size)
})

test('no sequential scan over a growing table where an index was intended', () => {
  const found = []
  for (const [name, r] of results) {
    if (!r.scans) continue
    for (const t of r.scans) {
      if (SMALL.has(t)) continue
      if (ALLOW[name] && ALLOW[name][t]) continue
      found.push(`${name}: full scan of ${t}`)
    }
  }
  assert.deepEqual(found, [], 'add an index (sql/0009_bench.sql) or an allow-list entry with its reason')
})

test('the allow-list names statements that exist and still scan', () => {
  const stale = []
  for (const [name, tables] of Object.entries(ALLOW)) {
    const r = results.get(name)
    if (!r) { stale.push(`${name}: no such statement`); continue }
    for (const t of Object.keys(tables)) {
      if (!SMALL.has(t) && !(r.scans || []).includes(t)) stale.push(`${name}: no longer scans ${t}`)
    }
  }
  assert.deepEqual(stale, [])
})
