// Target progress (ORG-PROGRESS): the figures of the overview equal a direct
// count over the records themselves, for a random sample of people and days
// (periods: the target covering the day, else the calendar month).  The
// server reads per-person-per-day figures; this test counts the source tables
// (documents, visits, deals, payments) in the team's time zone: a visit counts
// on the local day of its capture time, a new customer on the day its document
// was applied, deals and payments on their own dates.  Every figure links to
// the records behind it (GET /api/v1/records), which list exactly the
// documents counted.  Who sees whom: a salesperson themselves, a manager their
// department subtree, the director everyone; ?dept= narrows to a subtree.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'

import { errorOf } from './lib.mjs'
import { open, closeAll, submit, decide, sql, newCustomer, tag } from './archive-lib.mjs'
import { teamDay, addDays, iso8 } from './field-lib.mjs'
import {
  row, submitTarget, label, progress, records, createStaff, directFigures, directProgress, directDocs, periodOf, actualOf, monthOf, toCents, TEAM_TZ
} from './org-lib.mjs'

after(closeAll)

let admin, director, m1, m2, s2, s4
let P // the four people made for this run: P[0..2] in 销售一部, P[3] in 销售二部
let today
const pendingDeals = [] // deals left waiting for approval: they count nowhere

// A small deterministic generator, so a failing sample can be told apart.
const seed = Number(process.env.ORG_SEED || Date.now() % 1000000)
let rs = seed
const rand = () => {
  rs = (rs * 1103515245 + 12345) % 2147483648
  return rs / 2147483648
}
const pick = (arr, n) => {
  const a = [...arr]
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1))
    ;[a[i], a[j]] = [a[j], a[i]]
  }
  return a.slice(0, n)
}
const money = () => `${1 + Math.floor(rand() * 90000)}.${String(Math.floor(rand() * 100)).padStart(2, '0')}`
const monthStart = (day) => `${day.slice(0, 7)}-01`

async function must(r, what) {
  assert.equal(r.status, 201, `${what}: ${r.status} ${r.text.slice(0, 300)}`)
  return r.json
}

before(async () => {
  today = teamDay()
  ;[admin, director, m1, m2, s2, s4] = await Promise.all(['admin', 'director', 'manager1', 'manager2', 'sales2', 'sales4'].map((n) => open(n)))
  const dept1 = m1.user.department.id
  const dept2 = m2.user.department.id
  const people = []
  for (const [i, dept] of [dept1, dept1, dept1, dept2].entries()) {
    people.push(await createStaff(admin, `pg${i}`, { department_id: dept, max_customers: 500 }))
  }
  P = await Promise.all(people.map((p) => open(p.login)))

  // Activity: new customers today; visits captured at times around day and
  // zone boundaries (and one from the phone's future, which counts now);
  // deals and payments on days inside and outside the periods below.
  // Always: a visit just after local midnight (its UTC day is the day
  // before, across P0's two periods) and one back-dated by 40 days (applied
  // today, counted then).  At random: the others.
  const alwaysVisits = [`${addDays(today, -7)}T00:10:00+08:00`, `${addDays(today, -40)}T12:00:00+08:00`]
  const someVisits = [
    iso8(new Date()),
    `${addDays(today, -1)}T23:50:00+08:00`,
    `${addDays(today, -8)}T23:50:00+08:00`,
    `${addDays(today, -7)}T16:30:00Z`, // local 00:30 of today-6
    `${addDays(today, 3)}T10:00:00+08:00` // the phone's clock is ahead: the server's time counts
  ]
  const moneyDays = [today, addDays(today, -7), addDays(today, -8), addDays(today, -40), addDays(today, 20), monthStart(today), addDays(monthStart(today), -1)]
  for (const [i, s] of P.entries()) {
    const customers = []
    for (let k = 0; k < 2 + (i % 2); k++) customers.push(await newCustomer(s, `进度测试${tag()}有限公司`))
    const c = customers[0].id
    for (const t of [...alwaysVisits, ...pick(someVisits, 2 + Math.floor(rand() * 4))]) {
      await must(await submit(s, 'visit', { customer_id: c, met: '采购经理', stage: 'needs', notes: `拜访 ${t}`, captured_at: t }), `visit ${t}`)
    }
    // Deals back-dated by 40 days always; payments on random days.
    for (const d of [addDays(today, -40), ...pick(moneyDays.filter((x) => x !== addDays(today, -40)), 3 + Math.floor(rand() * 4))]) {
      await must(await submit(s, 'deal', { customer_id: c, deal_date: d, amount: money() }), `deal ${d}`)
      await must(await submit(s, 'payment', { customer_id: customers[1].id, pay_date: pick(moneyDays, 1)[0], amount: money() }), 'payment')
    }
    // A large deal waits for the head and counts once approved; another stays pending and never counts.
    const big = await must(await submit(s, 'deal', { customer_id: c, deal_date: addDays(today, -8), amount: '150000.35' }), 'big deal')
    assert.equal(big.applied, false, 'a deal above 100000 waits for the manager')
    const head = i < 3 ? m1 : m2
    const ok = await decide(head, big.document.id, 'approve')
    assert.equal(ok.status, 200, ok.text)
    const waiting = await must(await submit(s, 'deal', { customer_id: c, deal_date: today, amount: '200000.01' }), 'pending deal')
    pendingDeals.push(waiting.document.id)
  }

  // Targets, applied at once by the director: P0 two periods meeting between
  // today-8 and today-7; P1 one around today; P2 none (calendar months);
  // P3 a long one.
  const targets = [
    [P[0], addDays(today, -45), addDays(today, -8)],
    [P[0], addDays(today, -7), addDays(today, 30)],
    [P[1], addDays(today, -3), addDays(today, 25)],
    [P[3], addDays(today, -50), addDays(today, 50)]
  ]
  for (const [s, a, b] of targets) {
    await must(await submitTarget(director, label('进度'), a, b, [row(s.user.id)]), `target ${a}..${b}`)
  }
})

