// Sessions: login, the cookie's attributes, /me, logout and cookie replay,
// one new token per login, the language setting, the lockout after failed
// logins, password change (other sessions end) and disabled users.
// Lockout, password and disable tests use throwaway users made with crmctl,
// so the demo users stay as they were.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'

import { api, login, logout, cookieFrom, errorOf, addUser, crmctl, PASSWORD } from './lib.mjs'

const HAN = /[\u4e00-\u9fff]/
const opened = []
after(async () => {
  for (const s of opened) await logout(s)
})
async function session(name, pw) {
  const s = await login(name, pw)
  opened.push(s)
  return s
}

test('login as sales1: the user, a fresh CSRF token and a safe cookie', async () => {
  const r = await api('POST', '/api/v1/session', { body: { login: 'sales1', password: PASSWORD } })
  assert.equal(r.status, 200, r.text)
  const u = r.json.user
  assert.equal(typeof u.id, 'number')
  assert.equal(u.login, 'sales1')
  assert.equal(u.name, '张伟')
  assert.equal(u.role, 'salesperson')
  assert.equal(u.department.name, '销售一部')
  assert.equal(typeof u.department.id, 'number')
  assert.equal(u.lang, 'zh-CN')
  assert.equal(typeof r.json.csrf_token, 'string')
  assert.ok(r.json.csrf_token.length >= 43, r.json.csrf_token)

  const sc = r.headers.get('set-cookie')
  assert.ok(sc, 'no Set-Cookie')
  assert.match(sc, /HttpOnly/i)
  assert.match(sc, /SameSite=Lax/i)
  assert.match(sc, /Path=\//)
  assert.doesNotMatch(sc, /Max-Age|Expires/i, 'a session cookie: the server decides expiry')
  const tok = cookieFrom(r.headers)
  assert.ok(tok.length >= 43, `token too short: ${tok}`)
  assert.match(tok, /^[A-Za-z0-9_-]+$/)
  assert.notEqual(tok, r.json.csrf_token)
  assert.match(r.headers.get('cache-control') || '', /no-store/)
  opened.push({ cookie: tok, csrf: r.json.csrf_token })

  const me = await api('GET', '/api/v1/me', { cookie: tok })
  assert.equal(me.status, 200, me.text)
  assert.deepEqual(me.json.user, u)
  assert.equal(me.json.csrf_token, r.json.csrf_token)
})

test('GET /me without a session: 401 unauthenticated', async () => {
  const r = await api('GET', '/api/v1/me')
  assert.equal(r.status, 401)
  assert.equal(errorOf(r).code, 'unauthenticated')
})

test('wrong password and unknown user: the same 401 bad_login, zh-CN by default, English on request', async () => {
  const wrong = await api('POST', '/api/v1/session', { body: { login: 'sales2', password: 'not-the-password' } })
  assert.equal(wrong.status, 401, wrong.text)
  const e = errorOf(wrong)
  assert.equal(e.code, 'bad_login')
  assert.match(e.message, HAN)
  assert.equal(cookieFrom(wrong.headers), null, 'no cookie for a failed login')

  const wrongEn = await api('POST', '/api/v1/session', {
    body: { login: 'sales2', password: 'not-the-password' },
    headers: { 'accept-language': 'en' }
  })
  assert.equal(wrongEn.status, 401)
  assert.equal(errorOf(wrongEn).code, 'bad_login')
  assert.match(errorOf(wrongEn).message, /^[\x20-\x7e]+$/, 'English message')

  const unknown = await api('POST', '/api/v1/session', { body: { login: 'nobody-here', password: PASSWORD } })
  assert.equal(unknown.status, 401)
  assert.deepEqual(errorOf(unknown), e, 'unknown login and wrong password look the same')
  const unknownEn = await api('POST', '/api/v1/session', {
    body: { login: 'nobody-here', password: PASSWORD },
    headers: { 'accept-language': 'en-GB,zh;q=0.5' }
  })
  assert.deepEqual(errorOf(unknownEn), errorOf(wrongEn))

  // A good login resets the failure count, so sales2 is not left half-locked.
  await session('sales2')
})

test('logout ends the session on the server: the same cookie replayed gets 401', async () => {
  const s = await login('sales1')
  assert.equal((await api('GET', '/api/v1/me', { cookie: s.cookie })).status, 200)
  const out = await api('DELETE', '/api/v1/session', { cookie: s.cookie, csrf: s.csrf })
  assert.equal(out.status, 204, out.text)
  assert.equal(out.text, '')
  assert.match(out.headers.get('set-cookie') || '', /crm_session=;.*Max-Age=0/)
  // A stolen copy of the cookie is worth nothing now.
  for (let i = 0; i < 3; i++) {
    const me = await api('GET', '/api/v1/me', { cookie: s.cookie })
    assert.equal(me.status, 401, me.text)
    assert.equal(errorOf(me).code, 'unauthenticated')
  }
  const again = await api('DELETE', '/api/v1/session', { cookie: s.cookie, csrf: s.csrf })
  assert.equal(again.status, 401)
})

test('every login issues a new token; two sessions live side by side until one logs out', async () => {
  const a = await session('sales1')
  const b = await session('sales1')
  assert.notEqual(a.cookie, b.cookie)
  assert.notEqual(a.csrf, b.csrf)
  assert.equal((await api('GET', '/api/v1/me', { cookie: a.cookie })).status, 200)
  assert.equal((await api('GET', '/api/v1/me', { cookie: b.cookie })).status, 200)
  assert.equal((await api('DELETE', '/api/v1/session', { cookie: a.cookie, csrf: a.csrf })).status, 204)
  assert.equal((await api('GET', '/api/v1/me', { cookie: a.cookie })).status, 401)
  const me = await api('GET', '/api/v1/me', { cookie: b.cookie })
  assert.equal(me.status, 200, 'the other session is untouched')
  assert.equal(me.json.csrf_token, b.csrf)
})

test('logging in with an old cookie replaces that session (no session fixation)', async () => {
  const old = await login('sales1')
  const r = await api('POST', '/api/v1/session', {
    body: { login: 'sales1', password: PASSWORD },
    cookie: old.cookie
  })
  assert.equal(r.status, 200, r.text)
  const fresh = cookieFrom(r.headers)
  opened.push({ cookie: fresh, csrf: r.json.csrf_token })
  assert.ok(fresh && fresh !== old.cookie)
  assert.equal((await api('GET', '/api/v1/me', { cookie: old.cookie })).status, 401)
  assert.equal((await api('GET', '/api/v1/me', { cookie: fresh })).status, 200)
})

test('the language setting decides error messages, for every session of the user', async () => {
  const a = await session('sales1')
  const b = await session('sales1')
  try {
    const set = await api('PUT', '/api/v1/me/lang', { cookie: a.cookie, csrf: a.csrf, body: { lang: 'en' } })
    assert.equal(set.status, 200, set.text)
    assert.equal(set.json.user.lang, 'en')
    assert.equal(set.json.csrf_token, undefined)
    // The other session sees it too (its cached copy was dropped).
    const meB = await api('GET', '/api/v1/me', { cookie: b.cookie })
    assert.equal(meB.json.user.lang, 'en')

    // No Accept-Language, or even a Chinese one: the user's setting wins.
    for (const headers of [{}, { 'accept-language': 'zh-CN,zh;q=0.9' }]) {
      const bad = await api('PUT', '/api/v1/me/lang', { cookie: b.cookie, csrf: b.csrf, body: { lang: 'fr' }, headers })
      assert.equal(bad.status, 400, bad.text)
      const e = errorOf(bad)
      assert.equal(e.code, 'bad_field')
      assert.equal(e.field, 'lang')
      assert.doesNotMatch(e.message, HAN, `English expected: ${e.message}`)
    }
    const csrf = await api('PUT', '/api/v1/me/lang', { cookie: a.cookie, body: { lang: 'en' } })
    assert.equal(csrf.status, 403)
    assert.doesNotMatch(errorOf(csrf).message, HAN)

    const back = await api('PUT', '/api/v1/me/lang', { cookie: b.cookie, csrf: b.csrf, body: { lang: 'zh-CN' } })
    assert.equal(back.status, 200, back.text)
    assert.equal(back.json.user.lang, 'zh-CN')
    const bad = await api('PUT', '/api/v1/me/lang', {
      cookie: a.cookie,
      csrf: a.csrf,
      body: { lang: 'fr' },
      headers: { 'accept-language': 'en' }
    })
    assert.equal(bad.status, 400)
    assert.match(errorOf(bad).message, HAN, 'back to Chinese')
  } finally {
    await api('PUT', '/api/v1/me/lang', { cookie: a.cookie, csrf: a.csrf, body: { lang: 'zh-CN' } })
  }
  const fresh = await session('sales1')
  assert.equal(fresh.user.lang, 'zh-CN')
})

test('five failed logins lock the account, even for the right password: 429', async () => {
  const pw = 'Lock-test-2026'
  const name = await addUser('tlock', pw)
  for (let i = 1; i <= 5; i++) {
    const r = await api('POST', '/api/v1/session', { body: { login: name, password: `wrong-${i}` } })
    assert.equal(r.status, 401, `attempt ${i}: ${r.text}`)
    assert.equal(errorOf(r).code, 'bad_login')
  }
  const r = await api('POST', '/api/v1/session', { body: { login: name, password: pw } })
  assert.equal(r.status, 429, r.text)
  const e = errorOf(r)
  assert.equal(e.code, 'locked')
  assert.match(e.message, /15/)
  assert.equal(cookieFrom(r.headers), null)
  const en = await api('POST', '/api/v1/session', {
    body: { login: name, password: pw },
    headers: { 'accept-language': 'en' }
  })
  assert.equal(en.status, 429)
  assert.doesNotMatch(errorOf(en).message, HAN)
  // Other accounts are not affected.
  await session('sales3')
})

test('password change: wrong old, weak new, then success ends the other sessions only', async () => {
  const pw1 = 'Pw-change-2026'
  const pw2 = 'Pw-changed-2027!'
  const name = await addUser('tpw', pw1)
  const a = await session(name, pw1)
  const b = await session(name, pw1)

  const wrongOld = await api('PUT', '/api/v1/me/password', {
    cookie: a.cookie,
    csrf: a.csrf,
    body: { old_password: 'not-it-2026', new_password: pw2 }
  })
  assert.equal(wrongOld.status, 401, wrongOld.text)
  assert.equal(errorOf(wrongOld).code, 'bad_login')
  assert.equal(errorOf(wrongOld).field, 'old_password')
  assert.equal((await api('GET', '/api/v1/me', { cookie: a.cookie })).status, 200, 'a wrong old password does not log out')

  const weak = await api('PUT', '/api/v1/me/password', {
    cookie: a.cookie,
    csrf: a.csrf,
    body: { old_password: pw1, new_password: '12345678' }
  })
  assert.equal(weak.status, 422, weak.text)
  const we = errorOf(weak)
  assert.equal(we.code, 'weak_password')
  assert.equal(we.field, 'new_password')
  assert.ok(we.message.length > 3)
  assert.equal((await api('GET', '/api/v1/me', { cookie: b.cookie })).status, 200, 'a refused change ends nothing')

  const ok = await api('PUT', '/api/v1/me/password', {
    cookie: a.cookie,
    csrf: a.csrf,
    body: { old_password: pw1, new_password: pw2 }
  })
  assert.equal(ok.status, 204, ok.text)
  assert.equal((await api('GET', '/api/v1/me', { cookie: b.cookie })).status, 401, 'the other session ended')
  assert.equal((await api('GET', '/api/v1/me', { cookie: a.cookie })).status, 200, 'this session stays')
  const oldLogin = await api('POST', '/api/v1/session', { body: { login: name, password: pw1 } })
  assert.equal(oldLogin.status, 401)
  const c = await session(name, pw2)

  const back = await api('PUT', '/api/v1/me/password', {
    cookie: c.cookie,
    csrf: c.csrf,
    body: { old_password: pw2, new_password: pw1 }
  })
  assert.equal(back.status, 204, back.text)
  assert.equal((await api('GET', '/api/v1/me', { cookie: a.cookie })).status, 401)
  await session(name, pw1)
})

test('disabling a user ends its sessions at once', async () => {
  const pw = 'Dis-test-2026'
  const name = await addUser('tdis', pw)
  const s = await session(name, pw)
  assert.equal((await api('GET', '/api/v1/me', { cookie: s.cookie })).status, 200)
  await crmctl(['user', 'disable', name])
  const me = await api('GET', '/api/v1/me', { cookie: s.cookie })
  assert.equal(me.status, 401, me.text)
  assert.equal(errorOf(me).code, 'unauthenticated')
  const again = await api('POST', '/api/v1/session', { body: { login: name, password: pw } })
  assert.equal(again.status, 401, 'a disabled account cannot log in')
  assert.equal(errorOf(again).code, 'bad_login', 'and looks like a wrong password')
})
