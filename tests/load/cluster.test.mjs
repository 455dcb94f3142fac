// CARD-LB: two app servers behind one nginx. Submits keep their promises while
// parts fail: a server killed with SIGKILL mid-run, Redis restarted, PostgreSQL
// restarted. Each run writes a ledger of every POST and checks the database
// after: 0 lost, 0 duplicated. Short by default (make test); LOAD_N=20000 for
// the long form (make load).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { api, login, logout, sh, stack, stackEnv, sleep, health } from '../api/lib.mjs'
import { Ledger } from './ledger.mjs'

const N = Number(process.env.LOAD_N || 600)
const CONCURRENCY = 12
const run = Date.now().toString(36)

async function q(sql) {
  const env = await stackEnv()
  const port = /port=(\d+)/.exec(env.CRM_DB)[1]
  const r = await sh(`psql -h 127.0.0.1 -p ${port} -U crm -d crm -tAq -v ON_ERROR_STOP=1 -c "$SQL"`, { env: { SQL: sql } })
  assert.equal(r.code, 0, r.stderr)
  return r.stdout.trim()
}

let s1
let customer

before(async () => {
  // The second server, and nginx balancing over both.
  await sh('CRM_SERVERS=2 scripts/stack crmd-start 2')
  await sh('CRM_SERVERS=2 scripts/stack nginx-start')
  s1 = await login('sales1')
  const list = await api('GET', '/api/v1/customers?view=mine&size=50', { cookie: s1.cookie })
  customer = list.json.items.find((c) => c.owner_id === s1.user.id).id
})

after(async () => {
  await logout(s1)
  await sh('scripts/stack pg-start')
  await sh('scripts/stack redis-start')
  await sh('scripts/stack crmd-stop 2')
  await sh('CRM_SERVERS=1 scripts/stack nginx-start')
})

// Send n visits through a ledger with a fault injected once `at` are acked;
// reads run beside them. Returns the ledger's check and the read results.
async function runWithFault(label, fault, heal) {
  const ledger = new Ledger()
  const keys = Array.from({ length: N }, (_, i) => `load-${run}-${label}-${i}`)
  let next = 0
  let acked = 0
  let faulted = false
  const reads = { ok: 0, failed: 0 }
  let reading = true
  const reader = (async () => {
    while (reading) {
      try {
        const r = await api('GET', '/api/v1/health', { timeout: 5000 })
        if (r.status === 200 || r.status === 503) reads.ok++
        else reads.failed++
      } catch {
        reads.failed++
      }
      await sleep(20)
    }
  })()
  async function worker() {
    while (next < keys.length) {
      const key = keys[next++]
      const e = await ledger.submit(s1, key, 'visit', {
        customer_id: customer, met: '负载测试', stage: 'needs', notes: key
      })
      if (e.acked) acked++
      if (!faulted && acked >= N / 3) {
        faulted = true
        await fault()
        setTimeout(() => heal().catch(() => {}), 1500)
      }
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  await heal()
  reading = false
  await reader
  const rows = await q(`select notes || ':' || count(*) from visits where notes like 'load-${run}-${label}-%' group by notes`)
  const byKey = new Map(rows ? rows.split('\n').map((l) => {
    const i = l.lastIndexOf(':')
    return [l.slice(0, i), Number(l.slice(i + 1))]
  }) : [])
  return { result: ledger.check(byKey), reads, ledger }
}

// What the clients went through: retried statuses, for the test's log.
function retries(ledger) {
  const seen = {}
  for (const e of ledger.entries.values()) {
    for (const s of e.statuses) if (s !== 201) seen[s] = (seen[s] || 0) + 1
  }
  return JSON.stringify(seen)
}

test(`${N} visits through nginx to two servers, one killed with SIGKILL mid-run: 0 lost, 0 duplicated`, async (t) => {
  const { result, reads, ledger } = await runWithFault('kill',
    () => sh('scripts/stack crmd-kill 2'),
    () => sh('CRM_SERVERS=2 scripts/stack crmd-start 2'))
  assert.deepEqual(result.lost, [], 'acknowledged but missing')
  assert.deepEqual(result.dup, [], 'recorded twice')
  assert.ok(result.acked >= N * 0.98, `only ${result.acked} of ${N} acknowledged`)
  // A read in flight on the killed server may fail once; the rest answer.
  assert.ok(reads.ok > 0 && reads.failed <= Math.max(2, reads.ok * 0.05), `reads: ${JSON.stringify(reads)}`)
  t.diagnostic(`acked ${result.acked}/${N}; retried answers ${retries(ledger)}; reads ${JSON.stringify(reads)}`)
  assert.equal((await health()).status, 200)
})

test(`${N} visits while Redis restarts: 0 lost, 0 duplicated, sessions survive, unread counts rebuilt`, async () => {
  const { result } = await runWithFault('redis',
    () => sh('scripts/stack redis-stop'),
    () => sh('scripts/stack redis-start'))
  assert.deepEqual(result.lost, [])
  assert.deepEqual(result.dup, [])
  assert.equal(result.acked, N, 'Redis is a cache: nothing waits on it')
  assert.equal((await api('GET', '/api/v1/me', { cookie: s1.cookie })).status, 200)
  const n = await api('GET', '/api/v1/notifications?count_only=1', { cookie: s1.cookie })
  const truth = await q(`select count(*) from notifications where staff_id = ${s1.user.id} and read_at is null`)
  assert.equal(String(n.json.unread), truth, 'the unread count equals PostgreSQL')
})

test(`${N} visits while PostgreSQL restarts: 503 with Retry-After while down, 0 lost, no half-applied document`, async (t) => {
  let sawRetryAfter = false
  const { result, ledger } = await runWithFault('pg',
    async () => {
      await sh('scripts/stack pg-stop')
      const r = await api('GET', '/api/v1/health')
      sawRetryAfter = r.status === 503 && r.headers.get('retry-after') !== null
    },
    () => sh('scripts/stack pg-start'))
  assert.ok(sawRetryAfter, 'health answered 503 with Retry-After while PostgreSQL was down')
  assert.deepEqual(result.lost, [])
  assert.deepEqual(result.dup, [])
  assert.ok(result.acked >= N * 0.98, `only ${result.acked} of ${N} acknowledged`)
  const statuses = [...ledger.entries.values()].flatMap((e) => e.statuses)
  assert.ok(!statuses.includes(500), 'never a 500')
  t.diagnostic(`acked ${result.acked}/${N}; retried answers ${retries(ledger)}`)
  // Every visit document is whole: a document has its visit row and the
  // customer's count moved with it (applied in one transaction).
  const orphans = await q(`select count(*) from documents d where d.kind = 'visit' and d.status = 'approved'
    and not exists (select 1 from visits v where v.document_id = d.id)`)
  assert.equal(orphans, '0')
  const count = await q(`select visit_count = (select count(*) from visits where customer_id = ${customer}) from customers where id = ${customer}`)
  assert.equal(count, 't', "the customer's visit count equals its visits")
})
