/* The requantization shared by the 16x8 kernels, and the int16 activations the LSTM calls (internal). */
#ifndef EM_KERNEL_S16_H
#define EM_KERNEL_S16_H

#include "edge_micro.h"

/*
 * Finishes one output of a 16x8 kernel from the exact sum of its products (int64 never overflows here):
 * with accumulator_bits 64, adds bias[bias_channel] (int64 as two int32 words, low first) and rescales with
 * MultiplyByQuantizedMultiplier's int64 form; with 32, TFLM's int32 accumulator is the sum's low 32 bits
 * (wrapping addition), plus the int32 bias, rescaled with the int32 form. Then clamps to [act_min, act_max].
 * Defined in conv_s16.c.
 */
int16_t em_s16_requantize(int64_t sum, int32_t accumulator_bits, const em_requant *q, int32_t bias_channel, int32_t quant_channel,
                          int32_t act_min, int32_t act_max);

/* One int16 sigmoid / tanh value (LOGISTIC_S16 / TANH_S16 on one element). Defined in activation_s16.c. */
int16_t em_logistic_s16_value(const em_activation_s16_params *p, const uint16_t *sigmoid_table, int32_t x);
int16_t em_tanh_s16_value(const em_activation_s16_params *p, const uint16_t *sigmoid_table, int32_t x);

#endif
