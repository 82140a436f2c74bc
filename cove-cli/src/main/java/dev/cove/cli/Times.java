package dev.cove.cli;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Times such as {@code --once}'s: ISO-8601 with the offset it is in, {@code 2026-12-24T18:00:00Z} or
 * {@code 2026-12-24T19:00+01:00}. A time without one is refused: the server and the shell may not share a
 * time zone, and a schedule's time should not depend on where it was typed.
 */
final class Times implements ITypeConverter<Instant> {

    @Override
    public Instant convert(String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    static Instant parse(String text) {
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 time with its offset, like"
                    + " 2026-12-24T18:00:00Z or 2026-12-24T19:00+01:00");
        }
    }

    /** Time zones such as {@code --timezone}'s: {@code Europe/Paris}, {@code UTC}, {@code +01:00}. */
    static final class Zones implements ITypeConverter<ZoneId> {
        @Override
        public ZoneId convert(String value) {
            try {
                return zone(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static ZoneId zone(String text) {
        try {
            return ZoneId.of(text.strip());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time zone like Europe/Paris, UTC or +01:00");
        }
    }
}
