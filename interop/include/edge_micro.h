/*
 * Edge.Micro native kernels: the one public header.
 *
 * C99, no malloc, no floating point in the int8 paths, nothing from libc beyond string.h / stdint.h /
 * stddef.h. Every kernel returns an em_status and never aborts. Parameter structs mirror the .emm op
 * records (docs/format.md) field for field: the int32 parameter block of an op record can be copied into
 * them as is. Array parameters (multipliers, shifts, bias) are offsets in the model; the caller resolves
 * them to pointers and passes them in an em_requant.
 *
 * Two bindings reach these functions: P/Invoke on the desktop (tools/Edge.Micro.Host/Native) and
 * nanoFramework native interop on the device (interop/nanoframework). Neither keeps a pointer after the
 * call returns: managed arrays move when the garbage collector compacts.
 */
#ifndef EDGE_MICRO_H
#define EDGE_MICRO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32) && defined(EM_BUILD_SHARED)
#define EM_API __declspec(dllexport)
#elif defined(__GNUC__) && defined(EM_BUILD_SHARED)
#define EM_API __attribute__((visibility("default")))
#else
#define EM_API
#endif

/** Kernel status. Mirrored by Edge.Micro.Runtime.Kernels.KernelStatus. */
typedef enum {
    EM_OK = 0,
    EM_ERR_NULL = 1,        /**< a required pointer is NULL */
    EM_ERR_SHAPE = 2,       /**< dimensions do not satisfy the kernel's contract */
    EM_ERR_PARAMS = 3,      /**< a parameter is out of range */
    EM_ERR_SCRATCH = 4,     /**< scratch buffer missing or too small */
    EM_ERR_UNSUPPORTED = 5  /**< type or variant not implemented */
} em_status;

/** A 4-D shape, NHWC. Lower-rank tensors use leading ones. */
typedef struct {
    int32_t n, h, w, c;
} em_dims;

/** Per-channel requantization arrays resolved by the caller (bias may be NULL). */
typedef struct {
    const int32_t *multipliers;
    const int32_t *shifts;
    const int32_t *bias;
} em_requant;

/** CONV_2D and DEPTHWISE_CONV_2D parameters: the 15 int32 of the op record, in order. */
typedef struct {
    int32_t stride_w, stride_h, dilation_w, dilation_h, pad_w, pad_h;
    int32_t input_offset, output_offset, act_min, act_max, depth_multiplier;
    int32_t multipliers_at, shifts_at, bias_at, bias_folded;
} em_conv_params;

/** FULLY_CONNECTED parameters: the 9 int32 of the op record. */
typedef struct {
    int32_t input_offset, output_offset, act_min, act_max;
    int32_t multipliers_at, shifts_at, multiplier_count, bias_at, bias_folded;
} em_fc_params;

/** CONV_2D_S16 / DEPTHWISE_CONV_2D_S16 parameters: the 13 int32 of the op record (16x8: no offsets). */
typedef struct {
    int32_t stride_w, stride_h, dilation_w, dilation_h, pad_w, pad_h, act_min, act_max, depth_multiplier;
    int32_t multipliers_at, shifts_at, bias_at, accumulator_bits;
} em_conv_s16_params;

/** FULLY_CONNECTED_S16 parameters: the 7 int32 of the op record. */
typedef struct {
    int32_t act_min, act_max, multipliers_at, shifts_at, multiplier_count, bias_at, accumulator_bits;
} em_fc_s16_params;

/** AVERAGE_POOL_2D / MAX_POOL_2D parameters: the 8 int32 of the op record. */
typedef struct {
    int32_t stride_w, stride_h, filter_w, filter_h, pad_w, pad_h, act_min, act_max;
} em_pool_params;

/** SOFTMAX parameters. */
typedef struct {
    int32_t input_multiplier, input_left_shift, diff_min;
} em_softmax_params;

/** SOFTMAX_S16 parameters: the 4 int32 of the op record (the two table offsets resolved by the caller). */
typedef struct {
    int32_t input_multiplier, input_shift, exp_table_at, reciprocal_table_at;
} em_softmax_s16_params;

/** ADD parameters. */
typedef struct {
    int32_t left_shift;
    int32_t input1_offset, input1_multiplier, input1_shift;
    int32_t input2_offset, input2_multiplier, input2_shift;
    int32_t output_offset, output_multiplier, output_shift;
    int32_t act_min, act_max;
} em_add_params;

