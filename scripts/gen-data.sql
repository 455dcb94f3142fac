-- scripts/gen-data.sql: a realistic data set for `make bench` (run by
-- scripts/gen-data, which sets the psql variables staff, customers, days and
-- seed).  Everything is set-based SQL (generate_series into temporary
-- tables, then one INSERT per table), so a million customers load in minutes.
--
-- What the application would have written, and nothing else:
--   * a department tree under the demo root 总部: 7 regions (大区), city
--     branches (分公司), teams (销售N组) of ten, each headed by a manager;
--   * staff with Chinese names, logins b00001 ..., the demo password;
--   * customers created over `days` days up to yesterday by a salesperson
--     (a customer_new document each), with the codes of rules/lists.lua,
--     numbers and folded names as rules/numbering.lua and customer.lua make
--     them, and one of four histories:
--       recent   created in the last 90 days, still with its creator;
--       active   an account with a deal every two months (10% of them
--                transferred to a colleague by a transfer document);
--       pool     returned by the reclaim job (warned three days before);
--       claimed  returned, then claimed from the pool by someone else;
--   * visit documents every ~12 days while someone owns the customer, deals
--     (<= 100,000: no approval) and payments, customer_change documents
--     approved by the team head (some sharing the customer with a colleague),
--     daily reports on 60% of workdays with the figures of that day;
--   * the aggregates applying those documents maintains: the customer's
--     visit count, last visit, last deal, deal and paid totals, stage and
--     status; activity_daily per person per day; the pool and change logs;
--     notifications; number_seq for every day used.
\set ON_ERROR_STOP on
set client_min_messages = warning;
set max_parallel_workers_per_gather = 0;
set work_mem = '256MB';
set maintenance_work_mem = '512MB';
set synchronous_commit = off;
select setseed(:seed);

begin;
-- The rows are consistent by construction: their foreign keys are not
-- checked row by row (a third of the load time) unless GEN_CHECK_FK=1
-- (the EXPLAIN test loads with the checks on).  Needs a superuser, as the
-- stack's user crm is.
\if :skip_fk
set local session_replication_role = replica;
\endif

-- ------------------------------------------------------------- settings
create temp table g_p on commit drop as
select (current_date - :days)::timestamptz as t_start,
    current_date::timestamptz as t_end,
    :staff::int as nstaff, :customers::int as ncust,
    (select password_hash from staff where login = 'admin') as pw,
    (select id from departments where parent_id is null and name = '总部') as root,
    (select coalesce(max(id), 0) from departments) as dept_base,
    (select coalesce(max(id), 0) from staff) as staff_base,
    (select coalesce(max(id), 0) from customers) as cust_base,
    (select coalesce(max(id), 0) from documents) as doc_base;
analyze g_p;

do $$ begin
	if (select pw from g_p) is null or (select root from g_p) is null then
		raise exception 'gen-data: load the demo first (crmctl demo load)';
	end if;
end $$;

create temp table g_w on commit drop as select
 array['王','李','张','刘','陈','杨','黄','赵','吴','周','徐','孙','马','朱',
  '胡','郭','何','高','林','罗','郑','梁','谢','宋','唐','许','韩','冯','邓',
  '曹','彭','曾','肖','田','董','袁','潘','于','蒋','蔡','余','杜','叶','程',
  '苏','魏','吕','丁','任','沈','姚','卢','姜','崔','钟','谭','陆','汪','范',
  '金','石','廖','贾','夏','韦','方','白','邹','孟','熊','秦','邱','江','尹',
  '薛','段','雷','侯','龙','史','陶','黎','贺','顾','毛','郝','龚','邵','万',
  '钱','严','武','戴','莫','孔','向','汤'] as surnames,
 array['伟','芳','娜','敏','静','丽','强','磊','军','洋','勇','艳','杰','娟',
  '涛','明','超','霞','平','刚','华','建','国','文','辉','鹏','宇','浩','婷',
  '雪','琳','晨','欣','佳','俊','凯','帆','博','晶','颖','红','玲','波','斌',
  '健','飞','琴','云','亮','慧','兰','梅','峰','林','燕','丹','阳','宁','瑶',
  '倩'] as given,
 array['北京','上海','广州','深圳','杭州','南京','成都','武汉','西安','天津',
  '苏州','重庆','青岛','长沙','郑州','沈阳','大连','济南','厦门','福州',
  '合肥','昆明','哈尔滨','长春','石家庄','太原','南昌','贵阳','南宁','兰州',
  '乌鲁木齐','呼和浩特','宁波','无锡','佛山','东莞','温州','烟台','珠海',
  '洛阳'] as cities,
 array['华信','恒通','瑞丰','博远','金诚','天成','宏达','鑫源','中科','同创',
  '安泰','嘉禾','明德','远航','汇智','新锐','启明','永盛','卓越','海纳',
  '昌隆','泰和','锦程','广源','东方','长江','黄河','神州','星辰','蓝海',
  '润泽','盛世','宝丰','腾飞','万通','德信','荣华','百川','国泰','众联',
  '华鼎','伟业','思源','信达','光明','晨光','银河','正大','联创','和盛']
  as words1,
 array['科技','贸易','制造','物流','医疗器械','建设工程','信息技术','食品',
  '环保科技','教育咨询','电子','机械','化工','纺织','能源','传媒','餐饮',
  '汽车服务','生物','软件','材料','设备','网络','农业','置业'] as trades,
 array['有限公司','股份有限公司','有限责任公司','集团有限公司'] as forms,
 array['先生','女士','经理','总','主任','工'] as titles,
 array['客户办公室','客户工厂','客户门店','展厅','项目现场','会议室'] as places,
 array['介绍公司产品，客户有兴趣','了解需求，约定下次演示','演示方案，客户提出修改意见',
  '报价沟通，客户在比价','商务条款谈判','回访，客户使用情况良好','催收货款',
  '送样品，约定试用期'] as notes,
 array['今天拜访客户，推进项目','整理客户资料，电话跟进','参加周会，拜访老客户',
  '陪同经理拜访重点客户','处理合同与回款'] as summaries,
 array['继续跟进重点客户','准备报价方案','拜访新客户','回访老客户','催收回款']
  as plans;
