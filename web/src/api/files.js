// Files (docs/api.md "Field work"): photos, contracts, logos, uploaded as the raw request
// body (no multipart), and the addresses to show or download them.
import { request } from './request'

// upload(blob, kind, name, options) -> {token, kind, content_type, width, height,
// exif: {taken_at, gps: {lat, lng} | null}}. kind: photo | contract | logo.
// Refusals: 415 unsupported_type (not a JPEG), 422 validation (damaged, too many
// pixels), 413 too_large, 400 (empty).
export function upload(blob, kind, name, options = {}) {
  const q = new URLSearchParams({ kind })
  if (name) q.set('name', String(name).slice(0, 200))
  return request('POST', `/files?${q}`, { ...options, raw: blob })
}

// fileUrl(token) is the stored file; fileUrl(token, true) its 320 px thumbnail (photos).
export const fileUrl = (token, thumb = false) =>
  `/api/v1/files/${encodeURIComponent(token)}${thumb ? '?thumb=1' : ''}`

// The largest upload the server takes (CRM_MAX_UPLOAD's default; nginx has the same cap).
export const MAX_UPLOAD = 20 * 1024 * 1024
