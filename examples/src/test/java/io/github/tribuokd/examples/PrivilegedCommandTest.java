package io.github.tribuokd.examples;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrivilegedCommandTest {

    @Test
    void helpAndSmallConfiguration() {
        CommandsTest.Run help = CommandsTest.run("privileged", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--seeds") && help.out().contains("--epochs"), help.out());
        CommandsTest.Run small = CommandsTest.run("privileged", "--seeds", "2", "--epochs", "5", "--test", "200");
        assertEquals(0, small.code(), small.err());
        assertTrue(small.out().contains("mean ± sd") && small.out().contains("0.971"), small.out());
        assertTrue(small.out().contains("Wall time"), small.out());
        assertEquals(2, CommandsTest.run("privileged", "--bogus").code());
    }
}
