// docs/deployment.md, "Two app servers, step by step", followed verbatim: the
// blocks that start with "# deployment: start" and "# deployment: stop" are
// read from the page and run as they stand with bash, with this test's own
// settings (a new database on the test PostgreSQL, the test Redis, free
// ports, a folder under CRM_VAR).  Then: the site answers through its nginx,
// the admin the page creates logs in, both app servers serve requests, one
// of them dies and the site still answers, and the stop block stops it all.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { sh, sleep, waitFor, REPO, VAR } from '../api/lib.mjs'

const run = Date.now().toString(36)
const HTTP = Number(process.env.CRM_HTTP_PORT || 8080) + 1
const F1 = Number(process.env.CRM_FCGI_PORT || 9001) + 2
const F2 = F1 + 1
const SITE = path.join(VAR, `deploy-${run}`)
const DB = `crm_deploy_${run}`
const BASE = `http://127.0.0.1:${HTTP}`

function block(first) {
  const doc = readFileSync(path.join(REPO, 'docs', 'deployment.md'), 'utf8')
  const re = /```sh\n([\s\S]*?)```/g
  for (let m; (m = re.exec(doc)); ) if (m[1].startsWith(first + '\n')) return m[1]
  throw new Error(`docs/deployment.md has no sh block starting with "${first}"`)
}

const env = {
  PGHOST: '127.0.0.1',
  PGPORT: String(process.env.CRM_PG_PORT || 5433),
  PGUSER: 'crm',
  PGDATABASE: DB,
  CRM_DB: `host=127.0.0.1 port=${process.env.CRM_PG_PORT || 5433} dbname=${DB} user=crm connect_timeout=2`,
  CRM_REDIS_HOST: '127.0.0.1',
  CRM_REDIS_PORT: String(process.env.CRM_REDIS_PORT || 6380),
  CRM_RULES_DIR: path.join(REPO, 'rules'),
  TZ: 'Asia/Shanghai',
  BIN: path.resolve(REPO, process.env.CRM_BUILD || 'build'),
  SITE,
  WEB_DIST: process.env.CRM_WEB_DIST || path.join(REPO, 'web', 'dist'),
  HTTP_PORT: String(HTTP),
  FCGI_PORT1: String(F1),
  FCGI_PORT2: String(F2),
  NGINX_USER: process.getuid && process.getuid() === 0 ? 'user root;' : '',
  CRM_PASSWORD: 'Deploy-test-2026',
  CRM_WORKERS: '2',
  // No periodic jobs in this throwaway site (its database is dropped after).
  CRM_JOB_INTERVAL: '0'
}

let started = false
after(async () => {
  if (started) await sh(block('# deployment: stop'), { env })
  for (const f of ['crmd-1.pid', 'crmd-2.pid']) {
    try {
      process.kill(-Number(readFileSync(path.join(SITE, f), 'utf8')), 'SIGKILL')
    } catch {
      // stopped already
    }
  }
  await sleep(300)
  await sh(`psql -h 127.0.0.1 -p ${env.PGPORT} -U crm -d postgres -qc "drop database if exists ${DB}"`)
  rmSync(SITE, { recursive: true, force: true })
})

async function get(p, headers = {}) {
  const r = await fetch(BASE + p, { headers, signal: AbortSignal.timeout(10000) })
  const text = await r.text()
  return { status: r.status, headers: r.headers, text, json: /json/.test(r.headers.get('content-type') || '') && text ? JSON.parse(text) : null }
}

test('docs/deployment.md brings up two app servers behind nginx, verbatim', async (t) => {
  const start = block('# deployment: start')
  const r = await sh(start, { env, timeout: 120000 })
  started = true
  assert.equal(r.code, 0, `the start block failed: ${r.stderr}\n${r.stdout}`)
  const logs = () => [1, 2].map((i) => {
    try {
      return readFileSync(path.join(SITE, 'log', `crmd-${i}.log`), 'utf8').slice(-1500)
    } catch {
      return ''
    }
  }).join('\n')
  assert.match(r.stdout, /"status":"ok"/, `health through the new nginx: ${r.stdout}\n${r.stderr}\n${logs()}`)

  // The admin the page made logs in through the site's nginx.
  const login = await fetch(BASE + '/api/v1/session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'admin', password: env.CRM_PASSWORD }),
    signal: AbortSignal.timeout(10000)
  })
  assert.equal(login.status, 200, await login.text())
  const cookie = /crm_session=([^;]*)/.exec(login.headers.get('set-cookie'))[1]
  // Requests spread over both servers (least_conn, no sticky sessions).
  await Promise.all(Array.from({ length: 40 }, () => get('/api/v1/me', { cookie: `crm_session=${cookie}` }).then((x) => assert.equal(x.status, 200))))
  const served = (i) => (readFileSync(path.join(SITE, 'log', `crmd-${i}.log`), 'utf8').match(/access GET \/api\/v1\/me 200/g) || []).length
  t.diagnostic(`GET /me served by server 1: ${served(1)}, by server 2: ${served(2)}`)
  assert.ok(served(1) > 0 && served(2) > 0, 'both app servers served the session')
  const page = await get('/')
  assert.equal(page.status, 200, 'the front end is served')

  // One app server dies: the site keeps answering from the other.
  const pid1 = Number(readFileSync(path.join(SITE, 'crmd-1.pid'), 'utf8'))
  process.kill(-pid1, 'SIGKILL')
  for (let i = 0; i < 10; i++) {
    const x = await get('/api/v1/me', { cookie: `crm_session=${cookie}` })
    assert.equal(x.status, 200, `with server 1 dead: ${x.text}`)
  }

  // The stop block stops nginx and what is left of the app servers.
  const stop = await sh(block('# deployment: stop'), { env })
  started = false
  assert.equal(stop.code !== 0 && !/No such process/.test(stop.stderr), false, stop.stderr)
  const pid2 = Number(readFileSync(path.join(SITE, 'crmd-2.pid'), 'utf8'))
  await waitFor(() => {
    try {
      process.kill(pid2, 0)
      return false
    } catch {
      return true
    }
  }, 25000)
  await waitFor(() => !existsSync(path.join(SITE, 'nginx', 'nginx.pid')), 10000)
  // Built with SANITIZE=address,undefined, the servers' reports land here.
  for (const i of [1, 2]) {
    assert.doesNotMatch(readFileSync(path.join(SITE, 'log', `crmd-${i}.log`), 'utf8'), /AddressSanitizer|runtime error:|LeakSanitizer/)
  }
})
