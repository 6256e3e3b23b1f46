package dev.keyturn.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.Collection;
import java.util.Optional;

/**
 * The certificate authorities a verified TLS connection trusts, and whether the host name is checked.
 * Drivers take trust in different shapes: some read a PEM file, others a key store. Both are offered;
 * the key store is written once, on first use, to a private temporary file.
 */
public final class TrustSettings {
    private final Optional<Path> caBundle;
    private final boolean verifyHostname;
    private KeyStoreFile keyStore;

    public TrustSettings(Optional<Path> caBundle, boolean verifyHostname) {
        this.caBundle = caBundle;
        this.verifyHostname = verifyHostname;
    }

    /** A PEM file of CAs, or empty to use the JVM's default trust store. */
    public Optional<Path> caBundle() {
        return caBundle;
    }

    public boolean verifyHostname() {
        return verifyHostname;
    }

    /** The CA bundle as a PKCS#12 trust store, for drivers that cannot read PEM. */
    public synchronized Optional<KeyStoreFile> caKeyStore() {
        if (caBundle.isEmpty()) {
            return Optional.empty();
        }
        if (keyStore == null) {
            keyStore = writeKeyStore(caBundle.get());
        }
        return Optional.of(keyStore);
    }

    /**
     * A PKCS#12 file and its password. The password protects nothing secret (the file holds only
     * public certificates); the format simply demands one.
     */
    public record KeyStoreFile(Path path, String password) {
        @Override
        public String toString() {
            return "KeyStoreFile[" + path + "]";
        }
    }

    private static KeyStoreFile writeKeyStore(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new ConfigurationException("TLS_CA_BUNDLE names " + pem + ", which holds no certificate. "
                        + "Point it at a PEM file of CA certificates.");
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int index = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + index++, certificate);
            }
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Path file = Files.createTempFile("keyturn-ca-", ".p12");
            file.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password.toCharArray());
            }
            return new KeyStoreFile(file, password);
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigurationException("TLS_CA_BUNDLE names " + pem + ", which could not be read as PEM "
                    + "certificates: " + e.getMessage() + ". Point it at a readable PEM file of CA certificates.", e);
        }
    }

    @Override
    public String toString() {
        return "TrustSettings[caBundle=" + caBundle.map(Path::toString).orElse("JVM default")
                + ", verifyHostname=" + verifyHostname + "]";
    }
}