/** MEAN (over height and width) parameters. */
typedef struct {
    int32_t input_offset, output_offset, multiplier, shift;
} em_mean_params;

/** LOGISTIC / TANH parameters. */
typedef struct {
    int32_t input_zero_point, input_multiplier, input_left_shift, input_range_radius;
} em_activation_params;

/** LOGISTIC_S16 / TANH_S16 parameters: the input rescale (multiplier 0: 3 x 2^input_left_shift, no shift). */
typedef struct {
    int32_t input_multiplier, input_left_shift, sigmoid_table_at;
} em_activation_s16_params;

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM parameters (LstmS8.cs; gates in TFLite's order: input, forget, cell, output). The
 * FC rescales go to the gates' 2^-12; forget/input_gate/hidden rescale the products f x cell, i x g and
 * o x tanh(cell); cell_clip 0 is off; tanh_cell_* is the int16 TANH rescale of the cell state.
 */
typedef struct {
    int32_t time_major;
    int32_t input_multipliers[4], input_shifts[4];
    int32_t recurrent_multipliers[4], recurrent_shifts[4];
    int32_t forget_multiplier, forget_shift;
    int32_t input_gate_multiplier, input_gate_shift;
    int32_t hidden_multiplier, hidden_shift, hidden_zero_point;
    int32_t cell_clip;
    int32_t tanh_cell_multiplier, tanh_cell_shift;
    int32_t sigmoid_table_at, input_bias_at, recurrent_bias_at;
} em_lstm_params;

/** LSTM sizes: the input is [batches, steps, input_size] (or [steps, batches, input_size] when time-major). */
typedef struct {
    int32_t batches, steps, input_size, units;
} em_lstm_shape;

/** The LSTM's constant data: per gate [units, input_size] and [units, units] weights; biases 4 x units each. */
typedef struct {
    const int8_t *input_weights[4];
    const int8_t *recurrent_weights[4];
    const int32_t *input_bias;
    const int32_t *recurrent_bias;
    const uint16_t *sigmoid_table;
} em_lstm_weights;

/** QUANTIZE parameters (output_scale_bits: the f32 bit pattern of the output scale). */
typedef struct {
    int32_t output_zero_point, output_scale_bits, input_zero_point, multiplier, shift;
} em_quantize_params;

/** DEQUANTIZE parameters (scale_bits: the f32 bit pattern of the input scale). */
typedef struct {
    int32_t zero_point, scale_bits;
} em_dequantize_params;

/** SVDF parameters: the 9 int32 of the op record (feature_offsets_at and bias_at are array offsets). */
typedef struct {
    int32_t rank, state_zero_point, output_zero_point;
    int32_t feature_multiplier, feature_shift, output_multiplier, output_shift;
    int32_t feature_offsets_at, bias_at;
} em_svdf_params;

/** SVDF sizes: input [batches, input_size], feature weights [filters, input_size], time weights and state [filters, memory] per batch. */
typedef struct {
    int32_t batches, input_size, filters, memory;
} em_svdf_shape;

/* ---- kernels: the wrapper picks the fastest variant valid for the shapes ---- */

EM_API size_t em_conv_s8_scratch_size(const em_conv_params *p, const em_dims *input, const em_dims *filter, const em_dims *output);
EM_API em_status em_conv_s8(const em_conv_params *p, const em_requant *q,
                            const em_dims *input_dims, const int8_t *input,
                            const em_dims *filter_dims, const int8_t *filter,
                            const em_dims *output_dims, int8_t *output);
EM_API em_status em_conv_s8_reference(const em_conv_params *p, const em_requant *q,
                                      const em_dims *input_dims, const int8_t *input,
                                      const em_dims *filter_dims, const int8_t *filter,
                                      const em_dims *output_dims, int8_t *output);

EM_API em_status em_depthwise_conv_s8(const em_conv_params *p, const em_requant *q,
                                      const em_dims *input_dims, const int8_t *input,
                                      const em_dims *filter_dims, const int8_t *filter,
                                      const em_dims *output_dims, int8_t *output);
EM_API em_status em_depthwise_conv_s8_reference(const em_conv_params *p, const em_requant *q,
                                                const em_dims *input_dims, const int8_t *input,
                                                const em_dims *filter_dims, const int8_t *filter,
                                                const em_dims *output_dims, int8_t *output);

/** weights [out_depth, accum_depth]; batches = output elements / out_depth. */
EM_API em_status em_fully_connected_s8(const em_fc_params *p, const em_requant *q, int32_t batches, int32_t accum_depth,
                                       int32_t out_depth, const int8_t *input, const int8_t *weights, int8_t *output);
EM_API em_status em_fully_connected_s8_reference(const em_fc_params *p, const em_requant *q, int32_t batches, int32_t accum_depth,
                                                 int32_t out_depth, const int8_t *input, const int8_t *weights, int8_t *output);

EM_API em_status em_avg_pool_s8(const em_pool_params *p, const em_dims *input_dims, const int8_t *input,
                                const em_dims *output_dims, int8_t *output);
EM_API em_status em_max_pool_s8(const em_pool_params *p, const em_dims *input_dims, const int8_t *input,
                                const em_dims *output_dims, int8_t *output);

/*
 * The 16x8 kernels: int16 activations (zero point 0), int8 weights. q->bias holds int32 values, or with
 * accumulator_bits 64 int64 values as int32 pairs (low word first); NULL for none.
 */
EM_API em_status em_conv_s16(const em_conv_s16_params *p, const em_requant *q, const em_dims *input_dims, const int16_t *input,
                             const em_dims *filter_dims, const int8_t *filter, const em_dims *output_dims, int16_t *output);
EM_API em_status em_depthwise_conv_s16(const em_conv_s16_params *p, const em_requant *q, const em_dims *input_dims,
                                       const int16_t *input, const em_dims *filter_dims, const int8_t *filter,
                                       const em_dims *output_dims, int16_t *output);
EM_API em_status em_fully_connected_s16(const em_fc_s16_params *p, const em_requant *q, int32_t batches, int32_t accum_depth,
                                        int32_t out_depth, const int16_t *input, const int8_t *weights, int16_t *output);
EM_API em_status em_avg_pool_s16(const em_pool_params *p, const em_dims *input_dims, const int16_t *input,
                                 const em_dims *output_dims, int16_t *output);
EM_API em_status em_max_pool_s16(const em_pool_params *p, const em_dims *input_dims, const int16_t *input,
                                 const em_dims *output_dims, int16_t *output);

/** rows x depth, softmax over each row; depth <= 256. */
EM_API em_status em_softmax_s8(const em_softmax_params *p, int32_t rows, int32_t depth, const int8_t *input, int8_t *output);
/** The same softmax of int8 rows with an int16 output (scale 1/65536, zero point -32768); same parameters. */
EM_API em_status em_softmax_s8_s16(const em_softmax_params *p, int32_t rows, int32_t depth, const int8_t *input, int16_t *output);

/** rows x depth int16 softmax (scale 1/32768); exp_table and reciprocal_table: 513 int16 entries each. */
EM_API em_status em_softmax_s16(const em_softmax_s16_params *p, const int16_t *exp_table, const int16_t *reciprocal_table, int32_t rows,
                                int32_t depth, const int16_t *input, int16_t *output);

/** Broadcasting add: each of a_dims / b_dims equals output_dims or is 1, per dimension. */
EM_API em_status em_add_s8(const em_add_params *p, const em_dims *a_dims, const int8_t *a, const em_dims *b_dims,
                           const int8_t *b, const em_dims *output_dims, int8_t *output);
EM_API em_status em_add_s16(const em_add_params *p, const em_dims *a_dims, const int16_t *a, const em_dims *b_dims,
                            const int16_t *b, const em_dims *output_dims, int16_t *output);

EM_API em_status em_mean_s8(const em_mean_params *p, const em_dims *input_dims, const int8_t *input, int8_t *output);
EM_API em_status em_mean_s16(const em_mean_params *p, const em_dims *input_dims, const int16_t *input, int16_t *output);

EM_API em_status em_logistic_s8(const em_activation_params *p, int32_t count, const int8_t *input, int8_t *output);
EM_API em_status em_tanh_s8(const em_activation_params *p, int32_t count, const int8_t *input, int8_t *output);

/**
 * int16 LOGISTIC / TANH (zero points 0, output scale 2^-15); sigmoid_table: the 256 nodes the converter stores
 * (docs/format.md). input_multiplier 0..32767, input_left_shift 0..30 (0..14 with multiplier 0).
 */
EM_API em_status em_logistic_s16(const em_activation_s16_params *p, const uint16_t *sigmoid_table, int32_t count,
                                 const int16_t *input, int16_t *output);
EM_API em_status em_tanh_s16(const em_activation_s16_params *p, const uint16_t *sigmoid_table, int32_t count,
                             const int16_t *input, int16_t *output);

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM, TFLM's integer 8x8->16 form, over the whole sequence. hidden ([batches, units],
 * int8) and cell ([batches, units], int16) are updated in place and persist between calls (the caller resets
 * them: hidden to its zero point, cell to 0). output: [batches, steps, units] (time-major: [steps, batches, units]).
 * No scratch: each step's new hidden values are written to the output first.
 */
