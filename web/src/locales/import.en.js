// English text of the customer import and export pages. Keys mirror import.zh-CN.js;
// merged into the main messages by locales/index.js.
export default {
  documents: {
    kinds: {
      customer_import: 'Customer import'
    }
  },
  imports: {
    title: 'Import customers',
    intro: 'Bring historical customers from spreadsheets into the archive: download the template, fill it in, upload it, check it, then import. An import is all or nothing: it either succeeds entirely or leaves no trace.',
    step1: 'Download the template',
    step1Hint: 'Its columns come from the current new-customer form (custom fields included); the second sheet explains each column and its allowed values.',
    templateXlsx: 'Excel template (.xlsx)',
    templateCsv: 'CSV template (UTF-8)',
    step2: 'Upload the file',
    step2Hint: '.xlsx or .csv (UTF-8 or GB18030/GBK), at most 100,000 rows and 20 MB.',
    choose: 'Choose a file and check it',
    checking: 'Checking…',
    step3: 'Pre-check',
    file: 'File',
    total: 'Data rows',
    good: 'Ready to import',
    bad: 'With problems',
    counts: {
      invalid: 'Invalid values',
      duplicate_in_file: 'Duplicates in the file',
      duplicate_in_archive: 'Already in the archive',
      unknown_owner: 'Unknown owners',
      unknown_column: 'Unknown columns',
      missing_column: 'Missing columns'
    },
    noProblems: 'Every row can be imported.',
    problemsShown: 'The first {shown} of {total} problems.',
    row: 'Row',
    column: 'Column',
    problem: 'Problem',
    step4: 'Import',
    modeAll: 'All rows (nothing when any row has a problem)',
    modeGood: 'The good rows only ({n} rows)',
    start: 'Import',
    another: 'Import another file',
    running: 'Importing {done} / {total} rows…',
    leaveHint: 'You may close this page: the import goes on, and this page shows the result when you open it again.',
    failed: 'The import failed and the archive is unchanged: {message}',
    waiting: 'Import document {number} waits for an administrator; the customers arrive once it is approved.',
    openDocument: 'Open the document',
    done: '{n} customers imported',
    doneRange: 'Customer numbers {first} to {last}',
    created: 'New customers',
    nothing: 'There are no rows to import',
    tooLarge: 'The file is too large (at most {mb} MB)'
  },
  exports: {
    button: 'Export to Excel',
    done: '{n} customers exported'
  }
}
