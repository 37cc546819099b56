package dev.gatewaycheck.core.keepalive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gatewaycheck.Evidence;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ServerSettingsTest {

    @Test
    void recommendsTheGatewaysIdleTimeoutPlusThirtySecondsInWholeSeconds() {
        assertEquals(90, ServerSettings.recommendedSeconds(Duration.ofSeconds(60)));
        assertEquals(630, ServerSettings.recommendedSeconds(Duration.ofSeconds(600)));
        assertEquals(32, ServerSettings.recommendedSeconds(Duration.ofMillis(1500)));
    }

    @Test
    void writesEachServersSyntax() {
        Evidence e = ServerSettings.addTo(Evidence.builder(), Duration.ofSeconds(60)).build();
        assertEquals("[recommendedApache=KeepAliveTimeout 90, recommendedNginx=keepalive_timeout 90s;, "
                + "recommendedNode=server.keepAliveTimeout = 90000; server.headersTimeout = 91000, "
                + "recommendedTomcat=keepAliveTimeout=\"90000\"]", e.toString());
    }

    @Test
    void formatsDurationsWithTheirUnit() {
        assertEquals("60s", dev.gatewaycheck.core.Text.duration(Duration.ofSeconds(60)));
        assertEquals("1500ms", dev.gatewaycheck.core.Text.duration(Duration.ofMillis(1500)));
        assertEquals("2.010s", dev.gatewaycheck.core.Text.seconds(Duration.ofMillis(2010)));
        assertEquals("2.000s", dev.gatewaycheck.core.Text.seconds(Duration.ofSeconds(2)));
    }
}
