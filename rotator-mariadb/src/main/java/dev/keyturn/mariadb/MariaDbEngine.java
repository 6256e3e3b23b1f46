package dev.keyturn.mariadb;

import dev.keyturn.core.ConnectionRequest;
import dev.keyturn.core.DatabaseSecret;
import dev.keyturn.core.TrustSettings;
import dev.keyturn.mysql.MySqlFamilyEngine;
import java.nio.file.Path;
import java.sql.Driver;
import java.util.Properties;
import java.util.Set;

/**
 * Rotates MariaDB accounts (RDS for MariaDB, self-managed) through MariaDB Connector/J. Serves
 * secrets whose {@code engine} is {@code mariadb}. The account statements are the ones the MySQL
 * engine shares, in the forms MariaDB accepts: {@code SET PASSWORD} (which keeps an ed25519 account
 * on ed25519, where {@code ALTER USER ... IDENTIFIED BY} would move it to mysql_native_password),
 * {@code IDENTIFIED VIA plugin USING PASSWORD(...)}, and the roles and default role
 * {@code SHOW GRANTS} lists.
 */
public final class MariaDbEngine extends MySqlFamilyEngine {
    /**
     * MariaDB 10.6 and later accept user names of up to 128 characters (MDEV-24312); 10.5 and older
     * accept 80, and refuse a longer clone name when setSecret creates it.
     */
    static final int MAX_USER_NAME_LENGTH = 128;
    /** ER_ACCOUNT_HAS_BEEN_LOCKED (MariaDB 10.4.2 and later): the account was locked with ACCOUNT LOCK. */
    static final int ACCOUNT_LOCKED = 4151;
    /** ER_USER_IS_BLOCKED: max_password_errors was reached; FLUSH PRIVILEGES or ALTER USER unblocks. */
    static final int ACCOUNT_BLOCKED_BY_PASSWORD_ERRORS = 4150;
    /**
     * The authentication plugins the driver may use: those that never send the password as it is.
     * mysql_clear_password and dialog (PAM) would hand it to whichever server answers.
     */
    static final String PASSWORD_SAFE_PLUGINS = "mysql_native_password,client_ed25519,parsec,"
            + "caching_sha2_password,sha256_password";

    private static final Driver DRIVER = new org.mariadb.jdbc.Driver();

    @Override
    public String name() {
        return "mariadb";
    }

    @Override
    public boolean serves(DatabaseSecret secret) {
        return "mariadb".equals(secret.engine());
    }

    @Override
    public String servedEngines() {
        return "mariadb";
    }

    @Override
    public int maxUserNameLength() {
        return MAX_USER_NAME_LENGTH;
    }

    @Override
    protected String urlScheme() {
        return "mariadb";
    }

    @Override
    protected Driver driver() {
        return DRIVER;
    }

    @Override
    protected String databaseProperty() {
        return "database";
    }

    @Override
    protected Set<Integer> lockedAccountCodes() {
        return Set.of(ACCOUNT_LOCKED, ACCOUNT_BLOCKED_BY_PASSWORD_ERRORS);
    }

    @Override
    protected void addDriverProperties(ConnectionRequest request, Properties properties) {
        // bound values are escaped by the driver into the statement text (client-side prepared statements)
        properties.setProperty("useServerPrepStmts", "false");
        properties.setProperty("allowMultiQueries", "false");
        properties.setProperty("allowLocalInfile", "false");
        // a server may ask the driver to reconnect elsewhere; the function talks only to the secret's host
        properties.setProperty("permitRedirect", "false");
        properties.setProperty("restrictedAuth", PASSWORD_SAFE_PLUGINS);
        if (request.useTls()) {
            addTlsProperties(request.trust(), properties);
        } else {
            properties.setProperty("sslMode", "disable");
        }
    }

    private static void addTlsProperties(TrustSettings trust, Properties properties) {
        properties.setProperty("sslMode", trust.verifyHostname() ? "verify-full" : "verify-ca");
        trust.caBundle().map(Path::toString).ifPresentOrElse(bundle -> {
            properties.setProperty("serverSslCert", bundle);
            // the configured bundle replaces the JVM's authorities instead of adding to them
            properties.setProperty("fallbackToSystemTrustStore", "false");
        }, () -> properties.setProperty("fallbackToSystemTrustStore", "true"));
    }
}