analyze g_w;

-- ---------------------------------------------------- departments, staff
-- Teams of ten: the first member heads the team (a manager); a branch is
-- headed by the head of its first team, a region by that of its first branch.
create temp table g_team on commit drop as
select t, (t / 6) as branch, (t % 6) + 1 as slot
from g_p, generate_series(0, (nstaff + 9) / 10 - 1) t;
analyze g_team;
create temp table g_branch on commit drop as
select distinct branch as b, branch % 7 as region from g_team;
analyze g_branch;

create temp table g_dept (id bigint, parent bigint, name text, kind text,
    ref int) on commit drop;
insert into g_dept
select dept_base + 1 + r, root, (array['华北','东北','华东','华中','华南',
    '西南','西北'])[r + 1] || '大区', 'region', r
from g_p, generate_series(0, 6) r;
insert into g_dept
select (select max(id) from g_dept) + 1 + b.b, rg.id,
    w.cities[b.b % 40 + 1] || case when b.b >= 40 then (b.b / 40 + 1)::text
    else '' end || '分公司', 'branch', b.b
from g_branch b join g_dept rg on rg.kind = 'region' and rg.ref = b.region,
    g_w w;
insert into g_dept
select (select max(id) from g_dept) + 1 + t.t, br.id, '销售' || t.slot || '组',
    'team', t.t
from g_team t join g_dept br on br.kind = 'branch' and br.ref = t.branch;

analyze g_dept;
insert into departments (id, parent_id, name, sort, created_at)
overriding system value
select id, parent, name, ref, (select t_start from g_p) from g_dept order by id;

create temp table g_staff on commit drop as
select p.staff_base + n as id, n, d.id as dept, (n - 1) / 10 as team,
    case when (n - 1) % 10 = 0 then 'manager' else 'salesperson' end as role
from g_p p, generate_series(1, p.nstaff) n
join g_dept d on d.kind = 'team' and d.ref = (n - 1) / 10;
analyze g_staff;

insert into staff (id, login, password_hash, name, department_id, role,
    position, mobile, gender, created_at, updated_at, password_changed_at)
overriding system value
select s.id, 'b' || lpad(s.n::text, 5, '0'), p.pw,
    w.surnames[(s.n * 7) % cardinality(w.surnames) + 1] || w.given[(s.n * 13) % cardinality(w.given) + 1] ||
    case when s.n % 3 = 0 then w.given[(s.n / 7) % cardinality(w.given) + 1] else '' end,
    s.dept, s.role, case s.role when 'manager' then '销售经理' else '客户经理' end,
    '139' || lpad((s.n * 7919 % 100000000)::text, 8, '0'),
    case when s.n % 2 = 0 then 'f' else 'm' end, p.t_start, p.t_start, p.t_start
from g_staff s, g_p p, g_w w;

update departments d set manager_id = h.id
from (select t.t, s.id from g_team t join g_staff s on s.team = t.t
      and s.role = 'manager') h, g_dept g
where g.id = d.id and g.kind = 'team' and g.ref = h.t;
update departments d set manager_id = (select manager_id from departments
    c where c.parent_id = d.id order by c.id limit 1)
where d.id in (select id from g_dept where kind = 'branch');
update departments d set manager_id = (select manager_id from departments
    c where c.parent_id = d.id order by c.id limit 1)
