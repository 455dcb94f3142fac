// CARD-LB: Redis paused with SIGSTOP for 10 s while two app servers are under
// load.  A stopped Redis accepts connections (the kernel queues them) but
// never answers, the worst case for a client: only the command timeout
// (CRM_REDIS_TIMEOUT_MS, 250 ms by default) bounds how long a request waits.
// Proven here, on every request of the run:
//   - no request is held by a server longer than that timeout plus a slack:
//     the time crmd's access log gives each request (from the worker taking
//     it to the answer), at most LOAD_SLACK_MS (1000 ms) or twice the
//     slowest request of the same load in the 2 s before the pause,
//     whichever is more, above the timeout.  A correctness bound, not a
//     speed figure: without the timeout a request would hang for the whole
//     pause.  As seen by the clients (queueing for a busy worker included)
//     no request may take half the pause.  The figures are printed;
//   - every request is answered as if Redis were there (it is a cache);
//   - no worker dies (the pids of both servers' children are unchanged);
//   - sessions made before the pause still work after it;
//   - the cached unread counters equal PostgreSQL right after the pause,
//     although to-dos were created and read while Redis was stopped;
//   - the deals sent (ledger, Idempotency-Key): 0 lost, 0 duplicated.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { api, login, logout, sh, stackEnv, sleep, health, readPid, childrenOf, waitFor, logSize, logSince } from '../api/lib.mjs'
import { Ledger } from './ledger.mjs'

const PAUSE_MS = Number(process.env.LOAD_PAUSE_MS || 10000)
const TIMEOUT_MS = Number(process.env.CRM_REDIS_TIMEOUT_MS || 250)
const SLACK_MS = Number(process.env.LOAD_SLACK_MS || 1000)
const CONCURRENCY = 12
const run = Date.now().toString(36)

async function q(sql) {
  const env = await stackEnv()
  const port = /port=(\d+)/.exec(env.CRM_DB)[1]
  const r = await sh(`psql -h 127.0.0.1 -p ${port} -U crm -d crm -tAq -v ON_ERROR_STOP=1 -c "$SQL"`, { env: { SQL: sql } })
  assert.equal(r.code, 0, r.stderr)
  return r.stdout.trim()
}

const sessions = []
let s1, m1, customer

before(async () => {
  await sh('CRM_SERVERS=2 scripts/stack crmd-start 2')
  await sh('CRM_SERVERS=2 scripts/stack nginx-start')
  s1 = await login('sales1')
  m1 = await login('manager1')
  for (const who of ['sales2', 'sales3', 'manager2', 'director']) sessions.push(await login(who))
  const list = await api('GET', '/api/v1/customers?view=mine&size=50', { cookie: s1.cookie })
  customer = list.json.items.find((c) => c.owner_id === s1.user.id).id
})

after(async () => {
  try {
    process.kill(readPid('redis.pid'), 'SIGCONT')
  } catch {
    // not stopped, or gone
  }
  for (const s of [s1, m1, ...sessions]) await logout(s)
  await sh('scripts/stack crmd-stop 2')
  await sh('CRM_SERVERS=1 scripts/stack nginx-start')
})

function workers() {
  return [readPid('crmd.pid'), readPid('crmd-2.pid')].map((p) => [p, childrenOf(p)])
}

function today() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date())
}

