// CSRF: every state-changing request needs the session's X-CSRF-Token and,
// when Origin is sent, the site's own Origin; otherwise 403 csrf and nothing
// changes.  Login needs no token but its Origin is checked too.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'

import { readFileSync } from 'node:fs'
import path from 'node:path'

import { api, login, logout, cookieFrom, errorOf, ORIGIN, PASSWORD, REPO } from './lib.mjs'
import { sql } from './archive-lib.mjs'

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

// Every state-changing route, read from fcgi/router.c when the test runs (so
// routes added later are covered without touching this file), refused four
// ways: no token, another session's token, a foreign Origin with the right
// token, and GET instead of the route's method.  Nothing in the database
// changes (a fingerprint of every table but sessions, before and after).
const ROUTES = (() => {
  const src = readFileSync(path.join(REPO, 'fcgi', 'router.c'), 'utf8')
  const out = []
  const re = /\[(R_\w+)\]\s*=\s*\{\s*"([A-Z]+)",\s*"([^"]+)",\s*([A-Z_0-9|\s]+?),\s*\w+\s*,?\s*\}/g
  for (let m; (m = re.exec(src)); ) out.push({ name: m[1], method: m[2], path: m[3], flags: m[4].split('|').map((f) => f.trim()) })
  return out
})()
const concrete = (p) => p.replace(/\*/g, '1')
const matches = (pattern, p) => new RegExp('^' + pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]+') + '$').test(p)

async function fingerprint() {
  const tables = (await sql("select tablename from pg_tables where schemaname = 'public' and tablename <> 'sessions' order by 1")).map((r) => r[0])
  const parts = tables.map((t) => `select '${t}', count(*), md5(coalesce(string_agg(x::text, ',' order by x::text), '')) from "${t}" x`)
  // A union all has no order of its own: sorted, so equal tables compare equal.
  return (await sql(`${parts.join(' union all ')} order by 1`)).map((r) => r.join(':')).join('\n')
}

test('the route table is read: it lists the state-changing routes this suite knows exist', () => {
  const changing = ROUTES.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')
  assert.ok(ROUTES.some((r) => r.name === 'R_QR_IMAGE'), 'R_QR_IMAGE parsed')
  for (const n of ['R_SESSION_NEW', 'R_SESSION_DELETE', 'R_ME_PASSWORD', 'R_DOCS_NEW', 'R_DOCS_DECIDE', 'R_FILES_UPLOAD', 'R_STAFF_UPDATE', 'R_ROLES_ASSIGN']) {
    assert.ok(changing.some((r) => r.name === n), `${n} parsed as state-changing`)
  }
  const enumLen = /enum route \{([\s\S]*?)\};/.exec(readFileSync(path.join(REPO, 'fcgi', 'router.c'), 'utf8'))[1].replace(/\/\*[\s\S]*?\*\//g, '').match(/\bR_\w+/g).filter((x) => x !== 'R__MAX').length
  assert.equal(ROUTES.length, enumLen, 'every enum route has a parsed table entry')
})

test('CSRF four ways on every state-changing route of fcgi/router.c: 403 (GET: 404/405) and no change', async (t) => {
  const admin = await login('admin')
  const other = await login('sales6')
  const changing = ROUTES.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')
  const before = await fingerprint()
  const bad = []
  const body = {}
  for (const r of changing) {
    const p = concrete(r.path)
    const nocsrf = r.flags.includes('RF_NOCSRF')
    const ways = []
    if (!nocsrf) {
      ways.push(['no token', api(r.method, p, { cookie: admin.cookie, body })])
      ways.push(["another session's token", api(r.method, p, { cookie: admin.cookie, csrf: other.csrf, body })])
    }
    ways.push(['foreign Origin', api(r.method, p, { cookie: admin.cookie, csrf: admin.csrf, body, headers: { origin: 'http://evil.example' } })])
    for (const [way, pr] of ways) {
      const res = await pr
      if (res.status !== 403 || res.json?.error?.code !== 'csrf') bad.push(`${r.method} ${r.path} (${way}): ${res.status} ${res.text.slice(0, 120)}`)
    }
    // GET instead: refused unless a read route answers at that path.
    const g = await api('GET', p, { cookie: admin.cookie, csrf: admin.csrf })
    const readable = ROUTES.some((x) => x.method === 'GET' && matches(x.path, p))
    if (!readable && g.status !== 405 && g.status !== 404 && g.status !== 403) bad.push(`GET ${p} instead of ${r.method}: ${g.status}`)
    if (g.status >= 500) bad.push(`GET ${p}: ${g.status}`)
  }
  t.diagnostic(`${changing.length} state-changing routes: ${changing.map((r) => `${r.method} ${r.path}`).join(', ')}`)
  assert.deepEqual(bad, [])
  assert.equal(await fingerprint(), before, 'nothing in the database changed')
  // The same session still works with its own token (the refusals were the checks).
  const ok = await api('PUT', '/api/v1/me/lang', { cookie: admin.cookie, csrf: admin.csrf, body: { lang: 'zh-CN' } })
  assert.equal(ok.status, 200, ok.text)
  await logout(admin)
  await logout(other)
})
