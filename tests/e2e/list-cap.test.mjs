// The customer list past its counting cap (fcgi/h_customers.c): a search
// with more than 1,000 matches says "more than 1,000" in the pager instead
// of a total, at PC and phone width, in Chinese and English; a narrower
// search shows its exact total again.  The rows come in through the real
// import (1,050 customers in the public pool, a fresh name each run).
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { DEVICES, asUser, chooseLanguage, launchBrowser, login, newPage, serverAvailable, settled, userFacts } from './support.mjs'

const TEST = { timeout: 90000 }
const RUN = `上限${Date.now().toString(36)}号`
const N = 1050

async function importPool() {
  const head = '客户名称,地址,联系人,联系电话,区域,客户类型,客户来源,销售阶段,客户状态,负责人登录名'
  const lines = [head]
  for (let i = 0; i < N; i++) lines.push(`${RUN}${i},杭州市西湖区文三路1号,陈先生,0571-88886666,华东,中小企业,转介绍,,,`)
  const body = Buffer.from('\ufeff' + lines.join('\r\n') + '\r\n', 'utf8')
  await asUser('admin', async (api, csrf) => {
    const up = await api.post('/api/v1/imports?name=cap.csv', {
      data: body,
      headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/octet-stream' },
      timeout: 120000
    })
    assert.equal(up.status(), 201, await up.text())
    const imp = (await up.json()).import
    assert.equal(imp.good, N)
    const doc = await api.post('/api/v1/documents', {
      data: { kind: 'customer_import', data: { import_id: imp.id, mode: 'all' } },
      headers: { 'X-CSRF-Token': csrf, 'Idempotency-Key': `e2e-cap-${Date.now().toString(36)}` },
      timeout: 120000
    })
    assert.equal(doc.status(), 201, await doc.text())
  })
}

async function searchPool(page, text) {
  const answer = page.waitForResponse((r) => r.url().includes('/api/v1/customers?') && new URL(r.url()).searchParams.get('q') === text)
  await page.locator('[data-test="list-search"]').fill(text)
  await page.locator('[data-test="list-search"]').press('Enter')
  const res = await answer
  assert.equal(res.status(), 200)
  await settled(page)
  return res.json()
}

describe('customer list past the counting cap', { skip: !(await serverAvailable()) && 'no server' }, () => {
  let browser
  before(async () => {
    await importPool()
    browser = await launchBrowser()
  })
  after(async () => browser?.close())

  for (const device of DEVICES) {
    it(`${device.name}: a search with more than 1,000 matches says so; a narrower one shows its total`, TEST, async () => {
      await userFacts('sales1') // starts in Chinese
      const { context, page } = await newPage(browser, device)
      try {
        await login(page, 'sales1')
        await page.goto('/customers/pool')
        await page.locator('[data-test="list-search"]').waitFor()
        const many = await searchPool(page, RUN)
        assert.equal(many.total_more, true)
        const more = page.locator('[data-test="list-total-more"]')
        await more.waitFor()
        assert.match(await more.innerText(), /超过 1,000 条/)
        // 号7, 号70-79, 号700-799: 111 rows, counted exactly.
        const few = await searchPool(page, `${RUN}7`)
        assert.equal(few.total, 111)
        assert.equal(few.total_more, false)
        assert.equal(await more.count(), 0)
        assert.match(await page.locator('[data-test="list-pager"] .el-pagination__total').innerText(), /111/)
        await chooseLanguage(page, 'en')
        await searchPool(page, RUN)
        assert.match(await page.locator('[data-test="list-total-more"]').innerText(), /More than 1,000/)
      } finally {
        await context.close()
        await userFacts('sales1') // back to Chinese for the other suites
      }
    })
  }
})
