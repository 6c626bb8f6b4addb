using CsCheck;
using Edge.Micro.Runtime.Arithmetic;

namespace Edge.Micro.Runtime.Tests;

/// <summary>
/// Properties of the quantized arithmetic against independent oracles (exact decimal arithmetic and
/// System.Math), so a slip in a shift or a rounding direction cannot hide behind matching goldens.
/// </summary>
public class FixedPointPropertyTests
{
    private static int RoundHalfAwayFromZero(decimal v) => (int)Math.Round(v, MidpointRounding.AwayFromZero);

    [Fact]
    public void SaturatingRoundingDoublingHighMul_is_the_rounded_product_over_2_pow_31()
    {
        Gen.Select(Gen.Int, Gen.Int).Sample((a, b) =>
        {
            int expected = a == int.MinValue && b == int.MinValue
                ? int.MaxValue
                : RoundHalfAwayFromZero((decimal)a * b / (1L << 31));
            Assert.Equal(expected, FixedPoint.SaturatingRoundingDoublingHighMul(a, b));
        });
    }

    [Fact]
    public void RoundingDivideByPOT_rounds_half_away_from_zero()
    {
        Gen.Select(Gen.Int, Gen.Int[0, 31]).Sample((x, e) =>
            Assert.Equal(RoundHalfAwayFromZero((decimal)x / (1L << e)), FixedPoint.RoundingDivideByPOT(x, e)));
    }

    [Fact]
    public void MultiplyByQuantizedMultiplier_is_within_one_of_the_real_product()
    {
        // multiplier in [2^30, 2^31) is a Q0.31 value in [0.5, 1); shifts as QuantizeMultiplier produces them.
        Gen.Select(Gen.Int[-(1 << 24), 1 << 24], Gen.Int[1 << 30, int.MaxValue], Gen.Int[-31, 7]).Sample((x, m, s) =>
        {
            decimal real = (decimal)x * m / (1L << 31) * (s >= 0 ? (1L << s) : 1m / (1L << -s));
            int result = FixedPoint.MultiplyByQuantizedMultiplier(x, m, s);
            Assert.InRange((decimal)result, real - 1, real + 1);
        });
    }

    [Fact]
    public void SaturatingRoundingMultiplyByPOT_saturates_left_shifts()
    {
        Gen.Select(Gen.Int, Gen.Int[1, 30]).Sample((x, e) =>
        {
            long exact = (long)x << e;
            int expected = exact > int.MaxValue ? int.MaxValue : exact < int.MinValue ? int.MinValue : (int)exact;
            Assert.Equal(expected, FixedPoint.SaturatingRoundingMultiplyByPOT(x, e));
        });
    }

    [Fact]
    public void ExpOnNegativeValues_approximates_exp()
    {
        // Q5.26 input in [-32, 0], as softmax uses it.
        Gen.Int[int.MinValue / 2, 0].Sample(raw =>
        {
            double x = raw / (double)(1 << 26);
            double result = FixedPoint.ExpOnNegativeValues(raw, 5) / 2147483648.0;
            Assert.InRange(result, Math.Exp(x) - 1e-6, Math.Exp(x) + 1e-6);
        });
    }

    [Fact]
    public void OneOverOnePlusX_approximates_the_reciprocal()
    {
        Gen.Int[0, int.MaxValue].Sample(raw =>
        {
            double x = raw / 2147483648.0;
            double result = FixedPoint.OneOverOnePlusXForXIn01(raw) / 2147483648.0;
            Assert.InRange(result, 1 / (1 + x) - 1e-7, 1 / (1 + x) + 1e-7);
        });
    }

    [Fact]
    public void Logistic_and_tanh_approximate_their_functions()
    {
        // Q4.27 input in [-16, 16).
        Gen.Int.Sample(raw =>
        {
            double x = raw / (double)(1 << 27);
            double logistic = Kernels.ActivationS8.Logistic(raw) / 2147483648.0;
            double tanh = Kernels.ActivationS8.Tanh(raw) / 2147483648.0;
            Assert.InRange(logistic, 1 / (1 + Math.Exp(-x)) - 1e-6, 1 / (1 + Math.Exp(-x)) + 1e-6);
            Assert.InRange(tanh, Math.Tanh(x) - 1e-6, Math.Tanh(x) + 1e-6);
        });
    }

    [Fact]
    public void CountLeadingZeros_matches_the_framework()
    {
        Gen.UInt.Sample(x => Assert.Equal(System.Numerics.BitOperations.LeadingZeroCount(x), FixedPoint.CountLeadingZeros(x)));
    }
}
