// Helpers of the staff, org and target API tests (tests/api/org*.test.mjs):
// target documents and their rows, run-unique far-future years, the
// progress and records endpoints, staff and departments made through the
// admin API, and independent SQL figures over the source tables.
//
// Built on lib.mjs, archive-lib.mjs and field-lib.mjs; the same environment
// (CRM_URL, CRM_VAR, CRM_*_PORT).
import { api, uniqueLogin, PASSWORD } from './lib.mjs'
import { sql, sqlInt, lit, submit, tag } from './archive-lib.mjs'
import { TEAM_TZ, toCents } from './field-lib.mjs'

export { TEAM_TZ, toCents }

// ------------------------------------------------------------------ periods

// A first year Y such that no target of anyone touches the years Y .. Y+n-1
// (4-digit years: the form's date type takes no more).  Chosen from the clock
// so that runs on a stack that is not wiped never share periods.
export async function freeYears(n) {
  let y = 2100 + (Math.floor(Date.now() / 1000) % (9999 - 2100 - n))
  for (let tries = 0; tries < 50; tries++) {
    if (y + n - 1 > 9999) y = 2100
    const used = await sqlInt(
      `select count(*) from targets where daterange(start_date, end_date, '[]') && daterange('${y}-01-01', '${y + n - 1}-12-31', '[]')`
    )
    if (used === 0) return y
    y += n + 1
  }
  throw new Error(`no free run of ${n} years for targets`)
}

// The quarter q (1-4) of year y: {start, end}.
export function quarter(y, q) {
  const ends = { 1: '03-31', 2: '06-30', 3: '09-30', 4: '12-31' }
  const starts = { 1: '01-01', 2: '04-01', 3: '07-01', 4: '10-01' }
  return { start: `${y}-${starts[q]}`, end: `${y}-${ends[q]}` }
}

// ------------------------------------------------------------- documents

// One person's row of a target document; o overrides the figures.
export function row(staffId, o = {}) {
  return { staff_id: staffId, new_customers: 5, visits: 20, deal_amount: '50000.00', payment_amount: '30000.50', ...o }
}

// The data of a target document.
export function targetData(period, start, end, rows) {
  return { period, start_date: start, end_date: end, targets: rows }
}

export function submitTarget(s, period, start, end, rows, opts) {
  return submit(s, 'target', targetData(period, start, end, rows), opts)
}

// A period label no other run used.
export function label(what) {
  return `${what}-${tag(6)}`
}

// ----------------------------------------------------------------- reading

export async function targetsOf(s, staffId) {
  const r = await api('GET', `/api/v1/targets?staff_id=${staffId}`, { cookie: s.cookie })
  return r
}

// The rows of targets in the database of a person overlapping [from, to].
export async function dbTargets(staffId, from, to) {
  const rows = await sql(
    `select id, document_id, period, start_date, end_date, new_customers, visits, deal_amount::text, payment_amount::text from targets
      where staff_id = ${Number(staffId)} and daterange(start_date, end_date, '[]') && daterange('${from}', '${to}', '[]') order by start_date`
  )
  return rows.map((r) => ({
    id: Number(r[0]), document_id: Number(r[1]), period: r[2], start_date: r[3], end_date: r[4],
    new_customers: Number(r[5]), visits: Number(r[6]), deal_amount: r[7], payment_amount: r[8]
  }))
}

export function progress(s, params = {}) {
  const qs = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined) qs.set(k, String(v))
  return api('GET', `/api/v1/targets/progress?${qs}`, { cookie: s.cookie })
}

export function records(s, params) {
  const qs = new URLSearchParams(params)
  return api('GET', `/api/v1/records?${qs}`, { cookie: s.cookie })
}

// Target documents of one applicant (to prove a refusal created nothing).
export function targetDocCount(staffId) {
  return sqlInt(`select count(*) from documents where kind = 'target' and applicant_id = ${Number(staffId)}`)
}

// -------------------------------------------------------------- the org

export async function departments(s) {
  const r = await api('GET', '/api/v1/departments', { cookie: s.cookie })
  if (r.status !== 200) throw new Error(`departments: ${r.status} ${r.text.slice(0, 300)}`)
  return r.json.items
}

// POST /api/v1/staff as admin; returns {id, login, res}.  o adds or
// overrides fields (the password is the demo password unless given).
export async function createStaff(admin, prefix, o = {}) {
  const login = o.login || uniqueLogin(prefix)
  const body = { login, name: `测试${prefix}${tag(4)}`, role: 'salesperson', password: PASSWORD, ...o, login }
  const r = await api('POST', '/api/v1/staff', { cookie: admin.cookie, csrf: admin.csrf, body })
  if (r.status !== 201) throw new Error(`create staff ${login}: ${r.status} ${r.text.slice(0, 300)}`)
  return { id: r.json.id, login, res: r }
}

