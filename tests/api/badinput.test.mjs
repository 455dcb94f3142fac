// Hostile and broken input: every JSON endpoint refuses bad bodies with a
// 400-class JSON error naming the code (and the field when one is at
// fault); garbage cookies and query strings never cause a 500; and after
// all of it no worker has crashed.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'

import { api, login, logout, errorOf, rawGet, fcgi, readPid, childrenOf, logSize, logSince } from './lib.mjs'

const logStart = logSize()
let s, workersBefore
before(async () => {
  s = await login('sales6')
  workersBefore = childrenOf(readPid('crmd.pid'))
})
after(async () => {
  await logout(s)
})

// The three JSON endpoints, each with a valid body, wrong-typed bodies and
// the name of its first required field.
const endpoints = [
  {
    name: 'POST /api/v1/session',
    method: 'POST',
    path: '/api/v1/session',
    auth: false,
    // An unknown login: refused without counting a failure against anyone.
    good: { login: 'nobody-badinput', password: 'not-the-password' },
    first: 'login',
    wrongTypes: [
      [{ login: 5, password: 'x' }, 'login'],
      [{ login: 'sales6', password: 5 }, 'password'],
      [{ login: true, password: 'x' }, 'login'],
      [{ login: ['sales6'], password: 'x' }, 'login'],
      [{ login: { a: 1 }, password: 'x' }, 'login'],
      [{ login: 'x'.repeat(65), password: 'x' }, 'login'],
      [{ login: 'sales6', password: 'x'.repeat(1025) }, 'password']
    ],
    missing: [
      [{ login: 'sales6' }, 'password'],
      [{ password: 'x' }, 'login'],
      [{ login: null, password: 'x' }, 'login']
    ]
  },
  {
    name: 'PUT /api/v1/me/lang',
    method: 'PUT',
    path: '/api/v1/me/lang',
    auth: true,
    good: { lang: 'zh-CN' },
    first: 'lang',
    wrongTypes: [
      [{ lang: 5 }, 'lang'],
      [{ lang: ['en'] }, 'lang'],
      [{ lang: false }, 'lang'],
      [{ lang: 'x'.repeat(17) }, 'lang'],
      [{ lang: 'fr' }, 'lang']
    ],
    missing: [[{ lang: null }, 'lang']]
  },
  {
    name: 'PUT /api/v1/me/password',
    method: 'PUT',
    path: '/api/v1/me/password',
    auth: true,
    // A wrong old password: never changes anything.
    good: { old_password: 'not-the-password', new_password: 'Bad-input-2026!' },
    first: 'old_password',
    wrongTypes: [
      [{ old_password: 5, new_password: 'x' }, 'old_password'],
      [{ old_password: 'x', new_password: 12345678 }, 'new_password'],
      [{ old_password: 'x', new_password: 'y'.repeat(1025) }, 'new_password']
    ],
    missing: [
      [{ old_password: 'x' }, 'new_password'],
      [{ new_password: 'x' }, 'old_password']
    ]
  }
]

function send(ep, body, headers = {}) {
  return api(ep.method, ep.path, {
    body,
    headers,
    ...(ep.auth ? { cookie: s.cookie, csrf: s.csrf } : {})
  })
}

function expect(r, status, code, field, what) {
  assert.equal(r.status, status, `${what}: ${r.status} ${r.text.slice(0, 300)}`)
  const e = errorOf(r)
  assert.equal(e.code, code, `${what}: ${r.text.slice(0, 300)}`)
  if (field !== undefined) assert.equal(e.field, field, `${what}: field`)
}

function nested(depth) {
  // depth counts the top object: {"x": [[...]]} with depth-1 arrays.
  return `{"FIELD":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`
}

