// Helpers of the field-work API tests (tests/api/field*.test.mjs): throwaway
// salespeople with customers at known places, QR codes read with a real
// reader (zbarimg) and tokens taken apart or forged, photos with EXIF written
// by exiftool, byte-level checks of JPEG and PNG files, hostile upload bodies
// made at test time, and exact money literals in JSON answers.
//
// Built on lib.mjs and archive-lib.mjs; the same environment (CRM_URL,
// CRM_VAR, CRM_*_PORT).  Needs zbarimg (zbar-tools) and exiftool
// (libimage-exiftool-perl).
import { execFile } from 'node:child_process'
import { createHmac, randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'

import { api, BASE, REPO } from './lib.mjs'
import { addStaff, lit, newCustomer, open, sql, submit, tag } from './archive-lib.mjs'

export const FIXTURES = path.join(REPO, 'tests', 'api', 'fixtures')
export const BIG_JPEG = 'field-photo-2400x1800.jpg'
export const SMALL_JPEG = 'field-photo-640x480.jpg'
// The team's clock (scripts/stack sets TZ for crmd and PostgreSQL).
export const TEAM_TZ = process.env.CRM_TZ || 'Asia/Shanghai'
// Phones in China send their times with this offset.
export const OFFSET = '+08:00'
const OFFSET_MS = 8 * 3600 * 1000

export function fixture(name) {
  return readFileSync(path.join(FIXTURES, name))
}

// ------------------------------------------------------------ temp files

let tmp = null
export function tmpDir() {
  if (tmp === null) {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'crm-field-'))
    process.on('exit', () => rmSync(tmp, { recursive: true, force: true }))
  }
  return tmp
}
let tmpN = 0
export function tmpFile(name, data) {
  tmpN++
  const p = path.join(tmpDir(), `${tmpN}-${name}`)
  writeFileSync(p, data)
  return p
}

// run a program; never throws.  {code, stdout, stderr} (stdout a string).
export function run(cmd, args, timeout = 30000) {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr })
    })
  })
}

// ----------------------------------------------------------------- times

const pad = (n, w = 2) => String(n).padStart(w, '0')
function parts8(d) {
  const t = new Date(d.getTime() + OFFSET_MS)
  return {
    y: t.getUTCFullYear(), mo: pad(t.getUTCMonth() + 1), d: pad(t.getUTCDate()),
    h: pad(t.getUTCHours()), mi: pad(t.getUTCMinutes()), s: pad(t.getUTCSeconds())
  }
}
// "2026-11-27T18:00:00+08:00": what a phone in China sends.
export function iso8(d) {
  const p = parts8(d)
  return `${p.y}-${p.mo}-${p.d}T${p.h}:${p.mi}:${p.s}${OFFSET}`
}
// "2026:11:27 18:00:00": EXIF DateTimeOriginal, the camera's local (+08:00) time.
export function exifTime(d) {
  const p = parts8(d)
  return `${p.y}:${p.mo}:${p.d} ${p.h}:${p.mi}:${p.s}`
}
// The date (YYYY-MM-DD) of an instant on the team's clock.
export function teamDay(d = new Date()) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TEAM_TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d)
}
// A day n days from day (YYYY-MM-DD).
export function addDays(day, n) {
  const t = new Date(`${day}T00:00:00Z`)
  t.setUTCDate(t.getUTCDate() + n)
  return t.toISOString().slice(0, 10)
}
export const minutes = (n) => n * 60 * 1000

// ---------------------------------------------------------------- places

// A point north and east of p by the given metres.
export function around(p, northM, eastM = 0) {
  return {
    lat: p.lat + northM / 111320,
    lng: p.lng + eastM / (111320 * Math.cos((p.lat * Math.PI) / 180))
  }
}
// Haversine distance in metres (as rules/visit.lua computes it).
export function distance(a, b) {
  const r = 6371000
  const rad = Math.PI / 180
  const h = Math.sin(((b.lat - a.lat) * rad) / 2) ** 2 +
    Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(((b.lng - a.lng) * rad) / 2) ** 2
  return 2 * r * Math.asin(Math.min(1, Math.sqrt(h)))
}
// A customer's office somewhere in Shanghai, different in every call.
export function somePlace() {
  return { lat: 31.1 + Math.random() * 0.2, lng: 121.3 + Math.random() * 0.3 }
}

// ----------------------------------------------------------- staff, data

