// Numbers given at commit (fcgi/wf.c wf_late_numbers, fcgi/idem.c): a
// document submitted or decided over the API is inserted with a placeholder
// and numbered right before the commit, and a new customer's owner limit is
// checked then too.  Under concurrent submissions by several people, with
// refusals mixed in (a duplicate name, a limit reached at commit), every
// answer carries the numbers that were stored, a replay carries the same,
// no placeholder is ever left behind, and today's document and customer
// numbers stay 1..n without gaps or repeats.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'

import {
  submit, customerData, newCustomer, open, closeAll, addStaff, setMax, sql, sqlOne, sqlInt, lit, tag, tally,
  CUSTOMER_NUMBER
} from './archive-lib.mjs'
import { errorOf } from './lib.mjs'

after(closeAll)

const DOCUMENT_NUMBER = /^D\d{8}-\d{5,}$/

// Today's numbers of a kind ("D" or "C", the patterns of rules/numbering.lua)
// against the day's counter: every number 1..seq exactly once.
async function gapFree(prefix, counter) {
  const seq = await sqlInt(`select coalesce((select seq from number_seq where name = ${lit(counter)} and day = current_date), 0)`)
  const table = prefix === 'D' ? 'documents' : 'customers'
  const rows = await sql(
    `select split_part(number, '-', 2)::bigint from ${table} where number like '${prefix}' || to_char(current_date, 'YYYYMMDD') || '-%' order by 1`
  )
  const got = rows.map((r) => Number(r[0]))
  assert.equal(got.length, seq, `${table}: ${got.length} numbers today, the counter says ${seq}`)
  got.forEach((n, i) => assert.equal(n, i + 1, `${table}: number ${i + 1} of today is missing or repeated`))
}

test('60 documents at once by four people, refusals mixed in: numbers in the answers are the stored ones, gap-free, no placeholder left', async () => {
  const people = []
  for (let i = 0; i < 4; i++) people.push(await open(await addStaff(`num${i}`)))
  // One customer of each person for the visits; one name taken for the duplicate.
  const own = []
  for (const s of people) own.push(await newCustomer(s, `编号测试${tag()}有限公司`))
  const taken = `编号重名${tag()}有限公司`
  await newCustomer(people[0], taken)
  // The last person may own 4: 1 now, so 3 of their 8 new customers fit.
  await setMax(people[3].user.login, 4)

  const jobs = []
  people.forEach((s, i) => {
    for (let k = 0; k < 8; k++) jobs.push({ who: i, kind: 'customer_new', go: () => submit(s, 'customer_new', customerData(`编号并发${tag()}${i}-${k}有限公司`)) })
    for (let k = 0; k < 4; k++) {
      jobs.push({
        who: i,
        kind: 'visit',
        go: () => submit(s, 'visit', { customer_id: own[i].id, captured_at: new Date().toISOString(), place: '客户办公室', met: '王先生', stage: 'needs', notes: `并发 ${k}` })
      })
    }
    jobs.push({ who: i, kind: 'duplicate', go: () => submit(s, 'customer_new', customerData(taken)) })
  })
  const answers = await Promise.all(jobs.map((j) => j.go()))

  const byWho = (i, kind) => answers.filter((_, n) => jobs[n].who === i && jobs[n].kind === kind)
  for (let i = 0; i < 4; i++) {
    assert.deepEqual(tally(byWho(i, 'duplicate')), { '409 duplicate_name': 1 }, `person ${i}: the taken name is refused`)
    assert.deepEqual(tally(byWho(i, 'visit')), { 201: 4 }, `person ${i}: visits`)
    const news = tally(byWho(i, 'customer_new'))
    assert.deepEqual(news, i === 3 ? { 201: 3, '409 limit': 5 } : { 201: 8 }, `person ${i}: new customers ${JSON.stringify(news)}`)
  }
  // The limit, checked at commit, ends exactly at the maximum and says so.
  assert.equal(await sqlInt(`select count(*) from customers c join staff s on s.id = c.owner_id where s.login = ${lit(people[3].user.login)}`), 4)
  const refused = byWho(3, 'customer_new').find((r) => r.status === 409)
  assert.match(errorOf(refused).message, /3|4/, errorOf(refused).message)

  for (const r of answers.filter((x) => x.status === 201)) {
    const d = r.json.document
    assert.match(d.number, DOCUMENT_NUMBER)
    assert.equal(await sqlOne(`select number from documents where id = ${Number(d.id)}`), d.number, 'the answer names the stored document number')
    assert.equal(d.status, 'approved')
    if (d.kind === 'customer_new') {
      assert.match(r.json.result.number, CUSTOMER_NUMBER)
      assert.equal(d.customer.number, r.json.result.number)
      assert.equal(await sqlOne(`select number from customers where id = ${Number(r.json.result.id)}`), r.json.result.number)
    }
    // The stored answer (a replay) is the same, numbers included.
    const stored = await sqlOne(
      `select response from idempotency where response::jsonb -> 'document' ->> 'id' = ${lit(String(d.id))}`
    )
    assert.deepEqual(JSON.parse(stored), r.json)
  }
  assert.equal(await sqlInt(`select count(*) from documents where number like '~%'`), 0, 'no document kept its placeholder')
  assert.equal(await sqlInt(`select count(*) from customers where number like '~%'`), 0, 'no customer kept its placeholder')
  await gapFree('D', 'document')
  await gapFree('C', 'customer')
})
