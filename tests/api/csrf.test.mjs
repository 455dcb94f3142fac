// CSRF: every state-changing request needs the session's X-CSRF-Token and,
// when Origin is sent, the site's own Origin; otherwise 403 csrf and nothing
// changes.  Login needs no token but its Origin is checked too.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'

import { api, login, logout, cookieFrom, errorOf, ORIGIN, PASSWORD } from './lib.mjs'

let s, other
before(async () => {
  s = await login('sales4')
  other = await login('sales5')
})
after(async () => {
  await logout(s)
  await logout(other)
})

function assertCsrf(r, what) {
  assert.equal(r.status, 403, `${what}: ${r.status} ${r.text}`)
  assert.equal(errorOf(r).code, 'csrf', what)
}

async function me() {
  const r = await api('GET', '/api/v1/me', { cookie: s.cookie })
  assert.equal(r.status, 200, `session lost: ${r.text}`)
  return r.json.user
}

test('logout without the token: 403, and the session lives on', async () => {
  assertCsrf(await api('DELETE', '/api/v1/session', { cookie: s.cookie }), 'DELETE without token')
  assertCsrf(await api('DELETE', '/api/v1/session', { cookie: s.cookie, csrf: '' }), 'DELETE with an empty token')
  await me()
})

test('PUT /me/lang without the token: 403 and the language is unchanged', async () => {
  assert.equal((await me()).lang, 'zh-CN')
  assertCsrf(await api('PUT', '/api/v1/me/lang', { cookie: s.cookie, body: { lang: 'en' } }), 'PUT without token')
  assert.equal((await me()).lang, 'zh-CN')
  // The check comes before the body is read: bad JSON still gets 403.
  assertCsrf(await api('PUT', '/api/v1/me/lang', { cookie: s.cookie, body: '{nope' }), 'PUT bad body without token')
})

test('a wrong token: 403 (same length, other length, another session\'s token)', async () => {
  const flipped = (s.csrf[0] === 'A' ? 'B' : 'A') + s.csrf.slice(1)
  for (const [what, csrf] of [
    ['one character changed', flipped],
    ['a prefix', s.csrf.slice(0, 20)],
    ['with a suffix', s.csrf + 'x'],
    ["another session's token", other.csrf],
    ['the cookie value', s.cookie]
  ]) {
    assertCsrf(await api('PUT', '/api/v1/me/lang', { cookie: s.cookie, csrf, body: { lang: 'en' } }), what)
    assertCsrf(await api('DELETE', '/api/v1/session', { cookie: s.cookie, csrf }), `DELETE, ${what}`)
  }
  assert.equal((await me()).lang, 'zh-CN')
})

test('password change without the token: 403 before the password is even looked at', async () => {
  // A wrong old password: even a broken check could not change anything, but
  // it would answer 401 instead of 403.
  const r = await api('PUT', '/api/v1/me/password', {
    cookie: s.cookie,
    body: { old_password: 'not-the-password', new_password: 'Csrf-test-2026!' }
  })
  assertCsrf(r, 'PUT /me/password without token')
})

test('the right token from a foreign Origin: 403 and nothing changes', async () => {
  for (const origin of [
    'http://evil.example',
    'null',
    `${ORIGIN}.evil.example`,
    'http://127.0.0.1:1',
    ORIGIN.replace('http://', 'ftp://')
  ]) {
    assertCsrf(
      await api('PUT', '/api/v1/me/lang', { cookie: s.cookie, csrf: s.csrf, body: { lang: 'en' }, headers: { origin } }),
      `Origin ${origin}`
    )
  }
  assertCsrf(
    await api('DELETE', '/api/v1/session', { cookie: s.cookie, csrf: s.csrf, headers: { origin: 'http://evil.example' } }),
    'DELETE from evil.example'
  )
  assert.equal((await me()).lang, 'zh-CN')
})

test('the right token and the site\'s own Origin: accepted (the checks are not just refusing everything)', async () => {
  const r = await api('PUT', '/api/v1/me/lang', {
    cookie: s.cookie,
    csrf: s.csrf,
    body: { lang: 'zh-CN' },
    headers: { origin: ORIGIN }
  })
  assert.equal(r.status, 200, r.text)
  const nohdr = await api('PUT', '/api/v1/me/lang', { cookie: s.cookie, csrf: s.csrf, body: { lang: 'zh-CN' } })
  assert.equal(nohdr.status, 200, 'no Origin (non-browser client): the token suffices')
})

test('GET needs no token', async () => {
  assert.equal((await api('GET', '/api/v1/me', { cookie: s.cookie, headers: { origin: 'http://evil.example' } })).status, 200)
})

test('login from a foreign Origin: 403, no cookie; from the site: 200', async () => {
  const evil = await api('POST', '/api/v1/session', {
    body: { login: 'sales4', password: PASSWORD },
    headers: { origin: 'http://evil.example' }
  })
  assertCsrf(evil, 'login from evil.example')
  assert.equal(cookieFrom(evil.headers), null)
  const ok = await api('POST', '/api/v1/session', {
    body: { login: 'sales4', password: PASSWORD },
    headers: { origin: ORIGIN }
  })
  assert.equal(ok.status, 200, ok.text)
  await logout({ cookie: cookieFrom(ok.headers), csrf: ok.json.csrf_token })
})