where d.id in (select id from g_dept where kind = 'region');

-- Everyone who owns customers, numbered 0..n-1 for random picks.
create temp table g_sales on commit drop as
select row_number() over (order by id) - 1 as k, id, team from g_staff;
analyze g_sales;
create index on g_sales (k);
create temp table g_nsales on commit drop as select count(*)::int as n from g_sales;
analyze g_nsales;

-- ------------------------------------------------------------ customers
create temp table g_cust on commit drop as
with r as (
	select i, random() as r1, random() as r2, random() as r3, random() as r4,
	    random() as r5, random() as r6, random() as r7, random() as r8
	from g_p, generate_series(1, ncust) i
), t as (
	select r.*, p.t_start + (p.t_end - p.t_start - interval '1 hour') * r.r1
	    as t0, p.t_end, (r.r2 * n.n)::int % n.n as ck, n.n as ns
	from r, g_p p, g_nsales n
)
select p.cust_base + t.i as id, t.i, t.t0, t.t_end, t.r3, t.r4, t.r5, t.r6,
    t.r7, t.r8,
    (select id from g_sales where k = t.ck) as creator,
    (select id from g_sales where k = (t.ck + 1 + (t.r4 * (t.ns - 1))::int)
     % t.ns) as other,
    case when t.t0 > t.t_end - interval '90 days' then 'recent'
	when t.r3 < 0.22 then 'active'
	when t.r3 < 0.61 then 'pool'
	else 'claimed' end as story
from t, g_p p;
analyze g_cust;

alter table g_cust add column t1 timestamptz, add column t2 timestamptz,
    add column t3 timestamptz, add column reason text;
-- t1: returned (30..90 days after creation); t2: claimed; t3: transferred.
update g_cust set
    t1 = case when story in ('pool', 'claimed') then t0 + interval '1 day' *
	(30 + 50 * r5) end,
    reason = case when r6 < 0.7 then 'no_visit:30' else 'no_deal:90' end;
update g_cust set t2 = greatest(t1 + interval '8 days',
    t_end - interval '1 day' * (2 + 85 * r6)) where story = 'claimed';
update g_cust set t3 = t0 + (t_end - t0) * (0.3 + 0.6 * r7)
    where story = 'active' and r8 < 0.10;

-- Ownership intervals: who owned the customer from s to e.
create temp table g_iv on commit drop as
select id as cust, creator as owner, t0 as s, coalesce(t1, t3, t_end) as e,
    'a' as which from g_cust
union all
select id, other, t2, t_end, 'b' from g_cust where story = 'claimed'
union all
select id, other, t3, t_end, 'b' from g_cust where t3 is not null;
analyze g_iv;

create temp table g_cust2 on commit drop as
select c.*,
    case when c.story = 'pool' then null
	when c.story = 'claimed' or c.t3 is not null then c.other
	else c.creator end as owner,
    case when c.story = 'claimed' then c.t2 when c.t3 is not null then c.t3
	when c.story = 'pool' then null else c.t0 end as owned_since,
    w.cities[c.i % 40 + 1] as city,
    w.cities[c.i % 40 + 1] || w.words1[(c.i / 40) % 50 + 1] ||
	w.words1[(c.i / 2000) % 50 + 1] || w.trades[(c.i / 100000) % 25 + 1] ||
	w.forms[(c.i * 7) % 4 + 1] as name,
    w.cities[c.i % 40 + 1] || w.words1[(c.i / 40) % 50 + 1] ||
	w.words1[(c.i / 2000) % 50 + 1] || w.trades[(c.i / 100000) % 25 + 1]
	as name_norm,
    w.surnames[(c.i * 11) % cardinality(w.surnames) + 1] || w.titles[c.i % 6 + 1] as contact,
    '1' || (array['38','39','58','86','36','77'])[c.i % 6 + 1] ||
	lpad(((c.i::bigint * 104729) % 100000000)::text, 8, '0') as phone,
    (array['nc','ne','ec','cc','sc','sw','nw','hmt'])[1 + floor(c.r5 * 8)::int]
	as region,
    (array['enterprise_large','enterprise_medium','enterprise_small',
	'gov_agency','gov_institution','individual','partner_agent',
	'partner_dealer'])[1 + floor(c.r6 * 8)::int] as type_code,
    (array['cold_call','referral','trade_show','website','advertising',
	'other'])[1 + floor(c.r7 * 6)::int] as source,
    case when c.r8 < 0.6 then 22 + 20 * c.r4 end as lat,
    case when c.r8 < 0.6 then 100 + 22 * c.r5 end as lng
