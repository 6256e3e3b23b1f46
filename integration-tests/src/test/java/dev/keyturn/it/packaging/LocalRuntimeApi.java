package dev.keyturn.it.packaging;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Lambda Runtime API, on a loopback port: the HTTP interface through which Lambda hands a
 * function's runtime its invocations and takes back their results. Lambda itself cannot run here,
 * so this stands in for it at that boundary; everything on the other side of it (the runtime
 * interface client, the serializer, the artifact) is the real thing.
 *
 * <p>It also serves the container credentials endpoint, because a SnapStart function gets its AWS
 * credentials from such an endpoint rather than from environment variables.
 */
final class LocalRuntimeApi implements AutoCloseable {
    private static final String RUNTIME = "/2018-06-01/runtime/";
    private static final String INVOCATION = RUNTIME + "invocation/";
    static final String CREDENTIALS_PATH = "/2021-04-23/credentials";

    /** The result of one invocation: the response payload, or the error the runtime reported. */
    record Result(boolean failed, String body, String errorType) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(daemonThreads());
    private final BlockingQueue<Invocation> queue = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<Result>> results = new ConcurrentHashMap<>();
    private final String functionArn;
    private final Duration timeout;
    private final String credentialsToken = UUID.randomUUID().toString();
    private final AtomicInteger restores = new AtomicInteger();
    private final AtomicInteger credentialRequests = new AtomicInteger();
    private volatile String abandonedBecause;

    private record Invocation(String requestId, String event) {
    }

    private LocalRuntimeApi(String functionArn, Duration timeout) throws IOException {
        this.functionArn = functionArn;
        this.timeout = timeout;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * @param functionArn what Lambda-Runtime-Invoked-Function-Arn says
     * @param timeout the function's timeout, which sets each invocation's deadline
     */
    static LocalRuntimeApi start(String functionArn, Duration timeout) {
        try {
            return new LocalRuntimeApi(functionArn, timeout);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a loopback port for the Runtime API", e);
        }
    }

    /** host:port, the value of AWS_LAMBDA_RUNTIME_API. */
    String address() {
        return server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    String credentialsUri() {
        return "http://" + address() + CREDENTIALS_PATH;
    }

    String credentialsToken() {
        return credentialsToken;
    }

    /** How often the runtime reported that it is ready to be restored from a SnapStart snapshot. */
    int restores() {
        return restores.get();
    }

    int credentialRequests() {
        return credentialRequests.get();
    }

    /** Hands the event to the function and waits, at most the function's timeout, for the result. */
    Result invoke(String event) {
        String requestId = UUID.randomUUID().toString();
        CompletableFuture<Result> result = new CompletableFuture<>();
        results.put(requestId, result);
        if (abandonedBecause != null) {
            result.completeExceptionally(new IllegalStateException(abandonedBecause));
        }
        queue.add(new Invocation(requestId, event));
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the function ran", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the function gave no result within its timeout, " + timeout, e);
        }
    }

    /** Fails every invocation that waits, and every later one: the function is gone. */
    void abandon(String reason) {
        abandonedBecause = reason;
        results.values().forEach(result -> result.completeExceptionally(new IllegalStateException(reason)));
    }

    @Override
    public void close() {
        // first release the handler that waits for the next event, or stop() would wait for it
        executor.shutdownNow();
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if ("GET".equals(method) && path.equals(INVOCATION + "next")) {
                nextInvocation(exchange);
            } else if ("POST".equals(method) && path.startsWith(INVOCATION) && path.endsWith("/response")) {
                complete(exchange, path, "/response", false);
            } else if ("POST".equals(method) && path.startsWith(INVOCATION) && path.endsWith("/error")) {
                complete(exchange, path, "/error", true);
            } else if ("POST".equals(method) && path.equals(RUNTIME + "init/error")) {
                failedToStart(exchange, "initialisation");
            } else if ("POST".equals(method) && path.equals(RUNTIME + "restore/error")) {
                failedToStart(exchange, "restore");
            } else if ("GET".equals(method) && path.equals(RUNTIME + "restore/next")) {
                restores.incrementAndGet();
                respond(exchange, 200, "");
            } else if ("GET".equals(method) && path.equals(CREDENTIALS_PATH)) {
                credentials(exchange);
            } else {
                respond(exchange, 404, "");
            }
        }
    }

    private void nextInvocation(HttpExchange exchange) throws IOException {
        Invocation invocation;
        try {
            invocation = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            respond(exchange, 500, "");
            return;
        }
        long deadline = Instant.now().plus(timeout).toEpochMilli();
        exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
        exchange.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms", String.valueOf(deadline));
        exchange.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn", functionArn);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        respond(exchange, 200, invocation.event());
    }

    private void complete(HttpExchange exchange, String path, String suffix, boolean failed)
            throws IOException {
        String requestId = path.substring(INVOCATION.length(), path.length() - suffix.length());
        String body = body(exchange);
        String errorType = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
        CompletableFuture<Result> result = results.remove(requestId);
        if (result == null) {
            respond(exchange, 400, "{\"errorMessage\":\"unknown request id\"}");
            return;
        }
        result.complete(new Result(failed, body, errorType));
        respond(exchange, 202, "{\"status\":\"OK\"}");
    }

    private void failedToStart(HttpExchange exchange, String phase) throws IOException {
        abandon("the function failed during " + phase + ": " + body(exchange));
        respond(exchange, 202, "{\"status\":\"OK\"}");
    }

    private void credentials(HttpExchange exchange) throws IOException {
        credentialRequests.incrementAndGet();
        if (!credentialsToken.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            respond(exchange, 403, "");
            return;
        }
        // dummy keys: moto accepts any signature
        String expiration = Instant.now().plus(Duration.ofHours(6)).toString();
        respond(exchange, 200, "{\"AccessKeyId\":\"AKIDKEYTURNTEST\",\"SecretAccessKey\":\"test\","
                + "\"Token\":\"test\",\"Expiration\":\"" + expiration + "\"}");
    }

    private static String body(HttpExchange exchange) throws IOException {
        return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        return runnable -> {
            Thread thread = new Thread(runnable, "local-runtime-api");
            thread.setDaemon(true);
            return thread;
        };
    }
}
