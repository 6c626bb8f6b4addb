// SVDF against a literal transcription of TFLM's EvalIntegerSvdfReference (svdf_common.cc at the corpus
// commit): zero points subtracted in the inner loops, two int32 scratch buffers, the feature result clamped
// to the state type and then offset by the state zero point and narrowed. The kernel gets the converter's
// folded parameters instead (zero points folded into feature offsets and bias), so this also proves the
// folding exact. No corpus model has an SVDF, so there are no TFLM goldens for it; see docs/format.md.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

extern "C" {
#include "edge_micro.h"
}

namespace {

// TFLM's MultiplyByQuantizedMultiplier (gemmlowp rounding), written out independently of fixed_point.h.
int32_t Mbqm(int32_t x, int32_t multiplier, int shift)
{
    const int left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
    const int32_t a = static_cast<int32_t>(static_cast<uint32_t>(x) << left);
    int32_t high;
    if (a == INT32_MIN && multiplier == INT32_MIN) {
        high = INT32_MAX;
    } else {
        const int64_t ab = static_cast<int64_t>(a) * multiplier;
        const int64_t nudge = ab >= 0 ? (1LL << 30) : (1 - (1LL << 30));
        high = static_cast<int32_t>((ab + nudge) / (1LL << 31));
    }
    const int32_t mask = static_cast<int32_t>((1LL << right) - 1);
    const int32_t remainder = high & mask;
    const int32_t threshold = (mask >> 1) + (high < 0 ? 1 : 0);
    return (high >> right) + (remainder > threshold ? 1 : 0);
}

struct SvdfCase {
    int batches, input_size, filters, memory, rank;
    int input_zp, state_zp, output_zp;
    int32_t m1, m2;
    int s1, s2;
};

// Returns how many feature results were clamped to the state type's range.
template <typename T>
int TflmSvdf(const SvdfCase &c, const std::vector<int8_t> &input, const std::vector<int8_t> &wf, const std::vector<T> &wt,
             const std::vector<int32_t> &bias, std::vector<T> &state, std::vector<int8_t> &output)
{
    int clamped = 0;
    const int units = c.filters / c.rank;
    std::memmove(state.data(), state.data() + 1, (state.size() - 1) * sizeof(T));
    for (int b = 0; b < c.batches; b++) {
        for (int r = 0; r < c.filters; r++) {
            uint32_t dot = 0;
            for (int i = 0; i < c.input_size; i++) {
                dot += static_cast<uint32_t>(wf[r * c.input_size + i] * (input[b * c.input_size + i] - c.input_zp));
            }
            int32_t v = Mbqm(static_cast<int32_t>(dot), c.m1, c.s1);
            clamped += v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max();
            v = std::min<int32_t>(std::max<int32_t>(v, std::numeric_limits<T>::min()), std::numeric_limits<T>::max());
            state[(b * c.filters + r) * c.memory + c.memory - 1] = static_cast<T>(c.state_zp + v);
        }
    }
    std::vector<int32_t> scratch(c.batches * c.filters), scratch_out(c.batches * units);
    for (int b = 0; b < c.batches; b++) {
        for (int i = 0; i < c.filters; i++) {
            uint32_t acc = 0;
            for (int j = 0; j < c.memory; j++) {
                acc += static_cast<uint32_t>(wt[i * c.memory + j] * (state[(b * c.filters + i) * c.memory + j] - c.state_zp));
            }
            scratch[b * c.filters + i] = static_cast<int32_t>(acc);
        }
    }
    for (int b = 0; b < c.batches; b++) {
        for (int u = 0; u < units; u++) {
            uint32_t acc = static_cast<uint32_t>(bias[u]);
            for (int j = 0; j < c.rank; j++) {
                acc += static_cast<uint32_t>(scratch[b * c.filters + u * c.rank + j]);
            }
            scratch_out[b * units + u] = static_cast<int32_t>(acc);
        }
    }
    for (int i = 0; i < c.batches * units; i++) {
        int32_t v = Mbqm(scratch_out[i], c.m2, c.s2) + c.output_zp;
        output[i] = static_cast<int8_t>(std::min(127, std::max(-128, v)));
    }
    return clamped;
}

template <typename T>
void CheckCase(const SvdfCase &c, uint32_t seed)
{
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> i8(-128, 127);
    std::uniform_int_distribution<int> wide(-32768, 32767);
    const int units = c.filters / c.rank;
    std::vector<int8_t> wf(c.filters * c.input_size);
    std::vector<T> wt(c.filters * c.memory);
    std::vector<int32_t> bias(units);
    for (auto &w : wf) w = static_cast<int8_t>(i8(rng));
    for (auto &w : wt) w = static_cast<T>(sizeof(T) == 1 ? i8(rng) : wide(rng));
    for (auto &v : bias) v = static_cast<int32_t>(rng() % 200001) - 100000;

    // The converter's folding.
    std::vector<int32_t> offsets(c.filters), folded(units);
    for (int f = 0; f < c.filters; f++) {
        int64_t sum = 0;
        for (int d = 0; d < c.input_size; d++) sum += wf[f * c.input_size + d];
        offsets[f] = static_cast<int32_t>(static_cast<uint32_t>(-c.input_zp * sum));
    }
    for (int u = 0; u < units; u++) {
        int64_t sum = 0;
        for (int i = u * c.rank * c.memory; i < (u + 1) * c.rank * c.memory; i++) sum += wt[i];
        folded[u] = static_cast<int32_t>(static_cast<uint32_t>(bias[u]) - static_cast<uint32_t>(c.state_zp * sum));
    }

    const T reset = static_cast<T>(sizeof(T) == 1 ? c.state_zp : 0);
    std::vector<T> state_ref(c.batches * c.filters * c.memory, reset), state(state_ref);
    std::vector<int8_t> out_ref(c.batches * units), out(c.batches * units);
    const em_svdf_params p = {c.rank, c.state_zp, c.output_zp, c.m1, c.s1, c.m2, c.s2, 0, 0};
    const em_svdf_shape s = {c.batches, c.input_size, c.filters, c.memory};
    std::vector<int8_t> input(c.batches * c.input_size);
    int saturated = 0, clamped = 0;
    for (int step = 0; step < 3 * c.memory; step++) {
        for (auto &x : input) x = static_cast<int8_t>(i8(rng));
        clamped += TflmSvdf<T>(c, input, wf, wt, bias, state_ref, out_ref);
        em_status st;
        if constexpr (sizeof(T) == 1) {
            st = em_svdf_s8(&p, &s, offsets.data(), folded.data(), input.data(), wf.data(), wt.data(), state.data(), out.data());
        } else {
            st = em_svdf_s8_state16(&p, &s, offsets.data(), folded.data(), input.data(), wf.data(), wt.data(), state.data(), out.data());
        }
        ASSERT_EQ(st, EM_OK);
        ASSERT_EQ(state, state_ref) << "state differs at step " << step;
        ASSERT_EQ(out, out_ref) << "output differs at step " << step;
        for (int8_t v : out) saturated += (v == -128 || v == 127);
    }
    // Some feature results must saturate (the clamp-then-offset case) but not all, and the outputs must not
    // all sit at the rails, or the comparison proves little.
    const int steps = 3 * c.memory;
    EXPECT_GT(clamped, 0);
    EXPECT_LT(clamped, steps * c.batches * c.filters / 2);
    EXPECT_LT(saturated, steps * static_cast<int>(out.size()) / 2);
}

}  // namespace

