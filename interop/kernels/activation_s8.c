/* LOGISTIC and TANH, int8 (TFLM reference_integer_ops::Logistic / Tanh, gemmlowp fixed point on Q4.27). */
#include "edge_micro.h"
#include "fixed_point.h"

#define INPUT_INTEGER_BITS 4

static int32_t logistic_q0(int32_t a)
{
    if (a == 0) {
        return 1 << 30;
    }
    const int32_t abs_a = a > 0 ? a : -a;
    const int32_t positive = em_one_over_one_plus_x(em_exp_on_negative_values(-abs_a, INPUT_INTEGER_BITS));
    return a > 0 ? positive : EM_ONE_Q0 - positive;
}

static int32_t tanh_q0(int32_t a)
{
    if (a == 0) {
        return 0;
    }
    const int32_t negative = a < 0 ? a : -a;
    const int32_t t = em_one_minus_x_over_one_plus_x(em_exp_on_negative_values(negative, INPUT_INTEGER_BITS + 1));
    return a < 0 ? -t : t;
}

static em_status activation(const em_activation_params *p, int32_t count, const int8_t *input, int8_t *output, int logistic)
{
    if (!p || !input || !output) {
        return EM_ERR_NULL;
    }
    if (count < 0 || p->input_left_shift < -31 || p->input_left_shift > 30 || p->input_range_radius < 0) {
        return EM_ERR_PARAMS;
    }
    for (int32_t i = 0; i < count; i++) {
        const int32_t x = input[i] - p->input_zero_point;
        int32_t r;
        if (x <= -p->input_range_radius) {
            r = -128;
        } else if (x >= p->input_range_radius) {
            r = 127;
        } else {
            const int32_t q4 = em_mbqm(x, p->input_multiplier, p->input_left_shift);
            r = logistic ? em_rdbpot(logistic_q0(q4), 31 - 8) - 128 : em_rdbpot(tanh_q0(q4), 31 - 7);
            r = em_clamp(r, -128, 127);
        }
        output[i] = (int8_t)r;
    }
    return EM_OK;
}

em_status em_logistic_s8(const em_activation_params *p, int32_t count, const int8_t *input, int8_t *output)
{
    return activation(p, count, input, output, 1);
}

em_status em_tanh_s8(const em_activation_params *p, int32_t count, const int8_t *input, int8_t *output)
{
    return activation(p, count, input, output, 0);
}
