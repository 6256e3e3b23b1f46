package dev.keyturn.it.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Opens each deployable jar that {@code ./mvnw package} wrote and checks what went in: the build
 * fails here when an artifact outgrows its budget or picks up something it must not ship.
 */
class ArtifactContentsTest {
    /** Packages no artifact may hold, each with the reason. */
    private static final Map<String, String> BANNED_PACKAGES = Map.ofEntries(
            Map.entry("io/netty/", "Netty; the functions use the URL-connection HTTP client"),
            Map.entry("software/amazon/awssdk/http/nio/netty/", "the SDK's Netty client"),
            Map.entry("software/amazon/awssdk/http/apache/", "the SDK's Apache client"),
            Map.entry("software/amazon/awssdk/http/apache5/", "the SDK's Apache 5 client"),
            Map.entry("org/apache/http/", "Apache HttpClient 4"),
            Map.entry("org/apache/hc/", "Apache HttpClient 5"),
            Map.entry("com/fasterxml/jackson/databind/", "Jackson databind, which no function uses"),
            Map.entry("com/google/protobuf/", "protobuf, needed only by MySQL's X DevAPI"),
            Map.entry("com/mysql/cj/xdevapi/", "MySQL's X DevAPI, unusable without protobuf"),
            Map.entry("com/mysql/cj/x/", "MySQL's X protocol messages, unusable without protobuf"),
            Map.entry("org/checkerframework/", "compile-time annotations"),
            Map.entry("org/junit/", "test code"),
            Map.entry("org/assertj/", "test code"),
            Map.entry("org/testcontainers/", "test code"),
            Map.entry("dev/keyturn/core/testing/", "the core's test fixtures"));

    /** Signatures of the merged jars are void; a module descriptor would describe only one part. */
    private static final Pattern SIGNATURE_OR_DESCRIPTOR =
            Pattern.compile("META-INF/[^/]+\\.(SF|DSA|RSA|EC)|(.*/)?module-info\\.class");
    private static final Pattern TEST_CLASS = Pattern.compile("dev/keyturn/.*Tests?(\\$.*)?\\.class");

    private static final List<String> RUNTIME_NEEDS = List.of(
            // the Lambda serializer builds SecretsManagerRotationEvent with joda-time from the artifact
            "org/joda/time/DateTime.class",
            "com/amazonaws/services/lambda/runtime/events/SecretsManagerRotationEvent.class",
            "software/amazon/awssdk/services/secretsmanager/SecretsManagerClient.class",
            "software/amazon/awssdk/http/urlconnection/UrlConnectionHttpClient.class",
            "dev/keyturn/core/RotationHandler.class");

    private static final String URL_CONNECTION_CLIENT =
            "software.amazon.awssdk.http.urlconnection.UrlConnectionSdkHttpService";

    private final SamTemplate template = Repository.template();

    @ParameterizedTest
    @EnumSource(LambdaArtifact.class)
    void artifact_should_stay_within_its_size_budget(LambdaArtifact artifact) throws IOException {
        // given
        Path jar = existingJar(artifact);

        // when
        long size = Files.size(jar);

        // then
        assertThat(size)
                .as("%s is %,d bytes; its budget is %,d", jar.getFileName(), size, artifact.budgetBytes)
                .isLessThanOrEqualTo(artifact.budgetBytes);
    }

    @ParameterizedTest
    @EnumSource(LambdaArtifact.class)
    void artifact_should_hold_its_handler_driver_and_what_the_runtime_needs(LambdaArtifact artifact)
            throws IOException {
        // given
        List<String> entries = entries(artifact);

        // when
        String handler = artifact.handlerClass(template).replace('.', '/') + ".class";
        List<String> drivers = artifact.drivers.stream()
                .map(LambdaArtifact.Driver::classEntry)
                .collect(Collectors.toList());

        // then
        assertThat(entries).contains(handler).containsAll(drivers).containsAll(RUNTIME_NEEDS);
    }

    @ParameterizedTest
    @EnumSource(LambdaArtifact.class)
    void artifact_should_hold_no_banned_package(LambdaArtifact artifact) throws IOException {
        // given
        List<String> entries = entries(artifact);

        // when
        Map<String, String> found = BANNED_PACKAGES.entrySet().stream()
                .filter(banned -> entries.stream().anyMatch(entry -> entry.startsWith(banned.getKey())))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));

        // then
        assertThat(found).as("banned packages in %s", artifact).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(LambdaArtifact.class)
    void artifact_should_hold_no_driver_of_another_engine(LambdaArtifact artifact) throws IOException {
        // given
        List<String> entries = entries(artifact);

        // when
        List<LambdaArtifact.Driver> foreign = Arrays.stream(LambdaArtifact.Driver.values())
                .filter(driver -> !artifact.drivers.contains(driver))
                .filter(driver -> entries.stream().anyMatch(entry -> entry.startsWith(driver.packagePrefix)))
                .collect(Collectors.toList());

        // then
        assertThat(foreign).as("drivers %s does not use", artifact).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(LambdaArtifact.class)
    void artifact_should_hold_no_signature_module_descriptor_or_test_class(LambdaArtifact artifact)
            throws IOException {
        // given
        List<String> entries = entries(artifact);

        // when
        List<String> misplaced = entries.stream()
                .filter(entry -> SIGNATURE_OR_DESCRIPTOR.matcher(entry).matches()
                        || TEST_CLASS.matcher(entry).matches())
                .collect(Collectors.toList());

        // then
        assertThat(misplaced).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(LambdaArtifact.class)
    void artifact_should_list_its_drivers_and_http_client_as_services(LambdaArtifact artifact)
            throws IOException {
        // given
        Path jar = existingJar(artifact);

        // when
        String drivers = service(jar, "java.sql.Driver");
        String httpClients = service(jar, "software.amazon.awssdk.http.SdkHttpService");

        // then
        for (LambdaArtifact.Driver driver : artifact.drivers) {
            assertThat(drivers).contains(driver.className);
        }
        assertThat(httpClients).contains(URL_CONNECTION_CLIENT);
    }

    private Path existingJar(LambdaArtifact artifact) {
        Path jar = artifact.jar(template);
        assertThat(jar).as("the %s artifact (template.yaml CodeUri); build it with ./mvnw package", artifact)
                .isRegularFile();
        return jar;
    }

    private List<String> entries(LambdaArtifact artifact) throws IOException {
        try (ZipFile zip = new ZipFile(existingJar(artifact).toFile())) {
            return Collections.list(zip.entries()).stream()
                    .map(ZipEntry::getName)
                    .collect(Collectors.toList());
        }
    }

    private static String service(Path jar, String serviceInterface) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry("META-INF/services/" + serviceInterface);
            if (entry == null) {
                return "";
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }
}
