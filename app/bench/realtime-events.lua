-- wrk script for POST /api/v1/events: alternating invoice.created (with one line) and payment.failed events
-- spread over 1,000 customers, every record id unique. Usage: wrk ... -s realtime-events.lua <url> -- <api key>
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", tostring(counter) .. "_" .. tostring(math.random(1, 1000000000)))
end

function init(args)
  key = args[1]
  n = 0
end

function request()
  n = n + 1
  local c = "bc_" .. (n % 1000)
  local body
  if n % 2 == 1 then
    local inv = "bi_" .. tid .. "_" .. n
    body = string.format('{"type":"invoice.created","data":{"invoice_id":"%s","customer_id":"%s","status":"open",' ..
      '"created_at":"2026-11-01T00:00:00Z","currency":"USD","subtotal":"49.00","total":"49.00"},' ..
      '"lines":[{"line_id":"%s_l","invoice_id":"%s","kind":"subscription","currency":"USD","unit_amount":"49.00","amount":"49.00"}]}',
      inv, c, inv, inv)
  else
    body = string.format('{"type":"payment.failed","data":{"payment_id":"bp_%s_%d","invoice_id":"bi_%s_%d",' ..
      '"customer_id":"%s","attempted_at":"2026-11-01T00:10:00Z","currency":"USD","amount":"49.00","status":"failed",' ..
      '"decline_code":"insufficient_funds"}}', tid, n, tid, n - 1, "bc_" .. ((n - 1) % 1000))
  end
  return wrk.format("POST", "/api/v1/events",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key}, body)
end
