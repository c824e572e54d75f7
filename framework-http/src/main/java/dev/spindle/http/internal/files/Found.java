package dev.spindle.http.internal.files;

import java.util.Map;

/**
 * A file found for a request: its name (for the content type and Cache-Control patterns), the
 * file itself, and the precompressed siblings the client accepts, by coding in preference order.
 */
public record Found(String name, Resource identity, Map<String, Resource> encoded) {}
