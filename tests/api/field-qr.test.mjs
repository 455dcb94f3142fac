// Customer QR codes (CARD-QR): the PNG read by a real QR reader (zbarimg)
// holds <site>/scan?t=TOKEN and the token resolves to that customer; the SVG
// carries the same code; forged, altered and revoked tokens are refused with
// 422 (field t); a manager voids one customer's printed codes, a salesperson
// cannot; `crmctl qr rotate` keeps old codes working while new ones carry the
// new key id; `crmctl qr revoke KID` voids every code of that key; no session
// is 401; a code of a customer the reader may not see is refused clearly.
import { test, after, before } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'

import { api, BASE, crmctl, errorOf, login, logout } from './lib.mjs'
import { open, closeAll, sqlOne, sqlInt, HAN } from './archive-lib.mjs'
import {
  fieldPerson, placedCustomer, somePlace, scan, resolve, tokenParts, signToken, zbar, svgToPng,
  getBytes, visit, visitData, around
} from './field-lib.mjs'

after(closeAll)

let s, m1, admin, c1, c2, p1, hidden

before(async () => {
  s = await fieldPerson('fq')
  m1 = await open('manager1')
  admin = await open('admin')
  p1 = somePlace()
  c1 = await placedCustomer(s, p1)
  c2 = await placedCustomer(s, somePlace())
  // A customer of another department: sales4 (销售二部) owns it.
  hidden = Number(await sqlOne("select c.id from customers c join staff o on o.id = c.owner_id where o.login = 'sales4' order by c.id limit 1"))
  assert.ok(hidden > 0, 'sales4 owns a customer')
})

// A refusal of resolve: 422 validation on field t, with a Chinese message.
function refused(r, what) {
  assert.equal(r.status, 422, `${what}: ${r.status} ${r.text}`)
  const e = errorOf(r)
  assert.equal(e.code, 'validation', what)
  assert.equal(e.field, 't', what)
  assert.match(e.message, HAN, `${what}: the message is in the user's language`)
  assert.equal(r.json.customer, undefined, `${what}: no customer is given away`)
}
function resolvesTo(r, id, what) {
  assert.equal(r.status, 200, `${what}: ${r.status} ${r.text}`)
  assert.equal(r.json.customer.id, id, what)
}

