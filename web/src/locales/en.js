// English UI text (the second language). Keys mirror zh-CN.js.
export default {
  app: {
    name: 'Sales CRM',
    shortName: 'CRM'
  },
  lang: {
    label: 'Language',
    'zh-CN': '中文',
    en: 'English'
  },
  common: {
    backHome: 'Back to home',
    loading: 'Loading…'
  },
  login: {
    title: 'Log in',
    subtitle: 'Customer collaboration for sales teams',
    user: 'Login',
    userPlaceholder: 'Your login',
    pass: 'Password',
    passPlaceholder: 'Your password',
    userRequired: 'Please enter your login',
    passRequired: 'Please enter your password',
    submit: 'Log in',
    submitting: 'Logging in…',
    sessionEnded: 'Your session has ended, please log in again',
    loggedOut: 'You have logged out'
  },
  header: {
    openMenu: 'Open menu',
    userMenu: 'User menu',
    account: 'Account settings',
    password: 'Change password',
    logout: 'Log out'
  },
  menu: {
    title: 'Navigation',
    home: 'Home',
    empty: 'No menu items available',
    loadFailed: 'The menu could not be loaded'
  },
  roles: {
    salesperson: 'Salesperson',
    manager: 'Sales manager',
    director: 'Sales director',
    admin: 'Administrator'
  },
  home: {
    welcome: 'Welcome, {name}',
    intro: 'Welcome to the Sales CRM.',
    login: 'Login',
    role: 'Role',
    department: 'Department',
    noDepartment: 'No department',
    areas: 'My areas'
  },
  placeholder: {
    title: 'This page arrives in a later release',
    body: '“{name}” arrives in a later release.',
    area: 'Area: {area}'
  },
  notFound: {
    title: 'Page not found',
    body: 'The address {path} does not exist, or you may not open it.'
  },
  account: {
    title: 'Account settings',
    passwordTitle: 'Change password',
    oldPassword: 'Current password',
    newPassword: 'New password',
    confirmPassword: 'Confirm new password',
    oldRequired: 'Please enter your current password',
    newRequired: 'Please enter a new password',
    confirmRequired: 'Please enter the new password again',
    mismatch: 'The two new passwords do not match',
    sameAsOld: 'The new password must differ from the current one',
    changePassword: 'Change password',
    passwordChanged: 'Password changed; your other sessions have been logged out',
    languageTitle: 'Interface language',
    languageHint: 'While you are logged in, the language is saved to your account.',
    languageSaved: 'Language saved'
  },
  errors: {
    network: 'Cannot reach the server; check your network and try again',
    server: 'The server could not handle the request ({status}); please try again later',
    unknown: 'Something went wrong; please try again later'
  }
}
