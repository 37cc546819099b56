package dev.gatewaycheck.examples.cli;

import dev.gatewaycheck.Cause;
import dev.gatewaycheck.Check;
import dev.gatewaycheck.GatewayCheck;
import dev.gatewaycheck.GatewayProfile;
import dev.gatewaycheck.Report;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The offline demo: starts misbehaving backends on 127.0.0.1, one per documented cause, and diagnoses each the way
 * a gateway would. Exit status 0 when every backend showed the cause it was built to show.
 */
final class Demo {

    /** A gateway with short limits so the demo runs in seconds. */
    static final GatewayProfile DEMO = GatewayProfile.GENERIC.toBuilder().id("demo")
            .name("demo gateway (generic, 1 s request timeout)").requestTimeout(Duration.ofSeconds(1))
            .connectTimeout(Duration.ofSeconds(2)).build();

    /** The deadline of each demo check, unless --timeout is shorter. */
    static final Duration DEMO_DEADLINE = Duration.ofSeconds(10);

    /** One demo backend. */
    record Scenario(String title, Cause expected, Supplier<Backend> start, GatewayProfile profile, Check... checks) {
    }

    /** A started backend: its URL and how to stop it. */
    record Backend(String url, Closeable stop) {
        static Backend of(DemoBackend s) {
            return new Backend(s.url(), s);
        }
    }

    private Demo() {
    }

    static List<Scenario> scenarios() {
        List<Scenario> l = new ArrayList<>();
        l.add(new Scenario("a healthy backend", null, () -> http(DemoBackend.answering(DemoBackend.ok("hello\n"))),
                DEMO, Check.PROBE));
        l.add(new Scenario("nothing listens on the port", Cause.CONNECTION_REFUSED, Demo::closedPort, DEMO,
                Check.PROBE));
        l.add(new Scenario("the backend resets the connection", Cause.BACKEND_RESET_CONNECTION,
                () -> http(DemoBackend.hangingUp(true)), DEMO, Check.PROBE));
        l.add(new Scenario("the backend closes without a response", Cause.BACKEND_CLOSED_WITHOUT_RESPONSE,
                () -> http(DemoBackend.hangingUp(false)), DEMO, Check.PROBE));
        l.add(new Scenario("the backend does not speak HTTP", Cause.MALFORMED_STATUS_LINE,
                () -> http(DemoBackend.answering("SSH-2.0-OpenSSH_9.2\r\n")), DEMO, Check.PROBE));
        l.add(new Scenario("Content-Length and Transfer-Encoding together", Cause.CONFLICTING_FRAMING_HEADERS,
                () -> http(DemoBackend.answering("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n")), DEMO, Check.PROBE));
        l.add(new Scenario("40 KiB of cookies", Cause.RESPONSE_HEADER_TOO_LARGE,
                () -> http(DemoBackend.answering("HTTP/1.1 200 OK\r\n"
                        + ("Set-Cookie: s=" + "c".repeat(4000) + "\r\n").repeat(10) + "Content-Length: 0\r\n\r\n")),
                DEMO, Check.PROBE));
        l.add(new Scenario("slower than the gateway waits", Cause.RESPONSE_TIMEOUT,
                () -> http(DemoBackend.answeringAfter(Duration.ofMillis(1600), DemoBackend.ok("late\n"))), DEMO,
                Check.PROBE));
        l.add(new Scenario("a second proxy tier answers 502", Cause.BACKEND_RETURNED_GATEWAY_ERROR,
                () -> http(DemoBackend.answering(DemoBackend.status(502, "Bad Gateway",
                        "<html><center>nginx</center></html>", "Server: nginx", "Via: 1.1 app-tier"))), DEMO,
                Check.PROBE));
        l.add(new Scenario("the server runs, the application is not deployed", Cause.BACKEND_APP_NOT_DEPLOYED,
                () -> http(DemoBackend.answering(DemoBackend.ok("<title>Welcome to nginx!</title>"))), DEMO,
                Check.PROBE));
        l.add(new Scenario("idle keep-alive shorter than the gateway keeps it",
                Cause.KEEPALIVE_TIMEOUT_SHORTER_THAN_GATEWAY,
                () -> http(DemoBackend.keepingAlive(Duration.ofSeconds(1), 10_000, "timeout=1, max=100")), DEMO,
                Check.KEEP_ALIVE));
        l.add(new Scenario("closes after 3 requests without saying so", Cause.KEEPALIVE_UNANNOUNCED_CLOSE,
                () -> http(DemoBackend.keepingAlive(Duration.ofSeconds(1), 3, null)), DEMO, Check.KEEP_ALIVE));
        l.add(new Scenario("an expired certificate nobody renewed", Cause.TLS_CERT_EXPIRED,
                () -> tlsBackend(DemoCertificates.leaf("www.example.test", Duration.ofDays(3)), true), DEMO,
                Check.TLS));
        l.add(new Scenario("a certificate for another host name", Cause.TLS_CERT_HOSTNAME_MISMATCH,
                () -> tlsBackend(DemoCertificates.leaf("other.example.test", Duration.ZERO), true), DEMO, Check.TLS));
        l.add(new Scenario("the intermediate certificate is not sent", Cause.TLS_CHAIN_INCOMPLETE,
                () -> tlsBackend(DemoCertificates.leaf("www.example.test", Duration.ZERO), false), DEMO, Check.TLS));
        l.add(new Scenario("HTTPS sent to a plain HTTP port", Cause.PROTOCOL_PORT_MISMATCH,
                () -> {
                    DemoBackend s = DemoBackend.http(DemoBackend.answering(DemoBackend.ok("hello\n")));
                    return new Backend("https://127.0.0.1:" + s.port(), s);
                }, DEMO, Check.TLS, Check.PROBE));
        return l;
    }

