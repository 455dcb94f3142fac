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
    loading: 'Loading…',
    cancel: 'Cancel',
    refresh: 'Refresh',
    yes: 'Yes',
    no: 'No',
    picture: 'Picture',
    openFile: 'Open the file'
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
    logout: 'Log out',
    notifications: 'Notifications ({n} unread)',
    myDocuments: 'My documents'
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
  list: {
    search: 'Search',
    sort: 'Sort',
    empty: 'No data',
    actions: 'Actions',
    totalMore: 'More than {n} (search or filter to narrow)'
  },
  form: {
    required: '{name} is required',
    tooLong: '{name} must be at most {max} characters',
    badPhone: '{name} is not a valid number (5 to 20 digits)',
    outOfRange: '{name} must be between {min} and {max}',
    choose: 'Choose',
    submit: 'Submit',
    pickStaff: 'Pick a colleague',
    searchCustomer: 'Search by name, number, contact or phone'
  },
  customers: {
    views: {
      mine: 'My customers',
      shared_by_me: 'Shared by me',
      shared_with_me: 'Shared with me',
      pool: 'Public pool',
      admin: 'Customer management'
    },
    fields: {
      number: 'Number',
      name: 'Customer name',
      type: 'Type',
      status: 'Status',
      region: 'Region',
      stage: 'Sales stage',
      visitCount: 'Visits',
      lastVisit: 'Last visit',
      owner: 'Owner',
      sharedWith: 'Shared with',
      location: 'Location',
      createdAt: 'Created',
      ownedSince: 'Owned since',
      dealTotal: 'Deal total',
      paidTotal: 'Payments',
      remaining: 'Remaining'
    },
    allTypes: 'All types',
    typeFilter: 'Filter by customer type',
    searchPlaceholder: 'Name, number, contact, phone',
    empty: 'No customers match',
    inPool: 'In the public pool',
    sharedOut: 'Shared',
    sharedIn: 'Shared with me',
    laterRelease: 'Visits arrive in a later release',
    actions: {
      new: 'New customer',
      transferMany: 'Transfer customers',
      visit: 'Visit',
      change: 'Change info',
      share: 'Share scope',
      transfer: 'Transfer',
      claim: 'Claim'
    },
    claimTitle: 'Claim a customer',
    claimHint: 'Check the customer below; once claimed, it becomes your customer.',
    claimConfirm: 'Claim',
    claimed: '“{name}” claimed: it is now one of your customers',
    notClaimable: 'This customer is not in the public pool now and cannot be claimed.',
    detailTitle: 'Customer',
    notFound: 'This customer does not exist, or you may not see it',
    backToList: 'Back to my customers',
    ownerLine: 'Owner: {name} (since {since})',
    poolLine: 'This customer is in the public pool with no owner; it can be claimed.',
    archive: 'Customer information',
    history: 'History',
    timeline: {
      document: '{who}: {kind}',
      transferTo: 'Transferred to {name}',
      change: '{who} changed {field}',
      system: 'System',
      pool: {
        claimed: '{who} claimed it from the public pool',
        returned: 'Returned to the public pool',
        warned: 'Warning: about to return to the public pool',
        other: 'Public pool: {event}'
      },
      empty: 'Nothing yet'
    }
  },
  pool: {
    reasons: {
      no_visit: 'no visit for {days} days',
      no_deal: 'no deal for {days} days'
    }
  },
  workflows: {
    created: 'Customer created, number {number}',
    newHint: 'Fields marked * are required. The name is compared with existing customers (ignoring spaces, full-width letters and case); a duplicate cannot be added.',
    createSubmit: 'Create customer',
    claimExisting: 'Claim this customer',
    openExisting: 'Open customer {number}',
    customer: 'Customer',
    pickCustomerFirst: 'Pick the customer to change first.',
    changeHint: 'Change what needs changing and give a reason; only the fields you change are sent.',
    changeSubmit: 'Submit change',
    applied: 'The change has been applied',
    sentForApproval: 'Sent for approval to {name}',
    backToCustomer: 'Back to the customer',
    openDocument: 'Open the document',
    shareTitle: 'Change the share scope',
    transferHint: 'Pick the customers to transfer (or all of them) and the receiver; the transfer applies at once.',
    transferSubmit: 'Transfer',
    transferred: 'Transferred {count} customer to {name} | Transferred {count} customers to {name}',
    backToMine: 'Back to my customers',
    transferAgain: 'Transfer more'
  },
  documents: {
    title: 'Document',
    mine: 'My documents',
    empty: 'No documents',
    notFound: 'This document does not exist, or you may not see it',
    allStatuses: 'All statuses',
    content: 'Contents',
    decide: 'Decision',
    trailTitle: 'Approval trail',
    kinds: {
      customer_new: 'New customer',
      customer_claim: 'Claim',
      transfer: 'Transfer',
      customer_change: 'Information change'
    },
    status: {
      draft: 'Draft',
      submitted: 'Awaiting approval',
      approved: 'Approved',
      rejected: 'Rejected',
      returned: 'Returned',
      withdrawn: 'Withdrawn'
    },
    stepStatus: {
      waiting: 'Waiting',
      pending: 'Pending',
      approved: 'Approved',
      rejected: 'Rejected',
      returned: 'Returned',
      cancelled: 'Cancelled'
    },
    fields: {
      number: 'Number',
      kind: 'Kind',
      status: 'Status',
      applicant: 'Applicant',
      createdAt: 'Submitted',
      customer: 'Customer'
    },
    trail: {
      submitted: 'Submitted by {name}',
      step: 'Step {n}: {name}',
      appliedAtOnce: 'No approval needed: applied at once',
      withdrawn: 'Withdrawn by the applicant',
      comment: 'Comment: {text}'
    },
    actions: {
      approve: 'Approve',
      reject: 'Reject',
      return: 'Send back',
      withdraw: 'Withdraw'
    },
    decided: {
      approve: 'Approved',
      reject: 'Rejected',
      return: 'Sent back'
    },
    commentPlaceholder: 'Comment (required to reject or send back)',
    commentRequired: 'Please write a comment to reject or send back',
    withdrawn: 'Document withdrawn'
  },
  todos: {
    title: 'To-dos and approvals',
    empty: 'Nothing is waiting for your decision',
    open: 'Decide'
  },
  notifications: {
    title: 'My notifications',
    kind: 'Kind',
    message: 'Message',
    time: 'Time',
    all: 'All',
    markAll: 'Mark all read',
    empty: 'No notifications',
    kinds: {
      todo: 'To-do',
      reminder: 'Reminder',
      result: 'Result'
    },
    text: {
      todo: 'Waiting for your decision: {kind} {number} ({customer})',
      todoDone: ' (done: {status})',
      result: 'Your {kind} {number} ({customer}): {status}',
      comment: '. Comment: {text}',
      warning: '“{customer}” returns to the public pool on {date}: {reason}',
      returned: '“{customer}” returned to the public pool: {reason}'
    }
  },
  errors: {
    network: 'Cannot reach the server; check your network and try again',
    server: 'The server could not handle the request ({status}); please try again later',
    unknown: 'Something went wrong; please try again later'
  }
}
