/**
 * The {@code eels-unmix} command line (picocli): one thin class per command, an embedded {@code local[*]} entry
 * point ({@link org.eelsunmix.cli.Main}) and a spark-submit one, options from {@code .properties} files, and the
 * error printer that turns a {@link org.eelsunmix.core.BadInputException} into one line and exit code 2, naming
 * the option that sets a kernel parameter through {@code OptionNames}.
 *
 * <p>The top of the spine: may import every package; nothing imports it.
 */
package org.eelsunmix.cli;
