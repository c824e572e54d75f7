package dev.spindle.http;

/** The HTTP methods a route can answer. {@code HEAD} and {@code OPTIONS} are answered automatically when not routed. */
public enum Method {
    GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS
}
