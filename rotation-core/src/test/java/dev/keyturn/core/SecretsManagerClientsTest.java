package dev.keyturn.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.core.testing.MotoServer;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The function's own client, built from its environment. The region and credentials come from the
 * SDK's system properties here, as they come from the Lambda environment in AWS.
 */
class SecretsManagerClientsTest {
    private static final String[] SDK_PROPERTIES = {"aws.region", "aws.accessKeyId", "aws.secretAccessKey"};

    @BeforeEach
    void region_and_credentials_as_lambda_provides_them() {
        System.setProperty("aws.region", MotoServer.REGION.id());
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
    }

    @AfterEach
    void forget_them() {
        for (String property : SDK_PROPERTIES) {
            System.clearProperty(property);
        }
    }

    @Test
    void SECRETS_MANAGER_ENDPOINT_is_where_the_client_sends_its_calls() {
        // given
        String endpoint = MotoServer.endpoint().toString();

        // when
        try (SecretsManagerClient client = SecretsManagerClients.fromEnvironment(
                Map.of("SECRETS_MANAGER_ENDPOINT", " " + endpoint + " "))) {

            // then the emulator answers, which only it can
            assertThat(client.serviceClientConfiguration().endpointOverride()).contains(MotoServer.endpoint());
            assertThat(client.getRandomPassword(r -> r.passwordLength(12L)).randomPassword()).hasSize(12);
        }
    }

    @Test
    void without_SECRETS_MANAGER_ENDPOINT_the_sdk_chooses_the_endpoint() {
        try (SecretsManagerClient client = SecretsManagerClients.fromEnvironment(Map.of())) {
            assertThat(client.serviceClientConfiguration().endpointOverride()).isEmpty();
            assertThat(client.serviceClientConfiguration().region()).isEqualTo(MotoServer.REGION);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"secretsmanager.us-east-1.amazonaws.com", "https://", "http://bad host", "::"})
    void a_SECRETS_MANAGER_ENDPOINT_that_is_not_a_url_is_refused_naming_the_variable(String endpoint) {
        assertThatThrownBy(() -> SecretsManagerClients.fromEnvironment(Map.of("SECRETS_MANAGER_ENDPOINT", endpoint)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("SECRETS_MANAGER_ENDPOINT is '" + endpoint + "', which is not a URL");
    }
}
