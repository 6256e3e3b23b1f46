package dev.keyturn.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.core.testing.TestCertificates;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CA bundle offered as PEM and, for drivers that need one, as a PKCS#12 trust store. */
class TrustSettingsTest {
    /** A throwaway CA made with the JDK's keytool; made once, because each costs two JVM starts. */
    private static TestCertificates authority;

    @TempDir
    Path directory;

    @BeforeAll
    static void make_an_authority() {
        authority = TestCertificates.newAuthority("Keyturn Test CA");
    }

    @Test
    void a_pem_bundle_becomes_a_pkcs12_trust_store_holding_every_certificate() throws Exception {
        // given the test CA and a public root from the JDK's own trust store in one PEM file
        X509Certificate root = someJdkRoot();
        Path bundle = directory.resolve("bundle.pem");
        Files.writeString(bundle, Files.readString(authority.caPem()) + pem(root));
        TrustSettings trust = new TrustSettings(Optional.of(bundle), true);

        // when
        TrustSettings.KeyStoreFile file = trust.caKeyStore().orElseThrow();

        // then
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file.path())) {
            store.load(in, file.password().toCharArray());
        }
        List<String> aliases = Collections.list(store.aliases());
        assertThat(aliases).hasSize(2).allSatisfy(alias -> assertThat(store.isCertificateEntry(alias)).isTrue());
        assertThat(aliases).extracting(alias -> ((X509Certificate) store.getCertificate(alias))
                .getSubjectX500Principal().getName())
                .containsExactlyInAnyOrder("CN=Keyturn Test CA", root.getSubjectX500Principal().getName());
    }

    @Test
    void the_trust_store_is_written_once_and_its_description_hides_the_password() {
        // given
        TrustSettings trust = new TrustSettings(Optional.of(authority.caPem()), false);

        // when
        TrustSettings.KeyStoreFile written = trust.caKeyStore().orElseThrow();
        TrustSettings.KeyStoreFile again = trust.caKeyStore().orElseThrow();

        // then
        assertThat(again).isSameAs(written);
        assertThat(written.password()).hasSizeGreaterThanOrEqualTo(20);
        assertThat(written.toString()).doesNotContain(written.password()).contains(written.path().toString());
        assertThat(trust.verifyHostname()).isFalse();
        assertThat(trust.toString()).contains(authority.caPem().toString(), "verifyHostname=false");
    }

    private static X509Certificate someJdkRoot() throws Exception {
        File cacerts = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts").toFile();
        KeyStore store = KeyStore.getInstance(cacerts, "changeit".toCharArray());
        String alias = Collections.list(store.aliases()).stream().sorted().findFirst().orElseThrow();
        return (X509Certificate) store.getCertificate(alias);
    }

    private static String pem(X509Certificate certificate) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }

    @Test
    void without_a_bundle_the_jvm_trust_store_is_used_and_no_file_is_written() {
        TrustSettings trust = new TrustSettings(Optional.empty(), true);

        assertThat(trust.caKeyStore()).isEmpty();
        assertThat(trust.toString()).contains("caBundle=JVM default");
    }

    @Test
    void a_bundle_that_does_not_exist_is_refused_naming_TLS_CA_BUNDLE() {
        Path missing = directory.resolve("missing.pem");
        TrustSettings trust = new TrustSettings(Optional.of(missing), true);

        assertThatThrownBy(trust::caKeyStore).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("TLS_CA_BUNDLE names " + missing)
                .hasMessageContaining("could not be read as PEM certificates");
    }

    @Test
    void a_bundle_without_certificates_is_refused_naming_TLS_CA_BUNDLE() throws Exception {
        Path empty = Files.writeString(directory.resolve("empty.pem"), "");
        TrustSettings trust = new TrustSettings(Optional.of(empty), true);

        assertThatThrownBy(trust::caKeyStore).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("TLS_CA_BUNDLE names " + empty + ", which holds no certificate");
    }

    @Test
    void a_bundle_that_is_not_pem_is_refused_naming_TLS_CA_BUNDLE() throws Exception {
        Path garbage = Files.writeString(directory.resolve("garbage.pem"),
                "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
        TrustSettings trust = new TrustSettings(Optional.of(garbage), true);

        assertThatThrownBy(trust::caKeyStore).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("TLS_CA_BUNDLE names " + garbage);
    }
}
