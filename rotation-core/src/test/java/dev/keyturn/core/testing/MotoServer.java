package dev.keyturn.core.testing;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * A real Secrets Manager endpoint for tests: the {@code moto_server} emulator, spoken to over the
 * real wire protocol by the real SDK client. Uses the endpoint in {@code KEYTURN_MOTO_ENDPOINT} when
 * set (the test-services script starts one), otherwise starts its own on a free port for this JVM.
 */
public final class MotoServer {
    public static final String ENDPOINT_VARIABLE = "KEYTURN_MOTO_ENDPOINT";
    public static final Region REGION = Region.US_EAST_1;

    private static URI endpoint;

    private MotoServer() {
    }

    public static synchronized URI endpoint() {
        if (endpoint == null) {
            String configured = System.getenv(ENDPOINT_VARIABLE);
            endpoint = configured != null && !configured.isBlank() ? URI.create(configured) : start();
        }
        return endpoint;
    }

    /** A client for the emulator, built like the function's own but with dummy credentials. */
    public static SecretsManagerClient client() {
        return SecretsManagerClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(endpoint())
                .region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
    }

    private static URI start() {
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", String.valueOf(port))
                .redirectErrorStream(true)
                .redirectOutput(new File(System.getProperty("java.io.tmpdir"), "keyturn-moto-" + port + ".log"));
        try {
            Process process = builder.start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
            URI uri = URI.create("http://127.0.0.1:" + port);
            awaitReady(uri, process);
            return uri;
        } catch (IOException e) {
            throw new IllegalStateException("moto_server could not be started; install it (see the README's "
                    + "'Testing') or set " + ENDPOINT_VARIABLE, e);
        }
    }

    private static void awaitReady(URI uri, Process process) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited with " + process.exitValue());
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) uri.resolve("/moto-api/").toURL().openConnection();
                connection.setConnectTimeout(500);
                if (connection.getResponseCode() > 0) {
                    return;
                }
            } catch (IOException notYet) {
                // the server is still starting
            }
            try {
                process.waitFor(200, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for moto_server", e);
            }
        }
        throw new IllegalStateException("moto_server did not answer at " + uri + " within 60 s");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port for moto_server", e);
        }
    }
}