    private static Backend http(DemoBackend.Conduct conduct) {
        return Backend.of(DemoBackend.http(conduct));
    }

    static int run(PrintStream out, Options o) {
        List<Scenario> scenarios = scenarios();
        List<String> summary = new ArrayList<>();
        List<String> json = new ArrayList<>();
        boolean allAsExpected = true;
        if (!o.json()) {
            out.println("gateway-check demo: " + scenarios.size() + " backends on 127.0.0.1, each misbehaving the way "
                    + "a documented 502 cause does.");
            out.println("Run 'java -jar gateway-check.jar --help' to check your own backend.");
            out.println();
        }
        int i = 1;
        for (Scenario sc : scenarios) {
            Backend b = sc.start().get();
            Report r;
            try {
                r = GatewayCheck.forBackend(b.url()).against(sc.profile()).checks(sc.checks())
                        .withHost(b.url().startsWith("https") ? "www.example.test" : "127.0.0.1")
                        .trusting(DemoCertificates.ROOT.certificate())
                        .timeout(o.timeout != null && o.timeout.compareTo(DEMO_DEADLINE) < 0 ? o.timeout
                                : DEMO_DEADLINE).run();
            } finally {
                try {
                    b.stop().close();
                } catch (IOException ignored) {
                    // best effort
                }
            }
            boolean asExpected = sc.expected() == null ? r.isClean() : r.has(sc.expected());
            allAsExpected &= asExpected;
            summary.add(String.format(Locale.ROOT, "  %-50s %-38s %s", sc.title(),
                    sc.expected() == null ? "(no finding)" : sc.expected().id(), asExpected ? "found" : "MISSED"));
            if (o.json()) {
                json.add(r.toJson());
            } else {
                out.println("[" + i + "/" + scenarios.size() + "] " + sc.title());
                out.println(r);
                out.println();
            }
            i++;
        }
        if (o.json()) {
            out.println("[" + String.join(",", json) + "]");
        } else {
            out.println("Summary:");
            summary.forEach(out::println);
        }
        return allAsExpected ? Main.HEALTHY : Main.UNHEALTHY;
    }

    /** The demo's private PKI: the gateway trusts its root (passed with trusting), which signs the intermediate. */
    private static Backend tlsBackend(DemoCertificates.Issued leaf, boolean withIntermediate) {
        return Backend.of(DemoBackend.https(DemoCertificates.serving(leaf, withIntermediate),
                DemoBackend.answering(DemoBackend.ok("hello over TLS\n"))));
    }

    private static Backend closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = s.getLocalPort();
            return new Backend("http://127.0.0.1:" + port, () -> { });
        } catch (IOException e) {
            throw new IllegalStateException("cannot find a free loopback port", e);
        }
    }
}