test('the qr.png, read by zbarimg, holds <site>/scan?t=TOKEN and the token resolves to that customer', async () => {
  const png = await getBytes(s, `/api/v1/customers/${c1.id}/qr.png`)
  assert.equal(png.status, 200)
  assert.match(png.headers.get('content-type'), /^image\/png/)
  assert.deepEqual([...png.buf.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG by its bytes')
  const url = await zbar(png.buf)
  assert.ok(url, 'zbarimg reads the code')
  assert.ok(url.startsWith(`${BASE}/scan?t=`), `the code holds the site's scan URL: ${url}`)
  const token = new URL(url).searchParams.get('t')
  const parts = tokenParts(token)
  assert.match(parts.payload, /^1\.\d+\.\d+\.\d+$/, 'payload 1.kid.customer.version')
  assert.equal(parts.customer, c1.id)

  const r = await resolve(s, token)
  resolvesTo(r, c1.id, 'the scanned token')
  assert.equal(r.json.customer.number, c1.number)
  assert.equal(r.json.token, token)
  // Another customer's code names that customer.
  const other = await scan(s, c2.id)
  resolvesTo(await resolve(s, other.token), c2.id, 'the second customer')
  assert.notEqual(other.token, token)
})

test('the qr.svg is an SVG carrying the same code', async () => {
  const r = await api('GET', `/api/v1/customers/${c1.id}/qr.svg`, { cookie: s.cookie })
  assert.equal(r.status, 200)
  assert.match(r.headers.get('content-type'), /^image\/svg\+xml/)
  assert.match(r.text, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*viewBox="0 0 \d+ \d+"/)
  assert.ok(r.text.trimEnd().endsWith('</svg>'))
  // Drawn into pixels, zbarimg reads the same URL as from the PNG.
  const fromSvg = await zbar(svgToPng(r.text))
  const fromPng = (await scan(s, c1.id)).url
  assert.equal(fromSvg, fromPng)
  // Bad sizes and names are refused, not drawn.
  assert.equal((await api('GET', `/api/v1/customers/${c1.id}/qr.svg?scale=0`, { cookie: s.cookie })).status, 400)
  assert.equal((await api('GET', `/api/v1/customers/${c1.id}/qr.gif`, { cookie: s.cookie })).status, 404)
})

test('a forged token, an altered token and junk are refused with 422 on field t', async () => {
  const good = await scan(s, c1.id)
  const { payload, kid, version } = good.parts

  // Signed with a key of our own (right format, wrong key).
  refused(await resolve(s, signToken(payload, randomBytes(32))), 'forged (same payload)')
  refused(await resolve(s, signToken(`1.${kid}.${c2.id}.${version}`, randomBytes(32))), 'forged (other customer)')
  // The payload changed, the signature kept.
  const b64 = (p) => Buffer.from(p, 'latin1').toString('base64url')
  refused(await resolve(s, `${b64(`1.${kid}.${c2.id}.${version}`)}.${good.parts.tag}`), 'altered customer')
  refused(await resolve(s, `${b64(`1.${kid}.${c1.id}.${version + 1}`)}.${good.parts.tag}`), 'altered version')
  refused(await resolve(s, `${b64(`1.${kid + 1}.${c1.id}.${version}`)}.${good.parts.tag}`), 'altered key id')
  // One flipped character of the signature.
  const t = good.parts.tag
  const flipped = t.slice(0, 3) + (t[3] === 'A' ? 'B' : 'A') + t.slice(4)
  refused(await resolve(s, `${good.token.split('.')[0]}.${flipped}`), 'altered signature')
  // Junk.
  for (const junk of ['', 'abc', good.token.split('.')[0], `${good.token}.x`, `${good.token}A`, 'x'.repeat(5000)]) {
    refused(await resolve(s, junk), `junk ${JSON.stringify(junk.slice(0, 20))}`)
  }
  refused(await api('GET', '/api/v1/qr/resolve', { cookie: s.cookie }), 'no t at all')

  // A visit started from an altered code is refused on qr_token.
  const v = await visit(s, visitData(c2.id, { qr_token: `${b64(`1.${kid}.${c2.id}.${version}`)}.${good.parts.tag}` }))
  assert.equal(v.status, 422, v.text)
  assert.equal(errorOf(v).field, 'qr_token')
  // The genuine code still works.
  resolvesTo(await resolve(s, good.token), c1.id, 'the genuine token')
})

test('a manager voids one customer\'s printed codes; a salesperson gets 403', async () => {
  const old = await scan(s, c1.id)
  const other = await scan(s, c2.id)

  const no = await api('POST', `/api/v1/customers/${c1.id}/qr/revoke`, { cookie: s.cookie, csrf: s.csrf })
  assert.equal(no.status, 403, no.text)
  assert.equal(errorOf(no).code, 'forbidden')
  resolvesTo(await resolve(s, old.token), c1.id, 'still valid after the refused revoke')

  const ok = await api('POST', `/api/v1/customers/${c1.id}/qr/revoke`, { cookie: m1.cookie, csrf: m1.csrf })
  assert.equal(ok.status, 204, ok.text)
  refused(await resolve(s, old.token), 'the printed code after revoke')
  refused(await resolve(m1, old.token), 'the printed code after revoke (manager)')
  const v = await visit(s, visitData(c1.id, { qr_token: old.token, ...around(p1, 10) }))
  assert.equal(v.status, 422, `a visit from a voided code: ${v.text}`)
  assert.equal(errorOf(v).field, 'qr_token')

  // The new code has the next version and works; other customers are untouched.
  const fresh = await scan(s, c1.id)
  assert.equal(fresh.parts.version, old.parts.version + 1)
  resolvesTo(await resolve(s, fresh.token), c1.id, 'the new code')
  resolvesTo(await resolve(s, other.token), c2.id, 'another customer\'s code')

  // Nothing to revoke: 404; no CSRF token: 403 and nothing changes.
  assert.equal((await api('POST', '/api/v1/customers/999999999/qr/revoke', { cookie: m1.cookie, csrf: m1.csrf })).status, 404)
  const nocsrf = await api('POST', `/api/v1/customers/${c1.id}/qr/revoke`, { cookie: m1.cookie })
  assert.equal(nocsrf.status, 403)
  resolvesTo(await resolve(s, fresh.token), c1.id, 'after a revoke without CSRF token')
})

test('crmctl qr rotate: old codes still resolve, new images carry the new key id', async () => {
  const a = await scan(s, c1.id)
  const b = await scan(s, c2.id)
  const out = await crmctl(['qr', 'rotate'])
  const m = /key (\d+) signs/.exec(out)
  assert.ok(m, out)
  const kid = Number(m[1])
  assert.ok(kid > a.parts.kid, `new key ${kid} after ${a.parts.kid}`)
  assert.notEqual(await sqlOne(`select retired_at from qr_keys where kid = ${a.parts.kid}`), '', 'the old key is retired')

  resolvesTo(await resolve(s, a.token), c1.id, 'old code 1 after rotate')
  resolvesTo(await resolve(s, b.token), c2.id, 'old code 2 after rotate')
  const a2 = await scan(s, c1.id)
  assert.equal(a2.parts.kid, kid, 'a new image is signed by the new key')
  assert.notEqual(a2.token, a.token)
  resolvesTo(await resolve(s, a2.token), c1.id, 'new code')
  // A visit from an old (retired, not revoked) key's code is still a scan.
  const v = await visit(s, visitData(c1.id, { qr_token: a.token, ...around(p1, 20) }))
  assert.equal(v.status, 201, v.text)
  assert.ok(!v.json.result.verdict.reasons.some((x) => x.code === 'no_scan'), JSON.stringify(v.json.result.verdict))
})

test('crmctl qr revoke KID: every code that key signed is refused; other keys\' codes still work', async () => {
  const before1 = await scan(s, c1.id)
  await crmctl(['qr', 'rotate'])
  const a = await scan(s, c1.id)
  const b = await scan(s, c2.id)
  assert.equal(a.parts.kid, b.parts.kid)
  assert.ok(a.parts.kid > before1.parts.kid)
  const kid = a.parts.kid

  const out = await crmctl(['qr', 'revoke', String(kid)])
  assert.match(out, new RegExp(`key ${kid} revoked`))
  assert.equal(await sqlInt(`select count(*) from qr_keys where kid = ${kid} and revoked_at is not null`), 1)
  refused(await resolve(s, a.token), 'customer 1, revoked key')
  refused(await resolve(s, b.token), 'customer 2, revoked key')
  refused(await resolve(admin, a.token), 'revoked key, as admin')
  const v = await visit(s, visitData(c2.id, { qr_token: b.token }))
  assert.equal(v.status, 422, v.text)
  assert.equal(errorOf(v).field, 'qr_token')
  // The retired key before it was not revoked: its codes still scan.
  resolvesTo(await resolve(s, before1.token), c1.id, 'code of the retired (not revoked) key')

  // New images get a new key and work.
  const a2 = await scan(s, c1.id)
  assert.notEqual(a2.parts.kid, kid)
  assert.ok(a2.parts.kid > kid)
  resolvesTo(await resolve(s, a2.token), c1.id, 'new code after the revoke')
  // Revoking it again is an error of crmctl, not a silent success.
  await assert.rejects(crmctl(['qr', 'revoke', String(kid)]))
})

test('no session: 401 for resolve, images and revoke; an ended session too', async () => {
  const t = (await scan(s, c1.id)).token
  const r1 = await resolve(null, t)
  assert.equal(r1.status, 401, r1.text)
  assert.equal(errorOf(r1).code, 'unauthenticated')
  assert.equal(r1.json.customer, undefined)
  assert.equal((await getBytes(null, `/api/v1/customers/${c1.id}/qr.png`)).status, 401)
  assert.equal((await api('GET', `/api/v1/customers/${c1.id}/qr.svg`)).status, 401)
  assert.equal((await api('POST', `/api/v1/customers/${c1.id}/qr/revoke`)).status, 401)

  const gone = await login(s.user.login)
  resolvesTo(await resolve(gone, t), c1.id, 'before logout')
  await logout(gone)
  const r2 = await resolve(gone, t)
  assert.equal(r2.status, 401, r2.text)
  assert.equal(r2.json.customer, undefined)
})

test('a code of a customer the reader may not see: 403 with a clear message, and no image for them', async () => {
  const t = (await scan(admin, hidden)).token
  resolvesTo(await resolve(admin, t), hidden, 'admin sees it')
  const r = await resolve(s, t)
  assert.ok([403, 404].includes(r.status), `${r.status} ${r.text}`)
  const e = errorOf(r)
  assert.match(e.message, HAN)
  assert.ok(e.message.length >= 6, `a clear message: ${e.message}`)
  assert.equal(r.json.customer, undefined, 'the customer is not given away')
  assert.doesNotMatch(r.text, new RegExp(String(await sqlOne(`select name from customers where id = ${hidden}`))))
  // English for an English reader.
  const en = await api('GET', `/api/v1/qr/resolve?t=${encodeURIComponent(t)}`, { cookie: s.cookie, headers: { 'accept-language': 'en' } })
  assert.equal(en.status, r.status)
  // (the user's setting wins over Accept-Language; a zh-CN user stays zh-CN)
  assert.match(errorOf(en).message, HAN)

  assert.equal((await getBytes(s, `/api/v1/customers/${hidden}/qr.png`)).status, 404)
  assert.equal((await api('GET', `/api/v1/customers/${hidden}/qr.svg`, { cookie: s.cookie })).status, 404)
  const v = await visit(s, visitData(hidden, { qr_token: t }))
  assert.equal(v.status, 404, v.text)
})