for (const ep of endpoints) {
  test(`${ep.name}: the valid body is accepted (control)`, async () => {
    const r = await send(ep, ep.good)
    assert.ok([200, 401].includes(r.status), `${r.status} ${r.text}`)
    if (r.status === 401) assert.equal(errorOf(r).code, 'bad_login')
  })

  test(`${ep.name}: malformed JSON, trailing garbage, non-object top level: 400 bad_json`, async () => {
    const g = JSON.stringify(ep.good)
    for (const [what, body] of [
      ['cut short', g.slice(0, -3)],
      ['trailing garbage', `${g} x`],
      ['two objects', `${g}${g}`],
      ['trailing comma', g.replace(/}$/, ',}')],
      ['single quotes', g.replace(/"/g, "'")],
      ['array top level', `[${g}]`],
      ['string top level', '"x"'],
      ['number top level', '42'],
      ['null', 'null'],
      ['empty body', ''],
      ['duplicate keys', g.replace(/}$/, `,"${ep.first}":"dup"}`)],
      ['NaN', `{"${ep.first}": NaN}`],
      ['a NUL escape', `{"${ep.first}":"a\\u0000b"}`],
      ['a lone surrogate escape', `{"${ep.first}":"\\ud800"}`]
    ]) {
      const r = await send(ep, body)
      expect(r, 400, 'bad_json', undefined, `${ep.name} ${what}`)
      assert.equal(errorOf(r).field, undefined, `${what}: no field for a parse error`)
    }
  })

  test(`${ep.name}: wrong types and lengths: 400 bad_field naming the field`, async () => {
    for (const [body, field] of ep.wrongTypes) {
      expect(await send(ep, body), 400, 'bad_field', field, `${ep.name} ${JSON.stringify(body).slice(0, 60)}`)
    }
  })

  test(`${ep.name}: unknown fields: 400 unknown_field naming it`, async () => {
    expect(await send(ep, { ...ep.good, extra: 1 }), 400, 'unknown_field', 'extra', 'extra')
    expect(await send(ep, { role: 'admin', ...ep.good }), 400, 'unknown_field', 'role', 'role')
    expect(await send(ep, { ...ep.good, __proto__x: null }), 400, 'unknown_field', '__proto__x', '__proto__x')
  })

  test(`${ep.name}: missing fields: 400 missing_field naming it`, async () => {
    expect(await send(ep, {}), 400, 'missing_field', ep.first, '{}')
    for (const [body, field] of ep.missing) {
      expect(await send(ep, body), 400, 'missing_field', field, JSON.stringify(body))
    }
  })

  test(`${ep.name}: invalid UTF-8 bytes: 400 bad_utf8`, async () => {
    for (const [what, bytes] of [
      ['0xff', [0xff]],
      ['a lone continuation byte', [0x80]],
      ['overlong NUL', [0xc0, 0x80]],
      ['overlong slash', [0xe0, 0x80, 0xaf]],
      ['a UTF-16 surrogate', [0xed, 0xa0, 0x80]],
      ['over U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
      ['cut short', [0xe4, 0xb8]]
    ]) {
      const body = Buffer.concat([
        Buffer.from(`{"${ep.first}":"a`),
        Buffer.from(bytes),
        Buffer.from('b"}')
      ])
      expect(await send(ep, body), 400, 'bad_utf8', undefined, `${ep.name} ${what}`)
    }
    // Valid multi-byte UTF-8 is of course fine: it reaches the field checks.
    const zh = await send(ep, { ...ep.good, [ep.first]: '张伟' })
    assert.ok([200, 400, 401].includes(zh.status), zh.text)
    assert.notEqual(errorOf(zh).code, 'bad_utf8')
  })

  test(`${ep.name}: a raw NUL byte in the body: 400`, async () => {
    const body = Buffer.concat([Buffer.from(`{"${ep.first}":"a`), Buffer.from([0]), Buffer.from('b"}')])
    expect(await send(ep, body), 400, 'bad_json', undefined, 'NUL byte')
  })

  test(`${ep.name}: nesting: depth 32 parses, 33 and 40 are refused, a million brackets too`, async () => {
    const at = (d) => nested(d).replace('FIELD', ep.first)
    expect(await send(ep, at(32)), 400, 'bad_field', ep.first, 'depth 32 reaches the field check')
    expect(await send(ep, at(33)), 400, 'bad_json', undefined, 'depth 33')
    expect(await send(ep, at(40)), 400, 'bad_json', undefined, 'depth 40')
    // Brackets inside a string do not count.
    expect(await send(ep, `{"${ep.first}":"${'['.repeat(100)}","x":1}`), 400, 'unknown_field', 'x', 'brackets in a string')
    const r = await send(ep, '['.repeat(1000000))
    expect(r, 400, 'bad_json', undefined, '1e6 brackets')
  })

  test(`${ep.name}: not JSON by content type: 415`, async () => {
    const g = JSON.stringify(ep.good)
    for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'application/json-seq', 'multipart/form-data; boundary=x', 'application/jsonx']) {
      expect(await send(ep, g, { 'content-type': ct }), 415, 'unsupported_type', undefined, ct)
    }
    // Parameters and case do not matter.
    const r = await send(ep, g, { 'content-type': 'Application/JSON; charset=utf-8' })
    assert.ok([200, 401].includes(r.status), `${r.status} ${r.text}`)
  })

  test(`${ep.name}: a body over 1 MiB: 413`, async () => {
    const pad = 'x'.repeat(1024 * 1024 + 10)
    const body = JSON.stringify({ ...ep.good, [ep.first]: pad })
    // nginx answers before crmd sees it (an HTML page would do; the
    // status is what counts).
    const r = await send(ep, body)
    assert.equal(r.status, 413, r.text.slice(0, 200))
    if (r.json) assert.equal(errorOf(r).code, 'too_large')
  })
}

