package dev.cmr.cli;

import dev.cmr.model.FullCmrModel;
import dev.cmr.model.Gpt2Config;
import dev.cmr.model.Gpt2Weights;
import dev.cmr.model.SeededInit;
import dev.cmr.model.opencl.OpenClDevice;
import dev.cmr.monitor.CmrPerformanceMonitor;
import dev.cmr.monitor.MonitoringConfig;
import dev.cmr.monitor.http.MonitorServer;
import dev.cmr.monitor.http.ServerOptions;
import dev.cmr.serve.GenerateHandler;
import dev.cmr.serve.GenerateRequest;
import dev.cmr.serve.Generator;
import dev.cmr.serve.InferenceService;
import dev.cmr.serve.Replicas;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Serves the reference CMR model over HTTP with the monitor attached: {@code POST /v1/generate} (see
 * {@link GenerateHandler}) beside the monitor server's dashboard, health, JSON API and metrics. One model replica per
 * {@code --workers} (each worker owns its replica; on OpenCL the device timeline is bound to the first replica's
 * queue), a request queue of {@code --queue}. Every option is checked before any work (exit 2 naming it). Runs
 * until SIGTERM or SIGINT: a shutdown hook takes {@link ServeRun#shutdown()} (finish accepted requests within
 * {@code --grace} seconds, write the reports into {@code --out}), then the command returns 0. Exit 1 when the
 * server cannot start (the port is taken...).
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the reference CMR model over HTTP (POST /v1/generate) with the monitor's dashboard, "
                + "health, API and metrics. Runs until SIGTERM; then writes report.json and stats.json (and the "
                + "profile files when something was profiled) into --out. Exit 0: stopped; 1: could not start; "
                + "2: a bad option.")
final class ServeCommand implements Callable<Integer> {
    static final int MAX_WORKERS = 16;
    static final int MAX_QUEUE = 1024;
    static final int MAX_GRACE_SECONDS = 3600;
    /** Handler threads beyond the ones generate requests can hold: the dashboard, health and metrics stay served. */
    static final int SPARE_THREADS = 4;

    @Option(names = "--port", defaultValue = "8080", description = "Port; 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", defaultValue = ServerOptions.DEFAULT_BIND,
            description = "Address to bind; anything but loopback needs --token-file or --insecure "
                    + "(default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--device", defaultValue = "auto",
            description = DeviceChoice.MODES + "; auto runs on OpenCL when a device exists (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--token-file", description = "A file holding the bearer token every request must present.")
    Path tokenFile;

    @Option(names = "--insecure", description = "Serve a non-loopback address without a token.")
    boolean insecure;

    @Option(names = "--config", description = "A MonitoringConfig JSON file.")
    Path config;

    @Option(names = "--workers", defaultValue = "1",
            description = "Worker threads, each with its own model replica (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--queue", defaultValue = "16",
            description = "Requests that may wait for a worker; more get 503 (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--grace", defaultValue = "30",
            description = "Seconds accepted requests get to finish at shutdown (default: ${DEFAULT-VALUE}).")
    int graceSeconds;

    @Option(names = "--seed", defaultValue = "42", description = "Weight seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "cmr-serve-out",
            description = "Folder for the reports written at shutdown (default: ${DEFAULT-VALUE}).")
    Path out;

    @Spec
    CommandSpec spec;

    /** Completes with the running server once it listens (tests take it from here). */
    final CompletableFuture<ServeRun> started = new CompletableFuture<>();
    /** Wraps each worker's generator; tests gate the workers with it. */
    UnaryOperator<Generator> workerWrapper = UnaryOperator.identity();
    /** Whether to install the JVM shutdown hook (tests call {@link ServeRun#shutdown()} themselves). */
    boolean shutdownHook = true;

