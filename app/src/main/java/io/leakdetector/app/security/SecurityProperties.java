package io.leakdetector.app.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Security settings bound from {@code leak.security.*}.
 *
 * @param adminPassword password of the bootstrap user {@code admin} (env {@code LEAK_ADMIN_PASSWORD}); when blank a
 *                      random one is generated and printed once, at the first start only
 */
@ConfigurationProperties("leak.security")
public record SecurityProperties(String adminPassword) {}