// A new salesperson in manager1's department (销售一部), logged in.  Fresh
// people keep per-day figures and the one-report-a-day rule independent of
// earlier runs on the same stack.  (`crmctl user add ... 销售一部` would make a
// second, top-level 销售一部 with no head, so the department is set here.)
export async function fieldPerson(prefix = 'fw') {
  const login = await addStaff(prefix, 'salesperson')
  await sql(`update staff set department_id = (select department_id from staff where login = 'manager1') where login = ${lit(login)}`)
  return open(login)
}

// A customer of s, at place (or without a location when place is null).
export async function placedCustomer(s, place, overrides = {}) {
  const extra = place ? { lat: place.lat, lng: place.lng } : {}
  return newCustomer(s, `外勤测试${tag()}有限公司`, { ...extra, ...overrides })
}

export function visitData(customerId, o = {}) {
  const d = { customer_id: customerId, met: '王经理', stage: 'needs', notes: '介绍了新产品，客户有兴趣。' }
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) delete d[k]
    else d[k] = v
  }
  return d
}

export function visit(s, data, opts) {
  return submit(s, 'visit', data, opts)
}

// ---------------------------------------------------------------- bytes

// GET a path as bytes: {status, headers, buf}.
export async function getBytes(s, urlPath) {
  const headers = {}
  if (s) headers.cookie = `crm_session=${s.cookie}`
  const res = await fetch(BASE + urlPath, { headers, redirect: 'manual', signal: AbortSignal.timeout(20000) })
  return { status: res.status, headers: res.headers, buf: Buffer.from(await res.arrayBuffer()) }
}

// POST a file as the raw body: the api() answer.
export function upload(s, body, { kind = 'photo', name = 'photo.jpg', headers = {} } = {}) {
  const qs = new URLSearchParams({ kind, name })
  return api('POST', `/api/v1/files?${qs}`, {
    cookie: s.cookie, csrf: s.csrf, body, headers: { 'content-type': 'image/jpeg', ...headers }, timeout: 60000
  })
}

// Degrees as "D M S.ss" (what a camera writes; exiftool given decimal
// degrees may round 31.2 to 31 11 60, which EXIF readers may refuse).
export function dms(v) {
  let cs = Math.round(Math.abs(v) * 360000) // hundredths of a second
  const d = Math.floor(cs / 360000)
  cs -= d * 360000
  const m = Math.floor(cs / 6000)
  cs -= m * 6000
  return `${d} ${m} ${(cs / 100).toFixed(2)}`
}

// A copy of a JPEG with EXIF written by exiftool: taken (a Date, written as
// +08:00 local time), lat/lng (decimal degrees).
export async function withExif(jpeg, { taken, lat, lng } = {}) {
  const file = tmpFile('exif.jpg', jpeg)
  const args = ['-q', '-overwrite_original']
  if (taken) args.push(`-DateTimeOriginal=${exifTime(taken)}`)
  if (lat !== undefined) {
    args.push(`-GPSLatitude=${dms(lat)}`, `-GPSLatitudeRef=${lat < 0 ? 'S' : 'N'}`)
    args.push(`-GPSLongitude=${dms(lng)}`, `-GPSLongitudeRef=${lng < 0 ? 'W' : 'E'}`)
  }
  args.push(file)
  const r = await run('exiftool', args)
  if (r.code !== 0) throw new Error(`exiftool: ${r.code} ${r.stderr}`)
  return readFileSync(file)
}

// Upload a photo with EXIF (see withExif) as s; returns the 201 answer's json.
export async function photo(s, exif, src = SMALL_JPEG) {
  const r = await upload(s, await withExif(fixture(src), exif))
  if (r.status !== 201) throw new Error(`photo upload: ${r.status} ${r.text.slice(0, 300)}`)
  return r.json
}

// ------------------------------------------------------------------- QR

// Decode a picture with the real reader; the text, or null when none found.
export async function zbar(buf, ext = 'png') {
  const file = tmpFile(`qr.${ext}`, buf)
  const r = await run('zbarimg', ['--raw', '-q', file])
  if (r.code !== 0) return null
  return r.stdout.replace(/\n$/, '')
}

// Take a token apart: {payload, kid, customer, version, tag}.
export function tokenParts(tok) {
  const [p, sig] = String(tok).split('.')
  const payload = Buffer.from(p, 'base64url').toString('latin1')
  const f = payload.split('.')
  return { payload, kid: Number(f[1]), customer: Number(f[2]), version: Number(f[3]), tag: sig }
}
// A token as the server makes them, signed with key (any bytes).
export function signToken(payload, key) {
  const t = createHmac('sha256', key).update(payload).digest().subarray(0, 16)
  return `${Buffer.from(payload, 'latin1').toString('base64url')}.${t.toString('base64url')}`
}

