// Failure tests: a worker killed under load, Redis stopped, paused and
// restarted, PostgreSQL restarted, SIGHUP, crmd restarted.  Each test puts
// the stack back (finally) so the tests after it find it whole.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'

import {
  api,
  login,
  logout,
  errorOf,
  cookieFrom,
  health,
  stack,
  waitFor,
  sleep,
  readPid,
  childrenOf,
  fcgiWorkersOf,
  logSize,
  logSince
} from './lib.mjs'

const opened = []
async function session(name) {
  const s = await login(name)
  opened.push(s)
  return s
}
after(async () => {
  for (const s of opened) await logout(s)
})

// healthy waits until health answers 200 with everything up.
async function healthy(timeoutMs = 10000) {
  return waitFor(async () => {
    const h = await health()
    return h.status === 200 && h.body.status === 'ok' && h.body.redis === 'up' && h.body.postgres === 'up' && h
  }, timeoutMs, 200)
}

function master() {
  return readPid('crmd.pid')
}

test('SIGKILL of a worker under load: the master replaces it and requests keep being answered', async (t) => {
  const pid = master()
  const before = childrenOf(pid)
  const fcgiBefore = fcgiWorkersOf(pid)
  assert.ok(fcgiBefore.length >= 2, `FastCGI workers: ${fcgiBefore} (children ${before})`)
  const s = await session('director')
  const logStart = logSize()
  const N = 400
  const C = 8
  const results = []
  let next = 0
  let killedAt = 0
  const victim = fcgiBefore[fcgiBefore.length - 1]
  async function runner() {
    while (next < N) {
      const i = next++
      if (i === 150) {
        process.kill(victim, 'SIGKILL')
        killedAt = Date.now()
      }
      const path = i % 2 ? '/api/v1/health' : '/api/v1/me'
      const t0 = Date.now()
      try {
        const r = await api('GET', path, { cookie: s.cookie, timeout: 15000 })
        results.push({ i, t0, path, status: r.status })
      } catch (err) {
        results.push({ i, t0, path, status: 0, err: err.message })
      }
    }
  }
  await Promise.all(Array.from({ length: C }, runner))
  assert.ok(killedAt > 0)

  const now = await waitFor(() => {
    const kids = childrenOf(pid)
    return kids.length === before.length && !kids.includes(victim) && kids
  }, 10000)
  assert.equal(now.length, before.length, 'the worker count is back')
  assert.equal(now.filter((p) => !before.includes(p)).length, 1, `one new worker: ${before} -> ${now}`)
  assert.equal(fcgiWorkersOf(pid).length, fcgiBefore.length, 'the new child is a FastCGI worker')

  const failed = results.filter((r) => r.status !== 200)
  const unanswered = results.filter((r) => r.status === 0)
  t.diagnostic(`killed worker ${victim}; workers ${before} -> ${now}; ${failed.length} of ${N} not 200: ${failed.map((r) => `#${r.i} ${r.path} ${r.status}`).join(', ')}`)
  assert.equal(results.length, N)
  assert.deepEqual(unanswered, [], 'every request got an HTTP answer')
  assert.ok(failed.length <= N * 0.05, `${failed.length} of ${N} not 200: ${JSON.stringify(failed.slice(0, 10))}`)
  // Once the kill is a second old, everything is 200 again.
  const late = results.filter((r) => r.t0 > killedAt + 1000 && r.status !== 200)
  assert.deepEqual(late, [], 'requests a second after the kill')
  assert.match(logSince(logStart), new RegExp(`worker ${victim} killed by signal 9`))
  // The new worker serves: enough requests to reach every worker.
  for (let i = 0; i < 3 * now.length; i++) {
    assert.equal((await api('GET', '/api/v1/me', { cookie: s.cookie })).status, 200)
  }
})

test('SIGHUP to the master, also under load: rules reloaded, the same workers keep serving', async (t) => {
  const pid = master()
  const before = childrenOf(pid)
  const s = await session('sales2')
  const logStart = logSize()
  process.kill(pid, 'SIGHUP')
  await waitFor(() => /master: SIGHUP/.test(logSince(logStart)), 5000)
  for (let i = 0; i < 6; i++) {
    const h = await health()
    assert.equal(h.status, 200)
    assert.equal(h.body.rules.ok, true)
    const c = await api('GET', '/api/v1/config', { cookie: s.cookie })
    assert.equal(c.status, 200, c.text)
    assert.ok(c.json.regions.length > 0)
  }
  // A storm of SIGHUPs (every 5 ms for 3 s) while 4 clients send small POSTs
  // (never retried by nginx) and GETs over nginx's kept FastCGI connections:
  // a signal arriving while a worker waits on such a connection must not
  // drop the next request.
  const unexpected = []
  let count = 0
  let stop = false
  const hup = setInterval(() => process.kill(pid, 'SIGHUP'), 5)
  const timer = setTimeout(() => {
    stop = true
  }, 3000)
  try {
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = 0; !stop; i++) {
          const r =
            i % 2
              ? await api('GET', '/api/v1/config', { cookie: s.cookie })
              : await api('POST', '/api/v1/session', { body: { login: 'nobody-sighup' } })
          const want = i % 2 ? 200 : 400
          count++
          if (r.status !== want) unexpected.push(`${i % 2 ? 'GET /config' : 'POST /session'} ${r.status}`)
          await sleep(2)
        }
      })
    )
  } finally {
    clearInterval(hup)
    clearTimeout(timer)
  }
  t.diagnostic(`${count} requests during the SIGHUP storm, ${unexpected.length} unexpected`)
  assert.deepEqual(childrenOf(pid), before, 'no worker was replaced')
  assert.equal(master(), pid)
  assert.doesNotMatch(logSince(logStart), /killed by signal|exited with/)
  assert.deepEqual(unexpected, [], `requests during the SIGHUPs (of ${count})`)
})

