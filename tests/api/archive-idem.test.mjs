// Idempotency keys on documents: a repeated key with the same body answers
// the first answer again (Idempotent-Replayed: true) and creates nothing new;
// the same key with another body is refused (422); a missing or malformed key
// is refused (400) before anything happens; five simultaneous requests with
// one key make one document; keys belong to a person; decisions and claims
// are replayed the same way.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'

import {
  submit, decide, customerData, newCustomer, total, open, closeAll, sqlInt, lit, tag, idemKey, poolIds
} from './archive-lib.mjs'
import { errorOf } from './lib.mjs'

after(closeAll)

const byName = (name) => sqlInt(`select count(*) from customers where name = ${lit(name)}`)
const docsByName = (name) => sqlInt(`select count(*) from documents where data->>'name' = ${lit(name)}`)

test('same key, same body twice: the first answer again, one customer, view=mine +1', async () => {
  const s = await open('sales5')
  const before = await total(s, 'mine')
  const name = `幂等测试${tag()}有限公司`
  const key = idemKey('same')
  const first = await submit(s, 'customer_new', customerData(name), { key })
  assert.equal(first.status, 201, first.text)
  assert.equal(first.headers.get('idempotent-replayed'), null, 'the first answer is not a replay')
  const second = await submit(s, 'customer_new', customerData(name), { key })
  assert.equal(second.status, 201, second.text)
  assert.equal(second.headers.get('idempotent-replayed'), 'true')
  assert.equal(second.json.document.id, first.json.document.id)
  assert.equal(second.json.result.number, first.json.result.number)
  assert.deepEqual(second.json, first.json, 'the very same answer')
  assert.equal(await byName(name), 1, 'one customer')
  assert.equal(await docsByName(name), 1, 'one document')
  assert.equal(await total(s, 'mine'), before + 1, 'view=mine grew by exactly one')
})

test('same key, different body: 422 idempotency_key_reused, nothing created', async () => {
  const s = await open('sales5')
  const key = idemKey('reuse')
  const a = `幂等原始${tag()}`
  const b = `幂等改写${tag()}`
  const first = await submit(s, 'customer_new', customerData(a), { key })
  assert.equal(first.status, 201, first.text)
  const before = await total(s, 'mine')
  const again = await submit(s, 'customer_new', customerData(b), { key })
  assert.equal(again.status, 422, again.text)
  assert.equal(errorOf(again).code, 'idempotency_key_reused')
  assert.equal(again.headers.get('idempotent-replayed'), null)
  assert.equal(await byName(b), 0)
  assert.equal(await docsByName(b), 0)
  assert.equal(await total(s, 'mine'), before)
  // Another path with the same key is another request too.
  const other = await decide(s, first.json.document.id, 'approve', undefined, { key })
  assert.equal(other.status, 422, other.text)
  assert.equal(errorOf(other).code, 'idempotency_key_reused')
})

test('a missing or malformed key: 400 idempotency_key, nothing created', async () => {
  const s = await open('sales5')
  const before = await total(s, 'mine')
  const bad = {
    missing: null,
    empty: '',
    'too short (7)': 'abcdefg',
    'too long (101)': 'k'.repeat(101),
    'a space': 'abc def ghi',
    'a slash': 'abc/def/ghi',
    'a plus': 'abc+def+ghi'
  }
  for (const [what, key] of Object.entries(bad)) {
    const name = `无键测试${tag()}`
    const r = await submit(s, 'customer_new', customerData(name), { key })
    assert.equal(r.status, 400, `${what}: ${r.text}`)
    assert.equal(errorOf(r).code, 'idempotency_key', what)
    assert.equal(await byName(name), 0, what)
    assert.equal(await docsByName(name), 0, what)
  }
  assert.equal(await total(s, 'mine'), before)
  // The bounds themselves are fine: 8 and 100 characters of the allowed set.
  for (const key of [`a-_:.${tag(3)}`, `${tag(8)}${'x'.repeat(92)}`]) {
    assert.equal(key.length === 8 || key.length === 100, true)
    const r = await submit(s, 'customer_new', customerData(`键长测试${tag()}`), { key })
    assert.equal(r.status, 201, `${key}: ${r.text}`)
  }
})

test('five simultaneous requests with one key: one document, one customer, the same answer five times', async () => {
  const sessions = [await open('sales6'), await open('sales6'), await open('sales6')]
  const before = await total(sessions[0], 'mine')
  const name = `并发幂等${tag()}有限公司`
  const key = idemKey('five')
  const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => submit(sessions[i % 3], 'customer_new', customerData(name), { key })))
  assert.deepEqual(answers.map((r) => r.status), [201, 201, 201, 201, 201], answers.map((r) => r.text.slice(0, 200)).join('\n'))
  const ids = new Set(answers.map((r) => r.json.document.id))
  assert.equal(ids.size, 1, 'one document id in all five answers')
  assert.equal(answers.filter((r) => r.headers.get('idempotent-replayed') === 'true').length, 4, 'four replays')
  assert.equal(await byName(name), 1)
  assert.equal(await docsByName(name), 1)
  assert.equal(await total(sessions[0], 'mine'), before + 1)
})

test('keys belong to a person: the same key by someone else is a new request', async () => {
  const a = await open('sales1')
  const b = await open('sales2')
  const key = idemKey('person')
  const ra = await submit(a, 'customer_new', customerData(`个人键甲${tag()}`), { key })
  const rb = await submit(b, 'customer_new', customerData(`个人键乙${tag()}`), { key })
  assert.equal(ra.status, 201, ra.text)
  assert.equal(rb.status, 201, rb.text)
  assert.equal(rb.headers.get('idempotent-replayed'), null)
  assert.notEqual(ra.json.document.id, rb.json.document.id)
})

test('a repeated decision and a repeated claim are replayed, not done twice', async () => {
  const s1 = await open('sales1')
  const m1 = await open('manager1')
  const c = await newCustomer(s1, `重复审批${tag()}有限公司`, { address: '甲地' })
  const ch = await submit(s1, 'customer_change', { customer_id: c.id, reason: '更正', address: '乙地' })
  assert.equal(ch.status, 201, ch.text)
  const key = idemKey('decision')
  const d1 = await decide(m1, ch.json.document.id, 'approve', '好', { key })
  assert.equal(d1.status, 200, d1.text)
  const d2 = await decide(m1, ch.json.document.id, 'approve', '好', { key })
  assert.equal(d2.status, 200, d2.text)
  assert.equal(d2.headers.get('idempotent-replayed'), 'true')
  assert.deepEqual(d2.json, d1.json)
  assert.equal(await sqlInt(`select count(*) from change_log where customer_id = ${c.id} and field = 'address'`), 1, 'applied once')
  // A new key is a new decision: the document is decided already.
  const d3 = await decide(m1, ch.json.document.id, 'approve', '好')
  assert.equal(d3.status, 409, d3.text)

  const s6 = await open('sales6')
  const [pid] = await poolIds(1, 5)
  const ckey = idemKey('claim')
  const c1 = await submit(s6, 'customer_claim', { customer_id: pid }, { key: ckey })
  assert.equal(c1.status, 201, c1.text)
  const c2 = await submit(s6, 'customer_claim', { customer_id: pid }, { key: ckey })
  assert.equal(c2.status, 201, `a retried claim gets its first answer, not already_claimed: ${c2.text}`)
  assert.equal(c2.headers.get('idempotent-replayed'), 'true')
  assert.equal(c2.json.document.id, c1.json.document.id)
  assert.equal(await sqlInt(`select count(*) from pool_log where customer_id = ${pid} and event = 'claimed'`), 1)
})
