package io.leakdetector.app.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small hand-written data directories whose every row is known, so tests can assert exact counts. */
final class TestDirectories {
    private TestDirectories() {}

    static void write(Path dir, String file, String... lines) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(file), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeBytes(Path dir, String file, byte[] bytes) {
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(file), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rows per file of {@link #small}: every one of the 14 files, all rows valid and consistent. */
    static final int CUSTOMERS = 3, PRICES = 3, SUBSCRIPTIONS = 3, SUBSCRIPTION_CHANGES = 1, INVOICES = 4,
            INVOICE_LINES = 5, PAYMENT_METHODS = 2, PAYMENTS = 5, REFUNDS = 1, CREDIT_NOTES = 1, DISPUTES = 1,
            USAGE = 2, APP_ACCOUNTS = 3, CHANGE_EVENTS = 2;
    static final int SMALL_TOTAL = CUSTOMERS + PRICES + SUBSCRIPTIONS + SUBSCRIPTION_CHANGES + INVOICES + INVOICE_LINES
            + PAYMENT_METHODS + PAYMENTS + REFUNDS + CREDIT_NOTES + DISPUTES + USAGE + APP_ACCOUNTS + CHANGE_EVENTS;

    /** A small consistent directory in the shape of examples/small: three currencies, every file. */
    static Path small(Path dir) {
        write(dir, "customers.csv",
                "customer_id,name,email,segment,region,country,currency,created_at",
                "cus_001,Acme GmbH,billing@acme.example,mid-market,EMEA,DE,EUR,2025-01-15T09:30:00Z",
                "cus_002,\"Globex, Inc.\",ap@globex.example,enterprise,NA,US,USD,2025-02-01",
                "cus_003,Kabushiki,kk@example.jp,smb,APAC,JP,JPY,");
        write(dir, "prices.csv",
                "price_id,plan_id,product_id,product_name,interval,scheme,currency,unit_amount,included_units,overage_unit_amount,usage_metric,valid_from,valid_to",
                "price_pro_m_v1,pro-monthly,prod_pro,Pro,month,per_seat,USD,39.00,,,,2024-01-01,2025-01-01",
                "price_pro_m_v2,pro-monthly,prod_pro,Pro,month,per_seat,USD,49.00,,,,2025-01-01,",
                "price_api_eur,api-eur,prod_api,API,month,usage,EUR,100.00,1000,0.02,api_calls,2025-01-01,");
        write(dir, "subscriptions.csv",
                "subscription_id,customer_id,price_id,quantity,currency,unit_amount,discount_percent,discount_end,status,started_at,trial_end,canceled_at,price_locked,contract_id,note",
                "sub_001,cus_002,price_pro_m_v2,12,USD,45.50,20,2026-06-30,active,2025-03-01,2025-03-15,,false,ct_9,negotiated",
                "sub_002,cus_001,price_api_eur,1,,,,,active,2025-02-01,,,,,",
                "sub_003,cus_002,price_pro_m_v1,2,,,,,canceled,2024-02-01,,2025-01-31T23:00:00Z,true,,grandfathered");
        write(dir, "subscription_changes.csv",
                "change_id,subscription_id,changed_at,kind,from_price_id,to_price_id,from_quantity,to_quantity",
                "sc_001,sub_001,2025-06-14T12:00:00Z,quantity,,,10,12");
        write(dir, "invoices.csv",
                "invoice_id,customer_id,subscription_id,status,created_at,period_start,period_end,currency,subtotal,discount,tax,total,amount_paid,billing_reason",
                "in_001,cus_002,sub_001,paid,2026-01-01T00:05:00Z,2026-01-01,2026-02-01,USD,546.00,109.20,0,436.80,436.80,subscription_cycle",
                "in_002,cus_001,sub_002,open,2026-01-01T00:05:00Z,2026-01-01,2026-02-01,EUR,130.00,0,24.70,154.70,0,subscription_cycle",
                "in_003,cus_003,,paid,2026-01-10,,,JPY,5000,0,500,5500,5500,manual",
                "in_004,cus_002,sub_001,paid,2026-02-01T00:05:00Z,2026-02-01,2026-03-01,USD,546.00,109.20,0,436.80,436.80,subscription_cycle");
        write(dir, "invoice_lines.csv",
                "line_id,invoice_id,kind,price_id,description,quantity,currency,unit_amount,amount,period_start,period_end",
                "il_001_1,in_001,subscription,price_pro_m_v2,12 × Pro seat,12,USD,45.50,546.00,2026-01-01,2026-02-01",
                "il_002_1,in_002,subscription,price_api_eur,API base,1,EUR,100.00,100.00,2026-01-01,2026-02-01",
                "il_002_2,in_002,usage,price_api_eur,1500 calls over 1000,1500,EUR,0.02,30.00,2026-01-01,2026-02-01",
                "il_003_1,in_003,one_off,,Setup,1,JPY,5000,5000,,",
                "il_004_1,in_004,subscription,price_pro_m_v2,12 × Pro seat,12,USD,45.50,546.00,2026-02-01,2026-03-01");
        write(dir, "payment_methods.csv",
                "payment_method_id,customer_id,type,brand,exp_month,exp_year,is_default",
                "pm_001,cus_002,card,visa,8,2027,true",
                "pm_002,cus_001,sepa_debit,,,,false");
        write(dir, "payments.csv",
                "payment_id,invoice_id,customer_id,attempted_at,currency,amount,status,decline_code,payment_method_id,attempt",
                "ch_001,in_001,cus_002,2026-01-01T00:06:00Z,USD,436.80,succeeded,,pm_001,1",
                "ch_002,in_002,cus_001,2026-01-01T00:06:00Z,EUR,154.70,failed,insufficient_funds,pm_002,1",
                "ch_003,in_002,cus_001,2026-01-04T00:06:00Z,EUR,154.70,failed,insufficient_funds,pm_002,2",
                "ch_004,in_003,cus_003,2026-01-10T10:00:00Z,JPY,5500,succeeded,,,1",
                "ch_005,in_004,cus_002,2026-02-01T00:06:00Z,USD,436.80,succeeded,,pm_001,1");
        write(dir, "refunds.csv",
                "refund_id,payment_id,invoice_id,created_at,currency,amount,reason,status",
                "re_001,ch_001,in_001,2026-01-10T12:00:00Z,USD,45.50,requested_by_customer,");
        write(dir, "credit_notes.csv",
                "credit_note_id,invoice_id,customer_id,created_at,currency,amount,reason",
                "cn_001,in_002,cus_001,2026-01-12,EUR,20.00,goodwill");
        write(dir, "disputes.csv",
                "dispute_id,payment_id,created_at,currency,amount,reason,status",
                "dp_001,ch_005,2026-02-03,USD,436.80,duplicate,lost");
        write(dir, "usage.csv",
                "usage_id,customer_id,subscription_id,metric,period_start,quantity",
                "u_001,cus_001,sub_002,api_calls,2026-01-01,2500",
                "u_002,cus_003,,api_calls,2026-01-01,10");
        write(dir, "app_accounts.csv",
                "account_id,customer_id,product_id,observed_on,seats_in_use,access_status",
                "acct_001,cus_002,prod_pro,2026-01-15,14,active",
                "acct_001,cus_002,prod_pro,2026-01-16,12,active",
                "acct_003,cus_003,prod_pro,2026-01-15,2,active");
        write(dir, "change_events.csv",
                "event_id,occurred_at,type,service,version,description",
                "chg_001,2026-01-04T14:00:00Z,deploy,billing-svc,2.3.1,\"new overage calculation, v2\"",
                "chg_002,2026-01-20T09:00:00Z,price_change,price-book,,Pro v2 list price");
        return dir;
    }
}
