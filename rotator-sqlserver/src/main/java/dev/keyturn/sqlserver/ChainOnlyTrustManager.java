package dev.keyturn.sqlserver;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Verifies the server's certificate chain against a CA bundle (or the JVM's trust store) and does not
 * compare the host name, for TLS_VERIFY_HOSTNAME=false: a server reached through a DNS alias its
 * certificate does not name. The SQL Server driver checks host names itself, in its own trust
 * manager, and offers no switch that keeps chain verification while dropping the name check; it does
 * take a trust manager class by name ({@code trustManagerClass}), which is this one.
 *
 * <p>Public, with public constructors, because the driver creates it by reflection.
 */
public final class ChainOnlyTrustManager extends X509ExtendedTrustManager {
    private final X509TrustManager chainCheck;

    /** Trusts the JVM's default trust store. */
    public ChainOnlyTrustManager() throws GeneralSecurityException {
        this.chainCheck = defaultTrustManager(null);
    }

    /** Trusts the certificates in the PEM file at {@code caBundlePath}. */
    public ChainOnlyTrustManager(String caBundlePath) throws GeneralSecurityException, IOException {
        this.chainCheck = defaultTrustManager(keyStoreOf(Path.of(caBundlePath)));
    }

    private static KeyStore keyStoreOf(Path pem) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            int index = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + index++, certificate);
            }
        }
        if (store.size() == 0) {
            throw new CertificateException("TLS_CA_BUNDLE names " + pem + ", which holds no certificate");
        }
        return store;
    }

    private static X509TrustManager defaultTrustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager) {
                return (X509TrustManager) manager;
            }
        }
        throw new GeneralSecurityException("the JVM offers no X.509 trust manager");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        // the variant without a socket or engine: the JDK then checks the chain and leaves the name alone
        chainCheck.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the function never accepts client connections");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return chainCheck.getAcceptedIssuers();
    }
}
