/**
 * gateway-check's engine. Its implementation packages ({@code dev.gatewaycheck.core...}) are not API: the module
 * exports only the optional test integrations and provides the engine to {@code gateway-check-api}. On the class
 * path, where most builds put it, this declaration has no effect; the packages stay implementation all the same.
 */
module dev.gatewaycheck.core {
    requires dev.gatewaycheck.api;
    requires org.apache.httpcomponents.client5.httpclient5;
    requires org.apache.httpcomponents.core5.httpcore5;
    requires org.apache.httpcomponents.core5.httpcore5.h2;
    requires org.slf4j;
    requires java.naming;
    requires java.management;
    requires jdk.management;
    requires static org.bouncycastle.provider;
    requires static org.bouncycastle.pkix;
    requires static org.junit.jupiter.api;
    requires static testcontainers;

    exports dev.gatewaycheck.junit;
    exports dev.gatewaycheck.testcontainers;

    provides dev.gatewaycheck.spi.CheckEngine with dev.gatewaycheck.core.DefaultCheckEngine;
}
