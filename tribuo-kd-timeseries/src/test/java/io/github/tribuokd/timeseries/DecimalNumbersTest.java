package io.github.tribuokd.timeseries;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecimalNumbersTest {

    @Test
    void decimalsAreNumbers() {
        for (String s : new String[]{"0", "12", "-0.5", "+.5", "3.", "1e-3", "6.02E23", "-1E+2", "007", "0.0e0"}) {
            assertTrue(DecimalNumbers.isDecimal(s), s);
            assertEquals(Double.parseDouble(s), DecimalNumbers.parseDouble(s), s);
            assertEquals(Float.parseFloat(s), DecimalNumbers.parseFloat(s), s);
        }
    }

    @Test
    void everythingElseIsRefused() {
        for (String s : new String[]{"", "+", "-", ".", "e3", "1e", "1e+", "1.2.3", "--1", "+-1", "1-", " 1", "1 ",
                "1f", "2d", "1_000", "1,5", "١", "０", "0x10", "0x1p3", "-0X1P-3", "NaN", "Infinity", "-inf", "\uFEFF1"}) {
            assertFalse(DecimalNumbers.isDecimal(s), s);
            assertThrows(NumberFormatException.class, () -> DecimalNumbers.parseDouble(s), s);
            assertThrows(NumberFormatException.class, () -> DecimalNumbers.parseFloat(s), s);
        }
    }

    @Test
    void reasonsAreSpecific() {
        assertEquals("is a hexadecimal number; write numbers in decimal", DecimalNumbers.doubleProblem("0x1p3"));
        assertEquals("is not a finite number", DecimalNumbers.floatProblem("-Infinity"));
        assertEquals("is not a number", DecimalNumbers.floatProblem("abc"));
        assertTrue(DecimalNumbers.floatProblem("1e39").startsWith("is out of the float range"));
        assertNull(DecimalNumbers.doubleProblem("1e39"));
        assertTrue(DecimalNumbers.doubleProblem("1e309").startsWith("is out of the double range"));
        assertEquals(0.0, DecimalNumbers.parseDouble("1e-400"));
        NumberFormatException e = assertThrows(NumberFormatException.class, () -> DecimalNumbers.parseFloat("0x1p3"));
        assertEquals("'0x1p3' is a hexadecimal number; write numbers in decimal", e.getMessage());
    }

    @Test
    void byteOrderMarkOnlyAtTheStart() {
        assertEquals("1,2", DecimalNumbers.stripByteOrderMark("\uFEFF1,2"));
        assertEquals("1,2", DecimalNumbers.stripByteOrderMark("1,2"));
        assertEquals("", DecimalNumbers.stripByteOrderMark(""));
        assertEquals("1\uFEFF", DecimalNumbers.stripByteOrderMark("1\uFEFF"));
    }
}
