package dev.gatewaycheck.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gatewaycheck.testkit.FaultServer;
import dev.gatewaycheck.testkit.ReportSchema;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command line is a contract: options, exit codes and the --json output. */
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void healthyBackendExitsZero() {
        try (FaultServer s = FaultServer.plain(FaultServer.ok())) {
            assertEquals(0, run("--checks", "probe", s.url()), err());
            assertTrue(out().contains("HEALTHY"), out());
        }
    }

    @Test
    void errorFindingExitsOneAndJsonIsTheOnlyOutput() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertEquals(1, run("--json", "--timeout", "5s", "http://127.0.0.1:" + port));
        String json = out().trim();
        assertTrue(json.startsWith("{\"schema\":2,") && json.endsWith("}"), json);
        ReportSchema.validate(json);
        assertTrue(json.contains("\"cause\":\"CONNECTION_REFUSED\""), json);
        assertEquals(1, json.lines().count(), json);
    }

    @Test
    void hostAndProfileAreApplied() {
        try (FaultServer s = FaultServer.plain(FaultServer.ok())) {
            assertEquals(0, run("--host=www.contoso.com", "--profile", "generic", "--checks", "probe", s.url()));
            assertTrue(out().contains("(Host www.contoso.com)"), out());
        }
    }

    @Test
    void postProbeSendsAnUploadAndFindsAnEarlyAnswer() {
        // answers 200 at once, before reading any of the upload: Google's load balancer fails such a request
        try (FaultServer s = FaultServer.plain(FaultServer.ok())) {
            assertEquals(1, run("--post-probe", "1m", "--profile", "gcp-lb", "--checks", "probe", "--json", s.url()),
                    err());
            assertTrue(out().contains("\"cause\":\"UNEXPECTED_INTERIM_OR_EARLY_RESPONSE\""), out());
            assertTrue(out().contains("early-response"), out());
        }
        err.reset();
        assertEquals(2, run("--post-probe", "65m", "http://127.0.0.1:1"));
        assertEquals("gateway-check: --post-probe: 65m is outside 1 byte to 64m; see --help\n", err());
        err.reset();
        assertEquals(2, run("--post-probe", "lots", "http://127.0.0.1:1"));
        assertTrue(err().startsWith("gateway-check: --post-probe: 'lots' is not a size"), err());
    }

    @Test
    void badUsageExitsTwoWithOneLineThatPointsToHelp() {
        assertEquals(2, run("--timeout", "-3s", "http://127.0.0.1:1"));
        assertEquals("gateway-check: --timeout must be positive, got '-3s'; see --help\n", err());
    }

    @Test
    void absurdTimeoutsAreUsageErrorsNotStackTraces() {
        assertEquals(2, run("--timeout", "9999999999999m", "http://127.0.0.1:1"));
        assertTrue(err().startsWith("gateway-check: --timeout must be at most 7 days"), err());
        err.reset();
        assertEquals(2, run("--timeout=1e400s", "http://127.0.0.1:1"));
        assertTrue(err().startsWith("gateway-check: --timeout must be at most 7 days"), err());
    }

    @Test
    void unknownOptionMalformedUrlUnknownCheckAndProfileAreUsageErrors() {
        assertEquals(2, run("--frobnicate", "http://127.0.0.1:1"));
        assertTrue(err().startsWith("gateway-check: unknown option --frobnicate"), err());
        err.reset();
        assertEquals(2, run("ftp://127.0.0.1/"));
        assertTrue(err().startsWith("gateway-check: backend scheme must be http or https"), err());
        err.reset();
        assertEquals(2, run("--checks", "dns", "http://127.0.0.1:1"));
        assertTrue(err().startsWith("gateway-check: --checks: check must be one of"), err());
        err.reset();
        assertEquals(2, run("--profile", "nope", "http://127.0.0.1:1"));
        assertTrue(err().startsWith("gateway-check: --profile: profile must be one of"), err());
        err.reset();
        assertEquals(2, run("--host"));
        assertTrue(err().startsWith("gateway-check: --host needs a value"), err());
    }

    @Test
    void helpListsEveryOptionAndProfile() {
        assertEquals(0, run("--help"));
        Options.commandLine(new Options()).getCommandSpec().options().forEach(option -> {
            for (String name : option.names()) {
                String shown = option.negatable() ? name.replaceFirst("^--", "--[no-]") : name;
                assertTrue(out().contains(shown), shown);
            }
        });
        for (String option : new String[] {"--host", "--profile", "--ca", "--checks", "--timeout", "--[no-]json",
            "--[no-]pool", "--front-door", "--version", "--help"}) {
            assertTrue(out().contains(option), option);
        }
        for (dev.gatewaycheck.GatewayProfile p : dev.gatewaycheck.GatewayProfile.presets()) {
            assertTrue(out().contains(p.id()), p.id());
        }
    }

    @Test
    void demoWithoutUrlFindsEveryCauseItIsBuiltToShow() {
        assertEquals(0, run(), out());
        assertTrue(out().contains("Summary:"), out());
        assertTrue(!out().contains("MISSED"), out());
    }

    @Test
    void poolModeJudgesTheMembersAsAPool() throws Exception {
        int dead;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = s.getLocalPort();
        }
        try (FaultServer ok = FaultServer.plain(FaultServer.ok())) {
            assertEquals(0, run("--pool", "--checks", "probe", "--json", ok.url(), "http://127.0.0.1:" + dead), err());
            String json = out().trim();
            assertTrue(json.contains("\"cause\":\"SOME_BACKENDS_UNHEALTHY\""), json);
            ReportSchema.validate(json);
            out.reset();
            assertEquals(1, run("--pool", "--checks", "probe", "http://127.0.0.1:" + dead));
            assertTrue(out().contains("ALL_BACKENDS_UNHEALTHY"), out());
        }
    }

    @Test
    void frontDoorModeNamesTheFaultyHop() {
        try (FaultServer backend = FaultServer.plain(FaultServer.resetAfterRequest());
             FaultServer front = FaultServer.plain(FaultServer.respond(FaultServer.response(502, "Bad Gateway",
                     "<html><center>502 Bad Gateway</center></html>", "Server: awselb/2.0")))) {
            assertEquals(1, run("--front-door", front.url(), "--json", backend.url()));
            String json = out().trim();
            assertTrue(json.contains("\"faultyHop\":\"BACKEND\""), json);
            ReportSchema.validate(json);
            assertTrue(json.contains("BACKEND_RESET_CONNECTION"), json);
        }
    }

    @Test
    void poolAndFrontDoorMisuseIsAUsageError() {
        assertEquals(2, run("--pool", "--front-door", "http://127.0.0.1:1/", "http://127.0.0.1:2"));
        assertTrue(err().startsWith("gateway-check: --pool and --front-door exclude each other"), err());
        err.reset();
        assertEquals(2, run("http://127.0.0.1:1", "http://127.0.0.1:2"));
        assertTrue(err().startsWith("gateway-check: one URL at most"), err());
    }
}