// The progress entries of a reader on a day, by person id.
async function overview(s, params) {
  const r = await progress(s, params)
  assert.equal(r.status, 200, r.text)
  return new Map(r.json.people.map((e) => [e.id, e]))
}

// Active staff in a department subtree (or everyone), as the database holds them.
async function activeIn(where) {
  return (await sql(`select id from staff s where s.active and ${where} order by id`)).map((r) => Number(r[0]))
}
const subtree = (dept) => `s.department_id in (with recursive t(id) as (select ${Number(dept)}::bigint union select d.id from departments d join t on d.parent_id = t.id) select id from t)`

test('progress figures equal a direct count over the records for a random sample of people and days', async () => {
  const demo = (await sql(`select id from staff where login in ('sales1','sales2','sales3','sales4','sales5','sales6','manager1','manager2') and active`)).map((r) => Number(r[0]))
  const people = [...P.map((s) => s.user.id), ...pick(demo, 4)]
  const fixed = [today, addDays(today, -7), addDays(today, -8)]
  const others = [addDays(today, -1), addDays(today, -6), addDays(today, -9), addDays(today, -40), addDays(today, -45), addDays(today, -46),
    addDays(today, 20), addDays(today, 30), addDays(today, 31), monthStart(today), addDays(monthStart(today), -1)]
  const random = Array.from({ length: 3 }, () => addDays(today, -70 + Math.floor(rand() * 110)))
  const days = [...new Set([...fixed, ...pick(others, 5), ...random])]
  const where = `(seed ${seed}, TZ ${TEAM_TZ})`
  let compared = 0
  let nonZero = 0
  for (const day of days) {
    const entries = await overview(director, { date: day })
    const expected = await directProgress(people, day)
    for (const id of people) {
      const e = entries.get(id)
      assert.ok(e, `person ${id} in the director's overview on ${day} ${where}`)
      const per = expected.get(id)
      if (per.target === null) {
        assert.equal(e.target, null, `person ${id} has no target on ${day}`)
      } else {
        assert.ok(e.target, `person ${id} has target ${per.target} on ${day}`)
        assert.equal(e.target.id, per.target)
        assert.equal(e.target.period, per.period)
        assert.equal(e.target.start_date, per.start)
        assert.equal(e.target.end_date, per.end)
      }
      const want = per.figures
      assert.deepEqual(actualOf(e), want, `person ${id}, day ${day}, period ${per.start}..${per.end} ${where}`)
      compared++
      if (want.visits || want.new_customers || want.deal_amount || want.payment_amount) nonZero++
    }
  }
  assert.ok(compared >= 3 * people.length, `compared ${compared}`)
  assert.ok(nonZero >= P.length, `the sample holds real activity (${nonZero} non-zero comparisons)`)
})

test('the figures of the current month for people without a target: exact, to the cent', async () => {
  const entries = await overview(director, { date: today })
  const p2 = entries.get(P[2].user.id)
  assert.equal(p2.target, null, 'P2 has no target')
  const m = monthOf(today)
  const want = await directFigures(P[2].user.id, m.start, m.end)
  assert.deepEqual(actualOf(p2), want)
  assert.ok(want.new_customers >= 2, 'today\'s new customers count')
  // The pending deal counts nowhere; the approved big one where its date falls.
  for (const id of pendingDeals) {
    assert.equal((await sql(`select count(*) from deals where document_id = ${id}`))[0][0], '0')
  }
  // Amounts are exact decimal texts or numbers with at most two decimals.
  for (const e of entries.values()) {
    for (const k of ['deal_amount', 'payment_amount']) {
      assert.match(String(e.actual[k]), /^\d+(\.\d{1,2})?$/, `${k} of ${e.id}: ${e.actual[k]}`)
    }
  }
})

