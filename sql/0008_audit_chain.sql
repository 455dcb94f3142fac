-- 0008_audit_chain.sql: the audit log becomes tamper-evident (SEC-AUDIT).
--
-- Every audit_log row gets a position in one chain (seq), the hash of the
-- row before it (prev_hash) and its own hash: SHA-256 over its canonical
-- text (audit_canon), which includes prev_hash.  Editing a row breaks its
-- hash; removing one leaves a gap in seq; removing the newest rows leaves
-- audit_chain (the head) ahead of the table.  `crmctl audit verify` walks
-- the chain and names the first row that does not fit.
--
-- Concurrency: many workers insert audit rows at once.  The trigger locks
-- the single head row (select ... for update) before it reads it, so the
-- inserts queue there until the transaction holding the head commits or
-- rolls back; under READ COMMITTED the waiting insert then reads the newest
-- head (PostgreSQL re-reads a row it waited for), so each row links to the
-- row committed just before it and no two rows share a seq.  The identity
-- id is drawn before the lock, so chain order is seq, not id.

alter table audit_log
	add column seq bigint,
	add column prev_hash bytea,
	add column hash bytea;

comment on column audit_log.seq is 'Position in the hash chain (1, 2, ...); assigned under the chain head lock, so it is the commit order, not always the id order.';
comment on column audit_log.prev_hash is 'hash of the row at seq - 1 (32 zero bytes for the first row).';
comment on column audit_log.hash is 'SHA-256 of audit_canon(row): the row''s content and prev_hash.';

create table audit_chain (
	one	boolean primary key default true check (one),
	seq	bigint not null,
	hash	bytea not null
);
comment on table audit_chain is 'The head of the audit hash chain: seq and hash of the newest audit_log row (one row). Its row lock serialises audit inserts; it also shows when the newest rows were removed.';

-- The canonical text of a row: a JSON array, so no field can bleed into
-- the next; the time in UTC with microseconds, whatever the session's
-- TimeZone and DateStyle.
create function audit_canon(r audit_log) returns text
language sql stable as $$
	select jsonb_build_array(r.id, r.seq,
	    to_char(r.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
	    r.staff_id, r.action, r.object, r.object_id, r.detail,
	    r.remote_addr, encode(r.prev_hash, 'hex'))::text
$$;
comment on function audit_canon(audit_log) is 'The text an audit row''s hash covers (crmctl audit verify hashes it again).';

create function audit_chain_link() returns trigger
language plpgsql as $$
declare
	head	audit_chain%rowtype;
begin
	-- Held until commit: concurrent audit inserts wait here (see above).
	select * into strict head from audit_chain for update;
	new.seq := head.seq + 1;
	new.prev_hash := head.hash;
	new.hash := sha256(convert_to(audit_canon(new), 'UTF8'));
	update audit_chain set seq = new.seq, hash = new.hash;
	return new;
end
$$;
comment on function audit_chain_link() is 'Links each new audit_log row into the hash chain.';

-- The rows written before this migration, in id order.
insert into audit_chain (seq, hash) values (0, decode(repeat('00', 32), 'hex'));

do $$
declare
	r	audit_log;
	n	bigint := 0;
	prev	bytea := decode(repeat('00', 32), 'hex');
begin
	for r in select * from audit_log order by id loop
		n := n + 1;
		r.seq := n;
		r.prev_hash := prev;
		r.hash := sha256(convert_to(audit_canon(r), 'UTF8'));
		update audit_log set seq = r.seq, prev_hash = r.prev_hash,
		    hash = r.hash where id = r.id;
		prev := r.hash;
	end loop;
	update audit_chain set seq = n, hash = prev;
end
$$;

alter table audit_log
	alter column seq set not null,
	alter column prev_hash set not null,
	alter column hash set not null;
create unique index audit_log_seq_idx on audit_log (seq);

create trigger audit_log_chain before insert on audit_log
	for each row execute function audit_chain_link();
