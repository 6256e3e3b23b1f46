package dev.keyturn.mysql;

import dev.keyturn.core.ConnectionRequest;
import dev.keyturn.core.DatabaseSecret;
import dev.keyturn.core.PasswordRules;
import dev.keyturn.core.TrustSettings;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;
import java.util.Set;

/**
 * Rotates MySQL 5.7, 8.0 and 8.4 accounts (RDS for MySQL, Aurora MySQL, self-managed) through MySQL
 * Connector/J. Serves secrets whose {@code engine} is {@code mysql}.
 */
public final class MySqlEngine extends MySqlFamilyEngine {
    /** MySQL 5.7.8 and later accept user names of up to 32 characters. */
    static final int MAX_USER_NAME_LENGTH = 32;
    /**
     * Under NO_BACKSLASH_ESCAPES, Connector/J sends a value containing one of these as a hexadecimal
     * literal, which ALTER USER does not accept as a password: the statement fails (safely) instead
     * of changing it. Generated passwords leave them out so that rotation works in that mode too.
     */
    static final String HEX_LITERAL_CHARACTERS = "'\\";
    /** ER_ACCOUNT_HAS_BEEN_LOCKED (MySQL 5.7.6 and later): the account was locked with ACCOUNT LOCK. */
    static final int ACCOUNT_LOCKED = 3118;
    /** MySQL 8.0.19 and later: FAILED_LOGIN_ATTEMPTS was reached and PASSWORD_LOCK_TIME has not passed. */
    static final int ACCOUNT_BLOCKED_BY_FAILED_LOGINS = 3955;

    private static final Driver DRIVER = newDriver();

    @Override
    public String name() {
        return "mysql";
    }

    @Override
    public boolean serves(DatabaseSecret secret) {
        return "mysql".equals(secret.engine());
    }

    @Override
    public String servedEngines() {
        return "mysql";
    }

    @Override
    public int maxUserNameLength() {
        return MAX_USER_NAME_LENGTH;
    }

    @Override
    public PasswordRules passwordRules() {
        return super.passwordRules().excluding(HEX_LITERAL_CHARACTERS);
    }

    @Override
    protected String urlScheme() {
        return "mysql";
    }

    @Override
    protected Driver driver() {
        return DRIVER;
    }

    @Override
    protected String databaseProperty() {
        return "dbname";
    }

    @Override
    protected Set<Integer> lockedAccountCodes() {
        return Set.of(ACCOUNT_LOCKED, ACCOUNT_BLOCKED_BY_FAILED_LOGINS);
    }

    @Override
    protected void addDriverProperties(ConnectionRequest request, Properties properties) {
        // bound values are escaped by the driver into the statement text (client-side prepared statements)
        properties.setProperty("useServerPrepStmts", "false");
        properties.setProperty("allowMultiQueries", "false");
        properties.setProperty("allowLoadLocalInfile", "false");
        properties.setProperty("characterEncoding", "UTF-8");
        // without it Connector/J decodes each column by the character set the server declares for it,
        // which for SHOW GRANTS on MariaDB is not the one the text is in, and non-ASCII names garble
        properties.setProperty("characterSetResults", "UTF-8");
        // this plugin would send the password as it is to whichever server answers
        properties.setProperty("disabledAuthenticationPlugins", "mysql_clear_password");
        if (request.useTls()) {
            addTlsProperties(request.trust(), properties);
        } else {
            properties.setProperty("sslMode", "DISABLED");
            // caching_sha2_password needs the server's RSA key to log in without TLS; an operator who
            // chose plaintext has already accepted that the network path is trusted
            properties.setProperty("allowPublicKeyRetrieval", "true");
        }
    }

    private static void addTlsProperties(TrustSettings trust, Properties properties) {
        properties.setProperty("sslMode", trust.verifyHostname() ? "VERIFY_IDENTITY" : "VERIFY_CA");
        trust.caKeyStore().ifPresentOrElse(store -> {
            properties.setProperty("trustCertificateKeyStoreUrl", store.path().toUri().toString());
            properties.setProperty("trustCertificateKeyStoreType", "PKCS12");
            properties.setProperty("trustCertificateKeyStorePassword", store.password());
            // the configured bundle replaces the JVM's authorities instead of adding to them
            properties.setProperty("fallbackToSystemTrustStore", "false");
        }, () -> properties.setProperty("fallbackToSystemTrustStore", "true"));
    }

    private static Driver newDriver() {
        try {
            return new com.mysql.cj.jdbc.Driver();
        } catch (SQLException e) {
            throw new IllegalStateException("MySQL Connector/J could not be loaded", e);
        }
    }
}
