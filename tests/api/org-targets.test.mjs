// Targets (ORG-TARGET, 指标编审): a manager sets the whole team's quarterly
// targets in one document, which goes to the director; a salesperson's own
// targets go to their manager; directors and admin apply at once.  Who may
// set whose targets is checked on the server (a salesperson only their own,
// a manager only inside their department subtree); overlapping periods of one
// person are refused naming the clashing period, by the check at submit and by
// the database's exclusion constraint when two requests race or two pending
// documents are approved one after the other; bad dates, rows and figures are
// refused with 422; an Idempotency-Key repeat answers the same document.
//
// Every period lies in far-future years no earlier run used (freeYears), so
// runs on a stack that is not wiped never clash.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'

import { api, errorOf, waitFor } from './lib.mjs'
import { open, closeAll, decide, getDoc, sqlInt, idemKey, tag, PG_PORT } from './archive-lib.mjs'
import {
  freeYears, quarter, row, targetData, submitTarget, label, targetsOf, dbTargets, progress, targetDocCount, toCents,
  createStaff, putStaff
} from './org-lib.mjs'

after(closeAll)

let Y // the first of this run's years; each test takes its own year(s)
let admin, director, m1, m2, s1, s2, s3, s4, s5, s6
let team // the active staff of 销售一部 (manager1's department), manager1 included

before(async () => {
  Y = await freeYears(14)
  ;[admin, director, m1, m2, s1, s2, s3, s4, s5, s6] = await Promise.all(
    ['admin', 'director', 'manager1', 'manager2', 'sales1', 'sales2', 'sales3', 'sales4', 'sales5', 'sales6'].map((n) => open(n))
  )
  const r = await api('GET', '/api/v1/staff', { cookie: m1.cookie })
  assert.equal(r.status, 200, r.text)
  team = r.json.items.filter((p) => p.department_id === m1.user.department.id)
})

const todoIds = async (s) => {
  const r = await api('GET', '/api/v1/todos', { cookie: s.cookie })
  assert.equal(r.status, 200, r.text)
  return r.json.items.map((x) => x.id)
}

// The person's targets as the API lists them, those of one document.
async function listedFor(reader, staffId, docId) {
  const r = await targetsOf(reader, staffId)
  assert.equal(r.status, 200, r.text)
  return r.json.items.filter((t) => t.document_id === docId)
}

function sameTarget(t, expectRow, period, start, end, what) {
  assert.equal(t.period, period, `${what}: period`)
  assert.equal(t.start_date, start, `${what}: start`)
  assert.equal(t.end_date, end, `${what}: end`)
  assert.equal(t.new_customers, expectRow.new_customers, `${what}: new customers`)
  assert.equal(t.visits, expectRow.visits, `${what}: visits`)
  assert.equal(toCents(String(t.deal_amount)), toCents(String(expectRow.deal_amount)), `${what}: deal amount`)
  assert.equal(toCents(String(t.payment_amount)), toCents(String(expectRow.payment_amount)), `${what}: payment amount`)
}

