package dev.gatewaycheck.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.RefusedPort;
import dev.gatewaycheck.testkit.TestCertificates;
import dev.gatewaycheck.testkit.TestCertificates.Held;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.xml.parsers.DocumentBuilderFactory;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Every option of the command line against real loopback servers: what it does, and its usage errors. */
class CliOptionsTest {
    private static final String HOST = "www.example.test";
    private static final Held ROOT = TestCertificates.ca("cli test root").build();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    private int run(String... args) {
        return run(Terminal.NONE, args);
    }

    private int run(Terminal term, String... args) {
        out.reset();
        err.reset();
        return Main.run(term, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** A usage error: exit 2, one line on stderr starting with the reason and ending with the pointer to help. */
    private void usageError(String reasonStart, String... args) {
        assertEquals(2, run(args), () -> String.join(" ", args) + "\n" + err() + out());
        String e = err();
        assertTrue(e.startsWith("gateway-check: " + reasonStart), e);
        assertTrue(e.endsWith("see --help\n"), e);
        assertEquals(1, e.lines().count(), e);
        assertEquals("", out());
    }

    /** A backend that records each request head and answers {@code response} on a kept-alive connection. */
    private static FaultServer recording(List<String> requests, String response) {
        return FaultServer.plain(c -> {
            String r;
            while ((r = c.readRequest()) != null) {
                requests.add(r);
                c.write(response);
            }
        });
    }

    private static String header(String request, String name) {
        return request.lines().filter(l -> l.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                .map(l -> l.substring(name.length() + 1).trim()).findFirst().orElse(null);
    }

    private static int closedPort() {
        return RefusedPort.take();
    }

    @Test
    void versionPrintsTheProjectVersion() {
        assertEquals(0, run("--version"));
        assertTrue(out().matches("gateway-check \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(Java .*\\)\\n"), out());
        assertEquals(0, run("-V"));
    }

    @Test
    void doubleDashEndsTheOptions() {
        try (FaultServer s = FaultServer.plain(FaultServer.ok())) {
            assertEquals(0, run("--checks", "probe", "--", s.url()), err());
            assertTrue(out().contains("HEALTHY"), out());
        }
        // after --, an option-looking word is a URL, and the library refuses it as one
        usageError("backend", "--", "--json");
    }

    @Test
    void booleanOptionsAreNegatableAndTakeAnExplicitValue() {
        try (FaultServer s = FaultServer.plain(FaultServer.ok())) {
            assertEquals(0, run("--checks", "probe", "--json=false", s.url()), err());
            assertTrue(out().startsWith("Report "), out());
            assertEquals(0, run("--checks", "probe", "--json", "--no-json", s.url()));
            assertTrue(out().startsWith("Report "), out());
            assertEquals(0, run("--checks", "probe", "--json=true", s.url()));
            assertTrue(out().startsWith("{"), out());
        }
        usageError("--json", "--json=maybe", "http://127.0.0.1:1");
    }

    @Test
    void everyKindOfBadValueIsAOneLineUsageErrorWithExitTwo() throws Exception {
        usageError("unknown option --frobnicate", "--frobnicate", "http://127.0.0.1:1");
        usageError("--host needs a value", "--host");
        usageError("--timeout must be positive, got '0s'", "--timeout", "0s", "http://127.0.0.1:1");
        usageError("--probe-timeout must look like 30s", "--probe-timeout", "soon", "http://127.0.0.1:1");
        usageError("--probe-interval must be positive", "--probe-interval", "-1s", "http://127.0.0.1:1");
        usageError("--probe-threshold: 'x' is not an int", "--probe-threshold", "x", "http://127.0.0.1:1");
        usageError("--probe-threshold must be 1-100, got 0", "--probe-threshold", "0", "http://127.0.0.1:1");
        usageError("--probe-status: status range must look like", "--probe-status", "2xx", "http://127.0.0.1:1");
        usageError("custom probe: path must contain no spaces", "--probe-path", "/a b", "http://127.0.0.1:1");
        usageError("--format: expected one of [text, json, junit]", "--format", "xml", "http://127.0.0.1:1");
        usageError("--fail-on: expected one of [error, warning]", "--fail-on", "info", "http://127.0.0.1:1");
        usageError("--profile: profile must be one of", "--profile", "nope", "http://127.0.0.1:1");
        usageError("--checks: check must be one of", "--checks", "dns", "http://127.0.0.1:1");
        usageError("--checks must name checks", "--checks", ",", "http://127.0.0.1:1");
        usageError("--checks must name checks", "--checks", "tls,", "http://127.0.0.1:1");
        usageError("--resolve must look like HOST:PORT:ADDRESS", "--resolve", "a.test:443", "http://a.test");
        usageError("--resolve must have a port", "--resolve", "a.test:x:127.0.0.1", "http://a.test");
        usageError("--resolve must end in IP addresses", "--resolve", "a.test:80:b.test", "http://a.test");
        usageError("--resolve a.test:81:127.0.0.1 matches no URL", "--resolve", "a.test:81:127.0.0.1",
                "http://a.test");
        usageError("host must be a DNS name", "--host", "a b", "http://127.0.0.1:1");
        usageError("path must start with /", "--path", "api", "http://127.0.0.1:1");
        usageError("--client-cert: cannot read", "--client-cert", dir.resolve("missing.p12").toString(),
                "https://127.0.0.1:1");
        usageError("a client certificate password needs --client-cert", "--client-cert-password-env", "PW",
                "https://127.0.0.1:1");
        usageError("--pool needs at least one member URL", "--pool");
        usageError("--pool and --front-door exclude each other", "--pool", "--front-door", "http://127.0.0.1:1/",
                "http://127.0.0.1:2");
        usageError("one URL at most", "http://127.0.0.1:1", "http://127.0.0.1:2");
        usageError("--client-cert is not used with --pool", "--pool", "--client-cert", "x.p12", "http://127.0.0.1:1");
        usageError("--probe-* options are not used with --front-door", "--front-door", "http://127.0.0.1:1/",
                "--probe-path", "/h");
        usageError("--probe-* options need the probe check", "--checks", "tls", "--probe-path", "/h",
                "http://127.0.0.1:1");
        usageError("--host needs a URL", "--host", "x.test");
        usageError("--format junit needs a URL", "--format", "junit");
        usageError("backend scheme must be http or https", "ftp://127.0.0.1/");
    }

    @Test
    void usageErrorsWithNagiosAreUnknown() {
        assertEquals(3, run("--nagios", "--timeout", "never", "http://127.0.0.1:1"));
        assertTrue(err().startsWith("gateway-check: --timeout must look like"), err());
        assertEquals(3, run("--nagios"));
        assertEquals("gateway-check: --nagios needs a URL (with no URL the tool runs its offline demo); see --help\n",
                err());
    }

    @Test
    void resolvePointsANameAtALoopbackAddressAndKeepsTheName() {
        List<String> requests = new CopyOnWriteArrayList<>();
        try (FaultServer s = recording(requests, FaultServer.okResponse("ok\n"))) {
            String url = "http://backend.test:" + s.port() + "/";
            assertEquals(0, run("--checks", "probe", "--resolve", "backend.test:" + s.port() + ":127.0.0.1", url),
                    out() + err());
            assertTrue(out().contains("Report " + url + " (Host backend.test)"), out());
            assertFalse(requests.isEmpty());
            assertTrue(header(requests.get(0), "Host").startsWith("backend.test"), requests.get(0));
        }
    }

    @Test
    void resolveMakesTheFrontDoorAskedByNameAtALoopbackAddress() {
        List<String> requests = new CopyOnWriteArrayList<>();
        try (FaultServer front = recording(requests, FaultServer.okResponse("front door\n"))) {
            String url = "http://" + HOST + ":" + front.port() + "/";
            assertEquals(0, run("--front-door", url, "--resolve", HOST + ":" + front.port() + ":127.0.0.1", "--json"),
                    out() + err());
            assertTrue(out().contains("\"faultyHop\":\"NONE\""), out());
            assertEquals(HOST + ":" + front.port(), header(requests.get(0), "Host"), requests.get(0));
        }
    }

    @Test
    void hostWithAFrontDoorReachedByAddressAsksItByName() {
        List<String> frontRequests = new CopyOnWriteArrayList<>();
        List<String> backendRequests = new CopyOnWriteArrayList<>();
        try (FaultServer front = recording(frontRequests, FaultServer.response(502, "Bad Gateway",
                "<html><center>nginx</center></html>", "Server: nginx"));
             FaultServer backend = recording(backendRequests, FaultServer.okResponse("ok\n"))) {
            int rc = run("--front-door", "http://127.0.0.1:" + front.port() + "/", "--host", HOST, backend.url());
            assertEquals(1, rc, out() + err());
            assertEquals(HOST + ":" + front.port(), header(frontRequests.get(0), "Host"), frontRequests.get(0));
            // the backend is asked with the front door's (real) name
            assertTrue(backendRequests.stream().anyMatch(r -> header(r, "Host").startsWith(HOST)),
                    backendRequests.toString());
            assertTrue(out().contains("faulty hop FRONT_DOOR"), out());
        }
    }

    @Test
    void pathIsTheRequestPathForwarded() {
        List<String> requests = new CopyOnWriteArrayList<>();
        try (FaultServer s = recording(requests, FaultServer.okResponse("ok\n"))) {
            assertEquals(0, run("--checks", "probe", "--path", "/api/health?x=1", s.url()), out());
            assertTrue(requests.stream().anyMatch(r -> r.startsWith("GET /api/health?x=1 HTTP/1.1")),
                    requests.toString());
        }
    }

    @Test
    void customProbeOptionsMakeTheProbe() {
        List<String> requests = new CopyOnWriteArrayList<>();
        try (FaultServer s = recording(requests, FaultServer.okResponse("all good\n"))) {
            assertEquals(0, run("--checks", "probe", "--probe-path", "/healthz", "--probe-host", "probe.test",
                    "--probe-status", "200,204", "--probe-body", "good", "--probe-interval", "5s", "--probe-timeout",
                    "4s", "--probe-threshold", "2", s.url()), out());
            assertTrue(requests.stream().anyMatch(r -> r.startsWith("GET /healthz ")
                    && header(r, "Host").startsWith("probe.test:")), requests.toString());
            assertEquals(1, run("--checks", "probe", "--probe-path", "/healthz", "--probe-status", "204", s.url()));
            assertTrue(out().contains("PROBE_STATUS_MISMATCH"), out());
            assertEquals(1, run("--checks", "probe", "--probe-body", "READY", s.url()));
            assertTrue(out().contains("PROBE_BODY_MISMATCH"), out());
            // a profile without an active probe of its own (nginx OSS) gets the custom one
            assertEquals(1, run("--profile", "nginx", "--checks", "probe", "--probe-body", "READY", s.url()));
            assertTrue(out().contains("PROBE_BODY_MISMATCH"), out());
        }
    }

    /** A TLS backend for HOST that requires a client certificate issued by {@code clientCa}. */
    private static FaultServer mtlsBackend(Held clientCa) {
        Held leaf = TestCertificates.leaf(HOST, ROOT).build();
        return FaultServer.tls(TestCertificates.servingTrustingClients(
                TestCertificates.served(leaf.privateKey(), leaf.certificate()), clientCa.certificate()),
                FaultServer.ok(), ss -> ss.setNeedClientAuth(true));
    }

    private Path p12(Held client, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("client", client.privateKey(), password.toCharArray(),
                new java.security.cert.X509Certificate[] {client.certificate()});
        Path file = dir.resolve("client.p12");
        try (OutputStream o = Files.newOutputStream(file)) {
            ks.store(o, password.toCharArray());
        }
        return file;
    }

    @Test
    void clientCertificateComesFromAPkcs12FileWithThePasswordFromTheEnvironmentOrAFile() throws Exception {
        Held clientCa = TestCertificates.ca("cli client CA").build();
        Held client = TestCertificates.leaf("gateway-client", clientCa).eku(KeyPurposeId.id_kp_clientAuth).build();
        Path p12 = p12(client, "s3cret");
        Path ca = TestCertificates.writePem(dir.resolve("root.pem"), ROOT.certificate());
        Path pwFile = dir.resolve("pw");
        Files.writeString(pwFile, "s3cret\n");
        try (FaultServer s = mtlsBackend(clientCa)) {
            String[] base = {"--checks", "tls,probe", "--host", HOST, "--ca", ca.toString()};
            assertEquals(1, run(concat(base, s.url())));
            assertTrue(out().contains("BACKEND_REQUIRES_CLIENT_CERT"), out());

            Terminal env = new Terminal(false, false, Map.of("PW", "s3cret"));
            assertEquals(0, run(env, concat(base, "--client-cert", p12.toString(), "--client-cert-password-env",
                    "PW", s.url())), out() + err());
            assertEquals(0, run(concat(base, "--client-cert", p12.toString(), "--client-cert-password-file",
                    pwFile.toString(), s.url())), out() + err());
            Terminal defaultVar = new Terminal(false, false, Map.of("GATEWAY_CHECK_CLIENT_CERT_PASSWORD", "s3cret"));
            assertEquals(0, run(defaultVar, concat(base, "--client-cert", p12.toString(), s.url())), out() + err());

            usageError("--client-cert: cannot read", concat(base, "--client-cert", p12.toString(), s.url()));
            usageError("--client-cert-password-file: cannot read", concat(base, "--client-cert", p12.toString(),
                    "--client-cert-password-file", dir.resolve("no-such-file").toString(), s.url()));
            usageError("--client-cert-password-env and --client-cert-password-file exclude each other",
                    concat(base, "--client-cert", p12.toString(), "--client-cert-password-env", "PW",
                            "--client-cert-password-file", pwFile.toString(), s.url()));
            usageError("--client-cert-password-env: the environment variable NOPE is not set",
                    concat(base, "--client-cert", p12.toString(), "--client-cert-password-env", "NOPE", s.url()));
            // there is no option that takes the password itself
            usageError("unknown option --client-cert-password=s3cret",
                    concat(base, "--client-cert", p12.toString(), "--client-cert-password=s3cret", s.url()));
        }
    }

    @Test
    void checkRevocationAsksTheCertificatesCrl() throws Exception {
        HttpServer crlServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        Held intermediate = TestCertificates.intermediate("cli test CA", ROOT).build();
        List<BigInteger> revoked = new CopyOnWriteArrayList<>();
        crlServer.createContext("/crl", ex -> {
            byte[] body;
            try {
                body = TestCertificates.crl(intermediate, revoked.toArray(new BigInteger[0])).getEncoded();
            } catch (java.security.cert.CRLException e) {
                throw new java.io.IOException(e);
            }
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        crlServer.start();
        try {
            Held leaf = TestCertificates.leaf(HOST, intermediate)
                    .crl("http://127.0.0.1:" + crlServer.getAddress().getPort() + "/crl").freshKey().build();
            revoked.add(leaf.certificate().getSerialNumber());
            Path ca = TestCertificates.writePem(dir.resolve("root.pem"), ROOT.certificate());
            try (FaultServer s = FaultServer.tls(TestCertificates.serving(leaf.privateKey(), leaf.certificate(),
                    intermediate.certificate()), FaultServer.ok())) {
                String[] base = {"--checks", "tls", "--host", HOST, "--ca", ca.toString()};
                assertEquals(0, run(concat(base, s.url())), out() + err());
                assertEquals(1, run(concat(base, "--check-revocation", s.url())), out());
                assertTrue(out().contains("TLS_CERT_REVOKED"), out());
                assertEquals(0, run(concat(base, "--check-revocation", "--no-check-revocation", s.url())), out());
            }
        } finally {
            crlServer.stop(0);
        }
    }

    /** A TLS backend whose certificate expires in 10 days: a WARNING (TLS_CERT_EXPIRING_SOON), nothing worse. */
    private static FaultServer expiringSoon() {
        Held leaf = TestCertificates.leaf(HOST, ROOT).expiresIn(Duration.ofDays(10)).build();
        return FaultServer.tls(TestCertificates.serving(leaf.privateKey(), leaf.certificate()), FaultServer.ok());
    }

    @Test
    void failOnWarningFailsOnAWarning() throws Exception {
        Path ca = TestCertificates.writePem(dir.resolve("root.pem"), ROOT.certificate());
        try (FaultServer s = expiringSoon()) {
            String[] base = {"--checks", "tls", "--host", HOST, "--ca", ca.toString()};
            assertEquals(0, run(concat(base, s.url())), out());
            assertTrue(out().contains("TLS_CERT_EXPIRING_SOON"), out());
            assertEquals(0, run(concat(base, "--fail-on", "error", s.url())), out());
            assertEquals(1, run(concat(base, "--fail-on", "WARNING", s.url())), out());
        }
    }

    @Test
    void nagiosStatusesAndPerformanceData() throws Exception {
        Path ca = TestCertificates.writePem(dir.resolve("root.pem"), ROOT.certificate());
        try (FaultServer ok = FaultServer.plain(FaultServer.ok()); FaultServer soon = expiringSoon();
             FaultServer silent = FaultServer.plain(FaultServer.neverAnswer())) {
            assertEquals(0, run("--nagios", "--checks", "probe", ok.url()));
            assertTrue(out().startsWith("GATEWAY-CHECK OK - " + ok.url() + ": healthy | errors=0;;;0 warnings=0;;;0"),
                    out());
            assertTrue(out().matches("(?s).* time=\\d+\\.\\d{3}s;;;0 dns=\\d+\\.\\d{3}s;;;0 connect=\\S+ "
                    + "firstbyte=\\S+\\n"), out());
            assertEquals(1, out().lines().count(), out());

            assertEquals(1, run("--nagios", "--checks", "tls", "--host", HOST, "--ca", ca.toString(), soon.url()));
            assertTrue(out().startsWith("GATEWAY-CHECK WARNING - " + soon.url() + ": TLS_CERT_EXPIRING_SOON"), out());
            assertTrue(out().contains(" warnings=1;;;0"), out());

            assertEquals(2, run("--nagios", "--timeout", "5s", "http://127.0.0.1:" + closedPort()));
            assertTrue(out().startsWith("GATEWAY-CHECK CRITICAL - "), out());
            assertTrue(out().contains("CONNECTION_REFUSED (502)") && out().contains("errors=1;;;0"), out());

            // the run's own deadline: no verdict, not a finding against the backend
            assertEquals(3, run("--nagios", "--checks", "probe", "--timeout", "1s", silent.url()), out());
            assertTrue(out().startsWith("GATEWAY-CHECK UNKNOWN - "), out());
            assertTrue(out().contains("incomplete"), out());
        }
    }

    @Test
    void junitXmlHasOneCasePerCheckAndOneFailurePerError() throws Exception {
        int port = closedPort();
        assertEquals(1, run("--format", "junit", "--timeout", "5s", "http://127.0.0.1:" + port));
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(out.toByteArray()));
        Element suites = d.getDocumentElement();
        assertEquals("testsuites", suites.getTagName());
        NodeList cases = d.getElementsByTagName("testcase");
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < cases.getLength(); i++) {
            names.add(((Element) cases.item(i)).getAttribute("name"));
        }
        assertEquals(List.of("connect", "tls", "probe", "keepalive"), names);
        NodeList failures = d.getElementsByTagName("failure");
        assertEquals(1, failures.getLength(), out());
        Element failure = (Element) failures.item(0);
        assertEquals("CONNECTION_REFUSED", failure.getAttribute("type"));
        assertEquals("connect", ((Element) failure.getParentNode()).getAttribute("name"));
        assertEquals("1", suites.getAttribute("failures"));

        try (FaultServer s = FaultServer.plain(FaultServer.ok())) {
            assertEquals(0, run("--format=junit", "--checks", "probe", s.url()));
            Document ok = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(out.toByteArray()));
            assertEquals(0, ok.getElementsByTagName("failure").getLength(), out());
            assertEquals(2, ok.getElementsByTagName("testcase").getLength(), out());
        }
    }

    @Test
    void aPoolHasItsNagiosLineAndOneJunitSuitePerMember() throws Exception {
        String dead = "http://127.0.0.1:" + closedPort();
        try (FaultServer ok = FaultServer.plain(FaultServer.ok())) {
            // one member down: the pool still routes (a WARNING), the member's ERROR is named
            assertEquals(1, run("--nagios", "--pool", "--checks", "probe", ok.url(), dead));
            assertTrue(out().startsWith("GATEWAY-CHECK WARNING - pool of 2: "), out());
            assertTrue(out().contains("SOME_BACKENDS_UNHEALTHY") && out().contains("CONNECTION_REFUSED (502)"), out());
            assertTrue(out().contains(" healthy_backends=1;;;0;2\n"), out());

            assertEquals(0, run("--format", "junit", "--pool", "--checks", "probe", ok.url(), dead));
            Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(out.toByteArray()));
            NodeList suites = d.getElementsByTagName("testsuite");
            assertEquals(3, suites.getLength(), out());
            assertEquals("pool", ((Element) ((Element) suites.item(0)).getElementsByTagName("testcase").item(0))
                    .getAttribute("name"));
            assertTrue(((Element) suites.item(0)).getElementsByTagName("system-out").item(0).getTextContent()
                    .startsWith("WARNING SOME_BACKENDS_UNHEALTHY"), out());
            NodeList failures = d.getElementsByTagName("failure");
            assertEquals(1, failures.getLength(), out());
            assertEquals("CONNECTION_REFUSED", ((Element) failures.item(0)).getAttribute("type"));
        }
    }

    @Test
    void aFrontDoorHasItsNagiosLineAndJunitSuites() throws Exception {
        try (FaultServer backend = FaultServer.plain(FaultServer.resetAfterRequest());
             FaultServer front = FaultServer.plain(FaultServer.respond(FaultServer.response(502, "Bad Gateway",
                     "<html><center>502 Bad Gateway</center></html>", "Server: awselb/2.0")))) {
            assertEquals(2, run("--nagios", "--front-door", front.url(), backend.url()));
            assertTrue(out().startsWith("GATEWAY-CHECK CRITICAL - " + front.url()), out());
            assertTrue(out().contains("FRONTEND_GATEWAY_ERROR (502)") && out().contains("BACKEND_RESET_CONNECTION"),
                    out());
            assertTrue(out().contains(" healthy_backends=0;;;0;1\n"), out());

            assertEquals(1, run("--format", "junit", "--front-door", front.url(), backend.url()));
            Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(out.toByteArray()));
            NodeList suites = d.getElementsByTagName("testsuite");
            assertEquals(2, suites.getLength(), out());
            Element frontCase = (Element) ((Element) suites.item(0)).getElementsByTagName("testcase").item(0);
            assertEquals("front-door", frontCase.getAttribute("name"));
            assertEquals("FRONTEND_GATEWAY_ERROR", ((Element) frontCase.getElementsByTagName("failure").item(0))
                    .getAttribute("type"));
            assertTrue(((Element) suites.item(1)).getAttribute("name").startsWith("gateway-check " + backend.url()),
                    out());
        }
    }

