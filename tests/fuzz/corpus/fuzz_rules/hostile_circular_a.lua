local b = crm.require("circular_b")
return { b = b }
