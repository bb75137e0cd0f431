package org.eelsunmix.eval;

import java.io.Serializable;

/**
 * One row of a study's long-form unit table ({@code units.csv}): one metric of one (cell, replicate, method) unit,
 * or its error.
 *
 * @param cell the cell number
 * @param replicate the replicate number
 * @param seed the unit seed (the cube's and the fit's)
 * @param method the method's label in the study
 * @param endmember the true endmember's name, null for image-level metrics and errors
 * @param metric {@code sad}, {@code nmse}, {@code mean_sad}, {@code mean_nmse}, {@code rmse} or {@code error}
 * @param value the value, null for an error
 * @param seconds seconds of the fit, null when it did not finish
 * @param error the failure's message, null when the unit succeeded
 */
public record StudyRecord(int cell, int replicate, long seed, String method, String endmember, String metric,
    Double value, Double seconds, String error) implements Serializable {}
