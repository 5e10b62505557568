package io.leakdetector.app.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document's header and its two ways to authenticate (served at /v3/api-docs, UI at /swagger-ui). */
@Configuration
class OpenApiConfig {

    @Bean
    OpenAPI leakDetectorOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Leak Detector API").version("v1")
                        .description("Finds revenue leaks in billing data. Errors are RFC 9457 problem+json naming the field.")
                        .license(new License().name("Apache-2.0")))
                .components(new Components()
                        .addSecuritySchemes("basic", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic"))
                        .addSecuritySchemes("apiKey", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("an API key created by an admin: Authorization: Bearer ldk_…")))
                .addSecurityItem(new SecurityRequirement().addList("basic"))
                .addSecurityItem(new SecurityRequirement().addList("apiKey"));
    }
}
