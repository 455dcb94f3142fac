// What a file is by its first bytes (the server checks the same way; asking here first
// saves uploading 20 MB to hear "not a JPEG").
export async function sniff(blob) {
  const head = new Uint8Array(await blob.slice(0, 5).arrayBuffer())
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg'
  if (String.fromCharCode(...head) === '%PDF-') return 'pdf'
  return 'other'
}
