package dev.keyturn.core;

import java.util.Optional;

/**
 * What an engine accepts as a password: applied to every generated password, and checked on every
 * password the function sends to the server, including ones it did not generate.
 *
 * @param defaultLength the length generated when {@code PASSWORD_LENGTH} is not set
 * @param maxLength the longest password the engine, or RDS, accepts
 * @param excludedCharacters characters the engine, RDS or the statement form cannot carry
 * @param firstCharacterLetter whether the password must start with a letter
 */
public record PasswordRules(int defaultLength, int maxLength, String excludedCharacters,
        boolean firstCharacterLetter) {

    public PasswordRules {
        if (defaultLength > maxLength) {
            throw new IllegalArgumentException("default length above the maximum");
        }
    }

    /** Rules for engines that accept any printable password up to {@code maxLength}. */
    public static PasswordRules upTo(int maxLength) {
        return new PasswordRules(Math.min(32, maxLength), maxLength, "", false);
    }

    public PasswordRules excluding(String characters) {
        return new PasswordRules(defaultLength, maxLength, excludedCharacters + characters, firstCharacterLetter);
    }

    public PasswordRules withDefaultLength(int length) {
        return new PasswordRules(length, maxLength, excludedCharacters, firstCharacterLetter);
    }

    public PasswordRules startingWithLetter() {
        return new PasswordRules(defaultLength, maxLength, excludedCharacters, true);
    }

    /**
     * Moves the first letter to the front when the rules want one there. A permutation keeps the
     * character counts, so a password that had every required type still has them.
     */
    String arrange(String password) {
        if (!firstCharacterLetter || password.isEmpty() || Character.isLetter(password.charAt(0))) {
            return password;
        }
        for (int i = 1; i < password.length(); i++) {
            if (Character.isLetter(password.charAt(i))) {
                return password.charAt(i) + password.substring(0, i) + password.substring(i + 1);
            }
        }
        return password;
    }

    /** Why the password breaks these rules, never quoting the password itself; empty when it fits. */
    public Optional<String> violation(String password) {
        if (password.isEmpty()) {
            return Optional.of("the password is empty");
        }
        if (password.length() > maxLength) {
            return Optional.of("the password has " + password.length() + " characters, over the engine's limit of "
                    + maxLength);
        }
        for (int i = 0; i < password.length(); i++) {
            char c = password.charAt(i);
            if (excludedCharacters.indexOf(c) >= 0) {
                return Optional.of("the password contains a character the engine refuses (one of "
                        + excludedCharacters + ")");
            }
            if (Character.isISOControl(c)) {
                return Optional.of("the password contains a control character");
            }
        }
        if (firstCharacterLetter && !Character.isLetter(password.charAt(0))) {
            return Optional.of("the password does not start with a letter");
        }
        return Optional.empty();
    }
}
