package io.leakdetector.app.webhook;

import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Binds the webhook settings and the clock the signature tolerance is measured with (replaced in tests). */
@Configuration
@EnableConfigurationProperties(WebhookProperties.class)
class WebhookConfig {

    @Bean
    @ConditionalOnMissingBean(name = "webhookClock")
    Clock webhookClock() {
        return Clock.systemUTC();
    }
}
