package io.leakdetector.app.api;

import io.leakdetector.app.detect.FindingRepository;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.leakdetector.app.security.ApiKeys;
import io.leakdetector.app.security.AuditLog;
import io.leakdetector.app.security.SecurityConfig;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.finding.Kind;
import io.leakdetector.core.money.Money;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.support.TransactionTemplate;

/** The findings controller alone (HTTP layer, security rules, problem responses) over a mocked repository. */
@WebMvcTest(FindingsController.class)
@Import(SecurityConfig.class)
class FindingsControllerSliceTest {
    @Autowired
    MockMvc mvc;

    @MockitoBean
    FindingRepository repo;

    @MockitoBean
    TransactionTemplate tx;

    @MockitoBean
    AuditLog audit;

    @MockitoBean
    io.leakdetector.app.remediation.Recoveries recoveries;

    @MockitoBean
    ApiKeys keys;

    @MockitoBean
    UserDetailsService users;

    static Finding finding() {
        Currency usd = Currency.getInstance("USD");
        return new Finding("f1", Category.FAILED_PAYMENT, Kind.LEAK, "invoice:in_1", "cus_1", new Money(4900, usd), null, usd,
                0.9, null, Instant.parse("2026-01-20T00:00:00Z"), List.of(), "unpaid 20 days after a hard decline",
                "ask for a new card", null, List.of("FAILED_PAYMENT"));
    }

    @Test
    @WithMockUser(roles = "VIEWER")
    void listsAPageWithTheNextCursor() throws Exception {
        when(repo.query(anyString(), anyString(), anyList())).thenReturn(List.of(finding(), finding()));
        mvc.perform(get("/api/v1/findings").param("limit", "1").param("status", "open"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0].id").value("f1"))
                .andExpect(jsonPath("$.items[0].amount_one_time").value("49.00"))
                .andExpect(jsonPath("$.items[0].amount_monthly_recurring").value("0.00"))
                .andExpect(jsonPath("$.next_cursor").isNotEmpty());
    }

    @Test
    @WithMockUser(roles = "VIEWER")
    void badFiltersAre400NamingTheParameter() throws Exception {
        mvc.perform(get("/api/v1/findings").param("min_score", "abc"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.field").value("min_score"));
        mvc.perform(get("/api/v1/findings").param("max_score", "2"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("max_score"));
        mvc.perform(get("/api/v1/findings").param("kind", "weird"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("kind"));
    }

    @Test
    @WithMockUser(roles = "VIEWER")
    void anUnknownFindingIs404() throws Exception {
        when(repo.find("nope")).thenReturn(Optional.empty());
        mvc.perform(get("/api/v1/findings/nope"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    @WithMockUser(roles = "VIEWER")
    void aViewerMayNotChangeAStatus() throws Exception {
        mvc.perform(post("/api/v1/findings/f1/status").contentType(MediaType.APPLICATION_JSON).content("{\"status\":\"dismissed\"}"))
                .andExpect(status().isForbidden());
        verify(repo, never()).changeStatus(any(), any(), any(), any(), any());
    }

    @Test
    void noCredentialsIs401() throws Exception {
        mvc.perform(get("/api/v1/findings")).andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    @WithMockUser(roles = "ANALYST")
    void anAnalystGetsAProblemForAnUnknownStatus() throws Exception {
        mvc.perform(post("/api/v1/findings/f1/status").contentType(MediaType.APPLICATION_JSON).content("{\"status\":\"sleeping\"}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("status"));
        mvc.perform(post("/api/v1/findings/f1/status").contentType(MediaType.APPLICATION_JSON).content("{\"status\":"))
                .andExpect(status().isBadRequest());
    }
}
