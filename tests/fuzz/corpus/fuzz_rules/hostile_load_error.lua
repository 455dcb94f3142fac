local x = 1
error("refused at load time")
return { x = x }