test('a manager sets the whole team\'s quarterly targets in one document; the director approves; every person has them', async () => {
  assert.ok(team.length >= 4, `销售一部 has manager1 and sales1-3 at least: ${JSON.stringify(team)}`)
  assert.ok(team.some((p) => p.id === m1.user.id), 'the manager is one of the team')
  const { start, end } = quarter(Y, 1)
  const period = label(`${Y}年一季度`)
  const rows = team.map((p, i) => row(p.id, {
    new_customers: 3 + i, visits: 30 + i, deal_amount: `${100000 + i}.25`, payment_amount: 80000 + i
  }))

  const r = await submitTarget(m1, period, start, end, rows)
  assert.equal(r.status, 201, r.text)
  assert.equal(r.json.applied, false)
  const doc = r.json.document
  assert.equal(doc.kind, 'target')
  assert.equal(doc.status, 'submitted')
  assert.equal(doc.steps.length, 1, JSON.stringify(doc.steps))
  assert.equal(doc.steps[0].rule, 'role:director', 'a manager\'s team targets go to the director')
  assert.equal(doc.steps[0].approver.id, director.user.id)
  assert.ok((await todoIds(director)).includes(doc.id), 'in the director\'s to-dos')
  assert.ok(!(await todoIds(m1)).includes(doc.id), 'not in the applicant\'s to-dos')
  assert.equal(await sqlInt(`select count(*) from targets where document_id = ${doc.id}`), 0, 'nothing before approval')

  // Only the approver of the step decides.
  const wrong = await decide(admin, doc.id, 'approve')
  assert.equal(wrong.status, 403, wrong.text)

  const a = await decide(director, doc.id, 'approve', '同意')
  assert.equal(a.status, 200, a.text)
  assert.equal(a.json.applied, true)
  assert.equal(a.json.document.status, 'approved')
  assert.equal(await sqlInt(`select count(*) from targets where document_id = ${doc.id}`), team.length, 'one row per person')

  for (const [i, p] of team.entries()) {
    const got = await listedFor(m1, p.id, doc.id)
    assert.equal(got.length, 1, `${p.login}: one target of the document: ${JSON.stringify(got)}`)
    sameTarget(got[0], rows[i], period, start, end, p.login)
  }
  // A salesperson reads their own.
  const own = await listedFor(s1, s1.user.id, doc.id)
  assert.equal(own.length, 1)
  // The overview on a day of the quarter shows each person's target.
  const pr = await progress(m1, { date: `${Y}-02-15` })
  assert.equal(pr.status, 200, pr.text)
  for (const p of team) {
    const e = pr.json.people.find((x) => x.id === p.id)
    assert.ok(e, `${p.login} in manager1's overview`)
    assert.ok(e.target, `${p.login} has a target on ${Y}-02-15`)
    assert.equal(e.target.document_id, doc.id)
    assert.equal(e.target.period, period)
  }
})

test('a salesperson sets their own targets; they go to their manager, who approves', async () => {
  const { start, end } = quarter(Y, 2)
  const period = label(`${Y}年二季度`)
  const rows = [row(s3.user.id, { new_customers: 8, visits: 40, deal_amount: '12345.67', payment_amount: '2000' })]
  const r = await submitTarget(s3, period, start, end, rows)
  assert.equal(r.status, 201, r.text)
  const doc = r.json.document
  assert.equal(doc.status, 'submitted')
  assert.equal(doc.steps.length, 1)
  assert.equal(doc.steps[0].rule, 'dept_manager')
  assert.equal(doc.steps[0].approver.id, m1.user.id, 'the head of 销售一部')
  assert.ok((await todoIds(m1)).includes(doc.id))
  assert.ok(!(await todoIds(m2)).includes(doc.id), 'not the other department\'s head')
  assert.equal((await decide(director, doc.id, 'approve')).status, 403, 'not the director\'s to decide')
  assert.equal((await listedFor(s3, s3.user.id, doc.id)).length, 0, 'nothing before approval')

  const a = await decide(m1, doc.id, 'approve')
  assert.equal(a.status, 200, a.text)
  assert.equal(a.json.applied, true)
  const got = await listedFor(s3, s3.user.id, doc.id)
  assert.equal(got.length, 1, JSON.stringify(got))
  sameTarget(got[0], rows[0], period, start, end, 'sales3')
})

test('a salesperson cannot set a colleague\'s targets (403, nothing created), nor read them', async () => {
  const { start, end } = quarter(Y + 1, 1)
  const before = await targetDocCount(s1.user.id)
  for (const rows of [[row(s2.user.id)], [row(s1.user.id), row(s2.user.id)], [row(s4.user.id)]]) {
    const r = await submitTarget(s1, label('越权'), start, end, rows)
    assert.equal(r.status, 403, r.text)
    const e = errorOf(r)
    assert.equal(e.code, 'forbidden')
    assert.equal(e.field, 'targets')
  }
  assert.equal(await targetDocCount(s1.user.id), before, 'no document')
  for (const p of [s1, s2, s4]) assert.deepEqual(await dbTargets(p.user.id, start, end), [], 'no target')
  const peek = await targetsOf(s1, s2.user.id)
  assert.equal(peek.status, 403, peek.text)
})