from g_cust c, g_w w;
analyze g_cust2;
-- More than 2.5M customers would repeat names.
do $$ begin
	if (select ncust from g_p) > 2500000 then
		raise exception 'gen-data: at most 2,500,000 customers';
	end if;
end $$;

-- --------------------------------------------------------------- visits
-- Every ~12 days while someone owns the customer.
create temp table g_visit on commit drop as
select row_number() over () as ref, v.* from (
	select iv.cust, iv.owner as staff, date_trunc('second', iv.s +
	    (iv.e - iv.s) * ((j + 0.1 + 0.8 * random()) / k)) as captured_at, j, k,
	    random() as r1, random() as r2
	from (select *, greatest(1, (extract(epoch from e - s) / 86400 / 12)::int)
	    as k from g_iv where e > s) iv,
	    generate_series(0, iv.k - 1) j
) v;
analyze g_visit;

-- ---------------------------------------------------- deals and payments
-- Active accounts: a deal about every 60 days after the first month.
create temp table g_deal on commit drop as
select row_number() over () as ref, d.* from (
	select iv.cust, iv.owner as staff, (iv.s + interval '30 days' +
	    interval '1 day' * (60 * j + 50 * random()))::date as deal_date,
	    (1 + (random() * 99)::int) * 1000 as amount, random() as r1
	from g_iv iv join g_cust c on c.id = iv.cust and c.story = 'active',
	    generate_series(0, greatest(0, (extract(epoch from iv.e - iv.s) /
	    86400 - 30) / 60)::int - 1) j
) d where d.deal_date < current_date;
analyze g_deal;

create temp table g_pay on commit drop as
select row_number() over () as ref, p.* from (
	select d.cust, d.staff, d.ref as deal, (d.deal_date + 10 +
	    (40 * random())::int) as pay_date,
	    case when d.r1 < 0.6 then d.amount else round(d.amount / 2.0, 2) end
	    as amount
	from g_deal d, generate_series(1, 2) n
	where d.r1 < 0.9 and (n = 1 or d.r1 >= 0.6)
) p where p.pay_date < current_date;
analyze g_pay;

-- ------------------------------------------------ changes, daily reports
create temp table g_change on commit drop as
select c.id as cust, c.creator as staff, c.t0 + (coalesce(c.t1, c.t3,
    c.t_end) - c.t0) * 0.5 as at, c.phone as old_phone,
    '1' || (array['35','37','50','88'])[c.i % 4 + 1] ||
	lpad(((c.i::bigint * 15485863) % 100000000)::text, 8, '0') as new_phone,
    (select s2.id from g_sales s1 join g_sales s2 on s2.team = s1.team and
     s2.id <> s1.id where s1.id = c.creator order by s2.id limit 1) as mate,
    c.r4 < 0.2 and c.story in ('recent', 'active') as share
from g_cust2 c where c.r7 < 0.05;
analyze g_change;

create temp table g_daily on commit drop as
select row_number() over () as ref, s.id as staff, d::date as day,
    random() as r1
from g_sales s, g_p p, generate_series(p.t_start, p.t_end - interval '1 day',
    interval '1 day') d
where extract(isodow from d) < 6 and random() < 0.6;
analyze g_daily;

-- ------------------------------------------- documents (ids in time order)
create temp table g_key (kind text, ref bigint, at timestamptz)
    on commit drop;
insert into g_key select 'customer_new', id, t0 from g_cust;
insert into g_key select 'visit', ref, captured_at + interval '1 second' *
    (5 + 50 * r2) from g_visit;
insert into g_key select 'deal', ref, deal_date + interval '17 hours' from g_deal;
insert into g_key select 'payment', ref, pay_date + interval '11 hours' from g_pay;
insert into g_key select 'customer_claim', id, t2 from g_cust where t2 is not null;
insert into g_key select 'transfer', id, t3 from g_cust where t3 is not null;
insert into g_key select 'customer_change', cust, at from g_change;
insert into g_key select 'daily_report', ref, day + interval '18 hours' +
    interval '1 minute' * (180 * r1) from g_daily;

analyze g_key;
create temp table g_doc on commit drop as
select (select doc_base from g_p) + row_number() over (order by at, kind, ref)
    as id, kind, ref, at,
    'D' || to_char(at, 'YYYYMMDD') || '-' || lpad(seq::text,
    greatest(5, length(seq::text)), '0') as number, at::date as day, seq
from (select *, row_number() over (partition by at::date order by at, kind,
    ref) as seq from g_key) k;
analyze g_doc;
create index on g_doc (kind, ref);

-- Customer numbers in order of creation, per day.
create temp table g_cnum on commit drop as
select id, 'C' || to_char(t0, 'YYYYMMDD') || '-' || lpad(seq::text,
    greatest(4, length(seq::text)), '0') as number, t0::date as day, seq
