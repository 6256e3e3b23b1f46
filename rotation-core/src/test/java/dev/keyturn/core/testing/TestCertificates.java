package dev.keyturn.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate authority and server certificates, made with the JDK's own {@code keytool}
 * so that TLS tests need no files from outside the build. Everything lives in one temporary
 * directory; the key stores are PKCS#12 with a fixed password, because they guard nothing.
 */
public final class TestCertificates {
    public static final String STORE_PASSWORD = "changeit";

    private final Path directory;

    private TestCertificates(Path directory) {
        this.directory = directory;
    }

    /** Makes a new CA in a fresh temporary directory. */
    public static TestCertificates newAuthority(String name) {
        try {
            TestCertificates certificates = new TestCertificates(Files.createTempDirectory("keyturn-tls-"));
            certificates.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=" + name, "-ext", "bc:c", "-validity", "2", "-keystore", "ca.p12");
            certificates.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-file", "ca.pem");
            return certificates;
        } catch (IOException e) {
            throw new IllegalStateException("could not create a temporary directory for certificates", e);
        }
    }

    /** The CA certificate as PEM, for TLS_CA_BUNDLE. */
    public Path caPem() {
        return directory.resolve("ca.pem");
    }

    /**
     * A PKCS#12 key store holding a server key and a certificate this CA signed, valid for the given
     * subject alternative names (such as {@code dns:localhost,ip:127.0.0.1}).
     */
    public Path serverKeyStore(String alias, String subjectAlternativeNames) {
        String store = alias + ".p12";
        keytool("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + alias,
                "-validity", "2", "-keystore", store);
        keytool("-certreq", "-alias", alias, "-keystore", store, "-file", alias + ".csr");
        keytool("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile", alias + ".csr", "-outfile",
                alias + ".crt", "-rfc", "-validity", "2", "-ext", "san=" + subjectAlternativeNames);
        // the reply carries the whole chain, so the CA need not be imported into the server's store first
        writeChain(alias);
        keytool("-importcert", "-noprompt", "-alias", alias, "-file", alias + "-chain.pem", "-keystore", store);
        return directory.resolve(store);
    }

    private void writeChain(String alias) {
        try {
            Files.writeString(directory.resolve(alias + "-chain.pem"), Files.readString(directory.resolve(alias
                    + ".crt")) + Files.readString(caPem()));
        } catch (IOException e) {
            throw new IllegalStateException("could not write the certificate chain", e);
        }
    }

    /** The server certificate made by {@link #serverKeyStore}, as PEM. */
    public Path serverCertificate(String alias) {
        return directory.resolve(alias + ".crt");
    }

    private void keytool(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        // keytool is a short-lived JVM: the quick compiler and a small heap halve its start-up on a busy machine
        command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", STORE_PASSWORD));
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + arguments[0] + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("keytool could not be run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }
}
