package dev.keyturn.core;

import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetRandomPasswordRequest;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * The Secrets Manager calls the protocol makes, one method each, so that every call is counted and
 * every failure is reported with the secret and the step. Values are only passed through, never
 * logged.
 */
final class SecretStore {
    private final SecretsManagerClient client;
    private final StepCounters counters;

    SecretStore(SecretsManagerClient client, StepCounters counters) {
        this.client = client;
        this.counters = counters;
    }

    SecretVersions describe(String secretId) {
        DescribeSecretResponse response;
        try {
            response = call("DescribeSecret", secretId, () -> client.describeSecret(r -> r.secretId(secretId)));
        } catch (ResourceNotFoundException e) {
            throw new RotationStateException("secret " + secretId + " does not exist (" + e.awsErrorDetails()
                    .errorMessage() + "). Check the event's SecretId; a deleted secret cannot be rotated.", e);
        }
        return new SecretVersions(Optional.ofNullable(response.rotationEnabled()), response.versionIdsToStages());
    }

    /** The value of one version, or empty when the version exists but has no value yet. */
    Optional<String> valueOfVersion(String secretId, String versionId) {
        try {
            return Optional.of(call("GetSecretValue", secretId,
                    () -> client.getSecretValue(r -> r.secretId(secretId).versionId(versionId)).secretString()));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        }
    }

    /** The value of the version that carries {@code stage}. */
    String valueOfStage(String secretId, String stage) {
        try {
            String value = call("GetSecretValue", secretId,
                    () -> client.getSecretValue(r -> r.secretId(secretId).versionStage(stage)).secretString());
            if (value == null) {
                throw new InvalidSecretException("the " + stage + " version of " + secretId + " has no SecretString. "
                        + "Store the credentials as a JSON object in SecretString.");
            }
            return value;
        } catch (ResourceNotFoundException e) {
            throw new RotationStateException("secret " + secretId + " has no readable " + stage + " version ("
                    + e.awsErrorDetails().errorMessage() + "). Check that the secret exists and that the function's "
                    + "role may read it.", e);
        }
    }

    void putPending(String secretId, String token, String value, String rotationToken) {
        PutSecretValueRequest.Builder request = PutSecretValueRequest.builder()
                .secretId(secretId)
                .clientRequestToken(token)
                .secretString(value)
                .versionStages(SecretVersions.PENDING);
        if (rotationToken != null && !rotationToken.isBlank()) {
            request.rotationToken(rotationToken);
        }
        call("PutSecretValue", secretId, () -> client.putSecretValue(request.build()));
    }

    void moveCurrent(String secretId, String toVersion, String fromVersion) {
        call("UpdateSecretVersionStage", secretId, () -> client.updateSecretVersionStage(r -> r.secretId(secretId)
                .versionStage(SecretVersions.CURRENT)
                .moveToVersionId(toVersion)
                .removeFromVersionId(fromVersion)));
    }

    String randomPassword(PasswordPolicy policy, PasswordRules rules) {
        GetRandomPasswordRequest request = GetRandomPasswordRequest.builder()
                .passwordLength((long) policy.lengthFor(rules))
                .excludeCharacters(policy.excludedCharactersFor(rules))
                .excludeNumbers(policy.excludeNumbers())
                .excludePunctuation(policy.excludePunctuation())
                .excludeUppercase(policy.excludeUppercase())
                .excludeLowercase(policy.excludeLowercase())
                .requireEachIncludedType(policy.requireEachIncludedType())
                .build();
        return call("GetRandomPassword", null, () -> client.getRandomPassword(request).randomPassword());
    }

    private <T> T call(String action, String secretId, java.util.function.Supplier<T> request) {
        counters.secretsManagerCall();
        try {
            return request.get();
        } catch (ResourceNotFoundException e) {
            throw e;
        } catch (SecretsManagerException e) {
            throw new RotationStateException(action + (secretId == null ? "" : " on " + secretId) + " was refused: "
                    + e.awsErrorDetails().errorCode() + " (" + e.awsErrorDetails().errorMessage() + "). "
                    + "Check the function's IAM permissions and the secret's state.", e);
        } catch (SdkClientException e) {
            throw new RotationStateException(action + " could not reach Secrets Manager: " + e.getMessage()
                    + ". A function in a VPC needs a Secrets Manager VPC endpoint or a NAT gateway; "
                    + "set SECRETS_MANAGER_ENDPOINT to the endpoint's URL if it has no private DNS.", e);
        } catch (SdkException e) {
            throw new RotationStateException(action + " failed: " + e.getMessage(), e);
        }
    }
}
