// The roles of PLT-AUTH, lowest first (their names: locales roles.*).
export const ROLES = ['salesperson', 'manager', 'director', 'admin']
