/* The op table (op_table.h): one line per .emm op code (docs/format.md, Format/OpCode.cs). */
#include "emm_records.h"
#include "op_table.h"

static const em_op_entry OPS[] = {
    [OP_CONV] = {em_validate_conv, em_run_conv},
    [OP_DEPTHWISE] = {em_validate_conv, em_run_conv},
    [OP_FC] = {em_validate_fc, em_run_fc},
    [OP_AVG_POOL] = {em_validate_pool, em_run_pool},
    [OP_MAX_POOL] = {em_validate_pool, em_run_pool},
    [OP_RESHAPE] = {em_validate_reshape, em_run_reshape},
    [OP_SOFTMAX] = {em_validate_softmax, em_run_softmax},
    [OP_ADD] = {em_validate_add, em_run_add},
    [OP_MEAN] = {em_validate_mean, em_run_mean},
    [OP_LOGISTIC] = {em_validate_activation, em_run_activation},
    [OP_TANH] = {em_validate_activation, em_run_activation},
    [OP_QUANTIZE] = {em_validate_quantize, em_run_quantize},
    [OP_DEQUANTIZE] = {em_validate_dequantize, em_run_dequantize},
    [OP_SVDF] = {em_validate_svdf, em_run_svdf},
    [OP_CONV_S16] = {em_validate_conv_s16, em_run_conv_s16},
    [OP_DEPTHWISE_S16] = {em_validate_conv_s16, em_run_conv_s16},
    [OP_FC_S16] = {em_validate_fc_s16, em_run_fc_s16},
    [OP_SOFTMAX_S16] = {em_validate_softmax_s16, em_run_softmax_s16},
    [OP_LOGISTIC_S16] = {em_validate_activation_s16, em_run_activation_s16},
    [OP_TANH_S16] = {em_validate_activation_s16, em_run_activation_s16},
    [OP_LSTM] = {em_validate_lstm, em_run_lstm},
};

const em_op_entry *em_op_find(uint32_t code)
{
    if (code >= sizeof OPS / sizeof OPS[0] || OPS[code].validate == NULL) {
        return NULL;
    }
    return &OPS[code];
}
