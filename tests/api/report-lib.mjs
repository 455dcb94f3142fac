// Helpers of the report API tests (tests/api/report-*.test.mjs): fetch a
// report (every row), compare it with a direct SQL query, follow a drill.
//
// Built on lib.mjs and archive-lib.mjs; the same environment.
import assert from 'node:assert/strict'

import { api } from './lib.mjs'
import { sql } from './archive-lib.mjs'

// GET /api/v1/reports/{name} with params; throws unless 200.
export async function report(s, name, params = {}) {
  const r = await reportRes(s, name, { size: 500, ...params })
  if (r.status !== 200) throw new Error(`report ${name} as ${s.user.login}: ${r.status} ${r.text.slice(0, 400)}`)
  return r.json
}

export function reportRes(s, name, params = {}) {
  const qs = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) qs.set(k, String(v))
  return api('GET', `/api/v1/reports/${name}?${qs}`, { cookie: s.cookie })
}

// The rows of a report as {key: value}, without _link/_drill, sorted by the
// given key list (stable text compare) so they compare with SQL rows.
export function plain(rows, keys) {
  return rows
    .map((r) => Object.fromEntries(keys.map((k) => [k, r[k] === null ? null : String(r[k])])))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
}

// Rows of a SQL query as objects with the given keys (all text, '' = null).
export async function sqlRows(query, keys) {
  const rows = await sql(query)
  return rows
    .map((r) => Object.fromEntries(keys.map((k, i) => [k, r[i] === '' || r[i] === undefined ? null : r[i]])))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
}

// Compare a report's rows (keys) with a SQL query's, and its total.
export async function sameAsSql(rep, query, keys, msg) {
  const want = await sqlRows(query, keys)
  assert.deepEqual(plain(rep.rows, keys), want, `${rep.name}: ${msg || 'rows equal the SQL rows'}`)
  assert.equal(rep.total, want.length, `${rep.name}: total`)
  return want
}

// Follow a drill-through from row r and value column c: the params the
// page would use, and the report it opens.
export async function drill(s, rep, row, col) {
  assert.ok(rep.drill, `${rep.name} has a drill target`)
  const target = (rep.drill.reports && rep.drill.reports[col]) || rep.drill.report
  const params = { ...row._drill, ...(rep.drill.by[col] || {}) }
  return { target, params, list: await report(s, target, params) }
}
