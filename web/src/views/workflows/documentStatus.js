// The tag colour of each document status, for the document page and the lists.
export const STATUS_TAGS = {
  draft: 'info',
  submitted: 'primary',
  approved: 'success',
  rejected: 'danger',
  returned: 'warning',
  withdrawn: 'info'
}
