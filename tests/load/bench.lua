-- bench.lua: the wrk script of `make bench` (scripts/bench).
--
-- Environment:
--   BENCH_MODE     get (default): GET a random line of BENCH_PATHS;
--                  customer_new / visit: POST /api/v1/documents
--   BENCH_PATHS    file with one path per line (get)
--   BENCH_IDS      file with one customer id per line (visit)
--   BENCH_COOKIE   the crm_session value of a logged-in user (optional)
--   BENCH_CSRF     that session's CSRF token (writes)
--   BENCH_ORIGIN   http://127.0.0.1:PORT (writes)
--   BENCH_RUN      a word unique to this run (names, Idempotency-Key)
--   BENCH_WRITERS  file with "cookie csrf customer_id" per line (optional):
--                  each write goes as the person of a random line (visit:
--                  to that line's customer) instead of BENCH_COOKIE and
--                  BENCH_IDS, so several people write at once
-- Every write carries the session cookie, X-CSRF-Token and its own
-- Idempotency-Key, as the web client sends them.

local mode = os.getenv("BENCH_MODE") or "get"
local run = os.getenv("BENCH_RUN") or tostring(os.time())
local paths, ids, writers = {}, {}, {}
local n = 0
local threads = 0

local function lines(file, into)
	if file == nil or file == "" then return end
	local f = io.open(file)
	if f == nil then return end
	f:close()
	for l in io.lines(file) do
		if l ~= "" then into[#into + 1] = l end
	end
end

function setup(thread)
	threads = threads + 1
	thread:set("tid", threads)
end

function init(args)
	lines(os.getenv("BENCH_PATHS"), paths)
	lines(os.getenv("BENCH_IDS"), ids)
	local w = {}
	lines(os.getenv("BENCH_WRITERS"), w)
	for _, l in ipairs(w) do
		local ck, cs, id = l:match("^(%S+) (%S+) (%S+)$")
		if ck then writers[#writers + 1] = { cookie = ck, csrf = cs, id = id } end
	end
	math.randomseed(os.time() + (tid or 0) * 7919)
	local cookie = os.getenv("BENCH_COOKIE")
	if cookie and cookie ~= "" then
		wrk.headers["Cookie"] = "crm_session=" .. cookie
	end
	if mode ~= "get" then
		wrk.headers["X-CSRF-Token"] = os.getenv("BENCH_CSRF") or ""
		wrk.headers["Origin"] = os.getenv("BENCH_ORIGIN") or ""
		wrk.headers["Content-Type"] = "application/json"
	end
end

local regions = { "nc", "ne", "ec", "cc", "sc", "sw", "nw" }
local types = { "enterprise_large", "enterprise_medium", "enterprise_small",
	"gov_agency", "individual", "partner_agent" }
local sources = { "cold_call", "referral", "trade_show", "website" }

local function post(kind, data, who)
	local h = wrk.headers
	if who then
		h = {}
		for k, v in pairs(wrk.headers) do h[k] = v end
		h["Cookie"] = "crm_session=" .. who.cookie
		h["X-CSRF-Token"] = who.csrf
	end
	h["Idempotency-Key"] = string.format("bench-%s-%s-%d-%d", kind,
		run, tid or 0, n)
	return wrk.format("POST", "/api/v1/documents", h,
		'{"kind":"' .. kind .. '","data":' .. data .. '}')
end

function request()
	local who = nil
	if mode ~= "get" then
		n = n + 1
		if #writers > 0 then who = writers[math.random(1, #writers)] end
	end
	if mode == "customer_new" then
		local k = math.random(1, 1000000)
		return post("customer_new", string.format(
			'{"name":"压测%s客户%d-%d-%d有限公司","address":"上海市浦东新区' ..
			'张江路%d号","contact":"王先生","phone":"139%08d","region":"%s",' ..
			'"type":"%s","source":"%s"}', run, tid or 0, n, k, k % 999 + 1,
			k, regions[k % #regions + 1], types[k % #types + 1],
			sources[k % #sources + 1]), who)
	elseif mode == "visit" then
		local id = who and who.id or ids[math.random(1, #ids)]
		return post("visit", string.format(
			'{"customer_id":%s,"captured_at":"%s","place":"客户办公室",' ..
			'"met":"王先生","stage":"needs","notes":"压测拜访"}', id,
			os.date("!%Y-%m-%dT%H:%M:%SZ")), who)
	end
	return wrk.format("GET", paths[math.random(1, #paths)])
end
