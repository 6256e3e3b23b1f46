package dev.keyturn.it;

import dev.keyturn.core.DatabaseEngine;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * One engine module and a server it rotates against: everything the engine-neutral scenarios of
 * {@link RotationHarness} need. An implementation reaches the server with plain JDBC, not through
 * the engine under test, so that a check cannot share a mistake with the code it checks.
 */
public interface EngineUnderTest {

    /** The engine as the module's Lambda handler builds it. */
    DatabaseEngine engine();

    /** The secret's {@code engine} value. */
    String secretEngine();

    DatabaseServer server();

    /** A connection as the server's admin account, without TLS. */
    Connection admin() throws SQLException;

    /** Creates a user that can log in with this password and connect to {@link DatabaseServer#database()}. */
    void createUser(String name, String password) throws SQLException;

    /** Drops the user and whatever it owns; does nothing when it does not exist. */
    void dropUser(String name) throws SQLException;

    /** True when the server accepts the password; false when it refuses it; throws for anything else. */
    boolean canLogin(String user, String password) throws SQLException;

    /** Every account on the server, as the engine names them ({@code name} or {@code name@host}). */
    Set<String> accounts() throws SQLException;

    /** Every table on the server, schema-qualified. */
    Set<String> tables() throws SQLException;

    /** A secret for this user on this server; TLS on, as production secrets should be. */
    default SecretJson secret(String user, String password) {
        DatabaseServer server = server();
        return new SecretJson()
                .put("engine", secretEngine())
                .put("host", server.host())
                .put("port", server.port())
                .put("username", user)
                .put("password", password)
                .put("dbname", server.database())
                .put("ssl", true);
    }

    /** The admin account's secret, for {@code masterarn}. */
    default SecretJson adminSecret() {
        return secret(server().adminUser(), server().adminPassword());
    }
}
