local a = crm.require("circular_a")
return { a = a }
