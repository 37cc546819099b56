/**
 * The gateway-check API: the fluent check, the report model and the engine SPI. No dependencies.
 */
module dev.gatewaycheck.api {
    exports dev.gatewaycheck;
    exports dev.gatewaycheck.spi;
    uses dev.gatewaycheck.spi.CheckEngine;
}
