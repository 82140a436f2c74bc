package dev.cove.worker;

/**
 * A value that is not JSON, at a path such as {@code $.a.b[2]}. The path is put together as the
 * exception unwinds out of the containers, so that writing a valid value builds no strings; the
 * message reads as the in-process Java tier's.
 */
final class NotJson extends Exception {
    private static final long serialVersionUID = 1L;
    private final String what;
    private final StringBuilder path = new StringBuilder();

    NotJson(String what) {
        super(what, null, false, false);
        this.what = what;
    }

    /** The same failure, one container further out: {@code step} is its key or index. */
    NotJson under(String step) {
        path.insert(0, step);
        return this;
    }

    @Override
    public String getMessage() {
        return what + " at $" + path;
    }
}
