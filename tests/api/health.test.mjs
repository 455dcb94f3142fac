// The health check, the security headers nginx adds to every answer, the
// static front end's caching, and the error shape of unknown paths and
// methods.
import { test } from 'node:test'
import assert from 'node:assert/strict'

import { api, errorOf, readPid } from './lib.mjs'

test('GET /api/v1/health: everything up', async () => {
  const r = await api('GET', '/api/v1/health')
  assert.equal(r.status, 200, r.text)
  assert.match(r.headers.get('content-type'), /^application\/json/)
  assert.equal(r.json.status, 'ok')
  assert.equal(r.json.postgres, 'up')
  assert.equal(r.json.redis, 'up')
  assert.equal(r.json.rules.ok, true, JSON.stringify(r.json.rules))
  assert.equal(r.json.rules.error, null)
  // "server" is host:pid of the crmd master that the stack started.
  assert.match(r.json.server, /^.+:\d+$/)
  assert.equal(Number(r.json.server.split(':').pop()), readPid('crmd.pid'))
  // API answers are never cached.
  assert.match(r.headers.get('cache-control') || '', /no-store/)
})

test('HEAD /api/v1/health: the status without a body', async () => {
  const r = await api('HEAD', '/api/v1/health')
  assert.equal(r.status, 200)
  assert.equal(r.text, '')
})

function assertSecurityHeaders(r, where) {
  const csp = r.headers.get('content-security-policy') || ''
  assert.match(csp, /frame-ancestors 'none'/, `${where}: CSP ${csp}`)
  assert.match(csp, /default-src 'self'/, `${where}: CSP ${csp}`)
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff', where)
  assert.ok(r.headers.get('referrer-policy'), `${where}: no Referrer-Policy`)
  assert.equal(r.headers.get('x-frame-options'), 'DENY', where)
}

test('security headers on the page, the API and API errors', async () => {
  assertSecurityHeaders(await api('GET', '/', { raw: true }), '/')
  assertSecurityHeaders(await api('GET', '/api/v1/health'), '/api/v1/health')
  assertSecurityHeaders(await api('GET', '/api/v1/me'), '/api/v1/me (401)')
  assertSecurityHeaders(await api('GET', '/api/v1/no-such-thing'), '/api/v1/no-such-thing (404)')
})

test('the front end: index.html with Cache-Control no-cache, also for app routes', async () => {
  for (const p of ['/', '/index.html', '/customers/42']) {
    const r = await api('GET', p, { raw: true })
    assert.equal(r.status, 200, p)
    assert.match(r.headers.get('content-type') || '', /^text\/html/, p)
    assert.match(r.text, /<div id="app"|<html/i, p)
    assert.match(r.headers.get('cache-control') || '', /no-cache/, p)
    assertSecurityHeaders(r, p)
  }
})

test('an unknown /api path: 404 with the JSON error shape', async () => {
  for (const p of ['/api/v1/no-such-thing', '/api/v2/health', '/api/v1/health/extra', '/api/']) {
    const r = await api('GET', p)
    assert.equal(r.status, 404, `${p}: ${r.text}`)
    assert.match(r.headers.get('content-type') || '', /^application\/json/, p)
    const e = errorOf(r)
    assert.equal(e.code, 'not_found', p)
    // zh-CN by default
    assert.match(e.message, /[\u4e00-\u9fff]/, p)
  }
  const en = await api('GET', '/api/v1/no-such-thing', { headers: { 'accept-language': 'en-US,en;q=0.9' } })
  assert.equal(errorOf(en).message, 'Not found.')
})

test('a known path with the wrong method: 405', async () => {
  for (const [m, p] of [
    ['POST', '/api/v1/health'],
    ['DELETE', '/api/v1/me'],
    ['GET', '/api/v1/me/password'],
    ['PUT', '/api/v1/session']
  ]) {
    const r = await api(m, p, m === 'GET' ? {} : { body: {} })
    assert.equal(r.status, 405, `${m} ${p}: ${r.text}`)
    assert.equal(errorOf(r).code, 'method_not_allowed', `${m} ${p}`)
  }
})
