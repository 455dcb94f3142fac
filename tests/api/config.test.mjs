// The configurable lists and the menu come from the rule files, per role, and
// an admin's edit of a rule file shows on the next request; a broken edit
// keeps the last good version and shows on /health with file and line.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync, renameSync, copyFileSync, mkdirSync, existsSync, unlinkSync } from 'node:fs'
import path from 'node:path'

import { api, login, logout, errorOf, waitFor, sleep, RULES_DIR, VAR } from './lib.mjs'

const LISTS = path.join(RULES_DIR, 'lists.lua')
let sales, manager, admin
before(async () => {
  sales = await login('sales1')
  manager = await login('manager1')
  admin = await login('admin')
})
after(async () => {
  for (const s of [sales, manager, admin]) await logout(s)
})

function assertItem(it, where) {
  assert.equal(typeof it, 'object', where)
  for (const k of ['code', 'zh', 'en']) {
    assert.equal(typeof it[k], 'string', `${where}.${k}: ${JSON.stringify(it)}`)
    assert.ok(it[k].length > 0, `${where}.${k} empty`)
  }
}

function walkTree(nodes, where, codes) {
  assert.ok(Array.isArray(nodes), `${where} not an array`)
  nodes.forEach((n, i) => {
    assertItem(n, `${where}[${i}]`)
    assert.ok(!codes.has(n.code), `duplicate customer type code ${n.code}`)
    codes.add(n.code)
    if (n.children !== undefined && n.children !== null) walkTree(n.children, `${where}[${i}].children`, codes)
  })
}

async function config(s = sales) {
  const r = await api('GET', '/api/v1/config', { cookie: s.cookie })
  assert.equal(r.status, 200, r.text)
  return r.json
}

test('GET /api/v1/config: no map tile server unless the deployment sets one', async () => {
  // The test stack sets no CRM_MAP_TILE_URL; tests/e2e/field-media.test.mjs restarts
  // crmd with one and sees the map drawn.
  const c = await config()
  assert.deepEqual(c.map, { tile_url: null, attribution: null })
})

test('GET /api/v1/config: the lists as {code, zh, en} and the customer-type tree', async () => {
  const c = await config()
  for (const key of ['regions', 'sources', 'stages', 'statuses']) {
    assert.ok(Array.isArray(c[key]), `${key} missing`)
    assert.ok(c[key].length > 0, `${key} empty`)
    c[key].forEach((it, i) => assertItem(it, `${key}[${i}]`))
    const codes = c[key].map((it) => it.code)
    assert.equal(new Set(codes).size, codes.length, `${key}: duplicate codes`)
    // zh is Chinese, en is not.
    assert.ok(c[key].some((it) => /[\u4e00-\u9fff]/.test(it.zh)), `${key}: no Chinese names`)
    assert.ok(c[key].every((it) => !/[\u4e00-\u9fff]/.test(it.en)), `${key}: Chinese in en`)
  }
  const codes = new Set()
  walkTree(c.customer_types, 'customer_types', codes)
  assert.ok(
    c.customer_types.some((n) => Array.isArray(n.children) && n.children.length > 0),
    'the customer-type tree has no second level'
  )
  // Every user gets the same lists.
  assert.deepEqual(await config(manager), c)
})

test('config and menu need a session: 401', async () => {
  for (const p of ['/api/v1/config', '/api/v1/menu']) {
    const r = await api('GET', p)
    assert.equal(r.status, 401, p)
    assert.equal(errorOf(r).code, 'unauthenticated')
  }
})

function menuKeys(menu) {
  const keys = []
  const walk = (items) => {
    for (const it of items || []) {
      keys.push([it.key, it.path].filter(Boolean).join(' '))
      walk(it.children)
    }
  }
  walk(menu)
  return keys
}

async function menu(s) {
  const r = await api('GET', '/api/v1/menu', { cookie: s.cookie })
  assert.equal(r.status, 200, r.text)
  assert.ok(Array.isArray(r.json.menu), r.text)
  for (const it of r.json.menu) {
    assert.equal(typeof it.key, 'string')
    assert.equal(typeof it.zh, 'string')
    assert.equal(typeof it.en, 'string')
  }
  return menuKeys(r.json.menu)
}

