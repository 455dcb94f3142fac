-- 0005_record_day: the day a record counts on, the same for the activity
-- figures and for the lists of records behind them.

create function crm_record_day(doc bigint, kind text, applied timestamptz)
returns date language sql stable as $$
	select case kind
	    when 'visit' then (select v.captured_at::date from visits v
		where v.document_id = doc)
	    when 'deal' then (select d.deal_date from deals d
		where d.document_id = doc)
	    when 'payment' then (select p.pay_date from payments p
		where p.document_id = doc)
	    else applied::date end
$$;
comment on function crm_record_day(bigint, text, timestamptz) is 'The day a document counts on in activity_daily: a visit''s capture day, a deal''s or payment''s own date, otherwise the day it was applied (in the session time zone, the team''s).';
