return { f = { 1, 2.5, "三", true, { x = crm.null } }, name = "value" }