from (select id, t0, row_number() over (partition by t0::date order by t0, id)
    as seq from g_cust) x;
analyze g_cnum;
create index on g_cnum (id);

-- Aggregates per customer.
create temp table g_vagg on commit drop as
select cust, count(*) as n, max(captured_at) as last_at,
    (array_agg(j::text || '/' || k::text order by captured_at desc))[1] as lastjk
from g_visit group by cust;
analyze g_vagg;
create temp table g_dagg on commit drop as
select cust, sum(amount) as total, max(deal_date) as last_deal
from g_deal group by cust;
analyze g_dagg;
create temp table g_pagg on commit drop as
select cust, sum(amount) as total from g_pay group by cust;
analyze g_pagg;

insert into customers (id, number, name, name_norm, address, contact, phone,
    region, type_code, source, stage, status, lat, lng, extra, owner_id,
    locked, visit_count, last_visit_at, last_deal_at, deal_total, paid_total,
    owned_since, previous_owner_id, returned_at, created_by, created_at,
    updated_at)
overriding system value
select c.id, n.number, c.name, c.name_norm,
    c.city || '市' || w.words1[(c.i / 3) % 50 + 1] || '路' || (c.i % 997 + 1)
	|| '号',
    c.contact, coalesce(ch.new_phone, c.phone), c.region, c.type_code, c.source,
    case when d.cust is not null then 'won'
	when c.story = 'pool' then 'lost'
	when va.cust is null then 'initial'
	else (array['initial','needs','proposal','negotiation'])[1 + least(3,
	    split_part(va.lastjk, '/', 1)::int * 4 /
	    split_part(va.lastjk, '/', 2)::int)] end,
    case when d.cust is not null then 'deal'
	when c.story = 'pool' then (array['lost','paused','potential'])[1 +
	    floor(c.r8 * 3)::int]
	when c.r4 < 0.5 then 'potential' else 'interested' end,
    c.lat, c.lng, '{}', c.owner, false, coalesce(va.n, 0), va.last_at,
    d.last_deal::timestamptz, coalesce(d.total, 0), coalesce(pa.total, 0),
    c.owned_since, case when c.t1 is not null then c.creator end, c.t1,
    c.creator, c.t0, greatest(c.t0, c.t1, c.t2, c.t3, va.last_at, ch.at)
from g_cust2 c join g_cnum n on n.id = c.id cross join g_w w
left join g_vagg va on va.cust = c.id
left join g_dagg d on d.cust = c.id
left join g_pagg pa on pa.cust = c.id
left join g_change ch on ch.cust = c.id;

-- customer_new documents: the form's data as the applicant sent it.
insert into documents (id, number, kind, applicant_id, status, data,
    customer_id, step, created_at, decided_at, applied_at)
overriding system value
select g.id, g.number, 'customer_new', c.creator, 'approved',
    jsonb_build_object('name', c.name, 'type', c.type_code, 'phone', c.phone,
    'stage', 'initial', 'region', c.region, 'source', c.source, 'status',
    'potential', 'address', cu.address, 'contact', c.contact)
    || case when c.lat is null then '{}'::jsonb else jsonb_build_object('lat',
    round(c.lat::numeric, 6), 'lng', round(c.lng::numeric, 6)) end,
    c.id, 0, g.at, g.at, g.at
from g_doc g join g_cust2 c on c.id = g.ref join customers cu on cu.id = c.id
where g.kind = 'customer_new';

-- visits
insert into documents (id, number, kind, applicant_id, status, data,
    customer_id, step, created_at, decided_at, applied_at)
overriding system value
select g.id, g.number, 'visit', v.staff, 'approved',
    jsonb_build_object('met', c.contact, 'notes', w.notes[1 + floor(v.r1 * 8)::int],
    'place', w.places[1 + floor(v.r2 * 6)::int], 'stage',
    (array['initial','needs','proposal','negotiation'])[1 + least(3, v.j * 4 / v.k)],
    'verdict', vd.verdict, 'arrived_at', extract(epoch from g.at)::bigint,
    'captured_at', extract(epoch from date_trunc('second', v.captured_at))::bigint::text,
    'customer_id', v.cust) || case when c.lat is null then '{}'::jsonb else
    jsonb_build_object('lat', round((c.lat + (v.r1 - 0.5) / 1000)::numeric, 6),
    'lng', round((c.lng + (v.r2 - 0.5) / 1000)::numeric, 6)) end,
    v.cust, 0, g.at, g.at, g.at
