package io.leakdetector.core.ingest;

/** A whole file cannot be read (missing header, missing required column): names the file and what is wrong. */
public final class FileFormatException extends RuntimeException {
    public FileFormatException(String file, String problem) {
        super(file + ": " + problem);
    }
}