test('a manager sets targets only inside their department subtree', async () => {
  const { start, end } = quarter(Y + 1, 2)
  const before = await targetDocCount(m1.user.id)
  // manager1 for sales4 (销售二部): refused; a mixed team names the row.
  let r = await submitTarget(m1, label('越权'), start, end, [row(s4.user.id)])
  assert.equal(r.status, 403, r.text)
  assert.equal(errorOf(r).field, 'targets')
  r = await submitTarget(m1, label('越权'), start, end, [row(s2.user.id), row(s4.user.id)])
  assert.equal(r.status, 403, r.text)
  assert.match(errorOf(r).message, /2/, 'the message names the row out of scope')
  // manager2 for sales1: refused too; neither for the other head.
  r = await submitTarget(m2, label('越权'), start, end, [row(s1.user.id)])
  assert.equal(r.status, 403, r.text)
  r = await submitTarget(m2, label('越权'), start, end, [row(m1.user.id)])
  assert.equal(r.status, 403, r.text)
  assert.equal(await targetDocCount(m1.user.id), before, 'no document')
  for (const p of [s1, s2, s4, m1]) assert.deepEqual(await dbTargets(p.user.id, start, end), [], 'no target')
  const peek = await targetsOf(m1, s4.user.id)
  assert.equal(peek.status, 403, 'manager1 cannot read sales4\'s targets either')

  // A disabled person: 422, naming them.
  const off = await createStaff(admin, 'tgoff', { department_id: m1.user.department.id })
  assert.equal((await putStaff(admin, off.id, { active: false })).status, 204)
  r = await submitTarget(m1, label('停用'), start, end, [row(off.id)])
  assert.equal(r.status, 422, r.text)
  assert.equal(errorOf(r).field, 'targets')
  assert.equal(await targetDocCount(m1.user.id), before, 'no document')

  // Inside the subtree: a team below 销售一部 too.
  const sub = await api('POST', '/api/v1/departments', { cookie: admin.cookie, csrf: admin.csrf, body: { name: `一部小组${tag(6)}`, parent_id: m1.user.department.id } })
  assert.equal(sub.status, 201, sub.text)
  const deep = await createStaff(admin, 'tgsub', { department_id: sub.json.id })
  r = await submitTarget(m1, label(`${Y + 1}Q2小组`), start, end, [row(deep.id, { visits: 9 })])
  assert.equal(r.status, 201, `a person of a team below 销售一部: ${r.text}`)
  assert.equal((await decide(director, r.json.document.id, 'approve')).status, 200)
  assert.equal((await dbTargets(deep.id, start, end))[0].visits, 9)
  // ...but not for manager2.
  r = await submitTarget(m2, label('越权'), `${Y + 1}-10-01`, `${Y + 1}-12-31`, [row(deep.id)])
  assert.equal(r.status, 403, r.text)

  // And within 销售一部 itself; it goes to the director.
  const period = label(`${Y + 1}Q2`)
  r = await submitTarget(m1, period, start, end, [row(s2.user.id, { visits: 7 })])
  assert.equal(r.status, 201, r.text)
  assert.equal(r.json.document.steps[0].rule, 'role:director')
  const a = await decide(director, r.json.document.id, 'approve')
  assert.equal(a.status, 200, a.text)
  const got = await dbTargets(s2.user.id, start, end)
  assert.equal(got.length, 1)
  assert.equal(got[0].visits, 7)
  assert.equal(got[0].period, period)
})

test('directors and admin set anyone\'s targets, applied at once', async () => {
  const { start, end } = quarter(Y + 1, 3)
  for (const [who, p] of [[director, s4], [admin, s5], [director, m2]]) {
    const period = label(`${Y + 1}Q3`)
    const r = await submitTarget(who, period, start, end, [row(p.user.id, { new_customers: 2 })])
    assert.equal(r.status, 201, r.text)
    assert.equal(r.json.applied, true, `${who.user.login} applies at once`)
    assert.equal(r.json.document.status, 'approved')
    assert.deepEqual(r.json.document.steps, [])
    const got = await listedFor(who, p.user.id, r.json.document.id)
    assert.equal(got.length, 1, JSON.stringify(got))
    assert.equal(got[0].period, period)
  }
})

test('start after end is refused with 422 (field end_date) and nothing is created', async () => {
  const before = await targetDocCount(director.user.id)
  let r = await submitTarget(director, label('倒置'), `${Y + 2}-06-30`, `${Y + 2}-06-01`, [row(s1.user.id)])
  assert.equal(r.status, 422, r.text)
  const e = errorOf(r)
  assert.equal(e.code, 'validation')
  assert.equal(e.field, 'end_date')
  // One day is a valid period; the day before the start is not.
  r = await submitTarget(director, label('倒置'), `${Y + 2}-07-01`, `${Y + 2}-06-30`, [row(s1.user.id)])
  assert.equal(r.status, 422, r.text)
  assert.equal(await targetDocCount(director.user.id), before)
  assert.deepEqual(await dbTargets(s1.user.id, `${Y + 2}-01-01`, `${Y + 2}-12-31`), [])
})