test('crmd itself caps the body at 1 MiB and checks CONTENT_LENGTH (FastCGI, without nginx)', async () => {
  const base = {
    REQUEST_METHOD: 'POST',
    DOCUMENT_URI: '/api/v1/session',
    REQUEST_URI: '/api/v1/session',
    QUERY_STRING: '',
    CONTENT_TYPE: 'application/json',
    HTTP_HOST: '127.0.0.1',
    REMOTE_ADDR: '127.0.0.1'
  }
  const big = await fcgi({ ...base, CONTENT_LENGTH: String(1024 * 1024 + 1) }, '{}')
  assert.equal(big.status, 413, big.body)
  assert.equal(big.json.error.code, 'too_large')
  const huge = await fcgi({ ...base, CONTENT_LENGTH: '99999999999999999999999999' }, '{}')
  assert.equal(huge.status, 413, huge.body)
  for (const cl of ['-1', '1e3', ' 2', '0x10', '2 ']) {
    const r = await fcgi({ ...base, CONTENT_LENGTH: cl }, '{}')
    assert.equal(r.status, 400, `CONTENT_LENGTH ${JSON.stringify(cl)}: ${r.body}`)
  }
  const nomethod = await fcgi({ ...base, REQUEST_METHOD: 'post', CONTENT_LENGTH: '2' }, '{}')
  assert.equal(nomethod.status, 400)
  const ok = await fcgi({ ...base, CONTENT_LENGTH: '2' }, '{}')
  assert.equal(ok.status, 400)
  assert.equal(ok.json.error.code, 'missing_field', 'a normal request through the same client reaches the handler')
})

test('garbage cookies: 401 JSON from /me, never 500', async () => {
  const cases = [
    ['very long', `crm_session=${'A'.repeat(6000)}`],
    ['many pairs', Array.from({ length: 400 }, (_, i) => `c${i}=v${i}`).join('; ')],
    ['many pairs then a token', Array.from({ length: 300 }, (_, i) => `c${i}=v`).join('; ') + '; crm_session=' + 'A'.repeat(43)],
    ['empty', 'crm_session='],
    ['no value sign', 'crm_session'],
    ['43 chars, no such session', `crm_session=${'A'.repeat(43)}`],
    ['43 chars, bad alphabet', `crm_session=${'!'.repeat(43)}`],
    ['42 chars', `crm_session=${'A'.repeat(42)}`],
    ['44 chars', `crm_session=${'A'.repeat(44)}`],
    ['quoted', `crm_session="${'B'.repeat(43)}"`],
    ['only separators', ';;;; ; ;='],
    ['twice', `crm_session=${'C'.repeat(43)}; crm_session=${'D'.repeat(43)}`],
    ['percent signs', 'crm_session=%%%%%zz%00'],
    ['SQL', "crm_session=' or 1=1 --"]
  ]
  for (const [what, cookie] of cases) {
    const r = await api('GET', '/api/v1/me', { headers: { cookie } })
    assert.equal(r.status, 401, `${what}: ${r.status} ${r.text.slice(0, 200)}`)
    assert.equal(errorOf(r).code, 'unauthenticated', what)
  }
})

