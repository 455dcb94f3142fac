// SEC-AUDIT: the audit log is a hash chain (sql/0008_audit_chain.sql) and
// `crmctl audit verify` names the first row altered or removed.  Rows are
// written by many workers at once; the test then edits and deletes rows
// behind the application's back (psql as the database owner), sees each
// reported, and puts every row back exactly (so the chain is whole again
// for the tests after this one).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'

import { api, login, logout, sh, stackEnv, REPO, PASSWORD } from './lib.mjs'

const run = Date.now().toString(36)

async function psql(sql) {
  const env = await stackEnv()
  const port = /port=(\d+)/.exec(env.CRM_DB)[1]
  const r = await sh(`psql -h 127.0.0.1 -p ${port} -U crm -d crm -tAq -v ON_ERROR_STOP=1 -c "$SQL"`, { env: { SQL: sql } })
  assert.equal(r.code, 0, `${sql}: ${r.stderr}`)
  return r.stdout.trim()
}

// verify runs `crmctl audit verify`: {code, out}.
async function verify() {
  const crmctl = path.join(REPO, process.env.CRM_BUILD || 'build', 'crmctl')
  const r = await sh(`"${crmctl}" audit verify`, { env: await stackEnv() })
  return { code: r.code, out: (r.stdout + r.stderr).trim() }
}

async function intact() {
  const v = await verify()
  assert.equal(v.code, 0, v.out)
  assert.match(v.out, /^audit: \d+ rows, chain intact$/)
  return Number(/(\d+) rows/.exec(v.out)[1])
}

// A row well inside the chain (rows after it exist), chosen by seq.
async function middleRow() {
  const row = await psql('select id, seq from audit_log where seq = (select max(seq) - 3 from audit_log)')
  const [id, seq] = row.split('|').map(Number)
  assert.ok(id > 0 && seq > 0, row)
  return { id, seq }
}

// save keeps a copy of row id in a table of its own; restore puts it back
// as it was (same id, seq, hashes), the chain trigger off for that insert.
async function save(id) {
  await psql(`drop table if exists audit_saved_${run}; create table audit_saved_${run} as select * from audit_log where id = ${id}`)
}
async function restoreDeleted() {
  await psql(`set session_replication_role = replica;
    insert into audit_log overriding system value select * from audit_saved_${run};
    drop table audit_saved_${run}`)
}
async function restoreEdited(id) {
  await psql(`update audit_log a set action = s.action, detail = s.detail, hash = s.hash, prev_hash = s.prev_hash
    from audit_saved_${run} s where a.id = s.id and a.id = ${id}; drop table audit_saved_${run}`)
}

test('audit rows written by many workers at once form one unbroken chain', async () => {
  const before = await intact()
  // Failed logins and logins land on every worker at the same moment.
  const sessions = []
  const answers = await Promise.all(
    Array.from({ length: 24 }, (_, i) =>
      api('POST', '/api/v1/session', { body: { login: i % 2 ? 'sales2' : 'sales3', password: i % 4 < 2 ? PASSWORD : 'wrong-' + i } })
    )
  )
  for (const r of answers) {
    assert.ok(r.status === 200 || r.status === 401, `${r.status} ${r.text}`)
    if (r.status === 200) sessions.push(r)
  }
  const after = await intact()
  assert.ok(after >= before + 24, `${before} -> ${after} rows`)
  // seq is 1..n without gaps or repeats, and each row names its predecessor's hash.
  const check = await psql(`select count(*) = max(a.seq) and count(distinct a.seq) = count(*),
    bool_and(a.prev_hash = coalesce(p.hash, decode(repeat('00', 32), 'hex')))
    from audit_log a left join audit_log p on p.seq = a.seq - 1`)
  assert.equal(check, 't|t')
  const head = await psql("select c.seq = (select max(seq) from audit_log) and c.hash = (select hash from audit_log order by seq desc limit 1) from audit_chain c")
  assert.equal(head, 't')
  for (const r of sessions) {
    await logout({ cookie: /crm_session=([^;]*)/.exec(r.headers.get('set-cookie'))[1], csrf: r.json.csrf_token })
  }
})

test('a row edited behind the application\'s back is named by crmctl audit verify', async () => {
  const s = await login('sales4')
  await logout(s)
  await intact()
  const { id, seq } = await middleRow()
  await save(id)
  try {
    await psql(`update audit_log set detail = '{"edited": "${run}"}' where id = ${id}`)
    let v = await verify()
    assert.notEqual(v.code, 0, 'verify fails')
    assert.match(v.out, new RegExp(`row id ${id} \\(seq ${seq}, .*\\) altered: its content does not match its hash`), v.out)
    // A cleverer edit also rewrites the row's own hash: the next row's link
    // to it no longer fits.
    await psql(`update audit_log a set hash = sha256(convert_to(audit_canon(a), 'UTF8')) where id = ${id}`)
    v = await verify()
    assert.notEqual(v.code, 0)
    assert.match(v.out, new RegExp(`seq ${seq + 1}, .* altered: it does not link to the row before it \\(id ${id}\\)`), v.out)
  } finally {
    await restoreEdited(id)
  }
  await intact()
})

test('a row deleted behind the application\'s back is named, and so is a deleted newest row', async () => {
  const s = await login('sales4')
  await logout(s)
  await intact()
  const { id, seq } = await middleRow()
  await save(id)
  try {
    await psql(`delete from audit_log where id = ${id}`)
    const v = await verify()
    assert.notEqual(v.code, 0, 'verify fails')
    assert.match(v.out, new RegExp(`^audit: row ${seq} removed: the chain jumps from id \\d+ to id \\d+ \\(seq ${seq + 1},`), v.out)
  } finally {
    await restoreDeleted()
  }
  await intact()

  const newest = Number(await psql('select id from audit_log order by seq desc limit 1'))
  const newestSeq = Number(await psql(`select seq from audit_log where id = ${newest}`))
  await save(newest)
  try {
    await psql(`delete from audit_log where id = ${newest}`)
    const v = await verify()
    assert.notEqual(v.code, 0)
    assert.match(v.out, new RegExp(`^audit: row ${newestSeq} removed: the newest rows after id \\d+ are gone`), v.out)
  } finally {
    await restoreDeleted()
  }
  await intact()
})