test('an impossible date (30 February) is refused with 422, not a server error', async () => {
  // It passes the form's YYYY-MM-DD pattern; PostgreSQL then refuses the cast.
  const before = await targetDocCount(director.user.id)
  const r = await submitTarget(director, label('无效日期'), `${Y + 2}-02-30`, `${Y + 2}-03-31`, [row(s1.user.id)])
  assert.equal(r.status, 422, `an impossible start date: ${r.status} ${r.text}`)
  assert.equal(errorOf(r).field, 'start_date')
  assert.equal(await targetDocCount(director.user.id), before)
})

test('an overlapping period of the same person is refused with 409 naming the clashing period', async () => {
  const y = Y + 3
  const first = label(`${y}下半年`)
  let r = await submitTarget(director, first, `${y}-07-01`, `${y}-09-30`, [row(s6.user.id)])
  assert.equal(r.status, 201, r.text)
  const before = await targetDocCount(director.user.id)
  // Overlaps: inside, across the end, the same last day (bounds are inclusive), all of it.
  for (const [a, b] of [[`${y}-08-01`, `${y}-08-31`], [`${y}-09-15`, `${y}-12-31`], [`${y}-09-30`, `${y}-10-31`], [`${y}-01-01`, `${y}-12-31`]]) {
    r = await submitTarget(director, label('重叠'), a, b, [row(s5.user.id), row(s6.user.id)])
    assert.equal(r.status, 409, `${a}..${b}: ${r.text}`)
    const e = errorOf(r)
    assert.equal(e.code, 'conflict')
    assert.ok(e.message.includes(first), `the message names the clashing period "${first}": ${e.message}`)
    assert.ok(e.message.includes(`${y}-07-01`), `and its dates: ${e.message}`)
  }
  assert.equal(await targetDocCount(director.user.id), before, 'no document')
  assert.deepEqual(await dbTargets(s5.user.id, `${y}-01-01`, `${y}-12-31`), [], 'the other row is not applied either')
  // The same check answers a salesperson's own document.
  r = await submitTarget(s6, label('重叠'), `${y}-09-01`, `${y}-10-15`, [row(s6.user.id)])
  assert.equal(r.status, 409, r.text)
  assert.ok(errorOf(r).message.includes(first), errorOf(r).message)
  // The next day on is free.
  r = await submitTarget(director, label(`${y}Q4`), `${y}-10-01`, `${y}-12-31`, [row(s6.user.id)])
  assert.equal(r.status, 201, r.text)
  assert.equal((await dbTargets(s6.user.id, `${y}-01-01`, `${y}-12-31`)).length, 2)
})

test('two pending documents for the same person: both submitted, the second approval is refused with 409 and creates nothing', async () => {
  const y = Y + 4
  // sales2's own targets wait for manager1; manager1's team targets (sales2
  // and sales3, overlapping) wait for the director.  The check at submit sees
  // only applied targets, so both are submitted.
  const own = await submitTarget(s2, label(`${y}Q1自定`), `${y}-01-01`, `${y}-03-31`, [row(s2.user.id, { visits: 11 })])
  assert.equal(own.status, 201, own.text)
  assert.equal(own.json.document.status, 'submitted')
  const teamDoc = await submitTarget(m1, label(`${y}Q1团队`), `${y}-02-01`, `${y}-04-30`,
    [row(s3.user.id, { visits: 22 }), row(s2.user.id, { visits: 33 })])
  assert.equal(teamDoc.status, 201, teamDoc.text)
  assert.equal(teamDoc.json.document.status, 'submitted')

  const a1 = await decide(m1, own.json.document.id, 'approve')
  assert.equal(a1.status, 200, a1.text)
  assert.equal(a1.json.applied, true)

  const a2 = await decide(director, teamDoc.json.document.id, 'approve')
  assert.equal(a2.status, 409, `approving the overlapping second document: ${a2.text}`)
  assert.equal(errorOf(a2).code, 'conflict')
  // Nothing of it is applied: not sales2's row, not sales3's either.
  assert.equal(await sqlInt(`select count(*) from targets where document_id = ${teamDoc.json.document.id}`), 0)
  assert.deepEqual(await dbTargets(s3.user.id, `${y}-01-01`, `${y}-12-31`), [], 'sales3 got nothing')
  const s2t = await dbTargets(s2.user.id, `${y}-01-01`, `${y}-12-31`)
  assert.equal(s2t.length, 1)
  assert.equal(s2t[0].visits, 11, 'sales2 keeps the approved targets')
  // The document still waits; it can be sent back.
  const d = await getDoc(director, teamDoc.json.document.id)
  assert.equal(d.json.document.status, 'submitted', JSON.stringify(d.json.document))
  assert.equal(d.json.document.steps[0].status, 'pending')
  const back = await decide(director, teamDoc.json.document.id, 'return', '与张三已批准的指标期间重叠，请调整')
  assert.equal(back.status, 200, back.text)
})

