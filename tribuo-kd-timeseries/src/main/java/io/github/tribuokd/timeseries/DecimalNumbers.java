package io.github.tribuokd.timeseries;

import java.util.Locale;

/**
 * The one rule by which this library reads a number from a text file: the SMD-layout loader ({@link SmdLoader}),
 * the CSV loader ({@link CsvSeriesLoader}) and the {@code evaluate} command's score and label files all use it, so
 * a file accepted by one is read the same way by the others.
 * <p>
 * A number is a plain <b>decimal</b>: an optional sign, digits with an optional fraction (or a fraction alone),
 * and an optional exponent:
 * <pre>
 *     [+-]? ( digits ( '.' digits? )? | '.' digits ) ( [eE] [+-]? digits )?
 * </pre>
 * so {@code 12}, {@code -0.5}, {@code +.5}, {@code 3.}, {@code 1e-3} and {@code 6.02E23} are numbers. Everything
 * else that {@link Double#parseDouble(String)} would accept is refused: hexadecimal floats ({@code 0x1p3}, which
 * Java reads as 8 but most tools read as text), {@code NaN} and {@code Infinity}, the {@code f}/{@code d} type
 * suffixes and surrounding whitespace (callers strip the separators of their format first). A value beyond the
 * range of the target type (above about 3.4e38 for {@code float}, 1.8e308 for {@code double}) is refused rather than
 * read as infinity; a value too small for the type rounds to zero, as in every parser.
 * <p>
 * A text file may start with a UTF-8 byte order mark; readers strip it from the first line
 * ({@link #stripByteOrderMark(String)}) and nowhere else.
 */
public final class DecimalNumbers {

    /** The byte order mark as a character (U+FEFF), as it reads at the start of a UTF-8 file. */
    public static final char BYTE_ORDER_MARK = '\uFEFF';

    private DecimalNumbers() {
    }

    /**
     * Whether a token is a decimal number by the grammar of this class (no range check).
     *
     * @param token The token.
     * @return True if the token is a decimal number.
     */
    public static boolean isDecimal(CharSequence token) {
        int n = token.length();
        int i = 0;
        if (i < n && (token.charAt(i) == '+' || token.charAt(i) == '-')) {
            i++;
        }
        int intDigits = 0;
        while (i < n && isDigit(token.charAt(i))) {
            i++;
            intDigits++;
        }
        int fracDigits = 0;
        if (i < n && token.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(token.charAt(i))) {
                i++;
                fracDigits++;
            }
        }
        if (intDigits + fracDigits == 0) {
            return false;
        }
        if (i < n && (token.charAt(i) == 'e' || token.charAt(i) == 'E')) {
            i++;
            if (i < n && (token.charAt(i) == '+' || token.charAt(i) == '-')) {
                i++;
            }
            int expDigits = 0;
            while (i < n && isDigit(token.charAt(i))) {
                i++;
                expDigits++;
            }
            if (expDigits == 0) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * Says why a token is not a {@code float} by this class's rule.
     *
     * @param token The token.
     * @return {@code null} when the token is a decimal number within the {@code float} range; otherwise the reason,
     *         a phrase to follow the quoted token, e.g. {@code "is not a number"}, {@code "is not a finite number"},
     *         {@code "is a hexadecimal number; write numbers in decimal"} or {@code "is out of the float range"}.
     */
    public static String floatProblem(String token) {
        String syntax = syntaxProblem(token);
        if (syntax != null) {
            return syntax;
        }
        return Float.isInfinite(Float.parseFloat(token)) ? "is out of the float range (about ±3.4e38)" : null;
    }

    /**
     * Says why a token is not a {@code double} by this class's rule.
     *
     * @param token The token.
     * @return {@code null} when the token is a decimal number within the {@code double} range; otherwise the
     *         reason, as for {@link #floatProblem(String)}.
     */
    public static String doubleProblem(String token) {
        String syntax = syntaxProblem(token);
        if (syntax != null) {
            return syntax;
        }
        return Double.isInfinite(Double.parseDouble(token)) ? "is out of the double range (about ±1.8e308)" : null;
    }

    /**
     * Reads a {@code float} by this class's rule.
     *
     * @param token The token, without surrounding whitespace.
     * @return The value, finite.
     * @throws NumberFormatException If the token is not a decimal number within the {@code float} range; the message
     *                               is the quoted token followed by {@link #floatProblem(String)}.
     */
    public static float parseFloat(String token) {
        String problem = floatProblem(token);
        if (problem != null) {
            throw new NumberFormatException("'" + token + "' " + problem);
        }
        return Float.parseFloat(token);
    }

    /**
     * Reads a {@code double} by this class's rule.
     *
     * @param token The token, without surrounding whitespace.
     * @return The value, finite.
     * @throws NumberFormatException If the token is not a decimal number within the {@code double} range; the
     *                               message is the quoted token followed by {@link #doubleProblem(String)}.
     */
    public static double parseDouble(String token) {
        String problem = doubleProblem(token);
        if (problem != null) {
            throw new NumberFormatException("'" + token + "' " + problem);
        }
        return Double.parseDouble(token);
    }

    /**
     * Removes a UTF-8 byte order mark from the start of the first line of a file.
     *
     * @param firstLine The first line as decoded.
     * @return The line without a leading U+FEFF.
     */
    public static String stripByteOrderMark(String firstLine) {
        return !firstLine.isEmpty() && firstLine.charAt(0) == BYTE_ORDER_MARK ? firstLine.substring(1) : firstLine;
    }

    private static String syntaxProblem(String token) {
        if (isDecimal(token)) {
            return null;
        }
        String unsigned = token.startsWith("+") || token.startsWith("-") ? token.substring(1) : token;
        String lower = unsigned.toLowerCase(Locale.ROOT);
        if (lower.equals("nan") || lower.equals("inf") || lower.equals("infinity")) {
            return "is not a finite number";
        }
        if (lower.startsWith("0x") && lower.length() > 2) {
            return "is a hexadecimal number; write numbers in decimal";
        }
        return "is not a number";
    }
}