EM_API em_status em_lstm_s8(const em_lstm_params *p, const em_lstm_shape *s, const em_lstm_weights *w, const int8_t *input,
                            int8_t *hidden, int16_t *cell, int8_t *output);

/** input_type / output_type: 1 int8, 2 int16, 4 float32 (the .emm element types); buffers are little-endian. */
EM_API em_status em_quantize(const em_quantize_params *p, int32_t count, int32_t input_type, const void *input,
                             int32_t output_type, void *output);
EM_API em_status em_dequantize(const em_dequantize_params *p, int32_t count, int32_t input_type, const void *input,
                               float *output);

/**
 * SVDF, int8 input/output, int8 state and time weights. feature_offsets: filters values (input zero point
 * folded in); bias: filters / rank values (state zero point folded in). Updates state in place (it persists
 * between inferences: the caller resets it to the state zero point). No scratch.
 */
EM_API em_status em_svdf_s8(const em_svdf_params *p, const em_svdf_shape *s, const int32_t *feature_offsets, const int32_t *bias,
                            const int8_t *input, const int8_t *weights_feature, const int8_t *weights_time, int8_t *state,
                            int8_t *output);
/** SVDF with an int16 state and int16 time weights (TFLite's original full-integer SVDF). */
EM_API em_status em_svdf_s8_state16(const em_svdf_params *p, const em_svdf_shape *s, const int32_t *feature_offsets,
                                    const int32_t *bias, const int8_t *input, const int8_t *weights_feature,
                                    const int16_t *weights_time, int16_t *state, int8_t *output);

