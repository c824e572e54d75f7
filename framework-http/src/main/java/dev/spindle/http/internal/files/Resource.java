package dev.spindle.http.internal.files;

import java.nio.file.Path;

/**
 * One stored representation of a static file: on disk (sent zero-copy, ranges allowed) or read
 * from a jar into memory. {@code encoding} is {@code br} or {@code gzip} for a precompressed
 * sibling, empty for the file itself.
 */
public sealed interface Resource {

    /** Size in bytes. */
    long size();

    /** Last modification, in epoch milliseconds. */
    long lastModified();

    /** The content coding: {@code ""}, {@code "br"} or {@code "gzip"}. */
    String encoding();

    /** A file on disk. */
    record OnDisk(Path path, long size, long lastModified, String encoding) implements Resource {}

    /** A resource read from a jar. */
    record InMemory(byte[] bytes, long lastModified, String encoding) implements Resource {
        @Override
        public long size() {
            return bytes.length;
        }
    }
}
