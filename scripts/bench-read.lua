-- wrk script for bench-read: each request asks for a path picked at random from the file
-- given after `--`.
local paths = {}

function init(args)
    for line in io.lines(args[1]) do
        if #line > 0 then paths[#paths + 1] = line end
    end
end

function request()
    return wrk.format("GET", paths[math.random(#paths)])
end