// Hold a SHARE lock on targets while the two requests run, so that both pass
// the check at submit (reads are not blocked) before either commits: only the
// database's exclusion constraint can then refuse one of them.  Proven by
// seeing both wait in the database past the check: the first at its insert
// into targets, the second there too or at the document number (the first
// holds the day's number row until it commits).
async function bothAtTheInsert(race) {
  const holder = spawn('psql', ['-h', '127.0.0.1', '-p', String(PG_PORT), '-U', 'crm', '-d', 'crm', '-X', '-q', '-v', 'ON_ERROR_STOP=1',
    '-c', 'begin; lock table targets in share mode; select pg_sleep(1.5); commit;'], { stdio: 'ignore' })
  const done = new Promise((resolve) => holder.on('exit', resolve))
  try {
    await waitFor(() => sqlInt(`select count(*) from pg_locks l join pg_class c on c.oid = l.relation where c.relname = 'targets' and l.mode = 'ShareLock' and l.granted`), 5000, 20)
    const answers = race()
    const waiting = await waitFor(async () => {
      const n = await sqlInt(`select count(*) from pg_stat_activity where wait_event_type = 'Lock' and (query like 'insert into targets%' or query like 'insert into number_seq%')`)
      const t = await sqlInt(`select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query like 'insert into targets%'`)
      return n === 2 && t >= 1 ? n : 0
    }, 1200, 20).catch(() => 0)
    assert.equal(waiting, 2, 'both requests passed the check at submit and wait in the database')
    return await answers
  } finally {
    await done
  }
}

test('two simultaneous requests for the same person and overlapping periods: exactly one 201, the other 409', async () => {
  const y = Y + 5
  const people = [s4, s5, s6, m2, s1]
  for (const [i, p] of people.entries()) {
    const race = () => Promise.all([
      submitTarget(director, label(`${y}并发A${i}`), `${y}-0${i + 1}-01`, `${y}-0${i + 1}-20`, [row(p.user.id)]),
      submitTarget(director, label(`${y}并发B${i}`), `${y}-0${i + 1}-10`, `${y}-0${i + 2}-15`, [row(p.user.id)])
    ])
    // The first round is forced past the check at submit (the constraint
    // decides); the others race freely.
    const answers = i === 0 ? await bothAtTheInsert(race) : await race()
    const statuses = answers.map((r) => r.status).sort()
    assert.deepEqual(statuses, [201, 409], `round ${i}: ${answers.map((r) => `${r.status} ${r.text.slice(0, 200)}`).join(' | ')}`)
    const loser = answers.find((r) => r.status === 409)
    assert.equal(errorOf(loser).code, 'conflict')
    const rows = await dbTargets(p.user.id, `${y}-01-01`, `${y}-12-31`)
    assert.equal(rows.length, 1, `round ${i}: one target: ${JSON.stringify(rows)}`)
    const winner = answers.find((r) => r.status === 201)
    assert.equal(rows[0].document_id, winner.json.document.id)
    // The loser's document does not exist as approved.
    assert.equal(await sqlInt(`select count(*) from documents where kind = 'target' and status = 'approved' and data->'targets'->0->>'staff_id' = '${p.user.id}' and data->>'start_date' like '${y}-%'`), 1)
  }
})

