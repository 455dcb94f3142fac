// The map tile server (CUS-MAP), set when the web is built:
//   VITE_MAP_TILE_URL=/tiles/{z}/{x}/{y}.png VITE_MAP_TILE_ATTRIBUTION='© ...' npm run build
// Default: none. Without it no map and no tile is ever requested (the CSP allows images
// from this site only, so a tile server must be served under it, e.g. proxied by nginx),
// and the customer page shows the coordinates instead; everything else works the same.
export const MAP_TILE_URL = import.meta.env.VITE_MAP_TILE_URL || ''
export const MAP_ATTRIBUTION = import.meta.env.VITE_MAP_TILE_ATTRIBUTION || ''
