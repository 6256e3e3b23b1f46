package dev.keyturn.core;

import java.util.Map;

/**
 * What the function asks {@code GetRandomPassword} for, from the same environment variables, with
 * the same defaults, as the AWS-published rotation functions. An engine's {@link PasswordRules}
 * are applied on top, so that a setting can narrow what an engine accepts but never widen it.
 */
public final class PasswordPolicy {
    static final String LENGTH = "PASSWORD_LENGTH";
    static final String EXCLUDE_CHARACTERS = "EXCLUDE_CHARACTERS";
    static final String EXCLUDE_NUMBERS = "EXCLUDE_NUMBERS";
    static final String EXCLUDE_PUNCTUATION = "EXCLUDE_PUNCTUATION";
    static final String EXCLUDE_UPPERCASE = "EXCLUDE_UPPERCASE";
    static final String EXCLUDE_LOWERCASE = "EXCLUDE_LOWERCASE";
    static final String REQUIRE_EACH_INCLUDED_TYPE = "REQUIRE_EACH_INCLUDED_TYPE";

    static final String DEFAULT_EXCLUDED_CHARACTERS = "/@\"'\\";

    private final Integer length;
    private final String excludeCharacters;
    private final boolean excludeNumbers;
    private final boolean excludePunctuation;
    private final boolean excludeUppercase;
    private final boolean excludeLowercase;
    private final boolean requireEachIncludedType;

    PasswordPolicy(Integer length, String excludeCharacters, boolean excludeNumbers, boolean excludePunctuation,
            boolean excludeUppercase, boolean excludeLowercase, boolean requireEachIncludedType) {
        this.length = length;
        this.excludeCharacters = excludeCharacters;
        this.excludeNumbers = excludeNumbers;
        this.excludePunctuation = excludePunctuation;
        this.excludeUppercase = excludeUppercase;
        this.excludeLowercase = excludeLowercase;
        this.requireEachIncludedType = requireEachIncludedType;
    }

    static PasswordPolicy from(Map<String, String> env) {
        PasswordPolicy policy = new PasswordPolicy(length(env),
                env.getOrDefault(EXCLUDE_CHARACTERS, DEFAULT_EXCLUDED_CHARACTERS),
                Settings.readBoolean(env, EXCLUDE_NUMBERS, false),
                Settings.readBoolean(env, EXCLUDE_PUNCTUATION, false),
                Settings.readBoolean(env, EXCLUDE_UPPERCASE, false),
                Settings.readBoolean(env, EXCLUDE_LOWERCASE, false),
                Settings.readBoolean(env, REQUIRE_EACH_INCLUDED_TYPE, true));
        if (policy.excludeNumbers && policy.excludePunctuation && policy.excludeUppercase && policy.excludeLowercase) {
            throw new ConfigurationException("EXCLUDE_NUMBERS, EXCLUDE_PUNCTUATION, EXCLUDE_UPPERCASE and "
                    + "EXCLUDE_LOWERCASE are all true, which leaves no character to build a password from. "
                    + "Set at least one of them to false.");
        }
        return policy;
    }

    private static Integer length(Map<String, String> env) {
        String value = env.get(LENGTH);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < 8 || parsed > 4096) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigurationException(LENGTH + " is '" + value + "'. Set it to a whole number from 8 to 4096.",
                    e);
        }
    }

    /** The length to ask for: the setting, else the engine's default, never above the engine's maximum. */
    public int lengthFor(PasswordRules rules) {
        int wanted = length == null ? rules.defaultLength() : length;
        return Math.min(wanted, rules.maxLength());
    }

    public boolean lengthCappedBy(PasswordRules rules) {
        return length != null && length > rules.maxLength();
    }

    /** The setting's excluded characters plus the ones the engine refuses. */
    public String excludedCharactersFor(PasswordRules rules) {
        StringBuilder all = new StringBuilder(excludeCharacters);
        rules.excludedCharacters().chars()
                .filter(c -> all.indexOf(String.valueOf((char) c)) < 0)
                .forEach(c -> all.append((char) c));
        return all.toString();
    }

    public boolean excludeNumbers() {
        return excludeNumbers;
    }

    public boolean excludePunctuation() {
        return excludePunctuation;
    }

    public boolean excludeUppercase() {
        return excludeUppercase;
    }

    public boolean excludeLowercase() {
        return excludeLowercase;
    }

    public boolean requireEachIncludedType() {
        return requireEachIncludedType;
    }

    @Override
    public String toString() {
        return "PasswordPolicy[length=" + (length == null ? "engine default" : length)
                + ", excludeNumbers=" + excludeNumbers + ", excludePunctuation=" + excludePunctuation
                + ", excludeUppercase=" + excludeUppercase + ", excludeLowercase=" + excludeLowercase
                + ", requireEachIncludedType=" + requireEachIncludedType + "]";
    }
}
