package dev.keyturn.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsFixtureTest {
    private final SecretsFixture secrets = new SecretsFixture(MotoServer.client());

    @Test
    void startRotation_leaves_an_empty_pending_version_beside_current() {
        String arn = secrets.createSecret("fixture", "{\"engine\":\"postgres\"}");

        String token = secrets.startRotation(arn);

        assertThat(secrets.stagesOf(arn, token)).containsExactly("AWSPENDING");
        assertThat(secrets.valueOfVersion(arn, token)).isEmpty();
        assertThat(secrets.valueOfStage(arn, "AWSCURRENT")).isEqualTo("{\"engine\":\"postgres\"}");
        assertThat(secrets.client().describeSecret(r -> r.secretId(arn)).rotationEnabled()).isTrue();
    }
}
