// Photo uploads (CUS-PHOTO): a real JPEG with EXIF written by exiftool is
// taken (201), its capture time and GPS read, and stored re-encoded at most
// 1600 pixels a side, with a thumbnail, both without any EXIF/GPS; broken,
// truncated, huge-dimension, oversized, non-image and zip-bomb bodies are
// refused cleanly (a JSON error in the user's language, never a 500), and
// afterwards the service is healthy with no worker killed.
import { test, after, before } from 'node:test'
import assert from 'node:assert/strict'

import { api, errorOf, fcgi, fcgiWorkersOf, health, logSince, logSize, readPid } from './lib.mjs'
import { closeAll, sqlOne, HAN } from './archive-lib.mjs'
import {
  fieldPerson, fixture, withExif, upload, getBytes, jpegInfo, jpegHeader, png, zipBomb, randomJunk, exifTime,
  BIG_JPEG, SMALL_JPEG
} from './field-lib.mjs'

after(closeAll)

let s, en, logStart, workersBefore

before(async () => {
  logStart = logSize()
  workersBefore = fcgiWorkersOf(readPid('crmd.pid'))
  s = await fieldPerson('fp')
  en = await fieldPerson('fpen')
  const r = await api('PUT', '/api/v1/me/lang', { cookie: en.cookie, csrf: en.csrf, body: { lang: 'en' } })
  assert.equal(r.status, 200, r.text)
})

// A clean refusal: the expected status(es), a JSON error with a code and a
// message in the user's language (Chinese, or English for `en`).
function refused(r, statuses, code, what, { english = false } = {}) {
  const want = [].concat(statuses)
  assert.ok(want.includes(r.status), `${what}: expected ${want.join('/')}, got ${r.status} ${r.text.slice(0, 200)}`)
  assert.match(r.headers.get('content-type') || '', /application\/json/, `${what}: the answer is JSON (${r.headers.get('content-type')})`)
  const e = errorOf(r)
  if (code) assert.equal(e.code, code, what)
  if (english) assert.doesNotMatch(e.message, HAN, `${what}: English for an English user: ${e.message}`)
  else assert.match(e.message, HAN, `${what}: Chinese for a Chinese user: ${e.message}`)
  assert.equal(r.json.token, undefined, `${what}: nothing stored`)
  return e
}

test('a good JPEG: 201, shrunk to at most 1600 px, EXIF time and GPS read; the stored file and thumbnail are JPEGs without EXIF', async () => {
  const taken = new Date(Date.now() - 3 * 60 * 1000)
  const gps = { lat: 31.2304567, lng: 121.4737012 }
  const src = await withExif(fixture(BIG_JPEG), { taken, ...gps })
  assert.ok(src.includes('Exif'), 'the upload carries EXIF')
  assert.ok(jpegInfo(src).markers.includes(0xe1), 'in an APP1 segment')
  assert.equal(jpegInfo(src).width, 2400)

  const r = await upload(s, src, { name: '门头照片.jpg' })
  assert.equal(r.status, 201, r.text)
  assert.equal(r.json.kind, 'photo')
  assert.equal(r.json.content_type, 'image/jpeg')
  assert.match(r.json.token, /^[A-Za-z0-9_-]{20,64}$/)
  assert.equal(r.json.width, 1600, 'the longer side is 1600')
  assert.equal(r.json.height, 1200, 'the aspect ratio kept')
  assert.equal(r.json.exif.taken_at, exifTime(taken).replace(/^(\d+):(\d+):/, '$1-$2-'), 'DateTimeOriginal read')
  assert.ok(r.json.exif.gps, 'GPS read')
  assert.ok(Math.abs(r.json.exif.gps.lat - gps.lat) < 1e-5 && Math.abs(r.json.exif.gps.lng - gps.lng) < 1e-5, JSON.stringify(r.json.exif.gps))
  assert.equal(await sqlOne(`select uploaded_by from files where token = '${r.json.token}'`), String(s.user.id))

  const f = await getBytes(s, `/api/v1/files/${r.json.token}`)
  assert.equal(f.status, 200)
  assert.match(f.headers.get('content-type'), /^image\/jpeg/)
  const fi = jpegInfo(f.buf)
  assert.ok(fi, 'the stored file is a JPEG')
  assert.equal(fi.width, 1600)
  assert.equal(fi.height, 1200)
  assert.ok(!fi.markers.includes(0xe1), `no APP1 segment: ${fi.markers.map((m) => m.toString(16))}`)
  assert.ok(!f.buf.includes('Exif'), 'no "Exif" anywhere in the stored bytes')
  assert.ok(!f.buf.includes('GPS'), 'no GPS')
  assert.ok(f.buf.length < src.length * 2)

  const t = await getBytes(s, `/api/v1/files/${r.json.token}?thumb=1`)
  assert.equal(t.status, 200)
  const ti = jpegInfo(t.buf)
  assert.ok(ti, 'the thumbnail is a JPEG')
  assert.ok(Math.max(ti.width, ti.height) <= 320 && ti.width > 0, `thumbnail ${ti.width}x${ti.height}`)
  assert.ok(!ti.markers.includes(0xe1) && !t.buf.includes('Exif'), 'the thumbnail has no EXIF')
  assert.ok(t.buf.length < f.buf.length)

  // A small photo keeps its size; a missing file is 404.
  const small = await upload(s, fixture(SMALL_JPEG))
  assert.equal(small.status, 201, small.text)
  assert.equal(small.json.width, 640)
  assert.equal(small.json.height, 480)
  assert.equal(small.json.exif.taken_at, null, 'no EXIF, no time')
  assert.equal(small.json.exif.gps, null)
  assert.equal((await api('GET', '/api/v1/files/nosuchtoken0123456789', { cookie: s.cookie })).status, 404)
  assert.equal((await getBytes(null, `/api/v1/files/${r.json.token}`)).status, 401, 'files need a session')
})