test('cookies with bytes fetch will not send (control bytes, non-ASCII): 401, and a garbage neighbour does not hide a valid session', async () => {
  for (const [what, value] of [
    ['a control byte', Buffer.from('crm_session=AAAA\x01BBBB', 'latin1')],
    ['DEL', Buffer.from('crm_session=\x7f', 'latin1')],
    ['latin-1 bytes', Buffer.from('crm_session=\xff\xfe\xfd', 'latin1')],
    ['UTF-8 text', Buffer.from('crm_session=会话令牌', 'utf8')],
    ['invalid UTF-8', Buffer.concat([Buffer.from('crm_session='), Buffer.from([0xc3, 0x28, 0xa0, 0xa1])])]
  ]) {
    const r = await rawGet('/api/v1/me', [Buffer.concat([Buffer.from('Cookie: '), value])])
    assert.equal(r.status, 401, `${what}: ${r.status} ${r.body.slice(0, 200)}`)
    assert.equal(JSON.parse(r.body).error.code, 'unauthenticated', what)
  }
  // Another application's broken cookie on the same domain must not lock the
  // user out (RFC 6265 parsing skips the bad pair).
  const r = await rawGet('/api/v1/me', [
    Buffer.from(`Cookie: junk=\x01\x02; other=\xff; crm_session=${s.cookie}`, 'latin1')
  ])
  assert.equal(r.status, 200, r.body.slice(0, 200))
  assert.equal(JSON.parse(r.body).user.login, 'sales6')
})

test('query strings with bad percent escapes and other junk: 400 or the normal answer, never 5xx', async () => {
  for (const q of [
    '?a=%zz',
    '?a=%',
    '?a=%4',
    '?%=1',
    '?a=%00',
    '?%00=1',
    '?a=%ff%fe',
    '?' + 'k'.repeat(300) + '=1',
    '?' + Array.from({ length: 300 }, (_, i) => `p${i}=1`).join('&'),
    '?&&&&==&=',
    '?a=1&a=2&a=3',
    '?a=<script>alert(1)</script>'
  ]) {
    for (const p of ['/api/v1/health', '/api/v1/me']) {
      const r = await api('GET', p + q, { cookie: s.cookie })
      assert.ok(r.status === 200 || r.status === 400, `${p}${q.slice(0, 40)}: ${r.status} ${r.text.slice(0, 200)}`)
      if (r.status === 400) assert.equal(errorOf(r).code, 'bad_request')
    }
  }
  // The plainly malformed ones are refused, consistently.
  const bad = await api('GET', '/api/v1/health?a=%zz')
  assert.equal(bad.status, 400)
})

test('odd paths and headers: never 5xx', async () => {
  for (const p of ['/api/v1/health/', '/api/v1//health', '/api/v1/%2e%2e/health', '/api/v1/he%61lth', '/api/v1/' + 'x'.repeat(3000), '/api/v1/health;x']) {
    const r = await api('GET', p)
    assert.ok(r.status < 500, `${p.slice(0, 60)}: ${r.status}`)
  }
  const r = await api('GET', '/api/v1/me', {
    cookie: s.cookie,
    headers: { 'accept-language': 'x'.repeat(6000), origin: 'y'.repeat(3000), 'x-csrf-token': 'z'.repeat(5000) }
  })
  assert.equal(r.status, 200, r.text.slice(0, 200))
  const wl = await api('POST', '/api/v1/session', {
    body: { login: 'nobody-badinput', password: 'wrong' },
    headers: { 'accept-language': ';q=0,,,;;,zh;q=0,en;q=0.0,*' }
  })
  assert.equal(wl.status, 401)
  assert.match(errorOf(wl).message, /[\u4e00-\u9fff]/, 'no acceptable language: zh-CN')
})

test('after all of that: health 200, no worker crashed or was replaced', async () => {
  const h = await api('GET', '/api/v1/health')
  assert.equal(h.status, 200, h.text)
  assert.equal(h.json.status, 'ok')
  const log = logSince(logStart)
  const crashes = log.split('\n').filter((l) => /killed by signal|exited with/.test(l))
  assert.deepEqual(crashes, [], 'crmd log since this file began')
  assert.deepEqual(childrenOf(readPid('crmd.pid')), workersBefore, 'the same workers still serve')
})
