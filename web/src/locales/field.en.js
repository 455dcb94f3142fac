// Texts of field work (issue 4): scanning, visits, deals, payments, daily reports, the
// customer page's field-work panel, QR codes, location. Merged into en by
// locales/index.js (deeply: documents.kinds gains the new kinds).
export default {
  documents: {
    kinds: {
      visit: 'Visit',
      deal: 'Deal',
      payment: 'Payment received',
      daily_report: 'Daily report'
    }
  },
  field: {
    saved: 'Saved',
    pickDay: 'Pick a day',
    pickTime: 'Pick a time',
    badDay: '{name} must be a real date (YYYY-MM-DD)',
    money: {
      invalid: '{name} must be an amount above 0 with at most two decimals',
      dealTotal: 'Deal total',
      paid: 'Paid',
      remaining: 'Remaining'
    },
    file: {
      pick: 'Choose a photo',
      pickContract: 'Upload the contract (PDF or JPEG)',
      uploading: 'Uploading…',
      attached: 'Uploaded file',
      remove: 'Remove',
      tooLarge: 'The file is too large (at most {mb} MB)',
      pdfOrJpeg: 'A contract must be a PDF or JPEG file',
      jpegOnly: 'Only JPEG photos can be uploaded'
    },
    photo: {
      take: 'Take a photo on site',
      retake: 'Take again',
      uploading: 'Uploading the photo…',
      takenAt: 'Taken at {time}',
      noExifTime: 'The photo carries no capture time',
      hasGps: 'The photo carries its position',
      onPhone: 'The photo is kept on the phone and goes with the visit once online',
      notJpeg: 'Take the photo with the camera as a JPEG (this file is not a JPEG)'
    },
    position: {
      asking: 'Finding the phone\'s position…',
      at: 'Phone position: {coords} (within about {m} m)',
      retry: 'Try again',
      none: {
        denied: 'No permission to read the position: the visit can still be saved, as "not verified". Allow location in the browser settings.',
        insecure: 'This address is not HTTPS, so the browser gives no position: the visit can still be saved, as "not verified".',
        unavailable: 'The position is not available right now: the visit can still be saved, as "not verified".',
        timeout: 'Finding the position took too long: the visit can still be saved, as "not verified".',
        unsupported: 'This browser cannot give a position: the visit can still be saved, as "not verified".'
      }
    },
    outbox: {
      header: '{n} visit(s) saved on the phone, sent when back online',
      headerFailed: '{n} visit(s) waiting, {failed} could not be sent',
      pending: 'Visits waiting on this phone: {n}',
      sendNow: 'Send now',
      savedOnPhone: 'Saved on the phone, sent when back online',
      sentNow: '{n} visit(s) saved on the phone have been sent',
      refused: 'The visit ({name}, saved {time}) could not be sent:',
      dismiss: 'Dismiss',
      cannotStore: 'There is no network, and this phone cannot keep the visit (the browser blocks local storage). Send it once online.'
    },
    verdict: {
      verified: 'Verified on site',
      notVerified: 'Not verified',
      allChecks: 'The scan, the position and the photo\'s time all check out.',
      distance: 'About {m} m from the customer'
    },
    brief: {
      address: 'Address',
      region: 'Region',
      contact: 'Contact',
      visits: 'Visits',
      visitsValue: '{n}, last on {last}',
      lastVisits: 'Last visits',
      lastVisitsOf: 'Visits to {name}'
    },
    visits: {
      when: 'When',
      verdict: 'Verified',
      visitor: 'Visitor',
      met: 'Person met',
      stage: 'Sales stage',
      notes: 'Notes',
      photo: 'Photo',
      empty: 'No visits yet'
    },
    visit: {
      hint: 'On site, scan the customer\'s QR code to start, and take a photo; the time and place are recorded by themselves.',
      fromScan: 'Started from the customer\'s QR code',
      otherCustomer: 'Not this customer?',
      photo: 'Photo on site',
      submit: 'Save the visit',
      another: 'Record another visit'
    },
    deal: {
      hint: 'Record the amount and date of the deal, with the contract (PDF or JPEG) if you have it. Deals above the approval amount take effect once the manager approves.',
      submit: 'Submit the deal',
      recorded: 'Deal recorded: {amount}',
      another: 'Record another deal'
    },
    payment: {
      hint: 'Record a payment received; the customer\'s paid and remaining amounts follow.',
      submit: 'Submit the payment',
      recorded: 'Payment recorded: {amount}',
      another: 'Record another payment'
    },
    daily: {
      hint: 'The day\'s new customers, visits, deals and payments are summed up for you; write today\'s summary and tomorrow\'s plan. One report per person per day.',
      day: 'Day',
      newCustomers: 'New customers',
      claims: 'Claims',
      visits: 'Visits',
      deals: 'Deals',
      payments: 'Payments',
      noRecords: 'No records that day',
      filed: 'The report for this day has been filed',
      filedAt: 'Filed {time}',
      summary: 'Today\'s summary',
      plan: 'Tomorrow\'s plan',
      submit: 'File the report'
    },
    deals: {
      date: 'Date',
      amount: 'Amount',
      contract: 'Contract',
      notes: 'Notes',
      open: 'Open',
      empty: 'No deals yet'
    },
    payments: {
      date: 'Date',
      amount: 'Amount',
      notes: 'Notes',
      empty: 'No payments yet'
    },
    tabs: {
      visits: 'Visits ({n})',
      deals: 'Deals ({n})',
      payments: 'Payments ({n})'
    },
    panel: {
      title: 'Field work',
      visit: 'Visit',
      deal: 'Deal',
      payment: 'Payment'
    },
    qr: {
      title: 'QR code',
      alt: 'QR code of {name}',
      hint: 'Print it and stick it at the customer\'s front desk. Scanning it on a visit is part of the proof that the visit happened on site.',
      print: 'Print the code',
      png: 'Download PNG',
      revoke: 'Void the printed codes',
      revokeConfirm: 'Old codes will stop working and a new one must be printed. Void them?',
      revokeYes: 'Void',
      revoked: 'The old codes are void: print the new one'
    },
    location: {
      title: 'Location',
      none: 'No location recorded yet',
      noTiles: 'No map server is configured: the coordinates are shown.',
      tapMap: 'Or tap the map to choose the place.',
      useMine: 'Use my position',
      proposed: 'New position: {coords}',
      accuracy: ' (within about {m} m)',
      save: 'Save the location',
      submit: 'Submit the location change',
      cancel: 'Cancel',
      approvalNote: 'A salesperson\'s change of a customer\'s location takes effect once the manager approves it.',
      saved: 'The customer\'s location is updated',
      reasonPhone: 'Location taken with the phone at the customer\'s premises',
      reasonMap: 'Location chosen on the map'
    },
    scan: {
      title: 'Scan to visit',
      checking: 'Checking the QR code…',
      refused: 'This QR code cannot be used',
      offline: 'No network: the QR code cannot be checked',
      noToken: 'The link carries no QR code.',
      retry: 'Try again',
      pickInstead: 'Pick the customer instead',
      home: 'Home'
    },
    sheet: {
      title: 'Print customer QR codes',
      print: 'Print',
      add: 'Add customers',
      perPage: '{n} per page',
      hint: 'Each code has the customer\'s name and number under it. Only the codes are printed.',
      missing: 'Customer #{id} cannot be shown: {message}'
    }
  }
}
