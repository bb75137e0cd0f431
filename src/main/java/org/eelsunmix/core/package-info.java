/**
 * The immutable, validating values every other package speaks in: {@link org.eelsunmix.core.EnergyAxis} (the
 * linear calibration offset + i·scale), {@link org.eelsunmix.core.SpectrumImage} (H × W × B counts),
 * {@link org.eelsunmix.core.Endmembers} (R × B), {@link org.eelsunmix.core.Abundances} (H × W × R),
 * {@link org.eelsunmix.core.Unmixing} (a method's result), the pixel key, the spectral angle (SAD; Palsson et al.,
 * IEEE Access 6:25646–25656, 2018, §IV) and {@link org.eelsunmix.core.BadInputException}, the one error type for
 * input a user can fix (exit code 2).
 *
 * <p>The bottom of the spine (kernels → Spark adapters → commands): plain Java, imports no other package of the
 * project and no Spark. Constructors refuse bad shapes, calibrations and non-finite values with a
 * {@code BadInputException} naming the field.
 */
package org.eelsunmix.core;
