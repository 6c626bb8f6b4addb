/*
 * UNIDIRECTIONAL_SEQUENCE_LSTM, 8x8->16 (LstmS8).
 * Validation mirrors the C# kernel's Validate; run resolves the tensors and calls the kernel.
 * Inputs: input, 4 input weights, 4 recurrent weights, hidden state, cell state; one output.
 */
#include "../emm_records.h"
#include "../op_table.h"

#define LSTM_GATES 4
#define LSTM_INPUTS 11
#define LSTM_PARAMS 30
#define P_TIME_MAJOR 0
#define P_INPUT_MULTIPLIERS 1
#define P_RECURRENT_MULTIPLIERS 9
#define P_FORGET 17
#define P_INPUT_GATE 19
#define P_HIDDEN 21
#define P_HIDDEN_ZERO_POINT 23
#define P_CELL_CLIP 24
#define P_TANH_CELL 25
#define P_SIGMOID_TABLE 27
#define P_INPUT_BIAS 28
#define P_RECURRENT_BIAS 29

static int is_weights(const em_model *m, uint32_t t, int32_t rows, int32_t columns)
{
    return t_type(m, t) == T_INT8 && t_const(m, t) && t_rank(m, t) == 2 && t_dim(m, t, 0) == rows && t_dim(m, t, 1) == columns;
}

/* A multiplier and shift at parameter index i and i + offset. */
static int is_rescale(const em_model *m, uint32_t op, uint32_t i, uint32_t shift_offset)
{
    return o_param(m, op, i) >= 0 && in_range(o_param(m, op, i + shift_offset), -31, 30);
}

em_model_error em_validate_lstm(const em_model *m, uint32_t op)
{
    if (o_nin(m, op) != LSTM_INPUTS || o_nout(m, op) != 1 || o_nparams(m, op) != LSTM_PARAMS) {
        return EM_MODEL_BAD_OP_TENSORS;
    }
    const uint32_t in = o_in(m, op, 0), hidden = o_in(m, op, 9), cell = o_in(m, op, 10), out = o_out(m, op, 0);
    if (t_type(m, in) != T_INT8 || t_rank(m, in) != 3 || t_const(m, in) || t_type(m, hidden) != T_INT8 || t_rank(m, hidden) != 2 ||
        !t_state(m, hidden) || t_type(m, cell) != T_INT16 || t_rank(m, cell) != 2 || !t_state(m, cell) || t_type(m, out) != T_INT8 ||
        t_rank(m, out) != 3) {
        return EM_MODEL_BAD_OP_TENSORS;
    }
    const int32_t time_major = o_param(m, op, P_TIME_MAJOR);
    if (time_major != 0 && time_major != 1) {
        return EM_MODEL_BAD_OP_PARAMS;
    }
    const int32_t batches = t_dim(m, in, time_major ? 1 : 0), steps = t_dim(m, in, time_major ? 0 : 1), input_size = t_dim(m, in, 2);
    const int32_t units = t_dim(m, hidden, 1);
    if (t_dim(m, hidden, 0) != batches || t_dim(m, cell, 0) != batches || t_dim(m, cell, 1) != units || t_dim(m, out, 0) != t_dim(m, in, 0) ||
        t_dim(m, out, 1) != t_dim(m, in, 1) || t_dim(m, out, 2) != units || steps < 1) {
        return EM_MODEL_BAD_OP_TENSORS;
    }
    for (uint32_t g = 0; g < LSTM_GATES; g++) {
        if (!is_weights(m, o_in(m, op, 1 + g), units, input_size) || !is_weights(m, o_in(m, op, 5 + g), units, units)) {
            return EM_MODEL_BAD_OP_TENSORS;
        }
        if (!is_rescale(m, op, P_INPUT_MULTIPLIERS + g, LSTM_GATES) || !is_rescale(m, op, P_RECURRENT_MULTIPLIERS + g, LSTM_GATES)) {
            return EM_MODEL_BAD_OP_PARAMS;
        }
    }
    const int32_t tanh_multiplier = o_param(m, op, P_TANH_CELL);
    if (!is_rescale(m, op, P_FORGET, 1) || !is_rescale(m, op, P_INPUT_GATE, 1) || !is_rescale(m, op, P_HIDDEN, 1) ||
        !in_range(o_param(m, op, P_HIDDEN_ZERO_POINT), -128, 127) || !in_range(o_param(m, op, P_CELL_CLIP), 0, 32767) ||
        !in_range(tanh_multiplier, 0, 32767) || !in_range(o_param(m, op, P_TANH_CELL + 1), 0, tanh_multiplier == 0 ? 14 : 30)) {
        return EM_MODEL_BAD_OP_PARAMS;
    }
    return (has_array(m, o_param(m, op, P_SIGMOID_TABLE), SIGMOID_TABLE_WORDS) &&
            has_array(m, o_param(m, op, P_INPUT_BIAS), LSTM_GATES * units) && has_array(m, o_param(m, op, P_RECURRENT_BIAS), LSTM_GATES * units))
               ? EM_MODEL_OK
               : EM_MODEL_ARRAY_OUT_OF_RANGE;
}

em_status em_run_lstm(const em_model *m, uint32_t op)
{
    em_lstm_params p;
    o_params(m, op, &p, sizeof p);
    const uint32_t in = o_in(m, op, 0), hidden = o_in(m, op, 9), cell = o_in(m, op, 10), out = o_out(m, op, 0);
    const em_lstm_shape s = {t_dim(m, hidden, 0), t_dim(m, in, p.time_major ? 0 : 1), t_dim(m, in, 2), t_dim(m, hidden, 1)};
    em_lstm_weights w;
    for (uint32_t g = 0; g < LSTM_GATES; g++) {
        w.input_weights[g] = (const int8_t *)t_data(m, o_in(m, op, 1 + g));
        w.recurrent_weights[g] = (const int8_t *)t_data(m, o_in(m, op, 5 + g));
    }
    w.input_bias = array_at(m, p.input_bias_at);
    w.recurrent_bias = array_at(m, p.recurrent_bias_at);
    w.sigmoid_table = (const uint16_t *)(const void *)array_at(m, p.sigmoid_table_at);
    return em_lstm_s8(&p, &s, &w, (const int8_t *)t_data(m, in), (int8_t *)t_arena(m, hidden), (int16_t *)(void *)t_arena(m, cell),
                      (int8_t *)t_arena(m, out));
}

/* The parameter block is copied straight into em_lstm_params: their sizes must agree. */
typedef char lstm_params_match_the_record[(sizeof(em_lstm_params) == LSTM_PARAMS * sizeof(int32_t)) ? 1 : -1];
