package io.leakdetector.app.realtime;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.leakdetector.app.security.ApiKeys;
import io.leakdetector.app.security.SecurityConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

/** The real-time endpoint alone: request shape, roles, and the 503 an overloaded service answers. */
@WebMvcTest(EventsController.class)
@Import(SecurityConfig.class)
class EventsControllerSliceTest {
    @Autowired
    MockMvc mvc;

    @MockitoBean
    RealtimeService service;

    @MockitoBean
    ApiKeys keys;

    @MockitoBean
    UserDetailsService users;

    static final String EVENT = "{\"event_id\":\"e1\",\"type\":\"payment.failed\",\"data\":{\"payment_id\":\"p1\"}}";

    @Test
    @WithMockUser(roles = "ANALYST")
    void answersWithTheDecision() throws Exception {
        when(service.handle(anyString(), anyString(), any(), anyLong()))
                .thenReturn(new Decision("e1", "payment.failed", "cus_1", List.of(), List.of(), 1.5));
        mvc.perform(post("/api/v1/events").contentType(MediaType.APPLICATION_JSON).content(EVENT))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.customer_id").value("cus_1"))
                .andExpect(jsonPath("$.processed_in_ms").value(1.5));
    }

    @Test
    @WithMockUser(roles = "ANALYST")
    void overloadIs503WithRetryAfter() throws Exception {
        when(service.handle(anyString(), anyString(), any(), anyLong())).thenThrow(new RealtimeService.Overloaded());
        mvc.perform(post("/api/v1/events").contentType(MediaType.APPLICATION_JSON).content(EVENT))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "1"));
    }

    @Test
    @WithMockUser(roles = "ANALYST")
    void malformedEventsAre400NamingTheField() throws Exception {
        mvc.perform(post("/api/v1/events").contentType(MediaType.APPLICATION_JSON).content("{\"type\":"))
                .andExpect(status().isBadRequest());
        mvc.perform(post("/api/v1/events").contentType(MediaType.APPLICATION_JSON).content("{\"data\":{}}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("type"));
        mvc.perform(post("/api/v1/events").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"type\":\"invoice.paid\",\"data\":{\"total\":[1]}}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("data.total"));
        mvc.perform(post("/api/v1/events").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"type\":\"payment.failed\",\"data\":{},\"lines\":[]}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").value("lines"));
        verify(service, never()).handle(anyString(), anyString(), any(), anyLong());
    }

    @Test
    @WithMockUser(roles = "VIEWER")
    void aViewerMayNotSendEvents() throws Exception {
        mvc.perform(post("/api/v1/events").contentType(MediaType.APPLICATION_JSON).content(EVENT))
                .andExpect(status().isForbidden());
    }
}
