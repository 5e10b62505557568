package io.leakdetector.app.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An open, migrated store for commands that run without Spring Boot (import, rejected, bench): a small
 * connection pool, Flyway migrations applied, and the JDBC helpers the repositories use.
 */
public final class Store implements AutoCloseable {
    private final StoreSettings settings;
    private final HikariDataSource dataSource;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    private Store(StoreSettings settings, HikariDataSource dataSource) {
        this.settings = settings;
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    /** Opens the store and brings its schema up to date. */
    public static Store open(StoreSettings settings) {
        if (!settings.postgres()) createDataDirectory(settings.url());
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(2);
        config.setMinimumIdle(0);
        config.setPoolName("leak-detector-cli");
        config.setAutoCommit(true);
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreUnavailableException("cannot open the store at " + settings.describe() + ": " + rootMessage(e), e);
        }
        try {
            migrate(ds);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new Store(settings, ds);
    }

    /** Applies the migrations in db/migration (the same ones {@code serve} applies through Spring Boot). */
    public static void migrate(DataSource ds) {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
    }

    private static void createDataDirectory(String h2Url) {
        String prefix = "jdbc:h2:file:";
        if (!h2Url.startsWith(prefix)) return;
        int end = h2Url.indexOf(';');
        Path file = Path.of(h2Url.substring(prefix.length(), end < 0 ? h2Url.length() : end));
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + file.getParent(), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage();
    }

    public StoreSettings settings() {
        return settings;
    }

    public boolean postgres() {
        return settings.postgres();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public JdbcTemplate jdbc() {
        return jdbc;
    }

    public JdbcClient client() {
        return JdbcClient.create(jdbc);
    }

    public TransactionTemplate tx() {
        return tx;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
