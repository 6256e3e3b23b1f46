package dev.keyturn.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

/**
 * Builds the one Secrets Manager client a function container uses. It is built during the
 * function's initialisation, so that its set-up is paid once and captured by SnapStart.
 */
public final class SecretsManagerClients {
    static final String ENDPOINT = "SECRETS_MANAGER_ENDPOINT";
    /** Set by Lambda in every function's environment, as is AWS_REGION. */
    static final String LAMBDA_FUNCTION = "AWS_LAMBDA_FUNCTION_NAME";
    static final String REGION = "AWS_REGION";

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
     * In Lambda (where {@code AWS_LAMBDA_FUNCTION_NAME} is set) the region and credentials are read
     * from where Lambda puts them; elsewhere the SDK's default chains find them.
     */
    public static SecretsManagerClient fromEnvironment(Map<String, String> env) {
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder());
        String endpoint = env.get(ENDPOINT);
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(endpointUri(endpoint.trim()));
        }
        String region = env.get(REGION);
        if (env.containsKey(LAMBDA_FUNCTION) && region != null && !region.isBlank()) {
            builder.region(Region.of(region.trim())).credentialsProvider(lambdaCredentials());
        }
        return builder.build();
    }

    /**
     * The two places Lambda puts a function's credentials: environment variables, or, under SnapStart,
     * the container credentials endpoint. The SDK's default chain would first build and try the
     * system property, web identity, profile file and instance metadata providers as well: classes
     * and file reads that a function's first call after a restore would pay for and never use.
     */
    private static AwsCredentialsProvider lambdaCredentials() {
        return AwsCredentialsProviderChain.builder()
                .credentialsProviders(EnvironmentVariableCredentialsProvider.create(),
                        ContainerCredentialsProvider.builder().build())
                .build();
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
                    + "', which is not a URL. Set it to an endpoint such as "
                    + "https://secretsmanager.us-east-1.amazonaws.com"
                    + " or a VPC endpoint's DNS name with https://.", e);
        }
    }
}
