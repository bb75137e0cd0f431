/**
 * Small dense linear algebra on row-major {@code double[]} with caller-owned buffers: inner products
 * ({@link org.eelsunmix.linalg.Dot}), Cholesky with diagonal pivoting for semi-definite systems (Golub &amp; Van
 * Loan, <i>Matrix Computations</i>, 4th ed., Alg. 4.2.4), leading eigenpairs of a symmetric matrix by subspace
 * iteration with Rayleigh–Ritz (Saad, <i>Numerical Methods for Large Eigenvalue Problems</i>, 2nd ed., §5.2; EJML
 * for the full decomposition), the Hungarian assignment (Kuhn 1955; Munkres 1957; Jonker &amp; Volgenant 1987), and
 * the special functions the synthetic data and the study statistics need ({@link org.eelsunmix.linalg.SpecialFunctions}),
 * and the gate of the kernels written on the JDK's incubating Vector API ({@link org.eelsunmix.linalg.VectorApi}) and
 * the one vector shape of its float kernels ({@link org.eelsunmix.linalg.FloatLanes}) and of its double kernels
 * ({@link org.eelsunmix.linalg.DoubleLanes}).
 *
 * <p>A kernel package at the bottom of the spine: imports nothing of the project (EJML only) and no Spark; the
 * unmixing, evaluation and Spark code call it, it calls none of them.
 */
package org.eelsunmix.linalg;
