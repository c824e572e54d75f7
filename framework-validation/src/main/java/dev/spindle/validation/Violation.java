package dev.spindle.validation;

/**
 * One invalid field of a request.
 *
 * @param field the field's path as the client sent it, e.g. {@code email} or {@code items[0].name}
 * @param message what is wrong, written for the client
 */
public record Violation(String field, String message) {}
