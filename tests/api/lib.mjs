// Shared helpers for the API tests: HTTP through nginx (fetch), raw HTTP over a
// socket for requests fetch refuses to send, the stack's control commands,
// crmctl with the stack's settings, worker pids, and polling.
//
// Settings come from the environment scripts/test sets: CRM_URL, CRM_VAR and
// the CRM_*_PORT variables.  Node 18 and 20, no dependencies.
import { execFile } from 'node:child_process'
import { readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const RULES_DIR = path.join(REPO, 'rules')
export const BASE = (process.env.CRM_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '')
export const VAR = path.resolve(REPO, process.env.CRM_VAR || 'var')
export const PASSWORD = 'demo-pass-2026'
const baseUrl = new URL(BASE)
// What a browser on the site sends as Origin: the page's scheme, host and port.
export const ORIGIN = `${baseUrl.protocol}//${baseUrl.host}`

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

// api sends one request and never throws on an HTTP status.  body: an object
// (sent as JSON), a string or a Buffer (sent as it is).  Options: cookie (the
// crm_session value, or a whole Cookie header when it contains '='), csrf,
// headers (added last, so they override), raw (do not parse JSON),
// timeout (ms).  Returns {status, headers, json, text, ms}.
export async function api(method, urlPath, opts = {}) {
  const headers = {}
  let body
  if (opts.body !== undefined) {
    if (Buffer.isBuffer(opts.body) || typeof opts.body === 'string') body = opts.body
    else body = JSON.stringify(opts.body)
    headers['content-type'] = 'application/json'
  }
  if (opts.cookie) headers.cookie = opts.cookie.includes('=') ? opts.cookie : `crm_session=${opts.cookie}`
  if (opts.csrf) headers['x-csrf-token'] = opts.csrf
  Object.assign(headers, opts.headers || {})
  const t0 = Date.now()
  const send = () => fetch(BASE + urlPath, {
    method,
    headers,
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(opts.timeout || 20000)
  })
  let res
  try {
    res = await send()
  } catch (err) {
    // After an nginx reload (the failure tests add and remove app servers)
    // an old nginx worker closes its idle keep-alive connections, and a
    // request sent on one at that moment fails in the socket.  A read is
    // sent again once, on a new connection; a write never (its fate is
    // the test's business).
    const code = err.cause && err.cause.code
    if (!['GET', 'HEAD'].includes(method) || !['UND_ERR_SOCKET', 'ECONNRESET'].includes(code)) throw err
    res = await send()
  }
  const text = await res.text()
  let json = null
  if (!opts.raw && /json/.test(res.headers.get('content-type') || '') && text !== '') {
    json = JSON.parse(text)
  }
  return { status: res.status, headers: res.headers, json, text, ms: Date.now() - t0 }
}

// cookieFrom returns the crm_session value the Set-Cookie headers leave in a
// browser (they apply in order, so the last one wins), or null.
export function cookieFrom(headers) {
  const sc = headers.get('set-cookie') || ''
  const all = [...sc.matchAll(/(?:^|[,\s])crm_session=([^;,]*)/g)]
  return all.length ? all[all.length - 1][1] : null
}

// login logs in and returns {cookie, csrf, user, res}; throws unless 200.
export async function login(name, password = PASSWORD, headers = {}) {
  const res = await api('POST', '/api/v1/session', { body: { login: name, password }, headers })
  if (res.status !== 200) {
    throw new Error(`login ${name}: ${res.status} ${res.text.slice(0, 300)}`)
  }
  const cookie = cookieFrom(res.headers)
  if (!cookie) throw new Error(`login ${name}: no crm_session cookie`)
  return { cookie, csrf: res.json.csrf_token, user: res.json.user, res }
}

// logout ends a session (best effort; for cleanup).
export async function logout(s) {
  if (!s) return
  try {
    await api('DELETE', '/api/v1/session', { cookie: s.cookie, csrf: s.csrf })
  } catch {
    // the stack may be down in a failed failure test; nothing to end then
  }
}

// errorOf checks the error shape {error: {code, message[, field]}} and
// returns the inner object; throws when the answer is not an error.
export function errorOf(res) {
  const e = res.json && res.json.error
  if (!e || typeof e.code !== 'string' || typeof e.message !== 'string' || e.message === '') {
    throw new Error(`not an error answer (${res.status}): ${res.text.slice(0, 300)}`)
  }
  return e
}

// rawHttp writes bytes to nginx over a plain socket (for headers fetch refuses
// to send: control bytes, non-ASCII) and returns {status, headers, body}.
export function rawHttp(requestBytes, timeoutMs = 10000) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(baseUrl.port || 80), baseUrl.hostname)
    const chunks = []
    const timer = setTimeout(() => {
      sock.destroy()
      reject(new Error('rawHttp: timeout'))
    }, timeoutMs)
    sock.on('connect', () => sock.write(requestBytes))
    sock.on('data', (d) => chunks.push(d))
    sock.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    sock.on('end', () => {
      clearTimeout(timer)
      const all = Buffer.concat(chunks)
      const split = all.indexOf('\r\n\r\n')
      const head = all.subarray(0, split < 0 ? all.length : split).toString('latin1')
      const lines = head.split('\r\n')
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] || '')
      const headers = {}
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':')
        if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim()
      }
      const body = split < 0 ? '' : all.subarray(split + 4).toString('utf8')
      resolve({ status: m ? Number(m[1]) : 0, headers, body })
    })
  })
}

