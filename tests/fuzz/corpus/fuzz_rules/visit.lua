-- 拜访真实性 Is a visit real? Rules for "verified on site".
--
-- A printed QR code can be photographed and scanned anywhere, so a scan alone proves
-- nothing. A visit counts as "verified on site" (现场核实) only when:
--   * it was started by scanning the customer's QR code, and
--   * the phone's position when the visit was saved is within 500 m of the customer's
--     stored location, and
--   * the photo (when there is one) was taken no more than 30 minutes before the visit
--     was saved on the phone, and no more than 500 m from the customer when the photo
--     carries a position.
-- Otherwise the visit is still recorded, as "not verified", with the reasons.
-- Set refuse_unverified = true to refuse such visits instead of recording them.

local M = {}

M.max_distance_m = 500
M.max_photo_age_minutes = 30
M.refuse_unverified = false

-- Distance in metres between two {lat, lng} points (haversine).
function M.distance(a, b)
	local r = 6371000
	local rad = math.pi / 180
	local dlat = (b.lat - a.lat) * rad
	local dlng = (b.lng - a.lng) * rad
	local h = math.sin(dlat / 2) ^ 2 + math.cos(a.lat * rad) * math.cos(b.lat * rad) * math.sin(dlng / 2) ^ 2
	return 2 * r * math.asin(math.min(1, math.sqrt(h)))
end

-- v: {from_scan = bool, captured_at = epoch seconds (phone), arrived_at = epoch
-- seconds (server), photo_time = epoch or nil, device = {lat, lng} or nil,
-- photo_pos = {lat, lng} or nil, customer = {lat, lng} or nil}.
-- Returns {verified = bool, refuse = bool, distance_m = n or nil, reasons = {{code, zh, en}}}.
function M.verdict(v)
	local reasons = {}
	local function add(code, zh, en) reasons[#reasons + 1] = { code = code, zh = zh, en = en } end
	local distance

	if not v.from_scan then
		add("no_scan", "未通过扫描客户二维码开始拜访", "Not started by scanning the customer's QR code")
	end
	if v.customer == nil then
		add("no_customer_location", "客户没有登记位置，无法核对", "The customer has no stored location to compare with")
	elseif v.device == nil then
		add("no_position", "手机未提供位置", "The phone gave no position")
	else
		distance = M.distance(v.device, v.customer)
		if distance > M.max_distance_m then
			add("far", string.format("拜访位置距客户 %.0f 米（超过 %d 米）", distance, M.max_distance_m),
				string.format("%.0f m from the customer (more than %d m)", distance, M.max_distance_m))
		end
	end
	if v.photo_time ~= nil then
		local age = (v.captured_at - v.photo_time) / 60
		if age < -5 then
			add("future_photo", "照片时间晚于拜访时间", "The photo is dated after the visit")
		elseif age > M.max_photo_age_minutes then
			add("old_photo", string.format("照片拍摄于拜访前 %.0f 分钟（超过 %d 分钟）", age, M.max_photo_age_minutes),
				string.format("The photo was taken %.0f minutes before the visit (more than %d)", age, M.max_photo_age_minutes))
		end
	end
	if v.photo_pos ~= nil and v.customer ~= nil then
		local d = M.distance(v.photo_pos, v.customer)
		if d > M.max_distance_m then
			add("far_photo", string.format("照片拍摄位置距客户 %.0f 米", d),
				string.format("The photo was taken %.0f m from the customer", d))
		end
	end
	local verified = #reasons == 0
	return { verified = verified, refuse = M.refuse_unverified and not verified,
		distance_m = distance, reasons = crm.array(reasons) }
end

return M