test('Redis stopped and started again: nobody is logged out, login works without it', async () => {
  const s = await session('manager2')
  let s2
  await stack('redis-stop')
  try {
    const me = await api('GET', '/api/v1/me', { cookie: s.cookie })
    assert.equal(me.status, 200, `the session comes from PostgreSQL: ${me.text}`)
    assert.equal(me.json.user.login, 'manager2')
    const h = await health()
    assert.equal(h.status, 200, h.res.text)
    assert.equal(h.body.status, 'degraded')
    assert.equal(h.body.redis, 'down')
    assert.equal(h.body.postgres, 'up')
    s2 = await session('sales3')
    assert.equal((await api('GET', '/api/v1/me', { cookie: s2.cookie })).status, 200)
    // A state-changing request works too (CSRF token from PostgreSQL).
    const lang = await api('PUT', '/api/v1/me/lang', { cookie: s2.cookie, csrf: s2.csrf, body: { lang: 'zh-CN' } })
    assert.equal(lang.status, 200, lang.text)
    // Logout without Redis still ends the session.
    const gone = await session('sales3')
    assert.equal((await api('DELETE', '/api/v1/session', { cookie: gone.cookie, csrf: gone.csrf })).status, 204)
    assert.equal((await api('GET', '/api/v1/me', { cookie: gone.cookie })).status, 401)
  } finally {
    await stack('redis-start')
  }
  await healthy(5000)
  for (let i = 0; i < 4; i++) {
    assert.equal((await api('GET', '/api/v1/me', { cookie: s.cookie })).status, 200, 'the old session survives')
    assert.equal((await api('GET', '/api/v1/me', { cookie: s2.cookie })).status, 200, 'the session made without Redis survives')
  }
})

test('Redis paused (SIGSTOP) for 3 s: requests still answer 200, each in well under 5 s', async () => {
  await healthy()
  const s = await session('sales5')
  const redis = readPid('redis.pid')
  const times = []
  process.kill(redis, 'SIGSTOP')
  try {
    const end = Date.now() + 3000
    while (Date.now() < end) {
      const batch = await Promise.all(
        [0, 1, 2].map(() => api('GET', '/api/v1/me', { cookie: s.cookie, timeout: 5000 }))
      )
      for (const r of batch) {
        assert.equal(r.status, 200, r.text)
        assert.ok(r.ms < 5000, `${r.ms} ms`)
        times.push(r.ms)
      }
    }
  } finally {
    process.kill(redis, 'SIGCONT')
  }
  assert.ok(times.length >= 6, `only ${times.length} requests in 3 s: ${times}`)
  await healthy(5000)
  assert.equal((await api('GET', '/api/v1/me', { cookie: s.cookie })).status, 200)
})

test('a logout while Redis is paused either fails visibly or holds once Redis resumes', async () => {
  await healthy()
  // Sessions made (and cached in Redis) before the pause.
  const victims = []
  for (let i = 0; i < 4; i++) victims.push(await login('sales6'))
  const redis = readPid('redis.pid')
  const outs = []
  process.kill(redis, 'SIGSTOP')
  try {
    for (const v of victims) {
      const r = await api('DELETE', '/api/v1/session', { cookie: v.cookie, csrf: v.csrf, timeout: 5000 })
      outs.push(r)
    }
  } finally {
    process.kill(redis, 'SIGCONT')
  }
  // The server cannot be sure the cached copy is gone while Redis stalls:
  // it says so (503, try again) and ends nothing, never a half logout.
  for (const r of outs) {
    assert.ok(r.status === 204 || (r.status === 503 && r.json.error.code === 'unavailable'), r.text)
    assert.ok(r.ms < 5000, `${r.ms} ms`)
  }
  await healthy(5000)
  for (let i = 0; i < victims.length; i++) {
    const v = victims[i]
    const me = await api('GET', '/api/v1/me', { cookie: v.cookie })
    if (outs[i].status === 204) {
      assert.equal(me.status, 401, 'a logout that answered 204 holds')
      continue
    }
    assert.equal(me.status, 200, 'a logout that answered 503 changed nothing')
    const again = await api('DELETE', '/api/v1/session', { cookie: v.cookie, csrf: v.csrf })
    assert.equal(again.status, 204)
    assert.equal((await api('GET', '/api/v1/me', { cookie: v.cookie })).status, 401)
  }
})

