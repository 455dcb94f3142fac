// Helpers of the customer-archive API tests (tests/api/archive*.test.mjs):
// documents (submit, decide, withdraw), customer lists and pages, SQL
// against the stack's PostgreSQL for setup and for independent expected
// values, throwaway staff, and run-unique names and keys.
//
// Built on lib.mjs (HTTP, login, crmctl).  Settings come from the same
// environment: CRM_URL, CRM_VAR, CRM_PG_PORT, CRM_RULES_DIR (the rules folder
// the stack's crmd reads; default: the repository's rules/).
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import path from 'node:path'

import { api, login, logout, crmctl, uniqueLogin, RULES_DIR, PASSWORD } from './lib.mjs'

export const PG_PORT = process.env.CRM_PG_PORT || '5433'
export const RULES = path.resolve(process.env.CRM_RULES_DIR || RULES_DIR)
// {seq:4} pads to 4 digits; a day with more than 9,999 customers (imports) gets more.
export const CUSTOMER_NUMBER = /^C\d{8}-\d{4,}$/
export const HAN = /[\u4e00-\u9fff]/

// A short tag no earlier run used (names and keys must not collide when the
// database is not wiped between runs).  Letters and digits only.
export function tag(len = 8) {
  const t = Date.now().toString(36) + randomBytes(6).toString('hex')
  return t.slice(-len)
}

let keyN = 0
// A fresh Idempotency-Key (8-100 of [A-Za-z0-9-_:.]).
export function idemKey(prefix = 'k') {
  keyN++
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}-${keyN}`
}

// sql runs one statement with psql and returns the rows as arrays of
// strings (tab-separated, unaligned).  Throws on failure.
export function sql(query) {
  return new Promise((resolve, reject) => {
    execFile(
      'psql',
      ['-h', '127.0.0.1', '-p', String(PG_PORT), '-U', 'crm', '-d', 'crm', '-X', '-q', '-tA', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', query],
      { timeout: 30000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`psql: ${err.message}: ${stderr}`))
        const lines = stdout.split('\n')
        if (lines[lines.length - 1] === '') lines.pop()
        const rows = lines.map((l) => l.split('\t'))
        resolve(rows)
      }
    )
  })
}
// sqlOne: the first column of the first row (null when no row).
export async function sqlOne(query) {
  const rows = await sql(query)
  return rows.length ? rows[0][0] : null
}
export async function sqlInt(query) {
  return Number(await sqlOne(query))
}
// A SQL string literal.
export function lit(s) {
  return `'${String(s).replace(/'/g, "''")}'`
}

// ------------------------------------------------------------------ sessions

// Sessions opened through open() are ended by closeAll() (call it in after()).
const opened = []
export async function open(name, password = PASSWORD) {
  const s = await login(name, password)
  opened.push(s)
  return s
}
export async function closeAll() {
  while (opened.length) await logout(opened.pop())
}

// A throwaway staff member made with crmctl (role, optional department
// name); returns its login.  The password is the demo password.
export async function addStaff(prefix, role = 'salesperson', dept) {
  const name = uniqueLogin(prefix)
  const args = ['user', 'add', name, `测试${prefix}`, role]
  if (dept) args.push(dept)
  await crmctl(args, { CRM_PASSWORD: PASSWORD })
  return name
}

// ----------------------------------------------------------------- documents

// submit POSTs a document.  opts: key (default: a fresh one; null: none),
// headers.  Returns the api() answer.
export function submit(s, kind, data, opts = {}) {
  const headers = { ...(opts.headers || {}) }
  const key = opts.key === undefined ? idemKey(kind) : opts.key
  if (key !== null) headers['idempotency-key'] = key
  return api('POST', '/api/v1/documents', { cookie: s.cookie, csrf: s.csrf, body: { kind, data }, headers })
}

export function decide(s, docId, action, comment, opts = {}) {
  const body = { action }
  if (comment !== undefined) body.comment = comment
  const headers = { ...(opts.headers || {}) }
  const key = opts.key === undefined ? idemKey('decide') : opts.key
  if (key !== null) headers['idempotency-key'] = key
  return api('POST', `/api/v1/documents/${docId}/decision`, { cookie: s.cookie, csrf: s.csrf, body, headers })
}

