package dev.keyturn.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

/**
 * Builds the one Secrets Manager client a function container uses. It is built during the
 * function's initialisation, so that its set-up is paid once and captured by SnapStart.
 */
public final class SecretsManagerClients {
    static final String ENDPOINT = "SECRETS_MANAGER_ENDPOINT";

    private static volatile SecretsManagerClient shared;

    private SecretsManagerClients() {
    }

    /** The container's client, built on first use. */
    public static SecretsManagerClient shared() {
        SecretsManagerClient client = shared;
        if (client == null) {
            synchronized (SecretsManagerClients.class) {
                client = shared;
                if (client == null) {
                    client = fromEnvironment(System.getenv());
                    shared = client;
                }
            }
        }
        return client;
    }

    /**
     * A client for the region in {@code AWS_REGION}, with the URL-connection HTTP client. The endpoint
     * is {@code SECRETS_MANAGER_ENDPOINT} when set; otherwise the SDK applies its own
     * {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} and {@code AWS_ENDPOINT_URL}, then the public endpoint.
     */
    public static SecretsManagerClient fromEnvironment(Map<String, String> env) {
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder());
        String endpoint = env.get(ENDPOINT);
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(endpointUri(endpoint.trim()));
        }
        return builder.build();
    }

    private static URI endpointUri(String endpoint) {
        try {
            URI uri = new URI(endpoint);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new URISyntaxException(endpoint, "no scheme or host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigurationException(ENDPOINT + " is '" + endpoint
                    + "', which is not a URL. Set it to an endpoint such as https://secretsmanager.us-east-1.amazonaws.com"
                    + " or a VPC endpoint's DNS name with https://.", e);
        }
    }
}
