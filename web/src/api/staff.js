// Colleagues for the pickers.
import { get } from './request'

// list() -> {items: [{id, login, name, role, department_id, department}]}: active staff.
export const list = (options) => get('/staff', options)
