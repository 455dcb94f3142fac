// Customer QR codes (CARD-QR): the images and what a scanned code stands for.
import { get } from './request'

// resolve(t) -> {customer, token}; 422 (field t) for a forged, altered or revoked code,
// 403 when the reader may not visit the customer.
export const resolve = (t, options) => get(`/qr/resolve?t=${encodeURIComponent(t)}`, options)

// qrImageUrl(id, 'svg' | 'png', scale): the code of the customer's scan URL.
export const qrImageUrl = (id, format = 'svg', scale) =>
  `/api/v1/customers/${encodeURIComponent(id)}/qr.${format}${scale ? `?scale=${scale}` : ''}`
