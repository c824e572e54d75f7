package dev.spindle.http.internal.files;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Entity tags and HTTP dates, and the conditional-request checks of RFC 9110 section 13 that use them. */
public final class Validators {

    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private Validators() {}

    /** A tag from size, modification time and coding: strong for files sent as stored, weak otherwise. */
    public static String etag(Resource resource, boolean weak) {
        return (weak ? "W/" : "") + '"' + Long.toHexString(resource.size()) + '-'
                + Long.toHexString(resource.lastModified()) + (resource.encoding().isEmpty() ? "" : "-"
                + resource.encoding()) + '"';
    }

    /** An IMF-fixdate such as {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    public static String httpDate(long epochMillis) {
        return IMF_FIXDATE.format(Instant.ofEpochMilli(epochMillis));
    }

    /** Whether {@code ifNoneMatch} names {@code etag} (weak comparison) or is {@code *}. */
    public static boolean noneMatchHits(String ifNoneMatch, String etag) {
        String opaque = opaque(etag);
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || opaque(tag).equals(opaque)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code ifModifiedSince} is at or after the last modification (to the second). */
    public static boolean notModifiedSince(String ifModifiedSince, long lastModifiedMillis) {
        long since = parseDate(ifModifiedSince);
        return since >= 0 && lastModifiedMillis / 1000 <= since / 1000;
    }

    /**
     * Whether a {@code Range} may be honoured under {@code ifRange}: it must be the current strong
     * tag, or exactly the current modification date (a weak tag never qualifies).
     */
    public static boolean ifRangeHolds(String ifRange, String etag, long lastModifiedMillis) {
        String value = ifRange.trim();
        if (value.startsWith("\"") || value.startsWith("W/")) {
            return !etag.startsWith("W/") && value.equals(etag);
        }
        long date = parseDate(value);
        return date >= 0 && date / 1000 == lastModifiedMillis / 1000;
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    private static long parseDate(String value) {
        try {
            return ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return -1;
        }
    }
}
