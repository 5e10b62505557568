package io.leakdetector.app.dashboard;

import com.microsoft.playwright.Browser.NewContextOptions;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Chromium driven by Playwright for Java (browsers are never downloaded). Outside CI a machine without
 * Chromium skips the browser tests with a printed message; under {@code CI=true} that is a failure.
 */
final class Browser implements AutoCloseable {
    static final List<String> ARGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync");
    final Playwright playwright;
    final com.microsoft.playwright.Browser browser;

    private Browser(Path chromium) {
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(chromium).setHeadless(true).setArgs(ARGS));
    }

    /** Launches Chromium, or skips (fails under CI=true) when it is not installed. */
    static Browser launch() {
        Path chromium = chromium();
        if (chromium == null) {
            String reason = "no Chromium found (set LEAK_CHROMIUM, or apt-get install chromium)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail("CI=true requires Chromium for the browser tests: " + reason);
            System.out.println("SKIPPED browser tests: " + reason);
            Assumptions.abort("browser tests skipped: " + reason);
        }
        return new Browser(chromium);
    }

    com.microsoft.playwright.BrowserContext context(String baseUrl) {
        return browser.newContext(new NewContextOptions().setBaseURL(baseUrl).setViewportSize(1400, 900).setAcceptDownloads(true));
    }

    private static Path chromium() {
        String env = System.getenv("LEAK_CHROMIUM");
        for (String p : new String[] {env, "/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
            if (p != null && !p.isBlank() && Files.isExecutable(Path.of(p))) return Path.of(p);
        }
        return null;
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