// rawGet builds a GET with the given extra header lines (Buffers or strings).
export function rawGet(urlPath, headerLines = []) {
  const parts = [Buffer.from(`GET ${urlPath} HTTP/1.1\r\nHost: ${baseUrl.host}\r\nConnection: close\r\n`, 'latin1')]
  for (const h of headerLines) {
    parts.push(Buffer.isBuffer(h) ? h : Buffer.from(h, 'latin1'), Buffer.from('\r\n'))
  }
  parts.push(Buffer.from('\r\n'))
  return rawHttp(Buffer.concat(parts))
}

// sh runs a bash command in the repository; never throws.
// Returns {code, stdout, stderr}.
export function sh(cmd, { env = {}, timeout = 120000 } = {}) {
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', cmd],
      { cwd: REPO, env: { ...process.env, ...env }, timeout, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr })
      }
    )
  })
}

// stack runs scripts/stack CMD and throws when it fails.
export async function stack(cmd) {
  const r = await sh(`scripts/stack ${cmd}`)
  if (r.code !== 0) throw new Error(`scripts/stack ${cmd}: exit ${r.code}: ${r.stderr}`)
  return r
}

let stackEnvCache = null
// stackEnv gives the CRM_* settings crmctl needs, as `scripts/stack env` prints them.
export async function stackEnv() {
  if (stackEnvCache) return stackEnvCache
  const r = await sh('scripts/stack env')
  if (r.code !== 0) throw new Error(`scripts/stack env: ${r.stderr}`)
  const env = {}
  for (const line of r.stdout.split('\n')) {
    const m = /^export (\w+)='(.*)'$/.exec(line)
    if (m) env[m[1]] = m[2]
  }
  stackEnvCache = env
  return env
}

// crmctl runs build/crmctl with the stack's settings (and extra env, e.g.
// CRM_PASSWORD); throws unless it exits 0.  Returns its output.
export async function crmctl(args, extraEnv = {}) {
  const env = { ...process.env, ...(await stackEnv()), ...extraEnv }
  return new Promise((resolve, reject) => {
    execFile(path.join(REPO, process.env.CRM_BUILD || 'build', 'crmctl'), args, { cwd: REPO, env, timeout: 60000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`crmctl ${args.join(' ')}: ${err.message} ${stderr}`))
      else resolve(stdout)
    })
  })
}

// uniqueLogin gives a login no earlier run used (lockouts and disabled
// accounts outlive a run when the stack is not wiped).
export function uniqueLogin(prefix) {
  const n = (Date.now().toString(36) + Math.floor(Math.random() * 1296).toString(36)).slice(-10)
  return `${prefix}-${n}`
}

// addUser creates a throwaway salesperson with crmctl and returns its login.
export async function addUser(prefix, password) {
  const name = uniqueLogin(prefix)
  await crmctl(['user', 'add', name, `测试${prefix}`, 'salesperson'], { CRM_PASSWORD: password })
  return name
}

// readPid reads a pid file under CRM_VAR.
export function readPid(file) {
  return Number(readFileSync(path.join(VAR, file), 'utf8').trim())
}

// childrenOf lists the pids whose parent is pid (from /proc/*/stat).
export function childrenOf(pid) {
  const kids = []
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    let stat
    try {
      stat = readFileSync(`/proc/${d}/stat`, 'utf8')
    } catch {
      continue
    }
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (Number(rest[1]) === pid && rest[0] !== 'Z') kids.push(Number(d))
  }
  return kids.sort((a, b) => a - b)
}

function socketsOf(pid) {
  const out = new Set()
  let fds = []
  try {
    fds = readdirSync(`/proc/${pid}/fd`)
  } catch {
    return out
  }
  for (const fd of fds) {
    try {
      const l = readlinkSync(`/proc/${pid}/fd/${fd}`)
      if (l.startsWith('socket:')) out.add(l)
    } catch {
      // closed meanwhile
    }
  }
  return out
}

// fcgiWorkersOf lists the children of the crmd master that hold its
// listening socket: the FastCGI workers (the periodic-jobs child closes it).
export function fcgiWorkersOf(master) {
  const listen = socketsOf(master)
  return childrenOf(master).filter((p) => [...socketsOf(p)].some((s) => listen.has(s)))
}