export function putStaff(s, id, body) {
  return api('PUT', `/api/v1/staff/${id}`, { cookie: s.cookie, csrf: s.csrf, body })
}

export async function menuKeys(s) {
  const r = await api('GET', '/api/v1/menu', { cookie: s.cookie })
  if (r.status !== 200) throw new Error(`menu: ${r.status} ${r.text.slice(0, 300)}`)
  const keys = []
  for (const area of r.json.menu) for (const it of area.children) keys.push(it.key)
  return { keys, menu: r.json.menu }
}

// -------------------------------------------------- figures, independently

// The calendar month of a day: {start, end}.
export function monthOf(day) {
  const start = `${day.slice(0, 7)}-01`
  const t = new Date(`${start}T00:00:00Z`)
  t.setUTCMonth(t.getUTCMonth() + 1)
  t.setUTCDate(0)
  return { start, end: t.toISOString().slice(0, 10) }
}

// Figures counted over the source tables, never over activity_daily: new
// customers are the person's applied customer_new documents by the local day
// they were applied; visits by the local day of the capture time; deals and
// payments by their own dates.  SQL giving, per person, the four figures of
// [from, to] (expressions over columns id, s, e).
function figuresSql(tz) {
  return `(select count(*) from documents d where d.applicant_id = x.id and d.kind = 'customer_new' and d.status = 'approved'
        and (d.applied_at at time zone ${tz})::date between x.s and x.e),
      (select count(*) from visits v where v.staff_id = x.id and (v.captured_at at time zone ${tz})::date between x.s and x.e),
      (select coalesce(sum(amount), 0)::text from deals where staff_id = x.id and deal_date between x.s and x.e),
      (select coalesce(sum(amount), 0)::text from payments where staff_id = x.id and pay_date between x.s and x.e)`
}
const figuresOf = (r, i) => ({ new_customers: Number(r[i]), visits: Number(r[i + 1]), deal_amount: toCents(r[i + 2]), payment_amount: toCents(r[i + 3]) })

// What a person did in [from, to] (team days), from the source tables.
export async function directFigures(staffId, from, to) {
  const [r] = await sql(`select ${figuresSql(lit(TEAM_TZ))} from (select ${Number(staffId)}::bigint as id, '${from}'::date as s, '${to}'::date as e) x`)
  return figuresOf(r, 0)
}

// For several people on one day, in one query: the period progress should
// use (the target covering the day, else the calendar month of the day,
// computed here) and the figures over it.  Map id -> {start, end, target,
// period, figures}.
export async function directProgress(ids, day) {
  const m = monthOf(day)
  const rows = await sql(`select x.id, x.target, x.period, x.s::text, x.e::text, ${figuresSql(lit(TEAM_TZ))} from (
      select p.id, t.id as target, t.period, coalesce(t.start_date, '${m.start}'::date) as s, coalesce(t.end_date, '${m.end}'::date) as e
      from unnest(array[${ids.map(Number).join(',')}]::bigint[]) as p(id)
      left join targets t on t.staff_id = p.id and '${day}'::date between t.start_date and t.end_date) x`)
  const out = new Map()
  for (const r of rows) {
    out.set(Number(r[0]), { target: r[1] === '' ? null : Number(r[1]), period: r[2] === '' ? null : r[2], start: r[3], end: r[4], figures: figuresOf(r, 5) })
  }
  return out
}

// The document ids behind each figure, from the source tables (one query).
export async function directDocs(staffId, from, to) {
  const id = Number(staffId)
  const tz = lit(TEAM_TZ)
  const agg = (q) => `coalesce((select json_agg(i order by i) from (${q}) z(i)), '[]')`
  const [[text]] = await sql(`select json_build_object(
      'customer_new', ${agg(`select d.id from documents d where d.applicant_id = ${id} and d.kind = 'customer_new' and d.status = 'approved'
        and (d.applied_at at time zone ${tz})::date between '${from}' and '${to}'`)},
      'visit', ${agg(`select document_id from visits where staff_id = ${id} and (captured_at at time zone ${tz})::date between '${from}' and '${to}'`)},
      'deal', ${agg(`select document_id from deals where staff_id = ${id} and deal_date between '${from}' and '${to}'`)},
      'payment', ${agg(`select document_id from payments where staff_id = ${id} and pay_date between '${from}' and '${to}'`)})::text`)
  return JSON.parse(text)
}

// The period progress uses for one person on day (see directProgress).
export async function periodOf(staffId, day) {
  const p = (await directProgress([staffId], day)).get(Number(staffId))
  return { start: p.start, end: p.end, target: p.target, period: p.period }
}

// A progress entry's actuals in the same shape as directFigures.
export function actualOf(entry) {
  const a = entry.actual
  return {
    new_customers: a.new_customers, visits: a.visits,
    deal_amount: toCents(String(a.deal_amount)), payment_amount: toCents(String(a.payment_amount))
  }
}

