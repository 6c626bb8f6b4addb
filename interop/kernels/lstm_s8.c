/*
 * UNIDIRECTIONAL_SEQUENCE_LSTM, TFLM's integer 8x8->16 form (LstmS8.cs mirrors this file). Per batch, step and
 * unit: four int16 gate pre-activations at 2^-12 (input FC + recurrent FC, each rescaled and saturated, added
 * with saturation), sigmoid for the input, forget and output gates and tanh for the cell gate (the int16
 * kernels' (0, 0) call), the cell update sat16(sat16(f x cell) + sat16(i x g)) with an optional clip, and the
 * hidden value o x tanh(cell) requantized to int8. The zero points are folded into the two bias arrays.
 */
#include <string.h>

#include "edge_micro.h"
#include "fixed_point.h"
#include "kernel_s16.h"

#define GATES 4

static int32_t sat16(int32_t v) { return v < INT16_MIN ? INT16_MIN : (v > INT16_MAX ? INT16_MAX : v); }

static int32_t dot_s8(const int8_t *w, const int8_t *x, int32_t count)
{
    int32_t sum = 0;
    for (int32_t k = 0; k < count; k++) {
        sum += (int32_t)w[k] * x[k];
    }
    return sum;
}

static em_status check(const em_lstm_params *p, const em_lstm_shape *s, const em_lstm_weights *w, const int8_t *input,
                       const int8_t *hidden, const int16_t *cell, const int8_t *output)
{
    if (!p || !s || !w || !input || !hidden || !cell || !output || !w->input_bias || !w->recurrent_bias || !w->sigmoid_table) {
        return EM_ERR_NULL;
    }
    for (int g = 0; g < GATES; g++) {
        if (!w->input_weights[g] || !w->recurrent_weights[g]) {
            return EM_ERR_NULL;
        }
    }
    if (s->batches < 1 || s->steps < 1 || s->input_size < 1 || s->units < 1) {
        return EM_ERR_SHAPE;
    }
    if (p->cell_clip < 0 || p->cell_clip > INT16_MAX) {
        return EM_ERR_PARAMS;
    }
    return EM_OK;
}

em_status em_lstm_s8(const em_lstm_params *p, const em_lstm_shape *s, const em_lstm_weights *w, const int8_t *input,
                     int8_t *hidden, int16_t *cell, int8_t *output)
{
    const em_status status = check(p, s, w, input, hidden, cell, output);
    if (status != EM_OK) {
        return status;
    }
    const em_activation_s16_params gate_call = {0, 0, 0};
    const em_activation_s16_params cell_call = {p->tanh_cell_multiplier, p->tanh_cell_shift, 0};
    const int32_t units = s->units;
    for (int32_t b = 0; b < s->batches; b++) {
        int8_t *h = hidden + b * units;
        int16_t *c = cell + b * units;
        for (int32_t t = 0; t < s->steps; t++) {
            const int32_t row = p->time_major ? t * s->batches + b : b * s->steps + t;
            const int8_t *x = input + row * s->input_size;
            int8_t *out = output + row * units;
            for (int32_t u = 0; u < units; u++) {
                int32_t pre[GATES];
                for (int g = 0; g < GATES; g++) {
                    const int32_t from_input = w->input_bias[g * units + u] + dot_s8(w->input_weights[g] + u * s->input_size, x, s->input_size);
                    const int32_t from_hidden = w->recurrent_bias[g * units + u] + dot_s8(w->recurrent_weights[g] + u * units, h, units);
                    pre[g] = sat16(sat16(em_mbqm(from_input, p->input_multipliers[g], p->input_shifts[g])) +
                                   sat16(em_mbqm(from_hidden, p->recurrent_multipliers[g], p->recurrent_shifts[g])));
                }
                const int32_t input_gate = em_logistic_s16_value(&gate_call, w->sigmoid_table, pre[0]);
                const int32_t forget_gate = em_logistic_s16_value(&gate_call, w->sigmoid_table, pre[1]);
                const int32_t cell_gate = em_tanh_s16_value(&gate_call, w->sigmoid_table, pre[2]);
                const int32_t output_gate = em_logistic_s16_value(&gate_call, w->sigmoid_table, pre[3]);
                int32_t next = sat16(sat16(em_mbqm(forget_gate * c[u], p->forget_multiplier, p->forget_shift)) +
                                     sat16(em_mbqm(input_gate * cell_gate, p->input_gate_multiplier, p->input_gate_shift)));
                if (p->cell_clip > 0) {
                    next = next < -p->cell_clip ? -p->cell_clip : (next > p->cell_clip ? p->cell_clip : next);
                }
                c[u] = (int16_t)next;
                const int32_t tanh_cell = em_tanh_s16_value(&cell_call, w->sigmoid_table, next);
                const int32_t v = em_mbqm(output_gate * tanh_cell, p->hidden_multiplier, p->hidden_shift) + p->hidden_zero_point;
                out[u] = (int8_t)(v < -128 ? -128 : (v > 127 ? 127 : v));
            }
            memmove(h, out, (size_t)units); /* a hostile model may overlap them: memmove stays defined */
        }
    }
    return EM_OK;
}
