package dev.keyturn.core;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code DescribeSecret} says about a secret: whether rotation is on, and which labels each
 * version carries.
 *
 * @param rotationEnabled empty when the service does not say
 * @param stagesByVersion version id to its labels
 */
public record SecretVersions(Optional<Boolean> rotationEnabled, Map<String, List<String>> stagesByVersion) {
    public static final String CURRENT = "AWSCURRENT";
    public static final String PENDING = "AWSPENDING";
    public static final String PREVIOUS = "AWSPREVIOUS";

    public boolean hasVersion(String versionId) {
        return stagesByVersion.containsKey(versionId);
    }

    public boolean versionHas(String versionId, String stage) {
        return stagesByVersion.getOrDefault(versionId, List.of()).contains(stage);
    }

    /** The version that carries {@code stage}; with several (which only emulators allow), the first. */
    public Optional<String> versionWith(String stage) {
        return stagesByVersion.entrySet().stream()
                .filter(entry -> entry.getValue().contains(stage))
                .map(Map.Entry::getKey)
                .findFirst();
    }
}