    @Test
    void junitXmlCarriesNoControlCharactersFromTheBackend() throws Exception {
        try (FaultServer s = FaultServer.plain(FaultServer.respond(FaultServer.response(502, "Bad\u0001\u001b[2J",
                "<html>nginx</html>", "Server: evil\u001b]0;owned\u0007")))) {
            run("--format", "junit", "--checks", "probe", s.url());
            DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(out.toByteArray()));
            assertFalse(out().contains("\u001b"), out());
            run("--checks", "probe", s.url());
            assertFalse(out().contains("\u001b"), out());
            assertTrue(out().contains("BACKEND_RETURNED_GATEWAY_ERROR"), out());
        }
    }

    /** Issue 13 item 12: a body that never ends leaves keep-alive unmeasured, so the run is not healthy (exit 1). */
    @Test
    void anEndlessChunkedBodyIsNotHealthy() {
        try (FaultServer s = FaultServer.plain(c -> {
            if (c.readRequest() == null) {
                return;
            }
            c.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 600; i++) { // at most 60 s, past every deadline below
                c.write("5\r\nhello\r\n");
                Thread.sleep(100);
            }
        })) {
            assertEquals(1, run("--checks", "keepalive", "--timeout", "8s", s.url()), out());
            assertFalse(out().contains(": HEALTHY"), out());
        }
    }

    @Test
    void quietPrintsNothingAndKeepsTheExitStatus() throws Exception {
        try (FaultServer s = FaultServer.plain(FaultServer.ok())) {
            assertEquals(0, run("--quiet", "--checks", "probe", s.url()));
            assertEquals("", out());
        }
        assertEquals(1, run("-q", "--timeout", "5s", "http://127.0.0.1:" + closedPort()));
        assertEquals("", out());
        assertEquals("", err());
    }

    @Test
    void colourOnlyOnATerminalAndNeverWithNoColor() throws Exception {
        String url = "http://127.0.0.1:" + closedPort();
        assertEquals(1, run(new Terminal(true, false, Map.of()), "--timeout", "5s", url));
        assertTrue(out().contains("\u001b[1;31mERROR\u001b[0m"), out());
        assertTrue(out().contains("\u001b[1;31mUNHEALTHY\u001b[0m"), out());
        assertEquals(1, run(new Terminal(true, false, Map.of("NO_COLOR", "1")), "--timeout", "5s", url));
        assertFalse(out().contains("\u001b"), out());
        assertEquals(1, run(new Terminal(false, true, Map.of()), "--timeout", "5s", url));
        assertFalse(out().contains("\u001b"), out());
        // JSON is never coloured
        assertEquals(1, run(new Terminal(true, true, Map.of()), "--json", "--timeout", "5s", url));
        assertFalse(out().contains("\u001b"), out());
    }

    @Test
    void progressOnlyOnATerminalStderrAfterTwoSeconds() {
        try (FaultServer slow = FaultServer.plain(FaultServer.neverAnswer())) {
            // the run's deadline (4 s) ends it: incomplete, exit 1
            assertEquals(1, run(new Terminal(false, true, Map.of()), "--checks", "probe", "--timeout", "4s",
                    slow.url()), out());
            assertTrue(err().contains("\r\u001b[Kgateway-check: "), err());
            assertTrue(err().endsWith("\r\u001b[K"), err());
            assertFalse(out().contains("gateway-check: "), out());
            assertEquals(1, run(new Terminal(true, false, Map.of()), "--checks", "probe", "--timeout", "4s",
                    slow.url()), out());
            assertEquals("", err());
        }
    }

    @Test
    void progressLineNamesTheKeepAliveWait() {
        assertEquals("gateway-check: keep-alive: idle 23 s of 60 s (deadline 75 s)",
                Main.progressLine("http://x", 23, Duration.ofSeconds(75), Duration.ofSeconds(60)));
        assertEquals("gateway-check: http://x: 3 s (deadline 35 s)",
                Main.progressLine("http://x", 3, Duration.ofSeconds(35), null));
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