from g_doc g join g_visit v on v.ref = g.ref join g_cust2 c on c.id = v.cust
cross join g_w w
cross join lateral (select case
    when c.lat is not null and v.r1 < 0.5 then jsonb_build_object('refuse', false,
	'reasons', '[]'::jsonb, 'verified', true, 'distance_m',
	round((30 + 150 * v.r2)::numeric, 1))
    when c.lat is not null then jsonb_build_object('refuse', false, 'reasons',
	jsonb_build_array(jsonb_build_object('en', 'Not started by scanning the customer''s QR code',
	'zh', '未通过扫描客户二维码开始拜访', 'code', 'no_scan')), 'verified', false,
	'distance_m', round((30 + 150 * v.r2)::numeric, 1))
    else jsonb_build_object('refuse', false, 'reasons', jsonb_build_array(
	jsonb_build_object('en', 'Not started by scanning the customer''s QR code',
	'zh', '未通过扫描客户二维码开始拜访', 'code', 'no_scan'),
	jsonb_build_object('en', 'The customer has no stored location to compare with',
	'zh', '客户没有登记位置，无法核对', 'code', 'no_customer_location')),
	'verified', false) end as verdict) vd
where g.kind = 'visit';

insert into visits (document_id, customer_id, staff_id, captured_at,
    arrived_at, place, met, stage, notes, photo_file, lat, lng, from_scan,
    verified, verdict)
select d.id, d.customer_id, d.applicant_id, v.captured_at, d.created_at,
    d.data->>'place', d.data->>'met', d.data->>'stage', d.data->>'notes', null,
    (d.data->>'lat')::float8, (d.data->>'lng')::float8,
    (d.data->'verdict'->>'verified')::boolean,
    (d.data->'verdict'->>'verified')::boolean, d.data->'verdict'
from g_doc g join g_visit v on v.ref = g.ref join documents d on d.id = g.id
where g.kind = 'visit';

-- deals, payments
insert into documents (id, number, kind, applicant_id, status, data,
    customer_id, step, created_at, decided_at, applied_at)
overriding system value
select g.id, g.number, 'deal', d.staff, 'approved', jsonb_build_object(
    'notes', '合同签订', 'amount', d.amount::text, 'deal_date', d.deal_date,
    'customer_id', d.cust), d.cust, 0, g.at, g.at, g.at
from g_doc g join g_deal d on d.ref = g.ref where g.kind = 'deal';
insert into deals (document_id, customer_id, staff_id, deal_date, amount, notes)
select g.id, d.cust, d.staff, d.deal_date, d.amount, '合同签订'
from g_doc g join g_deal d on d.ref = g.ref where g.kind = 'deal';

insert into documents (id, number, kind, applicant_id, status, data,
    customer_id, step, created_at, decided_at, applied_at)
overriding system value
select g.id, g.number, 'payment', p.staff, 'approved', jsonb_build_object(
    'notes', '银行转账', 'amount', p.amount::text, 'pay_date', p.pay_date,
    'customer_id', p.cust), p.cust, 0, g.at, g.at, g.at
from g_doc g join g_pay p on p.ref = g.ref where g.kind = 'payment';
insert into payments (document_id, customer_id, staff_id, pay_date, amount, notes)
select g.id, p.cust, p.staff, p.pay_date, p.amount, '银行转账'
from g_doc g join g_pay p on p.ref = g.ref where g.kind = 'payment';

-- returns to the pool (the reclaim job: warned, then returned)
insert into pool_log (customer_id, event, staff_id, reason, at)
select id, 'warned', creator, reason, t1 - interval '3 days' from g_cust
where t1 is not null;
insert into pool_log (customer_id, event, staff_id, reason, at)
select id, 'returned', creator, reason, t1 from g_cust where t1 is not null;
insert into change_log (customer_id, document_id, field, before, after,
    staff_id, at)
select c.id, null, 'owner', s.name, null, null, c.t1
from g_cust c join staff s on s.id = c.creator where c.t1 is not null;
insert into notifications (staff_id, kind, customer_id, detail, created_at, read_at)
select creator, 'reminder', id, jsonb_build_object('event', 'warning',
    'reason', reason, 'due_at', to_char(t1 at time zone 'UTC',
    'YYYY-MM-DD"T"HH24:MI:SS"Z"')), t1 - interval '3 days', t1 - interval '2 days'
from g_cust where t1 is not null;
insert into notifications (staff_id, kind, customer_id, detail, created_at, read_at)
select creator, 'reminder', id, jsonb_build_object('event', 'returned',
    'reason', reason), t1, case when r8 < 0.8 then t1 + interval '1 day' end
from g_cust where t1 is not null;

-- claims
insert into documents (id, number, kind, applicant_id, status, data,
    customer_id, step, created_at, decided_at, applied_at)
overriding system value
select g.id, g.number, 'customer_claim', c.other, 'approved',
    jsonb_build_object('customer_id', c.id), c.id, 0, g.at, g.at, g.at
