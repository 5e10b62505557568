package io.leakdetector.core.domain;

/** A domain record was built with an invalid field; {@link #field()} names it for error messages. */
public final class DomainValidationException extends IllegalArgumentException {
    private final String field;

    public DomainValidationException(String field, String problem) {
        super(field + " " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
