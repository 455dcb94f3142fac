// CARD-LB: a graceful stop (SIGTERM) of one app server while nginx keeps
// FastCGI connections open to it (fastcgi_keep_conn, upstream keepalive)
// and clients keep sending reads and document POSTs through nginx.  Each
// request is sent once, never retried by the client: not one may fail
// (nginx does not resend a POST, so a kept connection closed under it
// would be a failure).  Printed: the kept connections before the stop, how
// long the server took to drain and exit, the requests in flight around it.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { api, login, logout, sh, sleep, readPid, waitFor } from '../api/lib.mjs'

const PORT2 = Number(process.env.CRM_FCGI_PORT || 9001) + 1
const CONCURRENCY = 8
const ROUNDS = Number(process.env.LOAD_N || 600) >= 20000 ? 3 : 1
const run = Date.now().toString(36)

let s1, customer

before(async () => {
  await sh('CRM_SERVERS=2 scripts/stack crmd-start 2')
  await sh('CRM_SERVERS=2 scripts/stack nginx-start')
  // nginx's old workers close their client connections after a reload.
  await sleep(1000)
  s1 = await login('sales1')
  const list = await api('GET', '/api/v1/customers?view=mine&size=50', { cookie: s1.cookie })
  customer = list.json.items.find((c) => c.owner_id === s1.user.id).id
})
after(async () => {
  await logout(s1)
  await sh('scripts/stack crmd-stop 2')
  await sh('CRM_SERVERS=1 scripts/stack nginx-start')
})

// Established TCP connections to server 2's port (nginx's kept connections).
function keptTo(port) {
  let n = 0
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = ''
    try {
      text = readFileSync(f, 'utf8')
    } catch {
      continue
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/)
      if (cols.length < 4) continue
      const local = parseInt(cols[1].split(':')[1], 16)
      if (local === port && cols[3] === '01') n++
    }
  }
  return n
}

test(`SIGTERM to one of two servers while nginx keeps connections to it: no request fails`, async (t) => {
  for (let round = 0; round < ROUNDS; round++) {
    const results = []
    let stop = false
    let i = 0
    async function client(k) {
      while (!stop) {
        const n = i++
        const t0 = Date.now()
        let status
        try {
          if (n % 3 === 0) {
            const key = `gs-${run}-${round}-${n}`
            const r = await api('POST', '/api/v1/documents', {
              cookie: s1.cookie, csrf: s1.csrf, headers: { 'idempotency-key': key },
              body: { kind: 'visit', data: { customer_id: customer, met: '平滑停止', stage: 'needs', notes: key } }, timeout: 30000
            })
            status = r.status
          } else {
            status = (await api('GET', n % 3 === 1 ? '/api/v1/me' : '/api/v1/config', { cookie: s1.cookie, timeout: 30000 })).status
          }
        } catch (err) {
          status = 'net:' + (err.cause?.code || err.name)
        }
        results.push({ n, k, t0, ms: Date.now() - t0, status })
      }
    }
    const clients = Array.from({ length: CONCURRENCY }, (_, k) => client(k))
    // After a round nginx rests the restarted server (fail_timeout 10s)
    // before it sends it requests again.
    let kept = await waitFor(() => keptTo(PORT2), 15000, 50)
    for (let w = 0; w < 20; w++) {
      kept = Math.max(kept, keptTo(PORT2))
      await sleep(50)
    }
    const master = readPid('crmd-2.pid')
    const t0 = Date.now()
    const r = await sh('scripts/stack crmd-stop 2')
    const drainMs = Date.now() - t0
    assert.equal(r.code, 0, r.stderr)
    assert.throws(() => process.kill(master, 0), 'the server has exited')
    await sleep(1000)
    stop = true
    await Promise.all(clients)
    const failed = results.filter((x) => !(x.status === 200 || x.status === 201))
    const around = results.filter((x) => x.t0 >= t0 - 200 && x.t0 <= t0 + drainMs + 200).length
    t.diagnostic(`round ${round + 1}: up to ${kept} open connections from nginx to server 2 before SIGTERM; drained and exited in ${drainMs} ms; ` +
      `${results.length} requests (${around} around the stop), ${failed.length} failed${failed.length ? ': ' + JSON.stringify(failed.slice(0, 5)) : ''}`)
    assert.ok(kept >= 1, 'nginx held connections to the server it lost')
    assert.deepEqual(failed, [], 'every request answered 2xx the first time')
    // Back to two servers for the next round (and the tests after this one).
    await sh('CRM_SERVERS=2 scripts/stack crmd-start 2')
    await waitFor(async () => (await api('GET', '/api/v1/health')).status === 200, 10000)
  }
})
