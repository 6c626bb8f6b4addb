/*
 * The runner's op table: for each .emm op code, the function that checks an op record against its kernel's
 * contract at load time and the function that runs it. Each op family lives in ops/<family>_op.c; adding an op
 * is its file plus one line in op_table.c. Internal to interop/runner.
 */
#ifndef EDGE_MICRO_OP_TABLE_H
#define EDGE_MICRO_OP_TABLE_H

#include "edge_micro.h"

typedef em_model_error (*em_validate_fn)(const em_model *m, uint32_t op);
typedef em_status (*em_run_fn)(const em_model *m, uint32_t op);

typedef struct {
    em_validate_fn validate;
    em_run_fn run;
} em_op_entry;

/* The entry of an op code, or NULL when the code is unknown. */
const em_op_entry *em_op_find(uint32_t code);

/* Shared by the multiply-accumulate ops (ops/requant_checks.c). A negative parameter index skips that array. */
em_model_error em_check_requant(const em_model *m, uint32_t op, int mult_p, int shift_p, int bias_p, int32_t channels);
em_model_error em_check_requant_s16(const em_model *m, uint32_t op, int mult_p, int shift_p, int bias_p, int bits_p,
                                    int32_t multiplier_count, int32_t channels);

em_model_error em_validate_conv(const em_model *m, uint32_t op);
em_status em_run_conv(const em_model *m, uint32_t op);
em_model_error em_validate_conv_s16(const em_model *m, uint32_t op);
em_status em_run_conv_s16(const em_model *m, uint32_t op);
em_model_error em_validate_fc(const em_model *m, uint32_t op);
em_status em_run_fc(const em_model *m, uint32_t op);
em_model_error em_validate_fc_s16(const em_model *m, uint32_t op);
em_status em_run_fc_s16(const em_model *m, uint32_t op);
em_model_error em_validate_pool(const em_model *m, uint32_t op);
em_status em_run_pool(const em_model *m, uint32_t op);
em_model_error em_validate_reshape(const em_model *m, uint32_t op);
em_status em_run_reshape(const em_model *m, uint32_t op);
em_model_error em_validate_softmax(const em_model *m, uint32_t op);
em_status em_run_softmax(const em_model *m, uint32_t op);
em_model_error em_validate_softmax_s16(const em_model *m, uint32_t op);
em_status em_run_softmax_s16(const em_model *m, uint32_t op);
em_model_error em_validate_add(const em_model *m, uint32_t op);
em_status em_run_add(const em_model *m, uint32_t op);
em_model_error em_validate_mean(const em_model *m, uint32_t op);
em_status em_run_mean(const em_model *m, uint32_t op);
em_model_error em_validate_activation(const em_model *m, uint32_t op);
em_status em_run_activation(const em_model *m, uint32_t op);
em_model_error em_validate_activation_s16(const em_model *m, uint32_t op);
em_status em_run_activation_s16(const em_model *m, uint32_t op);
em_model_error em_validate_quantize(const em_model *m, uint32_t op);
em_status em_run_quantize(const em_model *m, uint32_t op);
em_model_error em_validate_dequantize(const em_model *m, uint32_t op);
em_status em_run_dequantize(const em_model *m, uint32_t op);
em_model_error em_validate_svdf(const em_model *m, uint32_t op);
em_status em_run_svdf(const em_model *m, uint32_t op);
em_model_error em_validate_lstm(const em_model *m, uint32_t op);
em_status em_run_lstm(const em_model *m, uint32_t op);

#endif
