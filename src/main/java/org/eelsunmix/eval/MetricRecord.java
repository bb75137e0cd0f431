package org.eelsunmix.eval;

import java.io.Serializable;

/**
 * One row of an evaluation in long form (design §2): one metric of one endmember (or of the whole image when
 * {@code endmember} is null) for one replicate and method. A failed replicate is a record with {@code metric =
 * "error"}, a null value and the error message, not a crash of the study.
 *
 * @param study study name
 * @param endmemberSet name of the endmember set
 * @param dose counts per pixel (Infinity: noise-free)
 * @param replicate replicate number
 * @param seed the replicate's seed (data and method)
 * @param method unmixing method
 * @param endmember true endmember's name, or null for image-level metrics
 * @param metric {@code sad} (radians), {@code nmse}, {@code mean_sad}, {@code mean_nmse}, {@code rmse}, {@code error}
 * @param value the value, null for an error
 * @param seconds wall time of the unmixing
 * @param error the failure message, null when it worked
 */
public record MetricRecord(String study, String endmemberSet, double dose, int replicate, long seed, String method,
    String endmember, String metric, Double value, Double seconds, String error) implements Serializable {}
