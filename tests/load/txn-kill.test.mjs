// CARD-LB: FastCGI workers killed with SIGKILL at random moments while a
// stream of documents (visits, deals applied at once) goes through nginx to
// two servers.  A document's effects are one transaction: the document, its
// visit or deal row, the customer's figures, the day's activity counters and
// the idempotency record.  After the run every document is whole and every
// counter equals the rows it counts; 0 lost, 0 duplicated.
//
// Server 2 runs with CRM_TEST_TXN_DELAY_MS (a test-only wait of up to that
// long inside every document transaction, before COMMIT; off by default,
// see docs/deployment.md), so the kills land inside open transactions; the
// PostgreSQL log proves they did ("unexpected EOF ... open transaction").
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { api, login, logout, sh, stackEnv, sleep, readPid, fcgiWorkersOf, childrenOf, waitFor, VAR } from '../api/lib.mjs'
import { Ledger } from './ledger.mjs'

const N = Math.max(300, Math.floor(Number(process.env.LOAD_N || 300) / 10))
const CONCURRENCY = 8
const DELAY_MS = 40
const run = Date.now().toString(36)

async function q(sql) {
  const env = await stackEnv()
  const port = /port=(\d+)/.exec(env.CRM_DB)[1]
  const r = await sh(`psql -h 127.0.0.1 -p ${port} -U crm -d crm -tAq -v ON_ERROR_STOP=1 -c "$SQL"`, { env: { SQL: sql } })
  assert.equal(r.code, 0, r.stderr)
  return r.stdout.trim()
}

function pgLog() {
  for (const f of [path.join(VAR, 'pg', 'server.log'), path.join(VAR, 'pgdata', 'server.log')]) {
    if (existsSync(f)) return f
  }
  return null
}

let s1
let customers

before(async () => {
  // Server 2 restarted with the test-only delay; nginx over both.
  await sh('scripts/stack crmd-stop 2')
  const r = await sh(`CRM_TEST_TXN_DELAY_MS=${DELAY_MS} CRM_SERVERS=2 scripts/stack crmd-start 2`)
  assert.equal(r.code, 0, r.stderr)
  await sh('CRM_SERVERS=2 scripts/stack nginx-start')
  s1 = await login('sales1')
  const list = await api('GET', '/api/v1/customers?view=mine&size=50', { cookie: s1.cookie })
  customers = list.json.items.filter((c) => c.owner_id === s1.user.id).slice(0, 3).map((c) => c.id)
  assert.equal(customers.length, 3)
})

after(async () => {
  await logout(s1)
  await sh('scripts/stack crmd-stop 2')
  await sh('CRM_SERVERS=1 scripts/stack nginx-start')
})

test(`${N} documents while workers are SIGKILLed inside their transactions: every document all-or-nothing`, async (t) => {
  const uid = s1.user.id
  const actBefore = await q(`select coalesce(sum(visits), 0) || '|' || coalesce(sum(deals), 0) || '|' || coalesce(sum(deal_amount), 0) from activity_daily where staff_id = ${uid}`)
  const log = pgLog()
  const logStart = log ? statSync(log).size : 0
  const master2 = readPid('crmd-2.pid')
  const kidsBefore = childrenOf(master2).length

  const ledger = new Ledger()
  let next = 0
  let kills = 0
  let done = false
  const killer = (async () => {
    while (!done) {
      await sleep(50 + Math.floor(Math.random() * 100))
      const ws = fcgiWorkersOf(master2)
      if (ws.length === 0) continue
      try {
        process.kill(ws[Math.floor(Math.random() * ws.length)], 'SIGKILL')
        kills++
      } catch {
        // already gone
      }
    }
  })()
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
  async function client() {
    while (next < N) {
      const i = next++
      const key = `tk-${run}-${i}`
      const customer = customers[i % customers.length]
      if (i % 2) {
        await ledger.submit(s1, key, 'visit', { customer_id: customer, met: '事务测试', stage: 'needs', notes: key })
      } else {
        await ledger.submit(s1, key, 'deal', { customer_id: customer, deal_date: today, amount: '100.25', notes: key })
      }
    }
  }
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, client))
  } finally {
    done = true
    await killer
  }
  // The master has replaced every killed worker.
  await waitFor(() => childrenOf(master2).length === kidsBefore, 10000)

  const like = `data->>'notes' like 'tk-${run}-%'`
  const rows = await q(`select data->>'notes' || ':' || count(*) from documents where ${like} group by data->>'notes'`)
  const byKey = new Map(rows ? rows.split('\n').map((l) => {
    const i = l.lastIndexOf(':')
    return [l.slice(0, i), Number(l.slice(i + 1))]
  }) : [])
  const res = ledger.check(byKey)
  const killedInside = log ? (readFileSync(log).subarray(logStart).toString('utf8').match(/unexpected EOF on client connection with an open transaction/g) || []).length : -1
  const retried = [...ledger.entries.values()].filter((e) => e.attempts > 1).length
  t.diagnostic(`${kills} workers killed; ${killedInside} of them inside an open transaction (PostgreSQL log); ` +
    `sent ${res.sent}, acked ${res.acked}, retried ${retried}, lost ${res.lost.length}, dup ${res.dup.length}`)
  assert.ok(kills >= 5, `only ${kills} kills`)
  assert.ok(killedInside >= 1, 'at least one kill landed inside a document transaction')
  assert.deepEqual(res.lost, [], 'acknowledged but missing')
  assert.deepEqual(res.dup, [], 'recorded twice')
  assert.equal(res.acked, N, 'every document went through in the end (the client retries with its key)')

  // Each document is whole: applied, with exactly one visit or deal row and
  // its idempotency record; no idempotency record without its document.
  assert.equal(await q(`select count(*) from documents d where ${like} and (d.status <> 'approved'
    or (d.kind = 'visit' and (select count(*) from visits v where v.document_id = d.id) <> 1)
    or (d.kind = 'deal' and (select count(*) from deals x where x.document_id = d.id) <> 1)
    or not exists (select 1 from idempotency i where i.staff_id = d.applicant_id and i.key = d.data->>'notes'))`), '0')
  assert.equal(await q(`select count(*) from idempotency i where i.key like 'tk-${run}-%'
    and not exists (select 1 from documents d where d.data->>'notes' = i.key)`), '0')
  // The counters moved exactly once per document.
  const nVisits = Number(await q(`select count(*) from visits v join documents d on d.id = v.document_id where ${like}`))
  const nDeals = Number(await q(`select count(*) from deals x join documents d on d.id = x.document_id where ${like}`))
  assert.equal(nVisits + nDeals, N)
  const [v0, d0, a0] = actBefore.split('|').map(Number)
  const actAfter = await q(`select sum(visits) || '|' || sum(deals) || '|' || sum(deal_amount) from activity_daily where staff_id = ${uid}`)
  const [v1, d1, a1] = actAfter.split('|').map(Number)
  assert.equal(v1 - v0, nVisits, 'activity_daily.visits')
  assert.equal(d1 - d0, nDeals, 'activity_daily.deals')
  assert.equal(Math.round((a1 - a0) * 100), nDeals * 10025, 'activity_daily.deal_amount')
  for (const c of customers) {
    assert.equal(await q(`select visit_count = (select count(*) from visits where customer_id = ${c}) from customers where id = ${c}`), 't',
      `customer ${c}: visit_count equals its visits`)
  }
})
