#!/usr/bin/env bash
# Writes examples/bad/: good rows mixed with one bad row of each kind that examples/README.md lists.
# Generated rather than typed because one row holds bytes that are not valid UTF-8 (a Latin-1 "é"),
# which editors silently "repair". Run it again after changing a row, and update examples/README.md.
set -euo pipefail
out="$(cd "$(dirname "$0")" && pwd)/bad"
mkdir -p "$out"

{
  printf 'customer_id,name,email,segment,region,country,currency,created_at\n'
  printf 'cus_101,Harbor Tools Inc.,billing@harbor.example,smb,NA,US,USD,2025-05-02T10:00:00Z\n'
  printf 'cus_102,Ironleaf Labs,ap@ironleaf.example,mid-market,NA,US,USD,2025-06-15T08:30:00Z\n'
  printf 'cus_103,Caf\xe9 Roma S.r.l.,conti@cafe-roma.example,smb,EMEA,IT,EUR,2025-07-01T09:00:00Z\n'
  printf 'cus_104,Juniper Health,finance@juniper.example,enterprise,NA,US,USX,2025-07-09T12:00:00Z\n'
  printf 'cus_101,Harbor Tools Inc.,accounts@harbor.example,smb,NA,US,USD,2025-05-02T10:00:00Z\n'
  printf 'cus_102,Ironleaf Labs,ap@ironleaf.example,mid-market,NA,US,USD,2025-06-15T08:30:00Z\n'
  printf 'cus_105,株式会社ミドリ,keiri@midori.example,smb,APAC,JP,JPY,2025-08-20T01:00:00Z\n'
  printf ',Kestrel Media,billing@kestrel.example,smb,NA,US,USD,2025-09-01T00:00:00Z\n'
} > "$out/customers.csv"

cat > "$out/invoices.csv" <<'CSV'
invoice_id,customer_id,subscription_id,status,created_at,period_start,period_end,currency,subtotal,discount,tax,total,amount_paid,billing_reason
in_101,cus_101,,paid,2026-02-01T00:05:00Z,2026-02-01,2026-03-01,USD,120.00,0.00,0.00,120.00,120.00,manual
in_102,cus_101,,open,2026-02-30T00:05:00Z,2026-02-01,2026-03-01,USD,120.00,0.00,0.00,120.00,0.00,manual
in_103,cus_102,,paid,2026-02-01T00:05:00Z,2026-02-01,2026-03-01,USD,40.00,0.00,0.00,40.O0,40.00,manual
in_104,cus_102,,paid,2026-02-01T00:05:00Z,2026-02-01,2026-03-01,USD,49.001,0.00,0.00,49.00,49.00,manual
in_105,cus_999,,paid,2026-02-01T00:05:00Z,2026-02-01,2026-03-01,USD,75.00,0.00,0.00,75.00,75.00,manual
in_106,cus_102,,paid,2026-02-01T00:05:00Z,2026-02-01,2026-03-01,USD,75.00,0.00,0.00,75.00,75.00,manual,extra
in_107,cus_105,,paid,2026-02-01T00:05:00Z,2026-02-01,2026-03-01,JPY,12000,0,1200,13200,13200,manual
CSV

cat > "$out/invoice_lines.csv" <<'CSV'
line_id,invoice_id,kind,price_id,description,quantity,currency,unit_amount,amount,period_start,period_end
il_101_1,in_101,one_off,,Support hours,2,USD,60.00,120.00,,
il_107_1,in_107,one_off,,サポート (support hours),2,JPY,6000,12000,,
CSV

cat > "$out/payments.csv" <<'CSV'
payment_id,invoice_id,customer_id,attempted_at,currency,amount,status,decline_code,payment_method_id,attempt
py_101,in_101,cus_101,2026-02-01T01:05:00Z,USD,120.00,succeeded,,,1
py_107,in_107,cus_105,2026-02-01T01:05:00Z,JPY,13200,succeeded,,,1
CSV
echo "wrote $out"