// Fetch a customer's qr.png, decode it with zbarimg and return {url, token,
// parts, png}; throws when the image is missing or unreadable.
export async function scan(s, customerId) {
  const r = await getBytes(s, `/api/v1/customers/${customerId}/qr.png`)
  if (r.status !== 200) throw new Error(`qr.png of ${customerId}: ${r.status} ${r.buf.toString().slice(0, 200)}`)
  const url = await zbar(r.buf)
  if (url === null) throw new Error(`zbarimg could not read the qr.png of ${customerId}`)
  const u = new URL(url)
  const token = u.searchParams.get('t')
  return { url, token, parts: tokenParts(token), png: r.buf }
}

export function resolve(s, token) {
  return api('GET', `/api/v1/qr/resolve?t=${encodeURIComponent(token)}`, s ? { cookie: s.cookie } : {})
}

// ------------------------------------------------------------------ PNG

const CRC_TABLE = (() => {
  const t = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c >>> 0
  }
  return t
})()
export function crc32(buf, crc = 0) {
  let c = ~crc >>> 0
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8)
  return ~c >>> 0
}

// An 8-bit greyscale PNG of w x h from grey(x, y) -> 0..255.
export function png(w, h, grey) {
  const raw = Buffer.alloc((w + 1) * h)
  for (let y = 0; y < h; y++) {
    raw[y * (w + 1)] = 0
    for (let x = 0; x < w; x++) raw[y * (w + 1) + 1 + x] = grey(x, y)
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(td))
    return Buffer.concat([len, td, crc])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0)
  ihdr.writeUInt32BE(h, 4)
  ihdr[8] = 8 // bit depth
  ihdr[9] = 0 // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))
  ])
}

// Draw the SVG the server makes for a QR code (a viewBox in modules and one
// path of "MxXyhWv1h-Wz" runs) into a PNG, so zbarimg can read it too.
export function svgToPng(svg, scale = 4) {
  const vb = /viewBox="0 0 (\d+) (\d+)"/.exec(svg)
  const d = /<path[^>]*\sd="([^"]*)"/.exec(svg)
  if (!vb || !d) throw new Error('svgToPng: no viewBox or path')
  const n = Number(vb[1])
  const dark = new Uint8Array(n * n)
  const re = /M(\d+) (\d+)h(\d+)v1h-(\d+)z/g
  let m
  let seen = 0
  while ((m = re.exec(d[1])) !== null) {
    const [x, y, run1] = [Number(m[1]), Number(m[2]), Number(m[3])]
    for (let i = 0; i < run1; i++) dark[y * n + x + i] = 1
    seen += m[0].length
  }
  if (seen !== d[1].length) throw new Error('svgToPng: path commands other than runs')
  return png(n * scale, n * scale, (x, y) => (dark[Math.floor(y / scale) * n + Math.floor(x / scale)] ? 0 : 255))
}

// ----------------------------------------------------------------- JPEG

// The marker segments of a JPEG up to its first SOS: {markers: [0xe0, ...],
// width, height} (width/height from the first SOFn), or null when the bytes
// do not start a JPEG.
export function jpegInfo(buf) {
  if (buf.length < 4 || buf[0] !== 0xff || buf[1] !== 0xd8) return null
  const out = { markers: [], width: 0, height: 0 }
  let p = 2
  while (p + 4 <= buf.length) {
    if (buf[p] !== 0xff) return null
    const m = buf[p + 1]
    const len = buf.readUInt16BE(p + 2)
    out.markers.push(m)
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc && !out.width) {
      out.height = buf.readUInt16BE(p + 5)
      out.width = buf.readUInt16BE(p + 7)
    }
    if (m === 0xda) return out
    p += 2 + len
  }
  return null
}