    private final PrintStream console = System.out;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        MonitoringConfig monitoring;
        ServerOptions.Builder server;
        DeviceChoice choice;
        try {
            checkOptions();
            monitoring = monitoringConfig();
            server = serverOptions();
            choice = DeviceChoice.choose(device, DeviceChoice.needsDetection(device) ? OpenClDevice.detect()
                    : new OpenClDevice.Detection(null, "not probed"));
            OutputFolder.prepare("--out", out);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            err.println("serve: " + e.getMessage());
            started.completeExceptionally(e);
            return ExitCodes.BAD_INPUT;
        }
        ServeRun run;
        try {
            run = start(choice, monitoring, server);
        } catch (RuntimeException e) {
            started.completeExceptionally(e);
            // ErrorLines prints it as one line, exit 1, with the stack trace under --verbose.
            throw new IllegalStateException("cannot start: " + (e.getMessage() == null ? e.toString()
                    : e.getMessage()), e);
        }
        Thread hook = new Thread(run::shutdown, "cmr-serve-shutdown");
        if (shutdownHook) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        started.complete(run);
        try {
            run.awaitStopped();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.shutdown();
        }
        if (shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is what stopped the run
            }
        }
        return ExitCodes.OK;
    }

    private void checkOptions() {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be in [0, 65535], was " + port);
        }
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException("--workers must be in [1, " + MAX_WORKERS + "], was " + workers);
        }
        if (queue < 1 || queue > MAX_QUEUE) {
            throw new IllegalArgumentException("--queue must be in [1, " + MAX_QUEUE + "], was " + queue);
        }
        if (graceSeconds < 0 || graceSeconds > MAX_GRACE_SECONDS) {
            throw new IllegalArgumentException("--grace must be in [0, " + MAX_GRACE_SECONDS + "] seconds, was "
                    + graceSeconds);
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--bind " + bind + ": not a known host");
        }
        if (!address.isLoopbackAddress() && tokenFile == null && !insecure) {
            throw new IllegalArgumentException("--bind " + bind + " is not loopback: give --token-file, or "
                    + "--insecure to serve anyone who can reach the port");
        }
    }

    private MonitoringConfig monitoringConfig() {
        if (config == null) {
            return MonitoringConfig.defaults();
        }
        try {
            return MonitoringConfig.load(config);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new IllegalArgumentException("--config: " + e.getMessage(), e);
        }
    }

    private ServerOptions.Builder serverOptions() {
        ServerOptions.Builder b = ServerOptions.builder().bindAddress(bind).port(port).insecure(insecure)
                .threads(workers + queue + ServerOptions.DEFAULT_MAX_EVENT_CLIENTS + SPARE_THREADS);
        if (tokenFile != null) {
            try {
                b.bearerTokenFile(tokenFile);
            } catch (IllegalArgumentException | UncheckedIOException e) {
                throw new IllegalArgumentException("--token-file: " + e.getMessage());
            }
        }
        return b;
    }

    private ServeRun start(DeviceChoice choice, MonitoringConfig monitoring, ServerOptions.Builder options) {
        Gpt2Config model = ReferenceSetup.MODEL;
        console.printf("device: %s%n", choice.reason());
        ReferenceSetup.describe(seed, ReferenceSetup.cmrConfig(), console);
        CmrPerformanceMonitor monitor = new CmrPerformanceMonitor(monitoring);
        List<FullCmrModel> models = new ArrayList<>();
        DemoDevices devices = null;
        Replicas replicas = null;
        try {
            Gpt2Weights weights = SeededInit.weights(model, seed);
            for (int i = 0; i < workers; i++) {
                models.add(new FullCmrModel(choice.open(weights), ReferenceSetup.cmrConfig()));
            }
            devices = DemoDevices.bind(models.get(0).model(), monitor, console);
            replicas = Replicas.attach(models, monitor);
            List<Generator> generators = new ArrayList<>();
            replicas.generators().forEach(g -> generators.add(workerWrapper.apply(g)));
            InferenceService service = new InferenceService(generators, queue, monitor,
                    new GenerateRequest.Limits(model.contextLength() - 1, model.contextLength()));
            GenerateHandler handler = new GenerateHandler(service, GenerateHandler.DEFAULT_MAX_BODY_BYTES);
            MonitorServer server;
            try {
                server = MonitorServer.start(monitor, options.route("POST", GenerateHandler.PATH, handler).build());
            } catch (RuntimeException e) {
                service.shutdown(Duration.ZERO);
                throw e;
            }
            String host = server.address().getAddress().getHostAddress();
            String base = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port();
            console.printf("serving on %s: POST %s, dashboard %s/, health %s/health, metrics %s/metrics%n", base,
                    GenerateHandler.PATH, base, base, base);
            console.printf("%d worker%s, queue %d; SIGTERM stops it and writes the reports into %s%n", workers,
                    workers == 1 ? "" : "s", queue, out.toAbsolutePath());
            return new ServeRun(monitor, replicas, devices, service, handler, server, out,
                    Duration.ofSeconds(graceSeconds), console);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        } catch (RuntimeException e) {
            if (devices != null) {
                devices.close();
            }
            if (replicas != null) {
                replicas.close();
            } else {
                models.forEach(FullCmrModel::close);
            }
            monitor.close();
            throw e;
        }
    }
}
