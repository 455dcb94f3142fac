// PLT-AUTH: no token or password ever in a log line.  Runs last (zz-) so the
// logs hold what every suite before it did; then it adds logins, a failed
// login, a password change and CSRF-protected requests of its own, and
// reads every log of the stack: crmd, nginx (access and error), Redis and
// PostgreSQL.  None may contain
//   - a password: the demo password, the ones this test uses, and every
//     password literal of the test suites (tests/**/*.mjs);
//   - a session token or CSRF token: the ones this test holds (also after
//     logout), every CSRF token of a live session, and any 43-character
//     token-shaped word whose SHA-256 is the hash of a live session.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { api, login, logout, addUser, sh, stackEnv, REPO, VAR, PASSWORD } from '../api/lib.mjs'

async function q(sql) {
  const env = await stackEnv()
  const port = /port=(\d+)/.exec(env.CRM_DB)[1]
  const r = await sh(`psql -h 127.0.0.1 -p ${port} -U crm -d crm -tAq -v ON_ERROR_STOP=1 -c "$SQL"`, { env: { SQL: sql } })
  assert.equal(r.code, 0, r.stderr)
  return r.stdout.trim()
}

function testFiles(dir) {
  const out = []
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    if (e.isDirectory() && e.name !== 'node_modules') out.push(...testFiles(p))
    else if (e.isFile() && p.endsWith('.mjs')) out.push(p)
  }
  return out
}

function logFiles() {
  const files = []
  const dir = path.join(VAR, 'log')
  for (const f of readdirSync(dir)) files.push(path.join(dir, f))
  for (const f of [path.join(VAR, 'pg', 'server.log'), path.join(VAR, 'pgdata', 'server.log')]) {
    if (existsSync(f)) files.push(f)
  }
  return files
}

test('no password, session token or CSRF token in any log line of the stack', async (t) => {
  // Secrets of our own, through nginx: login, failed login, password change.
  const pw = 'Logcheck-2026-' + Date.now().toString(36)
  const wrong = 'Wrong-2026-' + Date.now().toString(36)
  const name = await addUser('logchk', pw)
  const held = []
  const s = await login(name, pw)
  held.push(s.cookie, s.csrf)
  const bad = await api('POST', '/api/v1/session', { body: { login: name, password: wrong } })
  assert.equal(bad.status, 401)
  const pw2 = pw + '-2'
  const ch = await api('PUT', '/api/v1/me/password', { cookie: s.cookie, csrf: s.csrf, body: { old_password: pw, new_password: pw2 } })
  assert.ok(ch.status === 200 || ch.status === 204, ch.text)
  const s2 = await login(name, pw2)
  held.push(s2.cookie, s2.csrf)
  // A refused CSRF token, and a cookie that names no session.
  await api('PUT', '/api/v1/me/lang', { cookie: s2.cookie, csrf: s.csrf, body: { lang: 'en' } })
  await api('GET', '/api/v1/me', { cookie: 'A'.repeat(43) })
  const demo = await login('sales1')
  held.push(demo.cookie, demo.csrf)
  await logout(s2)
  await logout(s)

  const passwords = new Set([PASSWORD, pw, wrong, pw2])
  const lit = /(?:password|pw)\w*\s*[:=]\s*'([^']{8,})'/gi
  for (const f of testFiles(path.join(REPO, 'tests'))) {
    for (const m of readFileSync(f, 'utf8').matchAll(lit)) if (/[A-Za-z]/.test(m[1]) && /\d|[^A-Za-z]/.test(m[1])) passwords.add(m[1])
  }
  const csrfLive = (await q('select csrf_token from sessions')).split('\n').filter(Boolean)
  const hashLive = new Set((await q("select encode(token_hash, 'hex') from sessions")).split('\n').filter(Boolean))
  const needles = [...passwords, ...held, ...csrfLive]

  const found = []
  let lines = 0
  const files = logFiles()
  for (const f of files) {
    const text = readFileSync(f, 'utf8')
    for (const line of text.split('\n')) {
      lines++
      for (const n of needles) {
        if (line.includes(n)) found.push(`${path.basename(f)}: ${n.slice(0, 6)}... in ${line.slice(0, 160)}`)
      }
      for (const m of line.matchAll(/(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g)) {
        if (hashLive.has(createHash('sha256').update(m[0]).digest('hex'))) found.push(`${path.basename(f)}: a live session token in ${line.slice(0, 160)}`)
      }
    }
  }
  await logout(demo)
  t.diagnostic(`${files.length} log files, ${lines} lines, ${needles.length} secrets looked for (${passwords.size} passwords), ${found.length} found`)
  assert.ok(lines > 100, 'the logs hold the suites\' requests')
  assert.deepEqual(found, [])
})
