package io.leakdetector.app.security;

import io.leakdetector.app.web.Problems;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * Who may call what. Three chains: provider webhooks (authenticated by their signatures only), the stateless
 * API (HTTP Basic or {@code Authorization: Bearer <key>}, no CSRF, no session) and the pages (form login, CSRF).
 * Roles nest: admin ⊃ analyst ⊃ viewer.
 */
@Configuration
@EnableWebSecurity
@EnableConfigurationProperties(SecurityProperties.class)
public class SecurityConfig {

    @Bean
    static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.withDefaultRolePrefix()
                .role("ADMIN").implies("ANALYST")
                .role("ANALYST").implies("VIEWER")
                .build();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    @Order(1)
    SecurityFilterChain webhookChain(HttpSecurity http) throws Exception {
        return http.securityMatcher("/webhooks/**")
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(r -> r.disable())
                .securityContext(c -> c.disable())
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain apiChain(HttpSecurity http, ApiKeys keys) throws Exception {
        AuthenticationEntryPoint entryPoint = problemEntryPoint();
        return http.securityMatcher("/api/**", "/v3/api-docs/**", "/v3/api-docs")
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/api/v1/admin/**", "/api/v1/settings/**").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.GET, "/api/**", "/v3/api-docs/**", "/v3/api-docs").hasRole("VIEWER")
                        .requestMatchers(HttpMethod.POST, "/api/v1/findings/*/status", "/api/v1/findings/*/label",
                                "/api/v1/entities/**", "/api/v1/imports", "/api/v1/events", "/api/v1/changes",
                                "/api/v1/findings/*/actions", "/api/v1/findings/*/playbook", "/api/v1/actions/*/approve",
                                "/api/v1/actions/*/cancel").hasRole("ANALYST")
                        .requestMatchers(HttpMethod.PUT, "/api/v1/entities/**").hasRole("ANALYST")
                        .anyRequest().hasRole("ADMIN"))
                .httpBasic(b -> b.authenticationEntryPoint(entryPoint))
                .addFilterBefore(new ApiKeyAuthenticationFilter(keys, entryPoint), BasicAuthenticationFilter.class)
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(r -> r.disable())
                .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint).accessDeniedHandler(problemAccessDenied()))
                .build();
    }

    /** Actuator: health is open; the Prometheus scrape needs a viewer (Basic or an API key); the rest an admin. */
    @Bean
    @Order(3)
    SecurityFilterChain actuatorChain(HttpSecurity http, ApiKeys keys) throws Exception {
        AuthenticationEntryPoint entryPoint = problemEntryPoint();
        return http.securityMatcher("/actuator/**")
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/actuator/prometheus").hasRole("VIEWER")
                        .anyRequest().hasRole("ADMIN"))
                .httpBasic(b -> b.authenticationEntryPoint(entryPoint))
                .addFilterBefore(new ApiKeyAuthenticationFilter(keys, entryPoint), BasicAuthenticationFilter.class)
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(r -> r.disable())
                .exceptionHandling(e -> e.authenticationEntryPoint(entryPoint).accessDeniedHandler(problemAccessDenied()))
                .build();
    }

    @Bean
    @Order(4)
    SecurityFilterChain pageChain(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/login", "/error", "/css/**", "/js/**", "/webjars/**", "/favicon.svg").permitAll()
                        .requestMatchers("/settings/**").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.POST, "/findings/**", "/imports/**").hasRole("ANALYST")
                        .anyRequest().hasRole("VIEWER"))
                // The dashboard's own login page (templates/login.html); CSRF stays on for every form.
                .formLogin(f -> f.loginPage("/login").defaultSuccessUrl("/", false).permitAll())
                .logout(l -> l.logoutSuccessUrl("/login?logout").permitAll())
                .build();
    }

    /** A URL the firewall refuses (e.g. {@code //} or an encoded slash) is a 400 problem like any other bad input. */
    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        return (request, response, ex) -> Problems.write(response, HttpStatus.BAD_REQUEST, "rejected-url",
                "the request URL is not allowed: " + ex.getMessage(), null);
    }

    static AuthenticationEntryPoint problemEntryPoint() {
        return (request, response, ex) -> {
            response.setHeader("WWW-Authenticate", "Basic realm=\"leak-detector\", Bearer");
            Problems.write(response, HttpStatus.UNAUTHORIZED, "unauthenticated",
                    "log in with HTTP Basic or send Authorization: Bearer <api key>", request.getRequestURI());
        };
    }

    static AccessDeniedHandler problemAccessDenied() {
        return (request, response, ex) -> Problems.write(response, HttpStatus.FORBIDDEN, "forbidden",
                "your role may not " + request.getMethod() + " " + request.getRequestURI(), request.getRequestURI());
    }
}
