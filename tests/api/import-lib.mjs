// Helpers of the customer import and export API tests (tests/api/import-*.test.mjs):
// uploading a file for the pre-check, submitting the customer_import document,
// a small zip writer (for zip bombs and archives of many entries, made at test
// time and never committed) and reader (to look inside an exported .xlsx).
//
// Built on lib.mjs and archive-lib.mjs; no dependencies (node's zlib only).
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import zlib from 'node:zlib'

import { api } from './lib.mjs'
import { idemKey } from './archive-lib.mjs'

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures')
export const fixture = (name) => readFileSync(path.join(FIXTURES, name))

// The template's header row in Chinese, as the import expects it.
export const HEADER_ZH = '客户名称,地址,联系人,联系电话,区域,客户类型,客户来源,销售阶段,客户状态,负责人登录名'

// upload sends a file (Buffer) for the pre-check: POST /api/v1/imports?name=.
export function upload(s, buf, name = 'customers.csv', lang) {
  const headers = { 'content-type': 'application/octet-stream' }
  if (lang) headers['accept-language'] = lang
  return api('POST', `/api/v1/imports?name=${encodeURIComponent(name)}`, {
    body: buf,
    cookie: s.cookie,
    csrf: s.csrf,
    headers,
    timeout: 120000
  })
}

// submitImport files the customer_import document (mode: all | good_only).
export function submitImport(s, importId, mode, key = idemKey('imp')) {
  return api('POST', '/api/v1/documents', {
    body: { kind: 'customer_import', data: { import_id: importId, mode } },
    cookie: s.cookie,
    csrf: s.csrf,
    headers: { 'idempotency-key': key },
    timeout: 120000
  })
}

// csv joins rows (arrays of cells) into CSV text with CRLF line ends.
export function csv(rows) {
  const cell = (v) => (/[",\r\n]/.test(v) ? `"${String(v).replace(/"/g, '""')}"` : String(v))
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n'
}

// A BOM-prefixed UTF-8 Buffer of a text.
export const withBom = (text) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])

// ------------------------------------------------------------------ zip files

const CRC_TABLE = (() => {
  const t = new Int32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c
  }
  return t
})()

export function crc32(buf) {
  let c = -1
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8)
  return (c ^ -1) >>> 0
}

// zip builds an archive (APPNOTE 4.3): entries [{name, data: Buffer, store}],
// deflated unless store.  Enough for our tests; no ZIP64.
export function zip(entries) {
  const locals = []
  const centrals = []
  let offset = 0
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8')
    const data = e.data || Buffer.alloc(0)
    const packed = e.store ? data : zlib.deflateRawSync(data, { level: 9 })
    const method = e.store ? 0 : 8
    const crc = crc32(data)
    const lh = Buffer.alloc(30)
    lh.writeUInt32LE(0x04034b50, 0)
    lh.writeUInt16LE(20, 4)
    lh.writeUInt16LE(0x0800, 6) // UTF-8 names
    lh.writeUInt16LE(method, 8)
    lh.writeUInt32LE(crc, 14)
    lh.writeUInt32LE(packed.length, 18)
    lh.writeUInt32LE(data.length, 22)
    lh.writeUInt16LE(name.length, 26)
    const ch = Buffer.alloc(46)
    ch.writeUInt32LE(0x02014b50, 0)
    ch.writeUInt16LE(20, 4)
    ch.writeUInt16LE(20, 6)
    ch.writeUInt16LE(0x0800, 8)
    ch.writeUInt16LE(method, 10)
    ch.writeUInt32LE(crc, 16)
    ch.writeUInt32LE(packed.length, 20)
    ch.writeUInt32LE(data.length, 24)
    ch.writeUInt16LE(name.length, 28)
    ch.writeUInt32LE(offset, 42)
    locals.push(lh, name, packed)
    centrals.push(ch, name)
    offset += 30 + name.length + packed.length
  }
  const cd = Buffer.concat(centrals)
  const tail = []
  if (entries.length > 0xfffe) {
    // ZIP64 end of central directory record and locator (APPNOTE 4.3.14, 4.3.15).
    const z = Buffer.alloc(56)
    z.writeUInt32LE(0x06064b50, 0)
    z.writeBigUInt64LE(44n, 4)
    z.writeUInt16LE(45, 12)
    z.writeUInt16LE(45, 14)
    z.writeBigUInt64LE(BigInt(entries.length), 24)
    z.writeBigUInt64LE(BigInt(entries.length), 32)
    z.writeBigUInt64LE(BigInt(cd.length), 40)
    z.writeBigUInt64LE(BigInt(offset), 48)
    const loc = Buffer.alloc(20)
    loc.writeUInt32LE(0x07064b50, 0)
    loc.writeBigUInt64LE(BigInt(offset + cd.length), 8)
    loc.writeUInt32LE(1, 16)
    tail.push(z, loc)
  }
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  const n = Math.min(entries.length, 0xffff)
  end.writeUInt16LE(n, 8)
  end.writeUInt16LE(n, 10)
  end.writeUInt32LE(cd.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, cd, ...tail, end])
}

// unzip reads every entry of an archive: {name: Buffer}.
export function unzip(buf) {
  let eocd = buf.length - 22
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--
  if (eocd < 0) throw new Error('unzip: no end of central directory')
  const count = buf.readUInt16LE(eocd + 10)
  let p = buf.readUInt32LE(eocd + 16)
  const out = {}
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(p + 10)
    const csize = buf.readUInt32LE(p + 20)
    const nlen = buf.readUInt16LE(p + 28)
    const xlen = buf.readUInt16LE(p + 30)
    const clen = buf.readUInt16LE(p + 32)
    const local = buf.readUInt32LE(p + 42)
    const name = buf.subarray(p + 46, p + 46 + nlen).toString('utf8')
    const lnlen = buf.readUInt16LE(local + 26)
    const lxlen = buf.readUInt16LE(local + 28)
    const data = buf.subarray(local + 30 + lnlen + lxlen, local + 30 + lnlen + lxlen + csize)
    out[name] = method === 8 ? zlib.inflateRawSync(data) : Buffer.from(data)
    p += 46 + nlen + xlen + clen
  }
  return out
}

const unxml = (s) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')

// sheetRows reads the cell texts of one worksheet of an .xlsx we wrote (inline
// or shared strings): an array of rows, each an array of texts by column.
export function sheetRows(xlsx, sheet = 1) {
  const files = unzip(xlsx)
  const shared = []
  const sst = files['xl/sharedStrings.xml']
  if (sst) {
    for (const m of sst.toString('utf8').matchAll(/<si>([\s\S]*?)<\/si>/g)) {
      shared.push(unxml([...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join('')))
    }
  }
  const xml = files[`xl/worksheets/sheet${sheet}.xml`].toString('utf8')
  const rows = []
  for (const r of xml.matchAll(/<row [^>]*>([\s\S]*?)<\/row>/g)) {
    const row = []
    for (const c of r[1].matchAll(/<c r="([A-Z]+)\d+"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      let col = 0
      for (const ch of c[1]) col = col * 26 + ch.charCodeAt(0) - 64
      const body = c[3] || ''
      let text = ''
      if (/t="s"/.test(c[2])) text = shared[Number((/<v>(\d+)<\/v>/.exec(body) || [])[1])] || ''
      else if (/<t[^>]*>/.test(body)) text = unxml([...body.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join(''))
      else text = (/<v>([\s\S]*?)<\/v>/.exec(body) || [])[1] || ''
      row[col - 1] = text
    }
    rows.push(Array.from(row, (v) => v ?? ''))
  }
  return rows
}
