// CARD-LB, PLT-AUTH: sessions with two app servers and no sticky sessions.
// Requests go to each crmd directly over FastCGI (not through nginx), so the
// test chooses the server: a session works on both; logout, a new login over
// an old cookie (no fixation), disabling the user and a password change end
// sessions on the OTHER server at once (its copy in Redis included); failed
// logins count per account across servers.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { login, logout, sh, addUser, fcgi } from '../api/lib.mjs'

const PORT1 = Number(process.env.CRM_FCGI_PORT || 9001)
const PW = 'Sec-cluster-2026'

before(async () => {
  await sh('CRM_SERVERS=2 scripts/stack crmd-start 2')
  await sh('CRM_SERVERS=2 scripts/stack nginx-start')
})
after(async () => {
  await sh('scripts/stack crmd-stop 2')
  await sh('CRM_SERVERS=1 scripts/stack nginx-start')
})

// on sends one request to app server 1 or 2.
async function on(server, method, path, { cookie, csrf, body } = {}) {
  const data = body === undefined ? '' : JSON.stringify(body)
  const params = {
    REQUEST_METHOD: method,
    DOCUMENT_URI: path,
    REQUEST_URI: path,
    QUERY_STRING: '',
    HTTP_HOST: '127.0.0.1',
    REMOTE_ADDR: '127.0.0.1',
    HTTP_ACCEPT_LANGUAGE: 'en'
  }
  if (data) {
    params.CONTENT_TYPE = 'application/json'
    params.CONTENT_LENGTH = String(Buffer.byteLength(data))
  }
  if (cookie) params.HTTP_COOKIE = `crm_session=${cookie}`
  if (csrf) params.HTTP_X_CSRF_TOKEN = csrf
  if (method !== 'GET') params.HTTP_IDEMPOTENCY_KEY = 'sc-' + randomBytes(8).toString('hex')
  return fcgi(params, data, 10000, PORT1 + server - 1)
}

async function loginOn(server, name, password = PW, cookie) {
  const r = await on(server, 'POST', '/api/v1/session', { body: { login: name, password }, cookie })
  assert.equal(r.status, 200, `login ${name} on server ${server}: ${r.status} ${r.body}`)
  const m = /crm_session=([^;]*)/.exec(r.headers['set-cookie'] || '')
  assert.ok(m && m[1], 'a session cookie')
  return { cookie: m[1], csrf: r.json.csrf_token, user: r.json.user }
}

const me = async (server, s) => (await on(server, 'GET', '/api/v1/me', { cookie: s.cookie })).status

test('a session made on one server works on the other, both ways', async () => {
  const name = await addUser('scboth', PW)
  const a = await loginOn(1, name)
  const b = await loginOn(2, name)
  for (const s of [a, b]) {
    assert.equal(await me(1, s), 200)
    assert.equal(await me(2, s), 200)
  }
  // A state-changing request with the token, on the server that did not issue it.
  const r = await on(2, 'PUT', '/api/v1/me/lang', { cookie: a.cookie, csrf: a.csrf, body: { lang: 'en' } })
  assert.equal(r.status, 200, r.body)
  await on(1, 'DELETE', '/api/v1/session', { cookie: a.cookie, csrf: a.csrf })
  await on(2, 'DELETE', '/api/v1/session', { cookie: b.cookie, csrf: b.csrf })
})

test('logout on one server ends the session on the other at once', async () => {
  const name = await addUser('scout', PW)
  for (const [from, to] of [[1, 2], [2, 1]]) {
    const s = await loginOn(from, name)
    // Both servers have served it (and Redis holds a copy).
    assert.equal(await me(to, s), 200)
    assert.equal(await me(from, s), 200)
    const out = await on(from, 'DELETE', '/api/v1/session', { cookie: s.cookie, csrf: s.csrf })
    assert.equal(out.status, 204, out.body)
    assert.equal(await me(to, s), 401, `logged out on ${from}, still alive on ${to}`)
    assert.equal(await me(from, s), 401)
  }
})

test('no session fixation: a login over an old cookie on the other server issues a new token; the old one is dead everywhere', async () => {
  const name = await addUser('scfix', PW)
  const old = await loginOn(1, name)
  const fresh = await loginOn(2, name, PW, old.cookie)
  assert.notEqual(fresh.cookie, old.cookie, 'a new token at login')
  assert.notEqual(fresh.csrf, old.csrf, 'a new CSRF token at login')
  assert.equal(await me(1, old), 401)
  assert.equal(await me(2, old), 401)
  assert.equal(await me(1, fresh), 200)
  await on(1, 'DELETE', '/api/v1/session', { cookie: fresh.cookie, csrf: fresh.csrf })
})

test('disabling a user on one server ends their sessions on both; login is refused on both', async () => {
  const name = await addUser('scdis', PW)
  const s1 = await loginOn(1, name)
  const s2 = await loginOn(2, name)
  for (const s of [s1, s2]) for (const srv of [1, 2]) assert.equal(await me(srv, s), 200)
  const admin = await login('admin')
  try {
    const r = await on(1, 'PUT', `/api/v1/staff/${s1.user.id}`, { cookie: admin.cookie, csrf: admin.csrf, body: { active: false } })
    assert.ok(r.status === 200 || r.status === 204, `${r.status} ${r.body}`)
    for (const s of [s1, s2]) for (const srv of [1, 2]) assert.equal(await me(srv, s), 401, `session alive on server ${srv} after disable`)
    for (const srv of [1, 2]) {
      const again = await on(srv, 'POST', '/api/v1/session', { body: { login: name, password: PW } })
      assert.equal(again.status, 401, `server ${srv}: ${again.body}`)
    }
  } finally {
    await logout(admin)
  }
})

test('a password change on one server ends the other sessions on the other server, and keeps its own', async () => {
  const name = await addUser('scpw', PW)
  const a = await loginOn(1, name)
  const b = await loginOn(2, name)
  assert.equal(await me(1, a), 200)
  const r = await on(2, 'PUT', '/api/v1/me/password', { cookie: b.cookie, csrf: b.csrf, body: { old_password: PW, new_password: PW + '-new' } })
  assert.ok(r.status === 200 || r.status === 204, `${r.status} ${r.body}`)
  assert.equal(await me(1, a), 401, 'the other session, served by server 1, ended')
  assert.equal(await me(2, a), 401)
  assert.equal(await me(1, b), 200, 'the session that changed it lives on, on both servers')
  assert.equal(await me(2, b), 200)
  await on(2, 'DELETE', '/api/v1/session', { cookie: b.cookie, csrf: b.csrf })
})

test('failed logins count per account across servers: five, alternating, lock it on both; another account is not affected', async () => {
  const name = await addUser('sclock', PW)
  const bystander = await addUser('scby', PW)
  for (let i = 0; i < 5; i++) {
    const r = await on(1 + (i % 2), 'POST', '/api/v1/session', { body: { login: name, password: 'wrong-' + i } })
    assert.equal(r.status, 401, r.body)
  }
  for (const srv of [1, 2]) {
    const r = await on(srv, 'POST', '/api/v1/session', { body: { login: name, password: PW } })
    assert.equal(r.status, 429, `server ${srv}, right password while locked: ${r.status} ${r.body}`)
    assert.equal(r.json.error.code, 'locked')
  }
  // Same client address, other account: not locked (the limit is per account).
  const ok = await loginOn(2, bystander)
  await on(1, 'DELETE', '/api/v1/session', { cookie: ok.cookie, csrf: ok.csrf })
})