test('GET /api/v1/menu depends on the role: the manager sees more, only the admin sees settings', async () => {
  const s = await menu(sales)
  const m = await menu(manager)
  const a = await menu(admin)
  assert.ok(s.length > 0, 'salesperson menu empty')
  assert.ok(m.length > s.length, `manager ${m.length} items, salesperson ${s.length}`)
  assert.notDeepEqual(m, s)
  assert.ok(a.some((k) => /settings/i.test(k)), `admin menu: ${a.join(', ')}`)
  assert.ok(!s.some((k) => /settings/i.test(k)), `salesperson sees settings: ${s.join(', ')}`)
  assert.ok(!m.some((k) => /settings/i.test(k)), `manager sees settings: ${m.join(', ')}`)
})

// Write a rule file the way an editor that saves atomically does, so a
// worker never reads half a file.
function writeRule(file, text) {
  const tmp = `${file}.apitest-tmp`
  writeFileSync(tmp, text)
  renameSync(tmp, file)
}

async function healthRules() {
  const r = await api('GET', '/api/v1/health')
  assert.equal(r.status, 200, r.text)
  return r.json.rules
}

test('a rule file edited while running: the change shows at once; a broken edit keeps the last good version', async () => {
  const original = readFileSync(LISTS, 'utf8')
  mkdirSync(VAR, { recursive: true })
  const backup = path.join(VAR, 'lists.lua.apitest-backup')
  copyFileSync(LISTS, backup) // a copy aside in case this process dies mid-test
  const before = await config()
  const region = before.regions[0]
  const renamed = `${region.zh}测试改名`
  let written = null
  try {
    // 1. Rename the first region in the file's own text.
    let edited = null
    for (const q of ['"', "'"]) {
      const needle = `${q}${region.zh}${q}`
      if (original.includes(needle)) {
        edited = original.replace(needle, `${q}${renamed}${q}`)
        break
      }
    }
    assert.ok(edited, `cannot find the name ${region.zh} quoted in rules/lists.lua`)
    writeRule(LISTS, edited)
    written = edited
    const c1 = await config()
    assert.equal(c1.regions[0].code, region.code)
    assert.equal(c1.regions[0].zh, renamed, 'the edit shows on the next request')
    // Every worker sees it (each request may go to another worker).
    for (let i = 0; i < 6; i++) assert.equal((await config(i % 2 ? manager : admin)).regions[0].zh, renamed)

    // 2. A syntax error on a known line.
    await sleep(20)
    const broken = `${edited}${edited.endsWith('\n') ? '' : '\n'}local broken_by_api_test = = 1\n`
    const errLine = broken.split('\n').indexOf('local broken_by_api_test = = 1') + 1
    writeRule(LISTS, broken)
    written = broken
    for (let i = 0; i < 6; i++) {
      const c2 = await config(i % 2 ? sales : manager)
      assert.equal(c2.regions[0].zh, renamed, 'the last good version stays active')
      assert.deepEqual(c2.customer_types, before.customer_types)
    }
    // Health reports the broken file, on every worker (several requests).
    for (let i = 0; i < 6; i++) {
      const rules = await healthRules()
      assert.equal(rules.ok, false, `health #${i}: ${JSON.stringify(rules)}`)
      assert.match(rules.error, /lists\.lua/)
      assert.match(rules.error, new RegExp(`lists\\.lua:${errLine}\\b`), `line ${errLine} expected: ${rules.error}`)
    }
    // The other rule files still work.
    assert.ok((await menu(admin)).length > 0)
  } finally {
    // Put the original back unless someone else changed the file meanwhile.
    const now = readFileSync(LISTS, 'utf8')
    if (written !== null && now === written) writeRule(LISTS, original)
  }
  assert.equal(readFileSync(LISTS, 'utf8'), original)
  unlinkSync(backup)
  const c3 = await config()
  assert.deepEqual(c3, before, 'the original lists are back')
  await waitFor(async () => {
    for (let i = 0; i < 4; i++) {
      await config(i % 2 ? sales : admin)
      const rules = await healthRules()
      if (rules.ok !== true || rules.error !== null) return false
    }
    return true
  }, 5000)
  assert.ok(!existsSync(`${LISTS}.apitest-tmp`))
})