// A few hand-made bytes of a JPEG whose frame header claims w x h pixels:
// SOI, DQT, SOF0, DHT (DC and AC, one code each), SOS, a little scan data, EOI.
export function jpegHeader(w, h) {
  const seg = (marker, body) => {
    const b = Buffer.alloc(4)
    b[0] = 0xff
    b[1] = marker
    b.writeUInt16BE(body.length + 2, 2)
    return Buffer.concat([b, body])
  }
  const dqt = Buffer.concat([Buffer.from([0x00]), Buffer.alloc(64, 1)])
  const sof = Buffer.alloc(15)
  sof[0] = 8
  sof.writeUInt16BE(h, 1)
  sof.writeUInt16BE(w, 3)
  sof[5] = 3
  for (let i = 0; i < 3; i++) {
    sof[6 + i * 3] = i + 1
    sof[7 + i * 3] = 0x11
    sof[8 + i * 3] = 0
  }
  const counts = Buffer.alloc(16)
  counts[0] = 1
  const dhtDC = Buffer.concat([Buffer.from([0x00]), counts, Buffer.from([0x00])])
  const dhtAC = Buffer.concat([Buffer.from([0x10]), counts, Buffer.from([0x00])])
  const sos = Buffer.from([3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0])
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]), seg(0xdb, dqt), seg(0xc0, sof), seg(0xc4, dhtDC), seg(0xc4, dhtAC),
    seg(0xda, sos), Buffer.alloc(64, 0), Buffer.from([0xff, 0xd9])
  ])
}

// A zip archive (stored as one deflated member) of n bytes of zeros: the
// classic small file that unpacks to something huge.
export function zipBomb(n = 100 * 1024 * 1024, member = 'zeros.bin') {
  const zeros = Buffer.alloc(n)
  const data = zlib.deflateRawSync(zeros, { level: 9 })
  const crc = typeof zlib.crc32 === 'function' ? zlib.crc32(zeros) : crc32(zeros)
  const name = Buffer.from(member, 'latin1')
  const local = Buffer.alloc(30)
  local.writeUInt32LE(0x04034b50, 0)
  local.writeUInt16LE(20, 4) // version needed
  local.writeUInt16LE(0, 6) // flags
  local.writeUInt16LE(8, 8) // deflate
  local.writeUInt32LE(0, 10) // time, date
  local.writeUInt32LE(crc, 14)
  local.writeUInt32LE(data.length, 18)
  local.writeUInt32LE(n, 22)
  local.writeUInt16LE(name.length, 26)
  local.writeUInt16LE(0, 28)
  const central = Buffer.alloc(46)
  central.writeUInt32LE(0x02014b50, 0)
  central.writeUInt16LE(20, 4)
  central.writeUInt16LE(20, 6)
  central.writeUInt16LE(0, 8)
  central.writeUInt16LE(8, 10)
  central.writeUInt32LE(0, 12)
  central.writeUInt32LE(crc, 16)
  central.writeUInt32LE(data.length, 20)
  central.writeUInt32LE(n, 24)
  central.writeUInt16LE(name.length, 28)
  // extra, comment, disk, internal attrs, external attrs: 0; offset 0
  const cdOffset = local.length + name.length + data.length
  const cd = Buffer.concat([central, name])
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(1, 8)
  end.writeUInt16LE(1, 10)
  end.writeUInt32LE(cd.length, 12)
  end.writeUInt32LE(cdOffset, 16)
  return Buffer.concat([local, name, data, cd, end])
}

// Random bytes that do not start like a JPEG (or anything else).
export function randomJunk(n) {
  const b = randomBytes(n)
  b[0] = 0x5a
  return b
}

// ---------------------------------------------------------------- money

// The literal texts of every "key": value in a JSON text, as written (a
// number's digits, or a string with its quotes).
export function literals(text, key) {
  const re = new RegExp(`"${key}":(-?[0-9][0-9.eE+-]*|"[^"]*"|null)`, 'g')
  return [...text.matchAll(re)].map((m) => m[1])
}
// The exact value in cents of a money literal ("1234.85", 1234.85, 1234.8,
// 1234.850), or null when it is not an exact decimal with at most two
// significant decimals (1234.8499999999999, 1.2e3).
export function cents(lit) {
  const s = lit.startsWith('"') ? lit.slice(1, -1) : lit
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s)
  if (!m) return null
  const frac = (m[3] || '').replace(/0+$/, '')
  if (frac.length > 2) return null
  const v = BigInt(m[2]) * 100n + BigInt((frac + '00').slice(0, 2))
  return m[1] === '-' ? -v : v
}
// "1234.85" -> 123485n
export function toCents(s) {
  const v = cents(String(s))
  if (v === null) throw new Error(`not an amount: ${s}`)
  return v
}

export { sleep } from './lib.mjs'
