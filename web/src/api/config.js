// The configurable lists (rules/lists.lua).
import { get } from './request'

// getConfig() -> {regions, sources, stages, statuses: [{code, zh, en}],
// customer_types: [{code, zh, en, children}]}
export const getConfig = (options) => get('/config', options)
