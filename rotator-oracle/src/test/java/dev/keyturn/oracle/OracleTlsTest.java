package dev.keyturn.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keyturn.core.ConnectionRequest;
import dev.keyturn.core.LoginFailure;
import dev.keyturn.core.TlsSettings;
import dev.keyturn.core.TrustSettings;
import dev.keyturn.core.testing.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which certificates the real Oracle driver accepts over TCPS with the settings the engine gives it.
 * No Oracle listener can run on the build machine; a TLS server in the test process stands in for one.
 * The handshake is the driver's own, so these tests prove the trust store settings and that an
 * unverified host name lets a certificate for another name through.
 *
 * <p>What they cannot prove: the driver compares the host name (oracle.net.ssl_server_dn_match=true)
 * only after the Net8 connect exchange that follows the handshake, and before it authenticates; this
 * stand-in hangs up before that exchange, so a name mismatch is not observable here.
 */
class OracleTlsTest {
    private static TestCertificates authority;
    private static Path localhostKeys;
    private static Path otherNameKeys;

    private final OracleEngine engine = new OracleEngine(Map.of());
    private TlsListener listener;

    @BeforeAll
    static void makeCertificates() {
        authority = TestCertificates.newAuthority("Keyturn Test CA");
        localhostKeys = authority.serverKeyStore("localhost-cert", "dns:localhost,ip:127.0.0.1");
        otherNameKeys = authority.serverKeyStore("other-cert", "dns:db-primary.internal");
    }

    @AfterEach
    void stopListener() throws IOException {
        listener.close();
    }

    @Test
    void the_handshake_completes_with_the_bundle_ca_and_a_matching_host_name() throws Exception {
        // given
        listener = TlsListener.start(localhostKeys);

        // when
        SQLException failure = connect(new TrustSettings(Optional.of(authority.caPem()), true));

        // then: TLS succeeded; the stand-in then hangs up, which is no TLS failure
        assertThat(listener.nextOutcome()).isEqualTo(TlsListener.HANDSHAKE_COMPLETED);
        assertThat(hasTlsCause(failure)).isFalse();
    }

    @Test
    void a_certificate_from_a_ca_outside_the_bundle_is_refused_and_classified_as_no_reachability_problem()
            throws Exception {
        // given
        listener = TlsListener.start(localhostKeys);
        Path unrelated = TestCertificates.newAuthority("Unrelated CA").caPem();

        // when
        SQLException failure = connect(new TrustSettings(Optional.of(unrelated), true));

        // then
        assertThat(listener.nextOutcome()).isNotEqualTo(TlsListener.HANDSHAKE_COMPLETED);
        assertThat(hasTlsCause(failure)).isTrue();
        assertThat(engine.classify(failure)).isEqualTo(LoginFailure.OTHER);
    }

    @Test
    void a_private_ca_is_refused_when_no_bundle_is_configured() throws Exception {
        // given
        listener = TlsListener.start(localhostKeys);

        // when
        SQLException failure = connect(new TrustSettings(Optional.empty(), true));

        // then
        assertThat(listener.nextOutcome()).isNotEqualTo(TlsListener.HANDSHAKE_COMPLETED);
        assertThat(hasTlsCause(failure)).isTrue();
    }

    @Test
    void a_certificate_for_another_host_name_is_accepted_when_host_names_are_not_verified() throws Exception {
        // given
        listener = TlsListener.start(otherNameKeys);

        // when
        SQLException failure = connect(new TrustSettings(Optional.of(authority.caPem()), false));

        // then
        assertThat(listener.nextOutcome()).isEqualTo(TlsListener.HANDSHAKE_COMPLETED);
        assertThat(hasTlsCause(failure)).isFalse();
    }

    private SQLException connect(TrustSettings trust) {
        ConnectionRequest request = new ConnectionRequest("localhost", listener.port(), Optional.of("FREEPDB1"),
                "app", "Secret-Pa55", TlsSettings.Mode.VERIFIED, trust, Duration.ofSeconds(10));
        return catchThrowableOfType(SQLException.class, () -> engine.connect(request).close());
    }

    private static boolean hasTlsCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException || cause instanceof java.security.cert.CertificateException) {
                return true;
            }
        }
        return false;
    }

    /** Accepts TLS connections, completes or fails the handshake, reports which, and hangs up. */
    private static final class TlsListener implements AutoCloseable {
        static final String HANDSHAKE_COMPLETED = "handshake completed";

        private final SSLServerSocket socket;
        private final BlockingQueue<String> outcomes = new LinkedBlockingQueue<>();
        private final Thread acceptor;

        private TlsListener(SSLServerSocket socket) {
            this.socket = socket;
            this.acceptor = new Thread(this::serve, "tls-listener");
            this.acceptor.setDaemon(true);
            this.acceptor.start();
        }

        static TlsListener start(Path keyStore) throws IOException, GeneralSecurityException {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStore)) {
                keys.load(in, TestCertificates.STORE_PASSWORD.toCharArray());
            }
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(keys, TestCertificates.STORE_PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(factory.getKeyManagers(), null, null);
            return new TlsListener((SSLServerSocket) context.getServerSocketFactory()
                    .createServerSocket(0, 5, InetAddress.getLoopbackAddress()));
        }

        int port() {
            return socket.getLocalPort();
        }

        /** What the next connection's handshake came to; waits for the driver, at most 30 seconds. */
        String nextOutcome() throws InterruptedException {
            String outcome = outcomes.poll(30, TimeUnit.SECONDS);
            return outcome == null ? "no connection" : outcome;
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (SSLSocket connection = (SSLSocket) socket.accept()) {
                    try {
                        connection.startHandshake();
                        outcomes.add(HANDSHAKE_COMPLETED);
                    } catch (IOException e) {
                        outcomes.add("handshake failed: " + e.getMessage());
                    }
                } catch (IOException closed) {
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
