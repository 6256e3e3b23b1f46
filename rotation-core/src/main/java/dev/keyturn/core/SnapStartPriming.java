package dev.keyturn.core;

import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import org.crac.Context;
import org.crac.Resource;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Runs the code of a rotation once before Lambda takes the SnapStart snapshot, so that a function
 * restored from it starts its first step with that code loaded and linked instead of loading it then.
 *
 * <p>For each engine it drives the four steps through the real {@link Rotator} against a
 * {@link PrimingEndpoint}: a throw-away client whose requests are answered in memory, so secret
 * parsing and writing, the log and metric lines (to a sink that discards them) and the SDK's
 * marshalling of every call of the protocol run without a socket. The database logins fail at once
 * without connecting, and the engine's {@link DatabaseEngine#prime} then runs its driver's URL and
 * property parsing for a placeholder request. Last, a TLS ClientHello is written into a buffer.
 *
 * <p>It leaves nothing a restore could make wrong: the function's own client is never called, so no
 * credentials are fetched or cached; no connection or socket is opened; the placeholder requests name
 * no CA bundle, so no trust store file is written; and no random generator outlives priming
 * (passwords come from GetRandomPassword, answered with a fixed placeholder, and the TLS context
 * with its random source is thrown away).
 */
final class SnapStartPriming implements Resource {
    private static final LogSink DISCARD = (level, line) -> {
    };
    private static final String PLACEHOLDER_HOST = "keyturn-priming.invalid";
    private static final int PLACEHOLDER_TLS_PORT = 443;
    private static final String TLS_WITHOUT_KEY_SHARE = "TLSv1.2";

    private final Settings settings;
    private final List<DatabaseEngine> engines;
    private final LogSink sink;

    /** @param sink where a failed priming is reported; priming's own lines are discarded */
    SnapStartPriming(Settings settings, List<DatabaseEngine> engines, LogSink sink) {
        this.settings = settings;
        this.engines = List.copyOf(engines);
        this.sink = sink;
    }

    /** Primes; a failure is logged and never stops the snapshot, since priming only saves time. */
    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        try {
            prime();
        } catch (SQLException | GeneralSecurityException | IOException | RuntimeException e) {
            RotationLog.to(sink).warn("SnapStart priming failed; rotations work, but the first one after a restore "
                    + "loads what priming would have loaded", "errorType", e.getClass().getName());
        }
    }

    /** Priming kept no state that a restore could make stale, so there is nothing to renew. */
    @Override
    public void afterRestore(Context<? extends Resource> context) {
    }

    /** Primes every engine; returns the Secrets Manager actions answered in memory, in order. */
    List<String> prime() throws SQLException, GeneralSecurityException, IOException {
        List<String> answered = new ArrayList<>();
        for (DatabaseEngine engine : engines) {
            answered.addAll(rotateInMemory(engine));
            for (TlsSettings.Mode tls : TlsSettings.Mode.values()) {
                engine.prime(placeholderRequest(engine, tls));
            }
        }
        startTlsHandshake();
        return answered;
    }

    /**
     * Writes a TLS ClientHello into a buffer, which loads much of the JDK's handshake code that every
     * verified login runs. The context is a throw-away one with its own random source, never the JVM's
     * default context that drivers use, and nothing is sent anywhere. The hello offers TLS 1.2 only:
     * a TLS 1.3 hello carries an X25519 key share, and that key generator creates the JDK's shared
     * default SecureRandom, which would then be cloned into every restored function.
     */
    private static void startTlsHandshake() throws GeneralSecurityException, SSLException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, new SecureRandom());
        SSLEngine engine = context.createSSLEngine(PLACEHOLDER_HOST, PLACEHOLDER_TLS_PORT);
        engine.setUseClientMode(true);
        engine.setEnabledProtocols(new String[] {TLS_WITHOUT_KEY_SHARE});
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        engine.setSSLParameters(parameters);
        engine.wrap(ByteBuffer.allocate(0), ByteBuffer.allocate(engine.getSession().getPacketBufferSize()));
        engine.closeOutbound();
    }

    private List<String> rotateInMemory(DatabaseEngine engine) {
        PrimingEndpoint endpoint = new PrimingEndpoint(engine.defaultPort());
        try (SecretsManagerClient client = endpoint.client()) {
            Rotator rotator = new Rotator(client, settings, DISCARD, List.of(new Unconnected(engine)));
            for (RotationStep step : RotationStep.values()) {
                try {
                    rotator.rotate(new SecretsManagerRotationEvent(step.wireName(), PrimingEndpoint.SECRET_ARN,
                            PrimingEndpoint.TOKEN, null), "priming");
                } catch (RotationException expected) {
                    // setSecret and testSecret fail at their first login, which never connects
                }
            }
        }
        return endpoint.answered();
    }

    private ConnectionRequest placeholderRequest(DatabaseEngine engine, TlsSettings.Mode tls) {
        TrustSettings noCaFile = new TrustSettings(Optional.empty(), settings.trust().verifyHostname());
        Duration timeout = settings.connectTimeout();
        return new ConnectionRequest(PLACEHOLDER_HOST, engine.defaultPort(), Optional.of("priming"),
                "primer", "placeholder", tls, noCaFile, timeout);
    }

    /** The engine as it is, except that it serves the placeholder secret and never connects. */
    private static final class Unconnected implements DatabaseEngine {
        private final DatabaseEngine engine;

        Unconnected(DatabaseEngine engine) {
            this.engine = engine;
        }

        @Override
        public String name() {
            return engine.name();
        }

        @Override
        public boolean serves(DatabaseSecret secret) {
            return true;
        }

        @Override
        public String servedEngines() {
            return engine.servedEngines();
        }

        @Override
        public int defaultPort() {
            return engine.defaultPort();
        }

        @Override
        public int maxUserNameLength() {
            return engine.maxUserNameLength();
        }

        @Override
        public String cloneSuffix() {
            return engine.cloneSuffix();
        }

        @Override
        public PasswordRules passwordRules() {
            return engine.passwordRules();
        }

        @Override
        public String userNameProblem(String username) {
            return engine.userNameProblem(username);
        }

        /** Fails as an unreachable server does, so that the engine's own error reading runs too. */
        @Override
        public Connection connect(ConnectionRequest request) throws SQLException {
            throw new SQLException("priming does not connect", "08001", new ConnectException("priming"));
        }

        @Override
        public LoginFailure classify(SQLException failure) {
            return engine.classify(failure);
        }

        @Override
        public void changeOwnPassword(Connection asUser, String username, String oldPassword, String newPassword) {
            throw new IllegalStateException("priming never connects");
        }

        @Override
        public void setPassword(Connection asMaster, String username, String newPassword) {
            throw new IllegalStateException("priming never connects");
        }

        @Override
        public void createOrSyncUser(Connection asMaster, String sourceUser, String targetUser, String newPassword) {
            throw new IllegalStateException("priming never connects");
        }
    }
}