export function withdraw(s, docId, opts = {}) {
  const headers = {}
  const key = opts.key === undefined ? idemKey('withdraw') : opts.key
  if (key !== null) headers['idempotency-key'] = key
  return api('POST', `/api/v1/documents/${docId}/withdraw`, { cookie: s.cookie, csrf: s.csrf, headers })
}

export async function getDoc(s, docId) {
  return api('GET', `/api/v1/documents/${docId}`, { cookie: s.cookie })
}

// The valid data of a new customer; overrides replace or add fields
// (a value of undefined removes the field).
export function customerData(name, overrides = {}) {
  const d = {
    name,
    address: '测试市测试路 1 号',
    contact: '测试联系人',
    phone: '13800138000',
    region: 'ec',
    type: 'enterprise_small',
    source: 'referral'
  }
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete d[k]
    else d[k] = v
  }
  return d
}

// newCustomer submits a customer_new that must be applied at once and
// returns {id, number, doc}.
export async function newCustomer(s, name, overrides = {}) {
  const r = await submit(s, 'customer_new', customerData(name, overrides))
  if (r.status !== 201 || !r.json.applied) {
    throw new Error(`customer_new ${name} as ${s.user.login}: ${r.status} ${r.text.slice(0, 400)}`)
  }
  return { id: r.json.result.id, number: r.json.result.number, doc: r.json.document }
}

// ----------------------------------------------------------------- customers

// list GETs /api/v1/customers with the given query parameters.
export function list(s, params = {}) {
  const qs = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined) qs.set(k, String(v))
  return api('GET', `/api/v1/customers?${qs}`, { cookie: s.cookie })
}

// total of a view (throws unless 200).
export async function total(s, view, params = {}) {
  const r = await list(s, { view, size: 1, ...params })
  if (r.status !== 200) throw new Error(`list ${view} as ${s.user.login}: ${r.status} ${r.text.slice(0, 300)}`)
  return r.json.total
}

// Does the customer (by number) appear in the view?  Searches by number.
export async function inView(s, view, number) {
  const r = await list(s, { view, q: number, size: 100 })
  if (r.status !== 200) return { status: r.status, found: false, res: r }
  return { status: 200, found: r.json.items.some((x) => x.number === number), res: r }
}

export function detail(s, id) {
  return api('GET', `/api/v1/customers/${id}`, { cookie: s.cookie })
}
export function timeline(s, id) {
  return api('GET', `/api/v1/customers/${id}/timeline`, { cookie: s.cookie })
}

// The ids of n customers in the pool now (lowest ids first, skipping skip)
// that anyone may claim: never returned to the pool by the reclaim job, so no
// previous owner's cooldown (rules/pool.lua) applies to them.
export async function poolIds(n, skip = 0) {
  const rows = await sql(
    `select id from customers where owner_id is null and previous_owner_id is null and not locked order by id limit ${n} offset ${skip}`
  )
  if (rows.length < n) throw new Error(`the pool has fewer than ${n + skip} customers`)
  return rows.map((r) => Number(r[0]))
}

export async function ownedCount(login) {
  return sqlInt(`select count(*) from customers c join staff s on s.id = c.owner_id where s.login = ${lit(login)}`)
}

export async function claimsToday(login) {
  return sqlInt(
    `select count(*) from pool_log p join staff s on s.id = p.staff_id where s.login = ${lit(login)} and p.event = 'claimed' and p.at >= current_date`
  )
}

// The max_customers of a person now (null when unset).
export async function maxOf(login) {
  return sqlOne(`select max_customers from staff where login = ${lit(login)}`).then((v) => (v === null || v === '' ? null : Number(v)))
}
export async function setMax(login, n) {
  await sql(`update staff set max_customers = ${n === null ? 'null' : Number(n)} where login = ${lit(login)}`)
}

// Tally of answers by "status code" ("201", "409 already_claimed", ...).
export function tally(answers) {
  const out = {}
  for (const r of answers) {
    const k = r.json && r.json.error ? `${r.status} ${r.json.error.code}` : String(r.status)
    out[k] = (out[k] || 0) + 1
  }
  return out
}

// Full-width form of ASCII letters and digits (A -> Ａ).
export function fullWidth(s) {
  return s.replace(/[A-Za-z0-9]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0))
}

export { api, login, logout, crmctl, PASSWORD }