TEST(Svdf, Int8StateMatchesTflmReferenceOverManySteps)
{
    // Scales chosen so the feature step both stays in range and sometimes saturates (which, with a non-zero
    // state zero point, exercises TFLM's clamp-then-offset narrowing).
    CheckCase<int8_t>({1, 40, 8, 10, 1, -5, 13, 3, 1518500250, 1300000000, -9, -11}, 1);
    CheckCase<int8_t>({2, 24, 12, 6, 3, 7, -20, -9, 1900000000, 1100000000, -9, -10}, 2);
}

TEST(Svdf, Int16StateMatchesTflmReferenceOverManySteps)
{
    CheckCase<int16_t>({1, 40, 8, 10, 1, -5, 0, 3, 1518500250, 1300000000, 0, -25}, 3);
    CheckCase<int16_t>({2, 16, 6, 4, 2, 11, 0, -1, 1700000000, 1200000000, 0, -24}, 4);
}

TEST(Svdf, BadArgumentsAreRefusedNotCrashed)
{
    int8_t x[4] = {0}, w[4] = {0}, state[4] = {0}, out[4] = {0};
    int32_t offsets[2] = {0}, bias[2] = {0};
    em_svdf_params p = {1, 0, 0, 1 << 30, 0, 1 << 30, 0, 0, 0};
    em_svdf_shape s = {1, 2, 2, 2};
    EXPECT_EQ(em_svdf_s8(nullptr, &s, offsets, bias, x, w, w, state, out), EM_ERR_NULL);
    EXPECT_EQ(em_svdf_s8(&p, &s, offsets, bias, x, w, w, nullptr, out), EM_ERR_NULL);
    p.rank = 3;
    EXPECT_EQ(em_svdf_s8(&p, &s, offsets, bias, x, w, w, state, out), EM_ERR_SHAPE);
    p.rank = 1;
    p.output_shift = 31;
    EXPECT_EQ(em_svdf_s8(&p, &s, offsets, bias, x, w, w, state, out), EM_ERR_PARAMS);
}
