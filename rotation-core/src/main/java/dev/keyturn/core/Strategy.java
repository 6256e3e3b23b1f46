package dev.keyturn.core;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * How a rotation changes credentials. Chosen per function with the {@code ROTATION_STRATEGY}
 * environment variable; there is no default, because the wrong choice locks applications out.
 */
public enum Strategy {
    /** One database user whose password changes; the old password stops working at setSecret. */
    SINGLE_USER("single-user"),
    /**
     * One database user whose password changes while the server keeps accepting the old one
     * until the next rotation, on engines that can hold two passwords for one account.
     */
    SINGLE_USER_OVERLAP("single-user-overlap"),
    /**
     * Two users, {@code name} and {@code name_clone}; each rotation sets a new password on the
     * one not in use and makes it current. Needs a master secret named by {@code masterarn}.
     */
    ALTERNATING_USERS("alternating-users");

    private final String settingValue;

    Strategy(String settingValue) {
        this.settingValue = settingValue;
    }

    public String settingValue() {
        return settingValue;
    }

    public static Optional<Strategy> fromSetting(String value) {
        return Arrays.stream(values()).filter(s -> s.settingValue.equals(value)).findFirst();
    }

    static String allSettingValues() {
        return Arrays.stream(values()).map(Strategy::settingValue).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return settingValue;
    }
}
