/**
 * Seed 002 ("Generating Small Anomaly Detection Models through Distillation of Long-Term Dependency"): the MSCRED
 * teacher on signature matrices ({@link io.github.tribuokd.timeseries.mscred.MSCREDTrainer}), the small student
 * with attention distillation and a Long-Term Accumulator
 * ({@link io.github.tribuokd.timeseries.mscred.LTADistillationTrainer}), the detector they produce
 * ({@link io.github.tribuokd.timeseries.mscred.MSCREDModel}, eq. 4's residual count rule) and its streaming form
 * ({@link io.github.tribuokd.timeseries.mscred.MSCREDStream}), and its ONNX graph with the state protocol for
 * stepping it through a stream ({@link io.github.tribuokd.timeseries.mscred.MSCREDOnnxExport}). MSCRED's encoder
 * (channels, kernels, strides per level) is written once in
 * {@link io.github.tribuokd.timeseries.mscred.MSCREDArchitecture}; the seed's input lengths per dataset are the
 * named presets of {@link io.github.tribuokd.timeseries.mscred.MSCREDPreset}.
 */
package io.github.tribuokd.timeseries.mscred;