from g_doc g join g_cust c on c.id = g.ref where g.kind = 'customer_claim';
insert into pool_log (customer_id, event, staff_id, reason, at)
select c.id, 'claimed', c.other, null, c.t2 from g_cust c where c.t2 is not null;
insert into change_log (customer_id, document_id, field, before, after,
    staff_id, at)
select c.id, g.id, 'owner', null, s.name, c.other, c.t2
from g_doc g join g_cust c on c.id = g.ref join staff s on s.id = c.other
where g.kind = 'customer_claim';

-- transfers
insert into documents (id, number, kind, applicant_id, status, data,
    customer_id, step, created_at, decided_at, applied_at)
overriding system value
select g.id, g.number, 'transfer', c.creator, 'approved', jsonb_build_object(
    'to', c.other, 'note', '区域调整', 'reason', 'territory', 'customer_ids',
    jsonb_build_array(c.id)), c.id, 0, g.at, g.at, g.at
from g_doc g join g_cust c on c.id = g.ref where g.kind = 'transfer';
insert into change_log (customer_id, document_id, field, before, after,
    staff_id, at)
select c.id, g.id, 'owner', a.name, b.name, c.creator, c.t3
from g_doc g join g_cust c on c.id = g.ref join staff a on a.id = c.creator
join staff b on b.id = c.other where g.kind = 'transfer';

-- customer changes, approved by the head of the applicant's team
create temp table g_head on commit drop as
select s.id as staff, d.manager_id as head from staff s
join departments d on d.id = s.department_id
where s.id in (select staff from g_change);
analyze g_head;
insert into documents (id, number, kind, applicant_id, status, data,
    customer_id, step, created_at, decided_at, applied_at)
overriding system value
select g.id, g.number, 'customer_change', ch.staff, 'approved',
    jsonb_build_object('phone', ch.new_phone, 'reason', '客户更换联系电话',
    'customer_id', ch.cust) || case when ch.share then jsonb_build_object(
    'share_with', jsonb_build_array(ch.mate)) else '{}' end,
    ch.cust, 0, g.at, g.at + interval '2 hours', g.at + interval '2 hours'
from g_doc g join g_change ch on ch.cust = g.ref
where g.kind = 'customer_change';
insert into document_steps (document_id, idx, approver_id, rule, status,
    comment, decided_at)
select g.id, 0, coalesce(h.head, ch.staff), 'dept_manager', 'approved', '同意',
    g.at + interval '2 hours'
from g_doc g join g_change ch on ch.cust = g.ref
left join g_head h on h.staff = ch.staff where g.kind = 'customer_change';
insert into change_log (customer_id, document_id, field, before, after,
    staff_id, at)
select ch.cust, g.id, 'phone', ch.old_phone, ch.new_phone,
    coalesce(h.head, ch.staff), g.at + interval '2 hours'
from g_doc g join g_change ch on ch.cust = g.ref
left join g_head h on h.staff = ch.staff where g.kind = 'customer_change';
insert into change_log (customer_id, document_id, field, before, after,
    staff_id, at)
select ch.cust, g.id, 'share_with', '[]', '[' || ch.mate || ']',
    coalesce(h.head, ch.staff), g.at + interval '2 hours'
from g_doc g join g_change ch on ch.cust = g.ref
left join g_head h on h.staff = ch.staff
where g.kind = 'customer_change' and ch.share and ch.mate is not null;
insert into customer_shares (customer_id, staff_id, created_at)
select ch.cust, ch.mate, ch.at + interval '2 hours' from g_change ch
join customers c on c.id = ch.cust
where ch.share and ch.mate is not null and c.owner_id is distinct from ch.mate;
insert into notifications (staff_id, kind, document_id, customer_id, detail,
    created_at, read_at)
select coalesce(h.head, ch.staff), 'todo', g.id, ch.cust,
    '{"kind": "customer_change"}', g.at, g.at + interval '2 hours'
from g_doc g join g_change ch on ch.cust = g.ref
left join g_head h on h.staff = ch.staff where g.kind = 'customer_change';
insert into notifications (staff_id, kind, document_id, customer_id, detail,
    created_at, read_at)
select ch.staff, 'result', g.id, ch.cust, '{"kind": "customer_change",
    "status": "approved", "comment": "同意"}', g.at + interval '2 hours',
    g.at + interval '3 hours'
from g_doc g join g_change ch on ch.cust = g.ref where g.kind = 'customer_change';

-- --------------------------------------------- per person per day figures
insert into activity_daily (staff_id, day, new_customers, claims, visits,
    deals, deal_amount, payments, payment_amount)
