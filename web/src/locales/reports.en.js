// English text of the portal and report pages (issue 6). Keys mirror
// reports.zh-CN.js; merged into the main messages by locales/index.js.
export default {
  home: {
    todos: 'To-dos',
    todosWaiting: '{n} waiting for my decision',
    todosNone: 'Nothing waiting'
  },
  reports: {
    portal: 'Business portal',
    portalEmpty: 'No portal charts are set up for your role',
    allReports: 'All reports',
    catalogue: 'Reports',
    open: 'Details',
    noRows: 'No records match',
    export: 'Export to Excel',
    edit: 'Edit',
    copy: 'Copy as new report',
    new: 'New report',
    noCustom: 'No custom reports yet',
    all: 'All',
    sums: 'Totals:',
    notSet: '(not set)',
    groups: {
      mine: 'My reports',
      query: 'Query reports',
      stat: 'Statistics reports',
      custom: 'Custom reports'
    },
    charts: {
      table: 'Table',
      line: 'Line chart',
      bar: 'Bar chart',
      pie: 'Pie chart'
    },
    filters: {
      from: 'From',
      to: 'To',
      region: 'Region',
      type: 'Customer type',
      department: 'Department',
      staff: 'Person',
      status: 'Status',
      stage: 'Sales stage',
      source: 'Source',
      customer: 'Customer',
      q: 'Keyword'
    },
    builder: {
      titleNew: 'New report',
      titleEdit: 'Edit report: {name}',
      copyFrom: 'Copy from',
      copyPlaceholder: 'Start from an existing report (optional)',
      name: 'Report code',
      nameHint: 'Optional (made from the title when empty); c_ then lowercase letters, digits and _, e.g. c_deals_east',
      titleZh: 'Chinese title',
      titleEn: 'English title',
      kind: 'Kind',
      kinds: { query: 'Query report (a list of records)', stat: 'Statistics report (grouped figures)' },
      source: 'Data source',
      columns: 'Columns',
      filters: 'Filters',
      group: 'Group by',
      measures: 'Figures',
      addMeasure: 'Add a figure',
      pivot: 'Month columns',
      pivotKept: 'One column per month, January to December (kept from the copied report; needs the From and To filters)',
      measureField: 'Field',
      measureFn: 'Calculation',
      allRows: '(all records)',
      fns: { count: 'Count', sum: 'Sum', max: 'Maximum', min: 'Minimum', share: 'Share' },
      chart: 'Chart',
      orient: 'Chart orientation',
      orients: { rows: 'One category per row', columns: 'Columns on the x axis (e.g. months)' },
      preview: 'Save and open',
      save: 'Save',
      saved: 'Report saved',
      readOnly: 'You may read this report but not change it; use "Copy as new report" to change a copy.',
      invalid: 'The definition has a problem; see the message',
      pickSource: 'Choose a data source first',
      required: '{name} is required',
      badName: 'The report code is not valid',
      noColumns: 'Choose at least one column',
      noMeasures: 'A statistics report needs at least one figure'
    }
  }
}
