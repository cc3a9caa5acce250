/**
 * Small numeric kernels for training: dense dot products, axpy and matrix products on the JDK
 * Vector API, sparse (CSR) row times dense matrix products, and a deterministic split of work over
 * a few threads.
 *
 * <p>Every kernel computes each output element by one fixed sequence of floating-point operations,
 * whatever the number of threads and whether the code runs interpreted or compiled, so results are
 * bit-identical from run to run on one machine. Vector lanes are summed through an array in lane
 * order rather than with {@code reduceLanes}, whose order is unspecified.
 */
package org.poisonlab.linalg;
