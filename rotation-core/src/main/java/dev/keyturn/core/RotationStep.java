package dev.keyturn.core;

import java.util.Arrays;
import java.util.Optional;

/** The four steps Secrets Manager invokes, in the order it invokes them. */
public enum RotationStep {
    CREATE_SECRET("createSecret"),
    SET_SECRET("setSecret"),
    TEST_SECRET("testSecret"),
    FINISH_SECRET("finishSecret");

    private final String wireName;

    RotationStep(String wireName) {
        this.wireName = wireName;
    }

    /** The name Secrets Manager puts in the event's {@code Step} field. */
    public String wireName() {
        return wireName;
    }

    public static Optional<RotationStep> fromWireName(String name) {
        return Arrays.stream(values()).filter(step -> step.wireName.equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
