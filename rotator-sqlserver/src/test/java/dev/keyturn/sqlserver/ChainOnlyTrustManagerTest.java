package dev.keyturn.sqlserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.core.testing.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real certificates, made by keytool for the test, checked by the JDK's own PKIX validation. */
class ChainOnlyTrustManagerTest {
    private static TestCertificates authority;
    private static X509Certificate[] chainForAnotherName;

    @BeforeAll
    static void makeCertificates() throws Exception {
        authority = TestCertificates.newAuthority("Keyturn Test CA");
        authority.serverKeyStore("alias-host", "dns:db-primary.internal");
        chainForAnotherName = new X509Certificate[] {
            read(authority.serverCertificate("alias-host")), read(authority.caPem())};
    }

    @Test
    void accepts_a_chain_from_the_bundle_whatever_name_the_certificate_carries() throws Exception {
        // given
        ChainOnlyTrustManager manager = new ChainOnlyTrustManager(authority.caPem().toString());

        // when / then: the host is reached as db.example.com; the certificate names db-primary.internal
        assertThatCode(() -> manager.checkServerTrusted(chainForAnotherName, "RSA", (java.net.Socket) null))
                .doesNotThrowAnyException();
        assertThat(manager.getAcceptedIssuers()).extracting(X509Certificate::getSubjectX500Principal)
                .containsExactly(chainForAnotherName[1].getSubjectX500Principal());
    }

    @Test
    void refuses_a_chain_signed_by_a_ca_outside_the_bundle() throws Exception {
        // given
        TestCertificates other = TestCertificates.newAuthority("Unrelated CA");
        ChainOnlyTrustManager manager = new ChainOnlyTrustManager(other.caPem().toString());

        // when / then
        assertThatThrownBy(() -> manager.checkServerTrusted(chainForAnotherName, "RSA"))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void refuses_a_private_ca_when_it_trusts_the_jvm_default_store() throws Exception {
        // given
        ChainOnlyTrustManager manager = new ChainOnlyTrustManager();

        // when / then
        assertThatThrownBy(() -> manager.checkServerTrusted(chainForAnotherName, "RSA"))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void never_trusts_a_client() throws Exception {
        // given
        ChainOnlyTrustManager manager = new ChainOnlyTrustManager(authority.caPem().toString());

        // when / then
        assertThatThrownBy(() -> manager.checkClientTrusted(chainForAnotherName, "RSA"))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void refuses_a_bundle_without_certificates() throws Exception {
        // given
        Path empty = Files.createTempFile("keyturn-empty-", ".pem");

        // when / then
        assertThatThrownBy(() -> new ChainOnlyTrustManager(empty.toString()))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("holds no certificate");
    }

    private static X509Certificate read(Path pem) throws IOException, CertificateException {
        try (InputStream in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
