package io.leakdetector.app.remediation;

import io.leakdetector.core.detect.DeclineClass;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Evidence;
import io.leakdetector.core.finding.Finding;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The decline class of a FAILED_PAYMENT finding: from the invoice's last declined payment in the store (core's
 * {@link DeclineClass} of its decline code), else from the finding's evidence ("(soft decline)").
 */
final class DeclineClasses {
    private static final Pattern IN_EVIDENCE = Pattern.compile("\\((soft|hard|authentication|fraud|unknown) decline\\)");

    private DeclineClasses() {}

    /** The invoice id of an {@code invoice:<id>} subject. */
    static Optional<String> invoiceOf(Finding f) {
        return f.subject().startsWith("invoice:") ? Optional.of(f.subject().substring("invoice:".length())) : Optional.empty();
    }

    static Optional<DeclineClass> of(JdbcClient jdbc, Finding f) {
        if (f.category() != Category.FAILED_PAYMENT) return Optional.empty();
        Optional<String> invoice = invoiceOf(f);
        if (invoice.isPresent()) {
            Optional<String> code = jdbc.sql("SELECT decline_code FROM payments WHERE invoice_id = ? AND status = 'failed' "
                            + "ORDER BY attempted_at DESC, attempt DESC").param(invoice.get()).query((rs, n) -> String.valueOf(rs.getString(1)))
                    .list().stream().findFirst();
            if (code.isPresent()) return Optional.of(DeclineClass.of("null".equals(code.get()) ? null : code.get()));
        }
        for (Evidence e : f.evidence()) {
            Matcher m = IN_EVIDENCE.matcher(String.valueOf(e.observed()));
            if (m.find()) return Optional.of(DeclineClass.valueOf(m.group(1).toUpperCase(Locale.ROOT)));
        }
        Matcher m = IN_EVIDENCE.matcher(String.valueOf(f.explanation()));
        return m.find() ? Optional.of(DeclineClass.valueOf(m.group(1).toUpperCase(Locale.ROOT))) : Optional.of(DeclineClass.UNKNOWN);
    }
}