test(`Redis stopped (SIGSTOP) for ${PAUSE_MS / 1000} s under load on two servers: no request blocks past the command timeout, nothing lost`, async (t) => {
  const h = await health()
  assert.equal(h.status, 200)
  assert.equal(h.body.redis, 'up')
  const pidsBefore = workers()
  for (const [master, kids] of pidsBefore) assert.ok(kids.length >= 2, `crmd ${master}: children ${kids}`)

  const ledger = new Ledger()
  const lat = [] // {what, ms, status}
  const redis = readPid('redis.pid')
  let phase = 'before'
  let stop = false
  let n = 0
  const timed = async (what, fn) => {
    const t0 = Date.now()
    let status
    try {
      status = (await fn()).status
    } catch (err) {
      status = 'net:' + (err.cause?.code || err.name)
    }
    lat.push({ what, phase, ms: Date.now() - t0, status })
    return status
  }
  async function client(k) {
    for (let i = 0; !stop; i++) {
      const s = sessions[(k + i) % sessions.length]
      switch ((k + i) % 5) {
        case 0: {
          // A deal above the approval limit: a to-do (and unread count) for manager1.
          const key = `rp-${run}-${k}-${i}`
          const t0 = Date.now()
          const e = await ledger.submit(s1, key, 'deal', {
            customer_id: customer, deal_date: today(), amount: '150000.00', notes: key
          }, 1)
          lat.push({ what: 'POST deal', phase, ms: Date.now() - t0, status: e.statuses[0] })
          break
        }
        case 1:
          await timed('GET /me', () => api('GET', '/api/v1/me', { cookie: s.cookie, timeout: 30000 }))
          break
        case 2:
          await timed('GET unread', () => api('GET', '/api/v1/notifications?count_only=1', { cookie: m1.cookie, timeout: 30000 }))
          break
        case 3:
          await timed('POST read', () => api('POST', '/api/v1/notifications/read', { cookie: m1.cookie, csrf: m1.csrf, body: {}, timeout: 30000 }))
          break
        default:
          await timed('GET customers', () => api('GET', '/api/v1/customers?view=mine&size=5', { cookie: s.cookie, timeout: 30000 }))
      }
      n++
    }
  }
  const log0 = logSize()
  const clients = Array.from({ length: CONCURRENCY }, (_, k) => client(k))
  await sleep(2000)
  const log1 = logSize()
  process.kill(redis, 'SIGSTOP')
  phase = 'paused'
  const pausedAt = Date.now()
  try {
    await sleep(PAUSE_MS)
    // The load ends while Redis is still stopped: whatever the workers
    // wrote to it during the pause (refills, invalidations) is all that
    // reaches it, nothing after the pause repairs the counters for us.
    stop = true
    await Promise.all(clients)
    // The last word before Redis resumes: new to-dos for manager1.
    for (let i = 0; i < 3; i++) {
      const key = `rp-${run}-last-${i}`
      const e = await ledger.submit(s1, key, 'deal', { customer_id: customer, deal_date: today(), amount: '150000.00', notes: key }, 1)
      assert.equal(e.acked, true, JSON.stringify(e.statuses))
    }
  } finally {
    process.kill(redis, 'SIGCONT')
  }
  const log2 = logSize()
  phase = 'after'
  const resumedAt = Date.now()

  // Server side: the access log's milliseconds of each request (both
  // servers write to the one crmd.log), before and during the pause.
  const served = (from, to) => [...logSince(from).slice(0, to - from).matchAll(/ access (\S+) (\S+) (\d{3}) (\d+)\.\d+ms/g)]
    .map((m) => ({ what: `${m[1]} ${m[2]}`, status: Number(m[3]), ms: Number(m[4]) }))
  const srvBefore = served(log0, log1)
  const srvPaused = served(log1, log2)
  const baseMax = srvBefore.reduce((m, x) => Math.max(m, x.ms), 0)
  const slack = Math.max(SLACK_MS, 2 * baseMax)
  const srvMax = srvPaused.reduce((m, x) => (x.ms > m.ms ? x : m), { ms: 0 })
  const paused = lat.filter((x) => x.phase === 'paused')
  const max = lat.reduce((m, x) => (x.ms > m.ms ? x : m), { ms: 0 })
  const sorted = paused.map((x) => x.ms).sort((a, b) => a - b)
  const p99 = sorted[Math.floor(sorted.length * 0.99)]
  t.diagnostic(`${lat.length} requests (${paused.length} while Redis was stopped ${resumedAt - pausedAt} ms); ` +
    `held by a server: max ${srvMax.ms} ms while stopped (${srvMax.what}), max ${baseMax} ms before; bound ${TIMEOUT_MS} + ${slack} ms; ` +
    `seen by clients while stopped: max ${max.ms} ms (${max.what}), p99 ${p99} ms`)
  assert.ok(paused.length >= CONCURRENCY * 2, `only ${paused.length} requests during the pause`)
  assert.ok(srvPaused.length >= CONCURRENCY * 2, `the access log holds the requests of the pause (${srvPaused.length})`)
  const held = srvPaused.filter((x) => x.ms > TIMEOUT_MS + slack)
  assert.deepEqual(held, [], `requests held over ${TIMEOUT_MS} + ${slack} ms`)
  const hung = lat.filter((x) => x.ms >= PAUSE_MS / 2)
  assert.deepEqual(hung, [], 'no client waited half the pause')
  const want = { 'POST deal': 201, 'GET /me': 200, 'GET unread': 200, 'POST read': 204, 'GET customers': 200 }
  const wrong = lat.filter((x) => x.status !== want[x.what])
  assert.deepEqual(wrong, [], 'every request answered as if Redis were there')

  // No worker died or was replaced, on either server.
  assert.deepEqual(workers(), pidsBefore, 'worker pids unchanged')

  // Sessions made before the pause survive it.
  for (const s of [s1, m1, ...sessions]) {
    const me = await api('GET', '/api/v1/me', { cookie: s.cookie })
    assert.equal(me.status, 200, me.text)
  }
  await waitFor(async () => (await health()).body?.redis === 'up', 5000, 200)

  // The unread counter: whatever server and worker answers, it equals
  // PostgreSQL, right after the pause (no waiting for a cache expiry).
  const truth = await q(`select count(*) from notifications where staff_id = ${m1.user.id} and read_at is null`)
  assert.ok(Number(truth) >= 3, 'the last to-dos are unread')
  for (let i = 0; i < 8; i++) {
    const r = await api('GET', '/api/v1/notifications?count_only=1', { cookie: m1.cookie })
    assert.equal(r.status, 200)
    assert.equal(String(r.json.unread), truth, `unread count #${i} equals PostgreSQL`)
  }

  // The deals: 0 lost, 0 duplicated.
  const rows = await q(`select data->>'notes' || ':' || count(*) from documents where kind = 'deal' and data->>'notes' like 'rp-${run}-%' group by data->>'notes'`)
  const byKey = new Map(rows ? rows.split('\n').map((l) => {
    const i = l.lastIndexOf(':')
    return [l.slice(0, i), Number(l.slice(i + 1))]
  }) : [])
  const res = ledger.check(byKey)
  t.diagnostic(`deals: sent ${res.sent}, acked ${res.acked}, lost ${res.lost.length}, dup ${res.dup.length}`)
  assert.deepEqual(res.lost, [])
  assert.deepEqual(res.dup, [])
  assert.equal(res.acked, res.sent)
})
