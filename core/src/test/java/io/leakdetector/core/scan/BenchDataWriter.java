package io.leakdetector.core.scan;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.SplittableRandom;

/**
 * Writes a large, plain data directory for the scan benchmark (no labels, a few leaks by chance): N customers with
 * one monthly subscription each over M months, an invoice with a subscription line (and a usage line for usage
 * plans) per month, a payment per invoice (some declined and retried), some refunds, monthly usage and a card.
 * Usage: {@code java -cp core/target/test-classes:core/target/classes io.leakdetector.core.scan.BenchDataWriter DIR CUSTOMERS MONTHS}.
 */
public final class BenchDataWriter {
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int customers = Integer.parseInt(args[1]);
        int months = Integer.parseInt(args[2]);
        write(dir, customers, months, 42);
    }

    public static void write(Path dir, int customers, int months, long seed) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom rnd = new SplittableRandom(seed);
        YearMonth first = YearMonth.of(2024, 1);
        try (BufferedWriter cu = w(dir, "customers.csv"); BufferedWriter pr = w(dir, "prices.csv");
             BufferedWriter su = w(dir, "subscriptions.csv"); BufferedWriter in = w(dir, "invoices.csv");
             BufferedWriter li = w(dir, "invoice_lines.csv"); BufferedWriter pa = w(dir, "payments.csv");
             BufferedWriter re = w(dir, "refunds.csv"); BufferedWriter us = w(dir, "usage.csv");
             BufferedWriter pm = w(dir, "payment_methods.csv")) {
            cu.write("customer_id,name,segment,region,country,currency,created_at\n");
            pr.write("price_id,plan_id,product_id,product_name,interval,scheme,currency,unit_amount,included_units,overage_unit_amount,usage_metric,valid_from,valid_to\n");
            pr.write("price_seat,seat,prod_seat,Seat,month,per_seat,USD,49.00,,,,2023-01-01,\n");
            pr.write("price_api,api,prod_api,API,month,usage,USD,100.00,10000,0.01,api_calls,2023-01-01,\n");
            su.write("subscription_id,customer_id,price_id,quantity,status,started_at\n");
            in.write("invoice_id,customer_id,subscription_id,status,created_at,period_start,period_end,currency,subtotal,discount,tax,total,amount_paid,billing_reason\n");
            li.write("line_id,invoice_id,kind,price_id,description,quantity,currency,unit_amount,amount,period_start,period_end\n");
            pa.write("payment_id,invoice_id,customer_id,attempted_at,currency,amount,status,decline_code,payment_method_id,attempt\n");
            re.write("refund_id,payment_id,invoice_id,created_at,currency,amount,reason,status\n");
            us.write("usage_id,customer_id,subscription_id,metric,period_start,quantity\n");
            pm.write("payment_method_id,customer_id,type,brand,exp_month,exp_year,is_default\n");
            long inv = 0, pay = 0, ref = 0, use = 0;
            StringBuilder sb = new StringBuilder(512);
            for (int c = 0; c < customers; c++) {
                String cid = "cus_" + c;
                boolean api = rnd.nextInt(3) == 0;
                int seats = 1 + rnd.nextInt(20);
                cu.write(cid + ",Customer " + c + "," + (api ? "smb" : "mid-market") + ",EMEA,DE,USD,2023-12-01T00:00:00Z\n");
                String sid = "sub_" + c;
                su.write(sid + "," + cid + "," + (api ? "price_api,1" : "price_seat," + seats) + ",active,2024-01-01T00:00:00Z\n");
                pm.write("pm_" + c + "," + cid + ",card,visa," + (1 + rnd.nextInt(12)) + "," + (2025 + rnd.nextInt(5)) + ",true\n");
                for (int m = 0; m < months; m++) {
                    YearMonth ym = first.plusMonths(m);
                    String ps = ym.atDay(1) + "T00:00:00Z", pe = ym.plusMonths(1).atDay(1) + "T00:00:00Z";
                    String iid = "in_" + (++inv);
                    long baseMinor = api ? 10000 : 4900L * seats;
                    long usageMinor = 0;
                    long units = 0;
                    if (api) {
                        units = 5000 + rnd.nextInt(20000);
                        us.write("u_" + (++use) + "," + cid + "," + sid + ",api_calls," + ps + "," + units + "\n");
                        if (m > 0) usageMinor = Math.max(0, units - 10000); // billed next month in real life; close enough here
                    }
                    long total = baseMinor + usageMinor;
                    boolean fails = rnd.nextInt(20) == 0;
                    boolean recovered = fails && rnd.nextInt(3) > 0;
                    String status = fails && !recovered ? "open" : "paid";
                    sb.setLength(0);
                    sb.append(iid).append(',').append(cid).append(',').append(sid).append(',').append(status).append(',')
                            .append(ps).append(',').append(ps).append(',').append(pe).append(",USD,").append(money(total))
                            .append(",0.00,0.00,").append(money(total)).append(',').append(fails && !recovered ? "0.00" : money(total))
                            .append(",subscription_cycle\n");
                    in.write(sb.toString());
                    li.write(iid + "_1," + iid + ",subscription," + (api ? "price_api" : "price_seat") + ",,"
                            + (api ? 1 : seats) + ",USD," + (api ? "100.00" : "49.00") + "," + money(baseMinor) + "," + ps + "," + pe + "\n");
                    if (usageMinor > 0) li.write(iid + "_2," + iid + ",usage,price_api,," + usageMinor + ",USD,0.01," + money(usageMinor) + "," + ps + "," + pe + "\n");
                    String pid = "py_" + (++pay);
                    if (fails) {
                        pa.write(pid + "," + iid + "," + cid + "," + ps + ",USD," + money(total) + ",failed,insufficient_funds,pm_" + c + ",1\n");
                        if (recovered) {
                            pid = "py_" + (++pay);
                            pa.write(pid + "," + iid + "," + cid + "," + ym.atDay(4) + "T00:00:00Z,USD," + money(total) + ",succeeded,,pm_" + c + ",2\n");
                        }
                    } else {
                        pa.write(pid + "," + iid + "," + cid + "," + ps + ",USD," + money(total) + ",succeeded,,pm_" + c + ",1\n");
                    }
                    if (rnd.nextInt(100) == 0 && (!fails || recovered)) {
                        re.write("re_" + (++ref) + "," + pid + "," + iid + "," + ym.atDay(10) + "T00:00:00Z,USD," + money(total / 2)
                                + ",requested_by_customer,succeeded\n");
                    }
                }
            }
        }
    }

    private static String money(long minor) {
        return (minor / 100) + "." + (minor % 100 < 10 ? "0" : "") + (minor % 100);
    }

    private static BufferedWriter w(Path dir, String name) throws IOException {
        return Files.newBufferedWriter(dir.resolve(name), StandardCharsets.UTF_8);
    }
}
