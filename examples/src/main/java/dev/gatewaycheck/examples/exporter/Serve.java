package dev.gatewaycheck.examples.exporter;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar gateway-check.jar serve --config FILE [--listen ADDRESS:PORT]}: runs the {@link Exporter} until
 * the process is stopped. Exit status 2 on bad usage or a bad config, 1 when it cannot listen.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, usageHelpWidth = 110, synopsisHeading = "",
        customSynopsis = "Usage: java -jar gateway-check.jar serve --config FILE [--listen ADDRESS:PORT]",
        description = {"", "A Prometheus exporter speaking blackbox_exporter's contract: "
                + "GET /probe?target=URL&module=NAME answers the diagnosis of the target as metrics; /metrics "
                + "describes the exporter itself.", "",
                "Options:"},
        footer = {"", "Example: java -jar gateway-check.jar serve --config examples/prometheus/gateway-check.yml"})
public final class Serve {

    @Option(names = "--config", paramLabel = "FILE", required = true,
            description = "the exporter's YAML config: allow list, limits, modules")
    Path config;

    @Option(names = "--listen", paramLabel = "ADDRESS:PORT", description = "where to listen (default: the config's "
            + "listen, else 127.0.0.1:9516; loopback unless told otherwise)")
    String listen;

    private Serve() {
    }

    /** Parses, starts the exporter and blocks until the JVM stops; returns an exit status on failure. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        Serve s = new Serve();
        CommandLine cl = new CommandLine(s);
        try {
            cl.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println("gateway-check serve: " + e.getMessage().replaceAll("\\s+", " ") + "; see serve --help");
            return 2;
        }
        if (cl.isUsageHelpRequested()) {
            out.print(cl.getUsageMessage(CommandLine.Help.Ansi.OFF));
            return 0;
        }
        if (cl.isVersionHelpRequested()) {
            out.println("gateway-check serve");
            return 0;
        }
        Exporter exporter;
        try {
            ExporterConfig c = ExporterConfig.load(s.config);
            InetSocketAddress address = address(s.listen != null ? s.listen : c.listen());
            exporter = Exporter.start(c, address);
            out.println("gateway-check exporter listening on http://" + hostPort(exporter.address())
                    + "/ (modules " + c.modules().keySet() + ", allowed targets " + c.allow() + ")");
            if (!exporter.address().getAddress().isLoopbackAddress()) {
                err.println("gateway-check serve: listening on a non-loopback address: whoever reaches it can make it "
                        + "probe the allowed targets; keep it behind a firewall");
            }
        } catch (IllegalArgumentException e) {
            err.println("gateway-check serve: " + e.getMessage() + "; see serve --help");
            return 2;
        } catch (IOException e) {
            err.println("gateway-check serve: cannot listen: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            exporter.close();
            stopped.countDown();
        }, "gateway-check-exporter-stop"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** {@code 127.0.0.1:9516}, {@code [::1]:9516}, {@code 0.0.0.0:9516}; the address must be a literal. */
    static InetSocketAddress address(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--listen must be ADDRESS:PORT, e.g. 127.0.0.1:9516, got '" + text
                    + "'");
        }
        String host = text.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535 || AllowList.literal(host) == null) {
            throw new IllegalArgumentException("--listen must be ADDRESS:PORT with an IP address and a port 0-65535, "
                    + "e.g. 127.0.0.1:9516, got '" + text + "'");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--listen: " + e.getMessage());
        }
    }

    static String hostPort(InetSocketAddress a) {
        String h = a.getAddress().getHostAddress();
        return (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + a.getPort();
    }
}