test('PostgreSQL stopped: 503 with Retry-After, never 500/502; back within 10 s without restarting crmd', async (t) => {
  await healthy()
  const s = await session('sales4')
  const pid = master()
  const workers = childrenOf(pid)
  await stack('pg-stop')
  let stoppedAt
  try {
    stoppedAt = Date.now()
    for (let i = 0; i < 2 * workers.length; i++) {
      const h = await health()
      assert.equal(h.status, 503, `health #${i}: ${h.res.text}`)
      assert.ok(h.res.headers.get('retry-after'), 'Retry-After on health')
      assert.equal(h.body.status, 'down')
      assert.equal(h.body.postgres, 'down')
    }
    const r = await api('POST', '/api/v1/session', { body: { login: 'sales4', password: 'demo-pass-2026' } })
    assert.equal(r.status, 503, r.text)
    assert.equal(errorOf(r).code, 'unavailable')
    assert.match(errorOf(r).message, /[\u4e00-\u9fff]/)
    assert.ok(r.headers.get('retry-after'), 'Retry-After on login')
    const en = await api('POST', '/api/v1/session', {
      body: { login: 'sales4', password: 'demo-pass-2026' },
      headers: { 'accept-language': 'en' }
    })
    assert.equal(en.status, 503)
    assert.doesNotMatch(errorOf(en).message, /[\u4e00-\u9fff]/)
    // Whatever else is asked, the answer is a JSON 200 or 503, not a crash.
    for (const p of ['/api/v1/me', '/api/v1/config', '/api/v1/menu']) {
      const x = await api('GET', p, { cookie: s.cookie })
      assert.ok(x.status === 200 || x.status === 503, `${p}: ${x.status} ${x.text}`)
      if (x.status === 503) assert.equal(errorOf(x).code, 'unavailable')
    }
  } finally {
    await stack('pg-start')
  }
  const back = await healthy(10000)
  assert.equal(back.status, 200)
  assert.ok(Date.now() - stoppedAt < 60000)
  // Every worker gets its connection back: rounds of concurrent logins (so
  // that they reach every worker) until one round is all 200.  A worker that
  // slept through the outage finds its connection dead at its first request
  // and answers that one 503 (counted in the diagnostic).
  let stale = 0
  await waitFor(async () => {
    const rs = await Promise.all(
      Array.from({ length: 2 * workers.length }, () =>
        api('POST', '/api/v1/session', { body: { login: 'sales4', password: 'demo-pass-2026' } })
      )
    )
    for (const r of rs) {
      assert.ok(r.status === 200 || r.status === 503, `login after the restart: ${r.status} ${r.text}`)
      if (r.status === 503) stale++
      else await logout({ cookie: cookieFrom(r.headers), csrf: r.json.csrf_token })
    }
    return rs.every((r) => r.status === 200)
  }, 10000, 200)
  t.diagnostic(`${stale} login(s) answered 503 after PostgreSQL was back`)
  assert.equal((await api('GET', '/api/v1/me', { cookie: s.cookie })).status, 200, 'the session survived')
  assert.equal(master(), pid, 'crmd was not restarted')
  assert.deepEqual(childrenOf(pid), workers, 'no worker died')
})

test('crmd stopped and started: nginx answers without it, sessions survive the restart', async () => {
  await healthy()
  const s = await session('sales1')
  await stack('crmd-stop')
  try {
    // nginx answers for the missing upstream in the API's own error shape.
    const h = await api('GET', '/api/v1/health')
    assert.equal(h.status, 503, h.text)
    assert.equal(errorOf(h).code, 'unavailable')
    assert.ok(h.headers.get('retry-after'), 'Retry-After')
    const p = await api('POST', '/api/v1/session', {
      body: { login: 'sales1', password: 'demo-pass-2026' },
      headers: { 'accept-language': 'en' }
    })
    assert.equal(p.status, 503, p.text)
    assert.doesNotMatch(errorOf(p).message, /[\u4e00-\u9fff]/, 'in English when asked')
    const page = await api('GET', '/', { raw: true })
    assert.equal(page.status, 200, 'the static front end is still served')
  } finally {
    await stack('crmd-start')
  }
  await healthy(10000)
  const me = await api('GET', '/api/v1/me', { cookie: s.cookie })
  assert.equal(me.status, 200, me.text)
  assert.equal(me.json.csrf_token, s.csrf)
})
