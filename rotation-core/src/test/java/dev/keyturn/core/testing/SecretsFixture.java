package dev.keyturn.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.SecretsManagerRotationEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretVersionsListEntry;

/**
 * Puts secrets into the state Secrets Manager leaves them in before it invokes a rotation function,
 * and reads back what a rotation did. Works against moto without relying on where moto differs from
 * AWS: every read names a stage or a version id.
 */
public final class SecretsFixture {
    /** A Lambda ARN that does not exist: moto then answers RotateSecret with an error but keeps the rotation. */
    private static final String ABSENT_FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:keyturn-absent";

    private final SecretsManagerClient client;

    public SecretsFixture(SecretsManagerClient client) {
        this.client = client;
    }

    public SecretsManagerClient client() {
        return client;
    }

    /** Creates a secret with a unique name and returns its ARN. */
    public String createSecret(String namePrefix, String value) {
        String name = namePrefix + "-" + UUID.randomUUID();
        return client.createSecret(r -> r.name(name).secretString(value)).arn();
    }

    /**
     * Starts a rotation as RotateSecret does: an AWSPENDING version with no value, and rotation on.
     * A finished rotation can leave AWSPENDING on the AWSCURRENT version, which AWS tolerates but
     * moto's inverted "rotation in progress" check does not; that label is removed first.
     *
     * @return the rotation's token
     */
    public String startRotation(String secretArn) {
        stages(secretArn).forEach((version, stages) -> {
            if (stages.contains("AWSCURRENT") && stages.contains("AWSPENDING")) {
                client.updateSecretVersionStage(r -> r.secretId(secretArn)
                        .versionStage("AWSPENDING")
                        .removeFromVersionId(version));
            }
        });
        String token = UUID.randomUUID().toString();
        assertThatThrownBy(() -> client.rotateSecret(r -> r.secretId(secretArn)
                .clientRequestToken(token)
                .rotationLambdaARN(ABSENT_FUNCTION)
                .rotationRules(rules -> rules.automaticallyAfterDays(30L))))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(stagesOf(secretArn, token)).contains("AWSPENDING");
        return token;
    }

    public static SecretsManagerRotationEvent event(String step, String secretArn, String token) {
        SecretsManagerRotationEvent event = new SecretsManagerRotationEvent();
        event.setStep(step);
        event.setSecretId(secretArn);
        event.setClientRequestToken(token);
        return event;
    }

    public Map<String, List<String>> stages(String secretArn) {
        return client.describeSecret(r -> r.secretId(secretArn)).versionIdsToStages();
    }

    public List<String> stagesOf(String secretArn, String versionId) {
        return stages(secretArn).getOrDefault(versionId, List.of());
    }

    public String valueOfStage(String secretArn, String stage) {
        return client.getSecretValue(r -> r.secretId(secretArn).versionStage(stage)).secretString();
    }

    public Optional<String> valueOfVersion(String secretArn, String versionId) {
        try {
            return Optional.ofNullable(client.getSecretValue(r -> r.secretId(secretArn).versionId(versionId))
                    .secretString());
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Every value any version of the secret holds, for leak checks. */
    public List<String> allValues(String secretArn) {
        List<String> values = new ArrayList<>();
        for (SecretVersionsListEntry version : client.listSecretVersionIds(r -> r.secretId(secretArn)
                .includeDeprecated(true)).versions()) {
            valueOfVersion(secretArn, version.versionId()).ifPresent(values::add);
        }
        return values;
    }
}
