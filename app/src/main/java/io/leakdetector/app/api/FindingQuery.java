package io.leakdetector.app.api;

import io.leakdetector.app.detect.FindingRepository;
import io.leakdetector.app.web.ApiException;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.FindingStatus;
import io.leakdetector.core.finding.Kind;
import io.leakdetector.core.ingest.Values;
import io.leakdetector.core.money.Currencies;
import io.leakdetector.core.money.Money;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Currency;
import java.util.List;

/**
 * Filters, sort and keyset cursor of {@code GET /api/v1/findings}, turned into SQL with bound parameters only.
 * The cursor holds the sort value and id of the last finding of a page, so pages stay stable while findings are
 * added (no offsets).
 */
public record FindingQuery(String where, String order, List<Object> args, Sort sort, int limit) {

    /** Sortable columns, each ascending or descending, with the id as the tie-breaker. */
    public enum Sort {
        SCORE("score"), DETECTED_AT("detected_at"), AMOUNT_ONE_TIME("amount_one_time_minor"),
        AMOUNT_MONTHLY_RECURRING("amount_recurring_minor");

        final String column;

        Sort(String column) {
            this.column = column;
        }
    }

    /** The raw request parameters (all optional). */
    public record Params(String category, String kind, String status, String customer, String currency, String from, String to,
                  String minAmount, String maxAmount, Double minScore, Double maxScore, String sort, Integer limit,
                  String cursor, String search) {}

    /** Subject prefixes a search term is tried with: an invoice, payment, refund or subscription id finds its finding. */
    private static final List<String> SEARCH_SUBJECTS = List.of("invoice:", "payment:", "refund:", "subscription:", "customer:");

    public static FindingQuery of(Params p) {
        List<String> where = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        if (p.category() != null) {
            List<String> cats = new ArrayList<>();
            for (String c : p.category().split(",")) cats.add(parse("category", c, s -> Category.valueOf(s.strip().toUpperCase()).name()));
            where.add("category IN (" + "?,".repeat(cats.size()).replaceAll(",$", "") + ")");
            args.addAll(cats);
        }
        if (p.kind() != null) {
            where.add("kind = ?");
            args.add(parse("kind", p.kind(), s -> Kind.parse(s).wire()));
        }
        if (p.status() != null) {
            List<String> st = new ArrayList<>();
            for (String s : p.status().split(",")) st.add(parse("status", s, x -> FindingStatus.parse(x).wire()));
            where.add("status IN (" + "?,".repeat(st.size()).replaceAll(",$", "") + ")");
            args.addAll(st);
        }
        if (p.customer() != null) {
            where.add("customer_id = ?");
            args.add(p.customer());
        }
        if (p.search() != null && !p.search().isBlank()) {
            // Exact matches only, each served by an index (customer_id, subject): a search stays fast at any size.
            String term = p.search().strip();
            where.add("(customer_id = ? OR subject IN (" + "?,".repeat(SEARCH_SUBJECTS.size()).replaceAll(",$", "") + "))");
            args.add(term);
            for (String prefix : SEARCH_SUBJECTS) args.add(prefix + term);
        }
        Currency currency = null;
        if (p.currency() != null) {
            currency = parse("currency", p.currency(), Currencies::of);
            where.add("currency = ?");
            args.add(currency.getCurrencyCode());
        }
        if (p.from() != null) {
            where.add("detected_at >= ?");
            args.add(FindingRepository.odt(parse("from", p.from(), Values::instant)));
        }
        if (p.to() != null) {
            where.add("detected_at < ?");
            args.add(FindingRepository.odt(parse("to", p.to(), Values::instant)));
        }
        // Amounts of different currencies cannot be compared: an amount filter needs the currency.
        for (String[] bound : new String[][] {{"min_amount", p.minAmount(), ">="}, {"max_amount", p.maxAmount(), "<="}}) {
            if (bound[1] == null) continue;
            if (currency == null) throw ApiException.badField(bound[0], bound[0] + " needs currency (amounts in different currencies do not compare)");
            Currency cur = currency;
            long minor = parse(bound[0], bound[1], s -> Money.parse(s, cur).minor());
            where.add("(amount_one_time_minor " + bound[2] + " ? OR amount_recurring_minor " + bound[2] + " ?)");
            args.add(minor);
            args.add(minor);
        }
        if (p.minScore() != null) {
            checkScore("min_score", p.minScore());
            where.add("score >= ?");
            args.add(p.minScore());
        }
        if (p.maxScore() != null) {
            checkScore("max_score", p.maxScore());
            where.add("score <= ?");
            args.add(p.maxScore());
        }
        String sortText = p.sort() == null ? "-score" : p.sort().strip();
        boolean desc = sortText.startsWith("-");
        String sortName = desc ? sortText.substring(1) : sortText;
        Sort sort = parse("sort", sortName, s -> Sort.valueOf(s.toUpperCase()));
        int limit = p.limit() == null ? 50 : p.limit();
        if (limit < 1 || limit > 1000) throw ApiException.badField("limit", "limit must be 1–1000");
        if (p.cursor() != null) {
            String[] c = decodeCursor(p.cursor());
            Object value = parse("cursor", c[0], v -> sort == Sort.SCORE ? (Object) Double.valueOf(v)
                    : sort == Sort.DETECTED_AT ? FindingRepository.odt(Instant.parse(v)) : (Object) Long.valueOf(v));
            String cmp = desc ? "<" : ">";
            // "col <= v AND (col < v OR id > last)": the same rows as "col < v OR (col = v AND id > last)", written so that
            // the leading bound lets H2 and PostgreSQL start the (col DESC, id) index scan at the cursor (V30).
            where.add("(" + sort.column + " " + cmp + "= ? AND (" + sort.column + " " + cmp + " ? OR id > ?))");
            args.add(value);
            args.add(value);
            args.add(c[1]);
        }
        String w = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
        String order = " ORDER BY " + sort.column + (desc ? " DESC" : " ASC") + ", id ASC LIMIT " + (limit + 1);
        return new FindingQuery(w, order, args, sort, limit);
    }

    public static String cursorOf(Sort sort, io.leakdetector.core.finding.Finding f) {
        String value = switch (sort) {
            case SCORE -> Double.toString(f.score());
            case DETECTED_AT -> f.detectedAt().toString();
            case AMOUNT_ONE_TIME -> Long.toString(f.amountOneTime().minor());
            case AMOUNT_MONTHLY_RECURRING -> Long.toString(f.amountMonthlyRecurring().minor());
        };
        return Base64.getUrlEncoder().withoutPadding().encodeToString((value + "\n" + f.id()).getBytes(StandardCharsets.UTF_8));
    }

    private static String[] decodeCursor(String cursor) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int nl = s.indexOf('\n');
            if (nl < 0) throw new IllegalArgumentException("no separator");
            String[] parts = {s.substring(0, nl), s.substring(nl + 1)};
            if (parts[0].isEmpty() || parts[1].isEmpty()) throw new IllegalArgumentException("empty part");
            return parts;
        } catch (IllegalArgumentException e) {
            throw ApiException.badField("cursor", "cursor is not one this API returned");
        }
    }

    private static void checkScore(String field, double v) {
        if (Double.isNaN(v) || v < 0 || v > 1) throw ApiException.badField(field, field + " must be between 0 and 1");
    }

    private static <T> T parse(String field, String text, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(text);
        } catch (RuntimeException e) {
            throw ApiException.badField(field, field + ": cannot read '" + text + "'" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        }
    }
}
