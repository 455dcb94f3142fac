-- 0013_doc_speed: the document write path (issue 9).
--
-- A document submitted over the API gets its number right before the commit
-- (fcgi/wf.c wf_late_numbers): it is inserted with a placeholder and the
-- statement that stores the idempotency record writes the number into it.
-- That update changes documents.number only, which the roll-up of new
-- customers (0010, crm_rpt_new_trg) does not read; fired for it, the trigger
-- took back and added again the month's count (two more statements and a
-- row lock on rpt_new_m taken while the day's number counter is held).  So
-- the trigger fires on updates only when a column it reads changes.

drop trigger rpt_new on documents;
create trigger rpt_new after insert or delete on documents
	for each row execute function crm_rpt_new_trg();
create trigger rpt_new_change after update of kind, status, customer_id,
	applicant_id, applied_at on documents
	for each row when (old.kind is distinct from new.kind
	    or old.status is distinct from new.status
	    or old.customer_id is distinct from new.customer_id
	    or old.applicant_id is distinct from new.applicant_id
	    or old.applied_at is distinct from new.applied_at)
	execute function crm_rpt_new_trg();
comment on trigger rpt_new_change on documents is 'crm_rpt_new_trg for updates that change what it reads (not the number given at commit).';
