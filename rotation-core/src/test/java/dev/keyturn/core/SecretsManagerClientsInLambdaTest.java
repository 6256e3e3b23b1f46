package dev.keyturn.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * In a Lambda environment the function's client takes its region from AWS_REGION and asks only
 * Lambda's two credential sources, so that its first call after a SnapStart restore builds no
 * provider it cannot use. (Outside Lambda the SDK's default chains apply: SecretsManagerClientsTest.)
 */
class SecretsManagerClientsInLambdaTest {
    private static final Map<String, String> LAMBDA = Map.of("AWS_LAMBDA_FUNCTION_NAME", "keyturn-postgres",
            "AWS_REGION", "eu-west-3");

    @Test
    void in_lambda_the_region_is_AWS_REGION() {
        try (SecretsManagerClient client = SecretsManagerClients.fromEnvironment(LAMBDA)) {
            assertThat(client.serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_3);
        }
    }

    @Test
    void in_lambda_credentials_come_from_the_environment_or_the_container_endpoint_only() {
        try (SecretsManagerClient client = SecretsManagerClients.fromEnvironment(LAMBDA)) {
            assertThat(client.serviceClientConfiguration().credentialsProvider().toString())
                    .contains("EnvironmentVariableCredentialsProvider", "ContainerCredentialsProvider")
                    .doesNotContain("Profile", "InstanceProfile", "WebIdentity", "SystemProperty");
        }
    }
}
