/**
 * Classification with knowledge distillation: {@link io.github.tribuokd.anomaly.classification.MLPClassificationTrainer}
 * and its {@link io.github.tribuokd.anomaly.classification.MLPClassificationModel} (softmax probabilities, dropout,
 * protobuf, ONNX), and {@link io.github.tribuokd.anomaly.classification.SoftTargetDistillationTrainer}, which distils
 * any Tribuo classification teacher into that student with Hinton's soft-target loss (seed 003).
 */
package io.github.tribuokd.anomaly.classification;
