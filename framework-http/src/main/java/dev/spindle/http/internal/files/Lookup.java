package dev.spindle.http.internal.files;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Where static files come from. Lookups do file-system I/O: call them on the blocking pool. */
public interface Lookup {

    /**
     * The file the checked {@code segments} name, with those of its precompressed siblings whose
     * codings are in {@code encodings} (in that order); empty when there is none, or it is a
     * directory and {@code index} (may be null) does not name a file in it.
     */
    Optional<Found> find(List<String> segments, String index, List<String> encodings) throws IOException;

    /** The suffix of a precompressed sibling: {@code .br} for {@code br}, {@code .gz} for {@code gzip}. */
    static String suffix(String encoding) {
        return encoding.equals("gzip") ? ".gz" : "." + encoding;
    }
}