test('bad rows are refused with 422: one person twice, negative or fractional counts, amounts with 3 decimals', async () => {
  const y = Y + 6
  const before = await targetDocCount(director.user.id)
  const cases = [
    ['the same person twice', [row(s1.user.id), row(s1.user.id, { visits: 1 })]],
    ['a negative count of new customers', [row(s1.user.id, { new_customers: -1 })]],
    ['a negative count of visits', [row(s1.user.id, { visits: -3 })]],
    ['a fractional count of visits', [row(s1.user.id, { visits: 2.5 })]],
    ['a fractional count of new customers', [row(s1.user.id, { new_customers: 0.5 })]],
    ['a deal amount with 3 decimals', [row(s1.user.id, { deal_amount: '100.123' })]],
    ['a payment amount with 3 decimals', [row(s1.user.id, { payment_amount: '0.001' })]],
    ['a negative amount', [row(s1.user.id, { deal_amount: '-5.00' })]],
    ['an amount as a float', [row(s1.user.id, { payment_amount: 10.5 })]],
    ['an unknown item', [row(s1.user.id, { bonus: 1 })]],
    ['no people', []]
  ]
  for (const [what, rows] of cases) {
    const r = await submitTarget(director, label('坏行'), `${y}-01-01`, `${y}-03-31`, rows)
    assert.equal(r.status, 422, `${what}: ${r.text}`)
    const e = errorOf(r)
    assert.equal(e.code, 'validation', what)
    assert.equal(e.field, 'targets', what)
  }
  assert.equal(await targetDocCount(director.user.id), before)
  assert.deepEqual(await dbTargets(s1.user.id, `${y}-01-01`, `${y}-12-31`), [])
  // Two decimals and whole numbers are fine.
  const ok = await submitTarget(director, label(`${y}Q1`), `${y}-01-01`, `${y}-03-31`,
    [row(s1.user.id, { new_customers: 0, visits: 0, deal_amount: '0.01', payment_amount: 7 })])
  assert.equal(ok.status, 201, ok.text)
  const [t] = await dbTargets(s1.user.id, `${y}-01-01`, `${y}-12-31`)
  assert.equal(t.deal_amount, '0.01')
  assert.equal(t.payment_amount, '7.00')
})

test('an Idempotency-Key repeat answers the same document and creates nothing more', async () => {
  const y = Y + 7
  const key = idemKey('target')
  const data = targetData(label(`${y}Q1`), `${y}-01-01`, `${y}-03-31`, [row(s4.user.id), row(s5.user.id)])
  const send = () => api('POST', '/api/v1/documents', {
    cookie: director.cookie, csrf: director.csrf, body: { kind: 'target', data }, headers: { 'idempotency-key': key }
  })
  const first = await send()
  assert.equal(first.status, 201, first.text)
  const second = await send()
  assert.equal(second.status, 201, second.text)
  assert.equal(second.headers.get('idempotent-replayed'), 'true')
  assert.equal(second.json.document.id, first.json.document.id, 'the same document')
  assert.equal(await sqlInt(`select count(*) from targets where document_id = ${first.json.document.id}`), 2)
  assert.equal((await dbTargets(s4.user.id, `${y}-01-01`, `${y}-12-31`)).length, 1)
  // The same key with another body is refused.
  const other = await api('POST', '/api/v1/documents', {
    cookie: director.cookie, csrf: director.csrf, headers: { 'idempotency-key': key },
    body: { kind: 'target', data: { ...data, period: label('另一个') } }
  })
  assert.equal(other.status, 422, other.text)
  assert.equal(errorOf(other).code, 'idempotency_key_reused')

  // A pending document (a salesperson's own) too: one document only.
  const k2 = idemKey('target')
  const own = targetData(label(`${y}Q2`), `${y}-04-01`, `${y}-06-30`, [row(s6.user.id)])
  const n0 = await targetDocCount(s6.user.id)
  const a = await api('POST', '/api/v1/documents', { cookie: s6.cookie, csrf: s6.csrf, body: { kind: 'target', data: own }, headers: { 'idempotency-key': k2 } })
  const b = await api('POST', '/api/v1/documents', { cookie: s6.cookie, csrf: s6.csrf, body: { kind: 'target', data: own }, headers: { 'idempotency-key': k2 } })
  assert.equal(a.status, 201, a.text)
  assert.equal(b.status, 201, b.text)
  assert.equal(b.json.document.id, a.json.document.id)
  assert.equal(await targetDocCount(s6.user.id), n0 + 1)
})