select staff, day, sum(nc), sum(cl), sum(vi), sum(de), sum(da), sum(pa), sum(pm)
from (
	select creator as staff, t0::date as day, 1 as nc, 0 as cl, 0 as vi,
	    0 as de, 0::numeric as da, 0 as pa, 0::numeric as pm from g_cust
	union all
	select other, t2::date, 0, 1, 0, 0, 0, 0, 0 from g_cust where t2 is not null
	union all
	select staff, captured_at::date, 0, 0, 1, 0, 0, 0, 0 from g_visit
	union all
	select staff, deal_date, 0, 0, 0, 1, amount, 0, 0 from g_deal
	union all
	select staff, pay_date, 0, 0, 0, 0, 0, 1, amount from g_pay
) x group by staff, day
on conflict (staff_id, day) do update set
    new_customers = activity_daily.new_customers + excluded.new_customers,
    claims = activity_daily.claims + excluded.claims,
    visits = activity_daily.visits + excluded.visits,
    deals = activity_daily.deals + excluded.deals,
    deal_amount = activity_daily.deal_amount + excluded.deal_amount,
    payments = activity_daily.payments + excluded.payments,
    payment_amount = activity_daily.payment_amount + excluded.payment_amount;

-- Daily reports: the day's figures and records, as ST_DAILY_FIGURES
-- computes them when the report is filed.
insert into documents (id, number, kind, applicant_id, status, data,
    customer_id, step, created_at, decided_at, applied_at)
overriding system value
select g.id, g.number, 'daily_report', r.staff, 'approved', jsonb_build_object(
    'day', r.day, 'plan', w.plans[1 + floor(r.r1 * 5)::int], 'summary',
    w.summaries[1 + floor(r.r1 * 25)::int % 5]), null, 0, g.at, g.at, g.at
from g_doc g join g_daily r on r.ref = g.ref cross join g_w w
where g.kind = 'daily_report';

create temp table g_rec on commit drop as
select x.staff, x.day, jsonb_agg(jsonb_build_object('document_id', x.id,
    'number', x.number, 'kind', x.kind, 'customer_id', x.cust,
    'customer_name', c.name) order by x.id) as records
from (
	select g.id, g.number, g.kind, c.creator as staff, c.t0::date as day,
	    c.id as cust
	from g_doc g join g_cust c on c.id = g.ref where g.kind = 'customer_new'
	union all
	select g.id, g.number, g.kind, c.other, c.t2::date, c.id
	from g_doc g join g_cust c on c.id = g.ref where g.kind = 'customer_claim'
	union all
	select g.id, g.number, g.kind, v.staff, v.captured_at::date, v.cust
	from g_doc g join g_visit v on v.ref = g.ref where g.kind = 'visit'
	union all
	select g.id, g.number, g.kind, d.staff, d.deal_date, d.cust
	from g_doc g join g_deal d on d.ref = g.ref where g.kind = 'deal'
	union all
	select g.id, g.number, g.kind, p.staff, p.pay_date, p.cust
	from g_doc g join g_pay p on p.ref = g.ref where g.kind = 'payment'
) x join g_daily r on r.staff = x.staff and r.day = x.day
join g_cust2 c on c.id = x.cust
group by x.staff, x.day;
analyze g_rec;
create index on g_rec (staff, day);

insert into daily_reports (document_id, staff_id, day, summary, plan, figures)
select g.id, r.staff, r.day, d.data->>'summary', d.data->>'plan',
    jsonb_build_object('day', r.day, 'new_customers', coalesce(a.new_customers,
    0), 'claims', coalesce(a.claims, 0), 'visits', coalesce(a.visits, 0),
    'deals', coalesce(a.deals, 0), 'deal_amount', coalesce(a.deal_amount,
    0.00)::text, 'payments', coalesce(a.payments, 0), 'payment_amount',
    coalesce(a.payment_amount, 0.00)::text, 'records', coalesce(rc.records,
    '[]'), 'report', null)
from g_doc g join g_daily r on r.ref = g.ref join documents d on d.id = g.id
left join activity_daily a on a.staff_id = r.staff and a.day = r.day
left join g_rec rc on rc.staff = r.staff and rc.day = r.day
where g.kind = 'daily_report';

-- ---------------------------------------------------- counters, sequences
insert into number_seq (name, day, seq)
select 'document', day, max(seq) from g_doc group by day
union all
select 'customer', day, max(seq) from g_cnum group by day
on conflict (name, day) do update set seq = greatest(number_seq.seq,
    excluded.seq);

select setval(pg_get_serial_sequence('departments', 'id'), (select max(id) from departments));
select setval(pg_get_serial_sequence('staff', 'id'), (select max(id) from staff));
select setval(pg_get_serial_sequence('customers', 'id'), (select max(id) from customers));
select setval(pg_get_serial_sequence('documents', 'id'), (select max(id) from documents));

commit;
