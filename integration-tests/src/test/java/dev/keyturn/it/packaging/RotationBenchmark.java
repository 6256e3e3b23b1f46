package dev.keyturn.it.packaging;

import dev.keyturn.core.testing.MotoServer;
import dev.keyturn.core.testing.SecretsFixture;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/**
 * Measures each deployable artifact as Lambda runs it (see {@link LambdaFunction}): the jar in the
 * Lambda Java runtime interface client, with template.yaml's JAVA_TOOL_OPTIONS and the options of
 * Lambda's own bootstrap, against moto as Secrets Manager and the PostgreSQL and MariaDB servers of
 * {@code scripts/test-services}. It reports cold starts with and without the SnapStart runtime hooks,
 * warm rotation latency, the Secrets Manager calls and database logins of each rotation, peak memory
 * and artifact sizes, as a markdown table on standard output and in {@code target/benchmark.md}.
 *
 * <p>Not a test: it times things, and tests never do. Run it with
 * {@code ./mvnw -q -pl integration-tests -Pbenchmark verify}. System properties (all optional):
 * {@code keyturn.benchmark.rotations} (warm rotations, default 50), {@code keyturn.benchmark.coldStarts}
 * (fresh processes per runtime-hook setting, default 3), {@code keyturn.benchmark.engines} (a comma
 * list of postgres, mariadb, mysql, aurora-mysql; default all).
 */
public final class RotationBenchmark {
    private static final String PREFIX = "keyturn-benchmark";
    /** Enough to pass from the base user to the clone and back, twice. */
    private static final int ALTERNATING_ROTATIONS = 4;

    /** A function and the server it rotates an account on. */
    record Subject(String name, LambdaArtifact artifact, String secretEngine, TestDatabase database, String note) {
    }

    static final List<Subject> SUBJECTS = List.of(
            new Subject("postgres", LambdaArtifact.POSTGRES, "postgres", TestDatabase.POSTGRES, ""),
            new Subject("mariadb", LambdaArtifact.MARIADB, "mariadb", TestDatabase.MARIADB, ""),
            new Subject("mysql", LambdaArtifact.MYSQL, "mysql", TestDatabase.MARIADB,
                    "MariaDB 10.11 stands in for MySQL"),
            new Subject("aurora-mysql", LambdaArtifact.AURORA, "aurora-mysql", TestDatabase.MARIADB,
                    "MariaDB 10.11 stands in for Aurora MySQL"));

    /** One fresh process: its first rotation, timed from the process's start. */
    record ColdRun(boolean runtimeHooks, long initNanos, long firstStepNanos, long toFirstAnswerNanos,
            long toFourthAnswerNanos, long firstRotationNanos, int classesAtReady, int classesAtFirstAnswer,
            int classesAtFourthAnswer) {
    }

    /** The long-lived process: its cold first rotation, then warm ones, all counted. */
    private record WarmRun(ColdRun first, List<Long> rotationNanos, long peakResidentKilobytes,
            RotationCounts counts) {
    }

    /** Everything measured for one subject; {@code problem} is set when a part could not run. */
    record Result(Subject subject, long artifactBytes, List<ColdRun> coldRuns, List<Long> warmRotationNanos,
            long peakResidentKilobytes, RotationCounts singleUser, RotationCounts alternating, String problem) {
    }

    private final int warmRotations = Integer.getInteger("keyturn.benchmark.rotations", 50);
    private final int coldStarts = Integer.getInteger("keyturn.benchmark.coldStarts", 3);
    private final SecretsFixture secrets = new SecretsFixture(MotoServer.client());
    private final Path workRoot = Repository.root().resolve("integration-tests/target/benchmark");
    private final Map<String, String> adminCredentials = readAdminCredentials();