test('refused cleanly: truncated, a PNG named .jpg, a 65535x65535 header, random bytes, a zip bomb, an empty body', async () => {
  const jpeg = await withExif(fixture(BIG_JPEG), { taken: new Date(), lat: 31.5, lng: 121.5 })
  const half = jpeg.subarray(0, jpeg.length >> 1)
  const e1 = refused(await upload(s, half, { name: 'half.jpg' }), 422, 'validation', 'truncated JPEG')
  assert.equal(e1.field, 'file')
  refused(await upload(s, jpeg.subarray(0, 4000), { name: 'head.jpg' }), 422, 'validation', 'only the headers of a JPEG')

  const pngFile = png(64, 48, (x, y) => (x * 4 + y * 2) & 255)
  refused(await upload(s, pngFile, { name: 'photo.jpg' }), 415, 'unsupported_type', 'a PNG named .jpg')

  const huge = jpegHeader(65535, 65535)
  assert.ok(huge.length < 400)
  refused(await upload(s, huge, { name: 'huge.jpg' }), [413, 415, 422], null, '65535x65535 header')
  refused(await upload(s, jpegHeader(12001, 10), { name: 'wide.jpg' }), [413, 415, 422], null, '12001 pixels wide')

  refused(await upload(s, randomJunk(64 * 1024), { name: 'random.jpg' }), 415, 'unsupported_type', 'random bytes')

  const bomb = zipBomb()
  assert.ok(bomb.length < 200 * 1024, `the bomb is small on the wire: ${bomb.length}`)
  refused(await upload(s, bomb, { name: 'bomb.jpg' }), 415, 'unsupported_type', 'a zip bomb named .jpg')
  refused(await upload(s, bomb, { kind: 'contract', name: 'contract.pdf' }), 415, 'unsupported_type', 'a zip bomb as a contract')

  const empty = await upload(s, Buffer.alloc(0))
  refused(empty, 400, null, 'an empty body')

  refused(await upload(s, jpeg, { kind: 'video' }), 400, null, 'an unknown kind')

  // English for an English user.
  refused(await upload(en, half), 422, 'validation', 'truncated (en)', { english: true })
  refused(await upload(en, pngFile), 415, 'unsupported_type', 'PNG (en)', { english: true })
})

test('a 30 MB body: 413 too_large as JSON, from nginx and from crmd itself', async () => {
  const big = Buffer.alloc(30 * 1024 * 1024, 0xff)
  big[1] = 0xd8
  const r = await upload(s, big, { name: 'big.jpg' })
  assert.equal(r.status, 413, r.text.slice(0, 200))
  refused(r, 413, 'too_large', '30 MB through nginx')

  // crmd's own cap (20 MiB), straight over FastCGI: refused by the length alone.
  const direct = await fcgi({
    REQUEST_METHOD: 'POST',
    DOCUMENT_URI: '/api/v1/files',
    REQUEST_URI: '/api/v1/files?kind=photo',
    QUERY_STRING: 'kind=photo',
    CONTENT_TYPE: 'image/jpeg',
    CONTENT_LENGTH: String(21 * 1024 * 1024),
    HTTP_HOST: '127.0.0.1',
    HTTP_COOKIE: `crm_session=${s.cookie}`,
    HTTP_X_CSRF_TOKEN: s.csrf,
    REMOTE_ADDR: '127.0.0.1'
  }, Buffer.alloc(1024))
  assert.equal(direct.status, 413, direct.body.slice(0, 200))
  assert.equal(direct.json.error.code, 'too_large')
})

test('after all of it: healthy, no worker killed or restarted', async () => {
  const h = await health()
  assert.equal(h.status, 200)
  assert.equal(h.body.status, 'ok')
  const log = logSince(logStart)
  const crashes = log.split('\n').filter((l) => /killed by signal|exited with/.test(l))
  assert.deepEqual(crashes, [], 'no worker died')
  const statuses = [...log.matchAll(/access POST \/api\/v1\/files (\d{3})/g)].map((m) => Number(m[1]))
  assert.ok(statuses.length >= 10, `the uploads reached crmd: ${statuses.length}`)
  assert.ok(statuses.every((x) => x < 500), `no 5xx for an upload: ${statuses}`)
  assert.deepEqual(fcgiWorkersOf(readPid('crmd.pid')), workersBefore, 'the same workers as before')
  // And a good upload still works.
  const ok = await upload(s, fixture(SMALL_JPEG))
  assert.equal(ok.status, 201, ok.text)
})
