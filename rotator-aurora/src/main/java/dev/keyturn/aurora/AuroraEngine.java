package dev.keyturn.aurora;

import dev.keyturn.core.DatabaseEngine;
import dev.keyturn.core.DatabaseSecret;
import dev.keyturn.core.ForwardingDatabaseEngine;
import dev.keyturn.mysql.MySqlEngine;
import dev.keyturn.postgres.PostgresEngine;
import java.util.Locale;
import java.util.Set;

/**
 * The MySQL or the PostgreSQL engine, serving the secrets of Aurora clusters: those whose
 * {@code engine} is {@code aurora-mysql} or {@code aurora-postgresql}, and those that say
 * {@code mysql} or {@code postgres} but carry a {@code dbClusterIdentifier} key, as the secrets RDS
 * creates for Aurora clusters do. A plain {@code mysql} or {@code postgres} secret without that key
 * is refused: it belongs to the MySQL or PostgreSQL function. Everything but the choice of secret
 * is the wrapped engine's own.
 */
public final class AuroraEngine extends ForwardingDatabaseEngine {
    /** The key RDS writes into the secrets of Aurora clusters. */
    static final String CLUSTER_KEY = "dbClusterIdentifier";
    /** What the whole Aurora function rotates, for the message that refuses another secret. */
    static final String FUNCTION_ENGINES = "aurora-mysql and aurora-postgresql, and mysql, postgres or postgresql "
            + "secrets that carry a '" + CLUSTER_KEY + "' key";

    private final String auroraEngine;
    private final Set<String> plainEngines;

    private AuroraEngine(String auroraEngine, Set<String> plainEngines, DatabaseEngine engine) {
        super(engine);
        this.auroraEngine = auroraEngine;
        this.plainEngines = plainEngines;
    }

    /** Aurora MySQL (MySQL 5.7- and 8.0-compatible), through {@link MySqlEngine}. */
    public static AuroraEngine mysql() {
        return new AuroraEngine("aurora-mysql", Set.of("mysql"), new MySqlEngine());
    }

    /** Aurora PostgreSQL, through {@link PostgresEngine}. */
    public static AuroraEngine postgresql() {
        return new AuroraEngine("aurora-postgresql", Set.of("postgres", "postgresql"), new PostgresEngine());
    }

    @Override
    public String name() {
        return auroraEngine;
    }

    @Override
    public boolean serves(DatabaseSecret secret) {
        String value = secret.engine().trim().toLowerCase(Locale.ROOT);
        return value.equals(auroraEngine)
                || (plainEngines.contains(value) && secret.stringField(CLUSTER_KEY).isPresent());
    }

    @Override
    public String servedEngines() {
        return FUNCTION_ENGINES;
    }

    @Override
    public String toString() {
        return "AuroraEngine[" + auroraEngine + "]";
    }
}
