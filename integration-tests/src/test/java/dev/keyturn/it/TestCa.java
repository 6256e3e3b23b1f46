package dev.keyturn.it;

import java.nio.file.Path;

/**
 * The test certificate authority that {@code scripts/test-services} makes: the servers present a
 * certificate it signed for localhost and 127.0.0.1, and the unrelated CA signed nothing they show.
 *
 * @param caBundle the PEM file to trust
 * @param wrongCaBundle a CA that must never be accepted for these servers
 * @param serverCertificate the servers' certificate, for servers the tests configure themselves
 * @param serverKey that certificate's private key
 */
public record TestCa(Path caBundle, Path wrongCaBundle, Path serverCertificate, Path serverKey) {

    static TestCa in(Path tlsDirectory) {
        return new TestCa(tlsDirectory.resolve("ca.pem"), tlsDirectory.resolve("wrong-ca.pem"),
                tlsDirectory.resolve("server.pem"), tlsDirectory.resolve("server.key"));
    }
}