    private RotationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        // the local Runtime API would otherwise hold each small response back by Nagle's algorithm until
        // the runtime's delayed ACK (40 ms on Linux): a cost of this stand-in, not of Lambda or the function
        System.setProperty("sun.net.httpserver.nodelay", "true");
        String loadAtStart = BenchmarkReport.loadAverage();
        RotationBenchmark benchmark = new RotationBenchmark();
        deleteRecursively(benchmark.workRoot);
        List<Result> results = new ArrayList<>();
        for (Subject subject : benchmark.selectedSubjects()) {
            results.add(benchmark.measure(subject));
        }
        String report = new BenchmarkReport(results, benchmark.warmRotations, benchmark.coldStarts, loadAtStart)
                .markdown();
        Path file = Repository.root().resolve("integration-tests/target/benchmark.md");
        Files.writeString(file, report);
        System.out.println(report);
        System.out.println("Written to " + file);
        System.exit(0);
    }

    private List<Subject> selectedSubjects() {
        List<String> names = List.of(System.getProperty("keyturn.benchmark.engines",
                SUBJECTS.stream().map(Subject::name).collect(Collectors.joining(","))).split(","));
        return SUBJECTS.stream().filter(subject -> names.contains(subject.name())).collect(Collectors.toList());
    }

    private Result measure(Subject subject) throws IOException, SQLException {
        Path jar = subject.artifact().jar(Repository.template());
        if (!Files.isRegularFile(jar)) {
            return failed(subject, 0, jar.getFileName() + " is not built");
        }
        long size = Files.size(jar);
        progress(subject, "single-user rotations");
        TestDatabase.Account account = subject.database().createAccount();
        try {
            String secretArn = secrets.createSecret(PREFIX, secretValue(subject, account, null));
            WarmRun warm = warmProcess(subject, secretArn);
            List<ColdRun> coldRuns = new ArrayList<>(List.of(warm.first()));
            progress(subject, "cold starts");
            // the warm process was the first start with hooks; the others alternate, so drift hits both alike
            for (int i = 0; i < coldStarts; i++) {
                if (i > 0) {
                    coldRuns.add(coldProcess(subject, secretArn, true, "cold-hooks-" + i));
                }
                coldRuns.add(coldProcess(subject, secretArn, false, "cold-no-hooks-" + i));
            }
            progress(subject, "alternating-users rotations");
            return new Result(subject, size, coldRuns, warm.rotationNanos(), warm.peakResidentKilobytes(),
                    warm.counts(), alternating(subject), null);
        } catch (RuntimeException e) {
            return failed(subject, size, e.getMessage());
        } finally {
            subject.database().dropAccount(account);
        }
    }

    /** The first process: a cold rotation, then the warm ones, then its peak memory. */
    private WarmRun warmProcess(Subject subject, String secretArn) throws IOException {
        String token = secrets.startRotation(secretArn);
        try (MeasuredFunction function = start(subject, "warm", Map.of(), true)) {
            ColdRun first = firstRotation(function, secretArn, token, true);
            List<Long> rotations = new ArrayList<>();
            for (int i = 0; i < warmRotations; i++) {
                String next = secrets.startRotation(secretArn);
                long started = System.nanoTime();
                long[] answered = function.rotate(secretArn, next);
                rotations.add(answered[3] - started);
            }
            return new WarmRun(first, rotations, function.peakResidentKilobytes(),
                    RotationCounts.of(StepMetricLine.allIn(function.output())));
        }
    }

    private ColdRun coldProcess(Subject subject, String secretArn, boolean runtimeHooks, String runName)
            throws IOException {
        String token = secrets.startRotation(secretArn);
        try (MeasuredFunction function = start(subject, runName, Map.of(), runtimeHooks)) {
            return firstRotation(function, secretArn, token, runtimeHooks);
        }
    }

    private static ColdRun firstRotation(MeasuredFunction function, String secretArn, String token,
            boolean runtimeHooks) throws IOException {
        long ready = function.awaitReady();
        long[] answered = function.rotate(secretArn, token);
        function.writeClassesByPhase(ready, answered);
        long started = function.startedNanos();
        return new ColdRun(runtimeHooks, ready - started, answered[0] - ready, answered[0] - started,
                answered[3] - started, answered[3] - ready, function.classesLoadedBy(ready),
                function.classesLoadedBy(answered[0]), function.classesLoadedBy(answered[3]));
    }

    private RotationCounts alternating(Subject subject) throws IOException, SQLException {
        TestDatabase.Account account = subject.database().createAccount();
        TestDatabase.Account clone = new TestDatabase.Account(account.user() + "_clone", "");
        try {
            String masterArn = secrets.createSecret(PREFIX + "-master", masterValue(subject));
            String secretArn = secrets.createSecret(PREFIX + "-alternating", secretValue(subject, account, masterArn));
            try (MeasuredFunction function = start(subject, "alternating",
                    Map.of("ROTATION_STRATEGY", "alternating-users"), true)) {
                for (int i = 0; i < ALTERNATING_ROTATIONS; i++) {
                    function.rotate(secretArn, secrets.startRotation(secretArn));
                }
                return RotationCounts.of(StepMetricLine.allIn(function.output()));
            }
        } finally {
            subject.database().dropAccount(clone);
            subject.database().dropAccount(account);
        }
    }

    private MeasuredFunction start(Subject subject, String runName, Map<String, String> settings,
            boolean runtimeHooks) throws IOException {
        Map<String, String> environment = new HashMap<>(settings);
        environment.put("SECRETS_MANAGER_ENDPOINT", MotoServer.endpoint().toString());
        environment.put("TLS_CA_BUNDLE", TestServices.get().caBundle().toString());
        return MeasuredFunction.start(subject.artifact(), environment,
                workRoot.resolve(subject.name()).resolve(runName), runtimeHooks);
    }

    private static Result failed(Subject subject, long size, String problem) {
        return new Result(subject, size, List.of(), List.of(), 0, null, null, problem);
    }

    /** The secret as RDS writes it, without 'ssl': TLS_DEFAULT=required then means verified TLS. */
    private static String secretValue(Subject subject, TestDatabase.Account account, String masterArn) {
        return value(subject, account.user(), account.password(), masterArn);
    }

    private String masterValue(Subject subject) {
        String prefix = subject.database() == TestDatabase.POSTGRES ? "KEYTURN_PG" : "KEYTURN_MARIADB";
        return value(subject, adminCredentials.get(prefix + "_ADMIN_USER"),
                adminCredentials.get(prefix + "_ADMIN_PASSWORD"), null);
    }

    private static String value(Subject subject, String user, String password, String masterArn) {
        JsonWriter json = JsonWriter.create();
        json.writeStartObject();
        json.writeFieldName("engine").writeValue(subject.secretEngine());
        json.writeFieldName("host").writeValue(TestServices.HOST);
        json.writeFieldName("port").writeValue(subject.database().port);
        json.writeFieldName("username").writeValue(user);
        json.writeFieldName("password").writeValue(password);
        if (subject.database().dbname.isPresent()) {
            json.writeFieldName("dbname").writeValue(subject.database().dbname.get());
        }
        if (masterArn != null) {
            json.writeFieldName("masterarn").writeValue(masterArn);
        }
        json.writeEndObject();
        return new String(json.getBytes(), StandardCharsets.UTF_8);
    }

    /** The admin accounts scripts/test-services created; its file is KEY=value lines. */
    private static Map<String, String> readAdminCredentials() {
        TestServices.get();
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Repository.root().resolve(".test-services/credentials"))) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read .test-services/credentials", e);
        }
        Map<String, String> credentials = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> credentials.put(name, properties.getProperty(name)));
        return credentials;
    }

    private static void progress(Subject subject, String what) {
        System.err.println("benchmark: " + subject.name() + ": " + what);
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.delete(path);
            }
        }
    }
}