/* ---- the micro front end (interop/frontend): TFLM's audio preprocessor, bit-exact ---- */

/**
 * The front end's precomputed tables (Edge.Micro.Audio.FrontEnd.MicroFrontendTables, field for field).
 * em_micro_frontend_tables (interop/frontend/micro_frontend_tables.c, generated) holds the micro_speech
 * configuration: 16 kHz, 30 ms window, 512-point FFT, 40 mel channels 125-7500 Hz.
 */
typedef struct {
    const int16_t *window;
    int32_t window_length, window_shift, fft_length;
    const int16_t *twiddles;       /* fft_length / 2 complex values, re/im interleaved, Q15 */
    const int32_t *factors;        /* radix, remaining length pairs */
    const int16_t *super_twiddles; /* fft_length / 4 complex values */
    int32_t energy_start, energy_end, channels;
    const int16_t *channel_frequency_starts, *channel_weight_starts, *channel_widths; /* channels + 1 each */
    const int16_t *weights, *unweights;
    int32_t even_smoothing, odd_smoothing, min_signal_remaining, smoothing_bits, spectral_subtraction_bits;
    const int16_t *pcan_gain_lut;
    int32_t pcan_snr_shift, log_correction_bits, log_output_scale;
} em_frontend_tables;

/** The micro_speech front end's tables (generated from Edge.Micro's table builder). */
extern const em_frontend_tables em_micro_frontend_tables;

/** Largest FFT length the native front end handles. */
#define EM_FRONTEND_MAX_FFT 1024
/** Largest channel count. */
#define EM_FRONTEND_MAX_CHANNELS 64

/**
 * Processes one frame (window_length samples): writes `channels` int8 features and, if log_out is not NULL,
 * the int16 log values. noise_estimate (channels values, zero at the start of a stream) is the state carried
 * between frames. Works on the stack (about 6 KB for a 512-point FFT); no allocation.
 */
