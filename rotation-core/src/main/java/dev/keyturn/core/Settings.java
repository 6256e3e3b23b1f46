package dev.keyturn.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The function's configuration, read once from its environment. Every name and default is listed
 * in the README; the password settings keep the names and defaults of the AWS-published functions.
 */
public final class Settings {
    static final String STRATEGY = "ROTATION_STRATEGY";
    static final String OVERLAP_FALLBACK = "OVERLAP_FALLBACK";
    static final String TLS_DEFAULT = "TLS_DEFAULT";
    static final String TLS_CA_BUNDLE = "TLS_CA_BUNDLE";
    static final String TLS_VERIFY_HOSTNAME = "TLS_VERIFY_HOSTNAME";
    static final String CONNECT_TIMEOUT = "DB_CONNECT_TIMEOUT_SECONDS";

    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Strategy strategy;
    private final OverlapFallback overlapFallback;
    private final PasswordPolicy passwordPolicy;
    private final TlsSettings tls;
    /** One instance for the container, so that a key store made from the CA bundle is written once. */
    private final TrustSettings trust;
    private final Duration connectTimeout;

    private Settings(Strategy strategy, OverlapFallback overlapFallback, PasswordPolicy passwordPolicy,
            TlsSettings tls, TrustSettings trust, Duration connectTimeout) {
        this.strategy = strategy;
        this.overlapFallback = overlapFallback;
        this.passwordPolicy = passwordPolicy;
        this.tls = tls;
        this.trust = trust;
        this.connectTimeout = connectTimeout;
    }

    /** What a single-user-overlap rotation does when the server cannot hold two passwords. */
    public enum OverlapFallback {
        /** Fail the rotation and leave the password unchanged. */
        REFUSE,
        /** Log a warning and change the password as plain single-user rotation does. */
        SINGLE_USER
    }

    public static Settings fromEnvironment() {
        return from(System.getenv());
    }

    public static Settings from(Map<String, String> env) {
        String strategyValue = env.get(STRATEGY);
        if (strategyValue == null || strategyValue.isBlank()) {
            throw new ConfigurationException(STRATEGY + " is not set. Set it to one of "
                    + Strategy.allSettingValues() + " (see the README's 'Choosing a strategy').");
        }
        Strategy strategy = Strategy.fromSetting(strategyValue.trim().toLowerCase(Locale.ROOT))
                .orElseThrow(() -> new ConfigurationException(STRATEGY + " is '" + strategyValue
                        + "'. Set it to one of " + Strategy.allSettingValues() + "."));
        TlsSettings tls = tls(env);
        return new Settings(strategy, overlapFallback(env), PasswordPolicy.from(env), tls,
                new TrustSettings(tls.caBundle(), tls.verifyHostname()), connectTimeout(env));
    }

    private static OverlapFallback overlapFallback(Map<String, String> env) {
        String value = env.getOrDefault(OVERLAP_FALLBACK, "refuse").trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "refuse":
                return OverlapFallback.REFUSE;
            case "single-user":
                return OverlapFallback.SINGLE_USER;
            default:
                throw new ConfigurationException(OVERLAP_FALLBACK + " is '" + value
                        + "'. Set it to 'refuse' or 'single-user'.");
        }
    }

    private static TlsSettings tls(Map<String, String> env) {
        String value = env.getOrDefault(TLS_DEFAULT, "required").trim().toLowerCase(Locale.ROOT);
        TlsSettings.Default whenAbsent;
        switch (value) {
            case "required":
                whenAbsent = TlsSettings.Default.REQUIRED;
                break;
            case "preferred":
                whenAbsent = TlsSettings.Default.PREFERRED;
                break;
            case "disabled":
                whenAbsent = TlsSettings.Default.DISABLED;
                break;
            default:
                throw new ConfigurationException(TLS_DEFAULT + " is '" + value
                        + "'. Set it to 'required', 'preferred' or 'disabled'.");
        }
        Optional<Path> caBundle = Optional.ofNullable(env.get(TLS_CA_BUNDLE))
                .filter(path -> !path.isBlank())
                .map(Path::of);
        boolean verifyHostname = readBoolean(env, TLS_VERIFY_HOSTNAME, true);
        return new TlsSettings(whenAbsent, caBundle, verifyHostname);
    }

    private static Duration connectTimeout(Map<String, String> env) {
        String value = env.get(CONNECT_TIMEOUT);
        if (value == null || value.isBlank()) {
            return DEFAULT_CONNECT_TIMEOUT;
        }
        try {
            int seconds = Integer.parseInt(value.trim());
            if (seconds < 1 || seconds > 600) {
                throw new NumberFormatException();
            }
            return Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            throw new ConfigurationException(CONNECT_TIMEOUT + " is '" + value
                    + "'. Set it to a whole number of seconds from 1 to 600.", e);
        }
    }

    static boolean readBoolean(Map<String, String> env, String name, boolean defaultValue) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new ConfigurationException(name + " is '" + value + "'. Set it to 'true' or 'false'.");
        }
    }

    public Strategy strategy() {
        return strategy;
    }

    public OverlapFallback overlapFallback() {
        return overlapFallback;
    }

    public PasswordPolicy passwordPolicy() {
        return passwordPolicy;
    }

    public TlsSettings tls() {
        return tls;
    }

    /** What verified TLS connections trust; the same instance for every connection. */
    public TrustSettings trust() {
        return trust;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** A copy with another strategy; the rest is unchanged. */
    public Settings withStrategy(Strategy other) {
        return new Settings(other, overlapFallback, passwordPolicy, tls, trust, connectTimeout);
    }

    @Override
    public String toString() {
        return "Settings[strategy=" + strategy + ", overlapFallback=" + overlapFallback + ", " + passwordPolicy
                + ", " + tls + ", connectTimeout=" + connectTimeout + "]";
    }
}
