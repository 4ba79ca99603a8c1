/**
 * Command-line entry points of tribuo-kd: the default job ({@code demo}) and, later, the paper reproductions.
 * All of them are subcommands of {@link io.github.tribuokd.examples.Main}, packaged as
 * {@code examples/target/tribuo-kd.jar}.
 */
package io.github.tribuokd.examples;