// crmdLog helpers: the size now, and the text written since a size.
export const CRMD_LOG = path.join(VAR, 'log', 'crmd.log')
export function logSize() {
  try {
    return statSync(CRMD_LOG).size
  } catch {
    return 0
  }
}
export function logSince(offset) {
  const all = readFileSync(CRMD_LOG)
  return all.subarray(Math.min(offset, all.length)).toString('utf8')
}

// waitFor polls fn (async allowed) until it returns a truthy value and returns
// that value; throws with the last value or error after timeoutMs.
export async function waitFor(fn, timeoutMs = 10000, intervalMs = 100) {
  const end = Date.now() + timeoutMs
  let last
  for (;;) {
    try {
      const v = await fn()
      if (v) return v
      last = v
    } catch (err) {
      last = err
    }
    if (Date.now() >= end) {
      throw new Error(`waitFor: timed out after ${timeoutMs} ms; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`)
    }
    await sleep(intervalMs)
  }
}

// health returns the parsed health answer (status and body), never throws
// on HTTP errors.
export async function health() {
  const r = await api('GET', '/api/v1/health')
  return { status: r.status, body: r.json, res: r }
}

// fcgi sends one FastCGI 1.0 request straight to crmd (CRM_FCGI_PORT),
// bypassing nginx, to test crmd's own checks on what nginx would normalise.
// params: {NAME: value}; stdin: a Buffer or string.  Returns {status,
// headers, body, json}.  Record layout: FastCGI 1.0 sections 3.3, 5.1, 6.
// port: another app server (CRM_SERVERS=2: CRM_FCGI_PORT + 1).
export function fcgi(params, stdin = '', timeoutMs = 10000, port = Number(process.env.CRM_FCGI_PORT || 9001)) {
  const record = (type, content) => {
    const out = []
    let off = 0
    do {
      const part = content.subarray(off, off + 65535)
      const pad = (8 - (part.length % 8)) % 8
      const h = Buffer.alloc(8)
      h.writeUInt8(1, 0) // version
      h.writeUInt8(type, 1)
      h.writeUInt16BE(1, 2) // request id
      h.writeUInt16BE(part.length, 4)
      h.writeUInt8(pad, 6)
      out.push(h, part, Buffer.alloc(pad))
      off += 65535
    } while (off < content.length)
    return Buffer.concat(out)
  }
  const len = (n) => {
    if (n < 128) return Buffer.from([n])
    const b = Buffer.alloc(4)
    b.writeUInt32BE((n | 0x80000000) >>> 0)
    return b
  }
  const pairs = []
  for (const [k, v] of Object.entries(params)) {
    const kb = Buffer.from(k, 'latin1')
    const vb = Buffer.isBuffer(v) ? v : Buffer.from(String(v), 'utf8')
    pairs.push(len(kb.length), len(vb.length), kb, vb)
  }
  const body = Buffer.isBuffer(stdin) ? stdin : Buffer.from(stdin, 'utf8')
  const msg = Buffer.concat([
    record(1, Buffer.from([0, 1, 0, 0, 0, 0, 0, 0])), // BEGIN_REQUEST, RESPONDER, close
    record(4, Buffer.concat(pairs)),
    record(4, Buffer.alloc(0)),
    ...(body.length ? [record(5, body)] : []),
    record(5, Buffer.alloc(0))
  ])
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1')
    let data = Buffer.alloc(0)
    const timer = setTimeout(() => {
      sock.destroy()
      reject(new Error('fcgi: timeout'))
    }, timeoutMs)
    sock.on('connect', () => sock.write(msg))
    sock.on('error', () => {}) // crmd may close before reading all of stdin
    sock.on('data', (d) => {
      data = Buffer.concat([data, d])
    })
    sock.on('close', () => {
      clearTimeout(timer)
      const out = []
      let ended = false
      for (let off = 0; off + 8 <= data.length; ) {
        const type = data[off + 1]
        const clen = data.readUInt16BE(off + 4)
        const pad = data[off + 6]
        if (type === 6) out.push(data.subarray(off + 8, off + 8 + clen))
        if (type === 3) ended = true
        off += 8 + clen + pad
      }
      if (!ended) return reject(new Error('fcgi: no END_REQUEST record'))
      const all = Buffer.concat(out)
      const split = all.indexOf('\r\n\r\n')
      const headers = {}
      for (const l of all.subarray(0, split).toString('latin1').split('\r\n')) {
        const i = l.indexOf(':')
        if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim()
      }
      const text = all.subarray(split + 4).toString('utf8')
      let json = null
      try {
        json = JSON.parse(text)
      } catch {
        // not JSON
      }
      resolve({ status: Number((headers.status || '0').split(' ')[0]), headers, body: text, json })
    })
  })
}
