/**
 * Which hop answered the error: request the front door, identify the product from its fingerprint, check the
 * backends directly with the front door's Host and SNI, and name the faulty hop.
 */
package dev.gatewaycheck.core.frontend;
