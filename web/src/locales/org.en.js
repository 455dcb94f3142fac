// English text of the staff, org and target pages. Keys mirror org.zh-CN.js; merged
// into the main messages by locales/index.js.
export default {
  documents: {
    kinds: {
      target: 'Targets'
    }
  },
  org: {
    title: 'Organisation and staff',
    departments: 'Departments',
    addDepartment: 'New department',
    addChild: 'New sub-department',
    rename: 'Rename',
    move: 'Move',
    setHead: 'Set head',
    head: 'Head',
    noHead: 'No head set',
    headLine: 'Head: {name} · {n} people',
    staffCount: '{n} people',
    pickDepartment: 'Choose a department',
    includeSub: 'Include sub-departments',
    deptName: 'Department name',
    parent: 'Parent department',
    newParent: 'Move under',
    deptSaved: 'Department saved',
    dialogTitle: '{what}: {name}',
    deptDialog: {
      add: 'New department',
      rename: 'Rename department',
      move: 'Move department',
      head: 'Set the head of the department'
    },
    nameRequired: 'Please enter the department name',
    parentRequired: 'Please choose the parent department',
    headRequired: 'Please choose the head',
    save: 'Save',
    staff: {
      title: 'Staff',
      add: 'New staff member',
      edit: 'Edit',
      editTitle: 'Edit staff member: {name}',
      disable: 'Disable',
      disableConfirm: 'Disable "{name}"? They are logged out at once and can no longer log in.',
      disableTitle: 'Disable staff member',
      disabled: '"{name}" is disabled',
      saved: 'Staff record saved',
      created: 'Staff member "{name}" added',
      empty: 'Nobody in this department',
      defaultMax: 'Default',
      photo: 'Photo',
      uploadPhoto: 'Upload photo',
      changePhoto: 'Change photo',
      photoHint: 'JPEG, at most 20 MB',
      uploading: 'Uploading…',
      disabledHint: 'Disabled staff are not listed.',
      fields: {
        login: 'Login',
        name: 'Name',
        department: 'Department',
        position: 'Position',
        role: 'Role',
        mobile: 'Mobile',
        gender: 'Gender',
        maxCustomers: 'Max customers',
        password: 'Initial password',
        active: 'Status'
      },
      genders: {
        m: 'Male',
        f: 'Female'
      },
      active: 'Active',
      inactive: 'Disabled',
      required: 'Please fill in {name}',
      badLogin: 'A login may only have letters, digits, dots, underscores and hyphens',
      badMobile: 'The mobile number is not valid'
    },
    selectAll: 'Select this page',
    clearSelection: 'Clear selection',
    selected: '{n} selected',
    assignRole: 'Assign role',
    assignTitle: 'Assign a role to {n} people',
    assignHint: 'Their menus and rights follow the new role from their next request.',
    assignSubmit: 'Assign',
    close: 'Close',
    assigned: '{n} people changed',
    pickRole: 'Choose a role',
    pickSomeone: 'Tick some people first'
  },
  targets: {
    title: 'Targets',
    mine: 'My targets',
    team: 'Team targets',
    teamHint: 'Set one period\'s targets for everyone in the chosen department (and below) at once; the whole team goes in one document.',
    mineHint: 'Set your own targets for a period.',
    approval: {
      salesperson: ' The head of your department approves them.',
      manager: ' The sales director approves them.',
      direct: ' Targets you set apply at once.'
    },
    department: 'Department',
    presets: 'Quick periods',
    preset: {
      thisMonth: 'This month',
      nextMonth: 'Next month',
      thisQuarter: 'This quarter',
      nextQuarter: 'Next quarter',
      thisYear: 'This year'
    },
    label: {
      month: '{y}-{mm}',
      quarter: '{y} Q{q}',
      year: 'Year {y}'
    },
    fields: {
      person: 'Person',
      include: 'Include',
      newCustomers: 'New customers',
      visits: 'Visits',
      dealAmount: 'Deal amount (yuan)',
      paymentAmount: 'Payments (yuan)',
      period: 'Period',
      start: 'Start date',
      end: 'End date',
      document: 'Document'
    },
    fillAll: 'Fill all',
    fillHint: 'Enter values here and press "Fill all" to apply them to everyone included (blank ones stay as they are).',
    badCount: 'A whole number, 0 or more',
    badAmount: 'An amount, 0 or more, at most two decimals',
    noPeople: 'Nobody in the chosen department',
    nobodyIncluded: 'Include at least one person',
    fixRows: 'Please correct the values marked in red first',
    people: '{n} people, {m} included',
    submit: 'Submit targets',
    submitTeam: 'Submit team targets',
    sentTo: 'Sent to {name} for approval',
    applied: 'The targets apply now',
    again: 'Set more targets',
    openDocument: 'Open the document',
    existing: 'Targets set',
    existingOf: 'Person',
    existingEmpty: 'No targets yet'
  },
  progress: {
    title: 'Target overview',
    date: 'Date',
    today: 'Today',
    noTarget: 'No target set',
    range: '{from} to {to}',
    monthRange: 'Actuals of the month: {from} to {to}',
    empty: 'Nobody you may see in this department',
    actualOfTarget: 'Actual / target',
    percent: '{p}%',
    allDepartments: 'All departments',
    records: '{what} of {name} ({from} to {to})',
    recordsEmpty: 'No records in this period',
    figures: {
      new_customers: 'New customers',
      visits: 'Visits',
      deal_amount: 'Deal amount',
      payment_amount: 'Payments'
    },
    recordFields: {
      number: 'Number',
      customer: 'Customer',
      day: 'Date',
      amount: 'Amount (yuan)',
      detail: 'Details'
    }
  }
}
