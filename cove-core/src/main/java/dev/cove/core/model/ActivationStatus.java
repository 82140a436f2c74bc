package dev.cove.core.model;

import java.util.Locale;

/**
 * How an activation ended, by who is at fault. The codes and names are Apache OpenWhisk's; a timeout is
 * a developer error there too, told apart by the {@code timeout} annotation.
 */
public enum ActivationStatus {
    /** The function returned a result. */
    SUCCESS(0, "success"),
    /** The function returned a result with an {@code error} field. */
    APPLICATION_ERROR(1, "application error"),
    /** The function threw, crashed, returned something that is not a JSON object, or failed to load. */
    DEVELOPER_ERROR(2, "action developer error"),
    /** The function ran past its time limit. */
    TIMEOUT(2, "action developer error"),
    /** The platform failed to run the function. */
    PLATFORM_ERROR(3, "whisk internal error"),
    /**
     * The platform had no room to run the function for as long as the activation could wait (its
     * workers' memory all held by busy instances): a platform error to OpenWhisk's clients, worth trying
     * again later.
     */
    UNAVAILABLE(3, "whisk internal error");

    private final int statusCode;
    private final String label;

    ActivationStatus(int statusCode, String label) {
        this.statusCode = statusCode;
        this.label = label;
    }

    /** OpenWhisk's {@code statusCode}: 0 success, 1 application error, 2 developer error, 3 platform error. */
    public int statusCode() {
        return statusCode;
    }

    /** OpenWhisk's {@code response.status}. */
    public String label() {
        return label;
    }

    public boolean success() {
        return this == SUCCESS;
    }

    /** The name used in metrics and the CLI: {@code success}, {@code application_error}, … */
    public String metricName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
