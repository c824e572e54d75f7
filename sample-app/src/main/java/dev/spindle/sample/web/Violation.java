package dev.spindle.sample.web;

/**
 * One invalid field of a request.
 *
 * @param field the field's name as the client sent it, e.g. {@code email}
 * @param message what is wrong, written for the client
 */
public record Violation(String field, String message) {}
