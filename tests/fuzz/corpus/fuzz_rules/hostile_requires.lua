local good = crm.require("good")
return {
	twice = function(x) return good.add(x, x) end,
}
