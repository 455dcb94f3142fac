// The customer's logo or storefront photo (CUS-PHOTO): uploaded as kind "logo", named
// by its token in the new-customer form or an info change, returned by
// GET /customers/{id} as `logo` and fetched from /files/{token}; someone else's upload,
// or a photo uploaded for a visit, is refused with a message on the field; a new picture
// is recorded in the change history.  Also: a visit document keeps its capture time as
// ISO text (what the document page shows), not epoch seconds.
import { test, after, before } from 'node:test'
import assert from 'node:assert/strict'

import { errorOf } from './lib.mjs'
import { open, closeAll, detail, submit, decide, timeline, newCustomer, customerData, tag, getDoc } from './archive-lib.mjs'
import { fieldPerson, fixture, upload, getBytes, placedCustomer, visit, visitData, iso8, SMALL_JPEG } from './field-lib.mjs'

after(closeAll)

let s, other
before(async () => {
  s = await fieldPerson('lg')
  other = await fieldPerson('lg')
})

async function logo(who) {
  const r = await upload(who, fixture(SMALL_JPEG), { kind: 'logo', name: 'shop.jpg' })
  assert.equal(r.status, 201, r.text)
  assert.equal(r.json.kind, 'logo')
  return r.json.token
}

test('a new customer with a storefront photo shows it on its page', async () => {
  const tok = await logo(s)
  const c = await newCustomer(s, `门头测试${tag()}商行`, { logo: tok })
  const r = await detail(s, c.id)
  assert.equal(r.status, 200, r.text)
  assert.equal(r.json.customer.logo, tok)
  const img = await getBytes(s, `/api/v1/files/${tok}?thumb=1`)
  assert.equal(img.status, 200)
  assert.equal(img.buf.subarray(0, 2).toString('hex'), 'ffd8', 'a JPEG thumbnail')
  const none = await newCustomer(s, `无门头${tag()}商行`)
  assert.equal((await detail(s, none.id)).json.customer.logo, null)
})

test("someone else's upload or a visit photo is refused on the logo field", async () => {
  const foreign = await logo(other)
  const r = await submit(s, 'customer_new', customerData(`他人照片${tag()}商行`, { logo: foreign }))
  assert.equal(r.status, 422, r.text)
  assert.equal(errorOf(r).field, 'logo')
  const ph = await upload(s, fixture(SMALL_JPEG), { kind: 'photo' })
  assert.equal(ph.status, 201, ph.text)
  const c = await placedCustomer(s, null)
  const r2 = await submit(s, 'customer_change', { customer_id: c.id, logo: ph.json.token, reason: '更新门头' })
  assert.equal(r2.status, 422, r2.text)
  assert.equal(errorOf(r2).field, 'logo')
  assert.match(errorOf(r2).message, /[\u4e00-\u9fff]/)
})

test('an info change replaces the picture and the history records it', async () => {
  const first = await logo(s)
  const c = await newCustomer(s, `换门头${tag()}商行`, { logo: first })
  const second = await logo(s)
  const r = await submit(s, 'customer_change', { customer_id: c.id, logo: second, reason: '新门头' })
  assert.ok(r.status === 201 || r.status === 200, r.text)
  if (!r.json.applied) {
    // The shipped routing sends a salesperson's info change to their manager.
    const m = await open('manager1')
    const d = await decide(m, r.json.document.id, 'approve')
    assert.equal(d.status, 200, d.text)
  }
  assert.equal((await detail(s, c.id)).json.customer.logo, second)
  const items = (await timeline(s, c.id)).json.items
  const ch = items.find((it) => it.type === 'change' && it.field === 'logo')
  assert.ok(ch, JSON.stringify(items))
  assert.equal(ch.before, first)
  assert.equal(ch.after, second)
})

test('a visit document keeps its capture time as ISO text', async () => {
  const c = await placedCustomer(s, null)
  const at = new Date(Date.now() - 60000)
  const r = await visit(s, visitData(c.id, { captured_at: iso8(at) }))
  assert.equal(r.status, 201, r.text)
  const doc = (await getDoc(s, r.json.document.id)).json.document
  assert.match(doc.data.captured_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
  assert.ok(Math.abs(Date.parse(doc.data.captured_at) - at.getTime()) < 1500)
})