test('the records behind each figure are exactly the documents counted', async () => {
  for (const s of P) {
    const id = s.user.id
    for (const day of [today, addDays(today, -7), addDays(today, -8), addDays(today, -40)]) {
      const per = await periodOf(id, day)
      const e = (await overview(director, { date: day })).get(id)
      const fig = actualOf(e)
      const docs = await directDocs(id, per.start, per.end)
      const what = `${s.user.login} ${per.start}..${per.end}`
      const listed = {}
      for (const kind of ['customer_new', 'visit', 'deal', 'payment']) {
        const r = await records(id === P[3].user.id ? m2 : m1, { staff_id: id, kind, from: per.start, to: per.end })
        assert.equal(r.status, 200, `${what} ${kind}: ${r.text}`)
        listed[kind] = r.json.items
        assert.ok(r.json.items.every((x) => x.kind === kind), `${what}: only ${kind}`)
        assert.deepEqual(r.json.items.map((x) => x.id).sort((a, b) => a - b), docs[kind], `${what}: the ${kind} documents listed are those counted`)
      }
      assert.equal(listed.customer_new.length, fig.new_customers, `${what}: new customers listed = figure`)
      assert.equal(listed.visit.length, fig.visits, `${what}: visits listed = figure`)
      const sum = (items) => items.reduce((a, x) => a + toCents(String(x.data.amount)), 0n)
      assert.equal(sum(listed.deal), fig.deal_amount, `${what}: deals listed add up to the figure`)
      assert.equal(sum(listed.payment), fig.payment_amount, `${what}: payments listed add up to the figure`)
    }
  }
  // The salesperson reads their own records.
  const own = await records(P[0], { staff_id: P[0].user.id, kind: 'visit', from: addDays(today, -60), to: today })
  assert.equal(own.status, 200, own.text)
  assert.ok(own.json.items.length > 0)
})

test('records of someone out of scope: 403 for another department\'s salesperson, a colleague, the other head', async () => {
  const q = { staff_id: P[0].user.id, kind: 'visit', from: addDays(today, -60), to: today }
  for (const [who, s] of [['sales4 (销售二部)', s4], ['sales2 (a colleague)', s2], ['manager2', m2], ['P3 (销售二部)', P[3]]]) {
    const r = await records(s, q)
    assert.equal(r.status, 403, `${who}: ${r.text}`)
    assert.equal(errorOf(r).code, 'forbidden')
  }
  for (const s of [m1, director, admin]) {
    const r = await records(s, q)
    assert.equal(r.status, 200, `${s.user.login}: ${r.text}`)
  }
})

test('who sees whom in the overview: a salesperson themselves, manager1 销售一部, the director everyone, ?dept= a subtree', async () => {
  const dept1 = m1.user.department.id
  const dept2 = m2.user.department.id
  const ids = (m) => [...m.keys()].sort((a, b) => a - b)

  const own = await overview(P[0], { date: today })
  assert.deepEqual(ids(own), [P[0].user.id], 'a salesperson sees only themselves')
  assert.deepEqual(ids(await overview(P[0], { date: today, dept: dept2 })), [], 'not through ?dept= either')

  const mine = await overview(m1, { date: today })
  const want1 = await activeIn(`s.department_id in (select crm_managed_depts(${m1.user.id}))`)
  assert.deepEqual(ids(mine), want1, 'manager1: the active staff of the subtree they head')
  assert.deepEqual(ids(await overview(m1, { date: today, dept: dept1 })), want1)
  for (const s of [m1, P[0], P[1], P[2]]) assert.ok(mine.has(s.user.id))
  for (const s of [m2, s4, P[3], director]) assert.ok(!mine.has(s.user.id), `${s.user.login} is not manager1's`)
  assert.deepEqual(ids(await overview(m1, { date: today, dept: dept2 })), [], 'manager1 asking for 销售二部: nobody')

  const all = await overview(director, { date: today })
  assert.deepEqual(ids(all), await activeIn('true'), 'the director sees every active person')
  const two = await overview(director, { date: today, dept: dept2 })
  assert.deepEqual(ids(two), await activeIn(subtree(dept2)), '?dept=销售二部: its subtree')
  assert.ok(two.has(P[3].user.id) && !two.has(P[0].user.id))
  const root = (await sql(`select department_id from staff where login = 'director'`))[0][0]
  assert.deepEqual(ids(await overview(director, { date: today, dept: root })), await activeIn(subtree(root)), '?dept=总部: the whole tree')

  // The figures a salesperson sees of themselves are the director's figures of them.
  assert.deepEqual(own.get(P[0].user.id), all.get(P[0].user.id))
})

test('malformed query parameters are refused with 400, never read as "me" or "everyone"', async () => {
  const q = { staff_id: P[0].user.id, kind: 'visit', from: addDays(today, -60), to: today }
  const bad = [
    ['records', { ...q, kind: 'target' }], ['records', { ...q, from: '2026-02-30' }], ['records', { ...q, to: 'today' }],
    ['records', { ...q, staff_id: '12x' }], ['records', { ...q, staff_id: 'x1' }], ['records', { ...q, staff_id: '-5' }],
    ['progress', { date: '2026-02-30' }], ['progress', { date: 'yesterday' }], ['progress', { dept: '3x' }], ['progress', { dept: 'x3' }]
  ]
  const wrong = []
  for (const [what, params] of bad) {
    const r = what === 'records' ? await records(director, params) : await progress(director, params)
    if (r.status !== 400) wrong.push(`${what} ${JSON.stringify(params)}: ${r.status} ${r.text.slice(0, 120)}`)
  }
  assert.deepEqual(wrong, [], 'every malformed query answers 400')
})
