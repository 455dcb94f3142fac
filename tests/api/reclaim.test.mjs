// WF-RECLAIM: idle customers return to the public pool by themselves, exactly
// the ones `crmctl pool preview` lists, each once, even when two servers run
// the job at the same moment; owners are warned first and told after.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { api, crmctl, login, logout, sh, stackEnv } from './lib.mjs'


// Run SQL through psql -c (sh() has no stdin); returns trimmed stdout.
async function q(sql) {
  const env = await stackEnv()
  const port = /port=(\d+)/.exec(env.CRM_DB)[1]
  const r = await sh(`psql -h 127.0.0.1 -p ${port} -U crm -d crm -tAq -v ON_ERROR_STOP=1 -c "$SQL"`, {
    env: { SQL: sql }
  })
  assert.equal(r.code, 0, r.stderr)
  return r.stdout.trim()
}

test('the job returns exactly the previewed customers, once, with two runners', async () => {
  // Six customers of sales5 look idle: no visit for 40 days (the default rule
  // is 30); one of them is locked and must stay.
  const ids = (await q(`select string_agg(id::text, ',' order by id) from (select c.id from customers c
    join staff s on s.id = c.owner_id where s.login = 'sales5' and c.type_code not like 'gov%'
    order by c.id limit 6) x`)).split(',').map(Number)
  assert.equal(ids.length, 6)
  const locked = ids[5]
  await q(`update customers set last_visit_at = now() - interval '40 days',
    owned_since = now() - interval '100 days', created_at = now() - interval '100 days'
    where id in (${ids.join(',')})`)
  await q(`update customers set locked = true where id = ${locked}`)
  // One more is due in 2 days: it gets a warning, not a return.
  const soon = Number(await q(`select c.id from customers c join staff s on s.id = c.owner_id
    where s.login = 'sales6' and c.type_code not like 'gov%' order by c.id limit 1`))
  await q(`update customers set last_visit_at = now() - interval '28 days',
    owned_since = now() - interval '28 days', created_at = now() - interval '28 days' where id = ${soon}`)

  const preview = JSON.parse(await crmctl(['pool', 'preview', '--json']))
  const due = preview.returned.map((c) => c.id)
  for (const id of ids.slice(0, 5)) assert.ok(due.includes(id), `customer ${id} is due`)
  assert.ok(!due.includes(locked), 'a locked customer never returns by itself')
  assert.ok(preview.returned.every((c) => /^no_(visit|deal):\d+$/.test(c.reason)))
  assert.ok(preview.warned.some((c) => c.id === soon), 'the one due in 2 days is warned')
  // The preview changed nothing.
  assert.equal(await q(`select count(*) from customers where id in (${ids.join(',')}) and owner_id is null`), '0')

  // Two runners at once (as two crmd servers would).
  const [a, b] = await Promise.all([
    crmctl(['pool', 'run', '--json']), crmctl(['pool', 'run', '--json'])
  ])
  const ra = JSON.parse(a).returned.map((c) => c.id)
  const rb = JSON.parse(b).returned.map((c) => c.id)
  assert.equal(ra.filter((id) => rb.includes(id)).length, 0, 'no customer returned twice')

  // Exactly the previewed ones are in the pool now, each logged once with its
  // reason (whichever process ran it, crmd's own job included).
  const logged = await q(`select string_agg(customer_id || ':' || n, ',' order by customer_id) from
    (select customer_id, count(*) n from pool_log where event = 'returned' and customer_id in (${due.join(',')})
     group by customer_id) x`)
  assert.equal(logged, due.map((id) => `${id}:1`).join(','))
  assert.equal(await q(`select count(*) from customers where id in (${due.join(',')}) and owner_id is null`),
    String(due.length))
  assert.equal(await q(`select owner_id is not null from customers where id = ${locked}`), 't')
  assert.equal(await q(`select owner_id is not null from customers where id = ${soon}`), 't')

  // Nothing is due any more; the warned customer is not warned twice.
  const again = JSON.parse(await crmctl(['pool', 'preview', '--json']))
  assert.equal(again.returned.filter((c) => due.includes(c.id)).length, 0)
  assert.equal(again.warned.filter((c) => c.id === soon).length, 0)

  // The owners hear about it: sales5 a 'returned' reminder, sales6 a warning.
  const s5 = await login('sales5')
  const s6 = await login('sales6')
  try {
    const n5 = await api('GET', '/api/v1/notifications', { cookie: s5.cookie })
    assert.ok(n5.json.items.some((n) => n.kind === 'reminder' && n.detail.event === 'returned' &&
      ids.includes(n.customer_id)))
    const n6 = await api('GET', '/api/v1/notifications', { cookie: s6.cookie })
    assert.ok(n6.json.items.some((n) => n.kind === 'reminder' && n.detail.event === 'warning' &&
      n.customer_id === soon))
    assert.ok(n6.json.unread >= 1)
    // The customer page shows the return in its timeline, with the reason.
    const tl = await api('GET', `/api/v1/customers/${ids[0]}/timeline`, { cookie: s5.cookie })
    assert.equal(tl.status, 200)
    assert.ok(tl.json.items.some((i) => i.type === 'pool' && i.kind === 'returned' && /^no_/.test(i.detail)))
  } finally {
    await logout(s5)
    await logout(s6)
  }
})

test('crmctl pool preview refuses a malformed date', async () => {
  await assert.rejects(crmctl(['pool', 'preview', '--date', '2026-13-45']))
  const r = JSON.parse(await crmctl(['pool', 'preview', '--date', '2099-01-01', '--json']))
  assert.ok(r.returned.length > 0, 'far in the future everything owned is due')
  assert.equal(r.ran, false)
})