EM_API em_status em_frontend_process(const em_frontend_tables *tables, uint32_t *noise_estimate, const int16_t *samples,
                                     int8_t *features, int16_t *log_out);

/** em_frontend_process with em_micro_frontend_tables (the entry point of both bindings). */
EM_API em_status em_micro_frontend_process(uint32_t *noise_estimate, const int16_t *samples, int8_t *features, int16_t *log_out);

/* ---- the native runner: .emm loading and a whole inference (interop/runner) ---- */

/** Model load errors: the same numbers and meanings as Edge.Micro.Runtime.ModelError (docs/format.md). */
typedef enum {
    EM_MODEL_OK = 0,
    EM_MODEL_TOO_SMALL = 1,
    EM_MODEL_BAD_MAGIC = 2,
    EM_MODEL_UNSUPPORTED_VERSION = 3,
    EM_MODEL_BAD_HEADER = 4,
    EM_MODEL_LENGTH_MISMATCH = 5,
    EM_MODEL_CRC_MISMATCH = 6,
    EM_MODEL_TABLE_OUT_OF_RANGE = 7,
    EM_MODEL_BAD_TENSOR = 8,
    EM_MODEL_TENSOR_OUT_OF_RANGE = 9,
    EM_MODEL_BAD_OP_RECORD = 10,
    EM_MODEL_UNKNOWN_OP = 11,
    EM_MODEL_BAD_OP_TENSORS = 12,
    EM_MODEL_BAD_OP_PARAMS = 13,
    EM_MODEL_ARRAY_OUT_OF_RANGE = 14,
    EM_MODEL_BAD_IO_TABLE = 15,
    EM_MODEL_ARENA_TOO_SMALL = 16,
    EM_MODEL_BAD_STRING = 17
} em_model_error;

/** A validated model: a view over the .emm bytes (kept in place, e.g. in flash) plus the caller's arena. */
typedef struct {
    const uint8_t *bytes;
    uint32_t length;
    uint8_t *arena;
    uint32_t arena_bytes;
    uint32_t failed_op; /**< op index of the last validation failure, or UINT32_MAX */
} em_model;

/** The message of a load error (same words as the C# runtime). */
EM_API const char *em_model_error_message(em_model_error error);

/** Arena bytes a model asks for, read from its header (0 if the header is unreadable). */
EM_API uint32_t em_model_arena_bytes(const uint8_t *bytes, uint32_t length);

/** Validates the whole model (same rules as the C# loader), binds the arena and resets the state tensors. No allocation. */
EM_API em_model_error em_model_load(em_model *model, const uint8_t *bytes, uint32_t length, uint8_t *arena, uint32_t arena_bytes);

/** Sets every state tensor (SVDF) to its zero point (int8) or 0: call between independent streams. */
EM_API void em_model_reset_state(const em_model *model);

/** Pointer and byte size of model input / output i inside the arena (NULL when out of range). */
EM_API uint8_t *em_model_input(const em_model *model, uint32_t index, uint32_t *bytes);
EM_API uint8_t *em_model_output(const em_model *model, uint32_t index, uint32_t *bytes);

/** Runs every op once. Returns the first failing kernel's status. */
EM_API em_status em_model_invoke(const em_model *model);

/** Runs op `op` alone (the ops before it must have run): for comparing intermediates and per-op timing. */
EM_API em_status em_model_invoke_op(const em_model *model, uint32_t op);

/**
 * Runs op `op` of a model that was already validated (by em_model_load or by the C# loader, which applies
 * the same rules) against the caller's arena, without keeping any pointer. This is the entry point of both
 * bindings: the desktop's P/Invoke and the nanoFramework interop stub call it once per op with pointers into
 * managed arrays that are only valid during the call.
 */
EM_API em_status em_run_op(const uint8_t *bytes, uint32_t length, uint8_t *arena, uint32_t arena_bytes, uint32_t op);

/** Number of ops. */
EM_API uint32_t em_model_op_count(const em_model *model);

/** Arena pointer and bytes of op `op`'s output 0 (for comparing intermediates). */
EM_API uint8_t *em_model_op_output(const em_model *model, uint32_t op, uint32_t *bytes);

#ifdef __cplusplus
}
#endif

#endif /* EDGE_MICRO_H */
