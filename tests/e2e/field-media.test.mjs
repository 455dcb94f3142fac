// Browser tests of what field work shows (issue 4, CUS-PHOTO, CUS-MAP): the customer's
// storefront photo on the customer page; a visit document whose photo is shown as a
// picture and whose capture time is a readable time (never a token or epoch seconds);
// the map drawn with tiles from the server's configuration (CRM_MAP_TILE_URL, read by
// crmd at start, so this test restarts crmd with it and restores it afterwards).
// The tile server here is a stand-in answered by the browser (page.route): it is the
// third-party map service, not one of our servers; nothing of ours is mocked.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, DEVICES, login, screenshot, serverAvailable, launchBrowser } from './support.mjs'
import { stack, sleep } from '../api/lib.mjs'
import { open, closeAll, newCustomer, submit, tag } from '../api/archive-lib.mjs'
import { fixture, upload, visitData, iso8, png, SMALL_JPEG } from '../api/field-lib.mjs'

const TEST = { timeout: 180000 }
const PC = DEVICES.find((d) => !d.phone)
const PHONE = DEVICES.find((d) => d.phone)

let browser
let skip = false
before(async () => {
  skip = !(await serverAvailable())
  if (!skip) browser = await launchBrowser()
})
after(async () => {
  await closeAll()
  if (browser) await browser.close()
})

async function healthy() {
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`${BASE}/api/v1/health`).then((r) => r.status === 200).catch(() => false)
    if (ok) return
    await sleep(100)
  }
  throw new Error('crmd did not come back')
}

async function restartCrmd(env) {
  for (const [k, v] of Object.entries(env)) {
    if (v === null) delete process.env[k]
    else process.env[k] = v
  }
  await stack('crmd-stop')
  await stack('crmd-start')
  await healthy()
}

describe('field work media', () => {
  it('the customer page shows the storefront photo; a visit document shows its photo and time', TEST, async (t) => {
    if (skip) return t.skip('no server at ' + BASE)
    const s = await open('sales1')
    const up = await upload(s, fixture(SMALL_JPEG), { kind: 'logo', name: 'shop.jpg' })
    assert.equal(up.status, 201, up.text)
    const c = await newCustomer(s, `门头展示${tag()}商行`, { logo: up.json.token, lat: 39.9042, lng: 116.4074 })
    const ph = await upload(s, fixture(SMALL_JPEG), { kind: 'photo' })
    assert.equal(ph.status, 201, ph.text)
    const at = new Date(Date.now() - 5 * 60000)
    const v = await submit(s, 'visit', visitData(c.id, { photo: ph.json.token, captured_at: iso8(at) }))
    assert.equal(v.status, 201, v.text)

    for (const device of [PC, PHONE]) {
      const context = await browser.newContext({ ...device.options, locale: 'zh-CN', baseURL: BASE })
      const page = await context.newPage()
      try {
        await login(page, 'sales1')
        await page.goto(`/customers/${c.id}`)
        const logo = page.locator('[data-test="customer-field-logo"] img')
        await logo.waitFor()
        await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await logo.elementHandle())
        assert.match(await logo.getAttribute('src'), new RegExp(`/api/v1/files/${up.json.token}\\?thumb=1`))
        await screenshot(page, `customer-logo-${device.tag}`)

        await page.goto(`/documents/${v.json.document.id}`)
        const photo = page.locator('[data-test="data-photo"] img')
        await photo.waitFor()
        await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await photo.elementHandle())
        const when = (await page.locator('[data-test="data-captured_at"]').innerText()).trim()
        assert.match(when, /^\d{4}-\d\d-\d\d \d\d:\d\d$/, `a readable time, got ${when}`)
        assert.doesNotMatch(await page.locator('[data-test="document-data"]').innerText(), new RegExp(ph.json.token), 'no token as text')
      } finally {
        await context.close()
      }
    }
  })

  it('with a tile server configured the customer page draws the map; without one, coordinates', TEST, async (t) => {
    if (skip) return t.skip('no server at ' + BASE)
    const s = await open('sales1')
    const c = await newCustomer(s, `地图展示${tag()}商行`, { lat: 31.2304, lng: 121.4737 })
    const tile = png(256, 256, () => 200)
    await restartCrmd({ CRM_MAP_TILE_URL: '/tiles/{z}/{x}/{y}.png', CRM_MAP_ATTRIBUTION: '© Test Tiles' })
    try {
      const context = await browser.newContext({ ...PC.options, locale: 'en-US', baseURL: BASE })
      const page = await context.newPage()
      const tiles = []
      await page.route('**/tiles/**', (route) => {
        tiles.push(route.request().url())
        return route.fulfill({ status: 200, contentType: 'image/png', body: tile })
      })
      try {
        await login(page, 'sales1')
        await page.goto(`/customers/${c.id}`)
        await page.locator('.leaflet-container').waitFor()
        await page.locator('.leaflet-tile-loaded').first().waitFor()
        assert.ok(tiles.length > 0, 'tiles were asked for')
        assert.ok(tiles.every((u) => u.startsWith(`${BASE}/tiles/`)), tiles.join(' '))
        assert.match(await page.locator('.leaflet-control-attribution').innerText(), /Test Tiles/)
        await screenshot(page, 'customer-map-pc')
      } finally {
        await context.close()
      }
    } finally {
      await restartCrmd({ CRM_MAP_TILE_URL: null, CRM_MAP_ATTRIBUTION: null })
    }
    // Back to no tile server: the coordinates, and no tile is ever asked for.
    const context = await browser.newContext({ ...PC.options, locale: 'zh-CN', baseURL: BASE })
    const page = await context.newPage()
    let asked = 0
    await page.route('**/tiles/**', (route) => {
      asked++
      return route.abort()
    })
    try {
      await login(page, 'sales1')
      await page.goto(`/customers/${c.id}`)
      await page.locator('[data-test="customer-field-location"]').waitFor()
      await page.locator('[data-test="customer-fieldwork"]').waitFor()
      assert.equal(await page.locator('.leaflet-container').count(), 0)
      assert.equal(asked, 0)
    } finally {
      await context.close()
    }
  })
})
